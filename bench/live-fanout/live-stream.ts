import { LatencyHistogram } from './histogram.js';

/** Counters shared by every stream of one generator. */
export class StreamTotals {
  frames = 0;
  pings = 0;
  bytes = 0;
  disorder = 0;
  unstamped = 0;
  /** Events of the current phase, over all streams. */
  events = 0;
  phaseSeqFrom = Number.POSITIVE_INFINITY;
  sinceMicros = 0;
  readonly latency = new LatencyHistogram();
}

const FRAME_END = Buffer.from('\n\n');
const STAMP = Buffer.from('"bench_sent":');
const SEQUENCE = Buffer.from('"bench_seq":');
// `matches` has no jsonb column: the writer stamps its clock_updated_at instead.
const MATCH_STAMP = Buffer.from('"clock_updated_at":"');
const NEWLINE = 10;
const MAX_HEAD = 16 * 1024;
/** Payload of one read once chunked encoding is stripped; consumed before the next read. */
const DECHUNKED = Buffer.allocUnsafe(1024 * 1024);

const enum FrameType {
  Other,
  Ping,
  Match,
  MatchEvent,
}

/**
 * One SSE response read off a raw socket, as cheaply as the job allows —
 * the load generators share the machine's two cores with the server, so
 * every µs they spend is taken from it. The bytes are scanned where libuv put
 * them with native Buffer searches: frames split at blank lines, of each only
 * the `id` (its position, parsed from the bytes), the `event` type and the
 * stamp inside `data` are looked at — no string per read, no JSON.parse.
 * Chunked transfer encoding (node:http, Fastify) is undone when present.
 * Works for every variant's framing: `id:` before or after `event:`, with or
 * without the space, comments as keep-alives.
 */
export class LiveStream {
  /** HTTP status once the response head is in; 0 before. */
  status = 0;
  lastPosition = 0;
  phaseEvents = 0;
  /** The cursor's epoch, taken from the first frame (a new epoch closes every stream). */
  private epoch = '';
  private head = '';
  private chunked = false;
  private chunkLeft = 0;
  private crlfLeft = 0;
  private sizeValue = 0;
  private sizeEnded = false;
  /** An incomplete frame carried over to the next read (rare: the servers write whole frames). */
  private rest: Buffer | undefined;

  constructor(private readonly totals: StreamTotals) {}

  /** The last id received, sent as Last-Event-ID on reconnect. */
  get lastId(): string {
    return this.epoch ? `${this.epoch}-${this.lastPosition}` : '';
  }

  /** A new response on a new socket; what the client has seen stays. */
  restart(): void {
    this.status = 0;
    this.head = '';
    this.chunked = false;
    this.chunkLeft = 0;
    this.crlfLeft = 0;
    this.sizeValue = 0;
    this.sizeEnded = false;
    this.rest = undefined;
  }

  /** `chunk` may be a view on a shared buffer: nothing of it is kept. Returns false when the response is not worth reading on. */
  feed(chunk: Buffer, now: number): boolean {
    this.totals.bytes += chunk.length;
    let data = chunk;
    if (this.status === 0) {
      // Once per stream: the response head, as text.
      this.head += chunk.toString('latin1');
      const end = this.head.indexOf('\r\n\r\n');
      if (end < 0) return this.head.length < MAX_HEAD;
      const head = this.head.slice(0, end);
      this.status = Number(head.slice(9, 12)) || 999;
      this.chunked = /\r\ntransfer-encoding:[ \t]*chunked/i.test(head);
      data = chunk.subarray(chunk.length - (this.head.length - end - 4));
      this.head = '';
      if (this.status !== 200) return false;
    }
    if (this.chunked) data = this.dechunk(data);
    if (this.rest) {
      data = Buffer.concat([this.rest, data]);
      this.rest = undefined;
    }
    if (data.length) this.scan(data, now);
    return true;
  }

  /** Strips chunked transfer encoding into DECHUNKED; state carries over between reads. */
  private dechunk(data: Buffer): Buffer {
    let out = 0;
    let pos = 0;
    while (pos < data.length) {
      if (this.chunkLeft > 0) {
        const take = Math.min(this.chunkLeft, data.length - pos);
        data.copy(DECHUNKED, out, pos, pos + take);
        out += take;
        pos += take;
        this.chunkLeft -= take;
        if (this.chunkLeft === 0) this.crlfLeft = 2;
      } else if (this.crlfLeft > 0) {
        const skip = Math.min(this.crlfLeft, data.length - pos);
        pos += skip;
        this.crlfLeft -= skip;
      } else {
        // The chunk-size line: hex digits, maybe `;extensions`, CRLF.
        const byte = data[pos++];
        if (byte === NEWLINE) {
          if (this.sizeValue === 0) break; // the last chunk: the server ended the body
          this.chunkLeft = this.sizeValue;
          this.sizeValue = 0;
          this.sizeEnded = false;
        } else if (!this.sizeEnded) {
          const digit = hexValue(byte);
          if (digit < 0) this.sizeEnded = true;
          else this.sizeValue = this.sizeValue * 16 + digit;
        }
      }
    }
    return DECHUNKED.subarray(0, out);
  }

