import { DEFAULT_REDIS_URL, programOnPath, redactUrl, SeratConfig } from '@serat/config';
import { ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import * as lockfile from 'proper-lockfile';
import { CommandError } from './command-error';

export interface RedisTarget {
  /** The URL the api and the worker are given. */
  url: string;
  /** The prefix of their queues' keys in it. */
  queuePrefix: string;
  /** A redis-server this process started (stopped by close). */
  started: boolean;
  close(): Promise<void>;
}

/** What `npm start` says, in one line, when there is no Redis to use or to start. */
export const NO_REDIS_LINE =
  'Redis is not running and redis-server is not installed: imports wait for it (and, soon, uptime monitoring); ' +
  'the map, editing and status changes work without it. To enable them: apt-get install redis-server, or set REDIS_URL.';

/** What answers at a Redis address: a usable Redis, one that asks for a password, or nothing. */
export type RedisAnswer = 'ready' | 'password' | 'none';

export function probeRedis(url: string, timeoutMs = 500): Promise<RedisAnswer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname.replace(/^\[|\]$/g, '') || '127.0.0.1', port: Number(port) || 6379 });
    const done = (answer: RedisAnswer) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(timeoutMs, () => done('none'));
    socket.once('error', () => done('none'));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (chunk) => {
      const reply = chunk.toString('latin1');
      done(reply.startsWith('+') ? 'ready' : /^-(NOAUTH|WRONGPASS|DENIED)/.test(reply) ? 'password' : 'none');
    });
  });
}

/** Whether a usable Redis answers at url within timeoutMs. */
export async function redisAnswers(url: string, timeoutMs = 500): Promise<boolean> {
  return (await probeRedis(url, timeoutMs)) === 'ready';
}

/**
 * The queue prefix on a Redis that other programs may share (the machine's own on 6379):
 * unless SERAT_QUEUE_PREFIX says otherwise, one per data directory, so that two installations on
 * one machine never take each other's jobs.
 */
export function sharedQueuePrefix(config: SeratConfig): string {
  if (config.redis.prefixConfigured) return config.redis.queuePrefix;
  const dir = fs.existsSync(config.dataDir) ? fs.realpathSync(config.dataDir) : path.resolve(config.dataDir);
  return `${config.redis.queuePrefix}-${createHash('sha256').update(dir).digest('hex').slice(0, 8)}`;
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
  const alive = (p: number) => fs.existsSync(`/proc/${p}`);
  // Ours only when it runs redis-server in this very folder (redis changes into --dir): a pid
  // file that outlived a reboot may name some other process by now.
  let ours = false;
  try {
    ours =
      Number.isInteger(pid) && pid > 1 && fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('redis-server') && fs.realpathSync(`/proc/${pid}/cwd`) === fs.realpathSync(dir);
  } catch {
    // gone, or not ours to look at
  }
  if (ours) {
    try {
      process.kill(pid, 'SIGTERM');
      for (let waited = 0; waited < 5000 && alive(pid); waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
      if (alive(pid)) process.kill(pid, 'SIGKILL');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH')
        throw new CommandError(`Could not stop the redis-server (pid ${pid}) left running in ${dir}: ${(error as Error).message}`);
    }
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
  if (config.redis.configured) return { url: config.redis.url, queuePrefix: config.redis.queuePrefix, started: false, close: none };
  // Without a Redis of its own, the api and worker look on the usual local address; a Redis
  // found there later is shared, hence the prefix of this data directory.
  const fallback: RedisTarget = { url: DEFAULT_REDIS_URL, queuePrefix: sharedQueuePrefix(config), started: false, close: none };
  if (config.redis.start === 'never') return fallback;
  if (config.redis.start === 'auto') {
    const local = await probeRedis(DEFAULT_REDIS_URL);
    if (local === 'ready') {
      log(`Using the Redis at ${redactUrl(DEFAULT_REDIS_URL)} for background jobs (queue prefix ${fallback.queuePrefix}).`);
      return fallback;
    }
    if (local === 'password')
      log(`The Redis at ${redactUrl(DEFAULT_REDIS_URL)} asks for a password: set REDIS_URL=redis://:password@127.0.0.1:6379 to use it. Starting one of Serat's own instead.`);
  }
  const binary = programOnPath('redis-server');
  if (!binary) {
    log(NO_REDIS_LINE);
    return fallback;
  }

  const dir = path.join(config.dataDir, 'redis');
  fs.mkdirSync(dir, { recursive: true });
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(dir, { stale: 15000, update: 5000, retries: 0, realpath: false, lockfilePath: `${dir}.lock` });
  } catch (error) {
    if ((error as { code?: string }).code === 'ELOCKED') {
      throw new CommandError(`The Redis in ${dir} is already used by another Serat process. Stop that process first, or set REDIS_URL.`);
    }
    throw error;
  }
  try {
    await stopOrphan(dir);
  } catch (error) {
    await release();
    throw error;
  }
  const port = await freePort();
  // Loopback only, no password: nothing outside this machine can reach it. cwd is the folder so
  // that the log file lands there too. Its own process group: a Ctrl+C in the terminal reaches
  // the api and the worker, and Serat stops Redis after them, so that they can finish their jobs.
  const child = spawn(
    binary,
    [
      '--bind',
      '127.0.0.1',
      '--port',
      String(port),
      '--dir',
      dir,
      '--appendonly',
      'yes',
      '--save',
      '',
      '--logfile',
      'redis.log',
      '--pidfile',
      path.join(dir, PIDFILE),
      '--protected-mode',
      'yes',
      '--daemonize',
      'no',
    ],
    { cwd: dir, stdio: 'ignore', detached: true },
  );
  let spawnError: Error | null = null;
  child.once('error', (error) => (spawnError = error));
  const url = `redis://127.0.0.1:${port}`;
  const close = async () => {
    if (!spawnError) await stopChild(child, 5000);
    await release().catch(() => undefined);
  };
  const deadline = Date.now() + 10000;
  while (!(await redisAnswers(url, 300))) {
    if (spawnError || child.exitCode !== null || Date.now() > deadline) {
      await close();
      const logFile = path.join(dir, 'redis.log');
      const logged = spawnError
        ? (spawnError as Error).message
        : fs.existsSync(logFile)
          ? fs
              .readFileSync(logFile, 'utf8')
              .trim()
              .split('\n')
              .slice(-1)[0]
              .replace(/^\d+:\w \d.*?[#*] /, '')
          : '';
      log(
        `redis-server did not start${logged ? ` (${logged})` : ''}: imports wait for Redis (and, soon, uptime monitoring); the map, editing and status changes work without it. Set REDIS_URL to use another Redis.`,
      );
      return fallback;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  log(`Redis started for background jobs on 127.0.0.1:${port} (files in ${dir}).`);
  return { url, queuePrefix: config.redis.queuePrefix, started: true, close };
}
