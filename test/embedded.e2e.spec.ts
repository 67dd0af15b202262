import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort } from './support/ports';
import { redisAnswers } from '../apps/cli/src/redis-target';
import { FlowTarget, MAIN_FLOWS, newFlowState } from './support/main-flows';
import { Spawned, spawnCli } from './support/processes';

/** The environment of a fresh machine: nothing of Serat's configured but where to keep its data and listen. */
function freshEnvironment(dataDir: string, port: number, extra: Record<string, string> = {}): Record<string, string> {
  // SERAT_REDIS_START=always: this machine has a Redis on 6379 (the tests'), a fresh one would not;
  // Serat starts its own redis-server under the data directory, as it does there.
  return { SERAT_DATA_DIR: dataDir, PORT: String(port), SERAT_REDIS_START: 'always', ...extra };
}

const DEMO_LINE = /^serat:\s+(admin|planner|technician|mentor|viewer)\s+(\S+)\s+(\S+)$/gm;

/**
 * The first-run experience and every main flow on the embedded database, exactly as `npm start`
 * sets it up with nothing configured: PGlite on a free loopback port, a redis-server of its own
 * under the data directory, the api and one worker. test/main-flows.e2e.spec.ts runs the same
 * flows on PostgreSQL.
 */
describe('npm start on the embedded database (nothing configured)', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'serat-embedded-'));
  let port: number;
  let env: Record<string, string>;
  let serat: Spawned | undefined;
  const accounts = new Map<string, { login: string; password: string }>();

  beforeAll(async () => {
    port = await freePort();
    env = freshEnvironment(dataDir, port);
  });

  afterAll(async () => {
    if (serat && serat.child.exitCode === null) {
      serat.child.kill('SIGTERM');
      await serat.exited();
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const tokens = new Map<string, string>();
  const target: FlowTarget = {
    get baseUrl() {
      return `http://127.0.0.1:${port}`;
    },
    token: async (role) => {
      if (!tokens.has(role)) {
        const response = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ ...accounts.get(role)!, client: 'api' }),
        });
        if (response.status !== 200) throw new Error(`sign-in as the demo ${role} failed: ${response.status}`);
        tokens.set(role, (await response.json()).accessToken);
      }
      return tokens.get(role)!;
    },
    get credentials() {
      return accounts.get('planner')!;
    },
  };
  const viewerGet = async (url: string) => {
    const login = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...accounts.get('viewer')!, client: 'api' }),
    });
    return (await fetch(`http://127.0.0.1:${port}${url}`, { headers: { authorization: `Bearer ${(await login.json()).accessToken}` } })).json();
  };
  const kecamatanCount = async () => (await viewerGet('/api/areas?level=kecamatan')).numberReturned;

  it('boots, migrates, seeds, starts its own Redis and says only what a new user needs', async () => {
    serat = spawnCli(['start'], env);
    await serat.waitForLine(/Serat is running after [\d.]+ s\. Open http:\/\/localhost:\d+\//, 150000);
    const output = serat.output();
    expect(output).toMatch(/Migrations applied: InitialSchema/);
    expect(output).toMatch(/203 areas written/);
    expect(output).toMatch(/Embedded database ready on 127\.0\.0\.1:\d+/);
    expect(output).toMatch(new RegExp(`Redis started for background jobs on 127\\.0\\.0\\.1:\\d+ \\(files in ${dataDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/redis\\)`));
    // The accounts and the address, not Nest's list of modules and routes.
    for (const match of output.matchAll(DEMO_LINE)) accounts.set(match[1], { login: match[2], password: match[3] });
    expect([...accounts.keys()]).toEqual(['admin', 'planner', 'technician', 'mentor', 'viewer']);
    expect(output).not.toMatch(/Mapped \{|RoutesResolver|InstanceLoader/);
    expect(output.trim().split('\n').length).toBeLessThan(25);

    expect(await kecamatanCount()).toBe(17);
    // "Connected" read from connected_nodes, recomputed after the triggers marked a change: on PGlite too.
    const sites = await viewerGet('/api/sites?limit=500');
    const connected = sites.features.filter((f: { properties: { connected: boolean } }) => f.properties.connected).length;
    expect(connected).toBeGreaterThan(10);
    expect(connected).toBeLessThan(sites.numberReturned);
    const health = await (await fetch(`http://127.0.0.1:${port}/api/health`)).json();
    expect(health).toEqual(expect.objectContaining({ status: 'ok', database: { status: 'up' }, redis: { status: 'up' } }));
  }, 180000);

  describe('every main flow', () => {
    const state = newFlowState();
    for (const flow of MAIN_FLOWS)
      it(
        flow.name,
        async () => {
          // What Serat logged while the flow ran goes with its failure (a 500's cause is in it).
          const output = () => serat?.output() ?? '';
          const logged = output().length;
          try {
            await flow.run(target, state);
          } catch (error) {
            if (error instanceof Error) error.message += `\n\nSerat's output meanwhile:\n${output().slice(logged).slice(-4000)}`;
            throw error;
          }
        },
        120000,
      );
  });

  it('refuses a second process on the same data directory with a clear message', async () => {
    const second = spawnCli(['migrate'], env);
    expect(await second.exited()).toBe(1);
    expect(second.output()).toMatch(/already open in another Serat process\. Stop that process first/);
    expect(await kecamatanCount()).toBe(17); // the first one is unharmed
  }, 60000);

  it('runs beside a second installation on the same machine (each picks free ports)', async () => {
    const otherDir = fs.mkdtempSync(path.join(os.tmpdir(), 'serat-embedded-2-'));
    const otherPort = await freePort();
    const other = spawnCli(['start'], freshEnvironment(otherDir, otherPort, { SERAT_SEED_DEMO: 'never' }));
    try {
      await other.waitForLine(/Serat is running after/, 150000);
      const health = await (await fetch(`http://127.0.0.1:${otherPort}/api/health`)).json();
      expect(health.database).toEqual({ status: 'up' });
      expect(await kecamatanCount()).toBe(17);
      other.child.kill('SIGTERM');
      expect(await other.exited()).toBe(0);
    } finally {
      if (other.child.exitCode === null) {
        other.child.kill('SIGTERM');
        await other.exited();
      }
      fs.rmSync(otherDir, { recursive: true, force: true });
    }
  }, 180000);

  it('stops cleanly on SIGTERM, its Redis with it, and keeps the data for the next start', async () => {
    const redisUrl = `redis://127.0.0.1:${serat!.output().match(/Redis started for background jobs on 127\.0\.0\.1:(\d+)/)![1]}`;
    expect(await redisAnswers(redisUrl)).toBe(true);
    serat!.child.kill('SIGTERM');
    expect(await serat!.exited()).toBe(0);
    expect(await redisAnswers(redisUrl)).toBe(false);

    serat = spawnCli(['start'], env);
    await serat.waitForLine(/Serat is running/, 150000);
    expect(serat.output()).toMatch(/Database schema is up to date/);
    expect(serat.output()).not.toMatch(/Loading the Kotim boundaries/);
    // The same demo accounts again: a returning user need not scroll back to the first start.
    expect([...serat.output().matchAll(DEMO_LINE)].map((m) => m[3])).toEqual([...accounts.values()].map((a) => a.password));
    expect(await kecamatanCount()).toBe(17);
    serat.child.kill('SIGTERM');
    expect(await serat.exited()).toBe(0);
  }, 180000);
});

