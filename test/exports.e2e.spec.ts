import { parseImportFile } from '@serat/geo';
import { parse as parseCsv } from 'csv-parse/sync';
import yauzl from 'yauzl';
import { bearer } from './support/auth';
import { useTestServer } from './support/server';

async function zipEntries(bytes: Buffer): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(bytes, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error);
      const out: Record<string, string> = {};
      zip.on('entry', (entry) =>
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            out[entry.fileName] = Buffer.concat(chunks).toString('utf8');
            zip.readEntry();
          });
        }),
      );
      zip.on('end', () => resolve(out));
      zip.readEntry();
    });
  });
}

/** Exports of the seeded Kotim network, read back by the importer. */
describe('exports', () => {
  const server = useTestServer({ seeded: true, roles: ['planner'] });

  const download = async (path: string, language = 'id') => {
    const response = await fetch(`${server.api.baseUrl}${path}`, { headers: { ...bearer(server.token('planner')), 'accept-language': language } });
    return {
      status: response.status,
      type: response.headers.get('content-type'),
      disposition: response.headers.get('content-disposition'),
      bytes: Buffer.from(await response.arrayBuffer()),
    };
  };

  it('gives back the same segments through GeoJSON, KML, KMZ and CSV', async () => {
    const rows = await server.db.dataSource.query(`SELECT code, status, (ST_AsGeoJSON(geom, 7)::json)->'coordinates' AS coordinates FROM segments ORDER BY code`);
    for (const format of ['geojson', 'kml', 'kmz', 'csv']) {
      const file = await download(`/api/exports/segments.${format}`);
      expect([format, file.status]).toEqual([format, 200]);
      expect(file.disposition).toMatch(new RegExp(`attachment; filename="serat-segments-62.02.${format}"`));
      const parsed = await parseImportFile(`x.${format}`, file.bytes);
      expect([format, parsed.problems]).toEqual([format, []]);
      const byCode = new Map(parsed.features.map((f) => [String(f.properties.code), f]));
      expect([format, byCode.size]).toEqual([format, rows.length]);
      for (const row of rows) {
        const feature = byCode.get(row.code)!;
        expect([format, row.code, feature.properties.status]).toEqual([format, row.code, row.status]);
        const coordinates = (feature.geometry as { coordinates: number[][] }).coordinates;
        expect(coordinates.length).toBe(row.coordinates.length);
        coordinates.forEach((p, i) => {
          expect(p[0]).toBeCloseTo(row.coordinates[i][0], 6);
          expect(p[1]).toBeCloseTo(row.coordinates[i][1], 6);
        });
      }
    }
  });

  it("puts one KML folder per status, named in the reader's language, and filters by status and area", async () => {
    const kml = (await download('/api/exports/segments.kml?status=active,planned')).bytes.toString('utf8');
    expect(kml).toMatch(/<Folder>\s*<name>Aktif<\/name>/);
    expect(kml).toMatch(/<Folder>\s*<name>Direncanakan<\/name>/);
    expect(kml).not.toMatch(/<name>Dalam konstruksi<\/name>/);
    // In English for a reader who asks for it, sites by connection too (the words the web app shows).
    const english = (await download('/api/exports/segments.kml?status=active,planned', 'en')).bytes.toString('utf8');
    expect(english).toMatch(/<Folder>\s*<name>Active<\/name>/);
    expect(english).toMatch(/<Folder>\s*<name>Planned<\/name>/);
    const sites = (await download('/api/exports/sites.kml', 'en')).bytes.toString('utf8');
    expect(sites).toMatch(/<Folder>\s*<name>(Connected|Not connected)<\/name>/);
    expect(sites).not.toMatch(/<name>(Terhubung|Belum terhubung|connected|not_connected)<\/name>/);
    const csv = parseCsv((await download('/api/exports/nodes.csv?area=62.02.06')).bytes.toString('utf8').replace(/^\uFEFF/, ''), { columns: true });
    const [inArea] = await server.db.dataSource.query(`SELECT count(*)::int AS n FROM nodes WHERE kecamatan_code = '62.02.06' OR desa_code = '62.02.06'`);
    expect(csv.length).toBe(inArea.n);
    expect(csv[0]).toEqual(expect.objectContaining({ code: expect.any(String), wkt: expect.stringMatching(/^POINT \(112\.\d+ -2\.\d+\)$/) }));
    const bad = await download('/api/exports/segments.csv?status=finished');
    expect(bad.status).toBe(400);
  });

  it('exports sites with whether they are connected', async () => {
    const file = await download('/api/exports/sites.geojson');
    const fc = JSON.parse(file.bytes.toString('utf8'));
    expect(fc.features).toHaveLength(53);
    expect(fc.features.some((f: { properties: { connected: boolean } }) => f.properties.connected)).toBe(true);
  });

  it('writes OFDS nodes and spans whose ends exist among the nodes', async () => {
    const file = await download('/api/exports/ofds.zip');
    expect(file.type).toBe('application/zip');
    const entries = await zipEntries(file.bytes);
    expect(Object.keys(entries).sort()).toEqual(['nodes.geojson', 'spans.geojson']);
    const nodes = JSON.parse(entries['nodes.geojson']).features;
    const spans = JSON.parse(entries['spans.geojson']).features;
    const [count] = await server.db.dataSource.query(`SELECT count(*)::int AS n FROM segments`);
    expect(spans).toHaveLength(count.n);
    const ids = new Set(nodes.map((n: { properties: { id: string } }) => n.properties.id));
    for (const span of spans) {
      expect(ids.has(span.properties.start.id)).toBe(true);
      expect(ids.has(span.properties.end.id)).toBe(true);
    }
    expect(new Set(spans.map((s: { properties: { status: string } }) => s.properties.status))).toEqual(new Set(['operational', 'planned', 'underConstruction', 'inactive']));
  });
});
