import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

export interface DashboardMatch {
  id: string;
  title: string;
  status: string;
  startsAt: string;
  homeScore: number;
  awayScore: number;
  period: number | null;
}

export interface DashboardEdit {
  at: string;
  editor: string | null;
  action: string;
  resource: string;
  recordId: string | null;
}

const MATCH_COLUMNS = `
  m.id, concat(coalesce(a.abbreviation, a.name), ' @ ', coalesce(h.abbreviation, h.name)) AS title,
  m.status, m.starts_at AS "startsAt", m.home_score AS "homeScore", m.away_score AS "awayScore", m.period
  FROM matches m JOIN teams h ON h.id = m.home_team_id JOIN teams a ON a.id = m.away_team_id`;

/** What an editor wants first: the matches to run now and next, and what colleagues just changed. */
@Injectable()
export class DashboardRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  liveMatches(): Promise<DashboardMatch[]> {
    return this.dataSource.query(`SELECT ${MATCH_COLUMNS} WHERE m.status = 'live' AND NOT m.hidden ORDER BY m.starts_at LIMIT 50`);
  }

  upcomingMatches(limit = 10): Promise<DashboardMatch[]> {
    return this.dataSource.query(
      `SELECT ${MATCH_COLUMNS} WHERE m.status = 'scheduled' AND NOT m.hidden AND m.starts_at > now() - interval '6 hours' ORDER BY m.starts_at LIMIT $1`,
      [limit],
    );
  }

  recentEdits(limit = 15): Promise<DashboardEdit[]> {
    return this.dataSource.query(
      `SELECT l.at, u.display_name AS editor, l.action, l.resource, l.record_id AS "recordId"
         FROM audit_log l LEFT JOIN admin_users u ON u.id = l.admin_user_id
        WHERE l.action IN ('create', 'update', 'hide', 'unhide')
        ORDER BY l.at DESC LIMIT $1`,
      [limit],
    );
  }
}
