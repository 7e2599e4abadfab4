import { Controller, Get, Headers, Param, ParseUUIDPipe, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { CachedAnswer } from './catalog.service.js';
import { CatalogService } from './catalog.service.js';
import { MatchesQueryDto, OptionalSeasonQueryDto, SeasonQueryDto } from './dto/matches-query.dto.js';

/** Shared caches may keep an answer briefly; clients revalidate with If-None-Match (304 costs one small query). */
const CACHE_CONTROL = 'public, max-age=10, must-revalidate';

/** Whether If-None-Match names this ETag (weak comparison, as RFC 9110 says for If-None-Match). */
function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === '*') return true;
  return ifNoneMatch.split(',').some((candidate) => candidate.trim().replace(/^W\//, '') === etag);
}

@Controller('v1')
export class CatalogController {
  constructor(private readonly catalog: CatalogService) {}

  @Get('tournaments')
  tournaments(@Headers('if-none-match') ifNoneMatch: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.answer(this.catalog.tournaments(), ifNoneMatch, reply);
  }

  @Get('tournaments/:id/seasons')
  seasons(@Param('id', ParseUUIDPipe) id: string, @Headers('if-none-match') ifNoneMatch: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.answer(this.catalog.seasons(id), ifNoneMatch, reply);
  }

  @Get('seasons/:id/stages')
  stages(@Param('id', ParseUUIDPipe) id: string, @Headers('if-none-match') ifNoneMatch: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.answer(this.catalog.stages(id), ifNoneMatch, reply);
  }

  @Get('matches')
  matchList(@Query() query: MatchesQueryDto, @Headers('if-none-match') ifNoneMatch: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.answer(this.catalog.matches(query), ifNoneMatch, reply);
  }

  @Get('matches/:id')
  match(@Param('id', ParseUUIDPipe) id: string, @Headers('if-none-match') ifNoneMatch: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.answer(this.catalog.match(id), ifNoneMatch, reply);
  }

  @Get('standings')
  standings(@Query() query: SeasonQueryDto, @Headers('if-none-match') ifNoneMatch: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.answer(this.catalog.standings(query), ifNoneMatch, reply);
  }

  @Get('teams/:id/roster')
  roster(
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: SeasonQueryDto,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.answer(this.catalog.roster(id, query.seasonId), ifNoneMatch, reply);
  }

  @Get('teams/:id/stats')
  teamStats(
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: OptionalSeasonQueryDto,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.answer(this.catalog.teamStats(id, query.seasonId), ifNoneMatch, reply);
  }

  @Get('players/:id/stats')
  playerStats(
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: OptionalSeasonQueryDto,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.answer(this.catalog.playerStats(id, query.seasonId), ifNoneMatch, reply);
  }

  /** A strong ETag from the answer's version; a match of If-None-Match is 304 without building the body. */
  private async answer<T>(answer: CachedAnswer<T>, ifNoneMatch: string | undefined, reply: FastifyReply): Promise<T | undefined> {
    const etag = `"${await answer.version()}"`;
    reply.header('ETag', etag).header('Cache-Control', CACHE_CONTROL);
    if (matches(ifNoneMatch, etag)) {
      reply.code(304);
      return undefined;
    }
    return answer.body();
  }
}
