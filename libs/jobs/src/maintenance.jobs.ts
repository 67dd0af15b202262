import { z } from 'zod';

/**
 * The contract between the api (producer) and the worker (consumer) for the maintenance queue.
 * Payloads carry ids, never entities, and are parsed again by the worker: Redis outlives deploys.
 */
export const MAINTENANCE_QUEUE = 'maintenance';

export const maintenanceJobSchemas = {
  /** Recompute the kabupaten/kecamatan/desa of sites and nodes from the admin area polygons. */
  'areas.recompute-membership': z.object({
    tables: z.array(z.enum(['sites', 'nodes'])).min(1).max(2).default(['sites', 'nodes']),
    /** Only these rows; null means every row of the tables. */
    ids: z.array(z.uuid()).max(10000).nullable().default(null),
    reason: z.string().max(200).optional(),
  }),
  /** Delete photos no status change took within so many days (uploads whose change was discarded). */
  'photos.purge-unlinked': z.object({
    olderThanDays: z.number().int().min(1).max(365).default(7),
  }),
} as const;

/** When the worker runs the daily housekeeping: 03:00 WIB (20:00 UTC), repeatable jobs shared by every worker. */
export const MAINTENANCE_SCHEDULE: { name: MaintenanceJobName; cron: string }[] = [{ name: 'photos.purge-unlinked', cron: '0 20 * * *' }];

export type MaintenanceJobName = keyof typeof maintenanceJobSchemas;
export const MAINTENANCE_JOB_NAMES = Object.keys(maintenanceJobSchemas) as MaintenanceJobName[];

/** What a producer must send (defaults may be left out). */
export type MaintenanceJobInput<N extends MaintenanceJobName> = z.input<(typeof maintenanceJobSchemas)[N]>;
/** What a consumer receives after parsing. */
export type MaintenanceJobPayload<N extends MaintenanceJobName> = z.output<(typeof maintenanceJobSchemas)[N]>;

export interface MaintenanceJobResults {
  'areas.recompute-membership': { sitesChanged: number; nodesChanged: number };
  'photos.purge-unlinked': { deleted: number };
}

export class JobPayloadError extends Error {
  constructor(readonly jobName: string, readonly problems: string[]) {
    super(`Job ${jobName} has an invalid payload: ${problems.join('; ')}`);
    this.name = 'JobPayloadError';
  }
}

export function isMaintenanceJobName(name: string): name is MaintenanceJobName {
  return Object.prototype.hasOwnProperty.call(maintenanceJobSchemas, name);
}

export function parseMaintenancePayload<N extends MaintenanceJobName>(name: N, data: unknown): MaintenanceJobPayload<N> {
  const result = maintenanceJobSchemas[name].safeParse(data);
  if (!result.success) {
    throw new JobPayloadError(name, result.error.issues.map((issue) => `${issue.path.join('.') || 'payload'}: ${issue.message}`));
  }
  return result.data as MaintenanceJobPayload<N>;
}

/** Retries with backoff, and bounded history in Redis. */
export const DEFAULT_JOB_OPTIONS = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 2000 },
  removeOnComplete: 1000,
  removeOnFail: 5000,
} as const;
