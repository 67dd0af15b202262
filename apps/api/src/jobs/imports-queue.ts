import { InjectQueue } from '@nestjs/bull';
import { HttpStatus, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { IMPORT_JOB_OPTIONS, importJobId, IMPORTS_QUEUE, ImportJobName, ImportJobPayload } from '@serat/jobs';
import type { Queue } from 'bull';
import { ApiError } from '../http/api-error';

/** How far back from an import's version the number of a job still alive can lie (see hasLiveJob). */
const LIVE_VERSIONS = 3;

/** The api's side of the import queue contract. */
@Injectable()
export class ImportsQueue implements OnModuleInit {
  private readonly logger = new Logger(ImportsQueue.name);

  constructor(@InjectQueue(IMPORTS_QUEUE) private readonly queue: Queue) {}

  onModuleInit(): void {
    this.queue.on('error', (error) => this.logger.debug(`queue: ${error.message}`));
  }

  /**
   * Whether a job of this import is waiting or running. Each attempt's job is numbered by the
   * import's version when it was queued; after that the api moves the version on by one, and the
   * worker by one at each delivery (a job is delivered at most twice: once more after its worker
   * died): the last four numbers cover every job that can still be alive.
   */
  async hasLiveJob(name: ImportJobName, importId: string, version: number): Promise<boolean> {
    if (this.queue.client.status !== 'ready') throw new ApiError('QUEUE_UNAVAILABLE', HttpStatus.SERVICE_UNAVAILABLE);
    for (let attempt = Math.max(0, version - LIVE_VERSIONS); attempt <= version; attempt++) {
      const job = await this.queue.getJob(importJobId(name, importId, attempt));
      if (job && ['waiting', 'active', 'delayed', 'paused'].includes(await job.getState())) return true;
    }
    return false;
  }

  /**
   * The progress in percent of the live job of this import (the commit reports there, see the
   * worker), or null when none is alive or Redis is away.
   */
  async liveProgress(name: ImportJobName, importId: string, version: number): Promise<number | null> {
    if (this.queue.client.status !== 'ready') return null;
    for (let attempt = version; attempt >= Math.max(0, version - LIVE_VERSIONS); attempt--) {
      const job = await this.queue.getJob(importJobId(name, importId, attempt));
      if (job && (await job.getState()) === 'active') {
        const progress = Number(job.progress());
        return Number.isFinite(progress) ? Math.max(0, Math.min(100, Math.round(progress))) : null;
      }
    }
    return null;
  }

  /** Refuses (503) while Redis is away: said before a file is stored that could not be analysed. */
  assertAvailable(): void {
    if (this.queue.client.status !== 'ready') throw new ApiError('QUEUE_UNAVAILABLE', HttpStatus.SERVICE_UNAVAILABLE);
  }

  async enqueue<N extends ImportJobName>(name: N, payload: ImportJobPayload<N>, attempt: number): Promise<void> {
    if (this.queue.client.status !== 'ready') throw new ApiError('QUEUE_UNAVAILABLE', HttpStatus.SERVICE_UNAVAILABLE);
    await this.queue.add(name, payload, { ...IMPORT_JOB_OPTIONS, jobId: importJobId(name, payload.importId, attempt) });
  }
}
