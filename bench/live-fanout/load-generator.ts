/**
 * A load-generator process (forked by live-fanout.bench.ts): holds its share
 * of the SSE clients on raw sockets, reads their frames cheaply (see
 * live-stream.ts), and answers the orchestrator's questions over IPC. A client
 * whose stream ends reconnects like the project's client library: after a
 * delay uniform in [0, min], doubling per failure, with Last-Event-ID.
 */
import { connect, type Socket } from 'node:net';
import { monotonicMicros } from './clock.js';
import { LatencyHistogram } from './histogram.js';
import { LiveStream, StreamTotals } from './live-stream.js';
import type { GeneratorCommand, GeneratorReply, GeneratorSetup, GeneratorStats, StormCommand } from './messages.js';

class Client {
  socket: Socket | undefined;
  readonly stream: LiveStream;
  /** True from the connect until the socket closes or the head arrives. */
  pending = false;
  open = false;
  /** Reconnect attempts since the last stream that opened. */
  failures = 0;
  /** Set when the orchestrator asked for the disconnect: not a drop. */
  stormStartedAt = 0;

  constructor(
    readonly address: string,
    totals: StreamTotals,
  ) {
    this.stream = new LiveStream(totals);
  }
}

/** Read into by every socket in turn; each read is consumed synchronously before the next. */
const READ_BUFFER = Buffer.allocUnsafe(256 * 1024);
const totals = new StreamTotals();
const clients: Client[] = [];
const connectErrors: Record<string, number> = {};
let setup: GeneratorSetup;
let pending = 0;
let open = 0;
let drops = 0;
let reads = 0;
let refused = 0;
let stopping = false;
let storm: { command: StormCommand; left: number; stormed: number; resumed: number; latency: LatencyHistogram; timer: NodeJS.Timeout } | undefined;

function send(message: GeneratorReply): void {
  process.send?.(message);
}

function request(client: Client): string {
  const resume = client.stream.lastId ? `Last-Event-ID: ${client.stream.lastId}\r\n` : '';
  return `GET ${setup.path} HTTP/1.1\r\nHost: 127.0.0.1:${setup.port}\r\nAccept: text/event-stream\r\nCache-Control: no-cache\r\n${resume}\r\n`;
}

function openStream(client: Client): void {
  if (stopping) return;
  client.stream.restart();
  client.pending = true;
  pending++;
  const socket: Socket = connect({
    host: '127.0.0.1',
    port: setup.port,
    localAddress: client.address,
    // Straight from libuv into one shared buffer: no stream machinery and no Buffer per read,
    // so the clients cost less of the CPU they share with the server.
    onread: { buffer: READ_BUFFER, callback: (bytes: number, buffer: Uint8Array) => onData(client, socket, (buffer as Buffer).subarray(0, bytes)) },
  });
  client.socket = socket;
  socket.on('connect', () => socket.write(request(client)));
  socket.on('error', (error: NodeJS.ErrnoException) => {
    if (client.pending) connectErrors[error.code ?? error.message] = (connectErrors[error.code ?? error.message] ?? 0) + 1;
  });
  socket.on('close', () => onClose(client, socket));
}

function onData(client: Client, socket: Socket, chunk: Buffer): boolean {
  reads++;
  const headless = client.stream.status === 0;
  const keep = client.stream.feed(chunk, monotonicMicros());
  if (headless && client.stream.status !== 0) onHead(client);
  if (!keep) socket.destroy();
  return keep;
}

function onHead(client: Client): void {
  client.pending = false;
  pending--;
  if (client.stream.status !== 200) {
    refused++;
    return;
  }
  client.open = true;
  open++;
  client.failures = 0;
  if (client.stormStartedAt && storm) {
    storm.latency.record(monotonicMicros() - client.stormStartedAt);
    client.stormStartedAt = 0;
    storm.resumed++;
    if (--storm.left === 0) finishStorm();
  }
}

