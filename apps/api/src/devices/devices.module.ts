import { Module } from '@nestjs/common';
import { DeviceRepository } from './device.repository.js';
import { DeviceAuthGuard } from './device-auth.guard.js';
import { DevicesController } from './devices.controller.js';
import { DevicesService } from './devices.service.js';

/**
 * Device registration, `Authorization: Device` and subscriptions. Other
 * modules import it for DeviceAuthGuard (and @CurrentDevice()).
 */
@Module({
  controllers: [DevicesController],
  providers: [DeviceRepository, DeviceAuthGuard, DevicesService],
  exports: [DeviceRepository, DeviceAuthGuard],
})
export class DevicesModule {}
