import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

export interface StreamAccess {
  url: string;
  requiresEntitlement: boolean;
  /** The device holds a current entitlement covering the stream's match. */
  entitled: boolean;
}

@Injectable()
export class StreamRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * A visible stream of a visible match, and whether the device may watch it:
   * an entitlement not revoked, in its time window, to a product that covers
   * the match (the match itself, its season, or one of its teams — for one
   * season or for all).
   */
  async access(streamId: string, deviceId: string): Promise<StreamAccess | undefined> {
    const [row] = await this.dataSource.query(
      `SELECT s.url, s.requires_entitlement AS "requiresEntitlement",
              EXISTS (
                SELECT 1 FROM entitlements e JOIN products p ON p.id = e.product_id
                 WHERE e.device_id = $2 AND e.revoked_at IS NULL
                   AND e.starts_at <= now() AND (e.ends_at IS NULL OR e.ends_at > now())
                   AND (   (p.kind = 'match'  AND p.match_id = m.id)
                        OR (p.kind = 'season' AND p.season_id = m.season_id)
                        OR (p.kind = 'team'   AND p.team_id IN (m.home_team_id, m.away_team_id)
                                              AND (p.season_id IS NULL OR p.season_id = m.season_id)))
              ) AS entitled
         FROM streams s JOIN matches m ON m.id = s.match_id
        WHERE s.id = $1 AND NOT s.hidden AND NOT m.hidden`,
      [streamId, deviceId],
    );
    return row;
  }
}
