import { DEFAULT_REDIS_URL, programOnPath, redactUrl, SeratConfig } from '@serat/config';
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import * as lockfile from 'proper-lockfile';

export interface RedisTarget {
  /** The URL the api and the worker are given. */
  url: string;
  /** A redis-server this process started (stopped by close). */
  started: boolean;
  close(): Promise<void>;
}

/** What `npm start` says, in one line, when there is no Redis to use or to start. */
export const NO_REDIS_LINE =
  'Redis is not running and redis-server is not installed: imports wait for it (and, soon, uptime monitoring); ' +
  'the map, editing and status changes work without it. To enable them: apt-get install redis-server, or set REDIS_URL.';

/** Whether anything speaking Redis answers at url within timeoutMs (an error reply such as NOAUTH counts: it is a Redis). */
export function redisAnswers(url: string, timeoutMs = 500): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname.replace(/^\[|\]$/g, '') || '127.0.0.1', port: Number(port) || 6379 });
    const done = (answer: boolean) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (chunk) => done(chunk[0] === 0x2b || chunk[0] === 0x2d)); // '+PONG' or '-ERR …'
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const force = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

const none = async () => undefined;

const PIDFILE = 'redis-server.pid';

/**
 * A redis-server left running by a Serat that was killed outright (SIGKILL, a crash: its
 * children are not stopped with it) still writes to this folder; it is stopped before a new one
 * starts there. Only a process whose command is redis-server is touched.
 */
export async function stopOrphan(dir: string): Promise<void> {
  const file = path.join(dir, PIDFILE);
  if (!fs.existsSync(file)) return;
  const pid = Number(fs.readFileSync(file, 'utf8').trim());
  let command = '';
  try {
    command = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    // gone, or not a system with /proc: nothing to stop
  }
  if (Number.isInteger(pid) && pid > 1 && command.includes('redis-server')) {
    process.kill(pid, 'SIGTERM');
    for (let waited = 0; waited < 5000 && fs.existsSync(`/proc/${pid}`); waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
    if (fs.existsSync(`/proc/${pid}`)) process.kill(pid, 'SIGKILL');
  }
  fs.rmSync(file, { force: true });
}

/**
 * The Redis for `npm start`: REDIS_URL when set; else the usual local one when it answers (with
 * SERAT_REDIS_START=auto); else a redis-server from the PATH, started here with its files under
 * the data directory (append-only file, so queued jobs survive a restart) on a free loopback
 * port, and stopped with Serat. Without one, Serat still starts and says in one line what waits.
 */
export async function openRedisTarget(config: SeratConfig, log: (line: string) => void): Promise<RedisTarget> {
  const given = { url: config.redis.url, started: false, close: none };
  if (config.redis.configured || config.redis.start === 'never') return given;
  if (config.redis.start === 'auto' && (await redisAnswers(DEFAULT_REDIS_URL))) {
    log(`Using the Redis at ${redactUrl(DEFAULT_REDIS_URL)} for background jobs.`);
    return { url: DEFAULT_REDIS_URL, started: false, close: none };
  }
  const binary = programOnPath('redis-server');
  if (!binary) {
    log(NO_REDIS_LINE);
    return given;
  }

  const dir = path.join(config.dataDir, 'redis');
  fs.mkdirSync(dir, { recursive: true });
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(dir, { stale: 15000, update: 5000, retries: 0, realpath: false, lockfilePath: `${dir}.lock` });
  } catch (error) {
    if ((error as { code?: string }).code === 'ELOCKED') {
      throw new Error(`The Redis in ${dir} is already used by another Serat process. Stop that process first, or set REDIS_URL.`);
    }
    throw error;
  }
  await stopOrphan(dir);
  const port = await freePort();
  // Loopback only, no password: nothing outside this machine can reach it. cwd is the folder so
  // that the log file lands there too.
  const child = spawn(
    binary,
    ['--bind', '127.0.0.1', '--port', String(port), '--dir', dir, '--appendonly', 'yes', '--save', '', '--logfile', 'redis.log', '--pidfile', path.join(dir, PIDFILE), '--protected-mode', 'yes', '--daemonize', 'no'],
    { cwd: dir, stdio: 'ignore' },
  );
  const url = `redis://127.0.0.1:${port}`;
  const close = async () => {
    await stopChild(child, 5000);
    await release().catch(() => undefined);
  };
  const deadline = Date.now() + 10000;
  while (!(await redisAnswers(url, 300))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await close();
      const logged = fs.existsSync(path.join(dir, 'redis.log')) ? fs.readFileSync(path.join(dir, 'redis.log'), 'utf8').trim().split('\n').slice(-1)[0] : '';
      log(`redis-server did not start${logged ? ` (${logged.replace(/^\d+:\w \d.*?[#*] /, '')})` : ''}; ${NO_REDIS_LINE.slice(NO_REDIS_LINE.indexOf('imports'))}`);
      return given;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  log(`Redis started for background jobs on 127.0.0.1:${port} (files in ${dir}).`);
  return { url, started: true, close };
}
