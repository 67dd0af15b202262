import { kml as kmlToGeoJson } from '@tmcw/togeojson';
import { DOMParser } from '@xmldom/xmldom';
import { parseImportFile, type ImportedFeature } from '../import';
import { expectSamePositions, HOSTILE, NODES, readZip, SEGMENTS, SITES } from './export-fixtures.testing';
import { kmlColour, toKml, toKmz, type ExportLayer, type ExportNode, type ExportSegment } from './index';

const OPTIONS = { groupBy: 'status', title: 'Jaringan Serat Kotim' } as const;

/** Parse strictly: any XML error or warning fails the test. */
function parseXml(xml: string) {
  return new DOMParser({
    onError: (level, message) => {
      throw new Error(`${level}: ${message}`);
    },
  }).parseFromString(xml, 'text/xml');
}

function expectedData(item: Record<string, unknown>): Record<string, string> {
  const data: Record<string, string> = {};
  for (const [field, value] of Object.entries(item)) {
    if (field === 'coordinates' || field === 'lon' || field === 'lat') continue;
    data[field] = value === null ? '' : String(value);
  }
  return data;
}

/** Placemark names straight from the XML, in document order. */
function placemarkNames(xml: string): string[] {
  const placemarks = parseXml(xml).getElementsByTagName('Placemark');
  return Array.from({ length: placemarks.length }, (_, i) => placemarks[i].getElementsByTagName('name')[0].textContent ?? '');
}

/**
 * togeojson (and so the importer) lets ExtendedData override the Placemark's own name: for nodes
 * and sites, whose `name` field is an ExtendedData field, properties.name is that field and the
 * code comes back as properties.code. Styles add styleUrl, stroke… which are not compared.
 */
function expectRoundTrip(layer: ExportLayer, xml: string, features: ImportedFeature[]): void {
  expect(features).toHaveLength(layer.items.length);
  const codes = placemarkNames(xml);
  expect([...codes].sort()).toEqual(layer.items.map((item) => item.code).sort());
  features.forEach((feature, index) => {
    const item = layer.items.find((candidate) => candidate.code === codes[index]) as unknown as Record<string, unknown>;
    expect(feature.properties.code).toBe(item.code);
    const data = expectedData(item);
    const actual = Object.fromEntries(Object.keys(data).map((field) => [field, feature.properties[field]]));
    expect(actual).toEqual(data);
    if (!('name' in data)) expect(feature.properties.name).toBe(item.code);
    if (layer.kind === 'segments') expectSamePositions((feature.geometry as { coordinates: number[][] }).coordinates, item.coordinates as number[][]);
    else expectSamePositions([(feature.geometry as { coordinates: number[] }).coordinates], [[item.lon as number, item.lat as number]]);
  });
}

