import { manySegments } from './export-fixtures.testing';
import { toCsv, toGeoJson, toKml, toOfdsGeoJson, type ExportNode, type ExportSegment } from './index';

function timed<T>(label: string, run: () => T): { result: T; ms: number } {
  const started = process.hrtime.bigint();
  const result = run();
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  console.log(`${label}: ${ms.toFixed(0)} ms`);
  return { result, ms };
}

describe('export of 100,000 segments (8 vertices each)', () => {
  const segments: ExportSegment[] = manySegments(100_000);
  // Generous bounds: this catches quadratic behaviour, not a slow CI machine.
  const BOUND_MS = 20_000;

  it('GeoJSON', () => {
    const { result, ms } = timed('GeoJSON 100k', () => toGeoJson({ kind: 'segments', items: segments }));
    console.log(`GeoJSON 100k: ${(result.length / 1e6).toFixed(1)} MB`);
    expect(result.endsWith(']}\n')).toBe(true);
    expect(ms).toBeLessThan(BOUND_MS);
  });

  it('CSV', () => {
    const { result, ms } = timed('CSV 100k', () => toCsv({ kind: 'segments', items: segments }));
    console.log(`CSV 100k: ${(result.length / 1e6).toFixed(1)} MB`);
    expect(result.split('\r\n')).toHaveLength(100_002);
    expect(ms).toBeLessThan(BOUND_MS);
  });

  it('KML', () => {
    const { result, ms } = timed('KML 100k', () => toKml({ kind: 'segments', items: segments }, { groupBy: 'status', title: 'Besar' }));
    console.log(`KML 100k: ${(result.length / 1e6).toFixed(1)} MB`);
    expect(ms).toBeLessThan(BOUND_MS);
  });

  it('OFDS GeoJSON', () => {
    const nodes: ExportNode[] = Array.from({ length: 100_001 }, (_, i) => ({
      id: `n-${i}`, code: `ND-${i}`, name: null, kind: 'odp', status: 'active', owner: 'pemda', kecamatanCode: null, desaCode: null, lon: 112.5 + (i % 1000) * 0.001, lat: -2.9,
    }));
    const { result, ms } = timed('OFDS 100k spans + 100k nodes', () => toOfdsGeoJson(nodes, segments, { id: '3f2b8a8e-5c1d-4e7a-9b1f-2d6c0e4a7b11', name: 'Besar', publisher: 'Diskominfo' }));
    console.log(`OFDS 100k: ${((result.nodes.length + result.spans.length) / 1e6).toFixed(1)} MB`);
    expect(ms).toBeLessThan(BOUND_MS);
  });
});
