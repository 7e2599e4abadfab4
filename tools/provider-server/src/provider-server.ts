import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyReply, type FastifyRequest } from 'fastify';
import { ZodError } from 'zod';
import { FaultInjector, type Fault, type FaultControl, type FaultSpec } from './fault.injector.js';
import { NhlDataCatalog } from './nhl-data.catalog.js';
import type { WebPlayByPlay, WebScoreboard, WebTeam } from './nhl-response.types.js';
import { GameReplays, UnknownGameError, type Clock, type ReplayControl, type SeekTarget } from './replay.control.js';
import type { ReplayTiming } from './replay.timeline.js';

export interface ProviderServerOptions {
  /** Folder of saved NHL responses, searched recursively; default: the repository's data/nhl/. */
  dataDir?: string;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: any free port. */
  port?: number;
  /** Default speed of replays, in game seconds per real second; default 60. */
  speed?: number;
  timing?: Partial<ReplayTiming>;
  /** Faults in force from the start. */
  faults?: FaultSpec[];
  /** Replays' clock; default Date.now. */
  clock?: Clock;
  /** One line per request at info; silent when absent. */
  logger?: FastifyBaseLogger;
}

export interface ProviderServer {
  url: string;
  catalog: NhlDataCatalog;
  replay: ReplayControl;
  faults: FaultControl;
  close(): Promise<void>;
}

interface GameParams {
  id: string;
}

const JSON_TYPE = 'application/json';
const DAY_MS = 86_400_000;
const DAY_ABBREVIATIONS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

/**
 * A stand-in for the NHL's statistics API (api-web.nhle.com and the retired
 * statsapi.web.nhl.com) on the same paths, serving saved responses, replaying
 * games as if live, and misbehaving on request. See the README's
 * "Local statistics provider".
 */
