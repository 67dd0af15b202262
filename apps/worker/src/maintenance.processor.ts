import { Inject, Injectable } from '@nestjs/common';
import { SERAT_CONFIG, SeratConfig } from '@serat/config';
import { AreasRepository, DomainError, EvidencePacksService, MonitorsRepository, PhotosService, ProgressHistoryService, RollupsRepository } from '@serat/domain';
import { JobHandlers, maintenanceQueue, MaintenanceJobResults, QueueConsumer } from '@serat/jobs';

/**
 * Consumes the maintenance queue. One handler per job name, checked by the compiler: a job name
 * added to the contract without a handler here does not build. Its daily jobs are declared in
 * the contract (maintenanceQueue.repeat) and scheduled by QueueConsumers.
 */
@Injectable()
export class MaintenanceProcessor implements QueueConsumer<typeof maintenanceQueue> {
  readonly queue = maintenanceQueue;

  constructor(
    private readonly areas: AreasRepository,
    private readonly photos: PhotosService,
    private readonly rollups: RollupsRepository,
    private readonly progress: ProgressHistoryService,
    private readonly packs: EvidencePacksService,
    private readonly monitors: MonitorsRepository,
    @Inject(SERAT_CONFIG) private readonly config: SeratConfig,
  ) {}

  readonly handlers: JobHandlers<typeof maintenanceQueue, MaintenanceJobResults> = {
    'areas.recompute-membership': async (payload, job) => {
      const result = { sitesChanged: 0, nodesChanged: 0 };
      for (const [index, table] of payload.tables.entries()) {
        const changed = await this.areas.assignMembership(table, payload.ids);
        if (table === 'sites') result.sitesChanged = changed;
        else result.nodesChanged = changed;
        await job.progress(Math.round(((index + 1) / payload.tables.length) * 100));
      }
      return result;
    },
    'photos.purge-unlinked': async (payload) => ({
      deleted: await this.photos.purgeUnlinked(payload.olderThanDays, { actorId: null, actorLabel: 'worker (daily housekeeping)' }),
    }),
    'rollups.compact': () => this.rollups.compact(),
    'progress.snapshot': () => this.progress.takeSnapshot('daily'),
    'milestones.evidence-pack': async (payload, job) => {
      try {
        return await this.packs.build(payload.packId, (percent) => job.progress(percent));
      } catch (error) {
        // A rule said no (too large, a photo's file gone): the pack keeps the reason, and trying
        // again would give the same answer. Anything else is retried.
        if (error instanceof DomainError) return { failed: error.code };
        throw error;
      }
    },
    'evidence-packs.expire': async () => ({ removed: await this.packs.expire(this.config.evidencePacks.keepDays) }),
    'monitors.partitions': async (payload) => ({ made: await this.monitors.ensurePartitions(payload.months) }),
  };
}
