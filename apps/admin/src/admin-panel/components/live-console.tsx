import React, { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ApiClient, type ActionProps } from 'adminjs';
import { Box, Button, H3, Input, Label, MessageBox, Text } from '@adminjs/design-system';

// Shapes sent by the liveConsole action (resources/live-console.action.ts, match-console/dto/console-state.dto.ts).
interface TeamInfo {
  id: string;
  name: string;
  abbreviation: string | null;
}
interface RosterPlayer {
  personId: string;
  fullName: string;
  jerseyNumber: number | null;
  position: string | null;
}
interface ConsoleMatch {
  id: string;
  version: number;
  status: string;
  period: number | null;
  clockSecondsRemaining: number | null;
  clockRunning: boolean;
  clockUpdatedAt: string | null;
  inIntermission: boolean;
  homeScore: number;
  awayScore: number;
  homeTeam: TeamInfo;
  awayTeam: TeamInfo;
}
interface ConsoleEvent {
  id: string;
  type: string;
  period: number;
  clockSeconds: number;
  teamId: string | null;
  summary: string;
  homeScore: number | null;
  awayScore: number | null;
}
interface ConsoleState {
  match: ConsoleMatch;
  rosters: { home: RosterPlayer[]; away: RosterPlayer[] };
  events: ConsoleEvent[];
  commentary: { id: string; body: string; period: number | null; clockSeconds: number | null }[];
}
interface LiveInfo {
  url: string;
  since: string;
}

type Side = 'home' | 'away';
type FormKind = 'goal' | 'penalty' | 'shot' | 'faceoff' | 'timeout' | 'injury' | 'goalieChange' | 'shootoutAttempt' | 'commentary' | 'videoMoment' | 'setClock' | 'correctLast';

const FORMS: { kind: FormKind; key: string; label: string }[] = [
  { kind: 'goal', key: 'g', label: 'Goal' },
  { kind: 'penalty', key: 'p', label: 'Penalty' },
  { kind: 'shot', key: 's', label: 'Shot' },
  { kind: 'faceoff', key: 'f', label: 'Faceoff' },
  { kind: 'timeout', key: 't', label: 'Timeout' },
  { kind: 'injury', key: 'i', label: 'Injury' },
  { kind: 'goalieChange', key: 'k', label: 'Goalie change' },
  { kind: 'shootoutAttempt', key: 'o', label: 'Shootout attempt' },
  { kind: 'commentary', key: 'c', label: 'Commentary' },
  { kind: 'videoMoment', key: 'v', label: 'Video moment' },
  { kind: 'setClock', key: 'l', label: 'Set clock' },
  { kind: 'correctLast', key: 'e', label: 'Correct last' },
];

const api = new ApiClient();

const clockText = (seconds: number | null) =>
  seconds === null ? '--:--' : `${Math.floor(seconds / 60)}:${String(Math.max(0, Math.floor(seconds % 60))).padStart(2, '0')}`;

/** The clock as the phones run it: from the last reading, while running. */
function useRunningClock(match: ConsoleMatch | undefined): number | null {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!match?.clockRunning) return undefined;
    const timer = window.setInterval(() => setNow(Date.now()), 250);
    return () => window.clearInterval(timer);
  }, [match?.clockRunning]);
  if (!match || match.clockSecondsRemaining === null) return null;
  if (!match.clockRunning || !match.clockUpdatedAt) return match.clockSecondsRemaining;
  return Math.max(0, match.clockSecondsRemaining - (now - Date.parse(match.clockUpdatedAt)) / 1000);
}

/**
 * What the phones see: the console follows the API's /v1/live stream itself
 * and marks each saved event once it has come back from the stream.
 */
