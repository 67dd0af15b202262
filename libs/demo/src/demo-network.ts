/**
 * Demo fiber network for Kotim: 36 SOPD in Sampit's government quarter, a backbone to the 17
 * kantor kecamatan, and the statuses a rollout in progress would show. Pure and deterministic
 * (seeded PRNG, no clock, no I/O) so that a reseed gives the same codes and geometry.
 * Coordinates are WGS84 [lon, lat] (SRID 4326); distances are geodesic (turf, kilometres unless
 * named otherwise). Everything here is invented demo data, never an as-built record.
 */
import * as turf from '@turf/turf';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import type { NewNode, NewSegment, NewSite } from '@serat/domain';
import type { NetworkStatus, NodeKind, NodeOwner, SegmentPlacement, SiteKind } from '@serat/vocabulary';

export interface DemoPhase {
  key: string;
  name: string;
  budgetYear: number;
  targetDate: string /* YYYY-MM-DD */;
  budgetIdr: number;
  description: string;
}
/** The seed's nodes, sites and segments: what the domain takes as new ones, every field given, phases by key. */
export type DemoNode = NewNode & { name: string; owner: NodeOwner };
export type DemoSite = Omit<NewSite, 'phaseCode'> & { shortName: string; phaseKey: string; costIdrPerMonth: number; terminationNodeCode: string; isDemo: true };
export type DemoSegment = Omit<NewSegment, 'phaseCode'> & { cableType: string; coreCount: number; phaseKey: string };
export interface DemoNetwork {
  phases: DemoPhase[];
  nodes: DemoNode[];
  sites: DemoSite[];
  segments: DemoSegment[];
}
export interface DemoNetworkInput {
  kecamatan: FeatureCollection<Polygon | MultiPolygon, { code: string; name: string }>;
  desa: FeatureCollection<Polygon | MultiPolygon, { code: string; name: string; kecamatan_code: string; type: string }>;
  sopd: { name: string; short: string; category: string }[];
}

type Pos = [number, number];
type Area = Feature<Polygon | MultiPolygon, { code: string }>;
type SopdRow = { name: string; short: string; category: string };

const PHASES: DemoPhase[] = [
  {
    key: 'tahap-1',
    name: 'Tahap 1 (TA 2018): 36 SOPD',
    budgetYear: 2018,
    targetDate: '2019-12-31',
    budgetIdr: 4_750_000_000,
    description: 'NOC di Diskominfo, ODC/ODP dan kabel drop ke 36 SOPD di kawasan perkantoran Sampit.',
  },
  {
    key: 'tahap-2',
    name: 'Tahap 2 (TA 2019): 17 kecamatan',
    budgetYear: 2019,
    targetDate: '2020-12-31',
    budgetIdr: 18_500_000_000,
    description: 'Backbone dari NOC Sampit ke 17 kantor kecamatan sepanjang koridor Sungai Mentaya, termasuk penyeberangan sungai ke Seranau dan Pulau Hanaut.',
  },
  {
    key: 'tahap-3',
    name: 'Tahap 3 (TA 2021): desa',
    budgetYear: 2021,
    targetDate: '2023-12-31',
    budgetIdr: 32_000_000_000,
    description: 'Perluasan dari ODC kecamatan ke 185 kantor desa/kelurahan; lokasi belum ditetapkan.',
  },
];

const SOPD_COUNT = 36;
const COST_IDR_PER_MONTH = 7_000_000; // what each office pays its commercial ISP today (DESIGN.md)
/** Plausible Kotim units used to complete the candidate list to 36, first ones not already present. */
const EXTRA_SOPD: SopdRow[] = [
  { name: 'Dinas Pemadam Kebakaran dan Penyelamatan', short: 'Damkar', category: 'dinas' },
  { name: 'Badan Riset dan Inovasi Daerah', short: 'BRIDA', category: 'badan' },
  { name: 'Bagian Pengadaan Barang dan Jasa Setda', short: 'Bagian PBJ', category: 'sekretariat' },
  { name: 'Bagian Hukum Setda', short: 'Bagian Hukum', category: 'sekretariat' },
  { name: 'Bagian Organisasi Setda', short: 'Bagian Organisasi', category: 'sekretariat' },
];

