import { z } from 'zod';
import { defineQueue } from './queue-contract';

/**
 * Uptime checks. `monitors.tick`, shared by every worker (one runs each occurrence), claims the
 * next few seconds of the schedule in the database (so no window is checked twice or skipped,
 * whichever worker runs it) and sends a `monitors.run` job per chunk of the monitors due in it;
 * any worker takes a chunk, runs each check at its slot, and records the chunk's results at once.
 */
export const monitoringQueue = defineQueue({
  name: 'monitoring',
  jobs: {
    'monitors.tick': { payload: z.object({}) },
    'monitors.run': {
      payload: z.object({ windowStart: z.number().int(), windowEnd: z.number().int(), monitorIds: z.array(z.uuid()).min(1).max(1000) }),
      idParts: ['window', 'chunk'],
    },
  },
  // A run is tried once: its window has passed by the time a retry would run.
  jobOptions: { attempts: 1, removeOnComplete: 200, removeOnFail: 500, timeout: 120 * 1000 },
  concurrency: 8,
  repeat: [{ job: 'monitors.tick', cron: '*/5 * * * * *', tz: 'UTC', input: {}, options: { attempts: 1, removeOnComplete: 20, removeOnFail: 100 } }],
});

export interface MonitoringJobResults {
  'monitors.tick': { windowStart: number; windowEnd: number; due: number; chunks: number; skippedMs: number };
  'monitors.run': { checked: number; recorded: number; up: number; down: number };
}
