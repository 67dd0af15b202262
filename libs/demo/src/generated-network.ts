/**
 * Generated networks for benchmarks (`npm run bench:generate`): a deterministic fiber network of a
 * chosen number of segments inside real boundaries, the Kotim kecamatan and desa polygons. Pure
 * (seeded PRNG, no clock, no I/O): the same areas, size and seed give the same codes, geometry and
 * statuses, byte for byte. Coordinates are WGS84 [lon, lat] (SRID 4326), rounded to 1e-7°;
 * distances are great-circle kilometres (turf) unless named otherwise.
 *
 * The shape of one copy of the kabupaten:
 * - one NOC in Sampit; a graph of the desa (a hub point in each, edges to near neighbours that stay
 *   on land or cross a river for at most 1.5 km) on which the backbone runs;
 * - backbone rings: the kantor kecamatan grouped by bearing from the NOC, each group a ring
 *   NOC → hub → … → hub → NOC along shortest paths of the desa graph;
 * - feeders from the backbone to every other desa (a shortest-path forest), an ODC in each desa;
 * - distribution trees in each desa: ODPs hanging off the nearest ODC/ODP, 2–8 drops each to an
 *   ONT at a site (kantor desa, kantor kecamatan, SOPD in Sampit, sekolah, puskesmas, other);
 * - statuses that follow the rollout outwards from the NOC (a cable is never further along than
 *   the one that feeds it), in the proportions of STATUS_SHARES, a few active ones damaged.
 * Beyond SEGMENTS_PER_COPY segments the kabupaten is copied (shifted east, then south, onto a grid,
 * with codes of their own), so that the density of the network stays that of one kabupaten.
 */
import * as turf from '@turf/turf';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import type { AdminLevel, NetworkStatus, NodeKind, SegmentPlacement, SegmentTier, SiteKind } from '@serat/vocabulary';
import { STATUS_STAGES } from '@serat/vocabulary';

/** An admin area as the generator reads it from the database (and writes the copies). */
export interface GeneratorArea {
  code: string;
  name: string;
  level: AdminLevel;
  parentCode: string | null;
  geometry: Polygon | MultiPolygon;
}

export interface GeneratedNode {
  code: string;
  name: string;
  kind: NodeKind;
  lon: number;
  lat: number;
  status: NetworkStatus;
  /** When its first status was recorded (ISO 8601, UTC); its moves follow at HISTORY_DAYS. */
  startedAt: string;
}

export interface GeneratedSegment {
  code: string;
  fromNodeCode: string;
  toNodeCode: string;
  coordinates: [number, number][];
  placement: SegmentPlacement;
  tier: SegmentTier;
  cableType: string;
  coreCount: number;
  status: NetworkStatus;
  phaseCode: string;
  startedAt: string;
}

export interface GeneratedSite {
  code: string;
  name: string;
  shortName: string;
  kind: SiteKind;
  lon: number;
  lat: number;
  phaseCode: string;
  terminationNodeCode: string;
  costIdrPerMonth: number;
}

/** One copy of the kabupaten: its areas (null for the original, which is already there) and its network. */
export interface GeneratedCopy {
  index: number;
  kabupatenCode: string;
  /** The copy's bounding box (minLon, minLat, maxLon, maxLat), the region its geometry is checked against. */
  bbox: [number, number, number, number];
  areas: GeneratorArea[] | null;
  nodes: GeneratedNode[];
  segments: GeneratedSegment[];
  sites: GeneratedSite[];
}

/** Every generated code starts so; --replace removes exactly these rows. */
export const GENERATED_CODE_PREFIX = 'GN-';
/** About the segments one kabupaten of Kotim's size holds once every desa is served. */
export const SEGMENTS_PER_COPY = 50_000;
/** Kabupaten codes 62.21 … 62.99 for the copies; beyond that the copies only get denser. */
export const MAX_COPIES = 80;
export const MAX_SEGMENTS = 10_000_000;

/**
 * The share of segments in each status, in lifecycle order: most of a rollout is still planned or
 * being built, a fifth is live, 1 % of all segments is damaged (taken from the active ones).
 */
export const STATUS_SHARES: Record<Exclude<NetworkStatus, 'decommissioned'>, number> = {
  planned: 0.3,
  surveyed: 0.12,
  in_construction: 0.22,
  installed: 0.08,
  spliced: 0.04,
  tested: 0.03,
  active: 0.2,
  damaged: 0.01,
};

/**
 * The path of a status through the lifecycle, each move allowed by judgeMove without a reason:
 * the stages in order, then active → damaged. A row in status s went through HISTORY_PATH up to s.
 */
