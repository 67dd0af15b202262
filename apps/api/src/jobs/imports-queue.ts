import { InjectQueue } from '@nestjs/bull';
import { HttpStatus, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { IMPORT_JOB_OPTIONS, importJobId, IMPORTS_QUEUE, ImportJobName, ImportJobPayload } from '@serat/jobs';
import type { Queue } from 'bull';
import { ApiError } from '../http/api-error';

/** The api's side of the import queue contract. */
@Injectable()
export class ImportsQueue implements OnModuleInit {
  private readonly logger = new Logger(ImportsQueue.name);

  constructor(@InjectQueue(IMPORTS_QUEUE) private readonly queue: Queue) {}

  onModuleInit(): void {
    this.queue.on('error', (error) => this.logger.debug(`queue: ${error.message}`));
  }

  async enqueue<N extends ImportJobName>(name: N, payload: ImportJobPayload<N>, attempt: number): Promise<void> {
    if (this.queue.client.status !== 'ready') throw new ApiError('QUEUE_UNAVAILABLE', HttpStatus.SERVICE_UNAVAILABLE);
    await this.queue.add(name, payload, { ...IMPORT_JOB_OPTIONS, jobId: importJobId(name, payload.importId, attempt) });
  }
}
