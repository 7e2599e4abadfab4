import { Controller, Get, Header, Query } from '@nestjs/common';
import { SyncQueryDto } from './dto/sync-query.dto.js';
import { type SyncPage, SyncService } from './sync.service.js';

@Controller('v1/sync')
export class SyncController {
  constructor(private readonly sync: SyncService) {}

  /** Catch-up: the records changed after a cursor, in cursor order (docs/sync-protocol.md §1). */
  @Get()
  @Header('Cache-Control', 'no-store')
  page(@Query() query: SyncQueryDto): Promise<SyncPage> {
    return this.sync.page(query);
  }
}
