import type { Job, JobStatus, Queue } from 'bull';
import type { AnyQueueDefinition, JobContext, JobHandlers, JobIdArgument, JobInput, JobName } from './queue-contract';
import { JobHandlersMissingError } from './queue-contract';

/**
 * The one place that calls Bull (see queue-contract.ts for what a move to BullMQ changes): a
 * producer that adds only well-formed jobs, and a worker that hands each delivered job to the
 * handler of its name after parsing its payload. Both take a Bull queue made elsewhere (by the
 * Nest modules of the apps), so this lib needs only Bull's types.
 */

/** A job as the api shows it: the same fields whatever the queue library. */
export interface JobSnapshot {
  id: string;
  name: string;
  state: JobStatus | 'stuck';
  /** In percent, or null when the job reported none that is a number. */
  progress: number | null;
  attemptsMade: number;
  result: unknown;
  failedReason: string | null;
  createdAt: Date;
  finishedAt: Date | null;
}

export class QueueProducer<D extends AnyQueueDefinition> {
  constructor(
    readonly definition: D,
    private readonly queue: Queue,
  ) {}

  /** Whether Redis is connected now: adding waits for it otherwise, so callers refuse first. */
  get connected(): boolean {
    return this.queue.client.status === 'ready';
  }

  /** Reports queue errors (Redis away); Bull only swallows them. */
  onError(listener: (error: Error) => void): void {
    this.queue.on('error', listener);
  }

  /**
   * Adds a job: the compiler takes only the payload of this job name (and its id, when it has
   * `idParts`); the schema checks it again here, so a cast or a caller in JavaScript cannot put a
   * wrong shape into Redis either. Returns the job's id.
   */
  async add<N extends JobName<D>>(name: N, input: JobInput<D, N>, ...id: JobIdArgument<D, N>): Promise<string> {
    if (!this.definition.isJobName(name)) throw new Error(`Queue ${this.definition.name} has no job ${name}`);
    const payload = this.definition.parse(name, input);
    const jobId = (id as string[])[0];
    if (this.definition.jobs[name].idParts) {
      if (typeof jobId !== 'string' || !this.definition.isJobIdOf(name, jobId))
        throw new Error(`Job ${name} on queue ${this.definition.name} needs an id made by jobId (got ${JSON.stringify(jobId)})`);
    } else if (jobId !== undefined) {
      throw new Error(`Job ${name} on queue ${this.definition.name} has no idParts: Bull numbers it`);
    }
    const job = await this.queue.add(name, payload, { ...this.definition.jobOptions, ...(jobId === undefined ? {} : { jobId }) });
    return String(job.id);
  }

  async find(id: string): Promise<JobSnapshot | null> {
    const job: Job | null = await this.queue.getJob(id);
    if (!job) return null;
    const progress = Number(job.progress());
    return {
      id: String(job.id),
      name: job.name,
      state: await job.getState(),
      progress: Number.isFinite(progress) ? progress : null,
      attemptsMade: job.attemptsMade,
      result: job.returnvalue ?? null,
      failedReason: job.failedReason ?? null,
      createdAt: new Date(job.timestamp),
      finishedAt: job.finishedOn ? new Date(job.finishedOn) : null,
    };
  }
}

/** The part of a delivered Bull job the dispatcher reads (a plain object in unit tests). */
export interface DeliveredJob {
  readonly id: string | number;
  readonly name: string;
  readonly data: unknown;
  progress(percent: number): Promise<void>;
}

/**
 * Runs a delivered job with the handler of its name, its payload parsed first: Redis outlives
 * deploys, so a job may come from an older or newer api. A job name without a handler, or a
 * payload the schema refuses, throws: Bull marks the job failed with that message, the worker
 * goes on. Refuses to be made with a handler missing.
 */
export function jobDispatcher<D extends AnyQueueDefinition>(definition: D, handlers: JobHandlers<D>): (job: DeliveredJob) => Promise<unknown> {
  const byName = handlers as Record<string, unknown>;
  const missing = definition.jobNames.filter((name) => typeof byName[name] !== 'function');
  if (missing.length) throw new JobHandlersMissingError(missing.map((name) => `job ${name} of queue ${definition.name} has no handler`));
  return async (job) => {
    if (!definition.isJobName(job.name)) throw new Error(`No handler for job "${job.name}" on queue ${definition.name}; is this worker older than the api?`);
    const payload = definition.parse(job.name, job.data);
    const context: JobContext = { id: String(job.id), name: job.name, progress: (percent) => job.progress(percent) };
    return (byName[job.name] as (payload: unknown, job: JobContext) => Promise<unknown>)(payload, context);
  };
}

/** What a worker says about the jobs it runs; the app logs them. */
export interface WorkerEvents {
  done(job: { id: string; name: string }, ms: number, result: unknown): void;
  failed(job: { id: string; name: string; attemptsMade: number }, error: Error): void;
  /** Redis away and the like: repeats on every reconnect attempt. */
  queueError(error: Error): void;
  /** A repeatable job could not be declared (Redis away at start): the next worker that starts declares it. */
  scheduleFailed(jobName: string, error: Error): void;
}

export class QueueWorker<D extends AnyQueueDefinition> {
  constructor(
    readonly definition: D,
    private readonly queue: Queue,
  ) {}

  /**
   * Takes jobs of every name of the queue, `concurrency` at a time, and declares the queue's
   * repeatable jobs. Returns at once: with Redis away both wait for it, and the worker must start
   * meanwhile.
   */
  start(handlers: JobHandlers<D>, events: WorkerEvents): void {
    const dispatch = jobDispatcher(this.definition, handlers);
    this.queue.on('failed', (job: Job, error: Error) => events.failed({ id: String(job.id), name: job.name, attemptsMade: job.attemptsMade }, error));
    this.queue.on('error', (error: Error) => events.queueError(error));
    // '*' takes every named job of the queue; the dispatcher picks the handler by name.
    this.queue
      .process('*', this.definition.concurrency, async (job: Job) => {
        const started = Date.now();
        const result = await dispatch(job);
        events.done({ id: String(job.id), name: job.name }, Date.now() - started, result);
        return result;
      })
      .catch((error: Error) => events.queueError(error));
    for (const repeat of this.definition.repeat) {
      Promise.resolve()
        .then(() =>
          this.queue.add(repeat.job, this.definition.parse(repeat.job, repeat.input), {
            ...this.definition.jobOptions,
            ...repeat.options,
            repeat: { cron: repeat.cron, tz: repeat.tz },
          }),
        )
        .catch((error: Error) => events.scheduleFailed(repeat.job, error));
    }
  }
}