export const HISTORY_PATH: NetworkStatus[] = [...STATUS_STAGES, 'damaged'];
/** Days after a subject's start at which it reached each status of HISTORY_PATH. */
export const HISTORY_DAYS = [0, 14, 45, 90, 120, 130, 140, 200];
/** The first generated plan was made then; starts spread over the following 180 days by rollout order. */
const PROGRAMME_START_MS = Date.UTC(2024, 0, 8, 1, 0, 0);
const START_SPREAD_DAYS = 180;

type Pos = [number, number];
type AreaFeature = Feature<Polygon | MultiPolygon>;

const SAMPIT: Pos = [112.955, -2.536];
const COPY_STEP_DEG: Pos = [1.25, 2.15]; // more than Kotim's 1.20° × 2.11° box: copies never overlap
const COPY_COLUMNS = 8;
const MAX_SPAN_KM = 6; // a joint closure at least every 6 km along the backbone and feeders
const RING_SIZE = 4; // kantor kecamatan per backbone ring
const NEIGHBOURS = 6;
const MAX_WATER_KM = 1.5;
const SOPD_COUNT = 36;

const r7 = (x: number): number => Math.round(x * 1e7) / 1e7;
const M_PER_DEG = 111_320;
const lerp = (a: Pos, b: Pos, t: number): Pos => [r7(a[0] + (b[0] - a[0]) * t), r7(a[1] + (b[1] - a[1]) * t)];
const distKm = (a: Pos, b: Pos): number => turf.distance(a, b);
const samePos = (a: Pos, b: Pos): boolean => a[0] === b[0] && a[1] === b[1];
const offset = (p: Pos, eastM: number, northM: number): Pos => [r7(p[0] + eastM / (M_PER_DEG * Math.cos((p[1] * Math.PI) / 180))), r7(p[1] + northM / M_PER_DEG)];

/** mulberry32: tiny, fast, and the same sequence on every platform. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The PRNG of one copy: its own stream, so copies can be planned one at a time and still be the same. */
const copyRandom = (seed: number, copy: number) => mulberry32(Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(copy + 1, 0x85ebca6b));

export function copiesFor(segments: number): number {
  return Math.min(MAX_COPIES, Math.max(1, Math.ceil(segments / SEGMENTS_PER_COPY)));
}

/** How many of the segments each copy gets: evenly, the first ones one more. */
export function segmentsPerCopy(segments: number): number[] {
  const copies = copiesFor(segments);
  return Array.from({ length: copies }, (_, i) => Math.floor(segments / copies) + (i < segments % copies ? 1 : 0));
}

/** A code of the original kabupaten as it is in copy k (62.02.05.1001 → 62.21.05.1001 for k = 1). */
export function copyCode(code: string, kabupatenCode: string, copy: number): string {
  if (copy === 0) return code;
  const [province] = kabupatenCode.split('.');
  return `${province}.${String(20 + copy).padStart(2, '0')}${code.slice(kabupatenCode.length)}`;
}

/** Degrees east and north that copy k is shifted by: a grid east of the original, rows going south. */
export function copyShift(copy: number): Pos {
  return [(copy % COPY_COLUMNS) * COPY_STEP_DEG[0], -Math.floor(copy / COPY_COLUMNS) * COPY_STEP_DEG[1]];
}

const shiftPos = (p: Pos, [dx, dy]: Pos): Pos => [r7(p[0] + dx), r7(p[1] + dy)];

function shiftGeometry(g: Polygon | MultiPolygon, d: Pos): Polygon | MultiPolygon {
  const ring = (r: number[][]) => r.map((p) => shiftPos([p[0], p[1]], d));
  return g.type === 'Polygon' ? { type: 'Polygon', coordinates: g.coordinates.map(ring) } : { type: 'MultiPolygon', coordinates: g.coordinates.map((poly) => poly.map(ring)) };
}

/** Copy k of the kabupaten's areas, parents first: shifted polygons, codes of their own, names marked as a copy. */
export function copyAreas(areas: GeneratorArea[], kabupatenCode: string, copy: number): GeneratorArea[] {
  const d = copyShift(copy);
  return areas.map((a) => ({
    code: copyCode(a.code, kabupatenCode, copy),
    name: `${a.name} (salinan ${copy})`,
    level: a.level,
    parentCode: a.parentCode === null ? null : copyCode(a.parentCode, kabupatenCode, copy),
    geometry: shiftGeometry(a.geometry, d),
  }));
}

interface Desa {
  code: string;
  name: string;
  kecamatanCode: string;
  feature: AreaFeature;
  bbox: [number, number, number, number];
  point: Pos;
  areaKm2: number;
  /** A kelurahan (Kemendagri code 1xxx): a town, more sites. */
  town: boolean;
}

