import { Module } from '@nestjs/common';
import { ObservabilityModule } from '@app/bootstrap';
import { ConfigModule } from '@app/config';
import { DbModule } from '@app/db';

/** The editors' CMS. Writes go to the synced tables; the triggers make them the change feed. */
@Module({
  imports: [ConfigModule, ObservabilityModule.forRoot('admin'), DbModule.forRoot('admin')],
})
export class AdminModule {}
