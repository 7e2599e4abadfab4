import { request, type IncomingHttpHeaders } from 'node:http';
import { createParser, type EventSourceMessage } from 'eventsource-parser';

/**
 * A plain test reader of /v1/live: the raw HTTP exchange (status, headers),
 * every frame in order, and a mirror of the records. For protocol checks;
 * the client library and the `eventsource` package are exercised elsewhere.
 */
export interface SseStream {
  status: number;
  headers: IncomingHttpHeaders;
  /** The JSON error body when status is not 200. */
  error?: { error: { code: string; message: string } };
  frames: EventSourceMessage[];
  /** Frames with an id, in arrival order. */
  changes: EventSourceMessage[];
  mirror: Map<string, Record<string, unknown>>;
  lastId: string | undefined;
  closed: boolean;
  close(): void;
  /** Resolves when `predicate` holds (checked on every frame and on close). */
  until(predicate: (stream: SseStream) => boolean, timeoutMs?: number): Promise<void>;
}

export function openStream(url: string, headers: Record<string, string> = {}): Promise<SseStream> {
  return new Promise((resolve, reject) => {
    const waiters = new Set<() => void>();
    const notify = () => waiters.forEach((check) => check());
    const req = request(url, { headers: { Accept: 'text/event-stream', ...headers } }, (res) => {
      const stream: SseStream = {
        status: res.statusCode ?? 0,
        headers: res.headers,
        frames: [],
        changes: [],
        mirror: new Map(),
        lastId: headers['Last-Event-ID'],
        closed: false,
        close: () => req.destroy(),
        until(predicate, timeoutMs = 20_000) {
          return new Promise<void>((done, fail) => {
            const timer = setTimeout(() => {
              waiters.delete(check);
              fail(new Error(`stream condition not met in ${timeoutMs} ms (${stream.changes.length} changes, closed: ${stream.closed})`));
            }, timeoutMs);
            const check = () => {
              if (!predicate(stream)) return;
              clearTimeout(timer);
              waiters.delete(check);
              done();
            };
            waiters.add(check);
            check();
          });
        },
      };
      if (stream.status !== 200) {
        let body = '';
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => {
          stream.error = JSON.parse(body);
          stream.closed = true;
          resolve(stream);
        });
        return;
      }
      const parser = createParser({
        onEvent(message) {
          stream.frames.push(message);
          if (message.id) {
            stream.changes.push(message);
            stream.lastId = message.id;
            const data = JSON.parse(message.data) as Record<string, unknown>;
            stream.mirror.set(`${message.event}:${data.id}`, data);
          }
          notify();
        },
      });
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => parser.feed(chunk));
      res.on('close', () => {
        stream.closed = true;
        notify();
      });
      res.on('error', () => undefined);
      resolve(stream);
    });
    req.on('error', (error) => reject(error));
    req.end();
  });
}
