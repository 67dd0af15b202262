// Export speed: 100,000 segments of 8 vertices to GeoJSON, CSV, KML, KMZ and OFDS, with the
// serializers the api uses, in this process (no database). Needs `npm run build:server`.
// Usage: node bench/export.mjs [N=100000]
import { createRequire } from 'node:module';
import { printResult, round, msSince } from './support/result.mjs';
const require = createRequire(import.meta.url);
const { toCsv, toGeoJson, toKml, toKmz, toOfdsGeoJson } = require('../dist/libs/geo/src');

const n = Number(process.argv[2] ?? 100000);
const statuses = ['planned', 'surveyed', 'in_construction', 'installed', 'spliced', 'tested', 'active'];
const segments = Array.from({ length: n }, (_, i) => {
  const lon = 112.3 + (i % 1000) * 0.0009;
  const lat = -2.9 + Math.floor(i / 1000) * 0.0009;
  return {
    id: `s-${i}`,
    code: `SEG-${i}`,
    fromNodeId: `n-${i}`,
    toNodeId: `n-${i + 1}`,
    fromNodeCode: `ND-${i}`,
    toNodeCode: `ND-${i + 1}`,
    status: statuses[i % statuses.length],
    placement: 'aerial',
    tier: 'distribution',
    cableType: 'ADSS',
    coreCount: 24,
    lengthM: 123.4,
    phaseName: 'Tahap 1',
    coordinates: Array.from({ length: 8 }, (_, v) => [lon + v * 0.0001, lat + (v % 2) * 0.0001]),
  };
});
const nodes = Array.from({ length: n + 1 }, (_, i) => ({
  id: `n-${i}`,
  code: `ND-${i}`,
  name: null,
  kind: 'odp',
  status: 'active',
  owner: 'pemda',
  kecamatanCode: null,
  desaCode: null,
  lon: 112.5,
  lat: -2.9,
}));
const layer = { kind: 'segments', items: segments };
const figures = [];
const time = async (label, run) => {
  const t = process.hrtime.bigint();
  const out = await run();
  const s = msSince(t) / 1000;
  const bytes = typeof out === 'string' ? Buffer.byteLength(out) : (out.length ?? Buffer.byteLength(out.nodes) + Buffer.byteLength(out.spans));
  console.log(`${label.padEnd(8)} ${s.toFixed(1).padStart(5)} s  ${(bytes / 1024 / 1024).toFixed(0).padStart(4)} MB`);
  figures.push({ what: `${label} (${(bytes / 1024 / 1024).toFixed(0)} MB)`, value: round(s, 2), unit: 's' });
};
console.log(`${n} segments, 8 vertices each`);
await time('GeoJSON', () => toGeoJson(layer));
await time('CSV', () => toCsv(layer));
await time('KML', () => toKml(layer, { groupBy: 'status', title: 'bench' }));
await time('KMZ', () => toKmz(layer, { groupBy: 'status', title: 'bench' }));
await time('OFDS', () => toOfdsGeoJson(nodes, segments, { id: '3f2b8a8e-5c1d-4e7a-9b1f-2d6c0e4a7b11', name: 'bench', publisher: 'bench' }));

printResult({
  benchmark: 'export',
  title: 'Exporting segments',
  size: `${n.toLocaleString('en')} segments of 8 vertices`,
  command: `node bench/export.mjs ${n}`,
  description: 'The serializers behind /api/exports, in this process on segments made in memory: GeoJSON, CSV, KML and KMZ (one folder per status), and OFDS 0.3 nodes and spans.',
  figures,
});
