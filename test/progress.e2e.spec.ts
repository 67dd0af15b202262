import { parse as parseCsv } from 'csv-parse/sync';
import { bearer } from './support/auth';
import { useTestServer } from './support/server';

/**
 * Rollout progress (issue 12) through the api on the seeded Kotim network: metres per kecamatan
 * of a segment that crosses them, sites passed, exact figures under many changes at once, the
 * savings arithmetic, and the history worked out of a constructed status history.
 */
describe('rollout progress', () => {
  const server = useTestServer({ seeded: true, roles: ['planner', 'viewer'] });
  const sql = <T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> => server.db.dataSource.query(text, params);
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${server.api.baseUrl}${path}`, {
      method,
      headers: { ...bearer(server.token('planner')), ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  };
  type Area = { code: string; segments: { status: string; lengthM: number }[]; lengthActiveM: number; lengthInScopeM: number; sitesConnected: number; sitesPassed: number };
  const byCode = (areas: Area[]) => new Map(areas.map((area) => [area.code, area]));

  let phase: { id: string };
  let crossing: { id: string; code: string; version: number };

  beforeAll(async () => {
    phase = (await call('POST', '/api/phases', { code: 'TAHAP-UJI-KM', name: 'Tahap uji km', budgetYear: 2027, targetDate: '2027-12-31' })).body;
    const created = await call('POST', '/api/segments', {
      code: 'BB-UJI-LINTAS',
      geometry: {
        type: 'LineString',
        coordinates: [
          [112.99, -2.5],
          [112.95, -2.51],
          [112.9, -2.56],
        ],
      },
      status: 'planned',
    });
    expect(created.status).toBe(201);
    const phased = await call('PATCH', `/api/segments/${created.body.segment.id}`, {
      version: created.body.segment.version,
      phaseId: phase.id,
      phaseReason: 'Ruas uji lintas kecamatan',
    });
    expect([phased.status, phased.body.error]).toEqual([200, undefined]);
    crossing = phased.body;
  });

  it('counts a segment that crosses kecamatan in each by the metres inside it, and in the kabupaten once', async () => {
    // Measured here on its own: the route cut by each kecamatan's whole boundary (on the sphere, as Serat measures a piece).
    const expected = await sql<{ code: string; m: number }>(
      `SELECT a.code, ST_Length(ST_Intersection(s.geom, a.geom)::geography, false)::float8 AS m
         FROM segments s JOIN admin_areas a ON a.level = 'kecamatan' AND ST_Intersects(s.geom, a.geom)
        WHERE s.id = $1 ORDER BY a.code`,
      [crossing.id],
    );
    expect(expected.length).toBeGreaterThanOrEqual(2);
    const page = await call('GET', `/api/progress?level=kecamatan&phase=${phase.id}`);
    expect(page.status).toBe(200);
    expect(page.body.areas).toHaveLength(17);
    const areas = byCode(page.body.areas);
    for (const { code, m } of expected) {
      const area = areas.get(code)!;
      expect(area.segments).toEqual([{ status: 'planned', count: 1, lengthM: expect.any(Number) }]);
      // The areas' metres come from the simplified boundary parts: within a thousandth.
      expect(Math.abs(area.lengthInScopeM - m)).toBeLessThan(m / 1000 + 0.5);
      expect(area.lengthActiveM).toBe(0);
    }
    const [total] = await sql<{ m: number }>(`SELECT length_m::float8 AS m FROM segments WHERE id = $1`, [crossing.id]);
    const kabupaten = (await call('GET', `/api/progress?level=kabupaten&phase=${phase.id}`)).body.areas[0];
    expect(kabupaten.segments).toEqual([{ status: 'planned', count: 1, lengthM: expect.any(Number) }]);
    expect(Math.abs(kabupaten.lengthInScopeM - total.m)).toBeLessThan(0.5);
    expect(kabupaten.percentByLength).toBe(0);
  });

  it('counts a site near an active segment but not joined as passed, and one farther off not', async () => {
    // An active cable of its own in an empty corner, running east-west.
    const [lon, lat] = [112.62, -2.31];
    const lit = await call('POST', '/api/segments', {
      code: 'DS-UJI-AKTIF',
      status: 'active',
      geometry: {
        type: 'LineString',
        coordinates: [
          [lon - 0.005, lat],
          [lon + 0.005, lat],
        ],
      },
    });
    expect(lit.status).toBe(201);
    const site = async (code: string, metres: number) =>
      call('POST', '/api/sites', { code, name: `Puskesmas uji ${code}`, kind: 'puskesmas', geometry: { type: 'Point', coordinates: [lon, lat + metres / 110574] } });
    const before = (await call('GET', '/api/progress?level=region')).body.areas[0];
    const near = await site('PKM-UJI-DEKAT', 100);
    const far = await site('PKM-UJI-JAUH', 400);
    expect([near.status, far.status]).toEqual([201, 201]);
    const after = (await call('GET', '/api/progress?level=region')).body.areas[0];
    expect(after.sitesPassed).toBe(before.sitesPassed + 1);
    expect(after.sitesInScope).toBe(before.sitesInScope + 2);
    const [desa] = await sql<{ code: string; parent: string }>(`SELECT desa_code AS code, kecamatan_code AS parent FROM sites WHERE code = 'PKM-UJI-DEKAT'`);
    const inDesa = (await call('GET', `/api/progress?level=desa&parent=${desa.parent}&limit=500`)).body.areas.find((a: Area) => a.code === desa.code);
    expect(inDesa.sites.find((s: { kind: string }) => s.kind === 'puskesmas')).toMatchObject({ passed: 1 });

    // Kept as the network changes: the far site moved near, then the cable cut (no longer active), then repaired and moved away.
    const [farRow] = await sql<{ id: string; version: number }>(`SELECT id, version FROM sites WHERE code = 'PKM-UJI-JAUH'`);
    const moved = await call('PATCH', `/api/sites/${farRow.id}`, { version: farRow.version, geometry: { type: 'Point', coordinates: [lon + 0.002, lat - 150 / 110574] } });
    expect([moved.status, moved.body.error]).toEqual([200, undefined]);
    const passed = async () => (await call('GET', '/api/progress?level=region')).body.areas[0].sitesPassed;
    expect(await passed()).toBe(before.sitesPassed + 2);
    const segment = lit.body.segment ?? lit.body;
    const cut = await call('POST', `/api/segments/${segment.id}/status`, { status: 'damaged', version: segment.version, note: 'Kabel putus tergali' });
    expect([cut.status, cut.body.error]).toEqual([201, undefined]);
    expect(await passed()).toBe(before.sitesPassed);
    const current = (await call('GET', `/api/segments/${segment.id}`)).body;
    expect((await call('POST', `/api/segments/${segment.id}/status`, { status: 'active', version: current.version, note: 'Disambung ulang' })).status).toBe(201);
    expect(await passed()).toBe(before.sitesPassed + 2);
    const again = (await call('GET', `/api/segments/${segment.id}`)).body;
    const shifted = await call('PATCH', `/api/segments/${segment.id}`, {
      version: again.version,
      geometry: {
        type: 'LineString',
        coordinates: [
          [lon - 0.005, lat + 0.01],
          [lon + 0.005, lat + 0.01],
        ],
      },
    });
    expect([shifted.status, shifted.body.error]).toEqual([200, undefined]);
    expect(await passed()).toBe(before.sitesPassed);

    // Kept for another distance than the configuration's (SERAT_PASSED_DISTANCE_M changed): worked out again at the next read.
    await sql(`UPDATE progress_settings SET passed_distance_m = 5000`);
    await sql(`INSERT INTO site_passed (site_id, kind) SELECT id, kind FROM sites ON CONFLICT DO NOTHING`);
    expect(await passed()).toBe(before.sitesPassed);
    expect(await sql(`SELECT passed_distance_m AS d FROM progress_settings`)).toEqual([{ d: 200 }]);
  });

  it('stays exact under many status changes at once', async () => {
    // Tested cables lit (more km active, more sites connected) and planned ones surveyed, all at once.
    const lit = await sql<{ id: string; version: number }>(`SELECT id, version FROM segments WHERE status = 'tested' ORDER BY code`);
    const surveyed = await sql<{ id: string; version: number }>(`SELECT id, version FROM segments WHERE status = 'planned' ORDER BY code LIMIT 15`);
    expect(lit.length + surveyed.length).toBeGreaterThan(10);
    const moved = await Promise.all([
      ...lit.map((s) => call('POST', `/api/segments/${s.id}/status`, { status: 'active', version: s.version })),
      ...surveyed.map((s) => call('POST', `/api/segments/${s.id}/status`, { status: 'surveyed', version: s.version })),
    ]);
    expect(moved.map((m) => m.status)).toEqual([...lit, ...surveyed].map(() => 201));
    // The api first (its read brings "connected" up to date), then the tables.
    const areas = byCode((await call('GET', '/api/progress?level=kecamatan')).body.areas);
    const raw = await sql<{ code: string; active: number; surveyed: number; connected: number }>(
      `SELECT a.code,
              coalesce((SELECT sum(sa.length_m) FROM segment_areas sa JOIN segments s ON s.id = sa.segment_id
                         WHERE sa.area_code = a.code AND s.status = 'active'), 0)::float8 AS active,
              coalesce((SELECT sum(sa.length_m) FROM segment_areas sa JOIN segments s ON s.id = sa.segment_id
                         WHERE sa.area_code = a.code AND s.status = 'surveyed'), 0)::float8 AS surveyed,
              (SELECT count(*)::int FROM sites t JOIN connected_nodes c ON c.node_id = t.termination_node_id WHERE t.kecamatan_code = a.code) AS connected
         FROM admin_areas a WHERE a.level = 'kecamatan' ORDER BY a.code`,
    );
    for (const row of raw) {
      const area = areas.get(row.code)!;
      expect(Math.abs(area.lengthActiveM - row.active)).toBeLessThan(0.01);
      expect(Math.abs((area.segments.find((s) => s.status === 'surveyed')?.lengthM ?? 0) - row.surveyed)).toBeLessThan(0.01);
      expect(area.sitesConnected).toBe(row.connected);
    }
  });

  it('reproduces what the 36 SOPD pay for internet, Rp 3,024,000,000 a year, and what fiber saves of it', async () => {
    const region = (await call('GET', '/api/savings?level=region&kind=sopd')).body;
    expect(region.fiberCostShare).toBe(0.5);
    const sopd = region.areas[0];
    expect(sopd).toMatchObject({ sitesInScope: 36, ispBillPerMonthIdr: 252_000_000, ispBillPerYearIdr: 3_024_000_000, potentialSavingPerYearIdr: 1_512_000_000 });
    expect(sopd.sitesConnected).toBeGreaterThan(0);
    expect(sopd.savingPerMonthIdr).toBe(sopd.sitesConnected * 3_500_000);
    expect(sopd.fiberCostPerMonthIdr).toBe(sopd.sitesConnected * 3_500_000);
    expect(sopd.savingPerYearIdr).toBe(sopd.savingPerMonthIdr * 12);
    const sites = (await call('GET', '/api/savings/sites?kind=sopd&limit=100')).body.sites as { connected: boolean; wentLiveAt: string | null; savedToDateIdr: number }[];
    expect(sites).toHaveLength(36);
    expect(sites.filter((s) => s.connected)).toHaveLength(sopd.sitesConnected);
    expect(sites.every((s) => s.connected === (s.wentLiveAt !== null))).toBe(true);
    // Per kecamatan the same sums, area by area.
    const perKecamatan = (await call('GET', '/api/savings?level=kecamatan&kind=sopd')).body.areas as { ispBillPerYearIdr: number }[];
    expect(perKecamatan.reduce((sum, area) => sum + area.ispBillPerYearIdr, 0)).toBe(3_024_000_000);
  });

  it('works the past out of the status history the first time, and keeps only the days that changed', async () => {
    // The crossing segment was planned in March 2020 and lit in June 2020 (as an import of old records would say).
    await sql(
      `INSERT INTO status_changes (segment_id, from_status, to_status, changed_at, changed_by) VALUES
         ($1, NULL, 'planned', '2020-03-01T02:00:00Z', 'uji'), ($1, 'planned', 'active', '2020-06-01T02:00:00Z', 'uji')`,
      [crossing.id],
    );
    const [kecamatan] = await sql<{ code: string }>(
      `SELECT a.code FROM segments s JOIN admin_areas a ON a.level = 'kecamatan' AND ST_Intersects(s.geom, a.geom) WHERE s.id = $1 ORDER BY a.code LIMIT 1`,
      [crossing.id],
    );
    const first = await call('POST', '/api/progress/snapshots', {});
    expect(first.status).toBe(200);
    expect(first.body.backfill).toMatchObject({ days: expect.any(Number) });
    expect(first.body.backfill.days).toBeGreaterThanOrEqual(2);
    expect((await call('POST', '/api/progress/snapshots', {})).body.backfill).toBeNull();

    const history = await call('GET', `/api/progress/history?area=${kecamatan.code}&phase=${phase.id}`);
    expect(history.status).toBe(200);
    const points = history.body.points as { day: string; source: string; lengthActiveM: number; lengthInScopeM: number }[];
    expect(points.slice(0, 2).map((p) => [p.day, p.source])).toEqual([
      ['2020-03-01', 'backfill'],
      ['2020-06-01', 'backfill'],
    ]);
    expect(points[0].lengthActiveM).toBe(0);
    expect(points[1].lengthActiveM).toBeCloseTo(points[1].lengthInScopeM, 3);
    expect(points[1].lengthActiveM).toBeGreaterThan(0);
    // Now, as the last point: the segment is planned again (its newest status).
    expect(points[points.length - 1]).toMatchObject({ source: 'live', lengthActiveM: 0 });
    // From a day in between: the day standing then comes first.
    const from = (await call('GET', `/api/progress/history?area=${kecamatan.code}&phase=${phase.id}&from=2020-04-01&to=2020-12-31`)).body.points;
    expect(from.map((p: { day: string }) => p.day)).toEqual(['2020-03-01', '2020-06-01']);
  });

  it("keeps no history for a desa, and says so in the reader's language", async () => {
    const [desa] = await sql<{ code: string }>(`SELECT code FROM admin_areas WHERE level = 'desa' ORDER BY code LIMIT 1`);
    const refused = await call('GET', `/api/progress/history?area=${desa.code}`);
    expect(refused.status).toBe(400);
    const refusedId = await call('GET', '/api/progress/history?area=62.02.99');
    expect(refusedId.status).toBe(422);
    expect(refusedId.body.error.message).toContain('Riwayat kemajuan disimpan untuk kabupaten dan kecamatan');
    const refusedEn = await call('GET', '/api/progress/history?area=62.02.99', undefined, { 'accept-language': 'en' });
    expect(refusedEn.body.error.message).toContain('Progress history is kept for the kabupaten and each kecamatan');
  });

  it('gives the same figures as CSV, one row per area', async () => {
    const get = async (path: string) => {
      const response = await fetch(`${server.api.baseUrl}${path}`, { headers: bearer(server.token('viewer')) });
      const bytes = Buffer.from(await response.arrayBuffer());
      return { status: response.status, type: response.headers.get('content-type'), bytes, text: bytes.toString('utf8') };
    };
    const savings = await get('/api/reports/savings.csv?level=region&kind=sopd');
    expect([savings.status, savings.type]).toEqual([200, 'text/csv; charset=utf-8']);
    const [region] = parseCsv(savings.text, { columns: true, bom: true }) as Record<string, string>[];
    expect(region).toMatchObject({ level: 'region', kind: 'sopd', sites_in_scope: '36', isp_bill_per_year_idr: '3024000000', fiber_cost_share: '0.5' });

    const progress = await get('/api/reports/progress.csv?level=kecamatan');
    // With a BOM, so that a spreadsheet reads the names as UTF-8.
    expect([...progress.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parseCsv(progress.text, { columns: true, bom: true }) as Record<string, string>[];
    const api = (await call('GET', '/api/progress?level=kecamatan')).body.areas as { code: string; sitesConnected: number; lengthActiveM: number }[];
    expect(rows.map((row) => [row.code, Number(row.sites_connected), Number(row.length_active_m)])).toEqual(api.map((a) => [a.code, a.sitesConnected, a.lengthActiveM]));
    expect(Object.keys(rows[0])).toEqual(expect.arrayContaining(['sopd_in_scope', 'kantor_kecamatan_connected', 'active_m', 'planned_m']));
  });

  it('names who put a site into a phase by creating it there, and who took one out by deleting it', async () => {
    const created = await call('POST', '/api/sites', {
      code: 'SOPD-UJI-TAHAP',
      name: 'Dinas uji',
      kind: 'sopd',
      phaseId: phase.id,
      geometry: { type: 'Point', coordinates: [112.95, -2.54] },
    });
    expect(created.status).toBe(201);
    const deleted = await call('DELETE', `/api/sites/${created.body.id}?version=${created.body.version}`);
    expect(deleted.status).toBe(204);
    const history = (await call('GET', `/api/phases/${phase.id}/scope-changes`)).body.changes as { itemCode: string; action: string; changedBy: string }[];
    const planner = server.user('planner');
    expect(history.filter((c) => c.itemCode === 'SOPD-UJI-TAHAP').map((c) => [c.action, c.changedBy])).toEqual([
      ['removed', expect.stringContaining(planner.username)],
      ['added', expect.stringContaining(planner.username)],
    ]);
  });
});
