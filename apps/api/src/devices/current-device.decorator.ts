import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { DeviceRequest } from './device-auth.guard.js';
import { DeviceAuthRequiredException } from './devices.exceptions.js';
import type { DeviceView } from './dto/device.view.js';

/** The device DeviceAuthGuard authenticated; a route without the guard gets a 401, never someone else's device. */
export const CurrentDevice = createParamDecorator((_: unknown, context: ExecutionContext): DeviceView => {
  const device = context.switchToHttp().getRequest<DeviceRequest>().device;
  if (!device) throw new DeviceAuthRequiredException();
  return device;
});
