import * as turf from '@turf/turf';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkLineString } from '@serat/geo';
import { judgeMove, NetworkStatus } from '@serat/vocabulary';
import {
  copiesFor,
  copyAreas,
  GeneratedCopy,
  GeneratorArea,
  HISTORY_PATH,
  historySteps,
  planCopy,
  prepareGeneratorBase,
  segmentsPerCopy,
  STATUS_SHARES,
} from './generated-network';

const DATA_DIR = path.join(__dirname, '..', 'seed', 'kotim');
type Props = { code: string; name: string; kecamatan_code?: string };
const read = (file: string) => JSON.parse(fs.readFileSync(path.join(DATA_DIR, file), 'utf8')).features as { properties: Props; geometry: GeneratorArea['geometry'] }[];
const AREAS: GeneratorArea[] = [
  ...read('kabupaten.geojson').map((f) => ({ code: f.properties.code, name: f.properties.name, level: 'kabupaten' as const, parentCode: null, geometry: f.geometry })),
  ...read('kecamatan.geojson').map((f) => ({ code: f.properties.code, name: f.properties.name, level: 'kecamatan' as const, parentCode: '62.02', geometry: f.geometry })),
  ...read('desa.geojson').map((f) => ({
    code: f.properties.code,
    name: f.properties.name,
    level: 'desa' as const,
    parentCode: f.properties.kecamatan_code!,
    geometry: f.geometry,
  })),
];
const base = prepareGeneratorBase(AREAS);

