import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { testSettings } from './support/databases';
import { Spawned, spawnCli } from './support/processes';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * The first-run experience: `npm start` with nothing configured opens the embedded PGlite
 * database, migrates it, loads Kotim and serves the map; a restart keeps the data.
 */
describe('npm start on the embedded database (no DATABASE_URL)', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'serat-embedded-'));
  let port: number;
  let env: Record<string, string>;
  let serat: Spawned | undefined;

  beforeAll(async () => {
    port = await freePort();
    env = {
      SERAT_DATA_DIR: dataDir,
      PORT: String(port),
      SERAT_EMBEDDED_DB_PORT: '0',
      REDIS_URL: testSettings.redisUrl,
      SERAT_QUEUE_PREFIX: `test-emb-${randomBytes(3).toString('hex')}`,
      LOG_LEVEL: 'warn',
    };
  });

  afterAll(async () => {
    if (serat && serat.child.exitCode === null) {
      serat.child.kill('SIGKILL');
      await serat.exited();
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  /** Signs in as the demo viewer whose password the first start printed, and counts the kecamatan. */
  const viewerGet = async (path: string) => {
    const password = serat!.output().match(/viewer\s+peninjau\s+(\S+)/)?.[1] ?? firstPassword;
    const login = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: 'peninjau', password, client: 'api' }),
    });
    const { accessToken } = await login.json();
    return (await fetch(`http://127.0.0.1:${port}${path}`, { headers: { authorization: `Bearer ${accessToken}` } })).json();
  };
  const kecamatanCount = async () => (await viewerGet('/api/areas?level=kecamatan')).numberReturned;
  let firstPassword = '';

  it('boots, migrates, seeds and serves the 17 kecamatan', async () => {
    serat = spawnCli(['start'], env);
    await serat.waitForLine(/Serat is running after [\d.]+ s\. Open http:\/\/localhost:\d+\//, 120000);
    expect(serat.output()).toMatch(/Migrations applied: InitialSchema/);
    expect(serat.output()).toMatch(/203 areas written/);
    firstPassword = serat.output().match(/viewer\s+peninjau\s+(\S+)/)![1];
    expect(await kecamatanCount()).toBe(17);
    // "Connected" read from connected_nodes, recomputed after the triggers marked a change: on PGlite too.
    const sites = await viewerGet('/api/sites?limit=500');
    const connected = sites.features.filter((f: { properties: { connected: boolean } }) => f.properties.connected).length;
    expect(connected).toBeGreaterThan(10);
    expect(connected).toBeLessThan(sites.numberReturned);
    const demo = await (await fetch(`http://127.0.0.1:${port}/api/auth/demo-accounts`)).json();
    expect(demo.accounts.map((a: { role: string }) => a.role)).toEqual(['admin', 'planner', 'technician', 'mentor', 'viewer']);
    const health = await (await fetch(`http://127.0.0.1:${port}/api/health`)).json();
    expect(health.database).toEqual({ status: 'up' });
  }, 150000);

  it('refuses a second process on the same data directory with a clear message', async () => {
    const second = spawnCli(['migrate'], env);
    expect(await second.exited()).toBe(1);
    expect(second.output()).toMatch(/already open in another Serat process\. Stop that process first/);
    expect(await kecamatanCount()).toBe(17); // the first one is unharmed
  }, 60000);

  it('stops cleanly on SIGTERM and keeps the data for the next start', async () => {
    serat!.child.kill('SIGTERM');
    expect(await serat!.exited()).toBe(0);

    serat = spawnCli(['start'], env);
    await serat.waitForLine(/Serat is running/, 120000);
    expect(serat.output()).toMatch(/Database schema is up to date/);
    expect(serat.output()).not.toMatch(/Loading the Kotim boundaries/);
    expect(await kecamatanCount()).toBe(17);
    serat.child.kill('SIGTERM');
    expect(await serat.exited()).toBe(0);
  }, 150000);
});
