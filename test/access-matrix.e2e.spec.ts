import { ROLES } from '@serat/domain';
import { listRouteRules } from '../apps/api/src/auth/route-rules';
import { describeRule } from '../apps/api/src/auth/access';
import { bearer, createTestUser, signIn } from './support/auth';
import { Allowed, ROUTE_TABLE, useRouteContext, Who } from './support/route-table';

function expectedStatus(allowed: Allowed, who: Who): 'ok' | 401 | 403 {
  if (allowed === 'public') return 'ok';
  if (who === 'anonymous') return 401;
  if (allowed === 'signed-in') return 'ok';
  return allowed.includes(who) ? 'ok' : 403;
}

describe('who may call which route', () => {
  const ctx = useRouteContext();

  it('has a declared rule on every route, and this table names exactly those routes with the same rules', () => {
    const routes = listRouteRules(ctx.api.app);
    expect(routes.filter((r) => !r.rule)).toEqual([]);
    const declared = Object.fromEntries(routes.map((r) => [`${r.method} ${r.path}`, describeRule(r.rule!)]));
    const tabled = Object.fromEntries(Object.entries(ROUTE_TABLE).map(([key, row]) => [key, Array.isArray(row.allowed) ? row.allowed.join(', ') : row.allowed]));
    expect(declared).toEqual(tabled);
  });

  it('keeps an admin with a temporary password to GET /api/auth/me, POST /api/auth/password and POST /api/auth/logout: every other signed-in route is 403', async () => {
    const admin = await createTestUser(ctx.db.dataSource, 'admin');
    await ctx.db.dataSource.query(`UPDATE users SET must_change_password = true WHERE id = $1`, [admin.id]);
    const token = await signIn(ctx.api.baseUrl, admin);
    const call = (method: string, path: string) =>
      fetch(`${ctx.api.baseUrl}${path.replace(/:id\b/g, '00000000-0000-4000-8000-000000000000')}`, {
        method,
        headers: { 'content-type': 'application/json', ...bearer(token) },
        body: method === 'GET' ? undefined : '{}',
      });
    const exempt = ['GET /api/auth/me', 'POST /api/auth/password', 'POST /api/auth/logout'];
    const guarded = listRouteRules(ctx.api.app).filter((r) => r.rule!.kind !== 'public' && !exempt.includes(`${r.method} ${r.path}`));
    expect(guarded.length).toBeGreaterThan(30);
    for (const route of guarded) {
      const response = await call(route.method, route.path);
      const code = response.status === 403 ? (await response.json()).error.code : null;
      expect([`${route.method} ${route.path}`, response.status, code]).toEqual([`${route.method} ${route.path}`, 403, 'PASSWORD_CHANGE_REQUIRED']);
    }
    expect((await call('GET', '/api/auth/me')).status).toBe(200);
    expect((await call('POST', '/api/auth/password')).status).toBe(400); // past the guard: the body is checked
    expect((await call('POST', '/api/auth/logout')).status).toBe(204);
  });

  const whos: Who[] = [...ROLES, 'anonymous'];
  for (const [route, row] of Object.entries(ROUTE_TABLE)) {
    it(`${route}: ${whos.map((w) => `${w} ${expectedStatus(row.allowed, w)}`).join(', ')}`, async () => {
      const [method] = route.split(' ');
      for (const who of whos) {
        const call = await row.call(who, ctx);
        const token = who === 'anonymous' ? undefined : (call.token ?? ctx.tokens[who]);
        const response = await fetch(`${ctx.api.baseUrl}${call.path}`, {
          method,
          headers: { ...(call.body !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? bearer(token) : {}) },
          body: call.form ?? (call.body !== undefined ? JSON.stringify(call.body) : undefined),
        });
        const expected = expectedStatus(row.allowed, who);
        const got = response.status;
        const detail = `${who} ${method} ${call.path} → ${got} ${got >= 400 ? await response.text() : ''}`;
        if (expected === 'ok') expect([detail, got >= 200 && got < 300]).toEqual([detail, true]);
        else expect([detail, got]).toEqual([detail, expected]);
      }
    });
  }
});