/** Which nodes an active NOC reaches over active segments (what ConnectivityRepository derives). */
function connected(copy: GeneratedCopy): Set<string> {
  const status = new Map(copy.nodes.map((n) => [n.code, n]));
  const adj = new Map<string, string[]>();
  for (const s of copy.segments.filter((x) => x.status === 'active')) {
    adj.set(s.fromNodeCode, [...(adj.get(s.fromNodeCode) ?? []), s.toNodeCode]);
    adj.set(s.toNodeCode, [...(adj.get(s.toNodeCode) ?? []), s.fromNodeCode]);
  }
  const seen = new Set(copy.nodes.filter((n) => n.kind === 'noc' && status.get(n.code)!.status === 'active').map((n) => n.code));
  const queue = [...seen];
  while (queue.length)
    for (const next of adj.get(queue.shift()!) ?? [])
      if (!seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
  return seen;
}

describe('the generated network plan', () => {
  const plan = planCopy(base, 0, 5000, 7);

  it('has exactly the segments asked for, unique codes, and every end a node of the plan at the line’s end', () => {
    expect(plan.segments).toHaveLength(5000);
    const codes = [...plan.segments.map((s) => s.code), ...plan.nodes.map((n) => n.code), ...plan.sites.map((s) => s.code)];
    expect(new Set(codes).size).toBe(codes.length);
    const nodes = new Map(plan.nodes.map((n) => [n.code, n]));
    for (const s of plan.segments) {
      const [from, to] = [nodes.get(s.fromNodeCode)!, nodes.get(s.toNodeCode)!];
      expect(s.coordinates[0]).toEqual([from.lon, from.lat]);
      expect(s.coordinates[s.coordinates.length - 1]).toEqual([to.lon, to.lat]);
      expect(s.fromNodeCode).not.toBe(s.toNodeCode);
    }
    expect(plan.sites.every((s) => nodes.get(s.terminationNodeCode)?.kind === 'termination')).toBe(true);
  });

  it('passes the app’s own geometry check for every route, inside the kabupaten’s box', () => {
    const problems = plan.segments.map((s) => checkLineString({ type: 'LineString', coordinates: s.coordinates }, plan.bbox).problems).filter((p) => p.length);
    expect(problems).toEqual([]);
  });

  it('puts the nodes on land: each in a desa of the kabupaten', () => {
    const desa = AREAS.filter((a) => a.level === 'desa').map((a) => turf.feature(a.geometry));
    const outside = plan.nodes.filter((n) => !desa.some((d) => turf.booleanPointInPolygon([n.lon, n.lat], d)));
    expect(outside.length).toBeLessThanOrEqual(plan.nodes.length * 0.002);
  });

  it('has the statuses in the stated shares, a few damaged, and no cable further along than the one feeding it', () => {
    const count = (s: NetworkStatus) => plan.segments.filter((x) => x.status === s).length;
    for (const [status, share] of Object.entries(STATUS_SHARES)) expect(Math.abs(count(status as NetworkStatus) - share * 5000)).toBeLessThanOrEqual(1);
    const rank = (s: NetworkStatus) => HISTORY_PATH.indexOf(s === 'damaged' ? 'active' : s);
    const feedOf = new Map<string, (typeof plan.segments)[number]>();
    for (const s of plan.segments) if (!feedOf.has(s.toNodeCode)) feedOf.set(s.toNodeCode, s);
    const ahead = plan.segments.filter((s) => {
      const parent = feedOf.get(s.fromNodeCode);
      return parent && parent !== s && rank(s.status) > rank(parent.status);
    });
    expect(ahead).toEqual([]);
  });

  it('connects some sites but not all: the live part hangs together from the NOC', () => {
    const reached = connected(plan);
    const live = plan.sites.filter((s) => reached.has(s.terminationNodeCode));
    expect(live.length).toBeGreaterThan(plan.sites.length * 0.1);
    expect(live.length).toBeLessThan(plan.sites.length * 0.3);
    expect(new Set(plan.sites.map((s) => s.kind))).toEqual(new Set(['kantor_desa', 'kantor_kecamatan', 'sopd', 'sekolah', 'puskesmas', 'other']));
  });

  it('gives each status a history of allowed moves only', () => {
    for (const status of Object.keys(STATUS_SHARES) as NetworkStatus[]) {
      const path = HISTORY_PATH.slice(0, historySteps(status));
      expect(path[path.length - 1]).toBe(status);
      for (let i = 1; i < path.length; i++) expect(judgeMove(path[i - 1], path[i])).toEqual({ allowed: true, needsReason: false });
    }
  });

  it('is the same plan for the same seed, and another for another seed', () => {
    expect(JSON.stringify(planCopy(base, 0, 5000, 7))).toBe(JSON.stringify(plan));
    const other = planCopy(base, 0, 5000, 8);
    expect(other.segments.map((s) => s.coordinates)).not.toEqual(plan.segments.map((s) => s.coordinates));
  });

  it('still makes one network with sites when asked for fewer segments than the backbone has', () => {
    const small = planCopy(base, 0, 40, 1);
    expect(small.segments).toHaveLength(40);
    expect(small.segments.filter((s) => s.tier === 'backbone')).toHaveLength(12);
    const nodes = new Set(small.nodes.map((n) => n.code));
    expect(small.segments.every((s) => nodes.has(s.fromNodeCode) && nodes.has(s.toNodeCode))).toBe(true);
    expect(small.sites.length).toBeGreaterThan(10);
    expect(connected(small).size).toBeGreaterThan(1);
    expect(planCopy(base, 0, 1, 1).segments).toHaveLength(1);
  });

  it('copies the kabupaten beyond 50,000 segments, shifted, with codes of their own', () => {
    expect(copiesFor(50_000)).toBe(1);
    expect(copiesFor(50_001)).toBe(2);
    expect(segmentsPerCopy(100_001)).toEqual([33_334, 33_334, 33_333]);
    const areas = copyAreas(AREAS, '62.02', 1);
    expect(areas.map((a) => a.code).slice(0, 3)).toEqual(['62.21', '62.21.01', '62.21.02']);
    expect(areas.find((a) => a.code === '62.21.05.1001')?.parentCode).toBe('62.21.05');
    const copy = planCopy(base, 1, 300, 7);
    expect(copy.kabupatenCode).toBe('62.21');
    expect(copy.segments.every((s) => s.code.includes('62.21'))).toBe(true);
    const box = turf.bbox(turf.feature(areas[0].geometry));
    expect(copy.nodes.every((n) => n.lon >= box[0] && n.lon <= box[2] && n.lat >= box[1] && n.lat <= box[3])).toBe(true);
  });
});
