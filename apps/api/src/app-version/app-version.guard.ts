import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainException } from '@app/bootstrap';
import type { DeviceRequest } from '../devices/device-auth.guard.js';
import { DeviceAuthenticator } from '../devices/device-authenticator.js';
import { parseDeviceAuthorization } from '../devices/device-key.js';
import { AppVersionPolicy } from './app-version.policy.js';
import { UPDATES_APP_VERSION } from './updates-app-version.decorator.js';

export const APP_VERSION_HEADER = 'x-app-version';
export const APP_PLATFORM_HEADER = 'x-app-platform';

/**
 * Turns away apps older than their platform's minimum (set in the CMS) with
 * 426 and the store link, on every mobile route (/v1/...), /v1/sync and
 * /v1/live included: the guard runs before the live handler takes the socket.
 * The app's version is the one its headers state or, without them, the one its
 * device registered (when the request carries `Authorization: Device`).
 * Requests with neither pass (browsers, tools); an unreadable version is too old.
 */
@Injectable()
export class AppVersionGuard implements CanActivate {
  constructor(
    private readonly policy: AppVersionPolicy,
    private readonly authenticator: DeviceAuthenticator,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<DeviceRequest>();
    if (!request.url.startsWith('/v1/')) return true;
    const platform = header(request, APP_PLATFORM_HEADER);
    const appVersion = header(request, APP_VERSION_HEADER);
    if (platform && appVersion) {
      await this.policy.assertSupported(platform, appVersion);
      return true;
    }
    if (!parseDeviceAuthorization(request.headers.authorization) || this.reflector.get<boolean>(UPDATES_APP_VERSION, context.getHandler())) return true;
    let device;
    try {
      device = request.device = await this.authenticator.authenticate(request.headers.authorization);
    } catch (error) {
      // Bad credentials are the route's business: it refuses them (with this very error) if it needs a device, ignores them if not.
      if (!(error instanceof DomainException)) throw error;
      request.deviceAuthFailure = error;
      return true;
    }
    if (device.appVersion) await this.policy.assertSupported(device.platform, device.appVersion);
    return true;
  }
}

function header(request: DeviceRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
