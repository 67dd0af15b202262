import type { Queue } from 'bull';
import { z } from 'zod';
import { DeliveredJob, jobDispatcher, QueueProducer } from './bull-queue';
import { defineQueue, JobHandlers, JobHandlersMissingError } from './queue-contract';

const SITE = '7b0f3c0e-8d4a-4a57-9d43-2f1c1b7e6a11';

/** Three job names: each must reach its own handler (a two-way pick would run the wrong one). */
const inspectionQueue = defineQueue({
  name: 'inspection',
  jobs: {
    'inspection.plan': { payload: z.object({ siteId: z.uuid() }), idParts: ['siteId', 'token'] },
    'inspection.visit': { payload: z.object({ siteId: z.uuid(), minutes: z.number().int().min(1).default(30) }) },
    'inspection.report': { payload: z.object({ siteId: z.uuid(), findings: z.array(z.string()) }) },
  },
  jobOptions: { attempts: 3, removeOnComplete: 10 },
  concurrency: 1,
});

/** A stand-in for the Bull queue that records what reached it (no Redis in a unit test). */
function recordingQueue() {
  const added: { name: string; data: unknown; options: unknown }[] = [];
  const queue = {
    client: { status: 'ready' },
    add: async (name: string, data: unknown, options: unknown) => {
      added.push({ name, data, options });
      return { id: (options as { jobId?: string }).jobId ?? String(added.length) };
    },
  };
  return { queue: queue as unknown as Queue, added };
}

describe('the typed producer', () => {
  it("adds the parsed payload with the queue's job options, and a keyed job under its id", async () => {
    const { queue, added } = recordingQueue();
    const producer = new QueueProducer(inspectionQueue, queue);
    const planId = inspectionQueue.jobId('inspection.plan', { siteId: SITE, token: 'abc' });
    expect(await producer.add('inspection.plan', { siteId: SITE }, planId)).toBe(planId);
    expect(await producer.add('inspection.visit', { siteId: SITE })).toBe('2');
    expect(added).toEqual([
      { name: 'inspection.plan', data: { siteId: SITE }, options: { attempts: 3, removeOnComplete: 10, jobId: planId } },
      { name: 'inspection.visit', data: { siteId: SITE, minutes: 30 }, options: { attempts: 3, removeOnComplete: 10 } },
    ]);
  });

  it('refuses at run time what the compiler refuses, before anything reaches the queue', async () => {
    const { queue, added } = recordingQueue();
    const producer = new QueueProducer(inspectionQueue, queue);
    const planId = inspectionQueue.jobId('inspection.plan', { siteId: SITE, token: 'abc' });
    // @ts-expect-error -- a report needs its findings
    await expect(producer.add('inspection.report', { siteId: SITE })).rejects.toThrow('Job inspection.report on queue inspection has an invalid payload: findings: ');
    // @ts-expect-error -- the payload of another job name (a visit's, without findings)
    await expect(producer.add('inspection.report', { siteId: SITE, minutes: 30 })).rejects.toThrow(/invalid payload: findings: /);
    // @ts-expect-error -- a job Bull numbers takes no id
    await expect(producer.add('inspection.visit', { siteId: SITE }, planId)).rejects.toThrow(/has no idParts/);
    // @ts-expect-error -- not a uuid
    await expect(producer.add('inspection.visit', { siteId: 42 })).rejects.toThrow(/invalid payload: siteId: /);
    // @ts-expect-error -- a keyed job needs its id
    await expect(producer.add('inspection.plan', { siteId: SITE })).rejects.toThrow(/needs an id made by jobId \(got undefined\)/);
    await expect(producer.add('inspection.plan', { siteId: SITE }, `inspection.visit:${SITE}:abc`)).rejects.toThrow(/needs an id made by jobId/);
    // @ts-expect-error -- no such job
    await expect(producer.add('inspection.cancel', { siteId: SITE })).rejects.toThrow('Queue inspection has no job inspection.cancel');
    expect(added).toEqual([]);
  });

  it('says whether Redis is connected', () => {
    const { queue } = recordingQueue();
    const producer = new QueueProducer(inspectionQueue, queue);
    expect(producer.connected).toBe(true);
    (queue.client as { status: string }).status = 'reconnecting';
    expect(producer.connected).toBe(false);
  });
});

describe('the dispatcher', () => {
  const delivered = (name: string, data: unknown, progress: number[] = []): DeliveredJob => ({
    id: 7,
    name,
    data,
    progress: async (percent) => {
      progress.push(percent);
    },
  });
  const seen: [string, unknown, string][] = [];
  const handlers: JobHandlers<typeof inspectionQueue> = {
    'inspection.plan': async (payload, job) => (seen.push(['plan', payload, job.id]), 'planned'),
    'inspection.visit': async (payload, job) => {
      seen.push(['visit', payload, job.id]);
      await job.progress(50);
      return payload.minutes;
    },
    'inspection.report': async (payload, job) => (seen.push(['report', payload, job.id]), payload.findings.length),
  };
  beforeEach(() => (seen.length = 0));

  it("runs the handler of each job name with its parsed payload and the job's id as text", async () => {
    const dispatch = jobDispatcher(inspectionQueue, handlers);
    const progress: number[] = [];
    expect(await dispatch(delivered('inspection.report', { siteId: SITE, findings: ['tiang miring'] }))).toBe(1);
    expect(await dispatch(delivered('inspection.visit', { siteId: SITE }, progress))).toBe(30);
    expect(await dispatch(delivered('inspection.plan', { siteId: SITE }))).toBe('planned');
    expect(seen).toEqual([
      ['report', { siteId: SITE, findings: ['tiang miring'] }, '7'],
      ['visit', { siteId: SITE, minutes: 30 }, '7'],
      ['plan', { siteId: SITE }, '7'],
    ]);
    expect(progress).toEqual([50]);
  });

  it('fails a job with a payload its schema refuses, with a clear message, without running a handler', async () => {
    const dispatch = jobDispatcher(inspectionQueue, handlers);
    await expect(dispatch(delivered('inspection.visit', { siteId: SITE, minutes: 0 }))).rejects.toThrow(
      /^Job inspection\.visit on queue inspection has an invalid payload: minutes: /,
    );
    await expect(dispatch(delivered('inspection.report', 'not an object'))).rejects.toThrow(/invalid payload: payload: /);
    expect(seen).toEqual([]);
  });

  it('fails a job of a name it does not know, saying so', async () => {
    const dispatch = jobDispatcher(inspectionQueue, handlers);
    await expect(dispatch(delivered('inspection.cancel', { siteId: SITE }))).rejects.toThrow(
      'No handler for job "inspection.cancel" on queue inspection; is this worker older than the api?',
    );
    await expect(dispatch(delivered('constructor', {}))).rejects.toThrow(/No handler for job "constructor"/);
  });

  it('cannot be made with a handler missing', () => {
    const partial = { 'inspection.plan': handlers['inspection.plan'], 'inspection.visit': handlers['inspection.visit'] } as unknown as JobHandlers<typeof inspectionQueue>;
    expect(() => jobDispatcher(inspectionQueue, partial)).toThrow(JobHandlersMissingError);
    expect(() => jobDispatcher(inspectionQueue, partial)).toThrow('job inspection.report of queue inspection has no handler');
  });
});
