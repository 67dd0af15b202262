// A status change from request to stored history (HTTP → guard → lifecycle → UPDATE + history +
// audit in one transaction), measured end to end against a fresh PostgreSQL database seeded with
// Kotim. Target (issue 4): p95 under 50 ms. Needs `npm run build` and the test PostgreSQL.
// Usage: node bench/status-change.mjs [N=500]
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const { loadConfig, loadTestSettings } = require('../dist/libs/config/src');
const { createTestDatabase, createTemplateDatabases, dropTemplateDatabases, createDataSource, seededTemplateName } = require('../dist/libs/database/src');
const { UnitOfWork, UsersService, UsersRepository, AuthTokensRepository, AuditRepository, PasswordHasher } = require('../dist/libs/domain/src');
const { createApp } = require('../dist/apps/api/src/create-app');

const n = Number(process.argv[2] ?? 500);
const { adminDatabaseUrl, redisUrl } = loadTestSettings();
const suffix = `bench_${process.pid}`;
await createTemplateDatabases(adminDatabaseUrl, suffix);
const db = await createTestDatabase(adminDatabaseUrl, { template: seededTemplateName(suffix) });
const dataSource = createDataSource({ url: db.url });
await dataSource.initialize();
const users = new UsersService(new UnitOfWork(dataSource), new UsersRepository(dataSource), new AuthTokensRepository(dataSource), new AuditRepository(dataSource), new PasswordHasher());
const password = 'Uji-Kecepatan-2026';
await users.create({ email: 'bench@serat.invalid', username: 'bench', displayName: 'Bench', role: 'technician', password }, { actorId: null, actorLabel: 'bench' });

const app = await createApp(loadConfig({ DATABASE_URL: db.url, REDIS_URL: redisUrl, LOG_LEVEL: 'warn', SERAT_QUEUE_PREFIX: 'bench' }));
await app.listen(0, '127.0.0.1');
const base = `http://127.0.0.1:${app.getHttpServer().address().port}`;
const { accessToken } = await (await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: 'bench', password, client: 'api' }) })).json();

// Active segments toggle active → damaged → active: both moves need no reason, so the loop can run forever.
const segments = await dataSource.query(`SELECT id, version, status FROM segments WHERE status = 'active' ORDER BY code`);
const times = [];
for (let i = 0; i < n; i++) {
  const s = segments[i % segments.length];
  const to = s.status === 'active' ? 'damaged' : 'active';
  const t = process.hrtime.bigint();
  const response = await fetch(`${base}/api/segments/${s.id}/status`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
    body: JSON.stringify({ status: to, version: s.version, deviceTime: new Date().toISOString() }),
  });
  const body = await response.json();
  times.push(Number(process.hrtime.bigint() - t) / 1e6);
  if (response.status !== 201) throw new Error(`HTTP ${response.status}: ${JSON.stringify(body)}`);
  s.version = body.version;
  s.status = body.status;
}
times.sort((a, b) => a - b);
const p = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))].toFixed(1);
console.log(`status change (HTTP, ${n} sequential, PostgreSQL ${(await dataSource.query('SHOW server_version'))[0].server_version}): p50 ${p(0.5)} ms, p95 ${p(0.95)} ms, p99 ${p(0.99)} ms, max ${times.at(-1).toFixed(1)} ms`);
await app.close();
await dataSource.destroy();
await db.drop();
await dropTemplateDatabases(adminDatabaseUrl, suffix);
