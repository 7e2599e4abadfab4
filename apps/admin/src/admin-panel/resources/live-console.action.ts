import type { ActionContext, ActionRequest } from 'adminjs';
import type { FastifyReply } from 'fastify';
import { ValidationFailedException } from '@app/bootstrap';
import { type ChangeFeedRepository, formatCursor } from '@app/change-feed';
import type { ConsoleEvent, ConsoleState } from '../../match-console/dto/console-state.dto.js';
import type { MatchConsoleService } from '../../match-console/match-console.service.js';

/** Console commands by the name the page sends; each takes the editor's id and the command's fields. */
const COMMANDS = {
  setClock: 'setClock',
  startClock: 'startClock',
  stopClock: 'stopClock',
  periodStart: 'startPeriod',
  periodEnd: 'endPeriod',
  goal: 'addGoal',
  penalty: 'addPenalty',
  shot: 'addShot',
  faceoff: 'addFaceoff',
  timeout: 'addTimeout',
  injury: 'addInjury',
  goalieChange: 'addGoalieChange',
  shootoutAttempt: 'addShootoutAttempt',
  commentary: 'addCommentaryLine',
  videoMoment: 'attachVideoMoment',
  hideEvent: 'hideEvent',
  correctEvent: 'correctEvent',
} as const satisfies Record<string, keyof MatchConsoleService>;

export interface LiveConsoleDependencies {
  console: MatchConsoleService;
  feed: ChangeFeedRepository;
  /** Where browsers reach the API; undefined: the admin's host on `apiPort`. */
  apiPublicUrl: string | undefined;
  apiPort: number;
}

/** "Goal · Matthews (Marner, Nylander) · PP" — what the event list shows. */
function summary(event: ConsoleEvent, teamNames: Map<string, string>): string {
  const assists = [event.assist1Person, event.assist2Person].filter(Boolean).map((person) => person!.name);
  const parts = [
    event.type.replace(/_/g, ' '),
    event.teamId ? teamNames.get(event.teamId) : undefined,
    event.primaryPerson ? `${event.primaryPerson.name}${assists.length ? ` (${assists.join(', ')})` : ''}` : undefined,
    event.infraction ? `${event.infraction}${event.penaltyMinutes ? ` ${event.penaltyMinutes} min` : ''}` : undefined,
    event.strength && event.strength !== 'ev' ? event.strength.toUpperCase() : undefined,
    event.shootoutScored === null ? undefined : event.shootoutScored ? 'scored' : 'missed',
    event.description ?? undefined,
  ];
  return parts.filter(Boolean).join(' · ');
}

function forPage(state: ConsoleState) {
  const { match } = state;
  const teamNames = new Map([match.homeTeam, match.awayTeam].map((team) => [team.id, team.abbreviation ?? team.name]));
  return { ...state, events: state.events.map((event) => ({ ...event, summary: summary(event, teamNames) })) };
}

/** @adminjs/fastify passes Fastify's reply as the action's response; its request has the headers. */
function liveUrl(reply: FastifyReply, dependencies: LiveConsoleDependencies): string {
  if (dependencies.apiPublicUrl) return `${dependencies.apiPublicUrl.replace(/\/$/, '')}/v1/live`;
  const { hostname: host, protocol } = reply.request;
  return `${protocol}://${host}:${dependencies.apiPort}/v1/live`;
}

/**
 * The live console's page (GET: the match, rosters, recent events, and where
 * to follow /v1/live from now on) and its commands (POST `{command, ...}`).
 * Command errors are domain exceptions: the admin's error handler answers
 * them as JSON with their status (409 for a version conflict).
 */
export function liveConsoleHandler(dependencies: LiveConsoleDependencies) {
  return async (request: ActionRequest, response: FastifyReply, context: ActionContext) => {
    const matchId = String(context.record!.id());
    const editorId = String(context.currentAdmin!.id);
    if (request.method === 'get') {
      const [state, epoch, position] = await Promise.all([
        dependencies.console.getConsoleState(matchId),
        dependencies.feed.currentEpoch(),
        dependencies.feed.headPosition(),
      ]);
      return {
        record: context.record!.toJSON(context.currentAdmin),
        console: forPage(state),
        live: { url: liveUrl(response, dependencies), since: formatCursor({ epoch, position }) },
      };
    }
    const { command, ...fields } = (request.payload ?? {}) as Record<string, unknown>;
    const method = COMMANDS[command as keyof typeof COMMANDS];
    if (!method) throw new ValidationFailedException([`command must be one of ${Object.keys(COMMANDS).join(', ')}`]);
    const run = dependencies.console[method].bind(dependencies.console) as (editorId: string, input: object) => Promise<unknown>;
    await run(editorId, { ...fields, matchId });
    return { record: context.record!.toJSON(context.currentAdmin), console: forPage(await dependencies.console.getConsoleState(matchId)) };
  };
}
