import * as http from 'node:http';
import * as zlib from 'node:zlib';
import { bearer } from './support/auth';
import { useTestServer } from './support/server';

describe('the api over HTTP (seeded database)', () => {
  const server = useTestServer({ seeded: true, roles: ['viewer', 'planner'] });

  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${server.api.baseUrl}${path}`, { headers: { ...bearer(server.token('viewer')), ...headers } });

  it('serves the 17 kecamatan as a GeoJSON FeatureCollection', async () => {
    const response = await get('/api/areas?level=kecamatan');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/geo\+json/);
    const body = await response.json();
    expect(body.type).toBe('FeatureCollection');
    expect(body.numberReturned).toBe(17);
    expect(body.next).toBeNull();
    expect(body.features.map((f: { id: string }) => f.id)).toContain('62.02.05');
    expect(body.features.every((f: { type: string }) => f.type === 'Feature')).toBe(true);
  });

  it('gzips what it sends to a client that asks, and sends it plain to one that does not', async () => {
    // node:http rather than fetch, which would ask for gzip and inflate the answer out of sight.
    const raw = (headers: Record<string, string>) =>
      new Promise<{ encoding: string | undefined; body: Buffer }>((resolve, reject) => {
        const url = new URL('/api/areas?level=kecamatan', server.api.baseUrl);
        http
          .get(url, { headers: { ...bearer(server.token('viewer')), ...headers } }, (response) => {
            const chunks: Buffer[] = [];
            response.on('data', (chunk: Buffer) => chunks.push(chunk));
            response.on('end', () => resolve({ encoding: response.headers['content-encoding'], body: Buffer.concat(chunks) }));
          })
          .on('error', reject);
      });
    const zipped = await raw({ 'accept-encoding': 'gzip' });
    const plain = await raw({});
    expect(zipped.encoding).toBe('gzip');
    expect(plain.encoding).toBeUndefined();
    const inflated = zlib.gunzipSync(zipped.body);
    expect(inflated.equals(plain.body)).toBe(true);
    expect(JSON.parse(inflated.toString('utf8')).numberReturned).toBe(17);
    // Kecamatan outlines are text: they shrink several times over.
    expect(zipped.body.length * 3).toBeLessThan(plain.body.length);
  });

  it('serves desa inside one kecamatan and inside a bbox', async () => {
    const byParent = await (await get('/api/areas?level=desa&parent=62.02.05')).json();
    expect(byParent.numberReturned).toBe(6); // Baamang: 1 desa + 5 kelurahan
    const byBbox = await (await get('/api/areas?level=desa&bbox=112.94,-2.55,112.97,-2.52')).json();
    expect(byBbox.numberReturned).toBeGreaterThan(0);
    expect(byBbox.numberReturned).toBeLessThan(185);
  });

  it('pages sites, nodes and segments with a next link until the end', async () => {
    for (const layer of ['sites', 'nodes', 'segments']) {
      const all = await (await get(`/api/${layer}?limit=5000`)).json();
      const ids: string[] = [];
      let next: string | null = `/api/${layer}?limit=20`;
      while (next) {
        const page: { features: { id: string }[]; next: string | null; numberReturned: number } = await (await get(next)).json();
        expect(page.numberReturned).toBeLessThanOrEqual(20);
        ids.push(...page.features.map((f) => f.id));
        next = page.next;
      }
      expect(ids).toEqual(all.features.map((f: { id: string }) => f.id));
      expect(new Set(ids).size).toBe(all.numberReturned);
    }
  });

  it('gives segments their status, length and phase, and sites whether they are connected', async () => {
    const segments = await (await get('/api/segments?limit=5000')).json();
    const statuses = new Set(segments.features.map((f: { properties: { status: string } }) => f.properties.status));
    expect(statuses.has('active')).toBe(true);
    expect(statuses.has('planned')).toBe(true);
    const one = segments.features[0].properties;
    expect(one).toEqual(expect.objectContaining({ code: expect.any(String), lengthM: expect.any(Number), version: 1 }));
    expect(one.lengthM).toBeGreaterThan(0);
    const sites = await (await get('/api/sites?limit=5000')).json();
    const connected = sites.features.filter((f: { properties: { connected: boolean } }) => f.properties.connected);
    expect(connected.length).toBeGreaterThan(0);
    expect(connected.length).toBeLessThan(sites.numberReturned);
  });

  it('gives every site, node and segment the version it is stored at, so a form can start from the map', async () => {
    const [site] = await server.db.dataSource.query(`SELECT id, version FROM sites WHERE kind = 'sopd' ORDER BY code LIMIT 1`);
    const patched = await fetch(`${server.api.baseUrl}/api/sites/${site.id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', ...bearer(server.token('planner')) },
      body: JSON.stringify({ shortName: 'Uji versi', version: site.version }),
    });
    expect(patched.status).toBe(200);
    for (const layer of ['sites', 'nodes', 'segments']) {
      const body = await (await get(`/api/${layer}?limit=5000`)).json();
      const stored: { id: string; version: number }[] = await server.db.dataSource.query(`SELECT id, version FROM ${layer}`);
      const versions = Object.fromEntries(stored.map((row) => [row.id, row.version]));
      expect(body.features.length).toBe(stored.length);
      for (const feature of body.features) expect([layer, feature.id, feature.properties.version]).toEqual([layer, feature.id, versions[feature.id]]);
    }
    const sites = await (await get('/api/sites?limit=5000')).json();
    expect(sites.features.find((f: { id: string }) => f.id === site.id).properties).toEqual(expect.objectContaining({ shortName: 'Uji versi', version: site.version + 1 }));
  });

  it('lists the work packages by code with their year and target date, also one nothing uses yet, paged with a next link', async () => {
    await server.db.dataSource.query(`INSERT INTO phases (code, name, budget_year, target_date) VALUES ('tahap-4', 'Tahap 4 (TA 2027): puskesmas', 2027, '2028-06-30')`);
    const response = await get('/api/phases');
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.numberReturned).toBe(4);
    expect(body.next).toBeNull();
    expect(body.phases.map((p: { code: string }) => p.code)).toEqual(['tahap-1', 'tahap-2', 'tahap-3', 'tahap-4']);
    expect(body.phases[0]).toEqual({
      id: expect.any(String),
      code: 'tahap-1',
      name: 'Tahap 1 (TA 2018): 36 SOPD',
      budgetYear: 2018,
      targetDate: '2019-12-31',
      budgetIdr: 4_750_000_000,
      areaCode: null,
    });
    const unused = body.phases[3];
    expect(unused).toEqual({
      id: expect.any(String),
      code: 'tahap-4',
      name: 'Tahap 4 (TA 2027): puskesmas',
      budgetYear: 2027,
      targetDate: '2028-06-30',
      budgetIdr: null,
      areaCode: null,
    });
    const [uses] = await server.db.dataSource.query(
      `SELECT (SELECT count(*) FROM segments WHERE phase_id = $1)::int + (SELECT count(*) FROM sites WHERE phase_id = $1)::int AS n`,
      [unused.id],
    );
    expect(uses.n).toBe(0);

    const codes: string[] = [];
    let next: string | null = '/api/phases?limit=3';
    while (next) {
      const page: { phases: { code: string }[]; numberReturned: number; next: string | null } = await (await get(next)).json();
      expect(page.numberReturned).toBeLessThanOrEqual(3);
      codes.push(...page.phases.map((p) => p.code));
      next = page.next;
    }
    expect(codes).toEqual(['tahap-1', 'tahap-2', 'tahap-3', 'tahap-4']);
    expect((await get('/api/phases?limit=501')).status).toBe(400);
    expect((await get('/api/phases?limit=0')).status).toBe(400);
    expect((await (await get(`/api/phases?after=${encodeURIComponent("x' OR '1'='1")}`)).json()).phases).toEqual([]);
  });

  it('tells the map its region, the attribution and that the data is demo data', async () => {
    const meta = await (await get('/api/meta')).json();
    expect(meta).toEqual({
      appName: 'Serat',
      region: { code: '62.02', name: 'Kabupaten Kotawaringin Timur', bbox: [111.9, -3.35, 113.45, -1.05] },
      demo: true,
      attribution: { id: expect.stringContaining('Batas wilayah'), en: expect.stringContaining('Boundaries') },
      tileLayer: null,
    });
  });

  it('reports database and Redis up', async () => {
    const response = await get('/api/health');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', database: { status: 'up' }, redis: { status: 'up' } });
  });

  it('answers a bad bbox with 400 and a message in Bahasa Indonesia, or English when asked', async () => {
    const id = await get('/api/segments?bbox=113,-2,112,-3');
    expect(id.status).toBe(400);
    const body = await id.json();
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(body.error.message).toMatch(/Permintaan tidak valid/);
    expect(body.error.details).toEqual([{ field: 'bbox', problem: expect.stringContaining('minLon,minLat,maxLon,maxLat') }]);
    expect(body.error.requestId).toBe(id.headers.get('x-request-id'));
    const en = await (await get('/api/areas?level=provinsi', { 'accept-language': 'en-US,en;q=0.9' })).json();
    expect(en.error.message).toMatch(/not valid/);
    expect((await get('/api/nodes?limit=999999')).status).toBe(400);
    const tooSmall = await (await get('/api/nodes?limit=0')).json();
    expect(tooSmall.error.details).toEqual([{ field: 'limit', problem: 'Terlalu kecil: diharapkan number menjadi >=1' }]);
  });

  it('treats SQL-looking input as data', async () => {
    const response = await get(`/api/sites?after=${encodeURIComponent("x' OR '1'='1")}`);
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.numberReturned).toBe(0); // no site code sorts after "x' OR …"
    const [row] = await server.db.dataSource.query(`SELECT count(*)::int AS n FROM sites`);
    expect(row.n).toBe(53);
  });

  it('answers malformed and oversized JSON bodies clearly', async () => {
    const post = (body: string) =>
      fetch(`${server.api.baseUrl}/api/maintenance/area-membership`, { method: 'POST', headers: { 'content-type': 'application/json', ...bearer(server.token('planner')) }, body });
    const malformed = await post('{"tables": [');
    expect(malformed.status).toBe(400);
    expect((await malformed.json()).error).toEqual(expect.objectContaining({ code: 'MALFORMED_JSON', message: 'Isi permintaan bukan JSON yang benar.' }));
    const huge = await post(JSON.stringify({ reason: 'x'.repeat(2 * 1024 * 1024) }));
    expect(huge.status).toBe(413);
    const wrong = await post(JSON.stringify({ tables: ['segments'] }));
    expect(wrong.status).toBe(400);
  });

  it('answers unknown API paths with 404 in the same error shape', async () => {
    const response = await get('/api/no-such-thing');
    expect(response.status).toBe(404);
    expect((await response.json()).error.code).toBe('NOT_FOUND');
  });

  it('publishes an OpenAPI document with every read endpoint', async () => {
    const doc = await (await get('/api/docs/openapi.json')).json();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/areas', '/api/sites', '/api/nodes', '/api/segments', '/api/phases', '/api/health', '/api/meta']));
    const docsPage = await get('/api/docs');
    expect(docsPage.status).toBe(200);
    expect(await docsPage.text()).toMatch(/swagger/i);
  });
});
