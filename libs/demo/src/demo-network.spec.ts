import * as turf from '@turf/turf';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { NETWORK_STATUSES, NetworkStatus } from '@serat/vocabulary';
import { buildDemoNetwork, DemoNetworkInput, DemoSegment, parseSopdCsv } from './demo-network';

const DATA_DIR = path.join(__dirname, '..', 'seed', 'kotim');
const read = (file: string) => fs.readFileSync(path.join(DATA_DIR, file), 'utf8');

function loadInput(): DemoNetworkInput {
  return {
    kecamatan: JSON.parse(read('kecamatan.geojson')) as DemoNetworkInput['kecamatan'],
    desa: JSON.parse(read('desa.geojson')) as DemoNetworkInput['desa'],
    sopd: parseSopdCsv(read('sopd-candidates.csv')),
  };
}

const input = loadInput();
const net = buildDemoNetwork(input);
const nodeByCode = new Map(net.nodes.map((n) => [n.code, n]));
const feedOf = new Map(net.segments.map((s) => [s.toNodeCode, s]));
const kecByCode = new Map(input.kecamatan.features.map((f) => [f.properties.code, f]));
const EAST_BANK = ['62.02.12', '62.02.09'];
const eastBank = input.kecamatan.features.filter((f) => EAST_BANK.includes(f.properties.code));
const sopd = net.sites.filter((s) => s.kind === 'sopd');
const kantor = net.sites.filter((s) => s.kind === 'kantor_kecamatan');
const rank = (s: NetworkStatus) => NETWORK_STATUSES.indexOf(s === 'damaged' ? 'active' : s);

/** Segments from the NOC down to a node, NOC end first. */
function pathTo(nodeCode: string): DemoSegment[] {
  const path: DemoSegment[] = [];
  for (let s = feedOf.get(nodeCode); s; s = feedOf.get(s.fromNodeCode)) path.unshift(s);
  return path;
}

describe('parseSopdCsv', () => {
  it('reads the 33 agency rows of the candidate list and skips the kecamatan row', () => {
    const rows = parseSopdCsv(read('sopd-candidates.csv'));
    expect(rows).toHaveLength(33);
    expect(rows.some((r) => r.category === 'kecamatan')).toBe(false);
    expect(rows[3]).toEqual({ name: 'Dinas Komunikasi dan Informatika', short: 'Diskominfo', category: 'dinas' });
  });

  it('follows RFC 4180: quoted commas, doubled quotes, line breaks, CRLF', () => {
    const csv = 'no,name,short,category,evidence\r\n1,"Dinas ""A"", Sampit",DA,dinas,"x, y"\r\n2,"Badan\nB",BB,badan,\r\n3,Kecamatan x17,Kecamatan,kecamatan,z\r\n\r\n';
    expect(parseSopdCsv(csv)).toEqual([
      { name: 'Dinas "A", Sampit', short: 'DA', category: 'dinas' },
      { name: 'Badan\nB', short: 'BB', category: 'badan' },
    ]);
  });
});

