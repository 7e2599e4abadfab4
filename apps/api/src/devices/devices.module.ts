import { Module } from '@nestjs/common';
import { DeviceRepository } from './device.repository.js';
import { DeviceAuthGuard } from './device-auth.guard.js';
import { DeviceAuthenticator } from './device-authenticator.js';
import { DevicesController } from './devices.controller.js';
import { DevicesService } from './devices.service.js';

/**
 * Device registration, `Authorization: Device` and subscriptions. Other
 * modules import it for DeviceAuthGuard (and @CurrentDevice()).
 */
@Module({
  controllers: [DevicesController],
  providers: [DeviceRepository, DeviceAuthenticator, DeviceAuthGuard, DevicesService],
  exports: [DeviceRepository, DeviceAuthenticator, DeviceAuthGuard],
})
export class DevicesModule {}
