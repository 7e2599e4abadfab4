import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { type StreamKey, signStreamUrl } from '@app/stream-links';
import { StreamNotEntitledException, StreamNotFoundException } from './streams.exceptions.js';
import { StreamRepository } from './stream.repository.js';

export interface StreamLink {
  url: string;
  expiresAt: string;
}

/** Short-lived stream URLs, signed for one device (libs/stream-links; the CDN checks them with verifyStreamUrl). */
@Injectable()
export class StreamLinkService {
  private readonly logger = new Logger(StreamLinkService.name);
  private readonly key: StreamKey;

  constructor(
    private readonly streams: StreamRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.key = this.signingKey();
  }

  async link(streamId: string, deviceId: string): Promise<StreamLink> {
    const access = await this.streams.access(streamId, deviceId);
    if (!access) throw new StreamNotFoundException(streamId);
    if (access.requiresEntitlement && !access.entitled) throw new StreamNotEntitledException(streamId);
    const target = new URL(access.url);
    const expiresAt = new Date(Date.now() + this.config.STREAM_LINK_TTL_SECONDS * 1000);
    const url = signStreamUrl({ baseUrl: target.origin, path: target.pathname, deviceId, expiresAt, key: this.key });
    return { url, expiresAt: expiresAt.toISOString() };
  }

  private signingKey(): StreamKey {
    const [first] = (this.config.STREAM_SIGNING_KEYS ?? '').split(',').filter(Boolean);
    if (first) {
      const at = first.indexOf(':');
      return { id: first.slice(0, at), secret: first.slice(at + 1) };
    }
    if (this.config.NODE_ENV === 'production') throw new Error('STREAM_SIGNING_KEYS is required when NODE_ENV=production');
    this.logger.warn('STREAM_SIGNING_KEYS is not set: signing stream links with a random key (the CDN cannot check them)');
    return { id: 'dev', secret: randomBytes(32).toString('hex') };
  }
}
