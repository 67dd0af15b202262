import type { Feature, FeatureCollection } from 'geojson';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { RunningApi, startApi, testConfig } from './support/apps';
import { bearer, createTestUser, signIn } from './support/auth';
import { openTestDatabase, OpenTestDatabase, testSettings } from './support/databases';
import { repoRoot, Spawned } from './support/processes';
import { waitFor } from './support/wait';
import { spawn } from 'node:child_process';

/**
 * A worker's job lock in this test (ms): a killed worker's job is taken up again within about two
 * of these. Longer than the worker ever blocks its event loop on this file (parsing it), or a live
 * worker would lose its job too.
 */
const LOCK_MS = 8000;
const SEGMENTS = 20000;

/** Many short cables on a grid inside Kotim, each with its own code (so each makes two end nodes). */
function bigFile(run: string): Buffer {
  const features: Feature[] = [];
  for (let i = 0; i < SEGMENTS; i++) {
    const lon = 112.3 + (i % 200) * 0.004;
    const lat = -2.9 + Math.floor(i / 200) * 0.004;
    features.push({
      type: 'Feature',
      properties: { code: `KR-${run}-${i}`, status: 'planned' },
      geometry: {
        type: 'LineString',
        coordinates: [
          [lon, lat],
          [lon + 0.001, lat + 0.0005],
          [lon + 0.002, lat],
        ],
      },
    });
  }
  return Buffer.from(JSON.stringify({ type: 'FeatureCollection', features } satisfies FeatureCollection));
}

/**
 * A worker process killed (SIGKILL) at several points of a large dry run and of its commit: the
 * import is never stuck, never half applied, and never applied twice. The job is delivered again
 * after a first crash; after a second one (Bull gives up on a job that stalls twice) the planner
 * asks again, without uploading anything.
 */
