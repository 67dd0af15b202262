// The api in this process on a fresh PostgreSQL database seeded with Kotim, with one signed-in
// user: what the HTTP benchmarks measure against. Needs the built server and the test PostgreSQL
// and Redis (SERAT_TEST_DATABASE_URL, SERAT_TEST_REDIS_URL), as the tests do.
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const { loadConfig, loadTestSettings } = require('../../dist/libs/config/src');
const db_ = require('../../dist/libs/database/src');
const demo = require('../../dist/libs/demo/src');
const d = require('../../dist/libs/domain/src');
const { createApp } = require('../../dist/apps/api/src/create-app');

export const BENCH_PASSWORD = 'Uji-Kecepatan-2026';

/**
 * A fresh database copied from a seeded template made for the benchmark `name`, with one user of
 * `role` (password `BENCH_PASSWORD`, login `bench`); drop() removes the database and the templates.
 */
export async function seededDatabase({ name, role }) {
  const { adminDatabaseUrl } = loadTestSettings();
  const suffix = `bench_${name.replace(/\W/g, '_')}_${process.pid}`;
  await demo.createTemplateDatabases(adminDatabaseUrl, suffix);
  const db = await db_.createTestDatabase(adminDatabaseUrl, { template: demo.seededTemplateName(suffix) });
  const dataSource = db_.createDataSource({ url: db.url });
  await dataSource.initialize();
  const users = new d.UsersService(
    new d.UnitOfWork(dataSource),
    new d.UsersRepository(dataSource),
    new d.AuthTokensRepository(dataSource),
    new d.AuditRepository(dataSource),
    new d.PasswordHasher(),
  );
  await users.create({ email: 'bench@serat.invalid', username: 'bench', displayName: 'Bench', role, password: BENCH_PASSWORD }, { actorId: null, actorLabel: 'bench' });
  return {
    url: db.url,
    dataSource,
    async drop() {
      await dataSource.destroy();
      await db.drop();
      await demo.dropTemplateDatabases(adminDatabaseUrl, suffix);
    },
  };
}

/** Starts the api for the benchmark `name`; close() stops it and drops everything it made. */
export async function startSeededApi({ name, role }) {
  const { redisUrl } = loadTestSettings();
  const db = await seededDatabase({ name, role });
  const dataSource = db.dataSource;

  const app = await createApp(loadConfig({ DATABASE_URL: db.url, REDIS_URL: redisUrl, LOG_LEVEL: 'error', SERAT_QUEUE_PREFIX: `bench-${name}-${process.pid}` }));
  await app.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${app.getHttpServer().address().port}`;
  const login = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login: 'bench', password: BENCH_PASSWORD, client: 'api' }),
  });
  if (login.status !== 200 && login.status !== 201) throw new Error(`sign-in: HTTP ${login.status} ${await login.text()}`);
  const { accessToken } = await login.json();
  const [{ server_version: postgresVersion }] = await dataSource.query('SHOW server_version');

  return {
    base,
    authorization: `Bearer ${accessToken}`,
    dataSource,
    postgresVersion,
    async close() {
      await app.close();
      await db.drop();
    },
  };
}
