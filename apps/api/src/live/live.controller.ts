import { Controller, Get, Headers, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ResumePointService } from '../feed/resume-point.service.js';
import { LiveQueryDto } from './dto/live-query.dto.js';
import { LiveFanout } from './live-fanout.service.js';

@Controller('v1/live')
export class LiveController {
  constructor(
    private readonly resumePoints: ResumePointService,
    private readonly fanout: LiveFanout,
  ) {}

  /**
   * The live stream (docs/sync-protocol.md §2). Bad input is answered here
   * with JSON; an accepted request's socket is handed to the fanout, outside
   * Nest's and Fastify's per-request machinery.
   */
  @Get()
  async stream(
    @Query() query: LiveQueryDto,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const resume = await this.resumePoints.resolve(lastEventId || query.since, query.types);
    this.fanout.admit(request.ip);
    reply.hijack();
    await this.fanout.open(request.raw.socket, request.ip, resume);
  }
}
