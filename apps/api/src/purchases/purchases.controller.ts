import { Body, Controller, Post, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { CurrentDevice } from '../devices/current-device.decorator.js';
import { DeviceAuthGuard } from '../devices/device-auth.guard.js';
import type { DeviceView } from '../devices/dto/device.view.js';
import { SubmitPurchaseDto } from './dto/submit-purchase.dto.js';
import { PurchasesService } from './purchases.service.js';
import { PurchaseThrottleGuard } from './throttle/purchase-throttle.guard.js';

@Controller('v1/purchases')
export class PurchasesController {
  constructor(private readonly purchases: PurchasesService) {}

  /** Verifies a store receipt and grants its entitlement: 201 the first time, 200 with the same answer for the same receipt again. */
  @Post()
  // The device first: its counter needs the authenticated device.
  @UseGuards(DeviceAuthGuard, PurchaseThrottleGuard)
  async submit(@Body() body: SubmitPurchaseDto, @CurrentDevice() device: DeviceView, @Res() reply: FastifyReply): Promise<void> {
    const { created, purchase } = await this.purchases.submit(device.deviceId, body);
    // Nest would set POST's 201 after the handler: the reply is sent here to say 200 for a retry.
    await reply.status(created ? 201 : 200).header('Cache-Control', 'no-store').send(purchase);
  }
}
