import { Module } from '@nestjs/common';
import { ObservabilityModule } from '@app/bootstrap';
import { ConfigModule } from '@app/config';
import { DbModule } from '@app/db';
import { AdminPanelModule } from './admin-panel/admin-panel.module.js';
import { MediaModule } from './media/media.module.js';

/** The editors' CMS. Writes go to the synced tables; the triggers make them the change feed. */
@Module({
  imports: [ConfigModule, ObservabilityModule.forRoot('admin'), DbModule.forRoot('admin'), MediaModule, AdminPanelModule],
})
export class AdminModule {}
