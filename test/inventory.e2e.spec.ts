import { parse as parseCsv } from 'csv-parse/sync';
import { bearer } from './support/auth';
import { useTestServer } from './support/server';

type Row = { id: string; code: string } & Record<string, unknown>;
interface Page {
  rows: Row[];
  total: number;
  offset: number;
  limit: number;
  sort: string;
  order: string;
}

/** The inventory list of the seeded Kotim network, and the exports of the same filters. */
describe('the inventory list', () => {
  const server = useTestServer({ seeded: true, roles: ['planner', 'viewer'] });

  const get = async (path: string, language = 'id', role: 'planner' | 'viewer' = 'viewer') => {
    const response = await fetch(server.url(path), { headers: { ...bearer(server.token(role)), 'accept-language': language } });
    return { status: response.status, body: await response.json() };
  };
  const page = async (path: string): Promise<Page> => {
    const answer = await get(path);
    expect([path, answer.status]).toEqual([path, 200]);
    return answer.body;
  };
  /** Every page of a list, 40 rows at a time. */
  const all = async (layer: string, query = ''): Promise<Row[]> => {
    const rows: Row[] = [];
    for (let offset = 0; ; offset += 40) {
      const next = await page(`/api/inventory/${layer}?${query}${query ? '&' : ''}limit=40&offset=${offset}`);
      rows.push(...next.rows);
      if (offset + 40 >= next.total) return rows;
    }
  };
  const codes = (rows: { code: string }[]) => rows.map((row) => row.code);
  const sql = async (text: string, params: unknown[] = []) => (await server.db.dataSource.query(text, params)).map((row: { code: string }) => row.code);
  const byCode = (list: string[]) => [...list].sort();

  it('pages segments by offset: the total, every row once, none twice, in the order asked', async () => {
    const [{ n }] = await server.db.dataSource.query(`SELECT count(*)::int AS n FROM segments`);
    const first = await page('/api/inventory/segments?limit=7&sort=lengthM&order=desc');
    expect(first).toEqual(expect.objectContaining({ total: n, offset: 0, limit: 7, sort: 'lengthM', order: 'desc' }));
    expect(first.rows).toHaveLength(7);
    expect(first.rows[0]).toEqual({
      id: expect.any(String),
      code: expect.any(String),
      status: expect.any(String),
      tier: expect.any(String),
      placement: expect.any(String),
      lengthM: expect.any(Number),
      phaseId: expect.any(String),
      phaseName: expect.any(String),
      kecamatanNames: expect.arrayContaining([expect.any(String)]),
      desaNames: expect.any(Array),
      updatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      version: expect.any(Number),
    });
    expect(first.rows[0]).not.toHaveProperty('geometry');
    const rows: Row[] = [];
    for (let offset = 0; offset < n; offset += 7) rows.push(...(await page(`/api/inventory/segments?limit=7&offset=${offset}&sort=lengthM&order=desc`)).rows);
    expect(rows).toHaveLength(n);
    expect(new Set(rows.map((row) => row.id)).size).toBe(n);
    const lengths = rows.map((row) => row.lengthM as number);
    expect(lengths).toEqual([...lengths].sort((a, b) => b - a));
    // Past the end: no rows, the total still told.
    expect(await page(`/api/inventory/segments?offset=${n + 5}`)).toEqual(expect.objectContaining({ rows: [], total: n, offset: n + 5, limit: 50 }));
  });

  it('sorts both ways, by the lifecycle for status, nulls last, ties by code', async () => {
    const up = codes(await all('segments', 'sort=code'));
    const down = codes(await all('segments', 'sort=code&order=desc'));
    expect(down).toEqual([...up].reverse());
    expect(up).toEqual(await sql(`SELECT code FROM segments ORDER BY code`));

    const statuses = ['planned', 'surveyed', 'in_construction', 'installed', 'spliced', 'tested', 'active', 'damaged', 'decommissioned'];
    const byStatus = await all('segments', 'sort=status');
    const rank = byStatus.map((row) => statuses.indexOf(row.status as string));
    expect(rank).toEqual([...rank].sort((a, b) => a - b));
    expect(new Set(rank).size).toBeGreaterThan(1);
    // Within one status, by code.
    const active = byStatus.filter((row) => row.status === byStatus[0].status).map((row) => row.code);
    expect(active).toEqual([...active].sort());
    const byStatusDown = await all('segments', 'sort=status&order=desc');
    expect(byStatusDown.map((row) => row.id)).toEqual(byStatus.map((row) => row.id).reverse());

    const names = (await all('nodes', 'sort=name')).map((row) => row.name as string | null);
    const named = names.filter((name): name is string => name !== null);
    expect(names.slice(0, named.length)).toEqual(named);
    expect(named.map((name) => name.toLowerCase())).toEqual([...named].map((name) => name.toLowerCase()).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    const sitesByKecamatan = (await all('sites', 'sort=kecamatan&order=desc')).map((row) => row.kecamatanName as string);
    expect(sitesByKecamatan).toEqual([...sitesByKecamatan].sort((a, b) => (a < b ? 1 : a > b ? -1 : 0)));
    for (const sort of ['updatedAt', 'kind', 'phase']) expect((await page(`/api/inventory/sites?sort=${sort}`)).rows.length).toBeGreaterThan(0);
  });

  it('searches codes and names, case-insensitively, with % and _ as typed', async () => {
    const [{ code }] = await server.db.dataSource.query(`SELECT code FROM segments ORDER BY code LIMIT 1 OFFSET 3`);
    const part = code.slice(1, -1).toLowerCase();
    expect(codes(await all('segments', `q=${encodeURIComponent(part)}`))).toEqual(
      await sql(`SELECT code FROM segments WHERE position($1 IN lower(code)) > 0 ORDER BY code`, [part]),
    );
    const [site] = await server.db.dataSource.query(`SELECT code, name FROM sites WHERE name LIKE 'Kantor Kecamatan %' ORDER BY code LIMIT 1`);
    const word = site.name.split(' ').slice(2).join(' ').toUpperCase();
    const found = await all('sites', `q=${encodeURIComponent(word)}`);
    expect(codes(found)).toContain(site.code);
    expect(found.every((row) => `${row.code} ${row.name}`.toUpperCase().includes(word))).toBe(true);
    expect((await page('/api/inventory/nodes?q=%25')).total).toBe(0);
    expect((await page('/api/inventory/nodes?q=_')).total).toBe(0);
  });

  it('filters by status, kecamatan or desa, phase and kind, as the database says', async () => {
    expect(byCode(codes(await all('segments', 'status=active,planned')))).toEqual(byCode(await sql(`SELECT code FROM segments WHERE status IN ('active', 'planned')`)));
    const [kec] = await server.db.dataSource.query(`SELECT kecamatan_code AS code FROM nodes GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`);
    expect(byCode(codes(await all('nodes', `area=${kec.code}`)))).toEqual(byCode(await sql(`SELECT code FROM nodes WHERE kecamatan_code = $1`, [kec.code])));
    const inKecamatan = await all('segments', `area=${kec.code}`);
    expect(byCode(codes(inKecamatan))).toEqual(byCode(await sql(`SELECT s.code FROM segments s JOIN segment_areas sa ON sa.segment_id = s.id AND sa.area_code = $1`, [kec.code])));
    const [desa] = await server.db.dataSource.query(`SELECT desa_code AS code FROM sites WHERE desa_code IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1`);
    const sitesInDesa = await all('sites', `area=${desa.code}`);
    expect(byCode(codes(sitesInDesa))).toEqual(byCode(await sql(`SELECT code FROM sites WHERE desa_code = $1`, [desa.code])));
    expect(sitesInDesa.every((row) => row.desaCode === desa.code && typeof row.desaName === 'string')).toBe(true);
    const [phase] = await server.db.dataSource.query(`SELECT id FROM phases ORDER BY code LIMIT 1`);
    expect(byCode(codes(await all('segments', `phase=${phase.id}`)))).toEqual(byCode(await sql(`SELECT code FROM segments WHERE phase_id = $1`, [phase.id])));
    expect(byCode(codes(await all('sites', `phase=${phase.id}`)))).toEqual(byCode(await sql(`SELECT code FROM sites WHERE phase_id = $1`, [phase.id])));
    const odp = await all('nodes', 'kind=odp,odc&status=active');
    expect(byCode(codes(odp))).toEqual(byCode(await sql(`SELECT code FROM nodes WHERE kind IN ('odp', 'odc') AND status = 'active'`)));
    expect(odp.length).toBeGreaterThan(0);
    expect(byCode(codes(await all('sites', 'kind=puskesmas')))).toEqual(byCode(await sql(`SELECT code FROM sites WHERE kind = 'puskesmas'`)));
    const site = (await page('/api/inventory/sites?limit=1')).rows[0];
    expect(site).toEqual(expect.objectContaining({ connected: expect.any(Boolean), kind: expect.any(String), kecamatanName: expect.any(String) }));
  });

  it("refuses bad input with 400 and says what is wrong in the reader's language", async () => {
    const problems = async (path: string, language: string) => {
      const answer = await get(path, language);
      expect([path, answer.status]).toEqual([path, 400]);
      expect(answer.body.error.code).toBe('VALIDATION_FAILED');
      return { message: answer.body.error.message, details: answer.body.error.details as { field: string; problem: string }[] };
    };
    const id = await problems('/api/inventory/segments?status=finished', 'id');
    expect(id.message).toBe('Permintaan tidak valid. Periksa isian yang disebut di bawah.');
    expect(id.details).toEqual([{ field: 'status', problem: expect.stringMatching(/^berisi status yang tidak dikenal; gunakan planned, surveyed/) }]);
    const en = await problems('/api/inventory/segments?status=finished', 'en');
    expect(en.message).toBe('The request is not valid. Check the fields listed below.');
    expect(en.details).toEqual([{ field: 'status', problem: expect.stringMatching(/^names an unknown status; use planned/) }]);
    expect((await problems('/api/inventory/nodes?area=62.2', 'id')).details).toEqual([{ field: 'area', problem: expect.stringMatching(/^harus kode kecamatan atau desa/) }]);
    expect((await problems('/api/inventory/sites?kind=odp', 'en')).details).toEqual([{ field: 'kind', problem: expect.stringMatching(/^names an unknown site kind/) }]);
    expect((await problems('/api/inventory/nodes?kind=sopd', 'id')).details).toEqual([{ field: 'kind', problem: expect.stringMatching(/^berisi jenis titik yang tidak dikenal/) }]);
    for (const [path, field] of [
      ['/api/inventory/segments?sort=geom', 'sort'],
      ['/api/inventory/nodes?sort=lengthM', 'sort'],
      ['/api/inventory/segments?order=up', 'order'],
      ['/api/inventory/segments?limit=201', 'limit'],
      ['/api/inventory/segments?limit=0', 'limit'],
      ['/api/inventory/segments?offset=-1', 'offset'],
      ['/api/inventory/sites?phase=tahap-1', 'phase'],
    ]) {
      const { details } = await problems(path, 'id');
      expect([path, details.map((d) => d.field)]).toEqual([path, [field]]);
    }
    // The export takes the same filter and refuses it the same way, a kind checked against its layer.
    const planner = async (path: string) => (await fetch(server.url(path), { headers: { ...bearer(server.token('planner')), 'accept-language': 'en' } })).json();
    expect((await planner('/api/exports/nodes.csv?kind=sopd')).error.details).toEqual([{ field: 'kind', problem: expect.stringMatching(/^names an unknown node kind/) }]);
    expect((await planner('/api/exports/segments.csv?area=62.2')).error.details).toEqual([{ field: 'area', problem: expect.stringMatching(/^must be a kecamatan or desa code/) }]);
  });

  it('exports exactly the rows the list shows for a filter, every page of it', async () => {
    const csv = async (path: string) => {
      const response = await fetch(server.url(path), { headers: bearer(server.token('planner')) });
      expect([path, response.status]).toEqual([path, 200]);
      return parseCsv((await response.text()).replace(/^\uFEFF/, ''), { columns: true }) as { code: string }[];
    };
    const [kec] = await server.db.dataSource.query(`SELECT kecamatan_code AS code FROM nodes GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`);
    const [phased] = await server.db.dataSource.query(`SELECT phase_id AS id, status FROM segments GROUP BY 1, 2 ORDER BY count(*) DESC LIMIT 1`);
    const [sitePhase] = await server.db.dataSource.query(
      `SELECT phase_id AS id FROM sites WHERE kind IN ('sopd', 'puskesmas', 'sekolah') GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`,
    );
    const filters: [string, string][] = [
      ['segments', `status=active,installed,planned&area=${kec.code}`],
      ['segments', 'q=ds'],
      ['segments', `phase=${phased.id}&status=${phased.status}`],
      ['nodes', `kind=odp,pole&area=${kec.code}`],
      ['nodes', 'q=odc&status=active'],
      ['sites', `kind=sopd,puskesmas,sekolah&phase=${sitePhase.id}`],
      ['sites', `q=kantor&area=${kec.code}`],
    ];
    for (const [layer, filter] of filters) {
      const listed = codes(await all(layer, filter));
      expect([layer, filter, listed.length > 0]).toEqual([layer, filter, true]);
      expect([layer, filter, codes(await csv(`/api/exports/${layer}.csv?${filter}`))]).toEqual([layer, filter, listed]);
    }
  });
});
