import { InjectQueue } from '@nestjs/bull';
import { HttpStatus, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { IMPORT_JOB_OPTIONS, importJobId, IMPORTS_QUEUE, ImportJobName, ImportJobPayload } from '@serat/jobs';
import type { Queue } from 'bull';
import { randomBytes } from 'node:crypto';
import { ApiError } from '../http/api-error';

/** The api's side of the import queue contract. */
@Injectable()
export class ImportsQueue implements OnModuleInit {
  private readonly logger = new Logger(ImportsQueue.name);

  constructor(@InjectQueue(IMPORTS_QUEUE) private readonly queue: Queue) {}

  onModuleInit(): void {
    this.queue.on('error', (error) => this.logger.debug(`queue: ${error.message}`));
  }

  /** A new job id for one asking about this import (see importJobId). */
  newJobId(name: ImportJobName, importId: string): string {
    return importJobId(name, importId, randomBytes(6).toString('hex'));
  }

  /** Whether this job (the one an import's row names) is waiting or running. */
  async isLive(jobId: string | null): Promise<boolean> {
    this.assertAvailable();
    if (!jobId) return false;
    const job = await this.queue.getJob(jobId);
    return !!job && ['waiting', 'active', 'delayed', 'paused'].includes(await job.getState());
  }

  /**
   * The progress in percent of this job while it runs (the commit reports there, see the
   * worker), or null when it is not running or Redis is away.
   */
  async liveProgress(jobId: string | null): Promise<number | null> {
    if (!jobId || this.queue.client.status !== 'ready') return null;
    const job = await this.queue.getJob(jobId);
    if (!job || (await job.getState()) !== 'active') return null;
    const progress = Number(job.progress());
    return Number.isFinite(progress) ? Math.max(0, Math.min(100, Math.round(progress))) : null;
  }

  /** Refuses (503) while Redis is away: said before a file is stored that could not be analysed. */
  assertAvailable(): void {
    if (this.queue.client.status !== 'ready') throw new ApiError('QUEUE_UNAVAILABLE', HttpStatus.SERVICE_UNAVAILABLE);
  }

  async enqueue<N extends ImportJobName>(name: N, payload: ImportJobPayload<N>, jobId: string): Promise<void> {
    this.assertAvailable();
    await this.queue.add(name, payload, { ...IMPORT_JOB_OPTIONS, jobId });
  }
}
