import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { configSchema, RawConfig } from './config.schema';

/** Typed, validated settings, read once at start. */
export interface SeratConfig {
  env: RawConfig['NODE_ENV'];
  http: { port: number; host: string };
  logLevel: RawConfig['LOG_LEVEL'];
  /** Absent: the embedded PGlite database under dataDir is used. */
  databaseUrl?: string;
  databasePoolMax: number;
  redis: {
    url: string;
    queuePrefix: string;
    /**
     * How long a worker holds a job without renewing its lock (ms). A job whose worker died is
     * handed to another worker after one to two of these.
     */
    jobLockMs: number;
    /** Whether REDIS_URL was set; when not, `npm start` may start a Redis of its own (see `start`). */
    configured: boolean;
    /** Whether SERAT_QUEUE_PREFIX was set; when not, `npm start` on a shared Redis picks one for its data directory. */
    prefixConfigured: boolean;
    /** When `npm start` starts redis-server from the PATH, with its files under dataDir/redis. */
    start: RawConfig['SERAT_REDIS_START'];
  };
  dataDir: string;
  /** Where new photos are stored: database (photo_blobs) or disk (dataDir/photos). Each photo is read from the store it was written to. */
  photoStore: RawConfig['SERAT_PHOTO_STORE'];
  embeddedDb: { dir: string; port: number };
  webDir: string;
  region: { code: string; name: string; bbox: [number, number, number, number] };
  /** A segment end within this many metres of a node is joined to it. */
  snapToleranceM: number;
  /** The region's time zone: where a day of the progress history begins and ends. */
  timeZone: string;
  /** Rollout progress: a site not connected within this many metres of an active segment is "passed"; the fiber's running cost as a share of the ISP bill it replaces; the days whose rate forecasts a milestone. */
  progress: { passedDistanceM: number; fiberCostShare: number; forecastWindowDays: number };
  /** Uptime monitoring: the target policy's own lists, the shortest interval, and the runs that take a monitor down and up. */
  monitoring: { allowCidrs: string[]; denyCidrs: string[]; minIntervalS: number; downAfter: number; upAfter: number };
  /** A milestone's evidence pack: the largest ZIP built, and the days one is kept. */
  evidencePacks: { maxBytes: number; keepDays: number };
  /** What a status move needs as evidence, e.g. "installed=photo|gps;tested=otdr" (parsed by the domain). */
  evidenceRules: string;
  seedDemo: RawConfig['SERAT_SEED_DEMO'];
  tileLayer: { url: string; attribution: string; maxZoom: number } | null;
  auth: {
    /** The first admin, created on start while no admin exists. */
    firstAdmin: { email: string; password: string } | null;
    cookieSecure: 'auto' | 'true' | 'false';
  };
  /** Origins allowed to call the API from a browser; empty: none (same-origin only). */
  corsOrigins: string[];
  /** Express "trust proxy": how to read the client address behind a reverse proxy. */
  trustProxy: boolean | number | string;
  /** The live feed's bounds (apps/api/src/events/change-feed.ts); not read from the environment, set by tests. */
  feedLimits?: Partial<{ maxReplay: number; maxBurst: number; pollMs: number; fastPollMs: number; heartbeatMs: number }>;
}

/** Where Redis is looked for when REDIS_URL is not set. */
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/** Kotawaringin Timur with a margin of a few kilometres (WGS84 degrees). */
export const KOTIM_BBOX: [number, number, number, number] = [111.9, -3.35, 113.45, -1.05];

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

/** The folder holding package.json, found from this file whether it runs from src or dist. */
export function projectRoot(): string {
  let dir = __dirname;
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest) && JSON.parse(fs.readFileSync(manifest, 'utf8')).name === 'serat') return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
}

function describeIssue(issue: z.core.$ZodIssue, env: Record<string, string | undefined>): string {
  const name = String(issue.path[0] ?? 'configuration');
  const got = env[name];
  const shown = got === undefined ? '' : ` (got "${/URL$/.test(name) ? redactUrl(got) : got}")`;
  return `${name} ${issue.message}${shown}`;
}

/** Hide the password of a connection URL before it reaches a log or an error. */
export function redactUrl(value: string): string {
  try {
    const url = new URL(value);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return value.replace(/\/\/([^:/]+):[^@]+@/, '//$1:***@');
  }
}

