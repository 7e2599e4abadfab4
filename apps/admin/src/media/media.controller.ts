import { Controller, Get, Param, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ImageStorage } from './image-storage.js';
import { MediaNotFoundException } from './media.exceptions.js';

@Controller('media')
export class MediaController {
  constructor(private readonly storage: ImageStorage) {}

  /**
   * A stored variant. Keys are content-addressed, so what is served under one
   * never changes: caches keep it for a year without asking again (hence no ETag).
   */
  @Get('*')
  async variant(@Param('*') key: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<Buffer> {
    const image = await this.storage.get(key);
    if (!image) throw new MediaNotFoundException(key);
    // Set here, not with @Header, which Nest applies before the handler runs: a 404 must not be cached for a year.
    void reply.type(image.contentType).headers({ 'Cache-Control': 'public, max-age=31536000, immutable', 'X-Content-Type-Options': 'nosniff' });
    return image.data;
  }
}
