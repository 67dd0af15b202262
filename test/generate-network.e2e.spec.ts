import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { lineLengthM } from '@serat/geo';
import { ConnectivityRepository, SitesRepository } from '@serat/domain';
import { HISTORY_PATH, historySteps, STATUS_SHARES } from '@serat/demo';
import type { NetworkStatus } from '@serat/vocabulary';
import { bearer } from './support/auth';
import { repoRoot } from './support/processes';
import { useTestServer } from './support/server';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  result: { segments: number; nodes: number; sites: number; removedSegments: number; connectedSites: number; copies: number } | null;
}

/** `npm run bench:generate -- …` as a user runs it (the compiled code; the build is the test run's). */
function generate(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(repoRoot, 'bench', 'generate.mjs'), ...args],
      { env: { PATH: process.env.PATH ?? '', ...env }, cwd: repoRoot, maxBuffer: 16 * 2 ** 20, timeout: 240_000 },
      (error, stdout, stderr) => {
        const line = stdout.split('\n').find((l) => l.startsWith('result: '));
        resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr, result: line ? JSON.parse(line.slice('result: '.length)) : null });
      },
    );
  });
}

const SEGMENTS = 2000;

describe('npm run bench:generate on PostgreSQL', () => {
  const server = useTestServer({ seeded: true, roles: ['viewer'] });
  const sql = <T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> => server.db.dataSource.query(text, params);
  const url = () => server.db.url;
  /** The generated network's codes, geometry, lengths and statuses in one hash: equal hashes, byte-identical networks. */
  const fingerprint = async () => {
    const [row] = await sql<{ segments: string; nodes: string; sites: string }>(
      `SELECT (SELECT md5(string_agg(code || ' ' || ST_AsText(geom) || ' ' || length_m::text || ' ' || status, ',' ORDER BY code)) FROM segments WHERE starts_with(code, 'GN-')) AS segments,
              (SELECT md5(string_agg(code || ' ' || ST_AsText(location) || ' ' || status, ',' ORDER BY code)) FROM nodes WHERE starts_with(code, 'GN-')) AS nodes,
              (SELECT md5(string_agg(code || ' ' || kind || ' ' || ST_AsText(location), ',' ORDER BY code)) FROM sites WHERE starts_with(code, 'GN-')) AS sites`,
    );
    return row;
  };

  it('refuses bad arguments with a clear message and a non-zero exit, before touching a database', async () => {
    const cases: [string[], RegExp][] = [
      [['--segments', 'abc'], /--segments must be a whole number from 1 to 10,000,000/],
      [['--segments', '0'], /--segments must be a whole number from 1 to 10,000,000/],
      [['--segments', '12.5'], /--segments must be a whole number/],
      [['--segments', '100', '--seed', 'x'], /--seed must be a whole number from 0 to 4294967295/],
      [[], /--segments is required/],
      [['--segmnts', '10'], /Unknown option '--segmnts'/],
    ];
    for (const [args, message] of cases) {
      const run = await generate([...args, '--database-url', 'postgres://nobody@127.0.0.1:1/none']);
      expect([args, run.code, run.stderr]).toEqual([args, 2, expect.stringMatching(message)]);
      expect(run.stderr).toMatch(/Usage: npm run bench:generate -- --segments N/);
      expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
    }
  }, 60_000);

  let first: Awaited<ReturnType<typeof fingerprint>>;
  it('generates exactly the segments asked for, with nodes and sites, on a seeded database', async () => {
    const run = await generate(['--segments', String(SEGMENTS), '--seed', '5', '--database-url', url()]);
    expect([run.code, run.stderr]).toEqual([0, '']);
    expect(run.result).toEqual(expect.objectContaining({ copies: 1, segments: SEGMENTS, removedSegments: 0 }));
    const [counts] = await sql<{ segments: number; nodes: number; sites: number }>(
      `SELECT (SELECT count(*)::int FROM segments WHERE starts_with(code, 'GN-')) AS segments, (SELECT count(*)::int FROM nodes WHERE starts_with(code, 'GN-')) AS nodes,
              (SELECT count(*)::int FROM sites WHERE starts_with(code, 'GN-')) AS sites`,
    );
    expect(counts).toEqual({ segments: SEGMENTS, nodes: run.result!.nodes, sites: run.result!.sites });
    expect(counts.sites).toBeGreaterThan(SEGMENTS / 2);
    const kinds = await sql<{ kind: string }>(`SELECT DISTINCT kind FROM sites WHERE starts_with(code, 'GN-') ORDER BY kind`);
    expect(kinds.map((k) => k.kind)).toEqual(['kantor_desa', 'kantor_kecamatan', 'other', 'puskesmas', 'sekolah', 'sopd']);
    // The demo network of the seed is left as it was.
    expect(await sql(`SELECT count(*)::int AS n FROM segments WHERE NOT starts_with(code, 'GN-')`)).toEqual([{ n: 108 }]);
    first = await fingerprint();
  }, 240_000);

  it('lays the network inside the Kotim boundaries, with lengths and areas as the app computes them', async () => {
    const outside = await sql(
      `SELECT code FROM nodes WHERE starts_with(code, 'GN-') AND (kecamatan_code IS NULL OR desa_code IS NULL OR kabupaten_code <> '62.02')
       UNION ALL SELECT code FROM sites WHERE starts_with(code, 'GN-') AND (desa_code IS NULL OR kabupaten_code <> '62.02')`,
    );
    expect(outside).toEqual([]);
    // segment_areas as the app derives them: nearly every metre lies in a kecamatan (a river crossing is the rest).
    const [share] = await sql<{ total: number; in_kecamatan: number; without: number }>(
      `SELECT (SELECT sum(length_m) FROM segments WHERE starts_with(code, 'GN-')) AS total,
              (SELECT sum(a.length_m) FROM segment_areas a JOIN segments s ON s.id = a.segment_id WHERE starts_with(s.code, 'GN-') AND a.level = 'kecamatan') AS in_kecamatan,
              (SELECT count(*)::int FROM segments s WHERE starts_with(s.code, 'GN-') AND NOT EXISTS (SELECT 1 FROM segment_areas a WHERE a.segment_id = s.id AND a.level = 'desa')) AS without`,
    );
    expect(share.in_kecamatan / share.total).toBeGreaterThan(0.995);
    expect(share.without).toBe(0);
    // Lengths are the generated column (decision 0002): equal to turf's great-circle length of the stored route.
    const rows = await sql<{ length_m: number; geometry: { type: 'LineString'; coordinates: [number, number][] } }>(
      `SELECT length_m, ST_AsGeoJSON(geom)::json AS geometry FROM segments WHERE starts_with(code, 'GN-')`,
    );
    expect(rows.filter((r) => Math.abs(r.length_m - lineLengthM(r.geometry)) > r.length_m * 1e-6)).toEqual([]);
    expect(rows.every((r) => r.length_m > 0)).toBe(true);
  });

  it('has the statuses in the stated shares, and each a history and audit entries as the app writes a status move', async () => {
    const byStatus = await sql<{ status: NetworkStatus; n: number }>(`SELECT status, count(*)::int AS n FROM segments WHERE starts_with(code, 'GN-') GROUP BY status`);
    for (const [status, share] of Object.entries(STATUS_SHARES)) {
      const n = byStatus.find((r) => r.status === status)?.n ?? 0;
      expect([status, Math.abs(n - share * SEGMENTS) <= 2]).toEqual([status, true]);
    }
    const histories = await sql<{ status: NetworkStatus; version: number; path: string[]; moves: number; audited: number }>(
      `SELECT s.status, s.version,
              (SELECT array_agg(coalesce(c.from_status, '-') || '>' || c.to_status ORDER BY c.changed_at, c.id) FROM status_changes c WHERE c.segment_id = s.id) AS path,
              (SELECT count(*)::int FROM status_changes c WHERE c.segment_id = s.id) AS moves,
              (SELECT count(*)::int FROM audit_log a WHERE a.entity_type = 'segment' AND a.entity_id = s.id::text AND a.action = 'status_change') AS audited
         FROM segments s WHERE starts_with(s.code, 'GN-') ORDER BY s.code LIMIT 400`,
    );
    for (const h of histories) {
      const steps = historySteps(h.status);
      const expected = HISTORY_PATH.slice(0, steps).map((to, i) => `${i === 0 ? '-' : HISTORY_PATH[i - 1]}>${to}`);
      expect(h).toEqual({ status: h.status, version: steps, path: expected, moves: steps, audited: steps - 1 });
    }
    const [audit] = await sql(
      `SELECT a.changes, a.actor_label FROM audit_log a JOIN segments s ON a.entity_id = s.id::text WHERE s.status = 'active' AND starts_with(s.code, 'GN-') AND a.action = 'status_change'
        ORDER BY a.at DESC LIMIT 1`,
    );
    expect(audit).toEqual({ actor_label: 'system:generator', changes: { status: { before: 'tested', after: 'active' }, version: { before: 6, after: 7 } } });
  });

  it('derives connected sites as the app does: some, not all, exactly those an active path joins to an active NOC', async () => {
    const segments = await sql<{ a: string; b: string }>(`SELECT from_node_id AS a, to_node_id AS b FROM segments WHERE status = 'active'`);
    const nocs = await sql<{ id: string }>(`SELECT id FROM nodes WHERE kind = 'noc' AND status = 'active'`);
    const adj = new Map<string, string[]>();
    for (const { a, b } of segments) {
      adj.set(a, [...(adj.get(a) ?? []), b]);
      adj.set(b, [...(adj.get(b) ?? []), a]);
    }
    const reached = new Set(nocs.map((n) => n.id));
    const queue = [...reached];
    while (queue.length)
      for (const next of adj.get(queue.shift()!) ?? [])
        if (!reached.has(next)) {
          reached.add(next);
          queue.push(next);
        }
    const sites = await sql<{ code: string; node: string }>(`SELECT code, termination_node_id AS node FROM sites WHERE starts_with(code, 'GN-') ORDER BY code`);
    const expected = sites.filter((s) => reached.has(s.node)).map((s) => s.code);
    const app = new SitesRepository(server.db.dataSource, new ConnectivityRepository(server.db.dataSource));
    const connected = (await app.connectedCodes()).filter((c) => c.startsWith('GN-'));
    expect(connected).toEqual(expected);
    expect(connected.length).toBeGreaterThan(sites.length * 0.1);
    expect(connected.length).toBeLessThan(sites.length * 0.5);
  });

  it('is read by the api like any network: the inventory total counts every segment', async () => {
    const response = await fetch(server.url('/api/inventory/segments?limit=5&sort=code&order=desc'), { headers: bearer(server.token('viewer')) });
    expect(response.status).toBe(200);
    const page = await response.json();
    expect(page.total).toBe(SEGMENTS + 108);
    expect(page.rows[0].code).toMatch(/^GN-/);
  });

  it('refuses to write a second network over the first without --replace', async () => {
    const run = await generate(['--segments', '100', '--database-url', url()]);
    expect([run.code, run.stderr.trim()]).toEqual([2, expect.stringMatching(/holds a generated network already \(2,000 segments\); add --replace/)]);
    expect(await fingerprint()).toEqual(first);
  }, 120_000);

  it('replaces it: another seed gives another network, the same seed the same one byte for byte', async () => {
    const other = await generate(['--segments', String(SEGMENTS), '--seed', '6', '--replace', '--database-url', url()]);
    expect([other.code, other.result?.removedSegments, other.result?.segments]).toEqual([0, SEGMENTS, SEGMENTS]);
    const second = await fingerprint();
    expect(second.segments).not.toBe(first.segments);
    expect(second.sites).not.toBe(first.sites);
    const again = await generate(['--segments', String(SEGMENTS), '--seed', '5', '--replace', '--database-url', url()]);
    expect([again.code, again.stderr]).toEqual([0, '']);
    expect(await fingerprint()).toEqual(first);
    // The history of the rows replaced went with them.
    const [orphans] = await sql(
      `SELECT count(*)::int AS n FROM status_changes c WHERE c.segment_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM segments s WHERE s.id = c.segment_id)`,
    );
    expect(orphans).toEqual({ n: 0 });
  }, 240_000);
});

describe('npm run bench:generate on the embedded database', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'serat-generate-'));
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('migrates, loads the boundaries and generates a small network with nothing configured, and keeps it', async () => {
    const run = await generate(['--segments', '300', '--seed', '3'], { SERAT_DATA_DIR: dataDir });
    expect([run.code, run.stderr]).toEqual([0, '']);
    expect(run.stdout).toMatch(/opening the embedded database/);
    expect(run.stdout).toMatch(/migrations applied: InitialSchema/);
    expect(run.result).toEqual(expect.objectContaining({ segments: 300, copies: 1 }));
    expect(run.result!.connectedSites).toBeGreaterThan(0);
    const again = await generate(['--segments', '300'], { SERAT_DATA_DIR: dataDir });
    expect([again.code, again.stderr.trim()]).toEqual([2, expect.stringMatching(/holds a generated network already \(300 segments\)/)]);
  }, 240_000);
});
