import { z } from 'zod';
import { importsQueue } from './imports.jobs';
import { maintenanceQueue } from './maintenance.jobs';
import { defineQueue, JobHandlers, JobHandlersMissingError, JobPayloadError, jobHandlerProblems, QueueConsumer } from './queue-contract';

const surveyQueue = defineQueue({
  name: 'survey',
  jobs: {
    'survey.start': { payload: z.object({ siteId: z.uuid(), note: z.string().max(10).default('') }), idParts: ['siteId', 'day'] },
    'survey.remind': { payload: z.object({ siteId: z.uuid() }) },
  },
  jobOptions: { attempts: 2 },
  concurrency: 3,
});
const SITE = '7b0f3c0e-8d4a-4a57-9d43-2f1c1b7e6a11';

describe('a queue definition', () => {
  it('lists its job names, and knows only those', () => {
    expect(surveyQueue.jobNames).toEqual(['survey.start', 'survey.remind']);
    expect(surveyQueue.isJobName('survey.remind')).toBe(true);
    expect(surveyQueue.isJobName('survey.stop')).toBe(false);
    expect(surveyQueue.isJobName('toString')).toBe(false);
  });

  it('parses a payload with its schema, defaults filled in and unknown keys dropped', () => {
    expect(surveyQueue.parse('survey.start', { siteId: SITE, extra: 1 })).toEqual({ siteId: SITE, note: '' });
  });

  it('refuses a payload that does not fit, naming the job, the queue and each problem', () => {
    const error = (() => {
      try {
        surveyQueue.parse('survey.start', { siteId: 'kantor-camat', note: 'far too long a note' });
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(JobPayloadError);
    expect((error as JobPayloadError).message).toMatch(/^Job survey\.start on queue survey has an invalid payload: siteId: .+; note: .+$/);
    expect(() => surveyQueue.parse('survey.remind', null)).toThrow('Job survey.remind on queue survey has an invalid payload: payload: ');
  });

  it('makes deterministic job ids from the name and the parts, and recognises them', () => {
    const id = surveyQueue.jobId('survey.start', { day: '2026-10-01', siteId: SITE });
    expect(id).toBe(`survey.start:${SITE}:2026-10-01`);
    expect(surveyQueue.jobId('survey.start', { siteId: SITE, day: '2026-10-01' })).toBe(id);
    expect(surveyQueue.isJobIdOf('survey.start', id)).toBe(true);
    expect(surveyQueue.isJobIdOf('survey.start', `survey.start:${SITE}`)).toBe(false);
    expect(surveyQueue.isJobIdOf('survey.start', `survey.start:${SITE}:`)).toBe(false);
    expect(surveyQueue.isJobIdOf('survey.start', `survey.remind:${SITE}:2026-10-01`)).toBe(false);
    // A job without idParts is numbered by Bull: no id is its own.
    expect(surveyQueue.isJobIdOf('survey.remind', `survey.remind:${SITE}:2026-10-01`)).toBe(false);
  });

  it('refuses id parts that would make the id ambiguous', () => {
    expect(() => surveyQueue.jobId('survey.start', { siteId: SITE, day: '10:00' })).toThrow(/day of survey\.start must be a non-empty text without ":"/);
    expect(() => surveyQueue.jobId('survey.start', { siteId: '', day: '2026-10-01' })).toThrow(/siteId/);
    expect(() => defineQueue({ name: 'x', jobs: { 'a:b': { payload: z.object({}) } }, jobOptions: {}, concurrency: 1 })).toThrow(/a:b of queue x contains ":"/);
  });

  it('keeps the shape of the import job ids that import rows hold (imports.job_id)', () => {
    const id = importsQueue.jobId('import.commit', { importId: SITE, token: 'a1b2c3d4e5f6' });
    expect(id).toBe(`import.commit:${SITE}:a1b2c3d4e5f6`);
    expect(importsQueue.isJobIdOf('import.commit', id)).toBe(true);
    expect(importsQueue.isJobIdOf('import.analyse', id)).toBe(false);
  });

  it("declares the daily photo purge at 03:00 WIB, the figures' compaction every five minutes, the progress snapshot at 55 past every hour and the evidence packs' expiry through the maintenance definition", () => {
    expect(maintenanceQueue.repeat).toEqual([
      expect.objectContaining({ job: 'photos.purge-unlinked', cron: '0 20 * * *', tz: 'UTC' }),
      expect.objectContaining({ job: 'rollups.compact', cron: '*/5 * * * *', tz: 'UTC' }),
      expect.objectContaining({ job: 'progress.snapshot', cron: '55 * * * *', tz: 'UTC' }),
      expect.objectContaining({ job: 'evidence-packs.expire', cron: '10 20 * * *', tz: 'UTC' }),
      expect.objectContaining({ job: 'monitors.partitions', cron: '20 20 * * *', tz: 'UTC' }),
    ]);
    expect(maintenanceQueue.parse('photos.purge-unlinked', maintenanceQueue.repeat[0].input)).toEqual({ olderThanDays: 7 });
  });

  it('type-checks its repeats against its jobs', () => {
    defineQueue({
      name: 'typed-repeats',
      jobs: { tick: { payload: z.object({ everyS: z.number() }) } },
      jobOptions: {},
      concurrency: 1,
      // @ts-expect-error -- no such job in this queue
      repeat: [{ job: 'tock', cron: '* * * * *', tz: 'UTC', input: { everyS: 1 } }],
    });
    defineQueue({
      name: 'typed-repeats',
      jobs: { tick: { payload: z.object({ everyS: z.number() }) } },
      jobOptions: {},
      concurrency: 1,
      // @ts-expect-error -- the input does not fit the job's payload
      repeat: [{ job: 'tick', cron: '* * * * *', tz: 'UTC', input: { everyS: 'often' } }],
    });
  });
});

describe('the start-up check of the job handlers', () => {
  const handlers: JobHandlers<typeof surveyQueue> = { 'survey.start': async () => 1, 'survey.remind': async () => 2 };
  const complete: QueueConsumer = { queue: surveyQueue, handlers };

  it('passes when each queue has one consumer with a handler for each job name', () => {
    expect(jobHandlerProblems([surveyQueue], [complete])).toEqual([]);
  });

  it('names every job without a handler, every queue without one consumer, every consumer of a queue not registered', () => {
    // A map the compiler would refuse, as one built by hand or with a cast could be.
    const partial = { queue: surveyQueue, handlers: { 'survey.start': async () => 1 } } as unknown as QueueConsumer;
    expect(jobHandlerProblems([surveyQueue], [partial])).toEqual(['job survey.remind of queue survey has no handler']);
    expect(jobHandlerProblems([surveyQueue, maintenanceQueue], [complete])).toEqual(['queue maintenance has no consumer']);
    expect(jobHandlerProblems([surveyQueue], [complete, complete])).toEqual(['queue survey has 2 consumers']);
    expect(jobHandlerProblems([], [complete])).toEqual(['queue survey has a consumer but is not registered']);
  });

  it('says all of it in one line', () => {
    const partial = { queue: surveyQueue, handlers: {} } as unknown as QueueConsumer;
    const error = new JobHandlersMissingError(jobHandlerProblems([surveyQueue, importsQueue], [partial]));
    expect(error.message).toBe(
      'The worker cannot run every job of the queues it consumes: job survey.start of queue survey has no handler; job survey.remind of queue survey has no handler; queue imports has no consumer',
    );
    expect(error.message).not.toContain('\n');
  });

  it('is backed by the compiler: a handler map must name every job, with the payload of each', () => {
    // @ts-expect-error -- survey.remind has no handler
    const missing: JobHandlers<typeof surveyQueue> = { 'survey.start': async () => 1 };
    const wrongPayload: JobHandlers<typeof surveyQueue> = {
      'survey.start': async (payload) => payload.siteId,
      // @ts-expect-error -- survey.remind's payload has no note
      'survey.remind': async (payload) => payload.note,
    };
    expect([missing, wrongPayload]).toHaveLength(2);
  });
});
