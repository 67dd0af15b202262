import { parseImportFile } from '../import';
import { expectSamePositions, NODES, SEGMENTS, SITES } from './export-fixtures.testing';
import { toGeoJson } from './index';

describe('toGeoJson', () => {
  it('writes an RFC 7946 FeatureCollection: id = code, geometry apart from the properties', () => {
    const collection = JSON.parse(toGeoJson({ kind: 'segments', items: SEGMENTS }));
    expect(collection.type).toBe('FeatureCollection');
    expect(collection.crs).toBeUndefined();
    expect(collection.features).toHaveLength(SEGMENTS.length);
    const [first] = collection.features;
    expect(first).toEqual({
      type: 'Feature',
      id: 'BB-001',
      geometry: { type: 'LineString', coordinates: SEGMENTS[0].coordinates },
      properties: {
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
      },
    });
  });

  it('leaves out columns that are not export fields and writes missing ones as null', () => {
    const row = { ...NODES[0], geom: '0101000020E6…', secret: 'x' } as unknown as (typeof NODES)[number];
    const { features } = JSON.parse(toGeoJson({ kind: 'nodes', items: [row] }));
    expect(Object.keys(features[0].properties)).toEqual(['id', 'code', 'name', 'kind', 'status', 'owner', 'kecamatanCode', 'desaCode']);
  });

  it.each([
    ['segments', SEGMENTS],
    ['nodes', NODES],
    ['sites', SITES],
  ] as const)('round-trips %s through the importer: codes, properties, coordinates to 1e-7', async (kind, items) => {
    const text = toGeoJson({ kind, items } as Parameters<typeof toGeoJson>[0]);
    const parsed = await parseImportFile(`${kind}.geojson`, Buffer.from(text, 'utf8'));
    expect(parsed.problems).toEqual([]);
    expect(parsed.features.map((f) => f.sourceId)).toEqual(items.map((i) => i.code));
    parsed.features.forEach((f, index) => {
      const item = items[index] as unknown as Record<string, unknown>;
      const { coordinates: _c, lon: _x, lat: _y, ...expected } = item;
      expect(f.properties).toEqual(expected);
      if (kind === 'segments') {
        expect(f.geometry.type).toBe('LineString');
        expectSamePositions((f.geometry as { coordinates: number[][] }).coordinates, item.coordinates as number[][]);
      } else {
        expect(f.geometry.type).toBe('Point');
        expectSamePositions([(f.geometry as { coordinates: number[] }).coordinates], [[item.lon as number, item.lat as number]]);
      }
    });
  });

  it('keeps hostile and Indonesian text as data', () => {
    const { features } = JSON.parse(toGeoJson({ kind: 'nodes', items: NODES }));
    expect(features.map((f: { properties: { name: string } }) => f.properties.name)).toEqual(NODES.map((n) => n.name));
  });

  it('writes an empty collection and refuses a line with one position or a NaN', () => {
    expect(JSON.parse(toGeoJson({ kind: 'sites', items: [] }))).toEqual({ type: 'FeatureCollection', features: [] });
    expect(() => toGeoJson({ kind: 'segments', items: [{ ...SEGMENTS[0], coordinates: [[112, -2]] }] })).toThrow(/BB-001/);
    expect(() => toGeoJson({ kind: 'nodes', items: [{ ...NODES[0], lat: Number.NaN }] })).toThrow(/NOC-SPT/);
  });
});
