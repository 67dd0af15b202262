import { InjectQueue } from '@nestjs/bull';
import { HttpStatus, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { importsQueue, JobInput, JobName, QueueProducer } from '@serat/jobs';
import type { Queue } from 'bull';
import { randomBytes } from 'node:crypto';
import { ApiError } from '../http/api-error';

type ImportJobName = JobName<typeof importsQueue>;

/** The api's side of the import queue contract. */
@Injectable()
export class ImportsQueue implements OnModuleInit {
  private readonly logger = new Logger(ImportsQueue.name);
  private readonly jobs: QueueProducer<typeof importsQueue>;

  constructor(@InjectQueue(importsQueue.name) queue: Queue) {
    this.jobs = new QueueProducer(importsQueue, queue);
  }

  onModuleInit(): void {
    this.jobs.onError((error) => this.logger.debug(`queue: ${error.message}`));
  }

  /** A new job id for one asking about this import (see importsQueue). */
  newJobId(name: ImportJobName, importId: string): string {
    return importsQueue.jobId(name, { importId, token: randomBytes(6).toString('hex') });
  }

  /**
   * The job id of the retry of one failure of this import: made of the row's version when it
   * failed, so every asking about that failure names the same job (Bull adds an id once).
   */
  retryJobId(name: ImportJobName, importId: string, failedVersion: number): string {
    return importsQueue.jobId(name, { importId, token: `retry${failedVersion}` });
  }

  /** Whether this job (the one an import's row names) is waiting or running. */
  async isLive(jobId: string | null): Promise<boolean> {
    this.assertAvailable();
    if (!jobId) return false;
    const job = await this.jobs.find(jobId);
    return !!job && ['waiting', 'active', 'delayed', 'paused'].includes(job.state);
  }

  /**
   * The progress in percent of this job while it runs (the commit reports there, see the
   * worker), or null when it is not running or Redis is away.
   */
  async liveProgress(jobId: string | null): Promise<number | null> {
    if (!jobId || !this.jobs.connected) return null;
    const job = await this.jobs.find(jobId);
    if (!job || job.state !== 'active' || job.progress === null) return null;
    return Math.max(0, Math.min(100, Math.round(job.progress)));
  }

  /** Refuses (503) while Redis is away: said before a file is stored that could not be analysed. */
  assertAvailable(): void {
    if (!this.jobs.connected) throw new ApiError('QUEUE_UNAVAILABLE', HttpStatus.SERVICE_UNAVAILABLE);
  }

  async enqueue<N extends ImportJobName>(name: N, payload: JobInput<typeof importsQueue, N>, jobId: string): Promise<void> {
    this.assertAvailable();
    // Through the union of the names: for a generic N the compiler cannot tell whether an id is due.
    await this.jobs.add<ImportJobName>(name, payload, jobId);
  }
}
