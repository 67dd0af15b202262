import type { Role } from '@serat/domain';
import sharp from 'sharp';
import { ROLES, UsersRepository } from '@serat/domain';
import type { RunningApi } from './apps';
import { bearer, createTestUser, signIn, TestUser } from './auth';
import type { OpenTestDatabase } from './databases';
import { TestServer, useTestServer } from './server';

export type Who = Role | 'anonymous';
export type Allowed = 'public' | 'signed-in' | Role[];

export interface Call {
  body?: unknown;
  form?: FormData;
  path: string;
  /** A token of the same role to use instead of the shared one (for calls that end it). */
  token?: string;
}

/**
 * The access table of the README, route by route, with a valid request for each. The access
 * matrix checks that this table names exactly the routes the api has, then that every role gets
 * what the table says; the hostile-input walk starts from each valid request and spoils it.
 */
export const ROUTE_TABLE: Record<string, { allowed: Allowed; call: (who: Who, ctx: RouteContext) => Promise<Call> }> = {
  'GET /api/health': { allowed: 'public', call: async () => ({ path: '/api/health' }) },
  'GET /api/events': { allowed: 'signed-in', call: async () => ({ path: '/api/events' }) },
  'GET /api/meta': { allowed: 'public', call: async () => ({ path: '/api/meta' }) },
  'POST /api/auth/login': {
    allowed: 'public',
    call: async (_who, ctx) => ({ path: '/api/auth/login', body: { login: ctx.loginUser.username, password: ctx.loginUser.password } }),
  },
  'POST /api/auth/refresh': {
    allowed: 'public',
    call: async (_who, ctx) => {
      const tokens = await (await post(ctx, '/api/auth/login', { login: ctx.loginUser.username, password: ctx.loginUser.password, client: 'api' })).json();
      return { path: '/api/auth/refresh', body: { refreshToken: tokens.refreshToken } };
    },
  },
  'GET /api/auth/demo-accounts': { allowed: 'public', call: async () => ({ path: '/api/auth/demo-accounts' }) },
  'POST /api/auth/logout': {
    allowed: 'signed-in',
    call: async (who, ctx) => ({ path: '/api/auth/logout', token: who === 'anonymous' ? undefined : await signIn(ctx.api.baseUrl, ctx.users[who]) }),
  },
  'GET /api/auth/me': { allowed: 'signed-in', call: async () => ({ path: '/api/auth/me' }) },
  'POST /api/auth/password': {
    allowed: 'signed-in',
    call: async (who, ctx) => {
      if (who === 'anonymous') return { path: '/api/auth/password', body: { currentPassword: 'x', newPassword: 'y' } };
      const user = await createTestUser(ctx.db.dataSource, who);
      return { path: '/api/auth/password', body: { currentPassword: user.password, newPassword: `${user.password}-Baru!` }, token: await signIn(ctx.api.baseUrl, user) };
    },
  },
  'POST /api/auth/tokens': { allowed: 'signed-in', call: async () => ({ path: '/api/auth/tokens', body: { name: 'script' } }) },
  'GET /api/auth/tokens': { allowed: 'signed-in', call: async () => ({ path: '/api/auth/tokens' }) },
  'DELETE /api/auth/tokens/:id': {
    allowed: 'signed-in',
    call: async (who, ctx) => {
      if (who === 'anonymous') return { path: '/api/auth/tokens/00000000-0000-4000-8000-000000000000' };
      const created = await (await post(ctx, '/api/auth/tokens', { name: 'to revoke' }, ctx.tokens[who])).json();
      return { path: `/api/auth/tokens/${created.id}` };
    },
  },
  'GET /api/users': { allowed: ['admin'], call: async () => ({ path: '/api/users' }) },
  'POST /api/users': {
    allowed: ['admin'],
    call: async (who) => ({ path: '/api/users', body: { email: `new-${who}@test.serat.invalid`, username: `new-${who}`, displayName: 'Baru', role: 'viewer' } }),
  },
  'PATCH /api/users/:id': {
    allowed: ['admin'],
    call: async (_who, ctx) => ({ path: `/api/users/${(await createTestUser(ctx.db.dataSource, 'viewer')).id}`, body: { displayName: 'Diubah' } }),
  },
  'GET /api/audit': { allowed: ['admin'], call: async () => ({ path: '/api/audit?entity=user' }) },
  'GET /api/areas': { allowed: 'signed-in', call: async () => ({ path: '/api/areas?level=kecamatan' }) },
  'GET /api/areas/figures': { allowed: 'signed-in', call: async () => ({ path: '/api/areas/figures?level=desa&parent=62.02&limit=5' }) },
  'GET /api/map/summary': { allowed: 'signed-in', call: async () => ({ path: '/api/map/summary' }) },
  'GET /api/sites': { allowed: 'signed-in', call: async () => ({ path: '/api/sites?limit=5' }) },
  'GET /api/nodes': { allowed: 'signed-in', call: async () => ({ path: '/api/nodes?limit=5' }) },
  'GET /api/segments': { allowed: 'signed-in', call: async () => ({ path: '/api/segments?limit=5' }) },
  'GET /api/inventory/segments': { allowed: 'signed-in', call: async () => ({ path: '/api/inventory/segments?status=active,planned&sort=lengthM&order=desc&limit=5&q=DS' }) },
  'GET /api/inventory/nodes': { allowed: 'signed-in', call: async () => ({ path: '/api/inventory/nodes?kind=odp&area=62.02.06&sort=name&offset=1&limit=5' }) },
  'GET /api/inventory/sites': { allowed: 'signed-in', call: async () => ({ path: '/api/inventory/sites?kind=sopd,puskesmas&sort=kecamatan&limit=5' }) },
  'GET /api/map/tiles/:z/:x/:y': { allowed: 'signed-in', call: async () => ({ path: '/api/map/tiles/6/52/32' }) },
  'GET /api/phases': { allowed: 'signed-in', call: async () => ({ path: '/api/phases?limit=5' }) },
  'POST /api/phases': {
    allowed: ['admin', 'planner'],
    call: async (who, ctx) => ({
      path: '/api/phases',
      body: { code: `TAHAP-M-${who}-${ctx.next()}`, name: 'Tahap uji', budgetYear: 2027, targetDate: '2027-12-31', budgetIdr: 1500000000, areaCode: '62.02.06' },
    }),
  },
  'GET /api/phases/:id': { allowed: 'signed-in', call: async (_who, ctx) => ({ path: `/api/phases/${(await ctx.newPhase()).id}` }) },
  'PATCH /api/phases/:id': {
    allowed: ['admin', 'planner'],
    call: async (_who, ctx) => {
      const phase = await ctx.newPhase();
      return { path: `/api/phases/${phase.id}`, body: { name: 'Tahap diubah', version: 1 } };
    },
  },
  'POST /api/phases/:id/scope': {
    allowed: ['admin', 'planner'],
    call: async (_who, ctx) => {
      const phase = await ctx.newPhase();
      const [site] = await ctx.db.dataSource.query(`SELECT code FROM sites ORDER BY code LIMIT 1`);
      return { path: `/api/phases/${phase.id}/scope`, body: { action: 'add', sites: [site.code], reason: 'Uji akses' } };
    },
  },
  'GET /api/phases/:id/scope-changes': { allowed: 'signed-in', call: async (_who, ctx) => ({ path: `/api/phases/${(await ctx.newPhase()).id}/scope-changes?limit=5` }) },
  'GET /api/progress': { allowed: 'signed-in', call: async () => ({ path: '/api/progress?level=desa&parent=62.02.06&limit=5' }) },
  'GET /api/progress/history': { allowed: 'signed-in', call: async () => ({ path: '/api/progress/history?area=62.02.06&from=2020-01-01' }) },
  'POST /api/progress/snapshots': { allowed: ['admin', 'planner'], call: async () => ({ path: '/api/progress/snapshots', body: {} }) },
  'GET /api/savings': { allowed: 'signed-in', call: async () => ({ path: '/api/savings?level=kecamatan&kind=sopd&limit=5' }) },
  'GET /api/reports/progress.csv': { allowed: 'signed-in', call: async () => ({ path: '/api/reports/progress.csv?level=kecamatan' }) },
  'GET /api/reports/savings.csv': { allowed: 'signed-in', call: async () => ({ path: '/api/reports/savings.csv?level=kecamatan&kind=sopd' }) },
  'GET /api/reports/milestones.csv': { allowed: 'signed-in', call: async () => ({ path: '/api/reports/milestones.csv' }) },
  'GET /api/reports/progress.html': { allowed: 'signed-in', call: async () => ({ path: '/api/reports/progress.html' }) },
  'GET /api/reports/progress.pdf': { allowed: 'signed-in', call: async () => ({ path: '/api/reports/progress.pdf' }) },
  'GET /api/milestones': { allowed: 'signed-in', call: async () => ({ path: '/api/milestones?awaiting=review&limit=5' }) },
  'POST /api/milestones': {
    allowed: ['admin', 'planner'],
    call: async (who, ctx) => ({
      path: '/api/milestones',
      body: {
        code: `TM-${who}-${ctx.next()}`,
        title: 'SOPD terhubung',
        category: 'construction',
        phaseId: (await ctx.newPhase()).id,
        criterion: 'sites_connected',
        targetValue: 100,
        targetDate: '2027-12-31',
      },
    }),
  },
  'GET /api/milestones/:id': { allowed: 'signed-in', call: async (_who, ctx) => ({ path: `/api/milestones/${(await ctx.newMilestone()).id}` }) },
  'PATCH /api/milestones/:id': {
    allowed: ['admin', 'planner'],
    call: async (_who, ctx) => ({ path: `/api/milestones/${(await ctx.newMilestone()).id}`, body: { title: 'Tonggak diubah', version: 1 } }),
  },
  'POST /api/milestones/:id/reviews': {
    allowed: ['mentor'],
    call: async (_who, ctx) => ({ path: `/api/milestones/${(await ctx.newMilestone()).id}/reviews`, body: { verdict: 'request_changes', body: 'Lengkapi foto setiap segmen.' } }),
  },
  'POST /api/milestones/:id/comments': {
    allowed: ['admin', 'planner'],
    call: async (_who, ctx) => ({ path: `/api/milestones/${(await ctx.newMilestone()).id}/comments`, body: { body: 'Sudah selesai, mohon ditinjau.' } }),
  },
  'GET /api/milestones/:id/thread': { allowed: 'signed-in', call: async (_who, ctx) => ({ path: `/api/milestones/${(await ctx.newMilestone()).id}/thread?limit=5` }) },
  'GET /api/milestones/:id/evidence': {
    allowed: 'signed-in',
    call: async (_who, ctx) => ({ path: `/api/milestones/${(await ctx.newMilestone()).id}/evidence?missing=photo&limit=5` }),
  },
  'POST /api/milestones/:id/completion': {
    allowed: ['admin', 'planner'],
    call: async (who, ctx) => {
      const milestone = await ctx.newMilestone('manual');
      // A photo of the caller's own (an allowed role), else any: the others are refused before it is looked at.
      const photo = await ctx.newPhoto(who === 'admin' || who === 'planner' ? who : 'technician');
      return { path: `/api/milestones/${milestone.id}/completion`, body: { doneOn: '2026-01-15', note: 'Berita acara serah terima ditandatangani.', photoIds: [photo] } };
    },
  },
  'POST /api/milestones/:id/evidence-pack': {
    allowed: 'signed-in',
    call: async (_who, ctx) => ({ path: `/api/milestones/${(await ctx.newMilestone('manual')).id}/evidence-pack`, body: {} }),
  },
  'GET /api/evidence-packs/:id': { allowed: 'signed-in', call: async (_who, ctx) => ({ path: `/api/evidence-packs/${await ctx.newEvidencePack()}` }) },
  'GET /api/evidence-packs/:id/download': { allowed: 'signed-in', call: async (_who, ctx) => ({ path: `/api/evidence-packs/${await ctx.newEvidencePack()}/download` }) },
  'GET /api/monitors': { allowed: 'signed-in', call: async () => ({ path: '/api/monitors?limit=5' }) },
  'POST /api/monitors': {
    allowed: ['admin', 'planner'],
    call: async (_who, ctx) => ({ path: '/api/monitors', body: { siteId: await ctx.anySite(), name: 'Router SOPD', kind: 'tcp', target: `10.20.0.${ctx.next() % 250}:443` } }),
  },
  'GET /api/monitors/:id': { allowed: 'signed-in', call: async (_who, ctx) => ({ path: `/api/monitors/${await ctx.newMonitor()}` }) },
  'PATCH /api/monitors/:id': {
    allowed: ['admin', 'planner'],
    call: async (_who, ctx) => ({ path: `/api/monitors/${await ctx.newMonitor()}`, body: { paused: true, version: 1 } }),
  },
  'DELETE /api/monitors/:id': { allowed: ['admin', 'planner'], call: async (_who, ctx) => ({ path: `/api/monitors/${await ctx.newMonitor()}` }) },
  'GET /api/monitors/:id/results': { allowed: 'signed-in', call: async (_who, ctx) => ({ path: `/api/monitors/${await ctx.newMonitor()}/results` }) },
  'GET /api/outages': { allowed: 'signed-in', call: async () => ({ path: '/api/outages?open=true' }) },
  'GET /api/savings/sites': { allowed: 'signed-in', call: async () => ({ path: '/api/savings/sites?kind=sopd&limit=5' }) },
  'POST /api/segments/:id/status': {
    allowed: ['admin', 'planner', 'technician'],
    call: async (_who, ctx) => {
      const segment = await ctx.newSegment();
      return { path: `/api/segments/${segment.id}/status`, body: { status: 'surveyed', version: segment.version } };
    },
  },
  'POST /api/nodes/:id/status': {
    allowed: ['admin', 'planner', 'technician'],
    call: async (_who, ctx) => {
      const node = await ctx.newNode();
      return { path: `/api/nodes/${node.id}/status`, body: { status: 'surveyed', version: node.version } };
    },
  },
  'POST /api/nodes': {
    allowed: ['admin', 'planner'],
    call: async (who, ctx) => ({
      path: '/api/nodes',
      body: { code: `ODP-M-${who}-${ctx.next()}`, kind: 'odp', geometry: { type: 'Point', coordinates: [112.95 + ctx.next() / 10000, -2.53] } },
    }),
  },
  'GET /api/nodes/:id': { allowed: 'signed-in', call: async (_who, ctx) => ({ path: `/api/nodes/${(await ctx.newNode()).id}` }) },
  'PATCH /api/nodes/:id': {
    allowed: ['admin', 'planner'],
    call: async (_who, ctx) => {
      const node = await ctx.newNode();
      return { path: `/api/nodes/${node.id}`, body: { name: 'Diubah', version: node.version } };
    },
  },
  'DELETE /api/nodes/:id': {
    allowed: ['admin', 'planner'],
    call: async (_who, ctx) => {
      const node = await ctx.newNode();
      return { path: `/api/nodes/${node.id}?version=${node.version}` };
    },
  },
  'GET /api/nodes/:id/history': {
    allowed: 'signed-in',
    call: async (_who, ctx) => ({ path: `/api/nodes/${(await ctx.db.dataSource.query(`SELECT id FROM nodes LIMIT 1`))[0].id}/history` }),
  },
  'POST /api/segments': {
    allowed: ['admin', 'planner'],
    call: async (who, ctx) => {
      const x = 112.9 + ctx.next() / 1000;
      return {
        path: '/api/segments',
        body: {
          code: `DS-M-${who}-${ctx.next()}`,
          geometry: {
            type: 'LineString',
            coordinates: [
              [x, -2.6],
              [x + 0.0005, -2.6005],
            ],
          },
        },
      };
    },
  },
  'GET /api/segments/:id': { allowed: 'signed-in', call: async (_who, ctx) => ({ path: `/api/segments/${(await ctx.newSegment()).id}` }) },
  'GET /api/segments/:id/history': { allowed: 'signed-in', call: async (_who, ctx) => ({ path: `/api/segments/${(await ctx.newSegment()).id}/history` }) },
  'PATCH /api/segments/:id': {
    allowed: ['admin', 'planner'],
    call: async (_who, ctx) => {
      const segment = await ctx.newSegment();
      return { path: `/api/segments/${segment.id}`, body: { coreCount: 12, version: segment.version } };
    },
  },
  'DELETE /api/segments/:id': {
    allowed: ['admin', 'planner'],
    call: async (_who, ctx) => {
      const segment = await ctx.newSegment();
      return { path: `/api/segments/${segment.id}?version=${segment.version}` };
    },
  },
  'POST /api/segments/:id/split': {
    allowed: ['admin', 'planner'],
    call: async (_who, ctx) => {
      const segment = await ctx.newSegment();
      const [a, b] = segment.geometry.coordinates;
      return { path: `/api/segments/${segment.id}/split`, body: { version: segment.version, point: { type: 'Point', coordinates: [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2] } } };
    },
  },
  'POST /api/segments/status': {
    allowed: ['admin', 'planner', 'technician'],
    call: async (_who, ctx) => {
      const segment = await ctx.newSegment();
      return { path: '/api/segments/status', body: { status: 'surveyed', segments: [{ id: segment.id, version: segment.version }] } };
    },
  },
  'POST /api/photos': { allowed: ['admin', 'planner', 'technician'], call: async () => ({ path: '/api/photos', form: await photoForm() }) },
  'GET /api/photos/:id': { allowed: 'signed-in', call: async (_who, ctx) => ({ path: `/api/photos/${await ctx.newPhoto()}` }) },
  'GET /api/photos/:id/thumbnail': { allowed: 'signed-in', call: async (_who, ctx) => ({ path: `/api/photos/${await ctx.newPhoto()}/thumbnail` }) },
  'POST /api/sites': {
    allowed: ['admin', 'planner'],
    call: async (who, ctx) => ({
      path: '/api/sites',
      body: { code: `S-M-${who}-${ctx.next()}`, name: 'Puskesmas Uji', kind: 'puskesmas', geometry: { type: 'Point', coordinates: [112.95, -2.54] } },
    }),
  },
  'GET /api/sites/:id': {
    allowed: 'signed-in',
    call: async (_who, ctx) => ({ path: `/api/sites/${(await ctx.db.dataSource.query(`SELECT id FROM sites ORDER BY code LIMIT 1`))[0].id}` }),
  },
  'PATCH /api/sites/:id': {
    allowed: ['admin', 'planner'],
    call: async (_who, ctx) => {
      const [site] = await ctx.db.dataSource.query(`SELECT id, version FROM sites WHERE kind = 'sopd' ORDER BY code LIMIT 1`);
      return { path: `/api/sites/${site.id}`, body: { costIdrPerMonth: 7000000, version: site.version } };
    },
  },
  'DELETE /api/sites/:id': {
    allowed: ['admin', 'planner'],
    call: async (_who, ctx) => {
      const created = await (
        await post(
          ctx,
          '/api/sites',
          { code: `S-X-${ctx.next()}`, name: 'Sekolah Uji', kind: 'sekolah', geometry: { type: 'Point', coordinates: [112.96, -2.54] } },
          ctx.tokens.admin,
        )
      ).json();
      return { path: `/api/sites/${created.id}?version=${created.version}` };
    },
  },
  'POST /api/imports': { allowed: ['admin', 'planner'], call: async (who) => ({ path: '/api/imports', form: importForm(`m-${who}`) }) },
  'GET /api/imports': { allowed: ['admin', 'planner'], call: async () => ({ path: '/api/imports' }) },
  'GET /api/imports/:id': { allowed: ['admin', 'planner'], call: async (_who, ctx) => ({ path: `/api/imports/${await ctx.newImport()}` }) },
  'GET /api/imports/:id/report': { allowed: ['admin', 'planner'], call: async (_who, ctx) => ({ path: `/api/imports/${await ctx.newImport()}/report` }) },
  'POST /api/imports/:id/commit': {
    allowed: ['admin', 'planner'],
    call: async (_who, ctx) => {
      // A ready import, made ready in the database: no worker runs in this test.
      const id = await ctx.newImport();
      await ctx.db.dataSource.query(`UPDATE imports SET state = 'ready' WHERE id = $1`, [id]);
      return { path: `/api/imports/${id}/commit` };
    },
  },
  'POST /api/imports/:id/retry': {
    allowed: ['admin', 'planner'],
    call: async (_who, ctx) => {
      // A failed dry run, made failed in the database: the retry queues it again.
      const id = await ctx.newImport();
      await ctx.db.dataSource.query(`UPDATE imports SET state = 'failed', summary = NULL, report = NULL, error_code = 'INTERNAL', version = version + 1 WHERE id = $1`, [id]);
      return { path: `/api/imports/${id}/retry` };
    },
  },
  'POST /api/imports/:id/analyse': {
    allowed: ['admin', 'planner'],
    // Still queued (no worker runs here): it may be analysed again with other options.
    call: async (_who, ctx) => ({ path: `/api/imports/${await ctx.newImport()}/analyse`, body: { options: { source: 'lagi', mapping: { code: ['kode'] } } } }),
  },
  'GET /api/import-templates': { allowed: ['admin', 'planner'], call: async () => ({ path: '/api/import-templates' }) },
  'POST /api/import-templates': {
    allowed: ['admin', 'planner'],
    call: async (who) => ({ path: '/api/import-templates', body: { name: `t-${who}`, mapping: { code: ['kode'] } } }),
  },
  'GET /api/exports/ofds.zip': { allowed: ['admin', 'planner'], call: async () => ({ path: '/api/exports/ofds.zip?area=62.02.06' }) },
  'GET /api/exports/:layer.:format': { allowed: ['admin', 'planner'], call: async () => ({ path: '/api/exports/segments.geojson?status=active' }) },
  'POST /api/maintenance/area-membership': { allowed: ['admin', 'planner'], call: async () => ({ path: '/api/maintenance/area-membership', body: {} }) },
  'GET /api/maintenance/jobs/:id': {
    allowed: ['admin', 'planner'],
    call: async (_who, ctx) => {
      const { jobId } = await (await post(ctx, '/api/maintenance/area-membership', {}, ctx.tokens.planner)).json();
      return { path: `/api/maintenance/jobs/${jobId}` };
    },
  },
};

