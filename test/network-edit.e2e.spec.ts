import { lineLengthM, MAX_LINE_POSITIONS } from '@serat/geo';
import { star, windingRoute } from '../libs/geo/src/geometry-fixtures.testing';
import { bearer } from './support/auth';
import { useTestServer } from './support/server';

/** Planners drawing and changing the network through the api (seeded Kotim, tolerance 10 m). */
describe('editing the network', () => {
  const server = useTestServer({ seeded: true, roles: ['planner'], env: { SERAT_SNAP_TOLERANCE_M: '10' } });

  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${server.api.baseUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...bearer(server.token('planner')), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null, bytes: Buffer.byteLength(text) };
  };
  const point = (lon: number, lat: number) => ({ type: 'Point', coordinates: [lon, lat] });
  const line = (...coordinates: number[][]) => ({ type: 'LineString', coordinates });

  describe('geometry rules', () => {
    it('creates a node with its kecamatan and desa from the boundaries', async () => {
      const created = await call('POST', '/api/nodes', { code: 'ODP-T1', kind: 'odp', geometry: point(112.9551, -2.5402) });
      expect(created.status).toBe(201);
      const [row] = await server.db.dataSource.query(`SELECT kecamatan_code, desa_code FROM nodes WHERE code = 'ODP-T1'`);
      expect(['62.02.05', '62.02.06']).toContain(row.kecamatan_code);
      expect(row.desa_code.startsWith(row.kecamatan_code)).toBe(true);
    });

    it('says "did you mean" for swapped latitude and longitude', async () => {
      const swapped = await call('POST', '/api/nodes', { code: 'ODP-SWAP', kind: 'odp', geometry: point(-2.5402, 112.9551) });
      expect(swapped.status).toBe(422);
      expect(swapped.body.error.details.problems).toEqual([{ code: 'swapped_lat_lon', suggestion: [112.9551, -2.5402] }]);
      expect(swapped.body.error.message).toBe('Geometri tidak dapat disimpan: lintang dan bujur tampaknya tertukar; maksud Anda [112.9551,-2.5402]?');
    });

    it('refuses points outside the region, broken GeoJSON, and bad lines, each with its reason', async () => {
      expect((await call('POST', '/api/nodes', { code: 'X1', kind: 'odp', geometry: point(106.8, -6.2) })).body.error.details.problems).toEqual([{ code: 'outside_region' }]);
      expect((await call('POST', '/api/nodes', { code: 'X2', kind: 'odp', geometry: { type: 'Point', coordinates: ['a', 1] } })).body.error.details.problems).toEqual([
        { code: 'invalid_geojson' },
      ]);
      const bowtie = await call('POST', '/api/segments', { code: 'X3', geometry: line([112.95, -2.53], [112.96, -2.54], [112.96, -2.53], [112.95, -2.54]) });
      expect(bowtie.status).toBe(422);
      expect(bowtie.body.error.details.problems[0].code).toBe('self_intersection');
      const zero = await call('POST', '/api/segments', { code: 'X4', geometry: line([112.95, -2.53], [112.95, -2.53]) });
      expect(zero.body.error.details.problems).toEqual([{ code: 'too_few_positions' }]);
      const [row] = await server.db.dataSource.query(`SELECT count(*)::int AS n FROM nodes WHERE code LIKE 'X%'`);
      expect(row.n).toBe(0);
    });
  });

  describe('geometry checks in bounded time and memory (issue 8)', () => {
    it('refuses the 2,000-position self-crossing star with 422 and an answer under 10 kB, and goes on answering others', async () => {
      // Four stars at once, as a planner's script might send them, with other requests among them.
      const stars = Array.from({ length: 4 }, (_, i) => call('POST', '/api/segments', { code: `STAR-${i}`, geometry: line(...star(2000)) }));
      const others = [fetch(`${server.api.baseUrl}/api/health`), call('GET', '/api/segments?limit=1')];
      const [answers, [health, page]] = await Promise.all([Promise.all(stars), Promise.all(others)]);
      for (const answer of answers) {
        expect(answer.status).toBe(422);
        expect(answer.bytes).toBeLessThan(10 * 1024);
        expect(answer.body.error.details.problems).toEqual([{ code: 'self_intersection', at: expect.any(Array), crossingsAtLeast: 5 }]);
        expect(answer.body.error.details.problems[0].at).toHaveLength(5);
        expect(answer.body.error.message).toMatch(/^Geometri tidak dapat disimpan: garis memotong atau menyentuh dirinya sendiri, sedikitnya di 5 tempat: \[\[112\.9/);
      }
      expect(health.status).toBe(200);
      expect(page.status).toBe(200);
      const after = await call('POST', '/api/segments', { code: 'DS-AFTER-STAR', geometry: line([112.93, -2.56], [112.931, -2.561]) });
      expect(after.status).toBe(201);
    });

    it('stores a 40,000-position route (about 1 MB of JSON)', async () => {
      const route = windingRoute(40000);
      const created = await call('POST', '/api/segments', { code: 'DS-LONG', geometry: line(...route) });
      expect(created.status).toBe(201);
      expect(created.body.segment.geometry.coordinates).toHaveLength(40000);
      const [row] = await server.db.dataSource.query(`SELECT ST_NPoints(geom) AS n FROM segments WHERE code = 'DS-LONG'`);
      expect(row.n).toBe(40000);
    });

    it('refuses more than 50,000 positions with its reason, in Bahasa Indonesia and English', async () => {
      // 5 decimals, so that 50,001 positions fit in the 1 MiB a request may have.
      const positions = Array.from({ length: MAX_LINE_POSITIONS + 1 }, (_, i) => [Math.round((112.9 + i * 0.00001) * 1e5) / 1e5, -2.55]);
      for (const [language, text] of [
        ['id', 'Geometri tidak dapat disimpan: garis memiliki terlalu banyak titik: paling banyak 50.000 titik per segmen. Bagilah jalur ini menjadi beberapa segmen.'],
        ['en', 'The geometry cannot be stored: the line has too many positions: at most 50,000 per segment. Split the route into several segments.'],
      ]) {
        const refused = await call('POST', '/api/segments', { code: 'DS-TOO-LONG', geometry: line(...positions) }, { 'accept-language': language });
        expect(refused.status).toBe(422);
        expect(refused.body.error).toEqual(
          expect.objectContaining({ code: 'GEOMETRY_INVALID', message: text, details: { problems: [{ code: 'too_many_positions', maxPositions: 50000 }] } }),
        );
        expect(refused.bytes).toBeLessThan(10 * 1024);
      }
    });

    it('says a long route has latitude and longitude swapped without repeating it back', async () => {
      const swapped = windingRoute(40000).map(([lon, lat]) => [lat, lon]);
      const refused = await call('POST', '/api/segments', { code: 'DS-SWAPPED', geometry: line(...swapped) });
      expect(refused.status).toBe(422);
      expect(refused.body.error.details.problems).toEqual([{ code: 'swapped_lat_lon' }]);
      expect(refused.bytes).toBeLessThan(10 * 1024);
    });
  });

  describe('topology', () => {
    it('snaps a drawn segment to a node within the tolerance and makes a node at a free end', async () => {
      // A joint closure on the backbone, with no other node within 50 m.
      const [noc] = await server.db.dataSource.query(
        `SELECT n.id, ST_X(n.location) AS lon, ST_Y(n.location) AS lat FROM nodes n
          WHERE n.kind = 'joint_closure' AND NOT EXISTS (
            SELECT 1 FROM nodes m WHERE m.id <> n.id AND ST_DWithin(m.location::geography, n.location::geography, 50))
          ORDER BY n.code LIMIT 1`,
      );
      // 5 m east of it (0.000045° of longitude ≈ 5 m), to a free point 600 m further.
      const created = await call('POST', '/api/segments', {
        code: 'DS-T1',
        placement: 'underground',
        coreCount: 24,
        geometry: line([noc.lon + 0.000045, noc.lat], [noc.lon + 0.003, noc.lat + 0.002], [noc.lon + 0.005, noc.lat + 0.002]),
      });
      expect(created.status).toBe(201);
      expect(created.body.from).toBe('existing');
      expect(created.body.to).toBe('created');
      const segment = created.body.segment;
      expect(segment.fromNodeId).toBe(noc.id);
      expect(segment.geometry.coordinates[0]).toEqual([noc.lon, noc.lat]);
      expect(segment.lengthM).toBeCloseTo(lineLengthM(segment.geometry), 3);
      const [end] = await server.db.dataSource.query(`SELECT code, kind FROM nodes WHERE id = $1`, [segment.toNodeId]);
      expect(end).toEqual({ code: 'DS-T1-B', kind: 'joint_closure' });
      const history = await call('GET', `/api/segments/${segment.id}/history`);
      expect(history.body.history).toEqual([expect.objectContaining({ fromStatus: null, toStatus: 'planned' })]);
    });

    it('refuses a named node that is too far from the end', async () => {
      const [noc] = await server.db.dataSource.query(`SELECT id, ST_X(location) AS lon, ST_Y(location) AS lat FROM nodes WHERE kind = 'noc'`);
      const far = await call('POST', '/api/segments', { code: 'DS-T2', fromNodeId: noc.id, geometry: line([noc.lon + 0.001, noc.lat], [noc.lon + 0.002, noc.lat]) });
      expect(far.status).toBe(422);
      expect(far.body.error).toEqual(expect.objectContaining({ code: 'NODE_TOO_FAR', details: expect.objectContaining({ toleranceM: 10 }) }));
    });

    it('records the kecamatan and desa a segment crosses, with the metres in each', async () => {
      // From Baamang west across into Mentawa Baru Ketapang: a line through Sampit town.
      const created = await call('POST', '/api/segments', { code: 'BB-T3', tier: 'backbone', geometry: line([112.99, -2.5], [112.9, -2.56]) });
      expect(created.status).toBe(201);
      const detail = await call('GET', `/api/segments/${created.body.segment.id}`);
      const kecamatan = detail.body.areas.filter((a: { level: string }) => a.level === 'kecamatan');
      expect(kecamatan.length).toBeGreaterThanOrEqual(2);
      const sum = kecamatan.reduce((total: number, a: { lengthM: number }) => total + a.lengthM, 0);
      expect(Math.abs(sum - detail.body.lengthM) / detail.body.lengthM).toBeLessThan(0.01);
      const desaSum = detail.body.areas.filter((a: { level: string }) => a.level === 'desa').reduce((t: number, a: { lengthM: number }) => t + a.lengthM, 0);
      expect(Math.abs(desaSum - detail.body.lengthM) / detail.body.lengthM).toBeLessThan(0.02);
    });

    it("moves the ends of a node's segments with the node, and recomputes their length", async () => {
      const created = await call('POST', '/api/segments', { code: 'DS-T4', geometry: line([112.94, -2.52], [112.941, -2.521]) });
      const segment = created.body.segment;
      const [node] = await server.db.dataSource.query(`SELECT id, version FROM nodes WHERE id = $1`, [segment.toNodeId]);
      const moved = await call('PATCH', `/api/nodes/${node.id}`, { version: node.version, geometry: point(112.942, -2.522) });
      expect(moved.status).toBe(200);
      const after = await call('GET', `/api/segments/${segment.id}`);
      expect(after.body.geometry.coordinates.at(-1)).toEqual([112.942, -2.522]);
      expect(after.body.lengthM).toBeGreaterThan(segment.lengthM * 1.5);
      expect(after.body.version).toBe(segment.version + 1);
    });

    it('splits a segment at a point: a node there, two halves, both with the history', async () => {
      const created = await call('POST', '/api/segments', { code: 'DS-T5', geometry: line([112.93, -2.55], [112.932, -2.55], [112.934, -2.552]) });
      const original = created.body.segment;
      const moved = await call('POST', `/api/segments/${original.id}/status`, { status: 'surveyed', version: original.version });
      expect(moved.status).toBe(201);
      const split = await call('POST', `/api/segments/${original.id}/split`, { version: original.version + 1, point: point(112.931, -2.55003), nodeKind: 'handhole' });
      expect(split.status).toBe(201);
      const { first, second, node } = split.body;
      expect(first.id).toBe(original.id);
      expect(first.toNodeId).toBe(node.id);
      expect(second.fromNodeId).toBe(node.id);
      expect(second.toNodeId).toBe(original.toNodeId);
      expect(node.kind).toBe('handhole');
      expect(first.lengthM + second.lengthM).toBeCloseTo(original.lengthM, 1);
      expect(second.status).toBe('surveyed');
      const h1 = (await call('GET', `/api/segments/${first.id}/history`)).body.history.map((h: { toStatus: string }) => h.toStatus);
      const h2 = (await call('GET', `/api/segments/${second.id}/history`)).body.history.map((h: { toStatus: string }) => h.toStatus);
      expect(h1).toEqual(['surveyed', 'planned']);
      expect(h2).toEqual(h1);
      const offRoute = await call('POST', `/api/segments/${second.id}/split`, { version: second.version, point: point(112.95, -2.5) });
      expect(offRoute.status).toBe(422);
      expect(offRoute.body.error.code).toBe('SPLIT_POINT_OFF_ROUTE');
    });
  });

  describe('optimistic locking and deletion', () => {
    it('refuses a stale version with 409 and the current state, and a missing one with 428', async () => {
      const created = await call('POST', '/api/segments', { code: 'DS-T6', geometry: line([112.92, -2.54], [112.921, -2.541]) });
      const segment = created.body.segment;
      expect((await call('PATCH', `/api/segments/${segment.id}`, { coreCount: 48 }, { 'if-match': `"${segment.version}"` })).status).toBe(200);
      const stale = await call('PATCH', `/api/segments/${segment.id}`, { coreCount: 96, version: segment.version });
      expect(stale.status).toBe(409);
      expect(stale.body.error.details.current).toEqual(expect.objectContaining({ id: segment.id, coreCount: 48, version: segment.version + 1 }));
      const missing = await call('PATCH', `/api/segments/${segment.id}`, { coreCount: 96 });
      expect(missing.status).toBe(428);
      expect(missing.body.error.code).toBe('VERSION_REQUIRED');
    });

    it('keeps a node that segments use, deletes it once they are gone, and audits it all', async () => {
      const created = await call('POST', '/api/segments', { code: 'DS-T7', geometry: line([112.91, -2.53], [112.911, -2.531]) });
      const segment = created.body.segment;
      const [node] = await server.db.dataSource.query(`SELECT id, version FROM nodes WHERE id = $1`, [segment.fromNodeId]);
      const inUse = await call('DELETE', `/api/nodes/${node.id}?version=${node.version}`);
      expect(inUse.status).toBe(409);
      expect(inUse.body.error.code).toBe('NODE_IN_USE');
      expect((await call('DELETE', `/api/segments/${segment.id}?version=${segment.version}`)).status).toBe(204);
      expect((await call('DELETE', `/api/nodes/${node.id}?version=${node.version}`)).status).toBe(204);
      const actions = await server.db.dataSource.query(`SELECT action, entity_type FROM audit_log WHERE entity_id IN ($1, $2) ORDER BY id`, [segment.id, node.id]);
      expect(actions).toEqual([
        { action: 'create', entity_type: 'segment' },
        { action: 'delete', entity_type: 'segment' },
        { action: 'delete', entity_type: 'node' },
      ]);
    });

    it('creates, moves and deletes a site; its kecamatan and desa follow it', async () => {
      const created = await call('POST', '/api/sites', { code: 'PKM-T1', name: 'Puskesmas Uji', kind: 'puskesmas', geometry: point(112.9551, -2.5402), costIdrPerMonth: 3500000 });
      expect(created.status).toBe(201);
      expect(['62.02.05', '62.02.06']).toContain(created.body.kecamatanCode);
      const [desa] = await server.db.dataSource.query(
        `SELECT ST_X(ST_PointOnSurface(geom)) AS lon, ST_Y(ST_PointOnSurface(geom)) AS lat FROM admin_areas WHERE code LIKE '62.02.01.%' ORDER BY code LIMIT 1`,
      );
      const moved = await call('PATCH', `/api/sites/${created.body.id}`, { version: created.body.version, geometry: point(desa.lon, desa.lat) });
      expect(moved.status).toBe(200);
      expect(moved.body.kecamatanCode).toBe('62.02.01');
      expect((await call('DELETE', `/api/sites/${created.body.id}?version=${created.body.version}`)).status).toBe(409);
      expect((await call('DELETE', `/api/sites/${created.body.id}?version=${moved.body.version}`)).status).toBe(204);
    });

    it('refuses a duplicate code with 409', async () => {
      const again = await call('POST', '/api/nodes', { code: 'ODP-T1', kind: 'odp', geometry: point(112.9552, -2.5403) });
      expect(again.status).toBe(409);
      expect(again.body.error.message).toBe('Kode ODP-T1 sudah dipakai.');
    });
  });
});