function onClose(client: Client, socket: Socket): void {
  if (client.socket !== socket) return;
  client.socket = undefined;
  if (client.pending) {
    client.pending = false;
    pending--;
  }
  if (client.open) {
    client.open = false;
    open--;
    if (!client.stormStartedAt) drops++;
  }
  if (stopping) return;
  setTimeout(openStream, backoff(client.failures++), client);
}

function backoff(failures: number): number {
  return Math.round(Math.random() * Math.min(setup.backoffMaxMs, setup.backoffMinMs * 2 ** failures));
}

/** Opens the clients at the configured rate, never more than maxPending handshakes at once. */
function connectAll(): void {
  for (let i = 0; i < setup.connections; i++) clients.push(new Client(setup.addresses[i % setup.addresses.length], totals));
  let next = 0;
  let allowance = 0;
  const tickMs = 10;
  const pacer = setInterval(() => {
    allowance = Math.min(allowance + (setup.connectRate * tickMs) / 1000, setup.maxPending);
    while (next < clients.length && allowance >= 1 && pending < setup.maxPending) {
      openStream(clients[next++]);
      allowance--;
    }
    if (next === clients.length) clearInterval(pacer);
  }, tickMs);
}

function stats(expectedEvents: number | undefined): GeneratorStats {
  let missing = 0;
  let clientsMissing = 0;
  let extra = 0;
  if (expectedEvents !== undefined) {
    for (const client of clients) {
      const difference = expectedEvents - client.stream.phaseEvents;
      if (difference > 0) {
        missing += difference;
        clientsMissing++;
      } else extra -= difference;
    }
  }
  return {
    clients: clients.length,
    open,
    reads,
    frames: totals.frames,
    pings: totals.pings,
    bytes: totals.bytes,
    drops,
    refused,
    connectErrors,
    disorder: totals.disorder,
    unstamped: totals.unstamped,
    phaseEvents: totals.events,
    missing,
    clientsMissing,
    extra,
    latency: totals.latency.snapshot(),
  };
}

function startPhase(seqFrom: number, sinceMicros: number): void {
  totals.phaseSeqFrom = seqFrom;
  totals.sinceMicros = sinceMicros;
  totals.events = 0;
  totals.latency.reset();
  for (const client of clients) client.stream.phaseEvents = 0;
}

/** Drops `connections` open streams at once; they come back through the normal reconnect path. */
function startStorm(command: StormCommand): void {
  const chosen = clients.filter((client) => client.open).slice(0, command.connections);
  const startedAt = monotonicMicros();
  storm = {
    command,
    left: chosen.length,
    stormed: chosen.length,
    resumed: 0,
    latency: new LatencyHistogram(),
    timer: setTimeout(finishStorm, command.timeoutMs),
  };
  for (const client of chosen) {
    client.stormStartedAt = startedAt;
    client.socket?.destroy();
  }
  if (chosen.length === 0) finishStorm();
}

function finishStorm(): void {
  if (!storm) return;
  clearTimeout(storm.timer);
  send({ type: 'storm', requestId: storm.command.requestId, stormed: storm.stormed, resumed: storm.resumed, resumeLatency: storm.latency.snapshot() });
  for (const client of clients) client.stormStartedAt = 0;
  storm = undefined;
}

function stop(): void {
  stopping = true;
  for (const client of clients) client.socket?.destroy();
  setTimeout(() => process.exit(0), 100);
}

process.on('message', (command: GeneratorCommand) => {
  switch (command.type) {
    case 'setup':
      setup = command;
      connectAll();
      send({ type: 'ready' });
      break;
    case 'phase':
      startPhase(command.seqFrom, command.sinceMicros);
      break;
    case 'stats':
      send({ type: 'stats', requestId: command.requestId, stats: stats(command.expectedEvents) });
      break;
    case 'storm':
      startStorm(command);
      break;
    case 'stop':
      stop();
      break;
  }
});
// The orchestrator is gone (crashed, killed): so is the load.
process.on('disconnect', () => process.exit(0));
process.on('uncaughtException', (error) => {
  send({ type: 'fatal', message: error.stack ?? String(error) });
  process.exit(1);
});
