import { Module } from '@nestjs/common';
import { CatalogController } from './catalog.controller.js';
import { CatalogRepository } from './catalog.repository.js';
import { CatalogService } from './catalog.service.js';

/** Read endpoints for rare data (tournaments, matches, standings, rosters, statistics) with ETag revalidation. */
@Module({ controllers: [CatalogController], providers: [CatalogRepository, CatalogService] })
export class CatalogModule {}
