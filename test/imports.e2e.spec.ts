import { getQueueToken } from '@nestjs/bull';
import * as turf from '@turf/turf';
import type { FeatureCollection } from 'geojson';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { AuditRepository, ImportsService, SegmentsRepository } from '@serat/domain';
import { importsQueue } from '@serat/jobs';
import type { Queue } from 'bull';
import type { EntityManager } from 'typeorm';
import { IMPORT_FAILED_MESSAGE } from '../libs/domain/src/imports/imports.service';
import { star, windingRoute } from '../libs/geo/src/geometry-fixtures.testing';
import { buildZip } from '../libs/geo/src/import/import-fixtures.testing';
import { bearer } from './support/auth';
import { useTestServer } from './support/server';
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

describe("importing contractors' files (api → Redis → worker → PostGIS)", () => {
  const server = useTestServer({ seeded: true, worker: true, roles: ['planner'] });

  async function upload(name: string, bytes: Buffer, options: object = {}) {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(bytes)]), name);
    form.append('options', JSON.stringify(options));
    const response = await fetch(`${server.api.baseUrl}/api/imports`, { method: 'POST', headers: bearer(server.token('planner')), body: form });
    return { status: response.status, body: await response.json() };
  }
  const get = async (p: string) => (await fetch(`${server.api.baseUrl}${p}`, { headers: bearer(server.token('planner')) })).json();
  const settled = (id: string, states: string[]) =>
    waitFor(
      async () => {
        const row = await get(`/api/imports/${id}`);
        return states.includes(row.state) ? row : undefined;
      },
      120000,
      `import ${id} to reach ${states.join('/')}`,
    );

  /** Upload, wait for the dry run, commit, wait: the whole flow of a planner. */
  async function importFile(name: string, bytes: Buffer, options: object) {
    const created = await upload(name, bytes, options);
    expect(created.status).toBe(202);
    const analysed = await settled(created.body.id, ['ready', 'failed']);
    expect(analysed).toEqual(expect.objectContaining({ state: 'ready', progress: 100 }));
    const commit = await fetch(`${server.api.baseUrl}/api/imports/${created.body.id}/commit`, { method: 'POST', headers: bearer(server.token('planner')) });
    expect(commit.status).toBe(202);
    const committed = await settled(created.body.id, ['committed', 'failed']);
    expect(committed.state).toBe('committed');
    return { analysed, committed, id: created.body.id as string };
  }

  const importedLength = async (source: string) =>
    (await server.db.dataSource.query(`SELECT count(*)::int AS n, coalesce(sum(length_m), 0)::float8 AS m FROM segments WHERE external_ref LIKE $1`, [`${source}:%`]))[0];

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
    const [before] = await server.db.dataSource.query(`SELECT count(*)::int AS n, sum(version)::int AS v FROM segments`);
    const again = await importFile('FiberLines.zip', real('long-beach-ca/FiberLines.zip'), { regionCheck: false, source: 'longbeach' });
    expect(again.analysed.summary).toEqual(expect.objectContaining({ create: 0, update: 0, reject: analysed.summary.reject, unchanged: stored.n }));
    const [after] = await server.db.dataSource.query(`SELECT count(*)::int AS n, sum(version)::int AS v FROM segments`);
    expect(after).toEqual(before);
  }, 180000);

  it("imports the Ghana GeoJSON with its legacy crs member, and the Kalteng cable's compound-CRS shapefile", async () => {
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
    const [points] = await server.db.dataSource.query(`SELECT count(*)::int AS n FROM nodes WHERE external_ref LIKE 'sle:%'`);
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

  it('rejects the 2,000-position self-crossing star and a line of 50,001 positions, each with its reason, and imports the rest', async () => {
    const feature = (code: string, coordinates: number[][]) => ({ type: 'Feature', properties: { code }, geometry: { type: 'LineString', coordinates } });
    const file = JSON.stringify({
      type: 'FeatureCollection',
      features: [
        feature('BND-STAR', star(2000)),
        feature('BND-LONG', windingRoute(50001, 112.6, -2.75)),
        feature('BND-OK', [
          [112.8, -2.7],
          [112.81, -2.705],
        ]),
      ],
    });
    const { analysed } = await importFile('bounded.geojson', Buffer.from(file), { source: 'bounded' });
    expect(analysed.summary).toEqual(expect.objectContaining({ features: 3, create: 1, reject: 2 }));
    const report = await get(`/api/imports/${analysed.id}/report?limit=10`);
    const reasons = Object.fromEntries(report.rows.map((r: { code: string; reasons: string[] }) => [r.code, r.reasons]));
    expect(reasons).toEqual({ 'BND-STAR': ['self_intersection'], 'BND-LONG': ['too_many_positions'], 'BND-OK': [] });
    const stored = await server.db.dataSource.query(`SELECT code FROM segments WHERE code LIKE 'BND-%'`);
    expect(stored).toEqual([{ code: 'BND-OK' }]);
  }, 120000);

  it('maps a CSV with a saved template and imports it into Kotim; one broken row among many is reported, not fatal', async () => {
    const template = await (
      await fetch(`${server.api.baseUrl}/api/import-templates`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...bearer(server.token('planner')) },
        body: JSON.stringify({ name: 'kontraktor-a', mapping: { code: ['kode_ruas'], status: ['kondisi'], coreCount: ['jml_core'], statusValues: { selesai: 'installed' } } }),
      })
    ).json();
    const rows = ['kode_ruas;kondisi;jml_core;wkt'];
    for (let i = 0; i < 300; i++) {
      const x = 112.9 + i * 0.0002;
      rows.push(`KA-${i};${i % 2 ? 'selesai' : 'rencana'};24;"LINESTRING(${x} -2.62, ${x + 0.0001} -2.6205)"`);
    }
    rows.push('KA-BROKEN;rencana;24;"LINESTRING(112.9 abc)"');
    const { analysed } = await importFile('kontraktor.csv', Buffer.from(rows.join('\n')), { templateId: template.id, source: 'ka' });
    expect(analysed.summary).toEqual(expect.objectContaining({ features: 301, create: 300, reject: 1 }));
    const statuses = await server.db.dataSource.query(
      `SELECT status, count(*)::int AS n, min(core_count) AS cores FROM segments WHERE code LIKE 'KA-%' GROUP BY status ORDER BY status`,
    );
    expect(statuses).toEqual([
      { status: 'installed', n: 150, cores: 24 },
      { status: 'planned', n: 150, cores: 24 },
    ]);
    const [areas] = await server.db.dataSource.query(
      `SELECT count(DISTINCT sa.segment_id)::int AS n FROM segment_areas sa JOIN segments s ON s.id = sa.segment_id WHERE s.code LIKE 'KA-%'`,
    );
    expect(areas.n).toBe(300);
  }, 120000);

  describe('statuses of existing segments (the lifecycle)', () => {
    const file = (code: string, status: string, cores: number, shiftLon = 0) =>
      Buffer.from(
        JSON.stringify({
          type: 'FeatureCollection',
          features: [
            {
              type: 'Feature',
              properties: { code, status, cores },
              geometry: {
                type: 'LineString',
                coordinates: [
                  [112.942, -2.541],
                  [112.9435 + shiftLon, -2.5418],
                  [112.945, -2.543],
                ],
              },
            },
          ],
        }),
      );
    const segment = async (code: string) =>
      (await server.db.dataSource.query(`SELECT id, status, core_count AS cores, version, ST_X(ST_PointN(geom, 2)) AS "midLon" FROM segments WHERE code = $1`, [code]))[0];
    const history = async (id: string) => server.db.dataSource.query(`SELECT from_status AS "from", to_status AS "to" FROM status_changes WHERE segment_id = $1 ORDER BY id`, [id]);
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
      expect(await history(active.id)).toEqual([
        { from: null, to: 'planned' },
        { from: 'planned', to: 'active' },
      ]);
    }, 120000);

    it('leaves an active segment active when an old file says planned, reports why, and still applies the rest', async () => {
      await importFile('lc-rencana.geojson', file('LC-2', 'planned', 12), { source: 'lc2' });
      await importFile('lc-asbuilt.geojson', file('LC-2', 'active', 12), { source: 'lc2' });
      const before = await segment('LC-2');
      expect(before.status).toBe('active');
      const [auditBefore] = await server.db.dataSource.query(`SELECT count(*)::int AS n FROM audit_log WHERE entity_id = $1`, [before.id]);

      // The old contractor file again, with more cores and a corrected middle vertex: the dry run
      // and the commit say the status stays, the rest is applied.
      const { analysed, committed, id } = await importFile('lc-lama.geojson', file('LC-2', 'planned', 24, 0.0002), { source: 'lc2' });
      expect(analysed.summary).toEqual(expect.objectContaining({ update: 1, reject: 0 }));
      expect(committed.summary).toEqual(expect.objectContaining({ update: 1, reject: 0 }));
      expect(await reportRow(id)).toEqual(expect.objectContaining({ action: 'update', reasons: [], warnings: ['status_kept_backwards:active→planned'] }));
      const after = await segment('LC-2');
      expect(after).toEqual(expect.objectContaining({ status: 'active', cores: 24, version: before.version + 1 }));
      expect(after.midLon).toBeCloseTo(112.9437, 6);
      expect(await history(after.id)).toEqual([
        { from: null, to: 'planned' },
        { from: 'planned', to: 'active' },
      ]);
      const audit = await server.db.dataSource.query(`SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY id`, [after.id]);
      expect(audit.length).toBe(auditBefore.n + 1);
      expect(audit[audit.length - 1].action).toBe('import_update');

      // When only the status differs there is nothing to write; the warning is still reported.
      const again = await importFile('lc-lama.geojson', file('LC-2', 'planned', 24, 0.0002), { source: 'lc2' });
      expect(again.analysed.summary).toEqual(expect.objectContaining({ update: 0, unchanged: 1 }));
      expect((await reportRow(again.id)).warnings).toEqual(['status_kept_backwards:active→planned']);
      expect(await segment('LC-2')).toEqual(after);
    }, 120000);
  });

  describe('files without codes or ids', () => {
    /** A contractor's CSV of spans east of Sampit with only a name and a WKT column: no code, no id. */
    const csv = (rows: [string, number][]) =>
      Buffer.from(
        ['nama,wkt', ...rows.map(([name, i]) => `${name},"LINESTRING(${(113.02 + i * 0.002).toFixed(4)} -2.52, ${(113.0212 + i * 0.002).toFixed(4)} -2.5208)"`)].join('\n'),
      );
    const original: [string, number][] = [
      ['Ruas A', 0],
      ['Ruas B', 1],
      ['Ruas C', 2],
      ['Ruas D', 3],
    ];

    it('a revised file with a row inserted at the top moves no cable: the rows are known by their positions, not their line numbers', async () => {
      await importFile('tanpa-kode.csv', csv(original), { source: 'tanpa-kode' });
      const before = await server.db.dataSource.query(`SELECT code, ST_AsText(geom) AS wkt, version FROM segments WHERE external_ref LIKE 'tanpa-kode:%' ORDER BY code`);
      expect(before).toHaveLength(4);

      // The contractor adds a span before the others and re-routes "Ruas C"; lines 2-5 now hold other rows.
      const revised = await importFile(
        'tanpa-kode.csv',
        csv([
          ['Ruas baru', 7],
          ['Ruas A', 0],
          ['Ruas B', 1],
          ['Ruas C', 9],
          ['Ruas D', 3],
        ]),
        { source: 'tanpa-kode' },
      );
      expect(revised.analysed.summary).toEqual(expect.objectContaining({ create: 2, update: 0, unchanged: 3, reject: 0 }));
      const after = await server.db.dataSource.query(`SELECT code, ST_AsText(geom) AS wkt, version FROM segments WHERE external_ref LIKE 'tanpa-kode:%' ORDER BY code`);
      // Every cable stored before is still where it was, untouched; the two new shapes are new spans.
      for (const row of before) expect(after).toContainEqual(row);
      expect(after).toHaveLength(6);
    }, 180000);

    it('two cables along the same route are two spans, told apart by their order, and stay so on the next import', async () => {
      const twice = csv([
        ['Ruas X', 20],
        ['Ruas X (kabel kedua)', 20],
      ]);
      const first = await importFile('dobel.csv', twice, { source: 'dobel' });
      expect(first.analysed.summary).toEqual(expect.objectContaining({ create: 2, reject: 0 }));
      const rows = (await get(`/api/imports/${first.id}/report?limit=10`)).rows;
      expect(rows[1].code).toBe(`${rows[0].code}-2`);
      const again = await importFile('dobel.csv', twice, { source: 'dobel' });
      expect(again.analysed.summary).toEqual(expect.objectContaining({ create: 0, update: 0, unchanged: 2 }));
    }, 180000);
  });

  describe("a contractor's own column names (the mapping step)", () => {
    const post = (p: string, body: unknown) =>
      fetch(`${server.api.baseUrl}${p}`, { method: 'POST', headers: { 'content-type': 'application/json', ...bearer(server.token('planner')) }, body: JSON.stringify(body) });
    /** Spans along a road south of Sampit and one ODP away from their ends; the contractor's words for everything. */
    const contractorCsv = (prefix: string, rows: [string, string, string, string, string, string, string, string][]) =>
      Buffer.from(['KD_RUAS;NAMA_RUAS;JML_CORE;KONDISI;JENIS_KBL;METODE;JENIS_TITIK;WKT', ...rows.map((r) => [`${prefix}${r[0]}`, ...r.slice(1)].join(';'))].join('\n'));
    const line = (i: number) => `"LINESTRING(${(112.93 + i * 0.001).toFixed(4)} -2.605, ${(112.9306 + i * 0.001).toFixed(4)} -2.6054)"`;
    const firstFile = contractorCsv('KTR-', [
      ['R1', 'Ruas Baamang 1', '24 core', 'Sdh Terpasang', 'ADSS', 'Gantung', '', line(0)],
      ['R2', 'Ruas Baamang 2', '48', 'Blm Terpasang', 'ADSS', 'Tanam', '', line(1)],
      ['R3', 'Ruas Baamang 3', '24', 'Sdh Terpasang', 'Duct HDPE', 'Gantung', '', line(2)],
      ['R4', 'Ruas Baamang 4', '12', 'Aktif', 'ADSS', 'Tanam', '', line(3)],
      ['T1', 'ODP Baamang', '', 'Sdh Terpasang', '', '', 'ODP', '"POINT(112.9353 -2.6080)"'],
    ]);
    const mapping = {
      code: ['KD_RUAS'],
      name: ['NAMA_RUAS'],
      coreCount: ['JML_CORE'],
      cableType: ['JENIS_KBL'],
      placement: ['METODE'],
      nodeKind: ['JENIS_TITIK'],
      status: ['KONDISI'],
      statusValues: { 'Sdh Terpasang': 'installed', 'Blm Terpasang': 'planned' },
      placementValues: { Gantung: 'aerial' },
    };
    let firstId: string;

    it('the dry run reports the property names with counts and samples, where each field was read from, and the status words it did not know', async () => {
      const created = await upload('kontraktor-baamang.csv', firstFile, { source: 'cv-baamang' });
      expect(created.status).toBe(202);
      firstId = created.body.id;
      const analysed = await settled(firstId, ['ready', 'failed']);
      expect(analysed.state).toBe('ready');
      const { analysis } = analysed.summary;
      expect(analysis.properties.map((p: { name: string }) => p.name)).toEqual(['KD_RUAS', 'NAMA_RUAS', 'JML_CORE', 'KONDISI', 'JENIS_KBL', 'METODE', 'JENIS_TITIK']);
      expect(analysis.properties[3]).toEqual({ name: 'KONDISI', count: 5, samples: ['Sdh Terpasang', 'Blm Terpasang', 'Aktif'] });
      expect(analysis.properties[2]).toEqual({ name: 'JML_CORE', count: 4, samples: ['24 core', '48', '24'] });
      expect(analysis.properties[6]).toEqual({ name: 'JENIS_TITIK', count: 1, samples: ['ODP'] });
      // "kondisi" is a default name for the status; nothing else here is.
      expect(analysis.fields).toEqual({ code: [], name: [], status: [{ property: 'KONDISI', count: 5 }], coreCount: [], cableType: [], placement: [], nodeKind: [] });
      expect(analysis.unrecognised).toEqual({
        status: [
          { value: 'Sdh Terpasang', count: 3 },
          { value: 'Blm Terpasang', count: 1 },
        ],
        placement: [],
        statusFeatures: 4,
        placementFeatures: 0,
      });
      // Unmapped: made-up codes, the default status, each unknown word warned on its row.
      const rows = (await get(`/api/imports/${firstId}/report?limit=10`)).rows;
      // Without a code column (and no id column), codes are made from each row's positions, never its line number.
      expect(rows.map((r: { code: string }) => r.code)).toEqual(Array(5).fill(expect.stringMatching(/^cv-baamang-[0-9a-f]{10}$/)));
      expect(new Set(rows.map((r: { code: string }) => r.code)).size).toBe(5);
      expect(rows[0].warnings).toEqual(['status_unmapped:Sdh Terpasang']);
      expect(rows[3].warnings).toEqual([]);

      // The list carries who uploaded it, and no analysis (a list stays small).
      const list = await get('/api/imports?limit=5');
      const listed = list.imports.find((i: { id: string }) => i.id === firstId);
      expect(listed).toEqual(expect.objectContaining({ createdByName: 'Test planner', state: 'ready' }));
      expect(listed.summary).toEqual(expect.objectContaining({ create: 5 }));
      expect(listed.summary.analysis).toBeUndefined();
    }, 120000);

    it('analysed again with a mapping: the fields come from the chosen columns and every word is recognised; saved as a template; applied as mapped', async () => {
      const again = await post(`/api/imports/${firstId}/analyse`, { options: { source: 'cv-baamang', mapping } });
      expect(again.status).toBe(202);
      expect(await again.json()).toEqual(expect.objectContaining({ id: firstId, state: 'queued', summary: null }));
      const analysed = await settled(firstId, ['ready', 'failed']);
      const { analysis } = analysed.summary;
      expect(analysis.fields).toEqual({
        code: [{ property: 'KD_RUAS', count: 5 }],
        name: [{ property: 'NAMA_RUAS', count: 5 }],
        status: [{ property: 'KONDISI', count: 5 }],
        coreCount: [{ property: 'JML_CORE', count: 4 }],
        cableType: [{ property: 'JENIS_KBL', count: 4 }],
        placement: [{ property: 'METODE', count: 4 }],
        nodeKind: [{ property: 'JENIS_TITIK', count: 1 }],
      });
      expect(analysis.unrecognised).toEqual({ status: [], placement: [], statusFeatures: 0, placementFeatures: 0 });
      expect(analysis.mapping).toEqual(mapping);
      const rows = (await get(`/api/imports/${firstId}/report?limit=10`)).rows;
      expect(rows.map((r: { code: string; warnings: string[] }) => [r.code, r.warnings])).toEqual([
        ['KTR-R1', []],
        ['KTR-R2', []],
        ['KTR-R3', []],
        ['KTR-R4', []],
        ['KTR-T1', []],
      ]);
      const [audit] = await server.db.dataSource.query(`SELECT changes FROM audit_log WHERE entity_type = 'import' AND entity_id = $1 AND action = 'reanalyse'`, [firstId]);
      expect(audit.changes.options.after.mapping).toEqual(mapping);

      const saved = await post('/api/import-templates', { name: 'CV Baamang Jaya', mapping });
      expect(saved.status).toBe(201);
      const template = await saved.json();
      expect((await get('/api/import-templates')).templates).toEqual(expect.arrayContaining([{ id: template.id, name: 'CV Baamang Jaya', mapping }]));
      // Saved again under the same name: replaced, and both saves are in the audit trail with what they replaced.
      expect((await post('/api/import-templates', { name: 'CV Baamang Jaya', mapping: { code: ['KD'] } })).status).toBe(201);
      expect((await post('/api/import-templates', { name: 'CV Baamang Jaya', mapping })).status).toBe(201);
      const saves = await server.db.dataSource.query(`SELECT action, changes FROM audit_log WHERE entity_type = 'import_template' AND entity_id = $1 ORDER BY id`, [template.id]);
      expect(saves.map((a: { action: string }) => a.action)).toEqual(['create', 'update', 'update']);
      expect(saves[2].changes.mapping).toEqual({ before: { code: ['KD'] }, after: mapping });

      expect((await fetch(`${server.api.baseUrl}/api/imports/${firstId}/commit`, { method: 'POST', headers: bearer(server.token('planner')) })).status).toBe(202);
      expect((await settled(firstId, ['committed', 'failed'])).state).toBe('committed');
      const segments = await server.db.dataSource.query(
        `SELECT code, status, core_count AS cores, cable_type AS cable, placement FROM segments WHERE code LIKE 'KTR-R%' ORDER BY code`,
      );
      expect(segments).toEqual([
        { code: 'KTR-R1', status: 'installed', cores: 24, cable: 'ADSS', placement: 'aerial' },
        { code: 'KTR-R2', status: 'planned', cores: 48, cable: 'ADSS', placement: 'underground' },
        { code: 'KTR-R3', status: 'installed', cores: 24, cable: 'Duct HDPE', placement: 'aerial' },
        { code: 'KTR-R4', status: 'active', cores: 12, cable: 'ADSS', placement: 'underground' },
      ]);
      const [odp] = await server.db.dataSource.query(`SELECT code, name, kind, status FROM nodes WHERE code = 'KTR-T1'`);
      expect(odp).toEqual({ code: 'KTR-T1', name: 'ODP Baamang', kind: 'odp', status: 'installed' });

      // Applied: it cannot be analysed again.
      const late = await post(`/api/imports/${firstId}/analyse`, { options: { mapping } });
      expect(late.status).toBe(409);
      expect((await late.json()).error.code).toBe('IMPORT_NOT_READY');
    }, 180000);

    it("the contractor's next file with the saved template: mapped the same way without choosing again", async () => {
      const [template] = await server.db.dataSource.query(`SELECT id FROM import_templates WHERE name = 'CV Baamang Jaya'`);
      const next = contractorCsv('KTR-', [
        ['R5', 'Ruas Baamang 5', '96', 'Sdh Terpasang', 'ADSS', 'Gantung', '', line(5)],
        ['R6', 'Ruas Baamang 6', '96', 'Blm Terpasang', 'ADSS', 'Tanam', '', line(6)],
        ['T2', 'ODP Baamang 2', '', 'Blm Terpasang', '', '', 'ODC', '"POINT(112.9403 -2.6080)"'],
      ]);
      const { analysed } = await importFile('kontraktor-baamang-2.csv', next, { source: 'cv-baamang-2', templateId: template.id });
      expect(analysed.summary).toEqual(expect.objectContaining({ create: 3, reject: 0 }));
      expect(analysed.summary.analysis.unrecognised.statusFeatures).toBe(0);
      expect(analysed.summary.analysis.mapping).toEqual(mapping);
      const stored = await server.db.dataSource.query(`SELECT code, status, core_count AS cores, placement FROM segments WHERE code IN ('KTR-R5', 'KTR-R6') ORDER BY code`);
      expect(stored).toEqual([
        { code: 'KTR-R5', status: 'installed', cores: 96, placement: 'aerial' },
        { code: 'KTR-R6', status: 'planned', cores: 96, placement: 'underground' },
      ]);
      const [odc] = await server.db.dataSource.query(`SELECT name, kind, status FROM nodes WHERE code = 'KTR-T2'`);
      expect(odc).toEqual({ name: 'ODP Baamang 2', kind: 'odc', status: 'planned' });
    }, 180000);

    it('refuses a mapping that is not one, and an import that does not exist', async () => {
      const created = await upload('kontraktor-salah.csv', firstFile, { source: 'cv-salah' });
      await settled(created.body.id, ['ready']);
      const bad = await post(`/api/imports/${created.body.id}/analyse`, { options: { mapping: { statusValues: { Selesai: 'finished' } } } });
      expect(bad.status).toBe(400);
      expect((await bad.json()).error.code).toBe('IMPORT_OPTIONS_INVALID');
      expect((await get(`/api/imports/${created.body.id}`)).state).toBe('ready');
      const missing = await post('/api/imports/00000000-0000-4000-8000-000000000000/analyse', { options: {} });
      expect(missing.status).toBe(404);
    }, 60000);
  });

  it('pages the list of imports newest first with a cursor, every import once, also those made in the same instant', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++)
      ids.push((await upload(`halaman-${i}.csv`, Buffer.from(`kode;wkt\nHAL-${i};"LINESTRING(112.95 -2.53, 112.951 -2.531)"\n`), { source: `hal${i}` })).body.id);
    // Three in the same microsecond: only the id tells them apart.
    await server.db.dataSource.query(`UPDATE imports SET created_at = '2026-11-28T03:04:05.123456Z' WHERE id = ANY($1)`, [ids.slice(1, 4)]);
    const [{ n }] = await server.db.dataSource.query(`SELECT count(*)::int AS n FROM imports`);
    const seen: string[] = [];
    let next: string | null = null;
    let pages = 0;
    do {
      const page: { imports: { id: string; createdAt: string }[]; next: string | null } = await get(`/api/imports?limit=2${next ? `&before=${encodeURIComponent(next)}` : ''}`);
      expect(page.imports.length).toBeLessThanOrEqual(2);
      seen.push(...page.imports.map((i) => i.id));
      next = page.next;
      pages += 1;
    } while (next && pages < 100);
    expect(seen.length).toBe(n);
    expect(new Set(seen).size).toBe(n);
    const order = await server.db.dataSource.query(`SELECT id FROM imports ORDER BY created_at DESC, id DESC`);
    expect(seen).toEqual(order.map((r: { id: string }) => r.id));
    const bad = await fetch(`${server.api.baseUrl}/api/imports?before=yesterday`, { headers: bearer(server.token('planner')) });
    expect(bad.status).toBe(400);
  }, 60000);

  it('reports hostile files clearly and writes nothing: a zip bomb, XML entities, an unreadable .prj', async () => {
    const [before] = await server.db.dataSource.query(`SELECT (SELECT count(*) FROM segments)::int AS s, (SELECT count(*) FROM nodes)::int AS n`);
    const placemark = '<Placemark><name>x</name><LineString><coordinates>112.9,-2.5 112.91,-2.51</coordinates></LineString></Placemark>';
    const kml = (body: string) => `<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document>${body}</Document></kml>`;
    const cases: [string, Buffer, string][] = [
      ['bomb.kmz', buildZip([{ name: 'doc.kml', data: kml(`<!-- ${'A'.repeat(20 * 1024 * 1024)} -->${placemark}`), declaredBytes: 1000 }]), 'ZIP_TOO_LARGE'],
      [
        'laughs.kml',
        Buffer.from(
          `<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><kml><Document><name>&b;</name>${placemark}</Document></kml>`,
        ),
        'XML_FORBIDDEN',
      ],
      [
        'xxe.kml',
        Buffer.from(`<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY x SYSTEM "file:///etc/passwd">]><kml><Document><name>&x;</name>${placemark}</Document></kml>`),
        'XML_FORBIDDEN',
      ],
      [
        'gibberish.zip',
        buildZip([
          { name: 'a.shp', data: Buffer.alloc(100) },
          { name: 'a.dbf', data: Buffer.alloc(33) },
          { name: 'a.prj', data: 'PROJCS["Nowhere",GEOGCS["Mars 2000"' },
        ]),
        'PRJ_UNREADABLE',
      ],
    ];
    for (const [name, bytes, code] of cases) {
      const created = await upload(name, bytes);
      expect(created.status).toBe(202);
      const row = await settled(created.body.id, ['ready', 'failed']);
      expect([name, row.state, row.errorCode]).toEqual([name, 'failed', code]);
      expect(row.errorMessage.length).toBeGreaterThan(10);
    }
    const [after] = await server.db.dataSource.query(`SELECT (SELECT count(*) FROM segments)::int AS s, (SELECT count(*) FROM nodes)::int AS n`);
    expect(after).toEqual(before);
  }, 120000);

  it('refuses in the dry run the text the api refuses (a NUL, a lone surrogate, a 100,000-character node name), with its reason, and commits the rest', async () => {
    const point = (id: string, properties: object, x: number) => ({ type: 'Feature', id, properties, geometry: { type: 'Point', coordinates: [x, -2.62] } });
    const file = Buffer.from(
      JSON.stringify({
        type: 'FeatureCollection',
        features: [
          point('tx-nul', { code: 'TX-NUL', name: 'Tiang\u0000A' }, 113.15),
          point('tx-sur', { code: 'TX-SUR', name: 'ODP \udc00' }, 113.151),
          point('tx-long', { code: 'TX-LONG', name: 'x'.repeat(100000) }, 113.152),
          {
            type: 'Feature',
            id: 'tx-cable',
            properties: { code: 'TX-CBL', cable_type: 'ADSS\u0000' },
            geometry: {
              type: 'LineString',
              coordinates: [
                [113.153, -2.62],
                [113.154, -2.621],
              ],
            },
          },
          // Text that is not stored as a field: an id (kept as the external reference), a status word
          // (reported), a column Serat does not read (sampled): shown with U+FFFD, the feature kept.
          point('tx\u0000id', { code: 'TX-ID', name: 'ODP Baik', status: 'rusak\u0000', catatan: 'ada\u0000nul' }, 113.155),
          point('tx-ok', { code: 'TX-OK', name: 'n'.repeat(200) }, 113.156),
        ],
      }),
    );
    const created = await upload('teks.geojson', file, { source: 'teks' });
    expect(created.status).toBe(202);
    const analysed = await settled(created.body.id, ['ready', 'failed']);
    expect([analysed.state, analysed.errorCode]).toEqual(['ready', null]);
    expect(analysed.summary).toEqual(expect.objectContaining({ create: 2, reject: 4 }));
    const rows = (await get(`/api/imports/${created.body.id}/report?limit=100`)).rows as {
      code: string;
      sourceId: string;
      action: string;
      reasons: string[];
      warnings: string[];
    }[];
    expect(rows.map((r) => [r.code, r.action, r.reasons])).toEqual([
      ['TX-NUL', 'reject', ['text_invalid_characters:name']],
      ['TX-SUR', 'reject', ['text_invalid_characters:name']],
      ['TX-LONG', 'reject', ['name_too_long']],
      ['TX-CBL', 'reject', ['text_invalid_characters:cableType']],
      ['TX-ID', 'create', []],
      ['TX-OK', 'create', []],
    ]);
    expect(rows[4]).toEqual(expect.objectContaining({ sourceId: 'tx\uFFFDid', warnings: ['status_unmapped:rusak\uFFFD'] }));
    expect(analysed.summary.analysis.properties).toEqual(expect.arrayContaining([{ name: 'catatan', count: 1, samples: ['ada\uFFFDnul'] }]));

    const commit = await fetch(`${server.api.baseUrl}/api/imports/${created.body.id}/commit`, { method: 'POST', headers: bearer(server.token('planner')) });
    expect(commit.status).toBe(202);
    const committed = await settled(created.body.id, ['committed', 'failed']);
    expect([committed.state, committed.errorCode]).toEqual(['committed', null]);
    const stored = await server.db.dataSource.query(`SELECT code, length(name)::int AS "nameChars", external_ref AS ref FROM nodes WHERE code LIKE 'TX-%' ORDER BY code`);
    expect(stored).toEqual([
      { code: 'TX-ID', nameChars: 8, ref: 'teks:tx\uFFFDid' },
      { code: 'TX-OK', nameChars: 200, ref: 'teks:tx-ok' },
    ]);
    expect((await server.db.dataSource.query(`SELECT count(*)::int AS n FROM segments WHERE code = 'TX-CBL'`))[0].n).toBe(0);

    // The api holds a node name to the same 200 characters.
    const [node] = await server.db.dataSource.query(`SELECT id, version FROM nodes WHERE code = 'TX-OK'`);
    const patch = (name: string) =>
      fetch(`${server.api.baseUrl}/api/nodes/${node.id}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', ...bearer(server.token('planner')) },
        body: JSON.stringify({ name, version: node.version }),
      });
    const tooLong = await patch('n'.repeat(201));
    expect(tooLong.status).toBe(400);
    expect((await tooLong.json()).error.details).toEqual([expect.objectContaining({ field: 'name' })]);
    expect((await patch('m'.repeat(200))).status).toBe(200);
  }, 120000);

  it('cuts off a 200 MB upload with 413 without buffering it', async () => {
    const url = new URL(`${server.api.baseUrl}/api/imports`);
    const boundary = 'serat-test-boundary';
    const status = await new Promise<number>((resolve, reject) => {
      const request = http.request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'POST',
          headers: { ...bearer(server.token('planner')), 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(200 * 1024 * 1024 + 200) },
        },
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
    const [row] = await server.db.dataSource.query(`SELECT count(*)::int AS n FROM imports WHERE file_name = 'huge.geojson'`);
    expect(row.n).toBe(0);
  }, 120000);

  it('applies an import once when two commits of it run at the same time (a job delivered twice)', async () => {
    const geojson = Buffer.from(
      JSON.stringify({
        type: 'FeatureCollection',
        features: [
          {
            type: 'Feature',
            id: 'dua-kali-1',
            properties: { code: 'DUA-KALI-1' },
            geometry: {
              type: 'LineString',
              coordinates: [
                [112.99, -2.58],
                [112.992, -2.581],
              ],
            },
          },
        ],
      }),
    );
    const created = await upload('dua-kali.geojson', geojson, { source: 'dua-kali' });
    await settled(created.body.id, ['ready']);
    const service = server.worker.get(ImportsService);
    const context = { actorId: null, actorLabel: 'test' };
    // As the api leaves it when it queues the job; then that one job runs twice at once.
    await server.db.dataSource.query(`UPDATE imports SET state = 'committing', job_id = 'import.commit:twice' WHERE id = $1`, [created.body.id]);
    const results = await Promise.all([0, 1].map(() => service.commit(created.body.id, 'import.commit:twice', async () => undefined, context)));
    expect(results.filter((r) => r !== null)).toHaveLength(1);
    expect((await get(`/api/imports/${created.body.id}`)).state).toBe('committed');
    const [row] = await server.db.dataSource.query(`SELECT count(*)::int AS n FROM segments WHERE code = 'DUA-KALI-1'`);
    expect(row.n).toBe(1);
  }, 60000);

  it('lets no stale job (delivered late, or superseded by a newer asking) touch an import', async () => {
    const geojson = Buffer.from(
      JSON.stringify({
        type: 'FeatureCollection',
        features: [
          {
            type: 'Feature',
            id: 'basi-1',
            properties: { code: 'BASI-1' },
            geometry: {
              type: 'LineString',
              coordinates: [
                [112.985, -2.575],
                [112.987, -2.576],
              ],
            },
          },
        ],
      }),
    );
    const created = await upload('basi.geojson', geojson, { source: 'basi' });
    const ready = await settled(created.body.id, ['ready']);
    const service = server.worker.get(ImportsService);
    const context = { actorId: null, actorLabel: 'test' };
    // The first dry run's job, delivered once more after the import was analysed: nothing.
    expect(await service.analyse(created.body.id, created.body.jobId, async () => undefined)).toBeNull();
    // A commit job nobody queued for this state (an old one, or one for an earlier analysis): nothing applied.
    expect(await service.commit(created.body.id, 'import.commit:old', async () => undefined, context)).toBeNull();
    await server.db.dataSource.query(`UPDATE imports SET state = 'committing' WHERE id = $1`, [created.body.id]);
    expect(await service.commit(created.body.id, 'import.commit:old', async () => undefined, context)).toBeNull();
    await server.db.dataSource.query(`UPDATE imports SET state = 'ready' WHERE id = $1`, [created.body.id]);
    const after = await get(`/api/imports/${created.body.id}`);
    expect(after).toEqual(expect.objectContaining({ state: 'ready', summary: ready.summary, options: ready.options }));
    expect(await server.db.dataSource.query(`SELECT count(*)::int AS n FROM segments WHERE code = 'BASI-1'`)).toEqual([{ n: 0 }]);
  }, 60000);

  it('commits an import again whose commit job was lost, and refuses while one is alive', async () => {
    const geojson = Buffer.from(
      JSON.stringify({
        type: 'FeatureCollection',
        features: [
          {
            type: 'Feature',
            id: 'hilang-1',
            properties: { code: 'HILANG-1' },
            geometry: {
              type: 'LineString',
              coordinates: [
                [112.995, -2.585],
                [112.997, -2.586],
              ],
            },
          },
        ],
      }),
    );
    const created = await upload('hilang.geojson', geojson, { source: 'hilang' });
    await settled(created.body.id, ['ready']);
    // Marked as committing, but its job never reached a worker (Redis lost it).
    await server.db.dataSource.query(`UPDATE imports SET state = 'committing', version = version + 1 WHERE id = $1`, [created.body.id]);
    const commit = () => fetch(`${server.api.baseUrl}/api/imports/${created.body.id}/commit`, { method: 'POST', headers: bearer(server.token('planner')) });
    // The worker holds back for a moment: the job queued now is alive, so asking again is refused.
    const queue = server.worker.get<Queue>(getQueueToken(importsQueue.name));
    await queue.pause(true);
    try {
      expect((await commit()).status).toBe(202);
      const again = await commit();
      expect(again.status).toBe(409);
      expect((await again.json()).error.code).toBe('IMPORT_NOT_READY');
    } finally {
      await queue.resume(true);
    }
    await settled(created.body.id, ['committed']);
    const [row] = await server.db.dataSource.query(`SELECT count(*)::int AS n FROM segments WHERE code = 'HILANG-1'`);
    expect(row.n).toBe(1);
  }, 60000);

  it('commits only an analysed import, and only once', async () => {
    const created = await upload('GHA_lines.geojson', real('watra-west-africa/GHA_lines.geojson'), { regionCheck: true, source: 'ghana-twice' });
    await settled(created.body.id, ['ready']);
    const commit = () => fetch(`${server.api.baseUrl}/api/imports/${created.body.id}/commit`, { method: 'POST', headers: bearer(server.token('planner')) });
    expect((await commit()).status).toBe(202);
    // Under way at once, even before a worker took the job: a planner's page never sees "ready" again.
    expect(['committing', 'committed']).toContain((await get(`/api/imports/${created.body.id}`)).state);
    await settled(created.body.id, ['committed']);
    const again = await commit();
    expect(again.status).toBe(409);
    expect((await again.json()).error.code).toBe('IMPORT_NOT_READY');
  }, 60000);

  describe('identities, matching and what a re-import keeps', () => {
    const post = (p: string, body: unknown) =>
      fetch(`${server.api.baseUrl}${p}`, { method: 'POST', headers: { 'content-type': 'application/json', ...bearer(server.token('planner')) }, body: JSON.stringify(body) });
    const lines = (features: [id: string, properties: object, x: number][]) =>
      Buffer.from(
        JSON.stringify({
          type: 'FeatureCollection',
          features: features.map(([id, properties, x]) => ({
            type: 'Feature',
            id,
            properties,
            geometry: {
              type: 'LineString',
              coordinates: [
                [x, -2.56],
                [x + 0.001, -2.561],
              ],
            },
          })),
        }),
      );
    const reportRows = async (id: string) => (await get(`/api/imports/${id}/report?limit=100`)).rows as { code: string; action: string; reasons: string[]; warnings: string[] }[];

    it('made-up codes keep what tells features apart: a long source and folder, long ids, repeated shapes', async () => {
      const placemark = (id: string | null, x: number) =>
        `<Placemark${id ? ` id="${id}"` : ''}><name>kabel</name><LineString><coordinates>${x},-2.55 ${x + 0.001},-2.551</coordinates></LineString></Placemark>`;
      const kml = Buffer.from(
        `<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document><Folder><name>Kabel Feeder Kecamatan Baamang Tahap 1</name>${[
          placemark('kabel-001', 113.05),
          placemark('kabel-002', 113.053),
          placemark(`${'a'.repeat(45)}1`, 113.056),
          placemark(`${'a'.repeat(45)}2`, 113.059),
          placemark(null, 113.062),
          placemark(null, 113.062),
        ].join('')}</Folder></Document></kml>`,
      );
      const source = 'kontraktor-kotim-tahap-satu-'.padEnd(40, 'x');
      const { analysed, id } = await importFile('panjang.kml', kml, { source });
      expect(analysed.summary).toEqual(expect.objectContaining({ create: 6, reject: 0 }));
      const codes = (await reportRows(id)).map((r) => r.code);
      expect(new Set(codes).size).toBe(6);
      for (const code of codes) expect(code.length).toBeLessThanOrEqual(60);
      expect(codes[0]).toMatch(/-kabel-001$/);
      expect(codes[1]).toMatch(/-kabel-002$/);
      // Two identical routes without ids: the same shape's hash, the second with "-2".
      const shape = /-([0-9a-f]{10})$/.exec(codes[4])![1];
      expect(codes[5]).toMatch(new RegExp(`-${shape}-2$`));
      // The same file again: every feature finds its own row.
      const again = await importFile('panjang.kml', kml, { source });
      expect(again.analysed.summary).toEqual(expect.objectContaining({ create: 0, update: 0, unchanged: 6, reject: 0 }));
    }, 120000);

    it('one row is matched by one feature: by reference first, then by code among the rows left; a code another row keeps is refused; codes may be swapped', async () => {
      await importFile(
        'sw.geojson',
        lines([
          ['a', { code: 'SW-1' }, 113.07],
          ['b', { code: 'SW-2' }, 113.073],
        ]),
        { source: 'sw' },
      );
      const rows = async () =>
        server.db.dataSource.query(`SELECT code, external_ref AS ref, ST_X(ST_StartPoint(geom)) AS x FROM segments WHERE external_ref LIKE 'sw:%' ORDER BY external_ref`);
      expect((await rows()).map((r: { code: string }) => r.code)).toEqual(['SW-1', 'SW-2']);

      // "z" carries the code of the row of "a", and "a" renames it: "z" would have swallowed it.
      const second = await importFile(
        'sw.geojson',
        lines([
          ['z', { code: 'SW-1' }, 113.076],
          ['a', { code: 'SW-3' }, 113.07],
        ]),
        { source: 'sw' },
      );
      expect(second.analysed.summary).toEqual(expect.objectContaining({ update: 1, create: 0, reject: 1 }));
      const report = await reportRows(second.id);
      expect(report.map((r) => [r.code, r.action, r.reasons])).toEqual([
        ['SW-1', 'reject', ['matches_row_of_another_feature']],
        ['SW-3', 'update', []],
      ]);
      expect(await rows()).toEqual([
        { code: 'SW-3', ref: 'sw:a', x: 113.07 },
        { code: 'SW-2', ref: 'sw:b', x: 113.073 },
      ]);

      // "a" takes the code "b" keeps: refused on its row, and the commit still applies the rest.
      const third = await importFile('sw.geojson', lines([['a', { code: 'SW-2' }, 113.07]]), { source: 'sw' });
      expect(third.analysed.summary).toEqual(expect.objectContaining({ update: 0, reject: 1 }));
      expect((await reportRows(third.id))[0]).toEqual(expect.objectContaining({ action: 'reject', reasons: ['code_in_use'] }));

      // Both renamed in one file, each to the other's code: allowed.
      const swap = await importFile(
        'sw.geojson',
        lines([
          ['a', { code: 'SW-2' }, 113.07],
          ['b', { code: 'SW-3' }, 113.073],
        ]),
        { source: 'sw' },
      );
      expect(swap.analysed.summary).toEqual(expect.objectContaining({ update: 2, reject: 0 }));
      expect(await rows()).toEqual([
        { code: 'SW-2', ref: 'sw:a', x: 113.07 },
        { code: 'SW-3', ref: 'sw:b', x: 113.073 },
      ]);
    }, 180000);

    it('a re-import without a column keeps the stored value: kind, name, status, tier, cores, cable, placement', async () => {
      const file = (withColumns: boolean, shift: number) =>
        Buffer.from(
          JSON.stringify({
            type: 'FeatureCollection',
            features: [
              {
                type: 'Feature',
                id: 'noc',
                properties: withColumns ? { code: 'KP-NOC', name: 'NOC Sampit', kind: 'NOC', status: 'active' } : { code: 'KP-NOC' },
                geometry: { type: 'Point', coordinates: [113.1 + shift, -2.58] },
              },
              {
                type: 'Feature',
                id: 's1',
                properties: withColumns ? { code: 'KP-S1', status: 'installed', tier: 'backbone', cores: 48, cable_type: 'ADSS', placement: 'underground' } : { code: 'KP-S1' },
                geometry: {
                  type: 'LineString',
                  coordinates: [
                    [113.11, -2.58],
                    [113.1105 + shift, -2.5805],
                    [113.111, -2.581],
                  ],
                },
              },
            ],
          }),
        );
      await importFile('kp.geojson', file(true, 0), { source: 'kp' });
      const stored = async () => ({
        node: (await server.db.dataSource.query(`SELECT name, kind, status FROM nodes WHERE code = 'KP-NOC'`))[0],
        segment: (await server.db.dataSource.query(`SELECT status, tier, core_count AS cores, cable_type AS cable, placement FROM segments WHERE code = 'KP-S1'`))[0],
      });
      const before = await stored();
      expect(before).toEqual({
        node: { name: 'NOC Sampit', kind: 'noc', status: 'active' },
        segment: { status: 'installed', tier: 'backbone', cores: 48, cable: 'ADSS', placement: 'underground' },
      });
      // Only codes and corrected positions: both rows move, nothing else changes, and no status is said to go back.
      const moved = await importFile('kp.geojson', file(false, 0.0001), { source: 'kp' });
      expect(moved.analysed.summary).toEqual(expect.objectContaining({ update: 2, reject: 0 }));
      expect(await stored()).toEqual(before);
      for (const row of await reportRows(moved.id)) expect(row.warnings).toEqual([]);
      // The same again: nothing to write.
      const same = await importFile('kp.geojson', file(false, 0.0001), { source: 'kp' });
      expect(same.analysed.summary).toEqual(expect.objectContaining({ update: 0, unchanged: 2 }));
      // A tier the file changes is written.
      const tiered = Buffer.from(file(false, 0.0001).toString().replace('{"code":"KP-S1"}', '{"code":"KP-S1","tier":"distribution"}'));
      const retiered = await importFile('kp.geojson', tiered, { source: 'kp' });
      expect(retiered.analysed.summary).toEqual(expect.objectContaining({ update: 1, unchanged: 1 }));
      expect((await stored()).segment.tier).toBe('distribution');
    }, 180000);

    it('a node moved by an import takes the cable end along without undoing an edit of the cable committed meanwhile', async () => {
      await importFile(
        'fn.geojson',
        Buffer.from(
          JSON.stringify({
            type: 'FeatureCollection',
            features: [
              {
                type: 'Feature',
                id: 'fn',
                properties: { code: 'FN-S1' },
                geometry: {
                  type: 'LineString',
                  coordinates: [
                    [113.12, -2.59],
                    [113.1205, -2.5905],
                    [113.121, -2.591],
                  ],
                },
              },
            ],
          }),
        ),
        { source: 'fn' },
      );
      const [segment] = await server.db.dataSource.query(`SELECT id, from_node_id AS "nodeId" FROM segments WHERE code = 'FN-S1'`);
      const editor = server.db.dataSource.createQueryRunner();
      const importer = server.db.dataSource.createQueryRunner();
      try {
        await editor.startTransaction();
        await editor.query(`UPDATE segments SET geom = ST_SetPoint(geom, 1, ST_SetSRID(ST_MakePoint(113.1206, -2.5902), 4326)), version = version + 1 WHERE id = $1`, [segment.id]);
        await importer.startTransaction();
        await importer.query(`UPDATE nodes SET location = ST_SetSRID(ST_MakePoint(113.1201, -2.5901), 4326) WHERE id = $1`, [segment.nodeId]);
        const following = new SegmentsRepository(server.db.dataSource).followNodes([segment.nodeId], importer.manager);
        await waitFor(
          async () =>
            (await server.db.dataSource.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%ST_NPoints%'`))[0].n > 0
              ? true
              : undefined,
          10000,
          'the import to wait for the edit',
        );
        await editor.commitTransaction();
        expect(await following).toEqual([segment.id]);
        await importer.commitTransaction();
      } finally {
        if (editor.isTransactionActive) await editor.rollbackTransaction();
        if (importer.isTransactionActive) await importer.rollbackTransaction();
        await editor.release();
        await importer.release();
      }
      const [after] = await server.db.dataSource.query(`SELECT ST_AsText(geom) AS wkt FROM segments WHERE id = $1`, [segment.id]);
      expect(after.wkt).toBe('LINESTRING(113.1201 -2.5901,113.1206 -2.5902,113.121 -2.591)');
    }, 60000);

    it('the commit applies the mapping the dry run analysed, even when the template is saved again in between', async () => {
      const template = await (await post('/api/import-templates', { name: 'tpl-antara', mapping: { code: ['kode_a'] } })).json();
      const csv = Buffer.from('kode_a;kode_b;wkt\nTA-A1;TA-B1;"LINESTRING(113.13 -2.6, 113.131 -2.6005)"\n');
      const created = await upload('antara.csv', csv, { source: 'antara', templateId: template.id });
      const analysed = await settled(created.body.id, ['ready', 'failed']);
      expect((await reportRows(created.body.id))[0].code).toBe('TA-A1');
      expect(analysed.summary.analysis.mapping.code).toEqual(['kode_a']);
      expect((await post('/api/import-templates', { name: 'tpl-antara', mapping: { code: ['kode_b'] } })).status).toBe(201);
      expect((await post(`/api/imports/${created.body.id}/commit`, {})).status).toBe(202);
      expect((await settled(created.body.id, ['committed', 'failed'])).state).toBe('committed');
      const codes = await server.db.dataSource.query(`SELECT code FROM segments WHERE code IN ('TA-A1', 'TA-B1')`);
      expect(codes).toEqual([{ code: 'TA-A1' }]);
    }, 60000);

    it("a commit whose audit entry cannot be written applies nothing, and says so without the database's words", async () => {
      const created = await upload('audit.geojson', lines([['au', { code: 'AU-1' }, 113.14]]), { source: 'audit' });
      await settled(created.body.id, ['ready']);
      const audit = server.worker.get(AuditRepository);
      const append = audit.append.bind(audit);
      const spy = jest.spyOn(audit, 'append').mockImplementation(async (entry, context, manager?: EntityManager) => {
        if (entry.action === 'commit') await (manager ?? server.db.dataSource.manager).query('SELECT 1 FROM no_such_table');
        return append(entry, context, manager);
      });
      try {
        await server.db.dataSource.query(`UPDATE imports SET state = 'committing', job_id = 'import.commit:audit' WHERE id = $1`, [created.body.id]);
        await expect(
          server.worker.get(ImportsService).commit(created.body.id, 'import.commit:audit', async () => undefined, { actorId: null, actorLabel: 'test' }),
        ).rejects.toThrow(/no_such_table/);
      } finally {
        spy.mockRestore();
      }
      const row = await get(`/api/imports/${created.body.id}`);
      expect(row).toEqual(expect.objectContaining({ state: 'failed', errorCode: 'INTERNAL', errorMessage: IMPORT_FAILED_MESSAGE }));
      const [segments] = await server.db.dataSource.query(`SELECT count(*)::int AS n FROM segments WHERE code = 'AU-1'`);
      expect(segments.n).toBe(0);
    }, 60000);
    it('a failed commit is tried again on asking: the same import, once, whatever the clicks; refused with a reason unless failed', async () => {
      const created = await upload('ulang.geojson', lines([['ul', { code: 'UL-1' }, 113.15]]), { source: 'ulang' });
      await settled(created.body.id, ['ready']);
      const retry = (language = 'id') =>
        fetch(`${server.api.baseUrl}/api/imports/${created.body.id}/retry`, { method: 'POST', headers: { ...bearer(server.token('planner')), 'accept-language': language } });
      const notFailed = await retry('en');
      expect(notFailed.status).toBe(409);
      expect((await notFailed.json()).error).toEqual(
        expect.objectContaining({ code: 'IMPORT_NOT_FAILED', message: 'Only a failed import can be tried again; this one is running, ready, or applied already.' }),
      );
      // The first commit's audit entry cannot be written (as above): the commit rolls back and fails.
      const audit = server.worker.get(AuditRepository);
      const append = audit.append.bind(audit);
      let broken = true;
      const spy = jest.spyOn(audit, 'append').mockImplementation(async (entry, context, manager?: EntityManager) => {
        if (entry.action === 'commit' && broken) {
          broken = false;
          await (manager ?? server.db.dataSource.manager).query('SELECT 1 FROM no_such_table');
        }
        return append(entry, context, manager);
      });
      const count = async () => (await server.db.dataSource.query(`SELECT count(*)::int AS n FROM segments WHERE code = 'UL-1'`))[0].n;
      try {
        expect((await post(`/api/imports/${created.body.id}/commit`, {})).status).toBe(202);
        const failed = await settled(created.body.id, ['failed', 'committed']);
        expect(failed).toEqual(expect.objectContaining({ state: 'failed', errorCode: 'INTERNAL', errorMessage: IMPORT_FAILED_MESSAGE }));
        expect(failed.summary.create).toBe(1);
        expect(await count()).toBe(0);
        // Two clicks on the same failure while the worker holds back: one job, the second refused.
        const queue = server.worker.get<Queue>(getQueueToken(importsQueue.name));
        await queue.pause(true);
        try {
          const [first, second] = await Promise.all([retry(), retry()]);
          expect([first.status, second.status].sort()).toEqual([202, 409]);
          const refused = await (first.status === 409 ? first : second).json();
          expect(refused.error).toEqual(expect.objectContaining({ code: 'IMPORT_NOT_FAILED', message: expect.stringMatching(/^Hanya impor yang gagal/) }));
          const accepted = await (first.status === 202 ? first : second).json();
          expect(accepted).toEqual(expect.objectContaining({ id: created.body.id, state: 'committing', errorCode: null }));
          const jobs = (await queue.getJobs(['waiting', 'paused', 'active', 'delayed'])).filter((job) => job?.data?.importId === created.body.id);
          expect(jobs.map((job) => job.name)).toEqual(['import.commit']);
        } finally {
          await queue.resume(true);
        }
        const committed = await settled(created.body.id, ['committed', 'failed']);
        expect(committed).toEqual(expect.objectContaining({ state: 'committed', errorCode: null, errorMessage: null }));
      } finally {
        spy.mockRestore();
      }
      expect(await count()).toBe(1);
      expect((await retry()).status).toBe(409);
      expect(await count()).toBe(1);
    }, 60000);

    it('a failed dry run is tried again as a dry run, with the options it had', async () => {
      const created = await upload('ulang-analisis.geojson', lines([['ua', { code: 'UA-1' }, 113.16]]), { source: 'ulang-analisis', defaultStatus: 'active' });
      await settled(created.body.id, ['ready']);
      // As a dry run that failed leaves it: no summary, an error.
      await server.db.dataSource.query(`UPDATE imports SET state = 'failed', summary = NULL, report = NULL, error_code = 'INTERNAL', version = version + 1 WHERE id = $1`, [
        created.body.id,
      ]);
      const answer = await fetch(`${server.api.baseUrl}/api/imports/${created.body.id}/retry`, { method: 'POST', headers: bearer(server.token('planner')) });
      expect(answer.status).toBe(202);
      expect((await answer.json()).state).toBe('queued');
      const ready = await settled(created.body.id, ['ready', 'failed']);
      expect(ready).toEqual(expect.objectContaining({ state: 'ready', errorCode: null, options: expect.objectContaining({ source: 'ulang-analisis', defaultStatus: 'active' }) }));
      expect(ready.summary.create).toBe(1);
      const [segments] = await server.db.dataSource.query(`SELECT count(*)::int AS n FROM segments WHERE code = 'UA-1'`);
      expect(segments.n).toBe(0);
    }, 60000);
  });
});
