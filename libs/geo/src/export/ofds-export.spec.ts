import { NODES, readZip, SEGMENTS, expectSamePositions } from './export-fixtures.testing';
import { OFDS_SCHEMA_URL, toOfdsGeoJson, toOfdsZip, type ExportNode, type ExportSegment } from './index';

const NETWORK = { id: '3f2b8a8e-5c1d-4e7a-9b1f-2d6c0e4a7b11', name: 'Jaringan Fiber Optik Pemkab Kotawaringin Timur', publisher: 'Diskominfo Kabupaten Kotawaringin Timur' };

interface Feature {
  type: string;
  geometry: { type: string; coordinates: unknown };
  properties: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

async function unzipOfds(): Promise<{ names: string[]; nodes: Feature[]; spans: Feature[] }> {
  const entries = await readZip(await toOfdsZip(NODES, SEGMENTS, NETWORK));
  const read = (name: string) => JSON.parse(entries.get(name)!.toString('utf8'));
  const nodes = read('nodes.geojson');
  const spans = read('spans.geojson');
  expect(nodes.type).toBe('FeatureCollection');
  expect(spans.type).toBe('FeatureCollection');
  return { names: [...entries.keys()], nodes: nodes.features, spans: spans.features };
}

describe('toOfdsZip', () => {
  it('holds nodes.geojson and spans.geojson, one feature per node and per segment', async () => {
    const { names, nodes, spans } = await unzipOfds();
    expect(names).toEqual(['nodes.geojson', 'spans.geojson']);
    expect(nodes.map((n) => n.properties.id)).toEqual(NODES.map((n) => n.id));
    expect(spans.map((s) => s.properties.id)).toEqual(SEGMENTS.map((s) => s.id));
    nodes.forEach((node, i) => {
      expect(node.geometry.type).toBe('Point');
      expectSamePositions([node.geometry.coordinates as number[]], [[NODES[i].lon, NODES[i].lat]]);
      expect(node.properties.location).toBeUndefined();
    });
    spans.forEach((span, i) => {
      expect(span.geometry.type).toBe('LineString');
      expectSamePositions(span.geometry.coordinates, SEGMENTS[i].coordinates);
      expect(span.properties.route).toBeUndefined();
    });
  });

  it('dereferences span start and end into the exported nodes', async () => {
    const { nodes, spans } = await unzipOfds();
    const byId = new Map(nodes.map((n) => [n.properties.id, n]));
    for (const [i, span] of spans.entries()) {
      expect(span.properties.start.id).toBe(SEGMENTS[i].fromNodeId);
      expect(span.properties.end.id).toBe(SEGMENTS[i].toNodeId);
      for (const end of [span.properties.start, span.properties.end]) {
        const node = byId.get(end.id)!;
        expect(node).toBeDefined();
        expect(end.name).toBe(node.properties.name);
        expect(end.location).toEqual({ type: 'Point', coordinates: node.geometry.coordinates });
        expect(end.network).toBeUndefined();
      }
      expect(span.properties.directed).toBe(false);
    }
  });

  it('maps statuses, node kinds, placements and owners to OFDS codes', async () => {
    const { nodes, spans } = await unzipOfds();
    expect(nodes.map((n) => [n.properties.serat.status, n.properties.status ?? null])).toEqual([
      ['active', 'operational'],
      ['installed', 'inactive'],
      ['planned', 'planned'],
      ['damaged', 'inactive'],
      ['in_construction', 'underConstruction'],
      ['decommissioned', 'decommissioned'],
    ]);
    expect(spans.map((s) => [s.properties.serat.status, s.properties.status])).toEqual([
      ['active', 'operational'],
      ['in_construction', 'underConstruction'],
      ['planned', 'planned'],
      ['damaged', 'inactive'],
      ['active', 'operational'],
      ['surveyed', 'planned'],
    ]);
    expect(nodes.map((n) => [n.properties.serat.kind, n.properties.type ?? null, n.properties.accessPoint])).toEqual([
      ['noc', ['pop'], true],
      ['odc', ['aggregationPoint'], true],
      ['odp', ['aggregationPoint'], true],
      ['pole', null, false],
      ['joint_closure', ['aggregationPoint'], false],
      ['handhole', null, false],
    ]);
    expect(nodes.map((n) => n.properties.physicalInfrastructureProvider?.name ?? null)).toEqual([
      NETWORK.publisher,
      NETWORK.publisher,
      null,
      'PT PLN (Persero)',
      'PT Telkom Indonesia (Persero) Tbk',
      null,
    ]);
    expect(nodes[3].properties.name).toBe('TP-0001'); // no name: the code
    expect(spans.map((s) => [s.properties.deployment ?? null, s.properties.deploymentDetails.description])).toEqual([
      [['aboveGround'], 'Aerial, on poles'],
      [['belowGround'], 'In duct'],
      [['belowGround'], 'Directly buried'],
      [null, 'River crossing'],
      [['aboveGround'], 'Aerial, on poles'],
      [['aboveGround'], 'Aerial, on poles'],
    ]);
    const [first, second] = spans;
    expect(first.properties).toMatchObject({
      name: 'BB-001',
      phase: { id: 'Tahap 1', name: 'Tahap 1' },
      transmissionMedium: ['fibre'],
      fibreCount: 48,
      fibreLength: 1.523456,
      countries: ['ID'],
      physicalInfrastructureProvider: { id: 'pemda', name: NETWORK.publisher },
      serat: { code: 'BB-001', lengthM: 1523.456, tier: 'backbone', placement: 'aerial', cableType: 'ADSS 48C' },
    });
    expect(second.properties.fibreCount).toBeUndefined(); // no core count
    expect(spans[3].properties.phase).toBeUndefined();
  });

  it('carries the network metadata in every feature, schema link first', async () => {
    const { nodes, spans } = await unzipOfds();
    for (const feature of [...nodes, ...spans]) {
      expect(feature.properties.network).toEqual({
        id: NETWORK.id,
        name: NETWORK.name,
        publisher: { name: NETWORK.publisher },
        publicationDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
        crs: { name: 'urn:ogc:def:crs:OGC::CRS84', uri: 'http://www.opengis.net/def/crs/OGC/1.3/CRS84' },
        language: 'id',
        links: [{ rel: 'describedby', href: OFDS_SCHEMA_URL }],
      });
    }
  });

  it('refuses spans whose end nodes are not exported, and never maps through Object.prototype', () => {
    expect(() => toOfdsGeoJson(NODES.slice(1), SEGMENTS, NETWORK)).toThrow(/1 span end node\(s\).*n-1/);
    // Words outside the vocabulary: rows the types do not promise.
    const odd = toOfdsGeoJson(
      [{ ...NODES[0], status: 'constructor', kind: '__proto__', owner: 'toString' } as unknown as ExportNode],
      [{ ...SEGMENTS[0], toNodeId: 'n-1', status: 'hasOwnProperty', placement: 'constructor' } as unknown as ExportSegment],
      NETWORK,
    );
    const node = JSON.parse(odd.nodes.toString('utf8')).features[0].properties;
    expect(node.status).toBeUndefined();
    expect(node.type).toBeUndefined();
    expect(node.physicalInfrastructureProvider).toBeUndefined();
    const span = JSON.parse(odd.spans.toString('utf8')).features[0].properties;
    expect(span.status).toBeUndefined();
    expect(span.deployment).toBeUndefined();
    expect(span.deploymentDetails).toBeUndefined();
  });
});
