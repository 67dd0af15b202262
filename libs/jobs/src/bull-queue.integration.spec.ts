import { loadTestSettings } from '@serat/config';
import Bull from 'bull';
import type { Queue } from 'bull';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { waitFor } from '../../../test/support/wait';
import { QueueProducer, QueueWorker, WorkerEvents } from './bull-queue';
import { defineQueue, JobHandlers } from './queue-contract';
import { queueOptions } from './queue-options';

const SITE = '7b0f3c0e-8d4a-4a57-9d43-2f1c1b7e6a11';

const patrolQueue = defineQueue({
  name: 'patrol',
  jobs: {
    'patrol.walk': { payload: z.object({ siteId: z.uuid(), token: z.string() }), idParts: ['siteId', 'token'] },
    'patrol.measure': { payload: z.object({ siteId: z.uuid(), dbm: z.number().max(0) }) },
    'patrol.sweep': { payload: z.object({ olderThanDays: z.number().int().default(3) }) },
  },
  jobOptions: { attempts: 1, removeOnComplete: 100, removeOnFail: 100 },
  concurrency: 2,
  repeat: [{ job: 'patrol.sweep', cron: '0 20 * * *', tz: 'UTC', input: {}, options: { removeOnComplete: 5 } }],
});

/** Two workers and an api on one real Redis, under a prefix of their own. */
describe('the Bull adapter of the job contract, on Redis', () => {
  const { redisUrl } = loadTestSettings();
  const options = queueOptions({ url: redisUrl, queuePrefix: `test-contract-${randomBytes(4).toString('hex')}`, jobLockMs: 30000 });
  const open = (): Queue => new Bull(patrolQueue.name, redisUrl, { prefix: options.prefix, settings: options.settings });
  const queues: Queue[] = [];
  const runs: string[] = [];
  const events: { failed: string[]; done: string[]; other: string[] } = { failed: [], done: [], other: [] };
  const recorder: WorkerEvents = {
    done: (job, _ms, result) => events.done.push(`${job.name} ${JSON.stringify(result)}`),
    failed: (job, error) => events.failed.push(`${job.name}: ${error.message}`),
    queueError: (error) => events.other.push(`queue error: ${error.message}`),
    scheduleFailed: (name, error) => events.other.push(`schedule ${name}: ${error.message}`),
  };
  const handlers: JobHandlers<typeof patrolQueue> = {
    'patrol.walk': async (payload, job) => {
      runs.push(`walk ${job.id}`);
      await job.progress(60);
      return payload.siteId;
    },
    'patrol.measure': async (payload) => (runs.push('measure'), payload.dbm),
    'patrol.sweep': async (payload) => (runs.push('sweep'), payload.olderThanDays),
  };
  let api: QueueProducer<typeof patrolQueue>;
  let raw: Queue;

  beforeAll(async () => {
    for (let i = 0; i < 3; i++) queues.push(open());
    const [apiQueue, ...workerQueues] = queues;
    raw = apiQueue;
    await Promise.all(queues.map((queue) => queue.isReady()));
    api = new QueueProducer(patrolQueue, apiQueue);
    for (const queue of workerQueues) new QueueWorker(patrolQueue, queue).start(handlers, recorder);
  });
  afterAll(async () => {
    await raw?.obliterate({ force: true });
    await Promise.all(queues.map((queue) => queue.close()));
  });

  const finished = async (id: string) => (await raw.getJob(id))!.finished();

  it('runs each job name with its own handler, and a keyed job once however often it is added', async () => {
    const walkId = patrolQueue.jobId('patrol.walk', { siteId: SITE, token: 'pagi' });
    expect(await api.add('patrol.walk', { siteId: SITE, token: 'pagi' }, walkId)).toBe(walkId);
    expect(await finished(walkId)).toBe(SITE);
    // Added again under the same id (a second api replica, a retried request): the same job, not a second run.
    expect(await api.add('patrol.walk', { siteId: SITE, token: 'pagi' }, walkId)).toBe(walkId);
    expect(await finished(await api.add('patrol.measure', { siteId: SITE, dbm: -21.5 }))).toBe(-21.5);
    expect(await finished(await api.add('patrol.sweep', {}))).toBe(3);
    expect(runs).toEqual([`walk ${walkId}`, 'measure', 'sweep']);
    expect(await api.find(walkId)).toEqual(expect.objectContaining({ id: walkId, name: 'patrol.walk', state: 'completed', progress: 60, result: SITE, failedReason: null }));
    expect(await api.find('no-such-job')).toBeNull();
    expect(events.done).toEqual([`patrol.walk "${SITE}"`, 'patrol.measure -21.5', 'patrol.sweep 3']);
  });

  it('fails a job whose payload does not fit, with the reason on the job, and goes on working', async () => {
    runs.length = 0;
    const bad = await raw.add('patrol.measure', { siteId: SITE, dbm: 'strong' }, { attempts: 1 });
    await expect(bad.finished()).rejects.toThrow(/^Job patrol\.measure on queue patrol has an invalid payload: dbm: /);
    const stranger = await raw.add('patrol.climb', { siteId: SITE }, { attempts: 1 });
    await expect(stranger.finished()).rejects.toThrow('No handler for job "patrol.climb" on queue patrol; is this worker older than the api?');
    expect(await api.find(String(bad.id))).toEqual(expect.objectContaining({ state: 'failed', failedReason: expect.stringMatching(/invalid payload: dbm: /) }));
    expect(events.failed).toEqual([
      expect.stringMatching(/^patrol\.measure: Job patrol\.measure on queue patrol has an invalid payload/),
      expect.stringMatching(/^patrol\.climb: No handler/),
    ]);
    // No handler ran, and the workers still take jobs.
    expect(runs).toEqual([]);
    expect(await finished(await api.add('patrol.measure', { siteId: SITE, dbm: -3 }))).toBe(-3);
  });

  it('keeps one schedule of a repeatable job that every worker declares', async () => {
    // Declared as the workers start, without being awaited (Redis may be away then).
    const repeatable = await waitFor(
      async () => {
        const declared = await raw.getRepeatableJobs();
        return declared.length ? declared : undefined;
      },
      10000,
      'the schedule',
    );
    expect(repeatable.map((job) => [job.name, job.cron, job.tz])).toEqual([['patrol.sweep', '0 20 * * *', 'UTC']]);
    const [next] = await raw.getDelayed();
    expect(next).toEqual(expect.objectContaining({ name: 'patrol.sweep', data: { olderThanDays: 3 } }));
    expect(next.opts).toEqual(expect.objectContaining({ attempts: 1, removeOnComplete: 5, removeOnFail: 100 }));
    expect(events.other).toEqual([]);
  });
});