export function loadConfig(env: Record<string, string | undefined> = process.env): SeratConfig {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => describeIssue(issue, env)));
  }
  const raw = parsed.data;
  if (Boolean(raw.SERAT_ADMIN_EMAIL) !== Boolean(raw.SERAT_ADMIN_PASSWORD)) {
    throw new ConfigError(['SERAT_ADMIN_EMAIL and SERAT_ADMIN_PASSWORD must be set together (or neither)']);
  }
  const root = projectRoot();
  const dataDir = path.resolve(root, raw.SERAT_DATA_DIR);
  return {
    env: raw.NODE_ENV,
    http: { port: raw.PORT, host: raw.HOST },
    logLevel: raw.LOG_LEVEL,
    databaseUrl: raw.DATABASE_URL,
    databasePoolMax: raw.DATABASE_POOL_MAX,
    redis: {
      url: raw.REDIS_URL ?? DEFAULT_REDIS_URL,
      queuePrefix: raw.SERAT_QUEUE_PREFIX ?? 'serat',
      jobLockMs: raw.SERAT_QUEUE_LOCK_MS,
      configured: raw.REDIS_URL !== undefined,
      prefixConfigured: raw.SERAT_QUEUE_PREFIX !== undefined,
      start: raw.SERAT_REDIS_START,
    },
    dataDir,
    photoStore: raw.SERAT_PHOTO_STORE,
    embeddedDb: { dir: path.join(dataDir, 'pgdata'), port: raw.SERAT_EMBEDDED_DB_PORT },
    webDir: raw.SERAT_WEB_DIR ? path.resolve(root, raw.SERAT_WEB_DIR) : path.join(root, 'dist', 'web'),
    region: { code: raw.SERAT_REGION_CODE, name: raw.SERAT_REGION_NAME, bbox: raw.SERAT_REGION_BBOX ?? KOTIM_BBOX },
    seedDemo: raw.SERAT_SEED_DEMO,
    snapToleranceM: raw.SERAT_SNAP_TOLERANCE_M,
    timeZone: raw.SERAT_TIMEZONE,
    progress: { passedDistanceM: raw.SERAT_PASSED_DISTANCE_M, fiberCostShare: raw.SERAT_FIBER_COST_SHARE, forecastWindowDays: raw.SERAT_FORECAST_WINDOW_DAYS },
    monitoring: {
      allowCidrs: raw.SERAT_MONITOR_ALLOW_CIDRS.split(/[\s,]+/).filter(Boolean),
      denyCidrs: raw.SERAT_MONITOR_DENY_CIDRS.split(/[\s,]+/).filter(Boolean),
      minIntervalS: raw.SERAT_MONITOR_MIN_INTERVAL_S,
      downAfter: raw.SERAT_MONITOR_DOWN_AFTER,
      upAfter: raw.SERAT_MONITOR_UP_AFTER,
    },
    evidencePacks: { maxBytes: raw.SERAT_EVIDENCE_PACK_MAX_MB * 1024 * 1024, keepDays: raw.SERAT_EVIDENCE_PACK_DAYS },
    evidenceRules: raw.SERAT_EVIDENCE_RULES,
    auth: {
      firstAdmin: raw.SERAT_ADMIN_EMAIL && raw.SERAT_ADMIN_PASSWORD ? { email: raw.SERAT_ADMIN_EMAIL, password: raw.SERAT_ADMIN_PASSWORD } : null,
      cookieSecure: raw.SERAT_COOKIE_SECURE,
    },
    corsOrigins: raw.SERAT_CORS_ORIGINS,
    trustProxy: raw.SERAT_TRUST_PROXY,
    tileLayer: raw.SERAT_TILE_URL ? { url: raw.SERAT_TILE_URL, attribution: raw.SERAT_TILE_ATTRIBUTION, maxZoom: raw.SERAT_TILE_MAX_ZOOM } : null,
  };
}

/** The full path of a program found on the PATH, or null (this lib is the one reader of the environment). */
export function programOnPath(program: string, env: Record<string, string | undefined> = process.env): string | null {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, program);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not in this folder
    }
  }
  return null;
}

/** Set by `npm start` for the api and the worker it starts: wait for LaunchSettings on the IPC channel. */
export const LAUNCH_VIA_IPC = 'SERAT_LAUNCH_VIA_IPC';

/** What `npm start` sends its api and worker once the database is open and migrated. */
export interface LaunchSettings {
  DATABASE_URL: string;
  REDIS_URL: string;
  SERAT_QUEUE_PREFIX: string;
}

/**
 * The configuration of a server process. Started by `npm start` (LAUNCH_VIA_IPC), it first waits
 * for the addresses of the database and Redis that `npm start` opened meanwhile, and ends when
 * its parent goes away first.
 */
export async function loadServerConfig(env: Record<string, string | undefined> = process.env): Promise<SeratConfig> {
  if (env[LAUNCH_VIA_IPC] !== '1' || !process.send) return loadConfig(env);
  const settings = await new Promise<LaunchSettings>((resolve) => {
    process.once('message', (message) => resolve(message as LaunchSettings));
    // npm start stopped (or failed) before the database was ready: it has said why; nothing to add.
    process.once('disconnect', () => process.exit(1));
  });
  // The channel is not needed any more, and must not keep the process alive on its own.
  process.channel?.unref();
  return loadConfig({ ...env, DATABASE_URL: settings.DATABASE_URL, REDIS_URL: settings.REDIS_URL, SERAT_QUEUE_PREFIX: settings.SERAT_QUEUE_PREFIX });
}

/** The environment for a child process of Serat: this one's, with some variables set. */
export function childEnvironment(overrides: Record<string, string>): NodeJS.ProcessEnv {
  return { ...process.env, ...overrides };
}

/** Where the test suite finds its PostgreSQL (a maintenance database it may create databases from) and Redis. */
export function loadTestSettings(env: Record<string, string | undefined> = process.env): {
  adminDatabaseUrl: string;
  redisUrl: string;
  chromiumPath: string;
  templateSuffix: string;
} {
  return {
    // Set by the test run's global setup, so that two runs on one machine use their own templates.
    templateSuffix: env.SERAT_TEST_TEMPLATE_SUFFIX || 'default',
    adminDatabaseUrl: env.SERAT_TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres',
    redisUrl: env.SERAT_TEST_REDIS_URL || 'redis://127.0.0.1:6379',
    chromiumPath: env.SERAT_TEST_CHROMIUM || '/usr/bin/chromium',
  };
}
