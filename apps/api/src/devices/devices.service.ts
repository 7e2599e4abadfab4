import { Injectable } from '@nestjs/common';
import { NOTIFICATION_KINDS } from '@app/db';
import { DeviceRepository } from './device.repository.js';
import { generateDeviceKey, hashDeviceKey } from './device-key.js';
import { DuplicateSubscriptionTargetException, SubscriptionTargetNotFoundException } from './devices.exceptions.js';
import type { DeviceView, RegisteredDevice, SubscriptionList } from './dto/device.view.js';
import { canonicalLocale, canonicalTimeZone } from './dto/device-field.validators.js';
import type { RegisterDeviceDto } from './dto/register-device.dto.js';
import type { ReplaceSubscriptionsDto } from './dto/replace-subscriptions.dto.js';
import type { UpdateDeviceDto } from './dto/update-device.dto.js';

@Injectable()
export class DevicesService {
  constructor(private readonly devices: DeviceRepository) {}

  /** A new installation: its key is returned here and never again. */
  async register(dto: RegisterDeviceDto): Promise<RegisteredDevice> {
    const deviceKey = generateDeviceKey();
    const deviceId = await this.devices.insert({
      platform: dto.platform,
      pushToken: dto.pushToken ?? null,
      // Validated already: the canonical forms exist.
      locale: canonicalLocale(dto.locale)!,
      timeZone: canonicalTimeZone(dto.timeZone)!,
      appVersion: dto.appVersion,
      keyHash: hashDeviceKey(deviceKey),
    });
    return { deviceId, deviceKey };
  }

  async update(deviceId: string, dto: UpdateDeviceDto): Promise<DeviceView> {
    await this.devices.update(deviceId, {
      pushToken: dto.pushToken,
      locale: dto.locale === undefined ? undefined : canonicalLocale(dto.locale)!,
      timeZone: dto.timeZone === undefined ? undefined : canonicalTimeZone(dto.timeZone)!,
      appVersion: dto.appVersion,
    });
    return (await this.devices.find(deviceId))!;
  }

  async subscriptions(deviceId: string): Promise<SubscriptionList> {
    return { subscriptions: await this.devices.listSubscriptions(deviceId) };
  }

  async replaceSubscriptions(deviceId: string, dto: ReplaceSubscriptionsDto): Promise<SubscriptionList> {
    const seen = new Set<string>();
    const duplicates = dto.subscriptions.filter(({ targetKind, targetId }) => {
      const key = `${targetKind}:${targetId.toLowerCase()}`;
      return seen.has(key) || !seen.add(key);
    });
    if (duplicates.length) throw new DuplicateSubscriptionTargetException(duplicates.map(({ targetKind, targetId }) => ({ targetKind, targetId })));
    const { unavailable, subscriptions } = await this.devices.replaceSubscriptions(
      deviceId,
      dto.subscriptions.map(({ targetKind, targetId, kinds }) => ({
        targetKind,
        targetId: targetId.toLowerCase(),
        // In a fixed order, so an unchanged list is recognised as unchanged.
        kinds: NOTIFICATION_KINDS.filter((kind) => !kinds || kinds.includes(kind)),
      })),
    );
    if (unavailable.length) throw new SubscriptionTargetNotFoundException(unavailable);
    return { subscriptions };
  }
}
