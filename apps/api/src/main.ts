import 'reflect-metadata';
import { ConfigError, loadConfig } from '@serat/config';
import { checkDatabaseReady } from '@serat/database';
import { createApp } from './create-app';

function fail(message: string, exitCode = 1): never {
  process.stderr.write(`serat-api: ${message}\n`);
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
  // Refuse to start half-way: the database must answer and be migrated before the app exists.
  const problem = await checkDatabaseReady(databaseUrl, 'serat-api-preflight');
  if (problem) fail(problem);

  const app = await createApp(config);
  await app.listen(config.http.port, config.http.host);
  const shown = config.http.host === '0.0.0.0' ? 'localhost' : config.http.host;
  process.stdout.write(`Serat API listening on http://${shown}:${config.http.port}/ (docs: /api/docs)\n`);
}

main().catch((error) => fail(error instanceof Error ? (error.stack ?? error.message) : String(error)));
