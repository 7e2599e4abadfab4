import type { LocalStore, SyncChange, SyncRecord } from '@app/client';

interface MatchMoment {
  score: string;
  status: unknown;
}

/**
 * Turns live changes into lines a person reads, looking names up in the
 * mirrored data: `[SEA 2-1 MIN] P2 12:34 GOAL Jared McCann (SEA), assists:
 * Matty Beniers, Vince Dunn (pp)`. A match change is told as what differs
 * from the last state seen, so the formatter remembers each match's score and
 * status (`rememberMatches()` after catch-up).
 */
export class LiveFeedFormatter {
  private readonly moments = new Map<string, MatchMoment>();

  constructor(private readonly store: LocalStore) {}

  /** "caught up at e1-1234: 1312 match, 84211 match_event, 700 person, 32 team" */
  async summary(cursor: string): Promise<string> {
    const types = (await this.store.types()).sort();
    const counts = await Promise.all(types.map(async (type) => `${(await this.store.all(type)).length} ${type}`));
    return `caught up at ${cursor}: ${counts.join(', ') || 'nothing synced yet'}`;
  }

  async rememberMatches(): Promise<void> {
    for (const match of await this.store.all('match')) this.moments.set(match.id, momentOf(match));
  }

  /** The line for a live change, or `undefined` for one not worth a line (shots, faceoffs, rosters...). */
  async describe(change: SyncChange): Promise<string | undefined> {
    if (change.type === 'match') return this.describeMatch(change.data);
    if (change.type === 'match_event') return this.describeEvent(change.data);
    return undefined;
  }

  private async describeMatch(match: SyncRecord): Promise<string | undefined> {
    const before = this.moments.get(match.id);
    const now = momentOf(match);
    this.moments.set(match.id, now);
    const differences = [
      before && before.score !== now.score ? `score ${now.score} (was ${before.score})` : undefined,
      before && before.status !== now.status ? `${String(before.status)} → ${String(now.status)}` : undefined,
    ].filter((difference) => difference !== undefined);
    if (differences.length === 0) return undefined;
    return `${await this.scoreboard(match, now.score)} ${differences.join(', ')}`;
  }

  private async describeEvent(event: SyncRecord): Promise<string | undefined> {
    const what = await this.eventText(event);
    if (what === undefined) return undefined;
    const match = await this.store.get('match', String(event.match_id));
    // A goal carries the score right after it; the match may already be further on.
    const goalScore = event.type === 'goal' ? `${num(event.home_score)}-${num(event.away_score)}` : undefined;
    const board = match ? await this.scoreboard(match, goalScore ?? momentOf(match).score) : '[?]';
    const clock = event.type === 'period_start' || event.type === 'period_end' ? '' : ` ${clockOf(event.clock_seconds)}`;
    return `${board} ${periodName(num(event.period), match?.game_type)}${clock} ${event.hidden ? `removed: ${what}` : what}`;
  }

  private async eventText(event: SyncRecord): Promise<string | undefined> {
    switch (event.type) {
      case 'goal': {
        const assistIds = [event.assist1_person_id, event.assist2_person_id].filter(Boolean);
        const assists = await Promise.all(assistIds.map((id) => this.personName(id)));
        const situation = [event.strength === 'ev' ? undefined : event.strength, event.empty_net ? 'en' : undefined].filter(Boolean);
        return [
          `GOAL ${await this.player(event)}`,
          assists.length > 0 ? `, assists: ${assists.join(', ')}` : ', unassisted',
          situation.length > 0 ? ` (${situation.join(', ')})` : '',
        ].join('');
      }
      case 'penalty': {
        const infraction = typeof event.infraction === 'string' ? `, ${event.infraction.replaceAll('-', ' ')}` : '';
        const minutes = event.penalty_minutes != null ? ` ${num(event.penalty_minutes)} min` : '';
        return `PENALTY ${await this.player(event)}${minutes}${infraction}`;
      }
      case 'period_start':
        return 'period starts';
      case 'period_end':
        return 'period ends';
      default:
        return undefined;
    }
  }

  /** "[SEA 2-1 MIN]", home team first. */
  private async scoreboard(match: SyncRecord, score: string): Promise<string> {
    const [home, away] = await Promise.all([this.teamCode(match.home_team_id), this.teamCode(match.away_team_id)]);
    return `[${home} ${score} ${away}]`;
  }

  /** "Jared McCann (SEA)" */
  private async player(event: SyncRecord): Promise<string> {
    const [name, team] = await Promise.all([this.personName(event.primary_person_id), this.teamCode(event.team_id)]);
    return `${name} (${team})`;
  }

  private async personName(id: unknown): Promise<string> {
    const person = id ? await this.store.get('person', String(id)) : undefined;
    return typeof person?.full_name === 'string' ? person.full_name : '?';
  }

  private async teamCode(id: unknown): Promise<string> {
    const team = id ? await this.store.get('team', String(id)) : undefined;
    return String(team?.abbreviation ?? team?.name ?? '?');
  }
}

function momentOf(match: SyncRecord): MatchMoment {
  return { score: `${num(match.home_score)}-${num(match.away_score)}`, status: match.status };
}

function num(value: unknown): number {
  return Number(value ?? 0);
}

/** Regular season: a 5-minute overtime, then a shootout. Playoffs: 20-minute overtimes until a goal. */
function periodName(period: number, gameType: unknown): string {
  if (period <= 3) return `P${period}`;
  if (gameType !== 'playoff') return period === 4 ? 'OT' : 'SO';
  return period === 4 ? 'OT' : `${period - 3}OT`;
}

/** `clock_seconds` is the time elapsed in the period (not the time left that rink clocks show). */
function clockOf(clockSeconds: unknown): string {
  const seconds = num(clockSeconds);
  return `${String(Math.floor(seconds / 60)).padStart(2, '0')}:${String(seconds % 60).padStart(2, '0')}`;
}