const SAMPIT_CENTRE: Pos = [112.955, -2.536];
const SAMPIT_KEC = ['62.02.05', '62.02.06']; // Baamang, Mentawa Baru Ketapang: the town itself
const EAST_BANK_KEC = ['62.02.12', '62.02.09']; // Seranau, Pulau Hanaut: across the Mentaya
const KANTOR_MIN_DIST_FROM_SOPD_KM = 0.5;
const MAX_SPAN_KM = 14; // joint closure at least every 14 km: drum lengths and the "~15 km" rule
const ODC_COUNT = 3;
const ODP_SIZE = 4;

/**
 * Backbone tree, child kecamatan → parent (or the NOC). Settlements sit along the Mentaya, which
 * runs north–south through Sampit: the trunk goes up-river via Kota Besi to Parenggean and the far
 * north hangs off it; the south follows the west bank to Samuda and Teluk Sampit; the east bank is
 * reached by two river crossings (Sampit → Seranau, Samuda → Pulau Hanaut).
 */
const BACKBONE_PARENT: Record<string, string> = {
  '62.02.05': 'NOC', // Baamang
  '62.02.06': 'NOC', // Mentawa Baru Ketapang
  '62.02.12': 'NOC', // Seranau, across the river from Sampit
  '62.02.01': '62.02.05', // Kota Besi, up-river
  '62.02.02': '62.02.01', // Cempaga
  '62.02.13': '62.02.02', // Cempaga Hulu
  '62.02.04': '62.02.01', // Parenggean
  '62.02.03': '62.02.04', // Mentaya Hulu
  '62.02.15': '62.02.03', // Bukit Santuai
  '62.02.16': '62.02.04', // Tualan Hulu
  '62.02.10': '62.02.16', // Antang Kalang
  '62.02.17': '62.02.10', // Telaga Antang (split off Antang Kalang)
  '62.02.14': '62.02.06', // Telawang, west along the Pangkalan Bun road
  '62.02.07': '62.02.06', // Mentaya Hilir Utara
  '62.02.08': '62.02.06', // Mentaya Hilir Selatan, down the west bank
  '62.02.11': '62.02.08', // Teluk Sampit
  '62.02.09': '62.02.08', // Pulau Hanaut
};
/** Backbone progress by rank of route distance from the NOC; beyond the list everything is planned. */
const BACKBONE_STAGES: NetworkStatus[] = ['installed', 'installed', 'in_construction', 'surveyed', 'surveyed'];
/**
 * Feeder (ODC→ODP) status per ODP in build order: most of Tahap 1 is live, one feeder is cut (so the
 * suspected-cut flow has something to show), the tail of the last ODC is still being built.
 */
const FEEDER_STAGES: NetworkStatus[] = ['active', 'active', 'active', 'active', 'active', 'damaged', 'active', 'tested', 'in_construction'];
const AWAITING_CUTOVER_ODP = 6; // behind this live feeder one agency is spliced but not yet switched over
const STAGE_BEFORE: Partial<Record<NetworkStatus, NetworkStatus>> = { tested: 'spliced', spliced: 'installed', installed: 'in_construction' };
/** Words too common in place names to tie a desa to its kecamatan. */
const GENERIC_WORDS = new Set(['hulu', 'hilir', 'utara', 'selatan', 'barat', 'timur', 'tengah', 'baru', 'pulau', 'teluk', 'bukit', 'tumbang', 'sungai', 'kota', 'telaga']);

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

// Positions are rounded to 1e-7° (~1 cm) so that equality of shared endpoints is exact.
const r7 = (x: number): number => Math.round(x * 1e7) / 1e7;
const M_PER_DEG = 111_320;
const toPos = (c: number[]): Pos => [r7(c[0]), r7(c[1])];
const lerp = (a: Pos, b: Pos, t: number): Pos => [r7(a[0] + (b[0] - a[0]) * t), r7(a[1] + (b[1] - a[1]) * t)];
const distKm = (a: Pos, b: Pos): number => turf.distance(a, b);
const mean = (ps: Pos[]): Pos => toPos([ps.reduce((s, p) => s + p[0], 0) / ps.length, ps.reduce((s, p) => s + p[1], 0) / ps.length]);
const samePos = (a: Pos, b: Pos): boolean => a[0] === b[0] && a[1] === b[1];
const inside = (p: Pos, areas: Area[]): boolean => areas.some((f) => turf.booleanPointInPolygon(p, f));
const byCode = <T extends { properties: { code: string } }>(a: T, b: T): number => a.properties.code.localeCompare(b.properties.code);