describe('imports survive a worker killed in the middle', () => {
  let db: OpenTestDatabase;
  let api: RunningApi;
  let token: string;
  let env: Record<string, string>;
  let worker: Spawned | undefined;
  const run = randomBytes(3).toString('hex');

  beforeAll(async () => {
    db = await openTestDatabase({ seeded: true });
    const prefix = `test-rec-${randomBytes(3).toString('hex')}`;
    api = await startApi(testConfig(db.url, { SERAT_QUEUE_PREFIX: prefix, SERAT_QUEUE_LOCK_MS: String(LOCK_MS) }));
    token = await signIn(api.baseUrl, await createTestUser(db.dataSource, 'planner'));
    env = { DATABASE_URL: db.url, REDIS_URL: testSettings.redisUrl, SERAT_QUEUE_PREFIX: prefix, SERAT_QUEUE_LOCK_MS: String(LOCK_MS), LOG_LEVEL: 'error', NODE_ENV: 'test' };
  }, 60000);
  afterAll(async () => {
    if (worker && worker.child.exitCode === null) {
      worker.child.kill('SIGKILL');
      await worker.exited();
    }
    await api?.close();
    await db?.close();
  }, 60000);

  /** The compiled worker as its own process, as in production, so that it can be killed outright. */
  const startWorkerProcess = async () => {
    const child = spawn(process.execPath, [path.join(repoRoot, 'dist', 'apps', 'worker', 'src', 'main.js')], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let text = '';
    child.stdout!.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (text += chunk.toString()));
    const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
    worker = { child, output: () => text, exited: () => exited, waitForLine: async () => '' };
    await waitFor(async () => (/Serat worker started/.test(text) ? true : child.exitCode !== null ? Promise.reject(new Error(text)) : undefined), 60000, 'the worker to start');
  };
  const kill = async () => {
    worker!.child.kill('SIGKILL');
    expect(await worker!.exited()).toBe('SIGKILL');
  };
  const get = async (id: string) => (await fetch(`${api.baseUrl}/api/imports/${id}`, { headers: bearer(token) })).json();
  /** Polls the import until it is in `state` with at least `percent` done; fails when it went past that state. */
  const reach = (id: string, state: string, percent: number) =>
    waitFor(
      async () => {
        const row = await get(id);
        if (row.state === state && row.progress >= percent) return row;
        if (
          !['queued', 'analysing', 'ready', 'committing'].includes(row.state) ||
          (state === 'analysing' && row.state === 'ready') ||
          (state === 'committing' && row.state === 'committed')
        ) {
          throw new Error(`the import went past ${state} ${percent} % before the worker could be killed (${row.state})`);
        }
        return undefined;
      },
      120000,
      `import ${id} at ${state} ${percent} %`,
    );
  const settled = (id: string, states: string[]) =>
    waitFor(
      async () => {
        const row = await get(id);
        return states.includes(row.state) ? row : undefined;
      },
      180000,
      `import ${id} to reach ${states.join('/')}`,
    );

  it('finishes the dry run and the commit exactly once, whatever point the worker dies at', async () => {
    await startWorkerProcess();
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(bigFile(run))]), `kabel-${run}.geojson`);
    const created = await (await fetch(`${api.baseUrl}/api/imports`, { method: 'POST', headers: bearer(token), body: form })).json();

    // Dry run: killed once after parsing (re-delivered by the queue), once while planning (the job
    // has stalled twice: the planner asks again), then left to finish.
    const first = await reach(created.id, 'analysing', 30);
    await kill();
    await startWorkerProcess();
    // Delivered again: a new run of the dry run takes it up (the version moves on), and gets as far.
    await waitFor(async () => ((await get(created.id)).version > first.version ? true : undefined), 60000, 'the dry run to be delivered again');
    await reach(created.id, 'analysing', 30);
    await kill();
    await startWorkerProcess();
    // Until the queue gives the job up, asking again is refused (it may still be delivered); then allowed.
    const asked = await waitFor(
      async () => {
        const response = await fetch(`${api.baseUrl}/api/imports/${created.id}/analyse`, {
          method: 'POST',
          headers: { ...bearer(token), 'content-type': 'application/json' },
          body: JSON.stringify({ options: {} }),
        });
        if (response.status === 409) return undefined;
        return response;
      },
      30000,
      'the abandoned dry run to be allowed again',
    );
    expect(asked.status).toBe(202);
    const analysed = await settled(created.id, ['ready', 'failed']);
    expect(analysed.summary).toEqual(expect.objectContaining({ create: SEGMENTS, reject: 0 }));

    // Commit: killed at three points. Its progress is read from the job while it runs.
    const commit = () => fetch(`${api.baseUrl}/api/imports/${created.id}/commit`, { method: 'POST', headers: bearer(token) });
    expect((await commit()).status).toBe(202);
    const early = await reach(created.id, 'committing', 5);
    await kill();
    await startWorkerProcess();
    await waitFor(async () => ((await get(created.id)).version > early.version ? true : undefined), 60000, 'the commit to be delivered again');
    await reach(created.id, 'committing', 40);
    await kill();
    await startWorkerProcess();
    // Stalled twice: asked again (refused while the job might still come back).
    await waitFor(async () => ((await commit()).status === 202 ? true : undefined), 30000, 'the abandoned commit to be allowed again');
    await reach(created.id, 'committing', 80);
    await kill();
    await startWorkerProcess();
    const committed = await settled(created.id, ['committed', 'failed']);
    expect(committed).toEqual(expect.objectContaining({ state: 'committed', errorCode: null }));

    // All of it, once: every cable, two end nodes each, one commit in the audit trail.
    const [segments] = await db.dataSource.query(`SELECT count(*)::int AS n, count(DISTINCT code)::int AS codes FROM segments WHERE code LIKE $1`, [`KR-${run}-%`]);
    expect(segments).toEqual({ n: SEGMENTS, codes: SEGMENTS });
    const [nodes] = await db.dataSource.query(`SELECT count(*)::int AS n FROM nodes WHERE code LIKE $1`, [`KR-${run}-%`]);
    expect(nodes.n).toBe(2 * SEGMENTS);
    const commits = await db.dataSource.query(`SELECT count(*)::int AS n FROM audit_log WHERE entity_type = 'import' AND entity_id = $1 AND action = 'commit'`, [created.id]);
    expect(commits).toEqual([{ n: 1 }]);
    const history = await db.dataSource.query(`SELECT count(*)::int AS n FROM status_changes c JOIN segments s ON s.id = c.segment_id WHERE s.code LIKE $1`, [`KR-${run}-%`]);
    expect(history).toEqual([{ n: SEGMENTS }]);
  }, 300000);
});
