/**
 * Baseline (b): what a Node developer would pick — better-sse, one Channel,
 * a Session per connection (createSession(req, res) on node:http), each
 * change broadcast with its cursor as the event id. better-sse serializes the
 * data for every session, and keeps one keep-alive timer per session (set to
 * the same heartbeat as the others). No resume: sessions start live.
 */
import { createServer } from 'node:http';
import { createChannel, createSession } from 'better-sse';
import { formatCursor } from '../../../libs/change-feed/src/index.js';
import { env, followFeed, routeLiveRequests } from './feed.js';

const channel = createChannel();

const server = createServer(
  routeLiveRequests((request, response) => {
    createSession(request, response, { keepAlive: env.heartbeatMs }).then(
      (session) => channel.register(session),
      () => response.destroy(),
    );
  }),
);

await followFeed((batch) => {
  for (const change of batch.changes) {
    channel.broadcast(change.data, change.type, { eventId: formatCursor({ epoch: batch.epoch, position: change.position }) });
  }
});
server.listen(env.port, env.host);