export async function startProviderServer(options: ProviderServerOptions = {}): Promise<ProviderServer> {
  const catalog = NhlDataCatalog.load(options.dataDir);
  const clock = options.clock ?? { now: () => Date.now() };
  const replays = new GameReplays(catalog, { speed: options.speed, timing: options.timing, clock });
  const faults = new FaultInjector();
  faults.add(options.faults ?? []);
  // Aborts injected delays, so close() does not wait them out.
  const closing = new AbortController();
  const faultOf = new WeakMap<FastifyRequest, Fault>();

  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    logController: new LogController({ disableRequestLogging: true }),
    forceCloseConnections: true,
  });

  app.addHook('onRequest', async (request, reply) => {
    if (request.url.startsWith('/__')) return;
    const fault = faults.take(request.method, request.url);
    if (!fault) return;
    faultOf.set(request, fault);
    if (fault.delayMs) await delay(fault.delayMs, reply, closing.signal);
    if (fault.status !== undefined) {
      if (fault.retryAfter !== undefined) reply.header('retry-after', String(fault.retryAfter));
      return reply.code(fault.status).type(JSON_TYPE).send({ message: `injected fault ${fault.id}`, status: fault.status });
    }
  });
  app.addHook('onSend', async (request, reply, payload) => {
    // Any proper prefix of a JSON object is not JSON: what a dropped connection or a bad proxy leaves.
    if (faultOf.get(request)?.malformed && reply.statusCode === 200 && typeof payload === 'string') {
      return payload.slice(0, Math.floor(payload.length / 2));
    }
    return payload;
  });
  app.addHook('onResponse', async (request, reply) => {
    const fault = faultOf.get(request);
    request.log.info(
      { method: request.method, url: request.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime), ...(fault && { fault: fault.id }) },
      'request',
    );
  });
  app.setErrorHandler((error, _request, reply) => {
    const status = error instanceof UnknownGameError ? 404 : error instanceof RangeError || error instanceof ZodError ? 400 : (error as { statusCode?: number }).statusCode ?? 500;
    const message = error instanceof ZodError ? error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`).join('; ') : (error as Error).message;
    return reply.code(status).type(JSON_TYPE).send({ message, status });
  });

  const today = () => new Date(clock.now()).toISOString().slice(0, 10);
  /** 'now' or YYYY-MM-DD, as the NHL's dated paths take. */
  const dayOf = (param: string): string => {
    const day = param === 'now' ? today() : param;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(Date.parse(day))) throw new RangeError(`not a date: ${param}`);
    return day;
  };
  const notFound = (reply: FastifyReply, what: string) => reply.code(404).type(JSON_TYPE).send({ message: `Not found: ${what}`, status: 404 });
  const gameIdOf = (params: GameParams) => (/^\d+$/.test(params.id) ? Number(params.id) : undefined);

  app.get<{ Params: { date: string } }>('/v1/schedule/:date', async (request, reply) => {
    const day = dayOf(request.params.date);
    const schedule = catalog.schedule(day);
    return schedule ? reply.type(JSON_TYPE).send(schedule.text) : reply.type(JSON_TYPE).send(emptyWeek(day));
  });
  app.get<{ Params: { date: string } }>('/v1/standings/:date', async (request, reply) => {
    const standings = catalog.standings(dayOf(request.params.date));
    return standings ? reply.type(JSON_TYPE).send(standings.text) : notFound(reply, 'no standings');
  });
  app.get<{ Params: { team: string; season: string } }>('/v1/roster/:team/:season', async (request, reply) => {
    const roster = catalog.roster(request.params.team, request.params.season);
    return roster ? reply.type(JSON_TYPE).send(roster.text) : notFound(reply, `roster of ${request.params.team} in ${request.params.season}`);
  });
  app.get('/v1/score/now', async (_request, reply) => {
    const saved = catalog.scoreNow();
    const live = replays.livePlayByPlays();
    if (saved && live.length === 0) return reply.type(JSON_TYPE).send(saved.text);
    return reply.type(JSON_TYPE).send(withLiveGames(saved?.json ?? { currentDate: today(), games: [] }, live));
  });
  app.get<{ Params: GameParams }>('/v1/gamecenter/:id/play-by-play', async (request, reply) => {
    const gameId = gameIdOf(request.params);
    const live = gameId === undefined ? undefined : replays.playByPlay(gameId);
    if (live) return reply.type(JSON_TYPE).send(live);
    const saved = gameId === undefined ? undefined : catalog.playByPlay(gameId);
    return saved ? reply.type(JSON_TYPE).send(saved.text) : notFound(reply, `play-by-play of game ${request.params.id}`);
  });
  for (const [path, kind] of [
    ['boxscore', 'boxscore'],
    ['landing', 'landing'],
    ['right-rail', 'rightRail'],
  ] as const) {
    app.get<{ Params: GameParams }>(`/v1/gamecenter/:id/${path}`, async (request, reply) => {
      const gameId = gameIdOf(request.params);
      const saved = gameId === undefined ? undefined : catalog.game(kind, gameId);
      return saved ? reply.type(JSON_TYPE).send(saved.text) : notFound(reply, `${path} of game ${request.params.id}`);
    });
  }
  app.get<{ Params: GameParams }>('/api/v1/game/:id/feed/live', async (request, reply) => {
    const gameId = gameIdOf(request.params);
    const live = gameId === undefined ? undefined : replays.feedLive(gameId);
    if (live) return reply.type(JSON_TYPE).send(live);
    const saved = gameId === undefined ? undefined : catalog.feedLive(gameId);
    return saved ? reply.type(JSON_TYPE).send(saved.text) : notFound(reply, `feed/live of game ${request.params.id}`);
  });

  // Control endpoints, for tests and tools driving a server in another process.
  app.get('/__faults', async () => ({ faults: faults.list() }));
  app.post<{ Body: FaultSpec | FaultSpec[] }>('/__faults', async (request, reply) => reply.code(201).send({ faults: faults.add(request.body) }));
  app.delete('/__faults', async () => {
    faults.clear();
    return { faults: [] };
  });
  const replayIdOf = (params: { gameId: string }) => {
    if (!/^\d+$/.test(params.gameId)) throw new UnknownGameError(`no game ${params.gameId}`);
    return Number(params.gameId);
  };
  app.get('/__replay', async () => ({ replays: replays.list() }));
  app.get<{ Params: { gameId: string } }>('/__replay/:gameId', async (request, reply) => {
    const status = replays.status(replayIdOf(request.params));
    return status ?? notFound(reply, `replay of game ${request.params.gameId}`);
  });
  app.post<{ Params: { gameId: string }; Querystring: { speed?: string } }>('/__replay/:gameId/start', async (request) => {
    const { speed } = request.query;
    return replays.start(replayIdOf(request.params), speed === undefined ? {} : { speed: Number(speed) });
  });
  app.post<{ Params: { gameId: string }; Querystring: { fraction?: string; plays?: string } }>('/__replay/:gameId/seek', async (request) => {
    const { fraction, plays } = request.query;
    if ((fraction === undefined) === (plays === undefined)) throw new RangeError('seek takes ?fraction= or ?plays=');
    const to: SeekTarget = fraction !== undefined ? { fraction: Number(fraction) } : { plays: Number(plays) };
    return replays.seek(replayIdOf(request.params), to);
  });
  app.post<{ Params: { gameId: string } }>('/__replay/:gameId/stop', async (request) => ({ stopped: replays.stop(replayIdOf(request.params)) }));

  await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 });
  const address = app.server.address() as AddressInfo;
  const host = ['0.0.0.0', '::'].includes(address.address) ? 'localhost' : address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    catalog,
    replay: replays,
    faults,
    async close() {
      closing.abort();
      await app.close();
    },
  };
}

/** Waits, unless the server closes or the client goes away first (then there is no one to answer). */
async function delay(ms: number, reply: FastifyReply, closing: AbortSignal): Promise<void> {
  const gone = new AbortController();
  reply.raw.once('close', () => gone.abort());
  try {
    await sleep(ms, undefined, { signal: AbortSignal.any([closing, gone.signal]) });
  } catch {
    // Aborted: answer at once.
  }
}

/** What the NHL answers for a week without games: seven empty days. */
function emptyWeek(day: string) {
  const start = Date.parse(day);
  const dayAt = (offset: number) => new Date(start + offset * DAY_MS);
  const iso = (date: Date) => date.toISOString().slice(0, 10);
  return {
    nextStartDate: iso(dayAt(7)),
    previousStartDate: iso(dayAt(-7)),
    gameWeek: Array.from({ length: 7 }, (_, offset) => ({
      date: iso(dayAt(offset)),
      dayAbbrev: DAY_ABBREVIATIONS[dayAt(offset).getUTCDay()],
      numberOfGames: 0,
      games: [],
    })),
    numberOfGames: 0,
  };
}

/** The scoreboard with the replaying games on it as they stand, in place of any saved entry of theirs. */
function withLiveGames(board: WebScoreboard, live: WebPlayByPlay[]): WebScoreboard {
  const team = ({ id, name, abbrev, score, sog, logo }: WebTeam) => ({ id, name, abbrev, score, sog, logo });
  const liveIds = new Set(live.map((game) => game.id));
  const entries = live.map((game) => ({
    id: game.id,
    season: game.season,
    gameType: game.gameType,
    gameDate: game.gameDate,
    venue: game.venue,
    startTimeUTC: game.startTimeUTC,
    gameState: game.gameState,
    awayTeam: team(game.awayTeam),
    homeTeam: team(game.homeTeam),
    clock: game.clock,
    period: game.periodDescriptor?.number,
    periodDescriptor: game.periodDescriptor,
  }));
  return { ...board, games: [...board.games.filter((game) => !liveIds.has(game.id)), ...entries] };
}