interface Edge {
  a: number;
  b: number;
  km: number;
  water: boolean;
}

/** What every copy shares: the desa, their graph, the backbone and feeders, and the order they grow in from the NOC. */
export interface GeneratorBase {
  kabupatenCode: string;
  areas: GeneratorArea[];
  bbox: [number, number, number, number];
  desa: Desa[];
  noc: number;
  /** Desa index → the kecamatan whose kantor is there. */
  kantorOf: Map<number, { code: string; name: string }>;
  /** Edges in growth order: each one's `a` is reached already when it comes (tree edges first reach `b`). */
  order: (Edge & { tier: SegmentTier })[];
}

function inFeature(p: Pos, f: { feature: AreaFeature; bbox: number[] }): boolean {
  const [x0, y0, x1, y1] = f.bbox;
  return p[0] >= x0 && p[0] <= x1 && p[1] >= y0 && p[1] <= y1 && turf.booleanPointInPolygon(p, f.feature);
}

/** Dijkstra over a small graph (the desa: a few hundred), O(V²); cost per edge given. */
function shortestPaths(n: number, adj: { to: number; edge: number }[][], cost: (edge: number) => number, sources: number[]) {
  const dist = new Array<number>(n).fill(Infinity);
  const via = new Array<number>(n).fill(-1);
  const done = new Array<boolean>(n).fill(false);
  for (const s of sources) dist[s] = 0;
  for (;;) {
    let u = -1;
    for (let i = 0; i < n; i++) if (!done[i] && dist[i] < Infinity && (u < 0 || dist[i] < dist[u])) u = i;
    if (u < 0) break;
    done[u] = true;
    for (const { to, edge } of adj[u]) {
      const d = dist[u] + cost(edge);
      if (d < dist[to]) {
        dist[to] = d;
        via[to] = edge;
      }
    }
  }
  return { dist, via };
}

/**
 * The part of the plan that depends on the boundaries only (computed once for all copies): the
 * desa graph, the backbone rings, the feeders and their growth order from the NOC.
 */