describe('buildDemoNetwork', () => {
  it('is deterministic', () => {
    expect(buildDemoNetwork(loadInput())).toEqual(net);
  });

  it('has the three phases with their targets, and everything points at one of them', () => {
    expect(net.phases.map((p) => [p.name, p.targetDate])).toEqual([
      ['Tahap 1 (TA 2018): 36 SOPD', '2019-12-31'],
      ['Tahap 2 (TA 2019): 17 kecamatan', '2020-12-31'],
      ['Tahap 3 (TA 2021): desa', '2023-12-31'],
    ]);
    net.phases.forEach((p) => expect(p.budgetIdr).toBeGreaterThan(0));
    const keys = new Set(net.phases.map((p) => p.key));
    [...net.sites, ...net.segments].forEach((x) => expect(keys.has(x.phaseKey)).toBe(true));
  });

  it('has 36 SOPD: the 33 candidates plus 3 others, unique names and codes, Rp 7 million a month each', () => {
    expect(sopd).toHaveLength(36);
    expect(new Set(sopd.map((s) => s.name)).size).toBe(36);
    expect(new Set(sopd.map((s) => s.code)).size).toBe(36);
    expect(sopd.map((s) => s.code)).toEqual(Array.from({ length: 36 }, (_, i) => `SOPD-${String(i + 1).padStart(2, '0')}`));
    expect(sopd.slice(0, 33).map((s) => s.shortName)).toEqual(input.sopd.map((r) => r.short));
    for (const s of net.sites) {
      expect(s).toMatchObject({ costIdrPerMonth: 7_000_000, isDemo: true });
      expect(s.name).not.toMatch(/unverified/i);
    }
  });

  it('completes to 36 without duplicating a unit the list already has', () => {
    const withDamkar = { ...input, sopd: [...input.sopd, { name: 'Dinas Pemadam Kebakaran dan Penyelamatan', short: 'Damkar', category: 'dinas' }] };
    const names = buildDemoNetwork(withDamkar)
      .sites.filter((s) => s.kind === 'sopd')
      .map((s) => s.name);
    expect(names).toHaveLength(36);
    expect(new Set(names).size).toBe(36);
  });

  it('puts every SOPD on land in Baamang or Mentawa Baru Ketapang, around the government quarter', () => {
    const town = input.desa.features.filter((d) => ['62.02.05', '62.02.06'].includes(d.properties.kecamatan_code));
    for (const s of sopd) {
      expect(town.some((d) => turf.booleanPointInPolygon([s.lon, s.lat], d))).toBe(true);
      expect(turf.distance([s.lon, s.lat], [112.955, -2.536])).toBeLessThan(1.5);
    }
  });

  it('puts each of the 17 kantor kecamatan inside its own kecamatan', () => {
    expect(kantor).toHaveLength(17);
    for (const [code, kec] of kecByCode) {
      const site = kantor.find((s) => s.code === `KEC-${code}`);
      expect(site).toMatchObject({ name: `Kantor Kecamatan ${kec.properties.name}`, phaseKey: 'tahap-2' });
      expect(turf.booleanPointInPolygon([site!.lon, site!.lat], kec)).toBe(true);
    }
  });

  it('keeps the two town kantor kecamatan at least 500 m from every SOPD', () => {
    for (const code of ['KEC-62.02.05', 'KEC-62.02.06']) {
      const k = kantor.find((s) => s.code === code)!;
      for (const s of sopd) expect(turf.distance([k.lon, k.lat], [s.lon, s.lat], { units: 'meters' })).toBeGreaterThanOrEqual(500);
    }
  });

  it('has exactly one NOC, active, at the Diskominfo site', () => {
    const nocs = net.nodes.filter((n) => n.kind === 'noc');
    expect(nocs).toHaveLength(1);
    const kominfo = sopd.find((s) => s.shortName === 'Diskominfo')!;
    expect(nocs[0]).toMatchObject({ code: 'NOC-SPT', status: 'active', owner: 'pemda', lon: kominfo.lon, lat: kominfo.lat });
  });

  it('gives every site its own termination node at its location', () => {
    for (const s of net.sites) {
      expect(s.terminationNodeCode).toBe(`ONT-${s.code}`);
      expect(nodeByCode.get(s.terminationNodeCode)).toMatchObject({ kind: 'termination', lon: s.lon, lat: s.lat });
    }
  });

  it('has unique codes and segments that start and end exactly at their nodes', () => {
    expect(new Set(net.nodes.map((n) => n.code)).size).toBe(net.nodes.length);
    expect(new Set(net.segments.map((s) => s.code)).size).toBe(net.segments.length);
    expect(new Set(net.sites.map((s) => s.code)).size).toBe(net.sites.length);
    const prefix = { backbone: 'BB-', distribution: 'DS-', drop: 'DR-' };
    for (const s of net.segments) {
      const from = nodeByCode.get(s.fromNodeCode)!;
      const to = nodeByCode.get(s.toNodeCode)!;
      expect(s.coordinates[0]).toEqual([from.lon, from.lat]);
      expect(s.coordinates[s.coordinates.length - 1]).toEqual([to.lon, to.lat]);
      expect(new Set(s.coordinates.map((c) => c.join(','))).size).toBeGreaterThanOrEqual(2);
      expect(turf.length(turf.lineString(s.coordinates))).toBeGreaterThan(0);
      expect(s.code.startsWith(prefix[s.tier])).toBe(true);
    }
  });

  it('is a tree rooted at the NOC that reaches every node and site', () => {
    expect(net.segments).toHaveLength(net.nodes.length - 1);
    for (const n of net.nodes) {
      expect(net.segments.filter((s) => s.toNodeCode === n.code)).toHaveLength(n.kind === 'noc' ? 0 : 1);
    }
    const reached = new Set(['NOC-SPT']);
    for (let grew = true; grew;) {
      grew = false;
      for (const s of net.segments) {
        if (reached.has(s.fromNodeCode) && !reached.has(s.toNodeCode)) {
          reached.add(s.toNodeCode);
          grew = true;
        }
      }
    }
    expect(reached.size).toBe(net.nodes.length);
    net.sites.forEach((s) => expect(pathTo(s.terminationNodeCode)[0].fromNodeCode).toBe('NOC-SPT'));
  });

  it('keeps backbone spans to ~15 km with the sizes of a backbone', () => {
    for (const s of net.segments.filter((x) => x.tier === 'backbone')) {
      expect(turf.length(turf.lineString(s.coordinates))).toBeLessThanOrEqual(15);
      expect(s.coreCount).toBeGreaterThanOrEqual(48);
      expect(s.coreCount).toBeLessThanOrEqual(96);
    }
    net.segments.filter((x) => x.tier === 'drop').forEach((s) => expect(s.coreCount).toBeLessThanOrEqual(4));
  });

  it('crosses the Mentaya only on river-crossing spans, and only to Seranau and Pulau Hanaut', () => {
    for (const s of net.segments.filter((x) => x.placement !== 'river_crossing')) {
      const line = turf.lineString(s.coordinates);
      const sides = new Set<boolean>();
      for (let d = 0; d <= turf.length(line); d += 0.1) {
        sides.add(eastBank.some((f) => turf.booleanPointInPolygon(turf.along(line, d), f)));
      }
      expect([s.code, sides.size]).toEqual([s.code, 1]);
    }
    for (const k of kantor) {
      const crossings = pathTo(k.terminationNodeCode).filter((s) => s.placement === 'river_crossing');
      expect([k.code, crossings.length]).toEqual([k.code, EAST_BANK.some((c) => k.code === `KEC-${c}`) ? 1 : 0]);
    }
  });

  it('makes about two thirds of the SOPD live: exactly those whose whole path is active', () => {
    const activeOnly = new Set(['NOC-SPT']);
    for (let grew = true; grew;) {
      grew = false;
      for (const s of net.segments) {
        if (s.status === 'active' && activeOnly.has(s.fromNodeCode) && !activeOnly.has(s.toNodeCode)) {
          activeOnly.add(s.toNodeCode);
          grew = true;
        }
      }
    }
    const live = sopd.filter((s) => pathTo(s.terminationNodeCode).every((g) => g.status === 'active'));
    expect(live.length).toBeGreaterThanOrEqual(20);
    expect(live.length).toBeLessThanOrEqual(28);
    expect(net.sites.filter((s) => activeOnly.has(s.terminationNodeCode))).toEqual(live);
    for (const s of live) {
      for (const g of pathTo(s.terminationNodeCode)) expect(nodeByCode.get(g.toNodeCode)!.status).toBe('active');
    }
    const allowed = ['in_construction', 'installed', 'spliced', 'tested', 'active', 'damaged'];
    for (const s of sopd.filter((x) => !live.includes(x))) {
      pathTo(s.terminationNodeCode).forEach((g) => expect(allowed).toContain(g.status));
    }
    const damaged = net.segments.filter((g) => g.status === 'damaged');
    expect(damaged.length).toBeGreaterThanOrEqual(1);
    for (const s of sopd.filter((x) => pathTo(x.terminationNodeCode).some((g) => g.status === 'damaged'))) {
      expect(live).not.toContain(s);
    }
  });

  it('gives nodes the status of the cable feeding them, and nothing downstream is ahead of its feed', () => {
    for (const n of net.nodes.filter((x) => x.kind !== 'noc')) {
      const feed = feedOf.get(n.code)!.status;
      expect([n.code, n.status]).toEqual([n.code, feed === 'damaged' ? 'active' : feed]);
    }
    for (const s of net.segments) {
      const up = feedOf.get(s.fromNodeCode);
      if (up) expect(rank(s.status)).toBeLessThanOrEqual(rank(up.status));
    }
  });

  it('shows backbone progress: nearest kecamatan being built, one or two surveyed, the rest planned', () => {
    const kantorStatus = kantor.map((k) => feedOf.get(k.terminationNodeCode)!.status);
    const count = (...st: NetworkStatus[]) => kantorStatus.filter((s) => st.includes(s)).length;
    expect(count('in_construction', 'installed')).toBeGreaterThanOrEqual(2);
    expect(count('in_construction', 'installed')).toBeLessThanOrEqual(3);
    expect(count('surveyed')).toBeGreaterThanOrEqual(1);
    expect(count('surveyed')).toBeLessThanOrEqual(2);
    expect(count('planned')).toBe(17 - count('in_construction', 'installed', 'surveyed'));
    expect(kantorStatus.filter((s) => s === 'planned').length).toBeGreaterThan(10);
    const km = (code: string) => pathTo(`ONT-KEC-${code}`).reduce((s, g) => s + turf.length(turf.lineString(g.coordinates)), 0);
    const building = kantor.filter((_, i) => ['in_construction', 'installed'].includes(kantorStatus[i])).map((k) => km(k.code.slice(4)));
    const rest = kantor.filter((_, i) => !['in_construction', 'installed'].includes(kantorStatus[i])).map((k) => km(k.code.slice(4)));
    expect(Math.max(...building)).toBeLessThan(Math.min(...rest));
  });
});
