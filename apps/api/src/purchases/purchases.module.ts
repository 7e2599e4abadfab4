import { Module } from '@nestjs/common';
import { DevicesModule } from '../devices/devices.module.js';
import { PurchaseRepository } from './purchase.repository.js';
import { PurchasesController } from './purchases.controller.js';
import { PurchasesService } from './purchases.service.js';
import { StoreVerifiers } from './store-verifiers.js';
import { PurchaseThrottleGuard } from './throttle/purchase-throttle.guard.js';
import { PurchaseThrottleModule } from './throttle/purchase-throttle.module.js';

/** Store receipts verified with the App Store and Google Play, and the entitlements they grant. */
@Module({
  imports: [DevicesModule, PurchaseThrottleModule],
  controllers: [PurchasesController],
  providers: [StoreVerifiers, PurchaseRepository, PurchasesService, PurchaseThrottleGuard],
})
export class PurchasesModule {}
