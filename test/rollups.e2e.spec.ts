import { getQueueToken } from '@nestjs/bull';
import { ConnectivityRepository, RollupsRepository } from '@serat/domain';
import { maintenanceQueue } from '@serat/jobs';
import type { Queue } from 'bull';
import type { DataSource } from 'typeorm';
import { bearer } from './support/auth';
import { useTestServer } from './support/server';
import { waitFor } from './support/wait';

/**
 * The figures of the map's header and of each area (issue 11) against the raw aggregate computed
 * straight from the tables, after each kind of change, under concurrent changes and compaction.
 * The raw aggregate is written here on its own (it takes status and phase from `segments`, not
 * from the copies segment_areas keeps), so a mistake in the triggers cannot hide behind itself.
 */
describe('area figures (roll-ups)', () => {
  const server = useTestServer({ seeded: true, worker: true, roles: ['planner'] });
  const sql = <T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> => server.db.dataSource.query(text, params);

  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${server.api.baseUrl}${path}`, {
      method,
      headers: { ...bearer(server.token('planner')), ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
  };
  const point = (lon: number, lat: number) => ({ type: 'Point', coordinates: [lon, lat] });
  const line = (...coordinates: number[][]) => ({ type: 'LineString', coordinates });

  const RAW = `
    SELECT 'region' AS level, '' AS area_code, phase_id, 'segment' AS subject, status AS category, count(*) AS items, sum(round(length_m * 1000)) AS mm, 0 AS connected
      FROM segments GROUP BY phase_id, status
    UNION ALL
    SELECT sa.level, sa.area_code, s.phase_id, 'segment', s.status, count(*), sum(round(sa.length_m * 1000)), 0
      FROM segment_areas sa JOIN segments s ON s.id = sa.segment_id GROUP BY sa.level, sa.area_code, s.phase_id, s.status
    UNION ALL
    SELECT 'kabupaten', kec.parent_code, s.phase_id, 'segment', s.status, count(DISTINCT s.id), sum(round(sa.length_m * 1000)), 0
      FROM segment_areas sa JOIN segments s ON s.id = sa.segment_id JOIN admin_areas kec ON kec.code = sa.area_code
     WHERE sa.level = 'kecamatan' GROUP BY kec.parent_code, s.phase_id, s.status
    UNION ALL
    SELECT x.level, x.code, NULL, 'node', n.status, count(*), 0, 0
      FROM nodes n, LATERAL (VALUES ('region', ''), ('kabupaten', n.kabupaten_code), ('kecamatan', n.kecamatan_code), ('desa', n.desa_code)) x(level, code)
     WHERE x.code IS NOT NULL GROUP BY x.level, x.code, n.status
    UNION ALL
    SELECT x.level, x.code, s.phase_id, 'site', s.kind, count(*), 0, count(*) FILTER (WHERE s.termination_node_id IN (SELECT node_id FROM connected_nodes))
      FROM sites s, LATERAL (VALUES ('region', ''), ('kabupaten', s.kabupaten_code), ('kecamatan', s.kecamatan_code), ('desa', s.desa_code)) x(level, code)
     WHERE x.code IS NOT NULL GROUP BY x.level, x.code, s.phase_id, s.kind`;
  const KEPT = `
    SELECT level, area_code, phase_id, subject, category, sum(items) AS items, sum(length_mm) AS mm, sum(connected) AS connected
      FROM area_figure_deltas GROUP BY level, area_code, phase_id, subject, category
    HAVING sum(items) <> 0 OR sum(length_mm) <> 0 OR sum(connected) <> 0`;
  const ordered = (from: string) =>
    sql(`SELECT level, area_code, coalesce(phase_id::text, '-') AS phase, subject, category, items::int, mm::float8, connected::int
           FROM (${from}) f ORDER BY 1, 2, 3, 4, 5`);

  /** The figures kept equal the raw aggregate, key by key (connected_nodes brought up to date first, as every read does). */
  const expectExact = async () => {
    await new ConnectivityRepository(server.db.dataSource as DataSource).refresh();
    const [kept, raw] = [await ordered(KEPT), await ordered(RAW)];
    expect(raw.length).toBeGreaterThan(10);
    expect(kept).toEqual(raw);
  };

  /** The summary as the api answers it, from the raw aggregate. */
  const rawSummary = async (phaseId: string | null = null) => {
    const where = phaseId ? `AND phase_id = '${phaseId}'` : '';
    const rows = await sql<{ subject: string; category: string; items: number; mm: number; connected: number }>(
      `SELECT subject, category, sum(items)::int AS items, sum(mm)::float8 AS mm, sum(connected)::int AS connected FROM (${RAW}) r
        WHERE level = 'region' ${where} GROUP BY subject, category HAVING sum(items) <> 0`,
    );
    const of = (subject: string) => rows.filter((r) => r.subject === subject).sort((a, b) => a.category.localeCompare(b.category));
    return {
      segments: of('segment').map((r) => ({ status: r.category, count: r.items, lengthM: r.mm / 1000 })),
      nodes: of('node').map((r) => ({ status: r.category, count: r.items })),
      sites: of('site').map((r) => ({ kind: r.category, total: r.items, connected: r.connected })),
    };
  };
  const sorted = (figures: { segments: { status: string }[]; nodes: { status: string }[]; sites: { kind: string }[] }) => ({
    segments: [...figures.segments].sort((a, b) => a.status.localeCompare(b.status)),
    nodes: [...figures.nodes].sort((a, b) => a.status.localeCompare(b.status)),
    sites: [...figures.sites].sort((a, b) => a.kind.localeCompare(b.kind)),
  });

  const segmentWith = async (status: string) =>
    (await sql<{ id: string; version: number }>(`SELECT id, version FROM segments WHERE status = $1 ORDER BY code LIMIT 1`, [status]))[0];

  it('starts equal to the raw aggregate (the migration backfilled the seed), and the summary says so', async () => {
    await expectExact();
    const summary = await call('GET', '/api/map/summary');
    expect(summary.status).toBe(200);
    expect(summary.headers.get('cache-control')).toBe('no-cache');
    expect(summary.body.phaseId).toBeNull();
    expect(sorted(summary.body)).toEqual(await rawSummary());
    expect(summary.body.sites.find((s: { kind: string }) => s.kind === 'sopd').connected).toBeGreaterThan(0);
  });

  it('follows status changes, and the ETag with them: 304 while nothing changed', async () => {
    const first = await call('GET', '/api/map/summary');
    const tag = first.headers.get('etag')!;
    expect(tag).toMatch(/^"[\w-]+"$/);
    const same = await call('GET', '/api/map/summary', undefined, { 'if-none-match': tag });
    expect(same.status).toBe(304);
    expect(same.body).toBeNull();

    const planned = await segmentWith('planned');
    expect((await call('POST', `/api/segments/${planned.id}/status`, { status: 'surveyed', version: planned.version })).status).toBe(201);
    // An active cable damaged: what it connected is connected no more (connected_nodes changes).
    const active = await segmentWith('active');
    expect((await call('POST', `/api/segments/${active.id}/status`, { status: 'damaged', version: active.version, note: 'putus tertimpa pohon' })).status).toBe(201);
    await expectExact();

    const changed = await call('GET', '/api/map/summary', undefined, { 'if-none-match': tag });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(tag);
    expect(sorted(changed.body)).toEqual(await rawSummary());
  });

  it('follows a new segment across kecamatan, a re-route, a phase change, a split and a delete', async () => {
    const [phase] = await sql<{ id: string }>(`SELECT id FROM phases ORDER BY code LIMIT 1`);
    // From Baamang west across into Mentawa Baru Ketapang: it crosses kecamatan and desa.
    const created = await call('POST', '/api/segments', { code: 'RU-T1', tier: 'backbone', geometry: line([112.99, -2.5], [112.9, -2.56]) });
    expect(created.status).toBe(201);
    let segment = created.body.segment;
    const crossed = await sql<{ n: number }>(`SELECT count(*)::int AS n FROM segment_areas WHERE segment_id = $1 AND level = 'kecamatan'`, [segment.id]);
    expect(crossed[0].n).toBeGreaterThanOrEqual(2);
    await expectExact();

    // A phase change needs its reason (the phase's scope history keeps it).
    const unexplained = await call('PATCH', `/api/segments/${segment.id}`, { version: segment.version, phaseId: phase.id });
    expect(unexplained.status).toBe(422);
    expect(unexplained.body.error.code).toBe('SCOPE_REASON_REQUIRED');
    const phased = await call('PATCH', `/api/segments/${segment.id}`, { version: segment.version, phaseId: phase.id, phaseReason: 'Masuk addendum tahap' });
    expect(phased.status).toBe(200);
    segment = phased.body;
    const rerouted = await call('PATCH', `/api/segments/${segment.id}`, { version: segment.version, geometry: line([112.99, -2.5], [112.95, -2.51], [112.9, -2.56]) });
    expect(rerouted.status).toBe(200);
    segment = rerouted.body;
    await expectExact();
    const byPhase = await call('GET', `/api/map/summary?phase=${phase.id}`);
    expect(byPhase.body.phaseId).toBe(phase.id);
    expect(byPhase.body.nodes).toEqual([]);
    expect(sorted(byPhase.body)).toEqual({ ...(await rawSummary(phase.id)), nodes: [] });

    const split = await call('POST', `/api/segments/${segment.id}/split`, { version: segment.version, point: point(112.95, -2.51), nodeKind: 'handhole' });
    expect(split.status).toBe(201);
    await expectExact();
    expect((await call('DELETE', `/api/segments/${split.body.second.id}?version=${split.body.second.version}`)).status).toBe(204);
    await expectExact();
  });

  it('follows sites: created, moved to another kecamatan, given a connected termination node and a phase, deleted', async () => {
    const created = await call('POST', '/api/sites', { code: 'RU-PKM', name: 'Puskesmas Roll-up', kind: 'puskesmas', geometry: point(112.9551, -2.5402) });
    expect(created.status).toBe(201);
    await expectExact();
    const [desa] = await sql<{ lon: number; lat: number }>(
      `SELECT ST_X(ST_PointOnSurface(geom)) AS lon, ST_Y(ST_PointOnSurface(geom)) AS lat FROM admin_areas WHERE code LIKE '62.02.01.%' ORDER BY code LIMIT 1`,
    );
    const moved = await call('PATCH', `/api/sites/${created.body.id}`, { version: created.body.version, geometry: point(desa.lon, desa.lat) });
    expect(moved.body.kecamatanCode).toBe('62.02.01');
    const [connected] = await sql<{ node_id: string }>(`SELECT node_id FROM connected_nodes ORDER BY node_id LIMIT 1`);
    const [phase] = await sql<{ id: string }>(`SELECT id FROM phases ORDER BY code DESC LIMIT 1`);
    const joined = await call('PATCH', `/api/sites/${created.body.id}`, {
      version: moved.body.version,
      terminationNodeId: connected.node_id,
      phaseId: phase.id,
      phaseReason: 'Kantor baru dalam tahap',
    });
    expect(joined.status).toBe(200);
    await expectExact();
    const kecamatan = await call('GET', '/api/areas/figures?level=kecamatan&parent=62.02');
    const area = kecamatan.body.areas.find((a: { code: string }) => a.code === '62.02.01');
    expect(area.sites).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'puskesmas', connected: expect.any(Number) })]));
    expect((await call('DELETE', `/api/sites/${created.body.id}?version=${joined.body.version}`)).status).toBe(204);
    await expectExact();
  });

  it('follows an import (bulk statements through the worker)', async () => {
    const at = (i: number) => [112.6 + i * 0.01, -2.2 + (i % 2) * 0.002];
    const file = {
      type: 'FeatureCollection',
      features: [0, 1, 2].map((i) => ({ type: 'Feature', properties: { code: `RU-IMP-${i}`, status: 'planned' }, geometry: line(at(i), at(i + 1)) })),
    };
    const form = new FormData();
    form.append('file', new Blob([JSON.stringify(file)]), 'roll-up.geojson');
    form.append('options', '{}');
    const created = await (await fetch(`${server.api.baseUrl}/api/imports`, { method: 'POST', headers: bearer(server.token('planner')), body: form })).json();
    const settled = (states: string[]) =>
      waitFor(
        async () => {
          const row = (await call('GET', `/api/imports/${created.id}`)).body;
          return states.includes(row.state) ? row : undefined;
        },
        60000,
        `the import to reach ${states.join('/')}`,
      );
    expect((await settled(['ready', 'failed'])).state).toBe('ready');
    expect((await call('POST', `/api/imports/${created.id}/commit`)).status).toBe(202);
    expect((await settled(['committed', 'failed'])).state).toBe('committed');
    expect(await sql(`SELECT count(*)::int AS n FROM segments WHERE code LIKE 'RU-IMP-%'`)).toEqual([{ n: 3 }]);
    await expectExact();
  });

  it('stays exact under 50 concurrent status changes', async () => {
    const planned = await sql<{ id: string; version: number }>(`SELECT id, version FROM segments WHERE status = 'planned' ORDER BY code LIMIT 50`);
    expect(planned).toHaveLength(50);
    const answers = await Promise.all(planned.map((s) => call('POST', `/api/segments/${s.id}/status`, { status: 'surveyed', version: s.version })));
    expect(answers.map((a) => a.status)).toEqual(planned.map(() => 201));
    await expectExact();
  });

  it('answers the figures of every kecamatan and of the desa under one, paged, with ETag and 304', async () => {
    const page = await call('GET', '/api/areas/figures?level=kecamatan');
    expect(page.status).toBe(200);
    const [count] = await sql<{ n: number }>(`SELECT count(*)::int AS n FROM admin_areas WHERE level = 'kecamatan'`);
    expect(page.body.numberReturned).toBe(count.n);
    expect(page.body.next).toBeNull();
    const raw = await sql<{ area_code: string; category: string; items: number; mm: number }>(
      `SELECT area_code, category, sum(items)::int AS items, sum(mm)::float8 AS mm FROM (${RAW}) r WHERE level = 'kecamatan' AND subject = 'segment' GROUP BY area_code, category`,
    );
    for (const area of page.body.areas as { code: string; segments: { status: string; count: number; lengthM: number }[] }[]) {
      const expected = raw.filter((r) => r.area_code === area.code && r.items !== 0).map((r) => ({ status: r.category, count: r.items, lengthM: r.mm / 1000 }));
      expect([...area.segments].sort((a, b) => a.status.localeCompare(b.status))).toEqual(expected.sort((a, b) => a.status.localeCompare(b.status)));
    }

    const first = await call('GET', '/api/areas/figures?level=desa&parent=62.02.05&limit=3');
    expect(first.body.areas).toHaveLength(3);
    expect(first.body.areas.every((a: { code: string; parentCode: string }) => a.parentCode === '62.02.05')).toBe(true);
    const second = await call('GET', first.body.next);
    expect(second.body.areas[0].code > first.body.areas[2].code).toBe(true);
    const tag = first.headers.get('etag')!;
    expect((await call('GET', '/api/areas/figures?level=desa&parent=62.02.05&limit=3', undefined, { 'if-none-match': tag })).status).toBe(304);

    const refused = await call('GET', '/api/areas/figures?level=rt&parent=x');
    expect(refused.status).toBe(400);
  });

  it('keeps the sums through compaction, two at once, with changes beside them', async () => {
    const rollups = new RollupsRepository(server.db.dataSource as DataSource, new ConnectivityRepository(server.db.dataSource as DataSource));
    const before = await rollups.rowCount();
    const planned = await sql<{ id: string; version: number }>(`SELECT id, version FROM segments WHERE status = 'planned' ORDER BY code LIMIT 10`);
    const [one, two] = await Promise.all([
      rollups.compact(),
      rollups.compact(),
      ...planned.map((s) => call('POST', `/api/segments/${s.id}/status`, { status: 'surveyed', version: s.version })),
    ]);
    expect(one.removed + two.removed).toBeGreaterThan(0);
    expect(await rollups.rowCount()).toBeLessThan(before);
    await expectExact();

    // Through the housekeeping job of the worker too; then every key is one row.
    const job = await server.worker.get<Queue>(getQueueToken(maintenanceQueue.name)).add('rollups.compact', {});
    expect(await job.finished()).toEqual({ removed: expect.any(Number), written: expect.any(Number) });
    expect(await sql(`SELECT count(*)::int AS n FROM (SELECT 1 FROM area_figure_deltas GROUP BY level, area_code, phase_id, subject, category HAVING count(*) > 1) k`)).toEqual([
      { n: 0 },
    ]);
    await expectExact();
  });
});
