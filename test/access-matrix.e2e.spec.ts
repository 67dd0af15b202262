import { ROLES } from '@serat/domain';
import { listRouteRules } from '../apps/api/src/auth/route-rules';
import { describeRule } from '../apps/api/src/auth/access';
import { bearer } from './support/auth';
import { Allowed, closeRouteContext, openRouteContext, ROUTE_TABLE, RouteContext, Who } from './support/route-table';

function expectedStatus(allowed: Allowed, who: Who): 'ok' | 401 | 403 {
  if (allowed === 'public') return 'ok';
  if (who === 'anonymous') return 401;
  if (allowed === 'signed-in') return 'ok';
  return allowed.includes(who) ? 'ok' : 403;
}

describe('who may call which route', () => {
  const ctx = {} as RouteContext;

  beforeAll(() => openRouteContext(ctx));
  afterAll(() => closeRouteContext(ctx));

  it('has a declared rule on every route, and this table names exactly those routes with the same rules', () => {
    const routes = listRouteRules(ctx.api.app);
    expect(routes.filter((r) => !r.rule)).toEqual([]);
    const declared = Object.fromEntries(routes.map((r) => [`${r.method} ${r.path}`, describeRule(r.rule!)]));
    const tabled = Object.fromEntries(Object.entries(ROUTE_TABLE).map(([key, row]) => [key, Array.isArray(row.allowed) ? row.allowed.join(', ') : row.allowed]));
    expect(declared).toEqual(tabled);
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
