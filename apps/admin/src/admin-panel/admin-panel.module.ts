import { Module } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { AdminModule, type AdminModuleOptions } from '@adminjs/nestjs';
import { Database, Resource } from '@adminjs/typeorm';
import AdminJS, { type CurrentAdmin } from 'adminjs';
import { BaseEntity, type DataSource } from 'typeorm';
import { ChangeFeedRepository } from '@app/change-feed';
import { APP_CONFIG, type AppConfig } from '@app/config';
import type { AdminRole } from '@app/db';
import { AuditModule } from '../audit/audit.module.js';
import { isAllowed } from '../auth/admin-role.policy.js';
import { AuthModule } from '../auth/auth.module.js';
import { DashboardModule } from '../dashboard/dashboard.module.js';
import { DashboardRepository } from '../dashboard/dashboard.repository.js';
import { ImageProcessor } from '../media/image-processor.service.js';
import { MatchConsoleModule } from '../match-console/match-console.module.js';
import { MatchConsoleService } from '../match-console/match-console.service.js';
import { MediaModule } from '../media/media.module.js';
import { OpsModule } from '../ops/ops.module.js';
import { Components, componentLoader } from './admin-components.js';
import { FastifyAdminLoader } from './fastify-admin.loader.js';
import { adminResources } from './resources/admin-resources.js';

// Before any AdminJS instance exists (@adminjs/typeorm's requirement).
AdminJS.registerAdapter({ Database, Resource });

export const ADMIN_ROOT_PATH = '/admin';

const REFERENCE_LABELS = {
  matchId: 'Match',
  teamId: 'Team',
  homeTeamId: 'Home',
  awayTeamId: 'Away',
  personId: 'Player',
  primaryPersonId: 'Player',
  secondaryPersonId: 'Opponent / goalie',
  assist1PersonId: 'Assist 1',
  assist2PersonId: 'Assist 2',
  servedByPersonId: 'Served by',
  drawnByPersonId: 'Drawn by',
  seasonId: 'Season',
  stageId: 'Stage',
  tournamentId: 'Tournament',
  arenaId: 'Arena',
  parentId: 'Parent stage',
  eventId: 'Event',
  productId: 'Product',
  deviceId: 'Device',
  purchaseId: 'Purchase',
  adminUserId: 'Editor',
};

/** The CMS: AdminJS over every entity, behind CMS accounts and roles. */
@Module({
  imports: [
    AdminModule.createAdminAsync({
      imports: [AuthModule, AuditModule, DashboardModule, MediaModule, OpsModule, MatchConsoleModule],
      inject: [getDataSourceToken(), APP_CONFIG, DashboardRepository, ImageProcessor, MatchConsoleService],
      customLoader: FastifyAdminLoader,
      useFactory: (
        dataSource: DataSource,
        config: AppConfig,
        dashboard: DashboardRepository,
        images: ImageProcessor,
        console: MatchConsoleService,
      ): AdminModuleOptions => {
        // The TypeORM adapter reaches the database through the entities' static methods.
        BaseEntity.useDataSource(dataSource);
        return {
          adminJsOptions: {
            rootPath: ADMIN_ROOT_PATH,
            loginPath: `${ADMIN_ROOT_PATH}/login`,
            logoutPath: `${ADMIN_ROOT_PATH}/logout`,
            componentLoader,
            resources: adminResources({
              images,
              liveConsole: { console, feed: new ChangeFeedRepository(dataSource), apiPublicUrl: config.API_PUBLIC_URL, apiPort: config.API_PORT },
            }),
            pages: {
              queues: { component: Components.QueuesPage, icon: 'Server' },
            },
            branding: { companyName: 'Faceoff CMS', withMadeWithLove: false, logo: false },
            dashboard: {
              component: Components.Dashboard,
              handler: async (_request, _response, context) => {
                const role = (context.currentAdmin as CurrentAdmin | undefined)?.role as AdminRole | undefined;
                const [live, upcoming, recentEdits] = await Promise.all([
                  dashboard.liveMatches(),
                  dashboard.upcomingMatches(),
                  isAllowed(role, 'audit', 'read') ? dashboard.recentEdits() : Promise.resolve([]),
                ]);
                return { live, upcoming, recentEdits, canRunConsole: isAllowed(role, 'live', 'write') };
              },
            },
            locale: {
              language: 'en',
              translations: {
                en: {
                  messages: {
                    invalidCredentials: 'Wrong email or password. After repeated failures the account is locked for a while.',
                  },
                  // Foreign keys are shown by the referenced record's name: label them by what they are.
                  properties: REFERENCE_LABELS,
                  pages: { queues: 'Queues' },
                },
              },
            },
          },
        };
      },
    }),
  ],
})
export class AdminPanelModule {}