function useLiveStream(live: LiveInfo | undefined, matchId: string) {
  const [status, setStatus] = useState<'connecting' | 'live' | 'reconnecting' | 'off'>('off');
  const [seen, setSeen] = useState<Record<string, true>>({});
  const [phoneScore, setPhoneScore] = useState<string | null>(null);
  useEffect(() => {
    if (!live) return undefined;
    setStatus('connecting');
    const url = `${live.url}?types=match,match_event,commentary_line,video_moment&since=${encodeURIComponent(live.since)}`;
    const source = new EventSource(url);
    source.onopen = () => setStatus('live');
    source.onerror = () => setStatus('reconnecting');
    const mark = (event: MessageEvent) => {
      // Records travel as their table rows: snake_case (docs/sync-protocol.md).
      const data = JSON.parse(event.data) as { id: string; match_id?: string; home_score?: number; away_score?: number };
      if (event.type === 'match') {
        if (data.id === matchId) setPhoneScore(`${data.away_score} – ${data.home_score}`);
        return;
      }
      if (data.match_id === matchId) setSeen((previous) => ({ ...previous, [data.id]: true }));
    };
    for (const type of ['match', 'match_event', 'commentary_line', 'video_moment']) source.addEventListener(type, mark as EventListener);
    return () => source.close();
  }, [live?.url, live?.since, matchId]);
  return { status, seen, phoneScore };
}

function PlayerSelect({ id, label, players, value, onChange, optional }: { id: string; label: string; players: RosterPlayer[]; value: string; onChange: (value: string) => void; optional?: boolean }) {
  return (
    <Box mr="lg" mb="md">
      <Label htmlFor={id}>{label}</Label>
      <select id={id} data-testid={id} value={value} onChange={(event) => onChange(event.target.value)} style={{ padding: 6, minWidth: 220 }}>
        <option value="">{optional ? '— none —' : '— choose —'}</option>
        {players.map((player) => (
          <option key={player.personId} value={player.personId}>
            {player.jerseyNumber ?? ''} {player.fullName} {player.position ? `(${player.position})` : ''}
          </option>
        ))}
      </select>
    </Box>
  );
}

