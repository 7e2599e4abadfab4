import { Controller, Get, Header, Param, ParseUUIDPipe, UseGuards } from '@nestjs/common';
import { CurrentDevice } from '../devices/current-device.decorator.js';
import { DeviceAuthGuard } from '../devices/device-auth.guard.js';
import type { DeviceView } from '../devices/dto/device.view.js';
import { type StreamLink, StreamLinkService } from './stream-link.service.js';

@Controller('v1/streams')
export class StreamsController {
  constructor(private readonly links: StreamLinkService) {}

  /** A signed URL of the stream for this device, valid STREAM_LINK_TTL_SECONDS: when the stream is free or the device entitled. */
  @Get(':id/url')
  @UseGuards(DeviceAuthGuard)
  @Header('Cache-Control', 'no-store')
  url(@Param('id', ParseUUIDPipe) id: string, @CurrentDevice() device: DeviceView): Promise<StreamLink> {
    return this.links.link(id, device.deviceId);
  }
}
