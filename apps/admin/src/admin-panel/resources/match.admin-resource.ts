import { Resource } from '@adminjs/typeorm';
import { BaseRecord, type Filter } from 'adminjs';
import { In } from 'typeorm';
import { Match } from '@app/db';

interface FindParams {
  limit?: number;
  offset?: number;
  sort?: { sortBy?: string; direction?: 'asc' | 'desc' };
}

/**
 * Matches have no name column, yet events, lineups and commentary refer to
 * them: this resource gives each match a title ("TOR @ MTL · 2024-10-09") for
 * AdminJS to show in place of its id, and lets the reference picker search
 * by team name or date.
 */
export class MatchAdminResource extends Resource {
  constructor() {
    super(Match);
  }

  override async find(filter: Filter, params: FindParams): Promise<BaseRecord[]> {
    const search = filter.filters?.title?.value;
    if (typeof search !== 'string') return this.withTitles(await super.find(filter, params));
    delete filter.filters.title;
    const ids = await this.idsMatching(search);
    const { limit = 10, offset = 0, sort = {} } = params;
    const matches = await Match.find({
      where: { id: In(ids) },
      take: limit,
      skip: offset,
      order: { [sort.sortBy && sort.sortBy !== 'title' ? sort.sortBy : 'startsAt']: (sort.direction ?? 'desc').toUpperCase() },
    });
    return this.withTitles(matches.map((match) => new BaseRecord(match, this)));
  }

  override async findOne(id: string): Promise<BaseRecord | null> {
    const record = await super.findOne(id);
    return record ? (await this.withTitles([record]))[0] : null;
  }

  override async findMany(ids: (string | number)[]): Promise<BaseRecord[]> {
    return this.withTitles(await super.findMany(ids));
  }

  private async idsMatching(search: string): Promise<string[]> {
    const rows: { id: string }[] = await Match.getRepository().query(
      `SELECT m.id FROM matches m
         JOIN teams h ON h.id = m.home_team_id
         JOIN teams a ON a.id = m.away_team_id
        WHERE concat_ws(' ', a.abbreviation, a.name, '@', h.abbreviation, h.name, to_char(m.starts_at, 'YYYY-MM-DD')) ILIKE '%' || $1 || '%'
        ORDER BY m.starts_at DESC LIMIT 500`,
      [search.replace(/[%_\\]/g, (c) => `\\${c}`)],
    );
    return rows.map((row) => row.id);
  }

  private async withTitles(records: BaseRecord[]): Promise<BaseRecord[]> {
    if (!records.length) return records;
    const rows: { id: string; title: string }[] = await Match.getRepository().query(
      `SELECT m.id, concat(coalesce(a.abbreviation, a.name), ' @ ', coalesce(h.abbreviation, h.name), ' · ', to_char(m.starts_at, 'YYYY-MM-DD')) AS title
         FROM matches m
         JOIN teams h ON h.id = m.home_team_id
         JOIN teams a ON a.id = m.away_team_id
        WHERE m.id = ANY($1::uuid[])`,
      [records.map((record) => String(record.id()))],
    );
    const titles = new Map(rows.map((row) => [row.id, row.title]));
    for (const record of records) record.params.title = titles.get(String(record.id())) ?? String(record.id());
    return records;
  }
}
