import type { LoggerService } from '@nestjs/common';
import { ConfigError, loadServerConfig, SeratConfig } from '@serat/config';
import { checkDatabaseReady } from './preflight';

/** Writes one line saying what is wrong and ends the process: 2 for configuration, 1 otherwise. */
export function failStart(processName: string, message: string, exitCode = 1): never {
  process.stderr.write(`${processName}: ${message}\n`);
  process.exit(exitCode);
}

/**
 * What the api and the worker do before anything else: read the configuration, insist on
 * DATABASE_URL, and refuse to start half-way unless the database answers and is migrated.
 */
export async function configForServerProcess(processName: 'serat-api' | 'serat-worker'): Promise<SeratConfig & { databaseUrl: string }> {
  let config: SeratConfig;
  try {
    config = await loadServerConfig();
  } catch (error) {
    if (error instanceof ConfigError) failStart(processName, error.message, 2);
    throw error;
  }
  const databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    failStart(processName, 'DATABASE_URL is not set. Run `npm start` for Serat on its embedded database, or set DATABASE_URL to a PostgreSQL+PostGIS server.', 2);
  }
  const problem = await checkDatabaseReady(databaseUrl, `${processName}-preflight`);
  if (problem) failStart(processName, problem);
  return { ...config, databaseUrl };
}

/** What Nest says about itself while it boots: every module loaded and every route mapped, each on a line. */
const BOOT_CONTEXTS = new Set(['NestFactory', 'NestApplication', 'InstanceLoader', 'RoutesResolver', 'RouterExplorer']);

/**
 * The application's logger without Nest's boot chatter (about 90 lines of modules and routes at
 * every start) unless LOG_LEVEL is debug or trace; everything else passes through unchanged.
 */
export function withoutBootChatter(logger: LoggerService, logLevel: SeratConfig['logLevel']): LoggerService {
  if (logLevel === 'debug' || logLevel === 'trace') return logger;
  return {
    log: (message: unknown, ...rest: unknown[]) => {
      if (BOOT_CONTEXTS.has(rest[rest.length - 1] as string)) return;
      logger.log(message, ...rest);
    },
    error: (message: unknown, ...rest: unknown[]) => logger.error(message, ...rest),
    warn: (message: unknown, ...rest: unknown[]) => logger.warn(message, ...rest),
    debug: (message: unknown, ...rest: unknown[]) => logger.debug?.(message, ...rest),
    verbose: (message: unknown, ...rest: unknown[]) => logger.verbose?.(message, ...rest),
    fatal: (message: unknown, ...rest: unknown[]) => logger.fatal?.(message, ...rest),
  };
}
