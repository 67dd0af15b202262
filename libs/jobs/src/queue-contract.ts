import type { JobOptions } from 'bull';
import { z } from 'zod';

/**
 * The job contract between the api (producer) and the worker (consumer): a queue is one
 * `defineQueue` value holding its name, its job names with a zod payload schema each, the Bull
 * options of its jobs, how many of them one worker runs at once, the parts of deterministic job
 * ids, and its repeatable jobs. Adding a queue is one definition here plus its handlers in the
 * worker (a `QueueConsumer`); the producer (`QueueProducer`) and the dispatcher (`QueueWorker`)
 * in bull-queue.ts serve every queue alike.
 *
 * Only this file and bull-queue.ts know of Bull, and this file only its option names. A move to
 * BullMQ stays contained:
 * - The definitions do not change. `attempts`, `backoff`, `removeOnComplete` and `removeOnFail`
 *   mean the same in BullMQ; `timeout` does not exist there, so the imports' 15 minute bound
 *   becomes a check in their handler. The repeats become job schedulers (`upsertJobScheduler`,
 *   keyed by job name) instead of repeatable jobs.
 * - bull-queue.ts is rewritten against BullMQ's `Queue` (add, getJob) and `Worker` (the same
 *   dispatcher as its processor, `concurrency` as its option, `updateProgress` behind
 *   `JobContext.progress`). Handlers see only `JobContext`, never a Bull job, so they do not change.
 * - queue-options.ts: the lock settings move from the queue's `settings` to the worker's options
 *   (`lockDuration`, `stalledInterval`, `maxStalledCount`), the url to `connection`.
 * - The Nest glue (apps/api/src/app.module.ts, apps/worker/src/worker.module.ts and
 *   queue-consumers.ts) swaps `@nestjs/bull` for `@nestjs/bullmq`.
 * - Job ids: BullMQ refuses a custom id with a `:` unless it has exactly three parts, so the
 *   separator of `jobId` becomes another character; ids already stored in rows (`imports.job_id`)
 *   name jobs of the Bull queues, which are drained before the switch (BullMQ keeps its own keys).
 */

/** The Bull options a definition may set for its jobs; a job id or a repeat is given per job. */
export type JobSettings = Pick<JobOptions, 'attempts' | 'backoff' | 'timeout' | 'removeOnComplete' | 'removeOnFail'>;

export interface JobSpec {
  /** What the producer sends and the worker receives, parsed at both ends: ids, never entities. */
  readonly payload: z.ZodType;
  /**
   * For a job that must not run twice: the parts of its id after its name, in order
   * (`import.commit:<importId>:<token>`), each without a `:`. A producer must give such an id,
   * made by `jobId`; without `idParts` Bull numbers the job.
   */
  readonly idParts?: readonly string[];
}

type JobSpecs = Record<string, JobSpec>;

/** A job added again and again on a schedule; Redis keeps one schedule per job name and time however many workers declare it. */
export type RepeatSpec<J extends JobSpecs> = {
  [N in keyof J & string]: {
    readonly job: N;
    readonly cron: string;
    /** The time zone the cron is read in (an IANA name). */
    readonly tz: string;
    readonly input: z.input<J[N]['payload']>;
    /** Over the queue's `jobOptions`. */
    readonly options?: JobSettings;
  };
}[keyof J & string];

type IdParts<S> = S extends { readonly idParts: readonly (infer P extends string)[] } ? { readonly [K in P]: string } : never;
type KeyedJobName<J extends JobSpecs> = { [N in keyof J & string]: J[N] extends { readonly idParts: readonly string[] } ? N : never }[keyof J & string];

