import { Module } from '@nestjs/common';
import { DashboardRepository } from './dashboard.repository.js';

@Module({ providers: [DashboardRepository], exports: [DashboardRepository] })
export class DashboardModule {}
