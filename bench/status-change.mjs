// A status change from request to stored history (HTTP → guard → lifecycle → UPDATE + history +
// audit in one transaction), measured end to end against a fresh PostgreSQL database seeded with
// Kotim. Target (issue 4): p95 under 50 ms. Needs `npm run build:server`, the test PostgreSQL and
// Redis. Usage: node bench/status-change.mjs [N=500]
import { printResult, round, msSince } from './support/result.mjs';
import { startSeededApi } from './support/api.mjs';

const n = Number(process.argv[2] ?? 500);
const api = await startSeededApi({ name: 'status', role: 'technician' });

// Active segments toggle active → damaged → active: both moves need no reason, so the loop can run forever.
const segments = await api.dataSource.query(`SELECT id, version, status FROM segments WHERE status = 'active' ORDER BY code`);
const times = [];
for (let i = 0; i < n; i++) {
  const s = segments[i % segments.length];
  const to = s.status === 'active' ? 'damaged' : 'active';
  const t = process.hrtime.bigint();
  const response = await fetch(`${api.base}/api/segments/${s.id}/status`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: api.authorization },
    body: JSON.stringify({ status: to, version: s.version, deviceTime: new Date().toISOString() }),
  });
  const body = await response.json();
  times.push(msSince(t));
  if (response.status !== 201) throw new Error(`HTTP ${response.status}: ${JSON.stringify(body)}`);
  s.version = body.version;
  s.status = body.status;
}
times.sort((a, b) => a - b);
const p = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
console.log(
  `status change (HTTP, ${n} sequential, PostgreSQL ${api.postgresVersion}): p50 ${p(0.5).toFixed(1)} ms, p95 ${p(0.95).toFixed(1)} ms, p99 ${p(0.99).toFixed(1)} ms, max ${times.at(-1).toFixed(1)} ms`,
);
await api.close();

printResult({
  benchmark: 'status-change',
  title: 'A status change, HTTP request to stored history and audit',
  size: `${n} sequential changes`,
  command: `node bench/status-change.mjs ${n}`,
  description:
    'POST /api/segments/:id/status as a technician against the api in the same process on a fresh seeded PostgreSQL database: ' +
    'the guard, the lifecycle, the UPDATE, its history row and its audit row in one transaction, and the answer. Target from issue 4.',
  figures: [
    { what: 'p50', value: round(p(0.5)), unit: 'ms' },
    { what: 'p95', value: round(p(0.95)), unit: 'ms', target: 'p95 < 50 ms', met: p(0.95) < 50 },
    { what: 'p99', value: round(p(0.99)), unit: 'ms' },
    { what: 'slowest', value: round(times.at(-1)), unit: 'ms' },
  ],
});
