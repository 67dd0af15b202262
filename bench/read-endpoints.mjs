// Latency of the map's read endpoints: each requested sequentially N times after a warm-up of 10;
// p50/p95/max in ms. Without a URL it starts the api in this process on a fresh PostgreSQL
// database seeded with Kotim (needs `npm run build:server`, the test PostgreSQL and Redis); with
// one it measures that running Serat, signed in as SERAT_BENCH_LOGIN / SERAT_BENCH_PASSWORD (the
// read routes need an account; `npm start` prints the demo accounts).
// Usage: node bench/read-endpoints.mjs [N=200] [baseUrl]
import { printResult, round, msSince } from './support/result.mjs';

const args = process.argv.slice(2);
const n = Number(args.find((a) => /^\d+$/.test(a)) ?? 200);
const url = args.find((a) => /^https?:\/\//.test(a));
const endpoints = [
  ['kecamatan', '/api/areas?level=kecamatan'],
  ['desa in a bbox', '/api/areas?level=desa&bbox=112.85,-2.65,113.05,-2.45'],
  ['sites', '/api/sites'],
  ['nodes', '/api/nodes'],
  ['segments', '/api/segments'],
  ['segments in a bbox', '/api/segments?bbox=112.9,-2.6,113.0,-2.48'],
];

let target;
if (url) {
  const login = process.env.SERAT_BENCH_LOGIN;
  const password = process.env.SERAT_BENCH_PASSWORD;
  if (!login || !password) throw new Error('measuring a running Serat needs SERAT_BENCH_LOGIN and SERAT_BENCH_PASSWORD (an account of any role)');
  const response = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login, password, client: 'api' }),
  });
  if (!response.ok) throw new Error(`sign-in at ${url}: HTTP ${response.status}`);
  target = { base: url, authorization: `Bearer ${(await response.json()).accessToken}`, close: async () => undefined, where: url };
} else {
  const { startSeededApi } = await import('./support/api.mjs');
  const api = await startSeededApi({ name: 'read', role: 'viewer' });
  target = { ...api, where: `the api on PostgreSQL ${api.postgresVersion.split(' ')[0]}, seeded Kotim` };
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const headers = { authorization: target.authorization };
const figures = [];
console.log(`read endpoints of ${target.where}, ${n} sequential requests each`);
for (const [label, endpoint] of endpoints) {
  const get = async () => {
    const response = await fetch(`${target.base}${endpoint}`, { headers });
    const bytes = (await response.arrayBuffer()).byteLength;
    if (response.status !== 200) throw new Error(`${endpoint}: HTTP ${response.status}`);
    return bytes;
  };
  for (let i = 0; i < 10; i++) await get();
  const times = [];
  let bytes = 0;
  for (let i = 0; i < n; i++) {
    const t = process.hrtime.bigint();
    bytes = await get();
    times.push(msSince(t));
  }
  times.sort((a, b) => a - b);
  console.log(
    `${endpoint.padEnd(56)} p50 ${percentile(times, 50).toFixed(1).padStart(6)} ms  p95 ${percentile(times, 95).toFixed(1).padStart(6)} ms  max ${times[times.length - 1].toFixed(1).padStart(6)} ms  ${(bytes / 1024).toFixed(0)} KiB`,
  );
  figures.push({ what: `${label}, p50`, value: round(percentile(times, 50)), unit: 'ms' }, { what: `${label}, p95`, value: round(percentile(times, 95)), unit: 'ms' });
}
await target.close();

printResult({
  benchmark: 'read-endpoints',
  title: "The map's read endpoints, sequential",
  size: `${n} requests per endpoint`,
  command: `node bench/read-endpoints.mjs ${n}`,
  description: `GET of each map layer (${endpoints.map(([, e]) => `\`${e}\``).join(', ')}) against ${target.where}, one request at a time after 10 unmeasured ones, signed in with a bearer token.`,
  figures,
});
