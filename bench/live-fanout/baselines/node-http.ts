/**
 * Baseline (a): a bare node:http broadcaster — the naive ceiling. One
 * JSON.stringify per change into one frame string, then res.write(frame) to
 * every open response, frame by frame; one heartbeat timer for all. No resume
 * (every stream starts live), no backpressure, no type filter.
 */
import { createServer, type ServerResponse } from 'node:http';
import { formatCursor } from '../../../libs/change-feed/src/index.js';
import { env, followFeed, routeLiveRequests } from './feed.js';

const responses = new Set<ServerResponse>();

const server = createServer(
  routeLiveRequests((request, response) => {
    response.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache',
      'X-Accel-Buffering': 'no',
    });
    response.flushHeaders();
    responses.add(response);
    request.on('close', () => responses.delete(response));
  }),
);

await followFeed((batch) => {
  for (const change of batch.changes) {
    const frame = `id: ${formatCursor({ epoch: batch.epoch, position: change.position })}\nevent: ${change.type}\ndata: ${JSON.stringify(change.data)}\n\n`;
    for (const response of responses) response.write(frame);
  }
});
setInterval(() => {
  const ping = `event: ping\ndata: ${Date.now()}\n\n`;
  for (const response of responses) response.write(ping);
}, env.heartbeatMs);
server.listen(env.port, env.host);