export function prepareGeneratorBase(areas: GeneratorArea[]): GeneratorBase {
  const kabupaten = areas.filter((a) => a.level === 'kabupaten');
  if (kabupaten.length !== 1) throw new Error(`generator: expected one kabupaten, got ${kabupaten.length}`);
  const kabupatenCode = kabupaten[0].code;
  const feature = (a: GeneratorArea): AreaFeature => turf.feature(a.geometry);
  const kecamatan = areas.filter((a) => a.level === 'kecamatan').sort((x, y) => x.code.localeCompare(y.code));
  const desa: Desa[] = areas
    .filter((a) => a.level === 'desa')
    .sort((x, y) => x.code.localeCompare(y.code))
    .map((a) => {
      const f = feature(a);
      const p = turf.pointOnFeature(f).geometry.coordinates;
      return {
        code: a.code,
        name: a.name,
        kecamatanCode: a.parentCode ?? '',
        feature: f,
        bbox: turf.bbox(f) as Desa['bbox'],
        point: [r7(p[0]), r7(p[1])],
        areaKm2: turf.area(f) / 1e6,
        town: /\.1\d{3}$/.test(a.code),
      };
    });
  if (desa.length < 2 || kecamatan.length === 0) throw new Error('generator: the kabupaten needs its kecamatan and at least two desa');
  // Two desa can share their point (the same polygon twice in the source, a point on a shared
  // vertex): the later one moves into its own polygon, 100 m at a time, until it is alone.
  const taken = new Set<string>();
  for (const d of desa) {
    for (let step = 1; taken.has(`${d.point}`) && step <= 50; step++) {
      const t = step * 2.4;
      const q = offset(d.point, 100 * step * Math.cos(t), 100 * step * Math.sin(t));
      if (inFeature(q, d) && !taken.has(`${q}`)) d.point = q;
    }
    if (taken.has(`${d.point}`)) d.point = offset(d.point, 10, 10);
    taken.add(`${d.point}`);
  }
  const onLand = (p: Pos) => desa.some((d) => inFeature(p, d));

  // Candidate edges: each desa to its nearest neighbours, kept where the straight line stays on
  // land (sampled every 200 m) or crosses at most MAX_WATER_KM of water (a river crossing).
  const edges: Edge[] = [];
  const seen = new Set<string>();
  const water = (a: Pos, b: Pos) => {
    const km = distKm(a, b);
    const steps = Math.max(1, Math.ceil(km / 0.2));
    let outside = 0;
    for (let s = 1; s < steps; s++) if (!onLand(lerp(a, b, s / steps))) outside++;
    return (outside * km) / steps;
  };
  const addEdge = (a: number, b: number, force: boolean) => {
    const key = a < b ? `${a}-${b}` : `${b}-${a}`;
    if (seen.has(key)) return;
    const wetKm = water(desa[a].point, desa[b].point);
    if (!force && wetKm > MAX_WATER_KM) return;
    seen.add(key);
    edges.push({ a: Math.min(a, b), b: Math.max(a, b), km: distKm(desa[a].point, desa[b].point), water: wetKm > 0 });
  };
  desa.forEach((d, i) => {
    const near = desa
      .map((o, j) => ({ j, km: distKm(d.point, o.point) }))
      .filter((x) => x.j !== i)
      .sort((x, y) => x.km - y.km || x.j - y.j)
      .slice(0, NEIGHBOURS);
    for (const { j } of near) addEdge(i, j, false);
  });
  // Join what is still apart (islands, wide water) by its shortest link, whatever lies between.
  const root = desa.map((_, i) => i);
  const find = (i: number): number => (root[i] === i ? i : (root[i] = find(root[i])));
  for (const e of edges) root[find(e.a)] = find(e.b);
  for (;;) {
    let best: { a: number; b: number; km: number } | null = null;
    for (let a = 0; a < desa.length; a++) {
      for (let b = a + 1; b < desa.length; b++) {
        if (find(a) === find(b)) continue;
        const km = distKm(desa[a].point, desa[b].point);
        if (!best || km < best.km) best = { a, b, km };
      }
    }
    if (!best) break;
    addEdge(best.a, best.b, true);
    root[find(best.a)] = find(best.b);
  }
  const adj: { to: number; edge: number }[][] = desa.map(() => []);
  edges.forEach((e, i) => {
    adj[e.a].push({ to: e.b, edge: i });
    adj[e.b].push({ to: e.a, edge: i });
  });

  // The NOC is at Diskominfo in Sampit: the desa that holds the town centre (else the nearest).
  const sampit = desa.findIndex((d) => inFeature(SAMPIT, d));
  const noc = sampit >= 0 ? sampit : desa.reduce((best, d, i) => (distKm(d.point, SAMPIT) < distKm(desa[best].point, SAMPIT) ? i : best), 0);

  // Each kantor kecamatan is in the kecamatan's first kelurahan, else its desa nearest its middle.
  const kantorOf = new Map<number, { code: string; name: string }>();
  for (const k of kecamatan) {
    const own = desa.map((d, i) => ({ d, i })).filter(({ d }) => d.kecamatanCode === k.code);
    if (own.length === 0) continue;
    const middle = turf.pointOnFeature(feature(k)).geometry.coordinates as Pos;
    const hub = own.find(({ d }) => d.town) ?? own.reduce((best, x) => (distKm(x.d.point, middle) < distKm(best.d.point, middle) ? x : best));
    kantorOf.set(hub.i, { code: k.code, name: k.name });
  }

  // Backbone rings over the kantor, grouped by bearing from the NOC; legs along shortest paths,
  // edges already used cost triple so that a ring comes back another way where the graph allows.
  const nocPos = desa[noc].point;
  const hubs = [...kantorOf.keys()]
    .filter((i) => i !== noc)
    .sort((x, y) => {
      const bx = Math.atan2(desa[x].point[1] - nocPos[1], desa[x].point[0] - nocPos[0]);
      const by = Math.atan2(desa[y].point[1] - nocPos[1], desa[y].point[0] - nocPos[0]);
      return bx - by || x - y;
    });
  const backbone = new Set<number>();
  for (let r = 0; r * RING_SIZE < hubs.length; r++) {
    const stops = [noc, ...hubs.slice(r * RING_SIZE, (r + 1) * RING_SIZE), noc];
    for (let s = 1; s < stops.length; s++) {
      const { via } = shortestPaths(desa.length, adj, (e) => edges[e].km * (backbone.has(e) ? 3 : 1), [stops[s - 1]]);
      for (let at = stops[s]; at !== stops[s - 1];) {
        const e = via[at];
        if (e < 0) throw new Error('generator: the desa graph is not connected');
        backbone.add(e);
        at = edges[e].a === at ? edges[e].b : edges[e].a;
      }
    }
  }
  // Feeders: every other desa from the nearest backbone point (a shortest-path forest).
  const onBackbone = new Set<number>([noc]);
  for (const e of backbone) onBackbone.add(edges[e].a).add(edges[e].b);
  const feeders = shortestPaths(
    desa.length,
    adj,
    (e) => edges[e].km,
    [...onBackbone].sort((x, y) => x - y),
  );
  const chosen = new Map<number, SegmentTier>([...backbone].map((e) => [e, 'backbone']));
  desa.forEach((_, i) => {
    if (!onBackbone.has(i) && feeders.via[i] >= 0) chosen.set(feeders.via[i], 'distribution');
  });
  // Growth order: desa by distance from the NOC over the chosen edges; each brings the edge that
  // first reaches it, then any chosen edge both of whose ends are reached (a ring closing).
  const chosenAdj = adj.map((list) => list.filter(({ edge }) => chosen.has(edge)));
  const growth = shortestPaths(desa.length, chosenAdj, (e) => edges[e].km, [noc]);
  const reached = desa
    .map((_, i) => i)
    .filter((i) => growth.dist[i] < Infinity)
    .sort((x, y) => growth.dist[x] - growth.dist[y] || x - y);
  if (reached.length !== desa.length) throw new Error('generator: some desa cannot be reached from the NOC');
  const order: GeneratorBase['order'] = [];
  const emitted = new Set<number>();
  const isReached = new Set<number>([noc]);
  for (const i of reached.slice(1)) {
    const e = growth.via[i];
    const from = edges[e].a === i ? edges[e].b : edges[e].a;
    order.push({ ...edges[e], a: from, b: i, tier: chosen.get(e)! });
    emitted.add(e);
    isReached.add(i);
    for (const { to, edge } of chosenAdj[i]) {
      if (!emitted.has(edge) && isReached.has(to)) {
        order.push({ ...edges[edge], a: to, b: i, tier: chosen.get(edge)! });
        emitted.add(edge);
      }
    }
  }
  return { kabupatenCode, areas, bbox: turf.bbox(turf.featureCollection(kabupaten.map(feature))) as GeneratorBase['bbox'], desa, noc, kantorOf, order };
}

