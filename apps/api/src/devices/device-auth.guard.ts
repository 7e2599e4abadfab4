import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { DeviceAuthenticator } from './device-authenticator.js';
import type { DeviceView } from './dto/device.view.js';

export type DeviceRequest = FastifyRequest & {
  device?: DeviceView;
  /** Set by the app-version guard when it tried these credentials and they failed: not looked up twice. */
  deviceAuthFailure?: Error;
};

/**
 * Requires `Authorization: Device <deviceId>:<deviceKey>` and puts the device
 * on the request (read it with @CurrentDevice()). Import DevicesModule to use
 * it elsewhere. The app-version guard may have authenticated the device
 * already (to check its registered version), or failed to: neither is done twice.
 */
@Injectable()
export class DeviceAuthGuard implements CanActivate {
  constructor(private readonly authenticator: DeviceAuthenticator) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<DeviceRequest>();
    if (request.deviceAuthFailure) throw request.deviceAuthFailure;
    request.device ??= await this.authenticator.authenticate(request.headers.authorization);
    return true;
  }
}
