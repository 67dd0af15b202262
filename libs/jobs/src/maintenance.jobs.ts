import { z } from 'zod';
import { defineQueue } from './queue-contract';

/** Housekeeping: jobs an admin or planner asks for, and the daily ones. */
export const maintenanceQueue = defineQueue({
  name: 'maintenance',
  jobs: {
    /** Recompute the kabupaten/kecamatan/desa of sites and nodes from the admin area polygons. */
    'areas.recompute-membership': {
      payload: z.object({
        tables: z
          .array(z.enum(['sites', 'nodes']))
          .min(1)
          .max(2)
          .default(['sites', 'nodes']),
        /** Only these rows; null means every row of the tables. */
        ids: z.array(z.uuid()).max(10000).nullable().default(null),
        reason: z.string().max(200).optional(),
      }),
    },
    /** Delete photos no status change took within so many days (uploads whose change was discarded). */
    'photos.purge-unlinked': { payload: z.object({ olderThanDays: z.number().int().min(1).max(365).default(7) }) },
    /** Replace the rows the area figures' triggers appended by their sums (reads sum fewer rows); safe beside another run. */
    'rollups.compact': { payload: z.object({}) },
    /** Record today's progress figures (the history's day); the first run works out the past from the status history. */
    'progress.snapshot': { payload: z.object({}) },
    /** Build a milestone's evidence pack (its row says where it stands; its bytes go to the database). */
    'milestones.evidence-pack': { payload: z.object({ packId: z.uuid() }) },
    /** Remove the evidence packs older than SERAT_EVIDENCE_PACK_DAYS. */
    'evidence-packs.expire': { payload: z.object({}) },
    /** Make the monitors' result partitions of the coming months (before their first result arrives). */
    'monitors.partitions': { payload: z.object({ months: z.number().int().min(1).max(24).default(3) }) },
  },
  // Retries with backoff, and bounded history in Redis.
  jobOptions: { attempts: 3, backoff: { type: 'exponential', delay: 2000 }, removeOnComplete: 1000, removeOnFail: 5000 },
  concurrency: 2,
  // The daily housekeeping at 03:00 WIB (20:00 UTC), shared by every worker: one of them runs each
  // occurrence. One attempt, as before this contract: the next day's run is the retry.
  // The figures' compaction every five minutes: each change appends a dozen rows, so a busy day
  // between compactions would leave the reads summing many.
  // The progress snapshot at 55 past every hour: each run replaces the region's day so far, so the
  // day's last run (23:55 in any whole-hour zone: WIB, WITA, WIT) records how the day ended, and a
  // day when the workers were down for a while is still recorded.
  repeat: [
    { job: 'photos.purge-unlinked', cron: '0 20 * * *', tz: 'UTC', input: {}, options: { attempts: 1, removeOnComplete: 30, removeOnFail: 100 } },
    { job: 'rollups.compact', cron: '*/5 * * * *', tz: 'UTC', input: {}, options: { attempts: 1, removeOnComplete: 30, removeOnFail: 100 } },
    { job: 'progress.snapshot', cron: '55 * * * *', tz: 'UTC', input: {}, options: { attempts: 1, removeOnComplete: 30, removeOnFail: 100 } },
    { job: 'evidence-packs.expire', cron: '10 20 * * *', tz: 'UTC', input: {}, options: { attempts: 1, removeOnComplete: 30, removeOnFail: 100 } },
    { job: 'monitors.partitions', cron: '20 20 * * *', tz: 'UTC', input: {}, options: { attempts: 1, removeOnComplete: 30, removeOnFail: 100 } },
  ],
});

/** What each maintenance job returns (the api shows it as the job's result). */
export interface MaintenanceJobResults {
  'areas.recompute-membership': { sitesChanged: number; nodesChanged: number };
  'photos.purge-unlinked': { deleted: number };
  'rollups.compact': { removed: number; written: number };
  'progress.snapshot': { day: string; rows: number; backfill: { days: number; rows: number; nodesDated: number } | null };
  'milestones.evidence-pack': { files: number; sizeBytes: number } | { failed: string };
  'evidence-packs.expire': { removed: number };
  'monitors.partitions': { made: number };
}
