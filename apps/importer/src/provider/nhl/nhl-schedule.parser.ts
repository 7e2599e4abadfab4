import { z } from 'zod';
import { parseResponse } from '../parse-response.js';
import type { GameHeader, ScheduleSnapshot, SeasonSnapshot } from '../stats-provider.js';
import { NHL_SOURCE, type ParseContext, isImportedGameType, nhlGameHeader } from './nhl-game-header.parser.js';
import { type WebGame, webGame } from './nhl-web.schema.js';

const isoDate = z.iso.date();

const schedule = z.looseObject({
  gameWeek: z.array(z.looseObject({ date: isoDate, games: z.array(webGame) })),
  preSeasonStartDate: isoDate.optional(),
  regularSeasonStartDate: isoDate.optional(),
  regularSeasonEndDate: isoDate.optional(),
  playoffEndDate: isoDate.optional(),
});

const scoreboard = z.looseObject({ games: z.array(webGame) });

function headers(games: { game: WebGame; field: string }[], context: ParseContext): GameHeader[] {
  // An All-Star game in the week must not stop the import of the others.
  return games.filter(({ game }) => isImportedGameType(game.gameType)).map(({ game, field }) => nhlGameHeader(game, context, field));
}

function seasonsOf(games: GameHeader[]): SeasonSnapshot[] {
  return [...new Map(games.map((game) => [game.season.externalId, game.season])).values()];
}

/**
 * `/v1/schedule/{date}`: the week from that date. The season dates it gives
 * have no season id: they belong to the season of its games when they all
 * have the same one.
 */
export function parseNhlSchedule(body: unknown, context: ParseContext): ScheduleSnapshot {
  const week = parseResponse(schedule, body, context.path);
  const games = headers(
    week.gameWeek.flatMap((day, dayIndex) => day.games.map((game, index) => ({ game, field: `gameWeek[${dayIndex}].games[${index}]` }))),
    context,
  );
  const seasons = seasonsOf(games);
  const dated =
    seasons.length === 1
      ? [
          {
            ...seasons[0],
            startsOn: week.preSeasonStartDate ?? week.regularSeasonStartDate,
            endsOn: week.playoffEndDate ?? week.regularSeasonEndDate,
          },
        ]
      : seasons;
  return { source: NHL_SOURCE, seasons: dated, games };
}

/** `/v1/score/now`: today's games with their live score, period and clock. */
export function parseNhlScoreboard(body: unknown, context: ParseContext): ScheduleSnapshot {
  const board = parseResponse(scoreboard, body, context.path);
  const games = headers(
    board.games.map((game, index) => ({ game, field: `games[${index}]` })),
    context,
  );
  return { source: NHL_SOURCE, seasons: seasonsOf(games), games };
}

/**
 * `/v1/gamecenter/{id}/landing`: one game's header, with what play-by-play
 * lacks (the arena's city and time zone), for a tenth of the bytes.
 */
export function parseNhlLanding(body: unknown, context: ParseContext): ScheduleSnapshot {
  const game = nhlGameHeader(parseResponse(webGame, body, context.path), context);
  return { source: NHL_SOURCE, seasons: [game.season], games: [game] };
}