  private scan(data: Buffer, now: number): void {
    let start = 0;
    for (;;) {
      const end = data.indexOf(FRAME_END, start);
      if (end < 0) break;
      if (end > start) this.frame(data, start, end, now);
      start = end + 2;
    }
    // Copied: `data` may be the shared read buffer.
    if (start < data.length) this.rest = Buffer.from(data.subarray(start));
  }

  private frame(data: Buffer, start: number, end: number, now: number): void {
    let idStart = -1;
    let idEnd = -1;
    let type = FrameType.Other;
    let dataAt = -1;
    let dataEnd = end;
    for (let line = start; line < end; ) {
      let lineEnd = data.indexOf(NEWLINE, line);
      if (lineEnd < 0 || lineEnd > end) lineEnd = end;
      const first = data[line];
      if (first === 0x69 && data[line + 1] === 0x64 && data[line + 2] === 0x3a) {
        idStart = data[line + 3] === 0x20 ? line + 4 : line + 3;
        idEnd = lineEnd;
      } else if (first === 0x65 && startsWith(data, line, 'event:')) {
        type = frameType(data, data[line + 6] === 0x20 ? line + 7 : line + 6, lineEnd);
      } else if (first === 0x64 && startsWith(data, line, 'data:')) {
        dataAt = line + 5;
        dataEnd = lineEnd;
      }
      line = lineEnd + 1;
    }
    const totals = this.totals;
    // Nest numbers events that have no id, pings included (`id: 1`, `id: 2`...): a ping is a ping whatever its id.
    if (idStart < 0 || type === FrameType.Ping) {
      // `event: ping`, a keep-alive comment, better-sse's `retry:`.
      totals.pings++;
      return;
    }
    totals.frames++;
    const dash = data.lastIndexOf(0x2d, idEnd - 1);
    if (!this.epoch && dash > idStart) this.epoch = data.toString('latin1', idStart, dash);
    const position = integerAt(data, dash + 1, idEnd);
    if (position > this.lastPosition) this.lastPosition = position;
    else totals.disorder++;
    if (dataAt < 0) {
      totals.unstamped++;
      return;
    }
    const sent = type === FrameType.Match ? isoStampAfter(data, dataAt, dataEnd) : integerAfter(data, STAMP, dataAt, dataEnd);
    if (sent < 0) totals.unstamped++;
    else if (sent >= totals.sinceMicros) totals.latency.record(now - sent);
    if (type === FrameType.MatchEvent && integerAfter(data, SEQUENCE, dataAt, dataEnd) >= totals.phaseSeqFrom) {
      this.phaseEvents++;
      totals.events++;
    }
  }
}

function startsWith(data: Buffer, at: number, text: string): boolean {
  for (let i = 0; i < text.length; i++) if (data[at + i] !== text.charCodeAt(i)) return false;
  return true;
}

function frameType(data: Buffer, from: number, to: number): FrameType {
  const length = to - from;
  if (length === 4 && startsWith(data, from, 'ping')) return FrameType.Ping;
  if (length === 5 && startsWith(data, from, 'match')) return FrameType.Match;
  if (length === 11 && startsWith(data, from, 'match_event')) return FrameType.MatchEvent;
  return FrameType.Other;
}

function hexValue(byte: number): number {
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  if (byte >= 0x61 && byte <= 0x66) return byte - 0x57;
  if (byte >= 0x41 && byte <= 0x46) return byte - 0x37;
  return -1;
}

/** The non-negative decimal integer starting at `from` (digits up to `to`), or -1. */
function integerAt(data: Buffer, from: number, to: number): number {
  let value = 0;
  let digits = 0;
  for (let i = from; i < to; i++) {
    const digit = data[i] - 0x30;
    if (digit < 0 || digit > 9) break;
    value = value * 10 + digit;
    digits++;
  }
  return digits ? value : -1;
}

function integerAfter(data: Buffer, key: Buffer, from: number, to: number): number {
  const at = data.indexOf(key, from);
  return at < 0 || at >= to ? -1 : integerAt(data, at + key.length, to);
}

/**
 * PostgreSQL's rendering of a timestamptz in jsonb — `1970-01-13T01:02:03.4567+00:00` —
 * as µs since the epoch, parsed from the bytes; -1 if it is not there.
 */
function isoStampAfter(data: Buffer, from: number, to: number): number {
  const at = data.indexOf(MATCH_STAMP, from);
  if (at < 0 || at >= to) return -1;
  const s = at + MATCH_STAMP.length;
  const field = (offset: number, length: number) => integerAt(data, s + offset, s + offset + length);
  const days = daysFromCivil(field(0, 4), field(5, 2), field(8, 2));
  let micros = (((days * 24 + field(11, 2)) * 60 + field(14, 2)) * 60 + field(17, 2)) * 1e6;
  let i = s + 19;
  if (data[i] === 0x2e) {
    let scale = 1e5;
    for (i++; data[i] >= 0x30 && data[i] <= 0x39; i++, scale /= 10) micros += (data[i] - 0x30) * scale;
  }
  if (data[i] === 0x2b || data[i] === 0x2d) {
    const offset = (integerAt(data, i + 1, i + 3) * 60 + Math.max(0, integerAt(data, i + 4, i + 6))) * 60e6;
    micros += data[i] === 0x2b ? -offset : offset;
  }
  return Math.round(micros);
}

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}
