import { formatCursor, type FeedChange } from '@app/change-feed';

/**
 * The bytes of a stream, written straight to the socket after the request is
 * hijacked. The body is delimited by the connection's close (HTTP/1.1 allows
 * it without Content-Length or chunking), so every frame is the same shared
 * Buffer for every connection — no per-connection framing.
 */
export const STREAM_HEAD = Buffer.from(
  [
    'HTTP/1.1 200 OK',
    'Content-Type: text/event-stream; charset=utf-8',
    'Cache-Control: no-cache',
    'X-Accel-Buffering: no',
    'Access-Control-Allow-Origin: *',
    'Connection: close',
    '',
    '',
  ].join('\r\n'),
);

/** One change as an SSE frame; JSON.stringify never emits a raw newline, so `data` is one line. */
export function changeFrame(epoch: string, change: FeedChange): Buffer {
  return Buffer.from(`id: ${formatCursor({ epoch, position: change.position })}\nevent: ${change.type}\ndata: ${JSON.stringify(change.data)}\n\n`);
}

export function pingFrame(now: number): Buffer {
  return Buffer.from(`event: ping\ndata: ${now}\n\n`);
}

export const SHUTDOWN_FRAME = Buffer.from('event: shutdown\ndata: {}\n\n');
