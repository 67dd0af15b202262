import 'reflect-metadata';
import { ConfigError, loadConfig, redactUrl } from '@serat/config';
import { checkDatabaseReady } from '@serat/database';
import { createWorker } from './create-worker';

function fail(message: string, exitCode = 1): never {
  process.stderr.write(`serat-worker: ${message}\n`);
  process.exit(exitCode);
}

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message, 2);
    throw error;
  }
  const databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    fail('DATABASE_URL is not set. Run `npm start` for Serat on its embedded database, or set DATABASE_URL to a PostgreSQL+PostGIS server.', 2);
  }
  // Refuse to start half-way: the database must answer and be migrated before the app exists.
  const problem = await checkDatabaseReady(databaseUrl, 'serat-worker-preflight');
  if (problem) fail(problem);
  await createWorker(config);
  process.stdout.write(`Serat worker started; jobs from ${redactUrl(config.redis.url)} (prefix ${config.redis.queuePrefix})\n`);
}

main().catch((error) => fail(error instanceof Error ? (error.stack ?? error.message) : String(error)));
