import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AppVersionGuard } from './app-version.guard.js';
import { MinimumAppVersionRepository } from './minimum-app-version.repository.js';

/** 426 Upgrade Required for apps older than their platform's minimum, on every mobile route. */
@Module({
  providers: [MinimumAppVersionRepository, { provide: APP_GUARD, useClass: AppVersionGuard }],
})
export class AppVersionModule {}
