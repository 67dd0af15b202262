import { InjectQueue } from '@nestjs/bull';
import { HttpStatus, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import {
  DEFAULT_JOB_OPTIONS,
  MAINTENANCE_QUEUE,
  MaintenanceJobInput,
  MaintenanceJobName,
  parseMaintenancePayload,
} from '@serat/jobs';
import type { Job, JobStatus, Queue } from 'bull';
import { ApiError } from '../http/api-error';

export interface JobView {
  id: string;
  name: string;
  state: JobStatus | 'stuck';
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

  constructor(@InjectQueue(MAINTENANCE_QUEUE) private readonly queue: Queue) {}

  onModuleInit(): void {
    // Without a listener an unreachable Redis would crash the process; RedisProbe reports it.
    this.queue.on('error', (error) => this.logger.debug(`queue: ${error.message}`));
  }

  private ensureConnected(): void {
    if (this.queue.client.status !== 'ready') throw new ApiError('QUEUE_UNAVAILABLE', HttpStatus.SERVICE_UNAVAILABLE);
  }

  async enqueue<N extends MaintenanceJobName>(name: N, input: MaintenanceJobInput<N>): Promise<string> {
    this.ensureConnected();
    const payload = parseMaintenancePayload(name, input);
    const job = await this.queue.add(name, payload, { ...DEFAULT_JOB_OPTIONS });
    return String(job.id);
  }

  async find(id: string): Promise<JobView | null> {
    this.ensureConnected();
    const job: Job | null = await this.queue.getJob(id);
    if (!job) return null;
    return {
      id: String(job.id),
      name: job.name,
      state: await job.getState(),
      progress: Number(job.progress()) || 0,
      attemptsMade: job.attemptsMade,
      result: job.returnvalue ?? null,
      failedReason: job.failedReason ?? null,
      createdAt: new Date(job.timestamp).toISOString(),
      finishedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
    };
  }
}
