import { BullModule } from '@nestjs/bull';
import { DynamicModule, Logger, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE, DiscoveryModule } from '@nestjs/core';
import { ServeStaticModule } from '@nestjs/serve-static';
import { ConfigModule, SeratConfig } from '@serat/config';
import { DatabaseModule, DatabaseProbe } from '@serat/database';
import {
  AreasModule,
  AuditModule,
  AuthModule,
  ChangesModule,
  EvidenceModule,
  ExportsModule,
  ImportsModule,
  InventoryModule,
  NetworkModule,
  PhasesModule,
  MilestonesModule,
  ReportsModule,
  MonitorsModule,
  ProgressModule,
  RollupsModule,
  SitesModule,
  TilesModule,
  UsersModule,
} from '@serat/domain';
import { importsQueue, maintenanceQueue, queueOptions } from '@serat/jobs';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import { ZodValidationPipe } from 'nestjs-zod';
import { LoggerModule } from 'nestjs-pino';
import { AccessGuard } from './auth/access.guard';
import { AuthController } from './auth/auth.controller';
import { FirstAdmin } from './auth/first-admin';
import { AuditController } from './audit/audit.controller';
import { ChangeFeed } from './events/change-feed';
import { EventsController } from './events/events.controller';
import { HealthController } from './health/health.controller';
import { RedisProbe } from './health/redis-probe';
import { ErrorFilter } from './http/error.filter';
import { ImportsController } from './jobs/imports.controller';
import { ImportsQueue } from './jobs/imports-queue';
import { MaintenanceQueue } from './jobs/maintenance-queue';
import { MaintenanceController } from './jobs/maintenance.controller';
import { AreasController } from './map/areas.controller';
import { MetaController } from './map/meta.controller';
import { NetworkEditController } from './map/network-edit.controller';
import { PhotosController } from './map/photos.controller';
import { ExportsController } from './map/exports.controller';
import { FiguresController } from './map/figures.controller';
import { InventoryController } from './map/inventory.controller';
import { NetworkStatusController } from './map/network-status.controller';
import { NetworkController } from './map/network.controller';
import { PhasesController } from './map/phases.controller';
import { TilesController } from './map/tiles.controller';
import { EvidencePacksController } from './progress/evidence-packs.controller';
import { MonitorsController } from './monitoring/monitors.controller';
import { MilestonesController } from './progress/milestones.controller';
import { ProgressController } from './progress/progress.controller';
import { ReportsController } from './progress/reports.controller';
import { UsersController } from './users/users.controller';

/** The HTTP application: REST under /api, the built web app at /. */
@Module({})
export class AppModule {
  static forRoot(config: SeratConfig): DynamicModule {
    if (!config.databaseUrl) throw new Error('AppModule needs config.databaseUrl');
    const webBuilt = fs.existsSync(config.webDir);
    if (!webBuilt) new Logger('AppModule').warn(`No web app at ${config.webDir}: run npm run build:web. The API still works.`);
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        DiscoveryModule,
        LoggerModule.forRoot({
          pinoHttp: {
            level: config.logLevel,
            // Set by requestIdMiddleware, which runs first.
            genReqId: (req) => (req as { id?: string }).id ?? randomUUID(),
            // One compact line per request: no headers, so no cookies or tokens in the logs.
            serializers: {
              req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
              res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
            },
            autoLogging: { ignore: (req) => req.url === '/api/health' },
          },
        }),
        DatabaseModule.forRoot({ url: config.databaseUrl, poolMax: config.databasePoolMax, applicationName: 'serat-api' }),
        // The features the controllers, the access guard and FirstAdmin below use.
        AuthModule,
        UsersModule,
        AuditModule,
        AreasModule,
        NetworkModule,
        SitesModule,
        PhasesModule,
        EvidenceModule,
        ImportsModule,
        ExportsModule,
        ChangesModule,
        InventoryModule,
        TilesModule,
        RollupsModule,
        ProgressModule,
        MilestonesModule,
        ReportsModule,
        MonitorsModule,
        BullModule.forRoot(queueOptions(config.redis)),
        // The queues the api adds jobs to (through ImportsQueue and MaintenanceQueue).
        BullModule.registerQueue(...[maintenanceQueue, importsQueue].map((queue) => ({ name: queue.name }))),
        ...(webBuilt ? [ServeStaticModule.forRoot({ rootPath: config.webDir, exclude: ['/api/{*path}'] })] : []),
      ],
      controllers: [
        AuthController,
        UsersController,
        AuditController,
        AreasController,
        NetworkController,
        PhasesController,
        NetworkStatusController,
        NetworkEditController,
        PhotosController,
        ExportsController,
        InventoryController,
        TilesController,
        MetaController,
        HealthController,
        MaintenanceController,
        ImportsController,
        EventsController,
        FiguresController,
        ProgressController,
        ReportsController,
        MilestonesController,
        EvidencePacksController,
        MonitorsController,
      ],
      providers: [
        DatabaseProbe,
        RedisProbe,
        MaintenanceQueue,
        ImportsQueue,
        FirstAdmin,
        ChangeFeed,
        { provide: APP_GUARD, useClass: AccessGuard },
        { provide: APP_PIPE, useClass: ZodValidationPipe },
        { provide: APP_FILTER, useClass: ErrorFilter },
      ],
    };
  }
}
