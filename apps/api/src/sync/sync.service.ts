import { Injectable } from '@nestjs/common';
import { ChangeFeedRepository, formatCursor } from '@app/change-feed';
import { ResumePointService } from '../feed/resume-point.service.js';
import type { SyncQueryDto } from './dto/sync-query.dto.js';

export interface SyncChange {
  cursor: string;
  type: string;
  id: string;
  data: Record<string, unknown>;
}

export interface SyncPage {
  changes: SyncChange[];
  /** Pass as `since` for the next page, and to /v1/live once `hasMore` is false. */
  cursor: string;
  hasMore: boolean;
}

@Injectable()
export class SyncService {
  constructor(
    private readonly resumePoints: ResumePointService,
    private readonly repository: ChangeFeedRepository,
  ) {}

  /** One page of the records changed after `since`, each once with its current state. */
  async page(query: SyncQueryDto): Promise<SyncPage> {
    const { epoch, position, types } = await this.resumePoints.resolve(query.since, query.types);
    // One more than asked tells whether another page follows.
    const found = await this.repository.changesSince(position, query.limit + 1, types);
    const page = found.slice(0, query.limit);
    const last = page.length ? page[page.length - 1].position : position;
    return {
      changes: page.map((change) => ({
        cursor: formatCursor({ epoch, position: change.position }),
        type: change.type,
        id: change.id,
        data: change.data,
      })),
      cursor: formatCursor({ epoch, position: last }),
      hasMore: found.length > query.limit,
    };
  }
}
