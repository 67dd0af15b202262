import { DEFAULT_EVIDENCE_RULES_TEXT } from '@serat/contract';
import { bboxText } from '@serat/geo';
import { z } from 'zod';

const port = z.coerce
  .number({ error: 'must be a whole number between 1 and 65535' })
  .int({ error: 'must be a whole number between 1 and 65535' })
  .min(1, { error: 'must be a whole number between 1 and 65535' })
  .max(65535, { error: 'must be a whole number between 1 and 65535' });

const portOrZero = z.coerce
  .number({ error: 'must be a whole number between 0 and 65535 (0 picks a free port)' })
  .int({ error: 'must be a whole number between 0 and 65535 (0 picks a free port)' })
  .min(0, { error: 'must be a whole number between 0 and 65535 (0 picks a free port)' })
  .max(65535, { error: 'must be a whole number between 0 and 65535 (0 picks a free port)' });

const urlWithProtocols = (protocols: string[], example: string) =>
  z.string().refine(
    (value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    { error: `must be a URL like ${example}` },
  );

const timeZone = z.string().refine(
  (value) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: value });
      return true;
    } catch {
      return false;
    }
  },
  { error: 'must be an IANA time zone like Asia/Jakarta' },
);

const emptyAsUndefined = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);

/**
 * Every environment variable Serat reads. Documented one by one in .env.example.
 * Nothing outside this lib reads process.env.
 */
export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: port.default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: z.preprocess(emptyAsUndefined, urlWithProtocols(['postgres:', 'postgresql:'], 'postgres://user:password@host:5432/serat').optional()),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  REDIS_URL: z.preprocess(emptyAsUndefined, urlWithProtocols(['redis:', 'rediss:'], 'redis://127.0.0.1:6379').optional()),
  SERAT_REDIS_START: z
    .enum(['auto', 'always', 'never'], {
      error: 'must be auto (start redis-server when REDIS_URL is unset and nothing answers on 127.0.0.1:6379), always (whenever REDIS_URL is unset) or never',
    })
    .default('auto'),
  SERAT_QUEUE_PREFIX: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^[a-z0-9_-]{1,40}$/i, { error: 'must be 1-40 letters, digits, _ or -' })
      .optional(),
  ),
  SERAT_QUEUE_LOCK_MS: z.coerce
    .number()
    .int()
    .min(1000, { error: 'must be at least 1000 (milliseconds)' })
    .max(600000, { error: 'must be at most 600000 (milliseconds)' })
    .default(30000),
  SERAT_DATA_DIR: z.string().min(1).default('./data'),
  SERAT_PHOTO_STORE: z
    .enum(['database', 'disk'], { error: 'must be database (photos in PostgreSQL, shared by every api replica) or disk (files under SERAT_DATA_DIR/photos)' })
    .default('database'),
  SERAT_EMBEDDED_DB_PORT: portOrZero.default(0),
  SERAT_WEB_DIR: z.preprocess(emptyAsUndefined, z.string().optional()),
  SERAT_REGION_CODE: z
    .string()
    .regex(/^\d{2}(\.\d{2})?$/, { error: 'must be a Kemendagri province or kabupaten code like 62 or 62.02' })
    .default('62.02'),
  SERAT_REGION_NAME: z.string().min(1).default('Kabupaten Kotawaringin Timur'),
  SERAT_REGION_BBOX: z.preprocess(emptyAsUndefined, bboxText.optional()),
  SERAT_SEED_DEMO: z.enum(['auto', 'always', 'never']).default('auto'),
  SERAT_TILE_URL: z.preprocess(emptyAsUndefined, urlWithProtocols(['http:', 'https:'], 'https://tile.openstreetmap.org/{z}/{x}/{y}.png').optional()),
  SERAT_TILE_ATTRIBUTION: z.string().default(''),
  SERAT_SNAP_TOLERANCE_M: z.coerce.number().min(0).max(1000).default(10),
  SERAT_EVIDENCE_RULES: z.string().default(DEFAULT_EVIDENCE_RULES_TEXT),
  SERAT_ADMIN_EMAIL: z.preprocess(emptyAsUndefined, z.email({ error: 'must be an email address' }).optional()),
  SERAT_ADMIN_PASSWORD: z.preprocess(emptyAsUndefined, z.string().optional()),
  SERAT_COOKIE_SECURE: z.enum(['auto', 'true', 'false']).default('auto'),
  SERAT_CORS_ORIGINS: z
    .string()
    .default('')
    .transform((value, ctx) => {
      const origins = value
        .split(',')
        .map((o) => o.trim())
        .filter(Boolean);
      for (const origin of origins) {
        try {
          if (new URL(origin).origin !== origin) throw new Error();
        } catch {
          ctx.addIssue({ code: 'custom', message: `must be a comma-separated list of origins like https://peta.kotimkab.go.id (bad: "${origin}")` });
          return z.NEVER;
        }
      }
      return origins;
    }),
  SERAT_TRUST_PROXY: z
    .string()
    .default('false')
    .transform((value, ctx) => {
      if (value === 'false') return false;
      if (value === 'true') return true;
      if (/^\d+$/.test(value)) return Number(value);
      if (/^[0-9a-f.:/, ]+$/i.test(value) || /^(loopback|linklocal|uniquelocal)(,|$)/.test(value)) return value;
      ctx.addIssue({ code: 'custom', message: 'must be false, true, a number of proxies, or addresses/subnets (e.g. loopback, 10.0.0.0/8)' });
      return z.NEVER;
    }),
  SERAT_TILE_MAX_ZOOM: z.coerce.number().int().min(1).max(22).default(19),
  SERAT_TIMEZONE: timeZone.default('Asia/Jakarta'),
  SERAT_PASSED_DISTANCE_M: z.coerce.number({ error: 'must be a number of metres' }).min(0).max(5000).default(200),
  SERAT_FIBER_COST_SHARE: z.coerce
    .number({ error: 'must be a fraction between 0 and 1, e.g. 0.5' })
    .min(0, { error: 'must be a fraction between 0 and 1, e.g. 0.5' })
    .max(1, { error: 'must be a fraction between 0 and 1, e.g. 0.5' })
    .default(0.5),
  SERAT_FORECAST_WINDOW_DAYS: z.coerce.number({ error: 'must be a whole number of days' }).int().min(1).max(365).default(30),
  SERAT_EVIDENCE_PACK_MAX_MB: z.coerce.number({ error: 'must be a whole number of megabytes' }).int().min(1).max(20000).default(2048),
  SERAT_MONITOR_ALLOW_CIDRS: z
    .string()
    .max(4000)
    .default('')
    .describe('CIDRs monitors may reach although the built-in policy refuses them (loopback, link-local), comma-separated'),
  SERAT_MONITOR_DENY_CIDRS: z.string().max(4000).default('').describe('CIDRs monitors may never reach, comma-separated'),
  SERAT_MONITOR_MIN_INTERVAL_S: z.coerce.number({ error: 'must be a whole number of seconds' }).int().min(1).max(3600).default(10),
  SERAT_MONITOR_DOWN_AFTER: z.coerce.number({ error: 'must be a whole number of checks' }).int().min(1).max(20).default(3),
  SERAT_MONITOR_UP_AFTER: z.coerce.number({ error: 'must be a whole number of checks' }).int().min(1).max(20).default(2),
  SERAT_EVIDENCE_PACK_DAYS: z.coerce.number({ error: 'must be a whole number of days' }).int().min(1).max(365).default(7),
});

export type RawConfig = z.infer<typeof configSchema>;