interface PlannedSegment extends Omit<GeneratedSegment, 'status' | 'startedAt'> {
  /** Rollout order: a segment fed by another has a larger key (km from the NOC, weighted per desa). */
  key: number;
}

/** Largest remainder: `total` split in proportion to the weights, summing to it exactly. */
function apportion(total: number, weights: number[]): number[] {
  const sum = weights.reduce((s, w) => s + w, 0);
  const exact = weights.map((w) => (total * w) / sum);
  const out = exact.map(Math.floor);
  let left = total - out.reduce((s, x) => s + x, 0);
  const byRemainder = exact.map((x, i) => ({ i, r: x - Math.floor(x) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (let k = 0; left > 0; k = (k + 1) % byRemainder.length, left--) out[byRemainder[k].i]++;
  return out;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/**
 * Plans copy `copy` of the kabupaten with exactly `budget` segments. A small budget gets the
 * first backbone and feeder spans in growth order (at most 30 % of it, so that the network is
 * still one piece) and distribution trees in the desa those reach.
 */
export function planCopy(base: GeneratorBase, copy: number, budget: number, seed: number): GeneratedCopy {
  const rnd = copyRandom(seed, copy);
  const shift = copyShift(copy);
  const code = (c: string) => copyCode(c, base.kabupatenCode, copy);
  const kab = code(base.kabupatenCode);
  const { desa } = base;
  const nodes: (Omit<GeneratedNode, 'status' | 'startedAt'> & { feed: number })[] = [];
  const nodeAt = new Map<string, Pos>();
  const segments: PlannedSegment[] = [];
  const sites: GeneratedSite[] = [];
  const keyAt = new Map<string, number>();
  const used = new Set<string>(desa.map((d) => `${d.point}`)); // positions taken by a node: no two nodes in one place
  const weight = desa.map(() => 0.6 + 0.8 * rnd()); // how slow the rollout is in each desa
  const nocDesa = desa[base.noc];
  const nocKec = nocDesa.kecamatanCode;

  const nodeIndex = new Map<string, number>();
  const addNode = (c: string, name: string, kind: NodeKind, p: Pos) => {
    nodeIndex.set(c, nodes.length);
    nodes.push({ code: c, name, kind, lon: p[0], lat: p[1], feed: -1 });
    nodeAt.set(c, p);
    used.add(`${p}`);
    return c;
  };
  /**
   * Adds a segment between two nodes placed already, its ends exactly on them. `feeds`: it is the
   * cable that first reaches its `to` node (else it closes a ring between two reached nodes).
   */
  const addSegment = (s: Omit<PlannedSegment, 'key'>, desaIndex: number, feeds = true): void => {
    const from = nodeAt.get(s.fromNodeCode)!;
    const to = nodeAt.get(s.toNodeCode)!;
    const pts = [from, ...s.coordinates.slice(1, -1), to];
    const coordinates = pts.filter((p, i) => i === 0 || !samePos(p, pts[i - 1]));
    if (coordinates.length < 2) throw new Error(`generator: degenerate segment ${s.code} (${s.fromNodeCode} → ${s.toNodeCode} at ${from})`);
    const km = turf.length(turf.lineString(coordinates));
    const key = Math.max(keyAt.get(s.fromNodeCode) ?? 0, feeds ? 0 : (keyAt.get(s.toNodeCode) ?? 0)) + km * weight[desaIndex];
    if (feeds) {
      keyAt.set(s.toNodeCode, key);
      nodes[nodeIndex.get(s.toNodeCode)!].feed = segments.length;
    }
    segments.push({ ...s, coordinates, key });
  };

  // --- Backbone and feeders, in growth order; long edges cut into spans at joint closures.
  const hubCode = (i: number) => (i === base.noc ? `${GENERATED_CODE_PREFIX}NOC-${kab}` : `${GENERATED_CODE_PREFIX}ODC-${code(desa[i].code)}`);
  addNode(hubCode(base.noc), `NOC ${nocDesa.name}`, 'noc', nocDesa.point);
  keyAt.set(hubCode(base.noc), 0);
  let closures = 0;
  let trunk = 0;
  // A small network is still a network with sites: the backbone and feeders take at most 30 % of it.
  const trunkBudget = Math.min(budget, Math.max(1, Math.ceil(budget * 0.3)));
  for (const e of base.order) {
    if (segments.length >= trunkBudget) break;
    const [a, b] = [desa[e.a].point, desa[e.b].point];
    if (!nodeAt.has(hubCode(e.b))) {
      const kantor = base.kantorOf.get(e.b);
      addNode(hubCode(e.b), kantor ? `ODC Kecamatan ${kantor.name}` : `ODC Desa ${desa[e.b].name}`, 'odc', b);
    }
    // A gentle road-like line: a vertex every ~2.5 km, up to 80 m either side of the chord.
    const n = Math.max(1, Math.round(e.km / 2.5));
    const east = (b[0] - a[0]) * M_PER_DEG * Math.cos((a[1] * Math.PI) / 180);
    const north = (b[1] - a[1]) * M_PER_DEG;
    const len = Math.hypot(east, north) || 1;
    const route: Pos[] = [a];
    for (let i = 1; i < n; i++) {
      const off = (rnd() * 2 - 1) * 80;
      route.push(offset(lerp(a, b, i / n), (-north / len) * off, (east / len) * off));
    }
    route.push(b);
    const spans = Math.max(1, Math.ceil(e.km / MAX_SPAN_KM));
    const perSpan = Math.ceil((route.length - 1) / spans);
    let prev = hubCode(e.a);
    const backbone = e.tier === 'backbone';
    const isRing = nodeAt.has(hubCode(e.b)) && keyAt.has(hubCode(e.b));
    for (let s = 0; s < spans && segments.length < trunkBudget; s++) {
      const last = s === spans - 1 || (s + 1) * perSpan >= route.length - 1;
      const piece = route.slice(s * perSpan, last ? route.length : (s + 1) * perSpan + 1);
      const end = last
        ? hubCode(e.b)
        : addNode(`${GENERATED_CODE_PREFIX}JC-${kab}-${pad(++closures, 5)}`, `Joint closure ${desa[e.b].name} ${closures}`, 'joint_closure', piece[piece.length - 1]);
      const spec = {
        code: `${GENERATED_CODE_PREFIX}${backbone ? 'BB' : 'FD'}-${kab}-${pad(++trunk, 5)}`,
        fromNodeCode: prev,
        toNodeCode: end,
        coordinates: piece,
        placement: (e.water ? 'river_crossing' : 'aerial') as SegmentPlacement,
        tier: e.tier,
        cableType: e.water ? 'Armoured G.652D (river crossing)' : 'ADSS G.652D',
        coreCount: backbone ? 96 : 24,
        phaseCode: backbone ? 'tahap-2' : 'tahap-3',
      };
      addSegment(spec, e.b, !(isRing && last));
      prev = end;
      if (last) break;
    }
  }

  // --- Distribution trees in each desa with what is left, more in the towns.
  const left = budget - segments.length;
  if (left > 0) {
    const share = apportion(
      left,
      // Only desa the trunk reaches (all of them, but in a small network).
      desa.map((d, i) => (keyAt.has(hubCode(i)) ? (d.town ? 6 : 1) * (0.5 + rnd()) : 0)),
    );
    let sopd = 0;
    const growthDesa = [base.noc, ...base.order.map((e) => e.b).filter((b, i, all) => all.indexOf(b) === i)];
    for (const di of growthDesa) {
      let budgetHere = share[di];
      if (budgetHere <= 0) continue;
      const d = desa[di];
      const dc = code(d.code);
      const radiusM = 1000 * Math.min(4, Math.max(0.3, Math.sqrt(d.areaKm2) / 2));
      const hub = hubCode(di);
      const inDesa = (p: Pos) => inFeature(p, d);
      // A new point within minM–maxM of the centre, in the desa, where no node of the copy is yet.
      const placeNear = (centre: Pos, minM: number, maxM: number): Pos => {
        const free = (q: Pos) => !used.has(`${q}`);
        const take = (q: Pos) => (used.add(`${q}`), q);
        for (let tries = 0; tries < 20; tries++) {
          const r = minM + (maxM - minM) * Math.sqrt(rnd());
          const t = 2 * Math.PI * rnd();
          const q = offset(centre, r * Math.cos(t), r * Math.sin(t));
          if (inDesa(q) && free(q)) return take(q);
        }
        // A desa too thin or too full there: nearer the centre, then metre by metre around it.
        const far = offset(centre, minM, 0);
        for (let i = 1; i < 20; i++) {
          const q = lerp(far, centre, i / 20);
          if (inDesa(q) && free(q)) return take(q);
        }
        for (let i = 1; ; i++) {
          const q = offset(centre, 3 * Math.cos(i * 2.4) * Math.sqrt(i), 3 * Math.sin(i * 2.4) * Math.sqrt(i));
          if (free(q) && (inDesa(q) || i > 200)) return take(q);
        }
      };
      const points: { code: string; p: Pos }[] = [{ code: hub, p: d.point }];
      let odps = 0;
      let drops = 0;
      const phaseCode = d.kecamatanCode === nocKec && d.town ? 'tahap-1' : 'tahap-3';
      while (budgetHere > 0) {
        const p = placeNear(d.point, 30, radiusM);
        const parent = points.reduce((best, x) => (distKm(x.p, p) < distKm(best.p, p) ? x : best));
        const odp = addNode(`${GENERATED_CODE_PREFIX}ODP-${dc}-${pad(++odps, 3)}`, `ODP ${d.name} ${odps}`, 'odp', p);
        const mid = lerp(parent.p, p, 0.3 + 0.4 * rnd());
        const street: Pos[] = rnd() < 0.5 ? [parent.p, [mid[0], parent.p[1]], [mid[0], p[1]], p] : [parent.p, [parent.p[0], mid[1]], [p[0], mid[1]], p];
        addSegment(
          {
            code: `${GENERATED_CODE_PREFIX}DS-${dc}-${pad(odps, 3)}`,
            fromNodeCode: parent.code,
            toNodeCode: odp,
            coordinates: street,
            placement: 'aerial',
            tier: 'distribution',
            cableType: 'ADSS G.652D',
            coreCount: rnd() < 0.5 ? 12 : 24,
            phaseCode,
          },
          di,
        );
        points.push({ code: odp, p });
        budgetHere--;
        const k = Math.min(budgetHere, 2 + Math.floor(rnd() * 7));
        for (let j = 0; j < k; j++) {
          const sp = placeNear(p, 40, 350);
          drops++;
          const kind: SiteKind =
            drops === 1
              ? 'kantor_desa'
              : drops === 2 && base.kantorOf.has(di)
                ? 'kantor_kecamatan'
                : di === base.noc && sopd < SOPD_COUNT
                  ? 'sopd'
                  : (['sekolah', 'sekolah', 'sekolah', 'puskesmas', 'other', 'other', 'other', 'other'] as const)[Math.floor(rnd() * 8)];
          if (kind === 'sopd') sopd++;
          const label =
            kind === 'kantor_desa'
              ? `Kantor ${d.town ? 'Kelurahan' : 'Desa'} ${d.name}`
              : kind === 'kantor_kecamatan'
                ? `Kantor Kecamatan ${base.kantorOf.get(di)!.name}`
                : kind === 'sopd'
                  ? `SOPD ${sopd} Sampit`
                  : `${kind === 'sekolah' ? 'Sekolah' : kind === 'puskesmas' ? 'Puskesmas Pembantu' : 'Titik layanan'} ${d.name} ${drops}`;
          const siteCode = `${GENERATED_CODE_PREFIX}SITE-${dc}-${pad(drops, 4)}`;
          const ont = addNode(`${GENERATED_CODE_PREFIX}ONT-${dc}-${pad(drops, 4)}`, `ONT ${label}`, 'termination', sp);
          const bend: Pos = rnd() < 0.5 ? [sp[0], p[1]] : [p[0], sp[1]];
          addSegment(
            {
              code: `${GENERATED_CODE_PREFIX}DR-${dc}-${pad(drops, 4)}`,
              fromNodeCode: odp,
              toNodeCode: ont,
              coordinates: [p, bend, sp],
              placement: rnd() < 0.2 ? 'underground' : 'aerial',
              tier: 'drop',
              cableType: 'Drop FTTH G.657A',
              coreCount: rnd() < 0.5 ? 2 : 4,
              phaseCode,
            },
            di,
          );
          sites.push({
            code: siteCode,
            name: label,
            shortName: label.length > 40 ? label.slice(0, 40) : label,
            kind,
            lon: sp[0],
            lat: sp[1],
            phaseCode: kind === 'kantor_kecamatan' ? 'tahap-2' : phaseCode,
            terminationNodeCode: ont,
            costIdrPerMonth: kind === 'sopd' || kind === 'kantor_kecamatan' ? 7_000_000 : kind === 'kantor_desa' ? 3_500_000 : kind === 'puskesmas' ? 2_500_000 : 1_500_000,
          });
        }
        budgetHere -= k;
      }
    }
  }

  // --- Statuses: the rollout reaches the segments in key order (nearest the NOC first).
  const byKey = segments.map((s, i) => i).sort((x, y) => segments[x].key - segments[y].key || x - y);
  const status = new Array<NetworkStatus>(segments.length);
  const startedAt = new Array<string>(segments.length);
  const stages = [...STATUS_STAGES].reverse(); // active first
  const shares = stages.map((s) => STATUS_SHARES[s] + (s === 'active' ? STATUS_SHARES.damaged : 0));
  const counts = apportion(segments.length, shares);
  let at = 0;
  stages.forEach((s, k) => {
    for (let c = 0; c < counts[k]; c++, at++) status[byKey[at]] = s;
  });
  byKey.forEach((i, rank) => {
    startedAt[i] = new Date(PROGRAMME_START_MS + Math.floor((rank / Math.max(1, segments.length)) * START_SPREAD_DAYS * 86_400_000)).toISOString();
  });
  // A few of the active ones are cut: picked at random, as faults come.
  const active = byKey.filter((i) => status[i] === 'active');
  const damaged = Math.min(active.length, Math.round(segments.length * STATUS_SHARES.damaged));
  for (let k = 0; k < damaged; k++) {
    const j = k + Math.floor(rnd() * (active.length - k));
    [active[k], active[j]] = [active[j], active[k]];
    status[active[k]] = 'damaged';
  }

  // Only the nodes the segments reach (a cut plan leaves some out); sites with their ONT.
  const d = shift;
  const shiftRoute = (c: Pos[]) => c.map((p) => shiftPos(p, d));
  const fed = nodes.filter((n) => n.kind === 'noc' || n.feed >= 0);
  const kept = new Set(fed.map((n) => n.code));
  return {
    index: copy,
    kabupatenCode: kab,
    bbox: [r7(base.bbox[0] + d[0]), r7(base.bbox[1] + d[1]), r7(base.bbox[2] + d[0]), r7(base.bbox[3] + d[1])],
    areas: copy === 0 ? null : copyAreas(base.areas, base.kabupatenCode, copy),
    nodes: fed.map((n) => {
      // A node is as far along as the cable that feeds it; a cut cable does not damage the node behind it.
      const feedStatus = n.kind === 'noc' ? 'active' : status[n.feed];
      const [lon, lat] = shiftPos([n.lon, n.lat], d);
      return {
        code: n.code,
        name: n.name,
        kind: n.kind,
        lon,
        lat,
        status: feedStatus === 'damaged' ? 'active' : feedStatus,
        startedAt: n.kind === 'noc' ? new Date(PROGRAMME_START_MS).toISOString() : startedAt[n.feed],
      };
    }),
    segments: segments.map((s, i) => {
      const { key: _key, ...rest } = s;
      return { ...rest, coordinates: shiftRoute(s.coordinates), status: status[i], startedAt: startedAt[i] };
    }),
    sites: sites.filter((s) => kept.has(s.terminationNodeCode)).map((s) => ({ ...s, lon: shiftPos([s.lon, s.lat], d)[0], lat: shiftPos([s.lon, s.lat], d)[1] })),
  };
}

/** How far a status is along HISTORY_PATH: its history has this many rows (the first from nothing). */
export function historySteps(status: NetworkStatus): number {
  const i = HISTORY_PATH.indexOf(status);
  if (i < 0) throw new Error(`generator: no history path to ${status}`);
  return i + 1;
}