export interface RouteContext {
  db: OpenTestDatabase;
  api: RunningApi;
  users: Record<Role, TestUser>;
  tokens: Record<Role, string>;
  loginUser: TestUser;
  next: () => number;
  newNode: () => Promise<{ id: string; version: number }>;
  newSegment: () => Promise<{ id: string; version: number; geometry: { coordinates: number[][] } }>;
  /** A photo uploaded by a user of the role (default: the technician). */
  newPhoto: (role?: Role) => Promise<string>;
  /** A milestone an admin made: SOPD connected in a new phase, or a manual one. */
  newMilestone: (criterion?: 'sites_connected' | 'manual') => Promise<{ id: string }>;
  /** The id of a site of the seeded data. */
  anySite: () => Promise<string>;
  /** A monitor made by an admin through the api. */
  newMonitor: () => Promise<string>;
  /** A finished evidence pack (written as the worker leaves one: its row and its bytes). */
  newEvidencePack: () => Promise<string>;
  newImport: () => Promise<string>;
  newPhase: () => Promise<{ id: string }>;
}

function importForm(source: string): FormData {
  const form = new FormData();
  const csv = `kode;wkt\nX-1;"LINESTRING(112.95 -2.53, 112.951 -2.531)"\n`;
  form.append('file', new Blob([csv], { type: 'text/csv' }), 'uji.csv');
  // With a mapping (the default one would find `kode` too): options as a planner sends them, text and all.
  form.append('options', JSON.stringify({ source, mapping: { code: ['kode'] } }));
  return form;
}