export interface QueueDefinition<Name extends string = string, J extends JobSpecs = JobSpecs> {
  readonly name: Name;
  readonly jobs: J;
  readonly jobNames: readonly (keyof J & string)[];
  readonly jobOptions: JobSettings;
  /** How many jobs of this queue one worker process runs at once. */
  readonly concurrency: number;
  readonly repeat: readonly RepeatSpec<J>[];
  isJobName(name: string): name is keyof J & string;
  /** The payload as the schema gives it (defaults filled in), or a JobPayloadError. */
  parse<N extends keyof J & string>(name: N, data: unknown): z.output<J[N]['payload']>;
  /** The deterministic id of a job that has `idParts`. */
  jobId<N extends KeyedJobName<J>>(name: N, parts: IdParts<J[N]>): string;
  /** Whether this id is one `jobId` makes for this job name. */
  isJobIdOf(name: keyof J & string, jobId: string): boolean;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any definition, whatever its jobs
export type AnyQueueDefinition = QueueDefinition<string, any>;
export type JobName<D extends AnyQueueDefinition> = keyof D['jobs'] & string;
/** What a producer must send (defaults may be left out). */
export type JobInput<D extends AnyQueueDefinition, N extends JobName<D>> = z.input<D['jobs'][N]['payload']>;
/** What a handler receives after parsing. */
export type JobPayload<D extends AnyQueueDefinition, N extends JobName<D>> = z.output<D['jobs'][N]['payload']>;
/** The id argument of `QueueProducer.add`: required for a job with `idParts`, absent otherwise. */
export type JobIdArgument<D extends AnyQueueDefinition, N extends JobName<D>> = D['jobs'][N] extends { readonly idParts: readonly string[] } ? [jobId: string] : [];

/** What a handler may do with the job it runs, whatever the queue library. */
export interface JobContext {
  readonly id: string;
  readonly name: string;
  /** Progress in percent, where the api can read it while the job runs. */
  progress(percent: number): Promise<void>;
}

/**
 * One handler per job name of the queue: a job name added to the definition without a handler
 * does not build. `R` names what each handler returns, when the caller cares.
 */
export type JobHandlers<D extends AnyQueueDefinition, R extends { [N in JobName<D>]: unknown } = { [N in JobName<D>]: unknown }> = {
  readonly [N in JobName<D>]: (payload: JobPayload<D, N>, job: JobContext) => Promise<R[N]>;
};

/** What the worker registers for a queue it consumes: the definition and its handlers. */
export interface QueueConsumer<D extends AnyQueueDefinition = AnyQueueDefinition> {
  readonly queue: D;
  readonly handlers: JobHandlers<D>;
}

export class JobPayloadError extends Error {
  constructor(
    readonly queueName: string,
    readonly jobName: string,
    readonly problems: string[],
  ) {
    super(`Job ${jobName} on queue ${queueName} has an invalid payload: ${problems.join('; ')}`);
    this.name = 'JobPayloadError';
  }
}

const ID_SEPARATOR = ':';

export function defineQueue<const Name extends string, const J extends JobSpecs>(spec: {
  readonly name: Name;
  readonly jobs: J;
  readonly jobOptions: JobSettings;
  readonly concurrency: number;
  readonly repeat?: readonly RepeatSpec<NoInfer<J>>[];
}): QueueDefinition<Name, J> {
  const jobNames = Object.keys(spec.jobs) as (keyof J & string)[];
  const isJobName = (name: string): name is keyof J & string => Object.prototype.hasOwnProperty.call(spec.jobs, name);
  for (const name of jobNames) {
    if (name.includes(ID_SEPARATOR)) throw new Error(`Job name ${name} of queue ${spec.name} contains "${ID_SEPARATOR}", the separator of job ids`);
  }
  return {
    name: spec.name,
    jobs: spec.jobs,
    jobNames,
    jobOptions: spec.jobOptions,
    concurrency: spec.concurrency,
    repeat: spec.repeat ?? [],
    isJobName,
    parse(name, data) {
      const result = spec.jobs[name].payload.safeParse(data);
      if (!result.success) {
        throw new JobPayloadError(
          spec.name,
          name,
          result.error.issues.map((issue) => `${issue.path.join('.') || 'payload'}: ${issue.message}`),
        );
      }
      return result.data as z.output<J[typeof name]['payload']>;
    },
    jobId(name, parts) {
      const names = spec.jobs[name].idParts ?? [];
      const values = names.map((part) => (parts as Record<string, string>)[part]);
      values.forEach((value, index) => {
        if (typeof value !== 'string' || !value || value.includes(ID_SEPARATOR)) {
          throw new Error(`Job id part ${names[index]} of ${name} must be a non-empty text without "${ID_SEPARATOR}" (got ${JSON.stringify(value)})`);
        }
      });
      return [name, ...values].join(ID_SEPARATOR);
    },
    isJobIdOf(name, jobId) {
      const parts = spec.jobs[name]?.idParts;
      if (!parts) return false;
      const [head, ...rest] = jobId.split(ID_SEPARATOR);
      return head === name && rest.length === parts.length && rest.every((value) => value.length > 0);
    },
  };
}

/** The worker's start-up check failed: printed as one line, and the worker does not start. */
export class JobHandlersMissingError extends Error {
  constructor(readonly problems: string[]) {
    super(`The worker cannot run every job of the queues it consumes: ${problems.join('; ')}`);
    this.name = 'JobHandlersMissingError';
  }
}

/**
 * What keeps a worker from running every job of the queues it consumes: a queue without a
 * consumer or with two, a job name without a handler, a consumer of a queue not registered.
 * The compiler checks each handler map; this catches what it cannot (a consumer left out of the
 * module, a map built by hand), before the worker takes a single job.
 */
export function jobHandlerProblems(queues: readonly AnyQueueDefinition[], consumers: readonly QueueConsumer[]): string[] {
  const problems: string[] = [];
  for (const queue of queues) {
    const mine = consumers.filter((consumer) => consumer.queue.name === queue.name);
    if (mine.length !== 1) {
      problems.push(mine.length ? `queue ${queue.name} has ${mine.length} consumers` : `queue ${queue.name} has no consumer`);
      continue;
    }
    const handlers = mine[0].handlers as Record<string, unknown>;
    for (const name of queue.jobNames) {
      if (typeof handlers[name] !== 'function') problems.push(`job ${name} of queue ${queue.name} has no handler`);
    }
  }
  for (const consumer of consumers) {
    if (!queues.some((queue) => queue.name === consumer.queue.name)) problems.push(`queue ${consumer.queue.name} has a consumer but is not registered`);
  }
  return problems;
}

export function assertEveryJobHasHandler(queues: readonly AnyQueueDefinition[], consumers: readonly QueueConsumer[]): void {
  const problems = jobHandlerProblems(queues, consumers);
  if (problems.length) throw new JobHandlersMissingError(problems);
}
