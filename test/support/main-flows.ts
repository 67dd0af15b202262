import * as turf from '@turf/turf';
import { parse as parseCsv } from 'csv-parse/sync';
import type { Feature, FeatureCollection, LineString } from 'geojson';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { tileBbox, tileKey, tilesCovering, type MapTile } from '../../libs/contract/src';
import { readZip } from '../../libs/geo/src/export/export-fixtures.testing';
import { bearer } from './auth';
import { phonePhoto } from './photos';
import { FeedEvent, openFeed } from './sse';
import { waitFor } from './wait';

/**
 * The main flows of Serat as its people meet them, through the HTTP API only, so that the very
 * same steps run against PostgreSQL (test/main-flows.e2e.spec.ts) and against the embedded
 * database that `npm start` opens (test/embedded.e2e.spec.ts). Each feature adds its flow here.
 * The flows run in order and build on each other (the import makes the segments the later flows
 * edit), in an empty corner of the region, so the demo network is not touched.
 */
export interface FlowTarget {
  baseUrl: string;
  /** An access token of a signed-in user with this role. */
  token(role: 'admin' | 'planner' | 'technician' | 'mentor'): Promise<string>;
  /** A user and password that may sign in (the planner's). */
  credentials: { login: string; password: string };
}

export interface Flow {
  name: string;
  run(target: FlowTarget, state: FlowState): Promise<void>;
}

/** What one flow leaves for the next. */
export interface FlowState {
  run: string;
  segments: { id: string; code: string; version: number; geometry: LineString; status: string }[];
}

export function newFlowState(): FlowState {
  return { run: randomBytes(3).toString('hex'), segments: [] };
}

const REAL = path.resolve(__dirname, '../../../shared/data/real-world');

async function call(target: FlowTarget, token: string, method: string, url: string, body?: unknown) {
  const response = await fetch(`${target.baseUrl}${url}`, {
    method,
    headers: { ...bearer(token), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const type = response.headers.get('content-type') ?? '';
  return { status: response.status, headers: response.headers, body: type.includes('json') ? await response.json() : Buffer.from(await response.arrayBuffer()) };
}

async function upload(target: FlowTarget, token: string, name: string, bytes: Buffer, options: object) {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)]), name);
  form.append('options', JSON.stringify(options));
  const response = await fetch(`${target.baseUrl}/api/imports`, { method: 'POST', headers: bearer(token), body: form });
  return { status: response.status, body: await response.json() };
}

/** Upload, dry run, commit, as a planner does it; returns the analysed and the committed import. */
async function importAndCommit(target: FlowTarget, name: string, bytes: Buffer, options: object) {
  const token = await target.token('planner');
  const settled = (id: string, states: string[]) =>
    waitFor(
      async () => {
        const row = (await call(target, token, 'GET', `/api/imports/${id}`)).body;
        return states.includes(row.state) ? row : undefined;
      },
      120000,
      `import ${name} to reach ${states.join('/')}`,
    );
  const created = await upload(target, token, name, bytes, options);
  expect(created.status).toBe(202);
  const analysed = await settled(created.body.id, ['ready', 'failed']);
  expect(analysed).toEqual(expect.objectContaining({ state: 'ready', progress: 100, errorCode: null }));
  const commit = await call(target, token, 'POST', `/api/imports/${created.body.id}/commit`);
  expect(commit.status).toBe(202);
  const committed = await settled(created.body.id, ['committed', 'failed']);
  expect(committed).toEqual(expect.objectContaining({ state: 'committed', errorCode: null }));
  return { analysed, committed };
}

/** Four cables in a row and a pole, in a corner of Kotim far from the demo network. */
function routeFile(run: string): FeatureCollection {
  const lon0 = 112.6 + parseInt(run, 16) / 0xffffff / 10;
  const lat = -2.2;
  const at = (i: number) => [lon0 + i * 0.01, lat + (i % 2) * 0.002];
  const lines: Feature[] = [0, 1, 2, 3].map((i) => ({
    type: 'Feature',
    properties: { code: `EMB-${run}-${i + 1}`, status: 'planned', cores: 24 },
    geometry: { type: 'LineString', coordinates: [at(i), [(at(i)[0] + at(i + 1)[0]) / 2, lat + 0.004], at(i + 1)] },
  }));
  const pole: Feature = { type: 'Feature', properties: { code: `EMB-${run}-T1`, name: 'Tiang uji' }, geometry: { type: 'Point', coordinates: [lon0 + 0.05, lat + 0.01] } };
  return { type: 'FeatureCollection', features: [...lines, pole] };
}

