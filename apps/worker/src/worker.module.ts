import { BullModule } from '@nestjs/bull';
import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule, SeratConfig } from '@serat/config';
import { DatabaseModule } from '@serat/database';
import { AreasModule, EvidenceModule, ImportsModule, MilestonesModule, MonitorsModule, ProgressModule, RollupsModule } from '@serat/domain';
import { importsQueue, maintenanceQueue, monitoringQueue, queueOptions } from '@serat/jobs';
import { LoggerModule } from 'nestjs-pino';
import { ImportsProcessor } from './imports.processor';
import { MaintenanceProcessor } from './maintenance.processor';
import { MonitoringProcessor } from './monitoring.processor';
import { QueueConsumers } from './queue-consumers';

/** The queues this worker takes jobs from; each needs a consumer below (checked at start). */
const QUEUES = [maintenanceQueue, importsQueue, monitoringQueue];

/** The worker: a second root module over the same domain modules as the api, with processors instead of controllers. */
@Module({})
export class WorkerModule {
  static forRoot(config: SeratConfig): DynamicModule {
    if (!config.databaseUrl) throw new Error('WorkerModule needs config.databaseUrl');
    return {
      module: WorkerModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot({ pinoHttp: { level: config.logLevel } }),
        DatabaseModule.forRoot({ url: config.databaseUrl, poolMax: config.databasePoolMax, applicationName: 'serat-worker' }),
        // What the processors use: imports, the areas' membership, the photo store's housekeeping,
        // the compaction of the area figures, the milestones' evidence packs.
        ImportsModule,
        AreasModule,
        EvidenceModule,
        RollupsModule,
        ProgressModule,
        MilestonesModule,
        MonitorsModule,
        BullModule.forRoot(queueOptions(config.redis)),
        BullModule.registerQueue(...QUEUES.map((queue) => ({ name: queue.name }))),
      ],
      providers: QueueConsumers.providers(QUEUES, [MaintenanceProcessor, ImportsProcessor, MonitoringProcessor]),
    };
  }
}