describe('npm start without any Redis', () => {
  it('says in one line what waits for Redis and how to enable it, and serves the api meanwhile', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'serat-noredis-'));
    const port = await freePort();
    // A PATH without redis-server (Serat's processes are started with node's own path), and
    // SERAT_REDIS_START=always so that the tests' own Redis is not used.
    const emptyPath = fs.mkdtempSync(path.join(os.tmpdir(), 'serat-path-'));
    const serat = spawnCli(['start'], { ...freshEnvironment(dataDir, port, { SERAT_SEED_DEMO: 'never' }), PATH: emptyPath });
    try {
      await serat.waitForLine(/Serat is running after/, 150000);
      const said = serat
        .output()
        .split('\n')
        .filter((l) => /Redis is not running/.test(l));
      expect(said).toEqual([
        'serat: Redis is not running and redis-server is not installed: imports wait for it (and, soon, uptime monitoring); ' +
          'the map, editing and status changes work without it. To enable them: apt-get install redis-server, or set REDIS_URL.',
      ]);
      expect(serat.output()).not.toMatch(/\n\s+at /); // no stack trace
      const health = await (await fetch(`http://127.0.0.1:${port}/api/health`)).json();
      // Served meanwhile. (Whether /api/health finds a Redis depends on this machine: the api
      // still looks on 127.0.0.1:6379, where the tests' own Redis answers.)
      expect(health.database).toEqual({ status: 'up' });
      serat.child.kill('SIGTERM');
      expect(await serat.exited()).toBe(0);
    } finally {
      if (serat.child.exitCode === null) {
        serat.child.kill('SIGTERM');
        await serat.exited();
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
      fs.rmSync(emptyPath, { recursive: true, force: true });
    }
  }, 180000);
});