/** Shift by metres east/north; an equirectangular step is exact enough over a few hundred metres. */
function offset(p: Pos, eastM: number, northM: number): Pos {
  return toPos([p[0] + eastM / (M_PER_DEG * Math.cos((p[1] * Math.PI) / 180)), p[1] + northM / M_PER_DEG]);
}

/** Walks p towards `target` until `ok` holds: demo points must not land in the river or next door. */
function pullInside(p: Pos, target: Pos, ok: (q: Pos) => boolean): Pos {
  for (let i = 0; i <= 20; i++) {
    const q = lerp(p, target, i / 20);
    if (ok(q)) return q;
  }
  throw new Error(`demo network: no valid position between ${p} and ${target}`);
}

/** Town cable follows streets laid out roughly on the compass: two right-angle bends. */
function streetRoute(a: Pos, b: Pos, rnd: () => number): Pos[] {
  const [x, y] = lerp(a, b, 0.3 + 0.4 * rnd());
  return rnd() < 0.5 ? [a, [x, a[1]], [x, b[1]], b] : [a, [a[0], y], [b[0], y], b];
}

/** A drop runs along the street, then turns into the building: one bend. */
const dropRoute = (a: Pos, b: Pos, rnd: () => number): Pos[] => (rnd() < 0.5 ? [a, [b[0], a[1]], b] : [a, [a[0], b[1]], b]);

/** Rural backbone: one gentle bow plus small wiggles every ~2.5 km, like a road through the plain. */
function ruralRoute(a: Pos, b: Pos, rnd: () => number): Pos[] {
  const lenM = distKm(a, b) * 1000;
  if (lenM < 3000) return streetRoute(a, b, rnd);
  const east = (b[0] - a[0]) * M_PER_DEG * Math.cos((a[1] * Math.PI) / 180);
  const north = (b[1] - a[1]) * M_PER_DEG;
  const [pe, pn] = [-north / Math.hypot(east, north), east / Math.hypot(east, north)]; // left of a→b
  const bowM = (rnd() * 2 - 1) * 0.06 * lenM;
  const n = Math.max(2, Math.round(lenM / 2500));
  const pts: Pos[] = [a];
  for (let i = 1; i < n; i++) {
    const off = bowM * Math.sin((Math.PI * i) / n) + (rnd() * 2 - 1) * 150;
    pts.push(offset(lerp(a, b, i / n), pe * off, pn * off));
  }
  return [...pts, b];
}

/**
 * Keeps a route on one bank of the Mentaya: where a stretch strays onto the other bank (the river
 * meanders), its inner vertices step away from the river (the river runs roughly north–south, so
 * the step is east or west) until every 100 m sample is back on the right side.
 */
function keepToBank(route: Pos[], wrongBank: (p: Pos) => boolean, stepEastM: number): Pos[] {
  const pts = [...route];
  for (let iter = 0; iter < 100; iter++) {
    const stray = new Set<number>();
    for (let i = 1; i < pts.length; i++) {
      const n = Math.max(1, Math.ceil(distKm(pts[i - 1], pts[i]) * 10));
      for (let s = 0; s <= n; s++) {
        if (wrongBank(lerp(pts[i - 1], pts[i], s / n))) {
          stray.add(i - 1);
          stray.add(i);
          break;
        }
      }
    }
    stray.delete(0);
    stray.delete(pts.length - 1);
    if (stray.size === 0) return pts;
    for (const i of stray) pts[i] = offset(pts[i], stepEastM, 0);
  }
  throw new Error('demo network: cannot keep a backbone route on its bank of the Mentaya');
}

/** Where the chord a→b changes bank: landing points ~350 m either side of the first change. */
function riverLandings(a: Pos, b: Pos, eastBank: Area[]): [Pos, Pos] {
  const lenM = distKm(a, b) * 1000;
  const steps = Math.ceil(lenM / 50);
  const startEast = inside(a, eastBank);
  for (let i = 1; i <= steps; i++) {
    if (inside(lerp(a, b, i / steps), eastBank) === startEast) continue;
    const margin = 350 / lenM;
    return [lerp(a, b, Math.max(margin, i / steps - margin)), lerp(a, b, Math.min(1 - margin, i / steps + margin))];
  }
  throw new Error('demo network: route was expected to cross the Mentaya');
}