describe('toKml', () => {
  it.each([
    ['segments', SEGMENTS],
    ['nodes', NODES],
    ['sites', SITES],
  ] as const)('round-trips %s through the importer: names, ExtendedData, coordinates', async (kind, items) => {
    const layer = { kind, items } as ExportLayer;
    const xml = toKml(layer, OPTIONS);
    expect(() => parseXml(xml)).not.toThrow();
    const parsed = await parseImportFile(`${kind}.kml`, Buffer.from(xml, 'utf8'));
    expect(parsed.problems).toEqual([]);
    expectRoundTrip(layer, xml, parsed.features);
  });

  it('has one Folder per status, in lifecycle order, holding exactly that status', async () => {
    const xml = toKml({ kind: 'segments', items: SEGMENTS }, { ...OPTIONS, statusLabels: { active: 'Aktif', in_construction: 'Dalam konstruksi' } });
    const doc = parseXml(xml);
    expect(doc.getElementsByTagName('Document')[0].getElementsByTagName('name')[0].textContent).toBe('Jaringan Serat Kotim');
    const parsed = await parseImportFile('ruas.kml', Buffer.from(xml, 'utf8'));
    const folders = new Map<string, string[]>();
    for (const feature of parsed.features) {
      const key = feature.folder.join('/');
      folders.set(key, [...(folders.get(key) ?? []), feature.properties.name as string]);
    }
    expect([...folders.keys()]).toEqual(['planned', 'surveyed', 'Dalam konstruksi', 'Aktif', 'damaged']);
    expect(folders.get('Aktif')).toEqual(['BB-001', 'DR-101']);
    expect(folders.get('damaged')).toEqual(['DR-100']);
    expect(doc.getElementsByTagName('Folder')).toHaveLength(5);
  });

  it('groups by phase, numbers in order, no phase last', async () => {
    const xml = toKml({ kind: 'segments', items: SEGMENTS }, { groupBy: 'phase', title: 'x' });
    const parsed = await parseImportFile('ruas.kml', Buffer.from(xml, 'utf8'));
    const folders = [...new Set(parsed.features.map((f) => f.folder.join('/')))];
    expect(folders).toEqual(['Tahap 1', 'Tahap 2', 'Tahap 10', 'Tanpa tahap']);
    const nodes = toKml({ kind: 'nodes', items: NODES }, { groupBy: 'phase', title: 'x', noPhaseLabel: 'Semua' });
    expect(parseXml(nodes).getElementsByTagName('Folder')).toHaveLength(1);
  });

  it('groups sites by connected / not connected', async () => {
    const xml = toKml({ kind: 'sites', items: SITES }, { ...OPTIONS, statusLabels: { connected: 'Terhubung', not_connected: 'Belum terhubung' } });
    const parsed = await parseImportFile('lokasi.kml', Buffer.from(xml, 'utf8'));
    expect(parsed.features.map((f) => [f.folder.join('/'), f.properties.code])).toEqual([
      ['Terhubung', 'SOPD-001'],
      ['Terhubung', 'PKM-003'],
      ['Belum terhubung', 'KDS-014'],
    ]);
  });

  it('styles every status with the map colour as aabbggrr; unknown statuses get a grey style', () => {
    expect(kmlColour('#1f9d55')).toBe('ff559d1f');
    // A word outside the vocabulary: a row the types do not promise.
    const unknown = { ...SEGMENTS[0], code: 'X-1', status: 'constructor' } as unknown as ExportSegment;
    const xml = toKml({ kind: 'segments', items: [...SEGMENTS, unknown] }, OPTIONS);
    const doc = parseXml(xml);
    const styles = Array.from({ length: doc.getElementsByTagName('Style').length }, (_, i) => doc.getElementsByTagName('Style')[i]);
    const colours = Object.fromEntries(styles.map((s) => [s.getAttribute('id'), s.getElementsByTagName('color')[0].textContent]));
    expect(colours).toMatchObject({
      'status-planned': 'ff91857c',
      'status-surveyed': 'ffe6a95a',
      'status-in_construction': 'ff248af0',
      'status-installed': 'ff00b8e8',
      'status-spliced': 'ffad448e',
      'status-tested': 'ffa3a313',
      'status-active': 'ff559d1f',
      'status-damaged': 'ff3928d6',
      'status-decommissioned': 'ff48413d',
      'status-unknown': 'ffbab4b0',
    });
    expect(xml).toContain('<name>X-1</name><styleUrl>#status-unknown</styleUrl>');
    const geojson = kmlToGeoJson(doc);
    expect(geojson.features.find((f) => f.properties?.name === 'BB-001')?.properties).toMatchObject({ stroke: '#1f9d55' });
    const points = parseXml(toKml({ kind: 'nodes', items: NODES }, OPTIONS));
    expect(points.getElementsByTagName('IconStyle').length).toBeGreaterThan(0);
    expect(points.getElementsByTagName('LineStyle')).toHaveLength(0);
  });

  it('escapes markup, CDATA ends and quotes; keeps Indonesian text; drops characters XML cannot hold', async () => {
    const hostileTitle = `${HOSTILE.cdata} & "Kotim"`;
    const items: ExportNode[] = [
      { ...NODES[0], status: 'active', code: HOSTILE.img, name: HOSTILE.cdata },
      { ...NODES[1], status: 'active', code: HOSTILE.cdata, name: `bad\u0000\u0008\uFFFE\uD800chars\r\nbaris` },
      { ...NODES[2], status: 'active', code: 'ok', name: HOSTILE.indonesian },
    ];
    const xml = toKml({ kind: 'nodes', items }, { ...OPTIONS, title: hostileTitle, statusLabels: { active: '<b>Aktif</b>' } });
    expect(xml).not.toMatch(/<img|<script|<b>|]]>|<!\[CDATA\[/);
    expect(xml).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(() => parseXml(xml)).not.toThrow();
    const doc = parseXml(xml);
    expect(doc.getElementsByTagName('script')).toHaveLength(0);
    expect(doc.getElementsByTagName('name')[0].textContent).toBe(hostileTitle);
    expect(placemarkNames(xml)).toEqual([HOSTILE.img, HOSTILE.cdata, 'ok']);
    const parsed = await parseImportFile('hostile.kml', Buffer.from(xml, 'utf8'));
    expect(parsed.features.map((f) => f.properties.code)).toEqual([HOSTILE.img, HOSTILE.cdata, 'ok']);
    expect(parsed.features.map((f) => f.properties.name)).toEqual([HOSTILE.cdata, 'badchars\r\nbaris', HOSTILE.indonesian]);
    expect(parsed.features[0].folder).toEqual(['<b>Aktif</b>']);
  });
});

describe('toKmz', () => {
  it('zips doc.kml, which the importer reads back like the KML', async () => {
    const layer: ExportLayer = { kind: 'segments', items: SEGMENTS };
    const kmz = await toKmz(layer, OPTIONS);
    const entries = await readZip(kmz);
    expect([...entries.keys()]).toEqual(['doc.kml']);
    expect(entries.get('doc.kml')!.toString('utf8')).toBe(toKml(layer, OPTIONS));
    const parsed = await parseImportFile('jaringan.kmz', kmz);
    expect(parsed.format).toBe('kmz');
    expectRoundTrip(layer, toKml(layer, OPTIONS), parsed.features);
    expect(new Set(parsed.features.map((f) => f.folder.join('/')))).toEqual(new Set(['planned', 'surveyed', 'in_construction', 'active', 'damaged']));
  });
});