const LiveConsole = ({ record }: ActionProps) => {
  const matchId = record!.id;
  const [state, setState] = useState<ConsoleState>();
  const [live, setLive] = useState<LiveInfo>();
  const [form, setForm] = useState<FormKind | null>(null);
  const [side, setSide] = useState<Side>('home');
  const [fields, setFields] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Events already there when the page opened went out before: only newer ones wait for the stream.
  const [initialIds, setInitialIds] = useState<Set<string>>();
  const formRef = useRef<HTMLFormElement>(null);
  const clock = useRunningClock(state?.match);
  const stream = useLiveStream(live, matchId);

  const load = useCallback(async () => {
    const response = await api.recordAction({ resourceId: 'Match', recordId: matchId, actionName: 'liveConsole', method: 'get' });
    const loaded = response.data.console as ConsoleState;
    setState(loaded);
    setInitialIds((previous) => previous ?? new Set(loaded.events.map((event) => event.id)));
    setLive((previous) => previous ?? (response.data.live as LiveInfo));
  }, [matchId]);
  useEffect(() => {
    load();
  }, [load]);

  const send = useCallback(
    async (command: string, data: Record<string, unknown> = {}) => {
      if (!state) return;
      setBusy(true);
      setError(null);
      try {
        const response = await api.recordAction({
          resourceId: 'Match',
          recordId: matchId,
          actionName: 'liveConsole',
          method: 'post',
          data: { command, expectedVersion: state.match.version, ...data },
        });
        setState(response.data.console as ConsoleState);
        setForm(null);
        setFields({});
      } catch (failure) {
        const body = (failure as { response?: { data?: { code?: string; message?: string } } }).response?.data;
        setError(body?.message ?? 'The command failed.');
        if (body?.code === 'match_version_conflict') await load();
      } finally {
        setBusy(false);
      }
    },
    [state, matchId, load],
  );

  const team = state ? (side === 'home' ? state.match.homeTeam : state.match.awayTeam) : undefined;
  const roster = state ? state.rosters[side] : [];
  const otherRoster = state ? state.rosters[side === 'home' ? 'away' : 'home'] : [];
  const lastEvent = state?.events[0];
  const set = (name: string) => (value: string) => setFields((previous) => ({ ...previous, [name]: value }));
  const text = (name: string) => (event: React.ChangeEvent<HTMLInputElement>) => set(name)(event.target.value);

  const open = (kind: FormKind) => {
    setError(null);
    setFields(kind === 'correctLast' && lastEvent ? {} : {});
    setForm(kind);
    window.setTimeout(() => formRef.current?.querySelector<HTMLElement>('select, input')?.focus(), 0);
  };

  // Keyboard: a letter opens an action, 1/2 pick the team, Space runs or stops the clock, Esc closes.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const typing = ['INPUT', 'SELECT', 'TEXTAREA'].includes((event.target as HTMLElement).tagName);
      if (event.key === 'Escape') {
        setForm(null);
        return;
      }
      if (typing || event.ctrlKey || event.metaKey || event.altKey || !state) return;
      if (event.key === ' ') {
        event.preventDefault();
        send(state.match.clockRunning ? 'stopClock' : 'startClock');
      } else if (event.key === '1') setSide('away');
      else if (event.key === '2') setSide('home');
      else if (event.key === 'h' && lastEvent && window.confirm('Hide the last event?')) send('hideEvent', { eventId: lastEvent.id });
      else {
        const match = FORMS.find((candidate) => candidate.key === event.key.toLowerCase());
        if (match) {
          event.preventDefault();
          open(match.kind);
        }
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    if (!form || !team) return;
    const teamId = team.id;
    const optional = (name: string) => fields[name] || undefined;
    const assists = () => [fields.assist1Id, fields.assist2Id].filter(Boolean);
    const commands: Record<FormKind, () => [string, Record<string, unknown>]> = {
      goal: () => ['goal', { teamId, scorerId: fields.scorerId, assistIds: assists(), strength: fields.strength || 'ev', emptyNet: fields.emptyNet === 'yes' }],
      penalty: () => ['penalty', { teamId, playerId: fields.personId, infraction: fields.infraction, minutes: Number(fields.minutes || 2), drawnById: optional('drawnById') }],
      shot: () => ['shot', { teamId, shooterId: optional('shooterId') }],
      faceoff: () => ['faceoff', { winnerTeamId: teamId, winnerId: fields.winnerId, loserId: optional('loserId') }],
      timeout: () => ['timeout', { teamId }],
      injury: () => ['injury', { teamId, playerId: fields.personId, description: optional('description') }],
      goalieChange: () => ['goalieChange', { teamId, goalieInId: fields.goalieInId, goalieOutId: optional('goalieOutId') }],
      shootoutAttempt: () => ['shootoutAttempt', { teamId, shooterId: fields.shooterId, goalieId: optional('goalieId'), scored: fields.scored === 'yes' }],
      commentary: () => ['commentary', { text: fields.body }],
      videoMoment: () => ['videoMoment', { title: fields.title, clipUrl: fields.clipUrl, thumbnailUrl: optional('thumbnailUrl'), eventId: optional('eventId') }],
      setClock: () => {
        const [minutes, seconds] = (fields.clock || '20:00').split(':').map(Number);
        return ['setClock', { period: Number(fields.period || state?.match.period || 1), secondsRemaining: minutes * 60 + (seconds || 0), running: false }];
      },
      correctLast: () => ['correctEvent', { eventId: lastEvent?.id, teamId, primaryPersonId: optional('primaryPersonId'), ...(lastEvent?.type === 'goal' ? { assistIds: assists() } : {}) }],
    };
    const [command, data] = commands[form]();
    send(command, data);
  };

  const sortedEvents = useMemo(() => state?.events ?? [], [state]);
  if (!state) return <Box variant="white">Loading the console…</Box>;
  const { match } = state;
  const needsTeam = form && !['commentary', 'videoMoment', 'setClock'].includes(form);

  return (
    <Box variant="grey" data-testid="live-console">
      <Box variant="white" mb="lg" flex justifyContent="space-between" alignItems="center">
        <Box>
          <H3 data-testid="scoreboard">
            <span data-testid="away-name">{match.awayTeam.abbreviation ?? match.awayTeam.name}</span>{' '}
            <span data-testid="away-score">{match.awayScore}</span> – <span data-testid="home-score">{match.homeScore}</span>{' '}
            <span data-testid="home-name">{match.homeTeam.abbreviation ?? match.homeTeam.name}</span>
          </H3>
          <Text>
            Period <span data-testid="period">{match.period ?? '–'}</span> · <span data-testid="clock">{clockText(clock)}</span> {match.clockRunning ? 'running' : 'stopped'}
            {match.inIntermission ? ' · intermission' : ''} · {match.status} · version {match.version}
          </Text>
        </Box>
        <Box>
          <Text data-testid="phones">
            Phones: {stream.status === 'live' ? '● connected' : stream.status}
            {stream.phoneScore ? ` · score on phones ${stream.phoneScore}` : ''}
          </Text>
        </Box>
      </Box>

      {error && <MessageBox mb="lg" variant="danger" message={error} data-testid="console-error" onCloseClick={() => setError(null)} />}

      <Box variant="white" mb="lg">
        <Box flex flexWrap="wrap" mb="md">
          <Button mr="sm" mb="sm" onClick={() => send(match.clockRunning ? 'stopClock' : 'startClock')} disabled={busy} data-testid="clock-toggle">
            {match.clockRunning ? 'Stop clock' : 'Start clock'} (Space)
          </Button>
          <Button mr="sm" mb="sm" onClick={() => send('periodStart')} disabled={busy} data-testid="period-start">
            Period start
          </Button>
          <Button mr="sm" mb="sm" onClick={() => send('periodEnd')} disabled={busy} data-testid="period-end">
            Period end
          </Button>
          {FORMS.map((candidate) => (
            <Button key={candidate.kind} mr="sm" mb="sm" variant={form === candidate.kind ? 'contained' : 'outlined'} onClick={() => open(candidate.kind)} data-testid={`open-${candidate.kind}`}>
              {candidate.label} ({candidate.key.toUpperCase()})
            </Button>
          ))}
          <Button mr="sm" mb="sm" variant="danger" disabled={!lastEvent || busy} onClick={() => lastEvent && send('hideEvent', { eventId: lastEvent.id })} data-testid="hide-last">
            Hide last (H)
          </Button>
        </Box>

        {form && (
          <form ref={formRef} onSubmit={submit} data-testid={`form-${form}`}>
            {needsTeam && (
              <Box mb="md">
                <Button type="button" mr="sm" variant={side === 'away' ? 'contained' : 'outlined'} onClick={() => setSide('away')} data-testid="side-away">
                  1 · {match.awayTeam.name}
                </Button>
                <Button type="button" variant={side === 'home' ? 'contained' : 'outlined'} onClick={() => setSide('home')} data-testid="side-home">
                  2 · {match.homeTeam.name}
                </Button>
              </Box>
            )}
            <Box flex flexWrap="wrap">
              {form === 'goal' && (
                <>
                  <PlayerSelect id="scorerId" label="Scorer" players={roster} value={fields.scorerId ?? ''} onChange={set('scorerId')} />
                  <PlayerSelect id="assist1Id" label="Assist 1" players={roster} value={fields.assist1Id ?? ''} onChange={set('assist1Id')} optional />
                  <PlayerSelect id="assist2Id" label="Assist 2" players={roster} value={fields.assist2Id ?? ''} onChange={set('assist2Id')} optional />
                  <Box mr="lg">
                    <Label htmlFor="strength">Strength</Label>
                    <select id="strength" data-testid="strength" value={fields.strength ?? 'ev'} onChange={(event) => set('strength')(event.target.value)} style={{ padding: 6 }}>
                      <option value="ev">Even</option>
                      <option value="pp">Power play</option>
                      <option value="sh">Short-handed</option>
                    </select>
                  </Box>
                  <Box mr="lg">
                    <Label htmlFor="emptyNet">Empty net</Label>
                    <select id="emptyNet" value={fields.emptyNet ?? 'no'} onChange={(event) => set('emptyNet')(event.target.value)} style={{ padding: 6 }}>
                      <option value="no">No</option>
                      <option value="yes">Yes</option>
                    </select>
                  </Box>
                </>
              )}
              {form === 'penalty' && (
                <>
                  <PlayerSelect id="personId" label="Penalized" players={roster} value={fields.personId ?? ''} onChange={set('personId')} />
                  <Box mr="lg">
                    <Label htmlFor="infraction">Infraction</Label>
                    <Input id="infraction" data-testid="infraction" value={fields.infraction ?? ''} onChange={text('infraction')} placeholder="tripping" />
                  </Box>
                  <Box mr="lg">
                    <Label htmlFor="minutes">Minutes</Label>
                    <Input id="minutes" type="number" value={fields.minutes ?? '2'} onChange={text('minutes')} />
                  </Box>
                  <PlayerSelect id="drawnById" label="Drawn by" players={otherRoster} value={fields.drawnById ?? ''} onChange={set('drawnById')} optional />
                </>
              )}
              {form === 'shot' && <PlayerSelect id="shooterId" label="Shooter" players={roster} value={fields.shooterId ?? ''} onChange={set('shooterId')} optional />}
              {form === 'faceoff' && (
                <>
                  <PlayerSelect id="winnerId" label="Won by" players={roster} value={fields.winnerId ?? ''} onChange={set('winnerId')} optional />
                  <PlayerSelect id="loserId" label="Lost by" players={otherRoster} value={fields.loserId ?? ''} onChange={set('loserId')} optional />
                </>
              )}
              {form === 'injury' && (
                <>
                  <PlayerSelect id="personId" label="Player" players={roster} value={fields.personId ?? ''} onChange={set('personId')} />
                  <Box mr="lg">
                    <Label htmlFor="description">What happened</Label>
                    <Input id="description" value={fields.description ?? ''} onChange={text('description')} />
                  </Box>
                </>
              )}
              {form === 'goalieChange' && (
                <>
                  <PlayerSelect id="goalieInId" label="Goalie in (none: empty net)" players={roster} value={fields.goalieInId ?? ''} onChange={set('goalieInId')} optional />
                  <PlayerSelect id="goalieOutId" label="Goalie out" players={roster} value={fields.goalieOutId ?? ''} onChange={set('goalieOutId')} optional />
                </>
              )}
              {form === 'shootoutAttempt' && (
                <>
                  <PlayerSelect id="shooterId" label="Shooter" players={roster} value={fields.shooterId ?? ''} onChange={set('shooterId')} />
                  <PlayerSelect id="goalieId" label="Goalie" players={otherRoster} value={fields.goalieId ?? ''} onChange={set('goalieId')} optional />
                  <Box mr="lg">
                    <Label htmlFor="scored">Scored</Label>
                    <select id="scored" data-testid="scored" value={fields.scored ?? 'no'} onChange={(event) => set('scored')(event.target.value)} style={{ padding: 6 }}>
                      <option value="no">No</option>
                      <option value="yes">Yes</option>
                    </select>
                  </Box>
                </>
              )}
              {form === 'commentary' && (
                <Box mr="lg" width={1}>
                  <Label htmlFor="body">Commentary line</Label>
                  <Input id="body" data-testid="commentary-body" value={fields.body ?? ''} onChange={text('body')} style={{ width: '100%' }} />
                </Box>
              )}
              {form === 'videoMoment' && (
                <>
                  <Box mr="lg">
                    <Label htmlFor="title">Title</Label>
                    <Input id="title" value={fields.title ?? ''} onChange={text('title')} />
                  </Box>
                  <Box mr="lg">
                    <Label htmlFor="clipUrl">Clip URL (https)</Label>
                    <Input id="clipUrl" value={fields.clipUrl ?? ''} onChange={text('clipUrl')} />
                  </Box>
                  <Box mr="lg">
                    <Label htmlFor="thumbnailUrl">Thumbnail URL</Label>
                    <Input id="thumbnailUrl" value={fields.thumbnailUrl ?? ''} onChange={text('thumbnailUrl')} />
                  </Box>
                  <Box mr="lg">
                    <Label htmlFor="eventId">Event</Label>
                    <select id="eventId" value={fields.eventId ?? ''} onChange={(event) => set('eventId')(event.target.value)} style={{ padding: 6 }}>
                      <option value="">— none —</option>
                      {sortedEvents.map((event) => (
                        <option key={event.id} value={event.id}>
                          P{event.period} {clockText(event.clockSeconds)} {event.summary}
                        </option>
                      ))}
                    </select>
                  </Box>
                </>
              )}
              {form === 'setClock' && (
                <>
                  <Box mr="lg">
                    <Label htmlFor="period-input">Period</Label>
                    <Input id="period-input" type="number" value={fields.period ?? String(match.period ?? 1)} onChange={text('period')} />
                  </Box>
                  <Box mr="lg">
                    <Label htmlFor="clock-input">Time remaining (mm:ss)</Label>
                    <Input id="clock-input" value={fields.clock ?? clockText(clock)} onChange={text('clock')} />
                  </Box>
                </>
              )}
              {form === 'correctLast' && lastEvent && (
                <>
                  <Text mr="lg">
                    Correcting: P{lastEvent.period} {clockText(lastEvent.clockSeconds)} {lastEvent.summary}
                  </Text>
                  <PlayerSelect id="primaryPersonId" label="Player" players={roster} value={fields.primaryPersonId ?? ''} onChange={set('primaryPersonId')} optional />
                  {lastEvent.type === 'goal' && (
                    <>
                      <PlayerSelect id="assist1Id" label="Assist 1" players={roster} value={fields.assist1Id ?? ''} onChange={set('assist1Id')} optional />
                      <PlayerSelect id="assist2Id" label="Assist 2" players={roster} value={fields.assist2Id ?? ''} onChange={set('assist2Id')} optional />
                    </>
                  )}
                </>
              )}
            </Box>
            <Box mt="md">
              <Button type="submit" variant="contained" disabled={busy} data-testid="submit-form">
                Save (Enter)
              </Button>
              <Button type="button" ml="sm" onClick={() => setForm(null)}>
                Cancel (Esc)
              </Button>
            </Box>
          </form>
        )}
      </Box>

      <Box variant="white">
        <H3>Events</H3>
        <table style={{ width: '100%', borderCollapse: 'collapse' }} data-testid="events">
          <tbody>
            {sortedEvents.map((event) => (
              <tr key={event.id} data-testid="event-row" data-event-id={event.id} data-type={event.type} style={{ borderBottom: '1px solid #eee' }}>
                <td style={{ padding: 4, width: 80 }}>
                  P{event.period} {clockText(event.clockSeconds)}
                </td>
                <td style={{ padding: 4 }}>{event.summary}</td>
                <td style={{ padding: 4, width: 80 }}>{event.homeScore !== null ? `${event.awayScore} – ${event.homeScore}` : ''}</td>
                <td style={{ padding: 4, width: 120 }} data-testid="on-air">
                  {stream.seen[event.id] ? '✓ on phones' : initialIds?.has(event.id) ? '' : 'sending…'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {state.commentary.length > 0 && (
          <>
            <H3 mt="lg">Commentary</H3>
            {state.commentary.map((line) => (
              <Text key={line.id} data-testid="commentary-line">
                {line.period ? `P${line.period} ${clockText(line.clockSeconds)} · ` : ''}
                {line.body} {stream.seen[line.id] ? '✓' : ''}
              </Text>
            ))}
          </>
        )}
      </Box>
    </Box>
  );
};

export default LiveConsole;
