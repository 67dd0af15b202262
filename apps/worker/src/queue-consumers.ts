import { getQueueToken } from '@nestjs/bull';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleInit, Provider, Type } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { AnyQueueDefinition, assertEveryJobHasHandler, QueueConsumer, QueueWorker } from '@serat/jobs';
import type { Queue } from 'bull';

export const CONSUMED_QUEUES = Symbol('CONSUMED_QUEUES');
export const QUEUE_CONSUMERS = Symbol('QUEUE_CONSUMERS');

/**
 * The Nest side of the worker's queues: checks at start that every job name of every queue it
 * consumes has a handler (the worker stops with one line otherwise), then hands each queue's
 * jobs to its consumer and declares the queue's repeatable jobs.
 */
@Injectable()
export class QueueConsumers implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger(QueueConsumers.name);
  private lastQueueError = { message: '', at: 0 };

  constructor(
    @Inject(CONSUMED_QUEUES) private readonly queues: readonly AnyQueueDefinition[],
    @Inject(QUEUE_CONSUMERS) private readonly consumers: readonly QueueConsumer[],
    private readonly moduleRef: ModuleRef,
  ) {}

  /** The queues a worker consumes, and the providers that handle their jobs (each a QueueConsumer). */
  static providers(queues: readonly AnyQueueDefinition[], consumers: Type<QueueConsumer>[]): Provider[] {
    return [
      ...consumers,
      { provide: CONSUMED_QUEUES, useValue: queues },
      { provide: QUEUE_CONSUMERS, useFactory: (...instances: QueueConsumer[]) => instances, inject: consumers },
      QueueConsumers,
    ];
  }

  /** Before any job is taken: a worker that would fail some of them does not start. */
  onModuleInit(): void {
    assertEveryJobHasHandler(this.queues, this.consumers);
  }

  onApplicationBootstrap(): void {
    for (const consumer of this.consumers) {
      const name = consumer.queue.name;
      const queue = this.moduleRef.get<Queue>(getQueueToken(name), { strict: false });
      new QueueWorker(consumer.queue, queue).start(consumer.handlers, {
        done: (job, ms, result) => this.logger.log({ queue: name, job: job.name, id: job.id, ms, result }, 'job done'),
        failed: (job, error) => this.logger.warn({ queue: name, job: job.name, id: job.id, attemptsMade: job.attemptsMade, err: error.message }, 'job failed'),
        queueError: (error) => this.queueError(error),
        scheduleFailed: (jobName, error) => this.logger.warn(`could not schedule ${jobName}: ${error.message}`),
      });
    }
  }

  /**
   * While Redis is away the same error repeats on every reconnect attempt of every queue: say it
   * once a minute.
   */
  private queueError(error: Error): void {
    const now = Date.now();
    if (error.message === this.lastQueueError.message && now - this.lastQueueError.at < 60_000) return;
    this.lastQueueError = { message: error.message, at: now };
    this.logger.warn(`queue error (jobs wait until Redis is back): ${error.message}`);
  }
}