/** Cuts a polyline into pieces of at most maxKm; neighbours share the exact split position. */
function splitLine(coords: Pos[], maxKm: number): Pos[][] {
  const total = turf.length(turf.lineString(coords));
  const n = Math.ceil(total / maxKm);
  const pieces: Pos[][] = [];
  let cur: Pos[] = [coords[0]];
  let done = 0;
  let k = 1;
  for (let i = 1; i < coords.length; i++) {
    const d = distKm(coords[i - 1], coords[i]);
    while (k < n && done + d > (total * k) / n) {
      const p = lerp(coords[i - 1], coords[i], ((total * k) / n - done) / d);
      pieces.push([...cur, p]);
      cur = [p];
      k++;
    }
    cur.push(coords[i]);
    done += d;
  }
  return [...pieces, cur];
}

/** Research notes in the candidate list ("(name unverified)") do not belong on the map. */
const cleanName = (name: string): string => name.replace(/\s*\([^)]*unverified[^)]*\)/gi, '').trim();

function completeSopd(rows: SopdRow[]): SopdRow[] {
  const list = rows.map((r) => ({ ...r, name: cleanName(r.name) }));
  for (const extra of EXTRA_SOPD) {
    if (list.length >= SOPD_COUNT) break;
    const taken = list.some((r) => r.name.toLowerCase() === extra.name.toLowerCase() || r.short.toLowerCase() === extra.short.toLowerCase());
    if (!taken) list.push(extra);
  }
  if (list.length !== SOPD_COUNT || new Set(list.map((r) => r.name)).size !== SOPD_COUNT) {
    throw new Error(`demo network: expected ${SOPD_COUNT} distinct SOPD, got ${list.length}`);
  }
  return list;
}

function nameMatches(desaName: string, kecName: string): boolean {
  const words = (s: string) => s.toLowerCase().split(/\s+/);
  const distinctive = words(kecName).filter((w) => !GENERIC_WORDS.has(w));
  return desaName.toLowerCase() === kecName.toLowerCase() || words(desaName).some((w) => distinctive.includes(w));
}

