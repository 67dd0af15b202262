import { RunningApi, startApi, testConfig } from './support/apps';
import { bearer, createTestUser, signIn } from './support/auth';
import { openTestDatabase, OpenTestDatabase } from './support/databases';
import { useTestServer } from './support/server';

describe('status changes from the field, and the audit trail', () => {
  const server = useTestServer({ seeded: true, roles: ['technician', 'admin'] });

  const segmentIn = async (status: string, offset = 0) =>
    (await server.db.dataSource.query(`SELECT id, code, version, status FROM segments WHERE status = $1 ORDER BY code OFFSET $2 LIMIT 1`, [status, offset]))[0];
  const changeStatus = (id: string, body: unknown, token = server.token('technician')) =>
    fetch(`${server.api.baseUrl}/api/segments/${id}/status`, { method: 'POST', headers: { 'content-type': 'application/json', ...bearer(token) }, body: JSON.stringify(body) });

  it("records a technician's change in the history and in the audit log with before and after", async () => {
    const segment = await segmentIn('installed');
    const response = await changeStatus(segment.id, { status: 'spliced', version: segment.version, note: 'splice tray 3', deviceTime: '2026-11-27T08:15:00+07:00' });
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ id: segment.id, code: segment.code, status: 'spliced', version: segment.version + 1 });

    const [history] = await server.db.dataSource.query(
      `SELECT from_status, to_status, changed_by, changed_by_user_id, note, device_time FROM status_changes WHERE segment_id = $1 ORDER BY id DESC LIMIT 1`,
      [segment.id],
    );
    expect(history).toEqual({
      from_status: 'installed',
      to_status: 'spliced',
      changed_by: server.user('technician').username,
      changed_by_user_id: server.user('technician').id,
      note: 'splice tray 3',
      device_time: new Date('2026-11-27T01:15:00Z'),
    });

    const audit = await (await fetch(`${server.api.baseUrl}/api/audit?entity=segment&entityId=${segment.id}`, { headers: bearer(server.token('admin')) })).json();
    expect(audit.entries[0]).toEqual(
      expect.objectContaining({
        action: 'status_change',
        entityType: 'segment',
        entityId: segment.id,
        actorId: server.user('technician').id,
        actorLabel: server.user('technician').username,
        changes: {
          status: { before: 'installed', after: 'spliced' },
          version: { before: segment.version, after: segment.version + 1 },
          note: { before: null, after: 'splice tray 3' },
        },
        requestId: expect.any(String),
        ip: expect.stringMatching(/127\.0\.0\.1/),
        deviceTime: '2026-11-27T01:15:00.000Z',
      }),
    );
    const byUser = await (
      await fetch(`${server.api.baseUrl}/api/audit?user=${server.user('technician').id}&from=2000-01-01T00:00:00Z`, { headers: bearer(server.token('admin')) })
    ).json();
    expect(byUser.entries.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['status_change', 'login']));
  });

  it('cannot be changed or deleted, neither through the API nor in the database', async () => {
    const del = await fetch(`${server.api.baseUrl}/api/audit`, { method: 'DELETE', headers: bearer(server.token('admin')) });
    expect(del.status).toBe(404);
    await expect(server.db.dataSource.query(`DELETE FROM audit_log`)).rejects.toThrow(/append-only/);
    await expect(server.db.dataSource.query(`UPDATE audit_log SET actor_label = 'someone else'`)).rejects.toThrow(/append-only/);
    const [row] = await server.db.dataSource.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'status_change'`);
    expect(row.n).toBeGreaterThan(0);
  });

  const read = async (path: string) => (await fetch(`${server.api.baseUrl}${path}`, { headers: bearer(server.token('admin')) })).json();
  const send = (method: string, path: string, body: unknown, token = server.token('admin')) =>
    fetch(`${server.api.baseUrl}${path}`, { method, headers: { 'content-type': 'application/json', ...bearer(token) }, body: JSON.stringify(body) });

  it("gives the second of two technicians who read the same version a 409 with the whole current state, as an edit's 409 does", async () => {
    const other = await signIn(server.api.baseUrl, await createTestUser(server.db.dataSource, 'technician'));
    const segment = await segmentIn('installed');
    expect((await changeStatus(segment.id, { status: 'spliced', version: segment.version })).status).toBe(201);
    const late = await changeStatus(segment.id, { status: 'spliced', version: segment.version }, other);
    expect(late.status).toBe(409);
    const body = await late.json();
    expect(body.error.code).toBe('VERSION_CONFLICT');
    const current = body.error.details.current;
    expect(current).toEqual(
      expect.objectContaining({
        id: segment.id,
        code: segment.code,
        status: 'spliced',
        version: segment.version + 1,
        geometry: expect.objectContaining({ type: 'LineString' }),
        placement: expect.any(String),
        tier: expect.any(String),
        fromNodeId: expect.any(String),
      }),
    );
    // What a read gives (without the areas crossed) and what a stale edit gets: nothing to read again to show both versions.
    const { areas: _areas, ...stored } = await read(`/api/segments/${segment.id}`);
    expect(current).toEqual(stored);
    const stalePatch = await send('PATCH', `/api/segments/${segment.id}`, { coreCount: 24, version: segment.version });
    expect(stalePatch.status).toBe(409);
    expect((await stalePatch.json()).error.details.current).toEqual(current);
  });

  it("answers a stale node status with the whole node, as its edit's 409 does", async () => {
    const [node] = await server.db.dataSource.query(`SELECT id, code, version FROM nodes WHERE status = 'planned' ORDER BY code LIMIT 1`);
    expect((await send('POST', `/api/nodes/${node.id}/status`, { status: 'surveyed', version: node.version }, server.token('technician'))).status).toBe(201);
    const late = await send('POST', `/api/nodes/${node.id}/status`, { status: 'surveyed', version: node.version }, server.token('technician'));
    expect(late.status).toBe(409);
    const current = (await late.json()).error.details.current;
    expect(current).toEqual(
      expect.objectContaining({
        id: node.id,
        code: node.code,
        status: 'surveyed',
        version: node.version + 1,
        kind: expect.any(String),
        geometry: expect.objectContaining({ type: 'Point' }),
      }),
    );
    expect(current).toEqual(await read(`/api/nodes/${node.id}`));
    const stalePatch = await send('PATCH', `/api/nodes/${node.id}`, { name: 'Diubah', version: node.version });
    expect((await stalePatch.json()).error.details.current).toEqual(current);
  });

  it('names the stale segment of a route with its whole state, and changes none of the route', async () => {
    const fresh = await segmentIn('planned', 0);
    const stale = await segmentIn('planned', 1);
    await server.db.dataSource.query(`UPDATE segments SET contractor = 'PT Lain', version = version + 1 WHERE id = $1`, [stale.id]);
    const response = await send(
      'POST',
      '/api/segments/status',
      {
        status: 'surveyed',
        segments: [
          { id: fresh.id, version: fresh.version },
          { id: stale.id, version: stale.version },
        ],
      },
      server.token('technician'),
    );
    expect(response.status).toBe(409);
    const details = (await response.json()).error.details;
    expect(details).toEqual(expect.objectContaining({ segmentId: stale.id, index: 1 }));
    expect(details.current).toEqual(expect.objectContaining({ id: stale.id, status: 'planned', contractor: 'PT Lain', version: stale.version + 1 }));
    expect((await server.db.dataSource.query(`SELECT status, version FROM segments WHERE id = $1`, [fresh.id]))[0]).toEqual({ status: 'planned', version: fresh.version });
  });

  it('takes two changes of one route sent at once in opposite orders without a deadlock: never a 5xx, one wins each round', async () => {
    // Segments the other tests here do not pick (they take the first planned ones by code).
    const route: { id: string; version: number }[] = await server.db.dataSource.query(`SELECT id, version FROM segments WHERE status = 'planned' ORDER BY code DESC LIMIT 12`);
    expect(route).toHaveLength(12);
    const ids = route.map((segment) => segment.id);
    const other = await signIn(server.api.baseUrl, await createTestUser(server.db.dataSource, 'technician'));
    const rounds = 10;
    for (let round = 0; round < rounds; round++) {
      const current: { id: string; version: number }[] = await server.db.dataSource.query(`SELECT id, version FROM segments WHERE id = ANY($1)`, [ids]);
      const versions = new Map(current.map((row) => [row.id, row.version]));
      const segments = ids.map((id) => ({ id, version: versions.get(id)! }));
      // Forth and back, with a note for the step back.
      const body = (order: typeof segments) => ({ status: round % 2 === 0 ? 'surveyed' : 'planned', note: `ronde ${round}`, segments: order });
      const answers = await Promise.all([
        send('POST', '/api/segments/status', body(segments), server.token('technician')),
        send('POST', '/api/segments/status', body([...segments].reverse()), other),
      ]);
      expect(answers.map((answer) => answer.status).sort()).toEqual([201, 409]);
      const loser = answers.find((answer) => answer.status === 409)!;
      expect((await loser.json()).error.code).toBe('VERSION_CONFLICT');
    }
    // Every round moved the whole route once: ten versions on, back to planned, ten history rows each.
    const after: { id: string; status: string; version: number; changes: number }[] = await server.db.dataSource.query(
      `SELECT s.id, s.status, s.version, (SELECT count(*)::int FROM status_changes c WHERE c.segment_id = s.id AND c.note LIKE 'ronde %') AS changes
         FROM segments s WHERE s.id = ANY($1)`,
      [ids],
    );
    expect(after.map(({ id, status, version, changes }) => ({ id, status, version, changes })).sort((a, b) => a.id.localeCompare(b.id))).toEqual(
      route.map(({ id, version }) => ({ id, status: 'planned', version: version + rounds, changes: rounds })).sort((a, b) => a.id.localeCompare(b.id)),
    );
  }, 120000);

  it('needs a reason to skip or go back, and refuses moves the lifecycle forbids', async () => {
    const segment = await segmentIn('planned');
    const skip = await changeStatus(segment.id, { status: 'installed', version: segment.version });
    expect(skip.status).toBe(422);
    expect((await skip.json()).error).toEqual(expect.objectContaining({ code: 'REASON_REQUIRED', message: expect.stringMatching(/alasan/) }));
    const noEvidence = await changeStatus(segment.id, { status: 'installed', version: segment.version, note: 'surveyed and laid the same day' });
    expect(noEvidence.status).toBe(422);
    expect((await noEvidence.json()).error.code).toBe('EVIDENCE_REQUIRED');
    const withGps = await changeStatus(segment.id, {
      status: 'installed',
      version: segment.version,
      note: 'surveyed and laid the same day',
      evidence: { gps: { lon: 112.95, lat: -2.53, accuracyM: 4 } },
    });
    expect(withGps.status).toBe(201);
    const damaged = await changeStatus(segment.id, { status: 'damaged', version: segment.version + 1 });
    expect(damaged.status).toBe(422);
    expect((await damaged.json()).error.code).toBe('INVALID_TRANSITION');
    const unknown = await changeStatus(segment.id, { status: 'finished', version: 1 });
    expect(unknown.status).toBe(400);
  });

  it('keeps a technician assigned to one kecamatan to that kecamatan', async () => {
    const scoped = await createTestUser(server.db.dataSource, 'technician', { kecamatanCodes: ['62.02.10'] }); // Antang Kalang, far north
    const token = await signIn(server.api.baseUrl, scoped);
    const sampit = (
      await server.db.dataSource.query(
        `SELECT s.id, s.version FROM segments s JOIN nodes n ON n.id = s.from_node_id WHERE n.kecamatan_code = '62.02.06' AND s.status = 'planned' LIMIT 1`,
      )
    )[0];
    const response = await changeStatus(sampit.id, { status: 'surveyed', version: sampit.version }, token);
    expect(response.status).toBe(403);
    expect((await response.json()).error.code).toBe('OUT_OF_AREA');
  });

  it('answers an unknown segment with 404', async () => {
    expect((await changeStatus('00000000-0000-4000-8000-000000000000', { status: 'surveyed', version: 1 })).status).toBe(404);
  });

  it('filters the audit log safely: SQL-looking values are only values', async () => {
    const bad = await fetch(`${server.api.baseUrl}/api/audit?entity=${encodeURIComponent("segment' OR '1'='1")}`, { headers: bearer(server.token('admin')) });
    expect(bad.status).toBe(400);
    const odd = await fetch(`${server.api.baseUrl}/api/audit?entity=segment&entityId=${encodeURIComponent("x' OR '1'='1")}`, { headers: bearer(server.token('admin')) });
    expect(odd.status).toBe(200);
    expect((await odd.json()).entries).toEqual([]);
  });
});

describe('baseline HTTP hardening', () => {
  let db: OpenTestDatabase;
  let api: RunningApi;
  let corsApi: RunningApi;

  beforeAll(async () => {
    db = await openTestDatabase({ seeded: false });
    api = await startApi(testConfig(db.url));
    corsApi = await startApi(testConfig(db.url, { SERAT_CORS_ORIGINS: 'https://peta.kotimkab.go.id' }));
  });
  afterAll(async () => {
    await api?.close();
    await corsApi?.close();
    await db?.close();
  });

  it('sends security headers and a request id, and no framework banner', async () => {
    const response = await fetch(`${api.baseUrl}/api/health`);
    expect(response.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers.get('x-powered-by')).toBeNull();
  });

  it('keeps CORS closed by default and opens it only to configured origins', async () => {
    const preflight = (base: string, origin: string) => fetch(`${base}/api/auth/me`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'GET' } });
    expect((await preflight(api.baseUrl, 'https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
    expect((await preflight(corsApi.baseUrl, 'https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
    expect((await preflight(corsApi.baseUrl, 'https://peta.kotimkab.go.id')).headers.get('access-control-allow-origin')).toBe('https://peta.kotimkab.go.id');
  });

  it('never shows a stack trace or SQL in an error body', async () => {
    const response = await fetch(`${api.baseUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"login": ["x"], "password": 5}' });
    expect(response.status).toBe(400);
    const text = await response.text();
    expect(text).not.toMatch(/\bat [A-Za-z.]+ \(|SELECT|node_modules/);
  });
});
