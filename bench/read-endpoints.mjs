// Latency of the map's read endpoints against a running Serat (default http://127.0.0.1:3000):
// each endpoint requested sequentially N times after a warm-up; prints p50/p95/max in ms.
// Usage: node bench/read-endpoints.mjs [baseUrl] [N]
const base = process.argv[2] ?? 'http://127.0.0.1:3000';
const n = Number(process.argv[3] ?? 200);
const endpoints = [
  '/api/areas?level=kecamatan',
  '/api/areas?level=desa&bbox=112.85,-2.65,113.05,-2.45',
  '/api/sites',
  '/api/nodes',
  '/api/segments',
  '/api/segments?bbox=112.9,-2.6,113.0,-2.48',
];

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

for (const endpoint of endpoints) {
  const url = `${base}${endpoint}`;
  for (let i = 0; i < 10; i++) await (await fetch(url)).arrayBuffer();
  const times = [];
  let bytes = 0;
  for (let i = 0; i < n; i++) {
    const t = process.hrtime.bigint();
    const response = await fetch(url);
    bytes = (await response.arrayBuffer()).byteLength;
    if (response.status !== 200) throw new Error(`${endpoint}: HTTP ${response.status}`);
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  times.sort((a, b) => a - b);
  console.log(
    `${endpoint.padEnd(56)} p50 ${percentile(times, 50).toFixed(1).padStart(6)} ms  p95 ${percentile(times, 95).toFixed(1).padStart(6)} ms  max ${times[times.length - 1].toFixed(1).padStart(6)} ms  ${(bytes / 1024).toFixed(0)} KiB`,
  );
}
