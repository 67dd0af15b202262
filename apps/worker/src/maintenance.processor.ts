import { InjectQueue, OnQueueError, OnQueueFailed, Process, Processor } from '@nestjs/bull';
import { Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AreasRepository, PhotosService } from '@serat/domain';
import {
  isMaintenanceJobName,
  MAINTENANCE_QUEUE,
  MAINTENANCE_SCHEDULE,
  MaintenanceJobName,
  MaintenanceJobPayload,
  MaintenanceJobResults,
  parseMaintenancePayload,
} from '@serat/jobs';
import type { Job, Queue } from 'bull';

type Handlers = { [N in MaintenanceJobName]: (payload: MaintenanceJobPayload<N>, job: Job) => Promise<MaintenanceJobResults[N]> };

/**
 * Consumes the maintenance queue. One handler per job name, checked by the compiler: a job name
 * added to the contract without a handler here does not build.
 */
@Processor(MAINTENANCE_QUEUE)
export class MaintenanceProcessor implements OnApplicationBootstrap {
  private readonly logger = new Logger(MaintenanceProcessor.name);

  constructor(
    private readonly areas: AreasRepository,
    private readonly photos: PhotosService,
    @InjectQueue(MAINTENANCE_QUEUE) private readonly queue: Queue,
  ) {}

  /**
   * The daily housekeeping, as repeatable jobs: Redis keeps one schedule per name and time however
   * many workers say so, and one worker runs each occurrence. Without Redis the worker still
   * starts; the schedule is made by the next worker that starts with it.
   */
  onApplicationBootstrap(): void {
    // Not awaited: with Redis away the call waits for it, and the worker must start meanwhile.
    for (const { name, cron } of MAINTENANCE_SCHEDULE) {
      this.queue
        .add(name, {}, { repeat: { cron, tz: 'UTC' }, removeOnComplete: 30, removeOnFail: 100 })
        .catch((error: Error) => this.logger.warn(`could not schedule ${name}: ${error.message}`));
    }
  }

  readonly handlers: Handlers = {
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
  };

  // '*' receives every named job of the queue; the name picks the handler.
  @Process({ name: '*', concurrency: 2 })
  async process(job: Job): Promise<unknown> {
    if (!isMaintenanceJobName(job.name)) {
      throw new Error(`No handler for job "${job.name}" on queue ${MAINTENANCE_QUEUE}; is this worker older than the api?`);
    }
    const payload = parseMaintenancePayload(job.name, job.data);
    const handler = this.handlers[job.name] as (p: typeof payload, j: Job) => Promise<unknown>;
    const started = Date.now();
    const result = await handler(payload, job);
    this.logger.log({ job: job.name, id: job.id, ms: Date.now() - started, result }, 'job done');
    return result;
  }

  @OnQueueFailed()
  onFailed(job: Job, error: Error): void {
    this.logger.warn({ job: job.name, id: job.id, attemptsMade: job.attemptsMade, err: error.message }, 'job failed');
  }

  private lastQueueError = { message: '', at: 0 };

  /** While Redis is away the same error repeats on every reconnect attempt: say it once a minute. */
  @OnQueueError()
  onError(error: Error): void {
    const now = Date.now();
    if (error.message === this.lastQueueError.message && now - this.lastQueueError.at < 60_000) return;
    this.lastQueueError = { message: error.message, at: now };
    this.logger.warn(`queue error (jobs wait until Redis is back): ${error.message}`);
  }
}