export function buildDemoNetwork(input: DemoNetworkInput): DemoNetwork {
  const rnd = mulberry32(0x5e4a7);
  const kecamatan = [...input.kecamatan.features].sort(byCode);
  const desa = [...input.desa.features].sort(byCode);
  const town = desa.filter((d) => SAMPIT_KEC.includes(d.properties.kecamatan_code));
  const eastBank = kecamatan.filter((k) => EAST_BANK_KEC.includes(k.properties.code));
  // "On land in town": the point and 200 m around it are in Baamang/MBK, so nothing sits on the riverbank.
  const onTownLand = (p: Pos) =>
    [
      [0, 0],
      [200, 0],
      [-200, 0],
      [0, 200],
      [0, -200],
    ].every(([e, n]) => inside(offset(p, e, n), town));

  const nodes: DemoNode[] = [];
  const sites: DemoSite[] = [];
  const segments: DemoSegment[] = [];
  const seq: Record<string, number> = {};
  const next = (prefix: string) => `${prefix}-${String((seq[prefix] = (seq[prefix] ?? 0) + 1)).padStart(3, '0')}`;
  const at = (n: DemoNode): Pos => [n.lon, n.lat];

  // Statuses of nodes are derived from their segments at the end; 'planned' is a placeholder.
  const addNode = (code: string, name: string, kind: NodeKind, p: Pos): DemoNode => {
    const node: DemoNode = { code, name, kind, lon: p[0], lat: p[1], status: 'planned', owner: 'pemda' };
    nodes.push(node);
    return node;
  };
  const addSegment = (
    prefix: 'BB' | 'DS' | 'DR',
    from: DemoNode,
    to: DemoNode,
    route: Pos[],
    spec: Pick<DemoSegment, 'placement' | 'tier' | 'cableType' | 'coreCount' | 'status' | 'phaseKey'>,
  ): DemoSegment => {
    // Ends are the nodes' own positions, exactly; bends that collapse onto a neighbour are dropped.
    const pts = [at(from), ...route.slice(1, -1), at(to)];
    const coordinates = pts.filter((p, i) => i === 0 || !samePos(p, pts[i - 1]));
    if (coordinates.length < 2 || turf.length(turf.lineString(coordinates)) === 0) {
      throw new Error(`demo network: degenerate segment ${from.code} → ${to.code}`);
    }
    const segment: DemoSegment = { code: next(prefix), fromNodeCode: from.code, toNodeCode: to.code, coordinates, ...spec };
    segments.push(segment);
    return segment;
  };
  const addSite = (code: string, name: string, shortName: string, kind: SiteKind, p: Pos, phaseKey: string): DemoNode => {
    const ont = addNode(`ONT-${code}`, `ONT ${shortName}`, 'termination', p);
    sites.push({ code, name, shortName, kind, lon: p[0], lat: p[1], phaseKey, costIdrPerMonth: COST_IDR_PER_MONTH, terminationNodeCode: ont.code, isDemo: true });
    return ont;
  };

  // --- Tahap 1: the SOPD on a jittered 6×6 grid of ~260 m blocks (≈1.3 km across), shuffled.
  const sopd = completeSopd(input.sopd);
  const cells: Pos[] = [];
  for (let row = 0; row < 6; row++) {
    for (let col = 0; col < 6; col++) {
      cells.push(offset(SAMPIT_CENTRE, (col - 2.5) * 260 + (rnd() - 0.5) * 100, (row - 2.5) * 260 + (rnd() - 0.5) * 100));
    }
  }
  for (let i = cells.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [cells[i], cells[j]] = [cells[j], cells[i]];
  }
  // Diskominfo houses the NOC: give it the block nearest the centre so feeders radiate evenly.
  const kominfo = sopd.findIndex((s) => s.short === 'Diskominfo' || /komunikasi dan informatika/i.test(s.name));
  if (kominfo < 0) throw new Error('demo network: Diskominfo missing from the SOPD list');
  const central = cells.reduce((best, c, i) => (distKm(c, SAMPIT_CENTRE) < distKm(cells[best], SAMPIT_CENTRE) ? i : best), 0);
  [cells[kominfo], cells[central]] = [cells[central], cells[kominfo]];

  const sopdOnts = sopd.map((s, i) => {
    const p = pullInside(cells[i], SAMPIT_CENTRE, onTownLand);
    return addSite(`SOPD-${String(i + 1).padStart(2, '0')}`, s.name, s.short, 'sopd', p, 'tahap-1');
  });
  const noc = addNode('NOC-SPT', 'NOC Diskominfo Sampit', 'noc', at(sopdOnts[kominfo]));
  const nocPos = at(noc);

  // Distribution: SOPD sorted by bearing from the NOC, one ODC per sector, one ODP per 4 neighbours.
  const bearing = (n: DemoNode) => Math.atan2(n.lat - noc.lat, n.lon - noc.lon);
  const order = [...sopdOnts].sort((a, b) => bearing(a) - bearing(b) || a.code.localeCompare(b.code));
  const perOdc = Math.ceil(order.length / ODC_COUNT);
  let odpIndex = 0;
  for (let i = 0; i < ODC_COUNT; i++) {
    const group = order.slice(i * perOdc, (i + 1) * perOdc);
    const odcPos = pullInside(lerp(nocPos, mean(group.map(at)), 0.5), nocPos, onTownLand);
    const odc = addNode(`ODC-SPT-${i + 1}`, `ODC Sampit ${i + 1}`, 'odc', odcPos);
    // Out of the NOC the cable uses the duct along the government quarter; ODC onwards it is aerial.
    addSegment('DS', noc, odc, streetRoute(nocPos, odcPos, rnd), {
      placement: 'duct',
      tier: 'distribution',
      cableType: 'Duct G.652D',
      coreCount: 48,
      status: 'active',
      phaseKey: 'tahap-1',
    });
    for (let j = 0; j * ODP_SIZE < group.length; j++, odpIndex++) {
      const members = group.slice(j * ODP_SIZE, (j + 1) * ODP_SIZE);
      const odpPos = pullInside(lerp(mean(members.map(at)), odcPos, 0.3), odcPos, onTownLand);
      const odp = addNode(`ODP-SPT-${i + 1}-${j + 1}`, `ODP Sampit ${i + 1}.${j + 1}`, 'odp', odpPos);
      const feeder = FEEDER_STAGES[odpIndex] ?? 'in_construction';
      addSegment('DS', odc, odp, streetRoute(odcPos, odpPos, rnd), {
        placement: 'aerial',
        tier: 'distribution',
        cableType: 'ADSS G.652D',
        coreCount: 24,
        status: feeder,
        phaseKey: 'tahap-1',
      });
      members.forEach((ont, m) => {
        // Behind a live feeder every drop is live except one still waiting for its cut-over;
        // behind an unfinished feeder the drops are at the same stage or one behind.
        const live = feeder === 'active' || feeder === 'damaged';
        const status: NetworkStatus = live
          ? odpIndex === AWAITING_CUTOVER_ODP && m === members.length - 1
            ? 'spliced'
            : 'active'
          : m % 2 === 1
            ? (STAGE_BEFORE[feeder] ?? feeder)
            : feeder;
        addSegment('DR', odp, ont, dropRoute(odpPos, at(ont), rnd), {
          placement: rnd() < 0.2 ? 'underground' : 'aerial',
          tier: 'drop',
          cableType: 'Drop FTTH G.657A',
          coreCount: rnd() < 0.5 ? 2 : 4,
          status,
          phaseKey: 'tahap-1',
        });
      });
    }
  }

  // --- Tahap 2: kantor kecamatan, each inside its own kecamatan.
  const sopdPts = sopdOnts.map(at);
  const kantor = new Map<string, DemoNode>();
  for (const kec of kecamatan) {
    const { code, name } = kec.properties;
    const own = desa.filter((d) => d.properties.kecamatan_code === code);
    // Prefer the kelurahan (the town), then a desa named like the kecamatan, then any point of it.
    const candidates = [
      ...own.filter((d) => d.properties.type === 'kelurahan'),
      ...own.filter((d) => d.properties.type !== 'kelurahan' && nameMatches(d.properties.name, name)),
      kec,
    ].map((f) => toPos(turf.pointOnFeature(f).geometry.coordinates));
    const awayFromSopd = (p: Pos) => !SAMPIT_KEC.includes(code) || Math.min(...sopdPts.map((s) => distKm(s, p))) >= KANTOR_MIN_DIST_FROM_SOPD_KM;
    const p = candidates.find((c) => inside(c, [kec]) && awayFromSopd(c));
    if (!p) throw new Error(`demo network: no place for Kantor Kecamatan ${name}`);
    kantor.set(code, addSite(`KEC-${code}`, `Kantor Kecamatan ${name}`, `Kec. ${name}`, 'kantor_kecamatan', p, 'tahap-2'));
  }

  // Backbone: walk the tree breadth-first so that codes grow outwards from the NOC.
  const children = (parent: string) => kecamatan.map((k) => k.properties.code).filter((c) => BACKBONE_PARENT[c] === parent);
  const subtreeSize = (code: string): number => 1 + children(code).reduce((s, c) => s + subtreeSize(c), 0);
  for (const k of kecamatan) {
    if (!BACKBONE_PARENT[k.properties.code]) throw new Error(`demo network: no backbone route for ${k.properties.code}`);
  }
  const east = (p: Pos) => inside(p, eastBank);
  const overland = (a: Pos, b: Pos) => keepToBank(ruralRoute(a, b, rnd), (q) => east(q) !== east(a), east(a) ? 250 : -250);
  const odcOf = new Map<string, DemoNode>([['NOC', noc]]);
  const kmFromNoc = new Map<string, number>([['NOC', 0]]);
  const branch = new Map<string, DemoSegment[]>();
  const queue = children('NOC');
  while (queue.length) {
    const code = queue.shift()!;
    queue.push(...children(code));
    const kec = kecamatan.find((k) => k.properties.code === code)!;
    const name = kec.properties.name;
    const parent = odcOf.get(BACKBONE_PARENT[code])!;
    const from = at(parent);
    const kantorPos = at(kantor.get(code)!);
    // The ODC stands ~250 m before the kantor, on the side the backbone arrives from.
    const odcPos = pullInside(lerp(kantorPos, from, 0.25 / distKm(kantorPos, from)), kantorPos, (q) => inside(q, [kec]) && !samePos(q, kantorPos));
    const odc = addNode(`ODC-${code}`, `ODC Kecamatan ${name}`, 'odc', odcPos);
    odcOf.set(code, odc);

    const legs: { route: Pos[]; placement: SegmentPlacement; end: DemoNode }[] = [];
    if (east(from) !== east(odcPos)) {
      // Cross the Mentaya in one armoured span between handholes on either bank.
      const [landingA, landingB] = riverLandings(from, odcPos, eastBank);
      const hhA = addNode(next('HH'), `Handhole tepi Mentaya (arah ${name}) 1`, 'handhole', landingA);
      const hhB = addNode(next('HH'), `Handhole tepi Mentaya (arah ${name}) 2`, 'handhole', landingB);
      legs.push(
        { route: overland(from, landingA), placement: 'aerial', end: hhA },
        { route: [landingA, landingB], placement: 'river_crossing', end: hhB },
        { route: overland(landingB, odcPos), placement: 'aerial', end: odc },
      );
    } else {
      legs.push({ route: overland(from, odcPos), placement: 'aerial', end: odc });
    }
    const coreCount = subtreeSize(code) >= 3 ? 96 : 48; // trunks that feed several kecamatan get more cores
    const made: DemoSegment[] = [];
    let prev = parent;
    let closures = 0;
    for (const leg of legs) {
      const pieces = splitLine(leg.route, MAX_SPAN_KM);
      pieces.forEach((piece, i) => {
        const end = i === pieces.length - 1 ? leg.end : addNode(next('JC'), `Joint closure arah ${name} ${++closures}`, 'joint_closure', piece[piece.length - 1]);
        made.push(
          addSegment('BB', prev, end, piece, {
            placement: leg.placement,
            tier: 'backbone',
            coreCount,
            status: 'planned',
            phaseKey: 'tahap-2',
            cableType: leg.placement === 'river_crossing' ? 'Armoured G.652D (river crossing)' : 'ADSS G.652D',
          }),
        );
        prev = end;
      });
    }
    made.push(
      addSegment('DS', odc, kantor.get(code)!, dropRoute(odcPos, kantorPos, rnd), {
        placement: 'aerial',
        tier: 'distribution',
        cableType: 'ADSS G.652D',
        coreCount: 24,
        status: 'planned',
        phaseKey: 'tahap-2',
      }),
    );
    branch.set(code, made);
    kmFromNoc.set(code, kmFromNoc.get(BACKBONE_PARENT[code])! + made.reduce((s, g) => s + turf.length(turf.lineString(g.coordinates)), 0));
  }

  // Nearest kecamatan are furthest along; a child is never ahead of its parent since it is further.
  [...branch.keys()]
    .sort((a, b) => kmFromNoc.get(a)! - kmFromNoc.get(b)!)
    .forEach((code, rank) => branch.get(code)!.forEach((s) => (s.status = BACKBONE_STAGES[rank] ?? 'planned')));

  // A node is as far along as the cable that feeds it; a cut cable does not damage the node behind it.
  const feed = new Map(segments.map((s) => [s.toNodeCode, s.status]));
  for (const node of nodes) {
    const upstream = node.kind === 'noc' ? 'active' : feed.get(node.code)!;
    node.status = upstream === 'damaged' ? 'active' : upstream;
  }
  return { phases: PHASES.map((p) => ({ ...p })), nodes, sites, segments };
}

/** RFC 4180 CSV: quoted fields may hold commas, doubled quotes and line breaks; CRLF or LF rows. */
function parseCsvRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c !== '"') field += c;
      else if (text[i + 1] === '"') {
        field += '"';
        i++;
      } else quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      rows.push([...row, field]);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows.filter((r) => r.some((f) => f.trim() !== ''));
}

/** The agency rows of sopd-candidates.csv; the "Kecamatan x17" row (category 'kecamatan') is skipped. */
export function parseSopdCsv(csvText: string): { name: string; short: string; category: string }[] {
  const [header, ...body] = parseCsvRows(csvText.replace(/^\uFEFF/, ''));
  const column = (name: string) => {
    const i = (header ?? []).map((h) => h.trim().toLowerCase()).indexOf(name);
    if (i < 0) throw new Error(`sopd csv: column "${name}" missing`);
    return i;
  };
  const [iName, iShort, iCategory] = [column('name'), column('short'), column('category')];
  return body
    .map((r) => ({ name: (r[iName] ?? '').trim(), short: (r[iShort] ?? '').trim(), category: (r[iCategory] ?? '').trim() }))
    .filter((r) => r.category.toLowerCase() !== 'kecamatan');
}
