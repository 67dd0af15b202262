import type { INestApplicationContext } from '@nestjs/common';
import * as turf from '@turf/turf';
import type { FeatureCollection } from 'geojson';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { buildZip } from '../libs/geo/src/import/import-fixtures.testing';
import { RunningApi, startApi, startWorker, testConfig } from './support/apps';
import { bearer, createTestUser, signIn } from './support/auth';
import { openTestDatabase, OpenTestDatabase } from './support/databases';
import { waitFor } from './support/wait';

/** Real files made by others, beside the repository (CI has ../shared too). */
const REAL = path.resolve(__dirname, '../../shared/data/real-world');
const real = (file: string) => fs.readFileSync(path.join(REAL, file));

/** Total length in metres of the lines of a WGS84 GeoJSON reference copy. */
function referenceLengthM(file: string): { lines: number; lengthM: number } {
  const fc = JSON.parse(real(file).toString('utf8')) as FeatureCollection;
  const lines = fc.features.filter((f) => f.geometry && /LineString/.test(f.geometry.type));
  return { lines: lines.length, lengthM: lines.reduce((total, f) => total + turf.length(f as never, { units: 'meters' }), 0) };
}

describe('importing contractors\' files (api → Redis → worker → PostGIS)', () => {
  let db: OpenTestDatabase;
  let api: RunningApi;
  let worker: INestApplicationContext;
  let token: string;

  beforeAll(async () => {
    db = await openTestDatabase({ seeded: true });
    const config = testConfig(db.url);
    api = await startApi(config);
    worker = await startWorker(config);
    token = await signIn(api.baseUrl, await createTestUser(db.dataSource, 'planner'));
  }, 60000);
  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await db?.close();
  }, 60000);

  async function upload(name: string, bytes: Buffer, options: object = {}) {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(bytes)]), name);
    form.append('options', JSON.stringify(options));
    const response = await fetch(`${api.baseUrl}/api/imports`, { method: 'POST', headers: bearer(token), body: form });
    return { status: response.status, body: await response.json() };
  }
  const get = async (p: string) => (await fetch(`${api.baseUrl}${p}`, { headers: bearer(token) })).json();
  const settled = (id: string, states: string[]) =>
    waitFor(async () => {
      const row = await get(`/api/imports/${id}`);
      return states.includes(row.state) ? row : undefined;
    }, 120000, `import ${id} to reach ${states.join('/')}`);

  /** Upload, wait for the dry run, commit, wait: the whole flow of a planner. */
  async function importFile(name: string, bytes: Buffer, options: object) {
    const created = await upload(name, bytes, options);
    expect(created.status).toBe(202);
    const analysed = await settled(created.body.id, ['ready', 'failed']);
    expect(analysed).toEqual(expect.objectContaining({ state: 'ready', progress: 100 }));
    const commit = await fetch(`${api.baseUrl}/api/imports/${created.body.id}/commit`, { method: 'POST', headers: bearer(token) });
    expect(commit.status).toBe(202);
    const committed = await settled(created.body.id, ['committed', 'failed']);
    expect(committed.state).toBe('committed');
    return { analysed, committed, id: created.body.id as string };
  }

  const importedLength = async (source: string) =>
    (await db.dataSource.query(`SELECT count(*)::int AS n, coalesce(sum(length_m), 0)::float8 AS m FROM segments WHERE external_ref LIKE $1`, [`${source}:%`]))[0];

  it('imports the Long Beach shapefiles (state plane, feet) with the same count and length as the WGS84 copies, once', async () => {
    const refs = [referenceLengthM('long-beach-ca/CityFiber.wgs84.geojson'), referenceLengthM('long-beach-ca/TrafSigFiber.wgs84.geojson')];
    const reference = { lines: refs[0].lines + refs[1].lines, lengthM: refs[0].lengthM + refs[1].lengthM };
    const { analysed } = await importFile('FiberLines.zip', real('long-beach-ca/FiberLines.zip'), { regionCheck: false, source: 'longbeach' });
    expect(analysed.summary.features).toBe(reference.lines);
    expect(analysed.sourceCrs).toMatch(/StatePlane_California_V/);
    // A span whose two ends lie within the 10 m snapping tolerance is refused, and said why.
    const rejected = (await get(`/api/imports/${analysed.id}/report?limit=1000`)).rows.filter((r: { action: string }) => r.action === 'reject');
    expect(rejected.length).toBe(analysed.summary.reject);
    expect(rejected.length).toBeLessThanOrEqual(2);
    for (const row of rejected) expect(row.reasons).toEqual(['ends_within_snap_tolerance']);
    const stored = await importedLength('longbeach');
    expect(Math.abs(stored.m - reference.lengthM) / reference.lengthM).toBeLessThan(0.005);
    const report = await get(`/api/imports/${analysed.id}/report?limit=5`);
    expect(report.total).toBeGreaterThanOrEqual(reference.lines);
    expect(report.rows[0]).toEqual(expect.objectContaining({ action: 'create', kind: 'segment' }));

    // The same file again: nothing to create or update, and the commit changes nothing.
    const [before] = await db.dataSource.query(`SELECT count(*)::int AS n, sum(version)::int AS v FROM segments`);
    const again = await importFile('FiberLines.zip', real('long-beach-ca/FiberLines.zip'), { regionCheck: false, source: 'longbeach' });
    expect(again.analysed.summary).toEqual(expect.objectContaining({ create: 0, update: 0, reject: analysed.summary.reject, unchanged: stored.n }));
    const [after] = await db.dataSource.query(`SELECT count(*)::int AS n, sum(version)::int AS v FROM segments`);
    expect(after).toEqual(before);
  }, 180000);

  it('imports the Ghana GeoJSON with its legacy crs member, and the Kalteng cable\'s compound-CRS shapefile', async () => {
    const ghana = referenceLengthM('watra-west-africa/GHA_lines.geojson');
    const g = await importFile('GHA_lines.geojson', real('watra-west-africa/GHA_lines.geojson'), { regionCheck: false, source: 'ghana' });
    expect(g.analysed.summary.features).toBe(ghana.lines);
    expect(g.analysed.sourceCrs).toMatch(/legacy crs member/);
    const ghanaStored = await importedLength('ghana');
    expect(Math.abs(ghanaStored.m - ghana.lengthM) / ghana.lengthM).toBeLessThan(0.005);

    const kalteng = referenceLengthM('kalteng-submarine-cable/kabelbawahlaut.geojson');
    const k = await importFile('02_KABEL_BAWAH_LAUT_TANPA_Z.zip', real('kalteng-submarine-cable/02_KABEL_BAWAH_LAUT_TANPA_Z.zip'), { regionCheck: false, source: 'kalteng' });
    expect(k.analysed.summary.features).toBe(kalteng.lines);
    const kaltengStored = await importedLength('kalteng');
    expect(Math.abs(kaltengStored.m - kalteng.lengthM) / kalteng.lengthM).toBeLessThan(0.005);
  }, 180000);

  it('imports the Sierra Leone KMZ: lines as segments, sites as nodes, in their folders', async () => {
    const nodes = JSON.parse(real('watra-west-africa/SLE_nodes.geojson').toString()).features.length;
    const lines = referenceLengthM('watra-west-africa/SLE_lines.geojson');
    const { analysed } = await importFile('SLE.kmz', real('watra-west-africa/SLE.kmz'), { regionCheck: false, source: 'sle' });
    expect(analysed.summary.features).toBe(lines.lines + nodes);
    const stored = await importedLength('sle');
    expect(stored.n).toBe(lines.lines);
    const [points] = await db.dataSource.query(`SELECT count(*)::int AS n FROM nodes WHERE external_ref LIKE 'sle:%'`);
    expect(points.n).toBe(nodes);
    // SLE_lines.geojson is a smoothed derivative of the KMZ (each line's n vertices became 2n-2,
    // cutting corners), so the KMZ's own lines are slightly longer: within 1 % of it.
    expect(Math.abs(stored.m - lines.lengthM) / lines.lengthM).toBeLessThan(0.01);
  }, 180000);

  it('refuses files outside the region when the region check is on, and writes nothing', async () => {
    const created = await upload('GHA_lines.geojson', real('watra-west-africa/GHA_lines.geojson'), { source: 'ghana-check' });
    const analysed = await settled(created.body.id, ['ready', 'failed']);
    expect(analysed.summary).toEqual(expect.objectContaining({ create: 0, reject: analysed.summary.features }));
    const report = await get(`/api/imports/${created.body.id}/report?limit=1`);
    expect(report.rows[0].reasons).toEqual(['outside_region']);
  }, 60000);

  it('maps a CSV with a saved template and imports it into Kotim; one broken row among many is reported, not fatal', async () => {
    const template = await (
      await fetch(`${api.baseUrl}/api/import-templates`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...bearer(token) },
        body: JSON.stringify({ name: 'kontraktor-a', mapping: { code: ['kode_ruas'], status: ['kondisi'], coreCount: ['jml_core'], statusValues: { selesai: 'installed' } } }),
      })
    ).json();
    const rows = ['kode_ruas;kondisi;jml_core;wkt'];
    for (let i = 0; i < 300; i++) {
      const x = 112.90 + i * 0.0002;
      rows.push(`KA-${i};${i % 2 ? 'selesai' : 'rencana'};24;"LINESTRING(${x} -2.62, ${x + 0.0001} -2.6205)"`);
    }
    rows.push('KA-BROKEN;rencana;24;"LINESTRING(112.9 abc)"');
    const { analysed } = await importFile('kontraktor.csv', Buffer.from(rows.join('\n')), { templateId: template.id, source: 'ka' });
    expect(analysed.summary).toEqual(expect.objectContaining({ features: 301, create: 300, reject: 1 }));
    const statuses = await db.dataSource.query(`SELECT status, count(*)::int AS n, min(core_count) AS cores FROM segments WHERE code LIKE 'KA-%' GROUP BY status ORDER BY status`);
    expect(statuses).toEqual([{ status: 'installed', n: 150, cores: 24 }, { status: 'planned', n: 150, cores: 24 }]);
    const [areas] = await db.dataSource.query(`SELECT count(DISTINCT sa.segment_id)::int AS n FROM segment_areas sa JOIN segments s ON s.id = sa.segment_id WHERE s.code LIKE 'KA-%'`);
    expect(areas.n).toBe(300);
  }, 120000);

  describe('statuses of existing segments (the lifecycle)', () => {
    const file = (code: string, status: string, cores: number, shiftLon = 0) =>
      Buffer.from(JSON.stringify({
        type: 'FeatureCollection',
        features: [{
          type: 'Feature',
          properties: { code, status, cores },
          geometry: { type: 'LineString', coordinates: [[112.942, -2.541], [112.9435 + shiftLon, -2.5418], [112.945, -2.543]] },
        }],
      }));
    const segment = async (code: string) =>
      (await db.dataSource.query(
        `SELECT id, status, core_count AS cores, version, ST_X(ST_PointN(geom, 2)) AS "midLon" FROM segments WHERE code = $1`,
        [code],
      ))[0];
    const history = async (id: string) =>
      db.dataSource.query(`SELECT from_status AS "from", to_status AS "to" FROM status_changes WHERE segment_id = $1 ORDER BY id`, [id]);
    const reportRow = async (importId: string) => (await get(`/api/imports/${importId}/report?limit=10`)).rows[0];

    it('applies a forward move (planned → active, stages skipped: the as-built file is the evidence)', async () => {
      await importFile('lc-rencana.geojson', file('LC-1', 'planned', 12), { source: 'lc1' });
      const planned = await segment('LC-1');
      expect(planned).toEqual(expect.objectContaining({ status: 'planned', cores: 12 }));

      const { analysed, id } = await importFile('lc-asbuilt.geojson', file('LC-1', 'active', 12), { source: 'lc1' });
      expect(analysed.summary).toEqual(expect.objectContaining({ update: 1, unchanged: 0 }));
      expect(await reportRow(id)).toEqual(expect.objectContaining({ action: 'update', warnings: [] }));
      const active = await segment('LC-1');
      expect(active).toEqual(expect.objectContaining({ status: 'active', version: planned.version + 1 }));
      expect(await history(active.id)).toEqual([{ from: null, to: 'planned' }, { from: 'planned', to: 'active' }]);
    }, 120000);

    it('leaves an active segment active when an old file says planned, reports why, and still applies the rest', async () => {
      await importFile('lc-rencana.geojson', file('LC-2', 'planned', 12), { source: 'lc2' });
      await importFile('lc-asbuilt.geojson', file('LC-2', 'active', 12), { source: 'lc2' });
      const before = await segment('LC-2');
      expect(before.status).toBe('active');
      const [auditBefore] = await db.dataSource.query(`SELECT count(*)::int AS n FROM audit_log WHERE entity_id = $1`, [before.id]);

      // The old contractor file again, with more cores and a corrected middle vertex: the dry run
      // and the commit say the status stays, the rest is applied.
      const { analysed, committed, id } = await importFile('lc-lama.geojson', file('LC-2', 'planned', 24, 0.0002), { source: 'lc2' });
      expect(analysed.summary).toEqual(expect.objectContaining({ update: 1, reject: 0 }));
      expect(committed.summary).toEqual(expect.objectContaining({ update: 1, reject: 0 }));
      expect(await reportRow(id)).toEqual(expect.objectContaining({ action: 'update', reasons: [], warnings: ['status_kept_backwards:active→planned'] }));
      const after = await segment('LC-2');
      expect(after).toEqual(expect.objectContaining({ status: 'active', cores: 24, version: before.version + 1 }));
      expect(after.midLon).toBeCloseTo(112.9437, 6);
      expect(await history(after.id)).toEqual([{ from: null, to: 'planned' }, { from: 'planned', to: 'active' }]);
      const audit = await db.dataSource.query(`SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY id`, [after.id]);
      expect(audit.length).toBe(auditBefore.n + 1);
      expect(audit[audit.length - 1].action).toBe('import_update');

      // When only the status differs there is nothing to write; the warning is still reported.
      const again = await importFile('lc-lama.geojson', file('LC-2', 'planned', 24, 0.0002), { source: 'lc2' });
      expect(again.analysed.summary).toEqual(expect.objectContaining({ update: 0, unchanged: 1 }));
      expect((await reportRow(again.id)).warnings).toEqual(['status_kept_backwards:active→planned']);
      expect(await segment('LC-2')).toEqual(after);
    }, 120000);
  });

  it('reports hostile files clearly and writes nothing: a zip bomb, XML entities, an unreadable .prj', async () => {
    const [before] = await db.dataSource.query(`SELECT (SELECT count(*) FROM segments)::int AS s, (SELECT count(*) FROM nodes)::int AS n`);
    const placemark = '<Placemark><name>x</name><LineString><coordinates>112.9,-2.5 112.91,-2.51</coordinates></LineString></Placemark>';
    const kml = (body: string) => `<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document>${body}</Document></kml>`;
    const cases: [string, Buffer, string][] = [
      ['bomb.kmz', buildZip([{ name: 'doc.kml', data: kml(`<!-- ${'A'.repeat(20 * 1024 * 1024)} -->${placemark}`), declaredBytes: 1000 }]), 'ZIP_TOO_LARGE'],
      ['laughs.kml', Buffer.from(`<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><kml><Document><name>&b;</name>${placemark}</Document></kml>`), 'XML_FORBIDDEN'],
      ['xxe.kml', Buffer.from(`<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY x SYSTEM "file:///etc/passwd">]><kml><Document><name>&x;</name>${placemark}</Document></kml>`), 'XML_FORBIDDEN'],
      ['gibberish.zip', buildZip([{ name: 'a.shp', data: Buffer.alloc(100) }, { name: 'a.dbf', data: Buffer.alloc(33) }, { name: 'a.prj', data: 'PROJCS["Nowhere",GEOGCS["Mars 2000"' }]), 'PRJ_UNREADABLE'],
    ];
    for (const [name, bytes, code] of cases) {
      const created = await upload(name, bytes);
      expect(created.status).toBe(202);
      const row = await settled(created.body.id, ['ready', 'failed']);
      expect([name, row.state, row.errorCode]).toEqual([name, 'failed', code]);
      expect(row.errorMessage.length).toBeGreaterThan(10);
    }
    const [after] = await db.dataSource.query(`SELECT (SELECT count(*) FROM segments)::int AS s, (SELECT count(*) FROM nodes)::int AS n`);
    expect(after).toEqual(before);
  }, 120000);

  it('cuts off a 200 MB upload with 413 without buffering it', async () => {
    const url = new URL(`${api.baseUrl}/api/imports`);
    const boundary = 'serat-test-boundary';
    const status = await new Promise<number>((resolve, reject) => {
      const request = http.request(
        { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { ...bearer(token), 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(200 * 1024 * 1024 + 200) } },
        (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        },
      );
      request.on('error', (error: NodeJS.ErrnoException) => (error.code === 'EPIPE' || error.code === 'ECONNRESET' ? undefined : reject(error)));
      request.write(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="huge.geojson"\r\n\r\n`);
      const chunk = Buffer.alloc(1024 * 1024, 32);
      let sent = 0;
      const pump = () => {
        while (sent < 200 && !request.destroyed) {
          sent++;
          if (!request.write(chunk)) return request.once('drain', pump);
        }
        if (!request.destroyed) request.end(`\r\n--${boundary}--\r\n`);
      };
      pump();
    });
    expect(status).toBe(413);
    const [row] = await db.dataSource.query(`SELECT count(*)::int AS n FROM imports WHERE file_name = 'huge.geojson'`);
    expect(row.n).toBe(0);
  }, 120000);

  it('commits only an analysed import, and only once', async () => {
    const created = await upload('GHA_lines.geojson', real('watra-west-africa/GHA_lines.geojson'), { regionCheck: true, source: 'ghana-twice' });
    await settled(created.body.id, ['ready']);
    const commit = () => fetch(`${api.baseUrl}/api/imports/${created.body.id}/commit`, { method: 'POST', headers: bearer(token) });
    expect((await commit()).status).toBe(202);
    await settled(created.body.id, ['committed']);
    const again = await commit();
    expect(again.status).toBe(409);
    expect((await again.json()).error.code).toBe('IMPORT_NOT_READY');
  }, 60000);
});