async function photoForm(): Promise<FormData> {
  const form = new FormData();
  const jpeg = await sharp({ create: { width: 16, height: 16, channels: 3, background: '#0a0' } })
    .jpeg()
    .toBuffer();
  form.append('photo', new Blob([new Uint8Array(jpeg)], { type: 'image/jpeg' }), 'foto.jpg');
  return form;
}

export function post(ctx: RouteContext, path: string, body: unknown, token?: string) {
  return fetch(`${ctx.api.baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? bearer(token) : {}) },
    body: JSON.stringify(body),
  });
}

/**
 * The context of the route table for one test file: a seeded database, the api on it and one
 * signed-in user per role (useTestServer), a viewer to sign in as (also a demo account) and the
 * makers of the rows the table's requests act on. Registers the file's hooks; `ctx` is filled
 * from its `beforeAll` on.
 */
export function useRouteContext(): RouteContext {
  const server = useTestServer({ seeded: true, roles: ROLES });
  const ctx = {} as RouteContext;
  beforeAll(() => fillRouteContext(ctx, server));
  return ctx;
}

async function fillRouteContext(ctx: RouteContext, server: TestServer): Promise<void> {
  ctx.db = server.db;
  ctx.api = server.api;
  ctx.users = Object.fromEntries(ROLES.map((r) => [r, server.user(r)])) as Record<Role, TestUser>;
  ctx.tokens = Object.fromEntries(ROLES.map((r) => [r, server.token(r)])) as Record<Role, string>;
  ctx.loginUser = await createTestUser(ctx.db.dataSource, 'viewer');
  let counter = 0;
  ctx.next = () => counter++;
  // Made by an admin through the api, for the routes that change or remove one.
  ctx.newNode = async () => {
    const n = ctx.next();
    return (await post(ctx, '/api/nodes', { code: `ODP-X-${n}`, kind: 'odp', geometry: { type: 'Point', coordinates: [112.7 + n / 1000, -2.4] } }, ctx.tokens.admin)).json();
  };
  ctx.newPhase = async () => (await post(ctx, '/api/phases', { code: `TAHAP-X-${ctx.next()}`, name: 'Tahap uji' }, ctx.tokens.admin)).json();
  ctx.newMilestone = async (criterion = 'sites_connected') => {
    const body =
      criterion === 'manual'
        ? { code: `TM-X-${ctx.next()}`, title: 'Izin galian', category: 'permits', criterion, targetDate: '2027-06-30' }
        : {
            code: `TM-X-${ctx.next()}`,
            title: 'SOPD terhubung',
            category: 'construction',
            phaseId: (await ctx.newPhase()).id,
            criterion,
            targetValue: 100,
            targetDate: '2027-12-31',
          };
    return (await post(ctx, '/api/milestones', body, ctx.tokens.admin)).json();
  };
  ctx.anySite = async () => (await ctx.db.dataSource.query(`SELECT id FROM sites ORDER BY code LIMIT 1`))[0].id;
  ctx.newMonitor = async () =>
    (await (await post(ctx, '/api/monitors', { siteId: await ctx.anySite(), name: 'Router uji', kind: 'tcp', target: `10.30.0.${ctx.next() % 250}:22` }, ctx.tokens.admin)).json())
      .id;
  ctx.newEvidencePack = async () => {
    const milestone = await ctx.newMilestone('manual');
    const bytes = Buffer.from('PK\x05\x06' + '\0'.repeat(18), 'binary');
    const [pack] = await ctx.db.dataSource.query(
      `INSERT INTO evidence_packs (milestone_id, requested_label, state, progress, files, size_bytes, sha256, finished_at)
       VALUES ($1, 'uji', 'done', 100, 0, $2, repeat('0', 64), now()) RETURNING id`,
      [milestone.id, bytes.length],
    );
    await ctx.db.dataSource.query(`INSERT INTO evidence_pack_chunks (pack_id, seq, bytes) VALUES ($1, 0, $2)`, [pack.id, bytes]);
    return pack.id;
  };
  ctx.newImport = async () => {
    const response = await fetch(`${ctx.api.baseUrl}/api/imports`, { method: 'POST', headers: bearer(ctx.tokens.planner), body: importForm(`n${ctx.next()}`) });
    return (await response.json()).id;
  };
  ctx.newPhoto = async (role: Role = 'technician') => {
    const response = await fetch(`${ctx.api.baseUrl}/api/photos`, { method: 'POST', headers: bearer(ctx.tokens[role]), body: await photoForm() });
    return (await response.json()).id;
  };
  ctx.newSegment = async () => {
    const x = 112.6 + ctx.next() / 1000;
    const created = await (
      await post(
        ctx,
        '/api/segments',
        {
          code: `DS-X-${ctx.next()}`,
          geometry: {
            type: 'LineString',
            coordinates: [
              [x, -2.3],
              [x + 0.0004, -2.3004],
            ],
          },
        },
        ctx.tokens.admin,
      )
    ).json();
    return created.segment;
  };
  await new UsersRepository(ctx.db.dataSource).saveDemoAccount(ctx.loginUser.username, ctx.loginUser.password);
}
