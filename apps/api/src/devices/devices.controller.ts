import { Body, Controller, Get, Header, HttpCode, HttpStatus, Patch, Post, Put, UseGuards } from '@nestjs/common';
import { UpdatesAppVersion } from '../app-version/updates-app-version.decorator.js';
import { CurrentDevice } from './current-device.decorator.js';
import { DeviceAuthGuard } from './device-auth.guard.js';
import { DevicesService } from './devices.service.js';
import type { DeviceView, RegisteredDevice, SubscriptionList } from './dto/device.view.js';
import { RegisterDeviceDto } from './dto/register-device.dto.js';
import { ReplaceSubscriptionsDto } from './dto/replace-subscriptions.dto.js';
import { UpdateDeviceDto } from './dto/update-device.dto.js';

/** Device identity. Routes under /me act on the authenticated device only: no device id is ever taken from the path. */
@Controller('v1/devices')
export class DevicesController {
  constructor(private readonly devices: DevicesService) {}

  @Post()
  @HttpCode(HttpStatus.CREATED)
  @Header('Cache-Control', 'no-store')
  register(@Body() body: RegisterDeviceDto): Promise<RegisteredDevice> {
    return this.devices.register(body);
  }

  @Get('me')
  @UseGuards(DeviceAuthGuard)
  @Header('Cache-Control', 'no-store')
  me(@CurrentDevice() device: DeviceView): DeviceView {
    return device;
  }

  @Patch('me')
  @UpdatesAppVersion()
  @UseGuards(DeviceAuthGuard)
  @Header('Cache-Control', 'no-store')
  update(@CurrentDevice() device: DeviceView, @Body() body: UpdateDeviceDto): Promise<DeviceView> {
    return this.devices.update(device.deviceId, body);
  }

  @Get('me/subscriptions')
  @UseGuards(DeviceAuthGuard)
  @Header('Cache-Control', 'no-store')
  subscriptions(@CurrentDevice() device: DeviceView): Promise<SubscriptionList> {
    return this.devices.subscriptions(device.deviceId);
  }

  @Put('me/subscriptions')
  @UseGuards(DeviceAuthGuard)
  @Header('Cache-Control', 'no-store')
  replaceSubscriptions(@CurrentDevice() device: DeviceView, @Body() body: ReplaceSubscriptionsDto): Promise<SubscriptionList> {
    return this.devices.replaceSubscriptions(device.deviceId, body);
  }
}
