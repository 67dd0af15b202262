import { z } from 'zod';

/** The import queue: a dry run, then the commit, each run once per import (deterministic job ids). */
export const IMPORTS_QUEUE = 'imports';

const actor = z.object({ actorId: z.uuid().nullable(), actorLabel: z.string().max(200), requestId: z.string().max(100).nullable().optional(), ip: z.string().max(100).nullable().optional() });

export const importJobSchemas = {
  'import.analyse': z.object({ importId: z.uuid() }),
  'import.commit': z.object({ importId: z.uuid(), actor }),
} as const;

export type ImportJobName = keyof typeof importJobSchemas;
export type ImportJobPayload<N extends ImportJobName> = z.output<(typeof importJobSchemas)[N]>;

export function isImportJobName(name: string): name is ImportJobName {
  return Object.prototype.hasOwnProperty.call(importJobSchemas, name);
}

export function parseImportPayload<N extends ImportJobName>(name: N, data: unknown): ImportJobPayload<N> {
  const result = importJobSchemas[name].safeParse(data);
  if (!result.success) throw new Error(`Job ${name} has an invalid payload: ${result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return result.data as ImportJobPayload<N>;
}

/**
 * The id of one asking (an upload, a re-analysis, a commit): the api stores it in the import's
 * row with the state it queues the job for, and a worker acts only while the row still names it.
 */
export function importJobId(name: ImportJobName, importId: string, token: string): string {
  return `${name}:${importId}:${token}`;
}

export const IMPORT_JOB_OPTIONS = { attempts: 1, removeOnComplete: 500, removeOnFail: 1000, timeout: 15 * 60 * 1000 } as const;
