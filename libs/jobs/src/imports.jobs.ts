import { z } from 'zod';
import { defineQueue } from './queue-contract';

const actor = z.object({
  actorId: z.uuid().nullable(),
  actorLabel: z.string().max(200),
  requestId: z.string().max(100).nullable().optional(),
  ip: z.string().max(100).nullable().optional(),
});

/**
 * The import queue: a dry run, then the commit. Each asking (an upload, a re-analysis, a commit)
 * is one job whose id the api stores in the import's row with the state it queues the job for;
 * a worker acts only while the row still names it.
 */
export const importsQueue = defineQueue({
  name: 'imports',
  jobs: {
    'import.analyse': { payload: z.object({ importId: z.uuid() }), idParts: ['importId', 'token'] },
    'import.commit': { payload: z.object({ importId: z.uuid(), actor }), idParts: ['importId', 'token'] },
  },
  jobOptions: { attempts: 1, removeOnComplete: 500, removeOnFail: 1000, timeout: 15 * 60 * 1000 },
  // One import at a time per worker: an import holds a whole file in memory.
  concurrency: 1,
});
