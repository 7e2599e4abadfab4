/**
 * Baseline (c): the naive NestJS way — an app on Fastify with an @Sse()
 * handler that returns, per connection, the feed's RxJS Subject filtered and
 * mapped to MessageEvents, merged with its own 15 s interval for pings. Nest
 * serializes every event for every connection. No resume: streams start live.
 */
import { Controller, Get, Injectable, type MessageEvent, Module, Sse } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Subject, filter, interval, map, merge, type Observable } from 'rxjs';
import { type FeedChange, formatCursor } from '../../../libs/change-feed/src/index.js';
import { env, followFeed } from './feed.js';

interface FeedEvent {
  epoch: string;
  change: FeedChange;
}

@Injectable()
class FeedEvents {
  readonly subject = new Subject<FeedEvent>();
}

@Controller()
class LiveController {
  constructor(private readonly feed: FeedEvents) {}

  @Sse('v1/live')
  live(): Observable<MessageEvent> {
    return merge(
      this.feed.subject.pipe(
        filter(() => true), // where a type filter would go
        map(({ epoch, change }) => ({ id: formatCursor({ epoch, position: change.position }), type: change.type, data: change.data })),
      ),
      interval(env.heartbeatMs).pipe(map(() => ({ type: 'ping', data: String(Date.now()) }))),
    );
  }

  @Get('healthz')
  healthz(): string {
    return 'ok';
  }
}

@Module({ controllers: [LiveController], providers: [FeedEvents] })
class LiveModule {}

const app = await NestFactory.create<NestFastifyApplication>(LiveModule, new FastifyAdapter(), { logger: ['error', 'warn'] });
const events = app.get(FeedEvents);
await followFeed((batch) => {
  for (const change of batch.changes) events.subject.next({ epoch: batch.epoch, change });
});
await app.listen({ port: env.port, host: env.host });
