import { Module } from '@nestjs/common';
import { DevicesModule } from '../devices/devices.module.js';
import { StreamLinkService } from './stream-link.service.js';
import { StreamRepository } from './stream.repository.js';
import { StreamsController } from './streams.controller.js';

/** Signed, short-lived stream links for entitled devices. */
@Module({ imports: [DevicesModule], controllers: [StreamsController], providers: [StreamRepository, StreamLinkService] })
export class StreamsModule {}
