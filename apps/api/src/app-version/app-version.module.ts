import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { DevicesModule } from '../devices/devices.module.js';
import { AppVersionGuard } from './app-version.guard.js';
import { AppVersionPolicy } from './app-version.policy.js';
import { MinimumAppVersionRepository } from './minimum-app-version.repository.js';

/** 426 Upgrade Required for apps older than their platform's minimum, on every mobile route. */
@Module({
  imports: [DevicesModule],
  providers: [MinimumAppVersionRepository, AppVersionPolicy, { provide: APP_GUARD, useClass: AppVersionGuard }],
})
export class AppVersionModule {}