export const MAIN_FLOWS: Flow[] = [
  {
    name: 'signs in, and refuses a wrong password with a clear reason',
    run: async (target) => {
      const wrong = await fetch(`${target.baseUrl}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ login: target.credentials.login, password: 'salah-sekali-123', client: 'api' }),
      });
      expect(wrong.status).toBe(401);
      expect((await wrong.json()).error.code).toBe('INVALID_CREDENTIALS');
      const right = await fetch(`${target.baseUrl}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...target.credentials, client: 'api' }),
      });
      expect(right.status).toBe(200);
      const me = await call(target, (await right.json()).accessToken, 'GET', '/api/auth/me');
      expect(me.body.user).toEqual(expect.objectContaining({ role: 'planner' }));
    },
  },
  {
    name: 'imports a GeoJSON file: dry run, commit, and a second import of it changes nothing',
    run: async (target, state) => {
      const file = Buffer.from(JSON.stringify(routeFile(state.run)));
      const { analysed, committed } = await importAndCommit(target, `rute-${state.run}.geojson`, file, {});
      expect(analysed.summary).toEqual(expect.objectContaining({ features: 5, create: 5, reject: 0 }));
      expect(committed.summary).toEqual(expect.objectContaining({ create: 5, reject: 0 }));
      const again = await importAndCommit(target, `rute-${state.run}.geojson`, file, {});
      expect(again.analysed.summary).toEqual(expect.objectContaining({ create: 0, update: 0, unchanged: 5 }));
      // The cables are on the map, joined end to end (three shared nodes), as planned.
      const box = turf.bbox(routeFile(state.run));
      const page = await call(target, await target.token('planner'), 'GET', `/api/segments?bbox=${box.join(',')}`);
      const mine = page.body.features.filter((f: Feature) => String(f.properties!.code).startsWith(`EMB-${state.run}-`));
      expect(mine).toHaveLength(4);
      const ends = mine.flatMap((f: Feature) => [f.properties!.fromNodeId, f.properties!.toNodeId]);
      expect(new Set(ends).size).toBe(5);
      state.segments = mine
        .map((f: Feature) => ({ id: f.properties!.id, code: f.properties!.code, version: f.properties!.version, geometry: f.geometry as LineString, status: f.properties!.status }))
        .sort((a: { code: string }, b: { code: string }) => a.code.localeCompare(b.code));
      expect(state.segments.map((s) => s.status)).toEqual(['planned', 'planned', 'planned', 'planned']);
    },
  },
  {
    name: 'imports a KMZ with folders (the Sierra Leone network): dry run and commit',
    run: async (target, state) => {
      const { committed } = await importAndCommit(target, 'SLE.kmz', fs.readFileSync(path.join(REAL, 'watra-west-africa/SLE.kmz')), {
        regionCheck: false,
        source: `sle-${state.run}`,
      });
      expect(committed.summary.create).toBeGreaterThanOrEqual(90);
      expect(committed.summary.lengthM).toBeGreaterThan(1_000_000);
    },
  },
  {
    name: 'a file that cannot be read fails with its reason, and a retry runs it again; only a failed import may be retried',
    run: async (target, state) => {
      const token = await target.token('planner');
      const created = await upload(target, token, `rusak-${state.run}.geojson`, Buffer.from('{"type": "FeatureCollection", "features": [ {'), {});
      expect(created.status).toBe(202);
      const failedOnce = async (id: string) =>
        waitFor(
          async () => {
            const row = (await call(target, token, 'GET', `/api/imports/${id}`)).body;
            return ['failed', 'ready'].includes(row.state) ? row : undefined;
          },
          120000,
          `import ${id} to fail`,
        );
      const failed = await failedOnce(created.body.id);
      expect(failed).toEqual(expect.objectContaining({ state: 'failed', errorCode: 'MALFORMED', errorMessage: expect.any(String) }));
      // The planner's list shows it failed, with the reason (newest first).
      const listed = await call(target, token, 'GET', '/api/imports?limit=50');
      expect(listed.status).toBe(200);
      const imports: Array<{ id: string; state: string; errorCode: string | null }> = listed.body.imports;
      expect(imports.find((row) => row.id === created.body.id)).toEqual(expect.objectContaining({ state: 'failed', errorCode: 'MALFORMED' }));
      const retried = await call(target, token, 'POST', `/api/imports/${created.body.id}/retry`);
      expect(retried.status).toBe(202);
      expect(retried.body).toEqual(expect.objectContaining({ id: created.body.id, state: 'queued', errorCode: null }));
      // The same file fails the same way: the retry ran it again, it did not invent a success.
      const again = await failedOnce(created.body.id);
      expect(again).toEqual(expect.objectContaining({ state: 'failed', errorCode: 'MALFORMED' }));
      expect(again.version).toBeGreaterThan(failed.version);
      // The route imported by the earlier flow is applied: nothing to retry there.
      const committed = imports.find((row) => row.state === 'committed');
      expect(committed).toBeDefined();
      const refused = await call(target, token, 'POST', `/api/imports/${committed!.id}/retry`);
      expect(refused.status).toBe(409);
      expect(refused.body.error.code).toBe('IMPORT_NOT_FAILED');
    },
  },
  {
    name: 'an admin creates a user and finds them by a part of their name',
    run: async (target, state) => {
      const token = await target.token('admin');
      const created = await call(target, token, 'POST', '/api/users', {
        email: `teknisi-${state.run}@kotimkab.go.id`,
        username: `teknisi-${state.run}`,
        displayName: `Teknisi Uji ${state.run}`,
        role: 'technician',
        kecamatanCodes: ['62.02.05'],
      });
      expect(created.status).toBe(201);
      expect(created.body.temporaryPassword).toEqual(expect.any(String));
      const found = await call(target, token, 'GET', `/api/users?q=${encodeURIComponent(`uji ${state.run}`)}`);
      expect(found.status).toBe(200);
      expect(found.body.users.map((u: { username: string }) => u.username)).toEqual([`teknisi-${state.run}`]);
      const none = await call(target, token, 'GET', `/api/users?q=tidak-ada-${state.run}`);
      expect(none.body.users).toEqual([]);
    },
  },
  {
    name: 'edits a segment, and answers an edit made on a stale version with 409 and the current record',
    run: async (target, state) => {
      const token = await target.token('planner');
      const segment = state.segments[0];
      const edited = await call(target, token, 'PATCH', `/api/segments/${segment.id}`, { version: segment.version, coreCount: 48 });
      expect(edited.status).toBe(200);
      expect(edited.body).toEqual(expect.objectContaining({ coreCount: 48, version: segment.version + 1 }));
      const stale = await call(target, token, 'PATCH', `/api/segments/${segment.id}`, { version: segment.version, coreCount: 12 });
      expect(stale.status).toBe(409);
      expect(stale.body.error.code).toBe('VERSION_CONFLICT');
      expect(stale.body.error.details.current).toEqual(expect.objectContaining({ coreCount: 48, version: segment.version + 1 }));
      segment.version += 1;
    },
  },
  {
    name: "a planner's edit reaches a technician's open map through the live feed, and a reconnect resumes without a gap",
    run: async (target, state) => {
      const planner = await target.token('planner');
      const technician = await target.token('technician');
      const segment = state.segments[1];
      const edit = async (coreCount: number) => {
        const edited = await call(target, planner, 'PATCH', `/api/segments/${segment.id}`, { version: segment.version, coreCount });
        expect(edited.status).toBe(200);
        segment.version = edited.body.version;
      };
      const isEdit = (version: number) => (event: FeedEvent) =>
        event.event === 'change' && (event.data as { id: string }).id === segment.id && (event.data as { version: number }).version === version;
      const stream = await openFeed(target.baseUrl, technician);
      let resumeFrom: string;
      try {
        expect(stream.status).toBe(200);
        await stream.next((event) => event.event === 'ready', 30000);
        await edit(96);
        const change = await stream.next(isEdit(segment.version), 30000);
        expect(change.data).toEqual(expect.objectContaining({ entity: 'segment', action: 'update', after: expect.objectContaining({ coreCount: 96 }) }));
        resumeFrom = stream.lastId()!;
      } finally {
        stream.close();
      }
      await edit(144);
      const resumed = await openFeed(target.baseUrl, technician, resumeFrom);
      try {
        const missed = await resumed.next(isEdit(segment.version), 30000);
        expect((missed.data as { after: { coreCount: number } }).after.coreCount).toBe(144);
        expect(resumed.events.filter((event) => event.event === 'change' && (event.data as { id: string }).id === segment.id)).toHaveLength(1);
      } finally {
        resumed.close();
      }
    },
  },
  {
    name: 'moves a whole route along the lifecycle at once, all or nothing',
    run: async (target, state) => {
      const token = await target.token('technician');
      const route = state.segments.slice(0, 3);
      const moved = await call(target, token, 'POST', '/api/segments/status', {
        status: 'surveyed',
        note: 'survei rute',
        segments: route.map((s) => ({ id: s.id, version: s.version })),
      });
      expect(moved.status).toBe(201);
      expect(moved.body.segments.map((s: { status: string }) => s.status)).toEqual(['surveyed', 'surveyed', 'surveyed']);
      // One stale version among them: nothing moves.
      const refused = await call(target, token, 'POST', '/api/segments/status', { status: 'in_construction', segments: route.map((s) => ({ id: s.id, version: s.version })) });
      expect(refused.status).toBe(409);
      for (const [i, s] of route.entries()) s.version = moved.body.segments[i].version;
      const unchanged = await call(target, token, 'GET', `/api/segments/${route[1].id}`);
      expect(unchanged.body).toEqual(expect.objectContaining({ status: 'surveyed', version: route[1].version }));
    },
  },
  {
    name: 'changes a status with a photo from the field, kept in the history',
    run: async (target, state) => {
      const token = await target.token('technician');
      const segment = state.segments[0];
      const building = await call(target, token, 'POST', `/api/segments/${segment.id}/status`, { status: 'in_construction', version: segment.version });
      expect(building.status).toBe(201);
      const form = new FormData();
      form.append('photo', new Blob([new Uint8Array(await phonePhoto())], { type: 'image/jpeg' }), 'foto.jpg');
      const photo = await fetch(`${target.baseUrl}/api/photos`, { method: 'POST', headers: bearer(token), body: form });
      expect(photo.status).toBe(201);
      const photoId = (await photo.json()).id;
      const installed = await call(target, token, 'POST', `/api/segments/${segment.id}/status`, {
        status: 'installed',
        version: building.body.version,
        note: 'kabel terpasang',
        evidence: { photoIds: [photoId] },
      });
      expect(installed.status).toBe(201);
      segment.version = installed.body.version;
      const history = await call(target, token, 'GET', `/api/segments/${segment.id}/history`);
      expect(history.body.history[0]).toEqual(expect.objectContaining({ toStatus: 'installed', note: 'kabel terpasang', photoIds: [photoId] }));
      const served = await fetch(`${target.baseUrl}/api/photos/${photoId}/thumbnail`, { headers: bearer(token) });
      expect(served.status).toBe(200);
    },
  },
  {
    name: 'splits a segment at a point on its route: two halves with the history',
    run: async (target, state) => {
      const token = await target.token('planner');
      const segment = state.segments[3];
      const middle = turf.along(turf.lineString(segment.geometry.coordinates), turf.length(turf.lineString(segment.geometry.coordinates)) / 3);
      const split = await call(target, token, 'POST', `/api/segments/${segment.id}/split`, { version: segment.version, point: middle.geometry, nodeKind: 'handhole' });
      expect(split.status).toBe(201);
      expect(split.body.node).toEqual(expect.objectContaining({ kind: 'handhole' }));
      expect(split.body.first.lengthM + split.body.second.lengthM).toBeCloseTo(turf.length(turf.lineString(segment.geometry.coordinates), { units: 'meters' }), -1);
      const history = await call(target, token, 'GET', `/api/segments/${split.body.second.id}/history`);
      expect(history.body.history.length).toBeGreaterThanOrEqual(1);
    },
  },
  {
    name: 'exports the network as GeoJSON and KMZ, filtered by status',
    run: async (target, state) => {
      const token = await target.token('planner');
      const geojson = await call(target, token, 'GET', '/api/exports/segments.geojson?status=installed');
      expect(geojson.status).toBe(200);
      const exported = JSON.parse(Buffer.isBuffer(geojson.body) ? geojson.body.toString('utf8') : JSON.stringify(geojson.body)) as FeatureCollection;
      expect(exported.features.map((f) => f.properties!.code)).toContain(state.segments[0].code);
      expect(exported.features.every((f) => f.properties!.status === 'installed')).toBe(true);
      const kmz = await call(target, token, 'GET', '/api/exports/segments.kmz');
      expect(kmz.status).toBe(200);
      expect((kmz.body as Buffer).subarray(0, 2).toString('latin1')).toBe('PK');
    },
  },
  {
    name: 'lists the imported route in the inventory, searched, filtered, sorted and paged, and exports that filter row for row',
    run: async (target, state) => {
      const token = await target.token('planner');
      const filter = `q=${encodeURIComponent(`emb-${state.run}-`)}&status=planned,surveyed,installed`;
      const listed: { id: string; code: string; status: string }[] = [];
      let total = -1;
      for (let offset = 0; total < 0 || offset < total; offset += 2) {
        const page = await call(target, token, 'GET', `/api/inventory/segments?${filter}&sort=code&order=desc&limit=2&offset=${offset}`);
        expect(page.status).toBe(200);
        total = page.body.total;
        listed.push(...page.body.rows);
      }
      // The import's four cables and the halves of the split one, newest code first, each once.
      expect(listed.length).toBeGreaterThanOrEqual(4);
      expect(new Set(listed.map((row) => row.id)).size).toBe(listed.length);
      expect(listed.map((row) => row.code)).toEqual(
        listed
          .map((row) => row.code)
          .sort()
          .reverse(),
      );
      expect(listed.map((row) => row.code)).toContain(state.segments[0].code);
      expect(listed.every((row) => row.code.startsWith(`EMB-${state.run}-`) && ['planned', 'surveyed', 'installed'].includes(row.status))).toBe(true);
      const csv = await call(target, token, 'GET', `/api/exports/segments.csv?${filter}`);
      expect(csv.status).toBe(200);
      const exported = parseCsv((csv.body as Buffer).toString('utf8').replace(/^\uFEFF/, ''), { columns: true }) as { code: string }[];
      expect(exported.map((row) => row.code)).toEqual(listed.map((row) => row.code).reverse());
      const refused = await call(target, token, 'GET', '/api/inventory/segments?sort=geom');
      expect(refused.status).toBe(400);
    },
  },
  {
    name: 'reads the map a tile at a time: the route in its tiles, a 304 while nothing under a tile changed, a new answer once it did',
    run: async (target, state) => {
      const token = await target.token('technician');
      const segment = state.segments[0];
      const [lon, lat] = segment.geometry.coordinates[0];
      const [tile] = tilesCovering([lon, lat, lon, lat], 12);
      const path = `/api/map/tiles/${tileKey(tile)}`;
      const first = await call(target, token, 'GET', path);
      expect(first.status).toBe(200);
      expect(first.headers.get('cache-control')).toBe('private, no-cache');
      const etag = first.headers.get('etag');
      expect(etag).toBeTruthy();
      const body = first.body as MapTile;
      expect(body).toEqual(expect.objectContaining({ z: 12, x: tile.x, y: tile.y, bbox: tileBbox(tile) }));
      const found = body.segments.features.find((f) => f.properties.id === segment.id);
      expect(found).toEqual(expect.objectContaining({ properties: expect.objectContaining({ code: segment.code, version: segment.version }) }));
      // Whole routes, not clipped, in the decimals the tile's zoom needs.
      expect(found!.geometry.coordinates).toHaveLength(segment.geometry.coordinates.length);
      expect(body.nodes.features.length).toBeGreaterThan(0);
      // As a browser revalidates its copy (fetch() alone would add "Cache-Control: no-cache", which asks for the whole answer).
      const revalidate = () => fetch(`${target.baseUrl}${path}`, { headers: { ...bearer(token), 'if-none-match': etag!, 'cache-control': 'max-age=0' } });
      const again = await revalidate();
      expect(again.status).toBe(304);
      const planner = await target.token('planner');
      const edited = await call(target, planner, 'PATCH', `/api/segments/${segment.id}`, { version: segment.version, coreCount: 72 });
      expect(edited.status).toBe(200);
      segment.version = edited.body.version;
      const changed = await revalidate();
      expect(changed.status).toBe(200);
      expect(changed.headers.get('etag')).not.toBe(etag);
      const fresh = ((await changed.json()) as MapTile).segments.features.find((f) => f.properties.id === segment.id);
      expect(fresh!.properties).toEqual(expect.objectContaining({ coreCount: 72, version: segment.version }));
      // A tile far away holds none of it; a tile that is not on the grid is refused with the reason.
      const far = await call(target, token, 'GET', `/api/map/tiles/${tileKey(tilesCovering([lon + 1, lat + 1, lon + 1, lat + 1], 12)[0])}`);
      expect((far.body as MapTile).segments.features.some((f) => f.properties.id === segment.id)).toBe(false);
      const refused = await call(target, token, 'GET', '/api/map/tiles/3/8/0');
      expect(refused.status).toBe(400);
      expect(refused.body.error.details).toEqual([expect.objectContaining({ field: 'x' })]);
    },
  },
  {
    name: 'a cut drop takes its site off "connected" at once, and its repair brings it back',
    run: async (target) => {
      const token = await target.token('planner');
      type SiteRow = { properties: { code: string; connected: boolean; terminationNodeId: string | null } };
      const connectedCodes = async () =>
        ((await call(target, token, 'GET', '/api/sites?limit=500')).body.features as SiteRow[]).filter((f) => f.properties.connected).map((f) => f.properties.code);
      const before = await connectedCodes();
      expect(before.length).toBeGreaterThan(1);
      const sites = (await call(target, token, 'GET', '/api/sites?limit=500')).body.features as SiteRow[];
      const segments = (await call(target, token, 'GET', '/api/segments?limit=500')).body.features as {
        properties: { id: string; tier: string; status: string; fromNodeId: string; toNodeId: string };
      }[];
      // An active drop to a connected site: cutting it can only cut that site off.
      const drop = segments.find(
        (s) =>
          s.properties.tier === 'drop' &&
          s.properties.status === 'active' &&
          sites.some((site) => before.includes(site.properties.code) && [s.properties.fromNodeId, s.properties.toNodeId].includes(site.properties.terminationNodeId!)),
      )!;
      expect(drop).toBeDefined();
      const victim = sites.find((site) => [drop.properties.fromNodeId, drop.properties.toNodeId].includes(site.properties.terminationNodeId!))!.properties.code;
      const move = async (status: string) => {
        const current = (await call(target, token, 'GET', `/api/segments/${drop.properties.id}`)).body;
        const moved = await call(target, token, 'POST', `/api/segments/${drop.properties.id}/status`, {
          status,
          version: current.version,
          note: 'uji: putus lalu diperbaiki',
        });
        expect(moved.status).toBe(201);
      };
      await move('damaged');
      expect(await connectedCodes()).toEqual(before.filter((code) => code !== victim));
      // The repair only joins: the refresh walks out from the drop's ends.
      await move('active');
      expect((await connectedCodes()).sort()).toEqual([...before].sort());
    },
  },
  {
    name: "a planner reads progress and savings per area, records the day, and moves a phase's scope only with a reason",
    run: async (target, state) => {
      const token = await target.token('planner');
      // The demo's 36 SOPD pay Rp 7,000,000 a month each for commercial internet.
      const savings = await call(target, token, 'GET', '/api/savings?level=region&kind=sopd');
      expect(savings.status).toBe(200);
      expect(savings.body.areas[0]).toMatchObject({ sitesInScope: 36, sitesWithBill: 36, ispBillPerMonthIdr: 252_000_000, ispBillPerYearIdr: 3_024_000_000 });
      const region = (await call(target, token, 'GET', '/api/progress?level=region')).body.areas[0];
      const kecamatan = await call(target, token, 'GET', '/api/progress?level=kecamatan');
      expect(kecamatan.status).toBe(200);
      expect(kecamatan.body.areas).toHaveLength(17);
      const sum = (key: 'sitesInScope' | 'sitesConnected' | 'sitesPassed') => kecamatan.body.areas.reduce((total: number, area: Record<string, number>) => total + area[key], 0);
      expect(sum('sitesInScope')).toBe(region.sitesInScope);
      expect(sum('sitesConnected')).toBe(region.sitesConnected);
      expect(sum('sitesPassed')).toBe(region.sitesPassed);
      expect(region.sitesConnected).toBeGreaterThan(0);
      expect(region.percentBySites).toBe(Math.round((region.sitesConnected / region.sitesInScope) * 1000) / 10);

      const snapshot = await call(target, token, 'POST', '/api/progress/snapshots', {});
      expect(snapshot.status).toBe(200);
      expect(snapshot.body.day).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      const history = await call(target, token, 'GET', '/api/progress/history?area=');
      expect(history.status).toBe(200);
      const last = history.body.points[history.body.points.length - 1];
      expect(last).toMatchObject({ source: 'live', day: snapshot.body.day, sitesConnected: region.sitesConnected, sitesInScope: region.sitesInScope });
      // Recorded today, and shown as now: one point per day.
      expect(history.body.points.filter((point: { day: string }) => point.day === snapshot.body.day)).toHaveLength(1);

      const phase = await call(target, token, 'POST', '/api/phases', { code: `TAHAP-${state.run}`, name: `Tahap uji ${state.run}`, budgetYear: 2027, budgetIdr: 2_500_000_000 });
      expect(phase.status).toBe(201);
      const codes = state.segments.slice(0, 3).map((segment) => segment.code);
      const unexplained = await call(target, token, 'POST', `/api/phases/${phase.body.id}/scope`, { action: 'add', segments: codes, reason: '  ' });
      expect(unexplained.status).toBe(422);
      expect(unexplained.body.error.code).toBe('SCOPE_REASON_REQUIRED');
      const unknown = await call(target, token, 'POST', `/api/phases/${phase.body.id}/scope`, { action: 'add', segments: [...codes, 'TIDAK-ADA'], reason: 'Kontrak tahap uji' });
      expect(unknown.status).toBe(422);
      expect((await call(target, token, 'GET', `/api/phases/${phase.body.id}`)).body.scope.segments).toBe(0);
      const added = await call(target, token, 'POST', `/api/phases/${phase.body.id}/scope`, { action: 'add', segments: codes, reason: 'Kontrak tahap uji' });
      expect(added.status).toBe(200);
      expect(added.body).toMatchObject({ added: codes.length, scope: { segments: codes.length } });
      const changes = (await call(target, token, 'GET', `/api/phases/${phase.body.id}/scope-changes`)).body.changes;
      expect(changes.map((c: { itemCode: string; reason: string; action: string }) => [c.itemCode, c.action, c.reason]).sort()).toEqual(
        codes.map((code) => [code, 'added', 'Kontrak tahap uji']).sort(),
      );
      const phased = (await call(target, token, 'GET', `/api/progress?level=region&phase=${phase.body.id}`)).body.areas[0];
      expect(phased.lengthInScopeM).toBeCloseTo(added.body.scope.lengthM, 2);
    },
  },
  {
    name: 'a mentor asks for changes to a milestone, the planner records it done with evidence and answers, and the mentor approves',
    run: async (target, state) => {
      const planner = await target.token('planner');
      const mentor = await target.token('mentor');
      const phase = await call(target, planner, 'POST', '/api/phases', { code: `TAHAP-M-${state.run}`, name: `Tahap tonggak ${state.run}`, targetDate: '2027-12-31' });
      const counted = await call(target, planner, 'POST', '/api/milestones', {
        code: `TG-SOPD-${state.run}`,
        title: 'Semua SOPD tahap ini terhubung',
        category: 'construction',
        phaseId: phase.body.id,
        criterion: 'sites_connected',
        targetValue: 100,
        siteKind: 'sopd',
        targetDate: '2027-12-31',
      });
      expect([counted.status, counted.body.error]).toEqual([201, undefined]);
      // Nothing in the phase yet: nothing done, nothing moving.
      expect(counted.body.evaluation).toMatchObject({ state: 'pending', value: 0, target: 100, unit: 'percent' });
      expect(counted.body.requiredEvidence).toEqual(['photo', 'gps']);

      const handover = await call(target, planner, 'POST', '/api/milestones', {
        code: `TG-BAST-${state.run}`,
        title: 'Berita acara serah terima',
        category: 'handover',
        criterion: 'manual',
        targetDate: '2027-06-30',
      });
      expect(handover.status).toBe(201);
      const id = handover.body.id;
      const notYet = await call(target, mentor, 'POST', `/api/milestones/${id}/reviews`, { verdict: 'approve', body: 'Disetujui.' });
      expect([notYet.status, notYet.body.error.code]).toEqual([422, 'APPROVAL_NOT_ACHIEVED']);
      const asked = await call(target, mentor, 'POST', `/api/milestones/${id}/reviews`, { verdict: 'request_changes', body: 'Lampirkan berita acara yang ditandatangani.' });
      expect(asked.status).toBe(201);
      const planners = await call(target, planner, 'GET', '/api/milestones?awaiting=answer&limit=200');
      expect(planners.body.milestones.map((m: { id: string }) => m.id)).toContain(id);

      const form = new FormData();
      form.append('photo', new Blob([new Uint8Array(await phonePhoto())], { type: 'image/jpeg' }), 'bast.jpg');
      const photo = await (await fetch(`${target.baseUrl}/api/photos`, { method: 'POST', headers: bearer(planner), body: form })).json();
      const done = await call(target, planner, 'POST', `/api/milestones/${id}/completion`, { doneOn: '2026-01-15', note: 'BAST ditandatangani Kadis.', photoIds: [photo.id] });
      expect([done.status, done.body.error]).toEqual([200, undefined]);
      expect(done.body).toMatchObject({ manualDoneOn: '2026-01-15', evaluation: { state: 'achieved', achievedOn: '2026-01-15' }, evidence: { attachedPhotos: 1, complete: true } });
      const answered = await call(target, planner, 'POST', `/api/milestones/${id}/comments`, { body: 'Berita acara sudah dilampirkan.' });
      expect(answered.body).toMatchObject({ kind: 'reply', refersTo: asked.body.id });
      const mentors = await call(target, mentor, 'GET', '/api/milestones?awaiting=review&limit=200');
      expect(mentors.body.milestones.find((m: { id: string }) => m.id === id)).toMatchObject({ review: { status: 'awaiting_review', entries: 2 } });

      const approved = await call(target, mentor, 'POST', `/api/milestones/${id}/reviews`, { verdict: 'approve', body: 'Sesuai, disetujui.' });
      expect([approved.status, approved.body.error]).toEqual([201, undefined]);
      expect(approved.body).toMatchObject({ verdict: 'approve', refersTo: asked.body.id, atState: { state: 'achieved', evidenceComplete: true } });
      const thread = await call(target, planner, 'GET', `/api/milestones/${id}/thread`);
      expect(thread.body.entries.map((e: { kind: string; verdict: string | null; supersededBy: string | null }) => [e.kind, e.verdict, e.supersededBy])).toEqual([
        ['review', 'request_changes', approved.body.id],
        ['reply', null, null],
        ['review', 'approve', null],
      ]);
      expect((await call(target, planner, 'GET', `/api/milestones/${id}`)).body.review).toMatchObject({ status: 'approved', entries: 3 });
      // Replies are the planners', reviews the mentors'.
      expect((await call(target, planner, 'POST', `/api/milestones/${id}/reviews`, { verdict: 'approve', body: 'x' })).status).toBe(403);
      expect((await call(target, mentor, 'POST', `/api/milestones/${id}/comments`, { body: 'x' })).status).toBe(403);

      // The evidence pack an auditor takes away: the signed BAST, the thread, a checksum of each file.
      const asked2 = await call(target, mentor, 'POST', `/api/milestones/${id}/evidence-pack`, {});
      expect([asked2.status, asked2.body.state]).toEqual([202, 'queued']);
      const pack = await waitFor(
        async () => {
          const view = await call(target, mentor, 'GET', `/api/evidence-packs/${asked2.body.id}`);
          return view.body.state === 'done' || view.body.state === 'failed' ? view.body : undefined;
        },
        30000,
        'the evidence pack',
      );
      expect([pack.state, pack.error]).toEqual(['done', null]);
      const zip = Buffer.from(await (await fetch(`${target.baseUrl}${pack.downloadUrl}`, { headers: bearer(mentor) })).arrayBuffer());
      const files = await readZip(zip);
      expect(files.has(`lampiran/${photo.id}.jpg`)).toBe(true);
      expect(files.get('tinjauan.csv')!.toString('utf8').trim().split('\r\n')).toHaveLength(4);
      expect(files.get('sha256sum.txt')!.toString('utf8')).toContain(`  lampiran/${photo.id}.jpg`);
    },
  },
  {
    name: 'monitors the endpoint of an agency and sees its checks come in, up',
    run: async (target) => {
      const planner = await target.token('planner');
      // An endpoint on this machine's own network address (a private or test range: allowed with nothing configured).
      const address = Object.values(os.networkInterfaces())
        .flat()
        .find((entry) => entry?.family === 'IPv4' && !entry.internal)?.address;
      if (!address) throw new Error('this flow needs a network address besides loopback, for an endpoint the default target policy allows');
      const endpoint = http.createServer((_request, response) => response.end('SIMPEG normal'));
      await new Promise<void>((resolve) => endpoint.listen(0, address, resolve));
      try {
        const url = `http://${address}:${(endpoint.address() as AddressInfo).port}/status`;
        const site = ((await call(target, planner, 'GET', '/api/sites?limit=1')).body.features as { properties: { id: string } }[])[0];
        const made = await call(target, planner, 'POST', '/api/monitors', {
          siteId: site.properties.id,
          name: 'SIMPEG',
          kind: 'http',
          target: url,
          keyword: 'normal',
          intervalS: 10,
          timeoutMs: 2000,
        });
        expect([made.status, made.body.error]).toEqual([201, undefined]);
        const up = await waitFor(
          async () => {
            const monitor = await call(target, planner, 'GET', `/api/monitors/${made.body.id}`);
            return monitor.body.state === 'up' ? monitor.body : undefined;
          },
          45000,
          'the monitor up',
        );
        expect(up).toMatchObject({ lastOk: true, lastError: null });
        const results = await call(target, planner, 'GET', `/api/monitors/${made.body.id}/results`);
        expect(results.body.results[0]).toMatchObject({ ok: true, statusCode: 200, error: null });
        expect((await call(target, planner, 'DELETE', `/api/monitors/${made.body.id}`)).status).toBe(204);
      } finally {
        endpoint.closeAllConnections();
        await new Promise<void>((resolve) => endpoint.close(() => resolve()));
      }
    },
  },
];
