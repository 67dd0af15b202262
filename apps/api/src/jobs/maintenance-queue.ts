import { InjectQueue } from '@nestjs/bull';
import { HttpStatus, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { JobInput, JobName, JobSnapshot, maintenanceQueue, QueueProducer } from '@serat/jobs';
import type { Queue } from 'bull';
import { ApiError } from '../http/api-error';

export interface JobView {
  id: string;
  name: string;
  state: JobSnapshot['state'];
  progress: number;
  attemptsMade: number;
  result: unknown;
  failedReason: string | null;
  createdAt: string;
  finishedAt: string | null;
}

/** The api's side of the maintenance queue contract: only well-formed jobs can be sent. */
@Injectable()
export class MaintenanceQueue implements OnModuleInit {
  private readonly logger = new Logger(MaintenanceQueue.name);
  private readonly jobs: QueueProducer<typeof maintenanceQueue>;

  constructor(@InjectQueue(maintenanceQueue.name) queue: Queue) {
    this.jobs = new QueueProducer(maintenanceQueue, queue);
  }

  onModuleInit(): void {
    // Said at debug level only: RedisProbe reports Redis going away and coming back.
    this.jobs.onError((error) => this.logger.debug(`queue: ${error.message}`));
  }

  /** Throws QUEUE_UNAVAILABLE (503) while Redis is away: a job sent now would not be taken. */
  assertConnected(): void {
    if (!this.jobs.connected) throw new ApiError('QUEUE_UNAVAILABLE', HttpStatus.SERVICE_UNAVAILABLE);
  }

  async enqueue<N extends JobName<typeof maintenanceQueue>>(name: N, input: JobInput<typeof maintenanceQueue, N>): Promise<string> {
    this.assertConnected();
    // Through the union of the names: for a generic N the compiler cannot tell whether an id is due.
    return this.jobs.add<JobName<typeof maintenanceQueue>>(name, input);
  }

  async find(id: string): Promise<JobView | null> {
    this.assertConnected();
    const job = await this.jobs.find(id);
    if (!job) return null;
    return {
      id: job.id,
      name: job.name,
      state: job.state,
      progress: job.progress || 0,
      attemptsMade: job.attemptsMade,
      result: job.result,
      failedReason: job.failedReason,
      createdAt: job.createdAt.toISOString(),
      finishedAt: job.finishedAt?.toISOString() ?? null,
    };
  }
}
