import { loadConfig } from '@serat/config';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort } from '../../../test/support/ports';
import { openRedisTarget, redisAnswers } from './redis-target';

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let waited = 0; waited < 10000; waited += 100) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The Redis that `npm start` starts with nothing configured: a real redis-server from the PATH. */
describe('the Redis of npm start', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'serat-redis-'));
  const config = loadConfig({ SERAT_DATA_DIR: dataDir, SERAT_REDIS_START: 'always' });
  const lines: string[] = [];
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('starts redis-server under the data directory on a free loopback port, and stops it on close', async () => {
    const target = await openRedisTarget(config, (line) => lines.push(line));
    try {
      expect(target.started).toBe(true);
      expect(target.url).toMatch(/^redis:\/\/127\.0\.0\.1:\d+$/);
      expect(target.url).not.toBe('redis://127.0.0.1:6379');
      expect(await redisAnswers(target.url)).toBe(true);
      expect(fs.existsSync(path.join(dataDir, 'redis', 'redis.log'))).toBe(true);
    } finally {
      await target.close();
    }
    expect(await redisAnswers(target.url)).toBe(false);
  });

  it('stops a redis-server that a killed Serat left running in its folder before starting its own', async () => {
    const dir = path.join(dataDir, 'redis');
    const port = await freePort();
    const orphan = spawn('redis-server', ['--bind', '127.0.0.1', '--port', String(port), '--dir', dir, '--pidfile', path.join(dir, 'redis-server.pid'), '--save', ''], {
      stdio: 'ignore',
    });
    const gone = new Promise((resolve) => orphan.once('exit', resolve));
    await until(() => redisAnswers(`redis://127.0.0.1:${port}`), 'the orphan to answer');
    await until(async () => fs.existsSync(path.join(dir, 'redis-server.pid')), 'its pid file');
    const target = await openRedisTarget(config, () => undefined);
    try {
      await gone;
      expect(await redisAnswers(`redis://127.0.0.1:${port}`)).toBe(false);
      expect(await redisAnswers(target.url)).toBe(true);
    } finally {
      await target.close();
    }
  });

  it('leaves alone a redis-server of another folder that a stale pid file names', async () => {
    const dir = path.join(dataDir, 'redis');
    const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'serat-redis-other-'));
    const port = await freePort();
    const other = spawn('redis-server', ['--bind', '127.0.0.1', '--port', String(port), '--dir', elsewhere, '--save', ''], { stdio: 'ignore' });
    try {
      await until(() => redisAnswers(`redis://127.0.0.1:${port}`), 'the other redis-server to answer');
      fs.writeFileSync(path.join(dir, 'redis-server.pid'), String(other.pid));
      const target = await openRedisTarget(config, () => undefined);
      await target.close();
      expect(await redisAnswers(`redis://127.0.0.1:${port}`)).toBe(true);
    } finally {
      other.kill('SIGTERM');
      fs.rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it("shares the machine's Redis under a queue prefix of its own data directory", async () => {
    // The tests' Redis answers on 6379, as a machine's own would.
    const one = await openRedisTarget(loadConfig({ SERAT_DATA_DIR: dataDir }), () => undefined);
    const two = await openRedisTarget(loadConfig({ SERAT_DATA_DIR: `${dataDir}-2` }), () => undefined);
    expect(one).toEqual(expect.objectContaining({ url: 'redis://127.0.0.1:6379', started: false }));
    expect(one.queuePrefix).toMatch(/^serat-[0-9a-f]{8}$/);
    expect(two.queuePrefix).not.toBe(one.queuePrefix);
    const pinned = await openRedisTarget(loadConfig({ SERAT_DATA_DIR: dataDir, SERAT_QUEUE_PREFIX: 'kotim' }), () => undefined);
    expect(pinned.queuePrefix).toBe('kotim');
  });

  it('uses REDIS_URL as given, and starts nothing, when it is set', async () => {
    const given = await openRedisTarget(loadConfig({ SERAT_DATA_DIR: dataDir, REDIS_URL: 'redis://10.0.0.9:6390' }), () => undefined);
    expect(given).toEqual(expect.objectContaining({ url: 'redis://10.0.0.9:6390', started: false }));
  });
});
