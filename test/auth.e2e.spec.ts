import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { startApi, testConfig } from './support/apps';
import { bearer, createTestUser, signIn, TestUser } from './support/auth';
import { openTestDatabase } from './support/databases';
import { repoRoot } from './support/processes';
import { useTestServer } from './support/server';

describe('signing in, tokens and sessions', () => {
  // Behind a proxy on loopback, as in production behind nginx: the throttling tests give each
  // test its own client address with X-Forwarded-For.
  const server = useTestServer({ seeded: true, env: { SERAT_TRUST_PROXY: 'loopback' } });

  const login = (body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    fetch(server.url('/api/auth/login'), { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  /** The cookies a response sets, as name → value. */
  const cookiesOf = (response: Response) => Object.fromEntries(response.headers.getSetCookie().map((c) => c.split(';')[0].split('=') as [string, string]));

  describe('passwords', () => {
    let user: TestUser;
    beforeAll(async () => {
      user = await createTestUser(server.db.dataSource, 'planner');
    });

    it('signs in with the right password, by username or email in any case', async () => {
      for (const name of [user.username, user.email.toUpperCase()]) {
        const response = await login({ login: name, password: user.password, client: 'api' });
        expect(response.status).toBe(200);
        const body = await response.json();
        expect(body.user).toEqual(expect.objectContaining({ id: user.id, role: 'planner' }));
        expect(body.user.passwordHash).toBeUndefined();
        expect(body.accessToken).toMatch(/^srt_a_/);
        expect(body.refreshToken).toMatch(/^srt_r_/);
      }
    });

    it('answers a wrong password and an unknown account identically', async () => {
      const wrong = await login({ login: user.username, password: 'Salah-Sekali-123' });
      const unknown = await login({ login: 'nobody-here', password: 'Salah-Sekali-123' });
      expect(wrong.status).toBe(401);
      expect(unknown.status).toBe(401);
      const [a, b] = [(await wrong.json()).error, (await unknown.json()).error];
      expect({ ...a, requestId: '' }).toEqual({ ...b, requestId: '' });
      expect(a).toEqual(expect.objectContaining({ code: 'INVALID_CREDENTIALS', message: 'Email/nama pengguna atau kata sandi salah.' }));
    });

    it('stores only an argon2id hash', async () => {
      const [row] = await server.db.dataSource.query(`SELECT password_hash FROM users WHERE id = $1`, [user.id]);
      expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
      expect(row.password_hash).not.toContain(user.password);
    });
  });

  describe('throttling', () => {
    // Each test from its own address, so that one address's allowance (twenty failures) is not
    // spent by the tests before it.
    let lastOctet = 10;
    const fromNewAddress = () => ({ 'x-forwarded-for': `198.51.100.${lastOctet++}` });
    /** Attempts whose password was checked (and found wrong): each leaves one audit entry. */
    const checkedFailures = async (label: string) =>
      (await server.db.dataSource.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'login_failed' AND actor_label = $1`, [`login:${label}`]))[0].n;
    const statusesOf = (answers: Response[]) => ({
      checked: answers.filter((answer) => answer.status === 401).length,
      waiting: answers.filter((answer) => answer.status === 429).length,
    });

    it('refuses the sixth attempt after five failures without checking it, even the right password, with a clear message', async () => {
      const user = await createTestUser(server.db.dataSource, 'viewer');
      const address = fromNewAddress();
      for (let i = 0; i < 5; i++) expect((await login({ login: user.username, password: `wrong-${i}` }, address)).status).toBe(401);
      const locked = await login({ login: user.username, password: user.password }, { ...address, 'accept-language': 'en' });
      expect(locked.status).toBe(429);
      const retryAfter = Number(locked.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(29);
      expect(retryAfter).toBeLessThanOrEqual(30);
      const body = await locked.json();
      expect(body.error.code).toBe('TOO_MANY_ATTEMPTS');
      expect(body.error.message).toBe(`Too many failed sign-in attempts. Try again in ${body.error.details.retryAfterS} seconds.`);
      expect(await checkedFailures(user.username)).toBe(5);

      // After the wait one more attempt is checked; its failure doubles the wait.
      await server.db.dataSource.query(`UPDATE login_throttle SET locked_until = now() - interval '1 second' WHERE key = $1`, [`acct:${user.id}`]);
      expect((await login({ login: user.username, password: 'still-wrong' }, address)).status).toBe(401);
      const [row] = await server.db.dataSource.query(`SELECT failures, round(extract(epoch FROM locked_until - now()))::int AS wait_s FROM login_throttle WHERE key = $1`, [
        `acct:${user.id}`,
      ]);
      expect(row.failures).toBe(6);
      expect(row.wait_s).toBeGreaterThanOrEqual(59);
      expect(row.wait_s).toBeLessThanOrEqual(60);
      expect((await login({ login: user.username, password: user.password }, address)).status).toBe(429);
      expect(await checkedFailures(user.username)).toBe(6);
    });

    it('checks only five of fifteen wrong passwords sent at once; the other ten wait unchecked', async () => {
      const user = await createTestUser(server.db.dataSource, 'viewer');
      const address = fromNewAddress();
      const answers = await Promise.all(Array.from({ length: 15 }, (_, i) => login({ login: user.username, password: `guess-${i}` }, address)));
      expect(statusesOf(answers)).toEqual({ checked: 5, waiting: 10 });
      expect(await checkedFailures(user.username)).toBe(5);
      expect((await login({ login: user.username, password: user.password }, address)).status).toBe(429);
    });

    it('counts the email and the username of one account together', async () => {
      const user = await createTestUser(server.db.dataSource, 'viewer');
      const address = fromNewAddress();
      for (const name of [user.email, user.username, user.email.toUpperCase(), user.username.toUpperCase(), user.email]) {
        expect((await login({ login: name, password: 'Salah-Sekali-123' }, address)).status).toBe(401);
      }
      expect((await login({ login: user.username, password: user.password }, address)).status).toBe(429);
      expect((await login({ login: user.email, password: user.password }, address)).status).toBe(429);
    });

    it('throttles unknown accounts the same way, so locking says nothing about existence', async () => {
      const address = fromNewAddress();
      for (let i = 0; i < 5; i++) expect((await login({ login: 'ghost-account', password: `x-${i}` }, address)).status).toBe(401);
      expect((await login({ login: 'ghost-account', password: 'x' }, address)).status).toBe(429);
      const answers = await Promise.all(Array.from({ length: 15 }, (_, i) => login({ login: 'ghost-in-a-hurry', password: `x-${i}` }, fromNewAddress())));
      expect(statusesOf(answers)).toEqual({ checked: 5, waiting: 10 });
    });

    it('checks at most twenty failures from one address, also when they come at once, whatever the accounts', async () => {
      const address = fromNewAddress();
      const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => login({ login: `nobody-${i}`, password: 'x' }, address)));
      expect(statusesOf(answers)).toEqual({ checked: 20, waiting: 10 });
      const user = await createTestUser(server.db.dataSource, 'viewer');
      expect((await login({ login: user.username, password: user.password }, address)).status).toBe(429);
    });

    it('does not count sign-ins that succeed against the address (an office behind one NAT)', async () => {
      const address = fromNewAddress();
      for (let i = 0; i < 19; i++) expect((await login({ login: `stranger-${i}`, password: 'x' }, address)).status).toBe(401);
      const colleague = await createTestUser(server.db.dataSource, 'viewer');
      for (let i = 0; i < 5; i++) expect((await login({ login: colleague.username, password: colleague.password, client: 'api' }, address)).status).toBe(200);
      // The twentieth failure is still checked, and only then does the address wait.
      expect((await login({ login: 'stranger-20', password: 'x' }, address)).status).toBe(401);
      expect((await login({ login: colleague.username, password: colleague.password }, address)).status).toBe(429);
    });
  });

  it('answers every request that carries a token or personal data with Cache-Control: no-store', async () => {
    const admin = await createTestUser(server.db.dataSource, 'admin');
    const token = await signIn(server.api.baseUrl, admin);
    const answers = [
      await login({ login: admin.username, password: admin.password, client: 'api' }),
      await login({ login: admin.username, password: admin.password }),
      await login({ login: 'nobody-at-all', password: 'x' }),
      await fetch(server.url('/api/auth/me'), { headers: bearer(token) }),
      await fetch(server.url('/api/auth/me')),
      await fetch(server.url('/api/auth/tokens'), { headers: bearer(token) }),
      await fetch(server.url('/api/users'), { headers: bearer(token) }),
      await fetch(server.url(`/api/users/${admin.id}`), {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', ...bearer(token) },
        body: JSON.stringify({ displayName: 'Admin Kotim' }),
      }),
      await fetch(server.url(`/api/audit?user=${admin.id}`), { headers: bearer(token) }),
    ];
    expect(answers.map((answer) => [answer.url, answer.status, answer.headers.get('cache-control')])).toEqual(answers.map((answer) => [answer.url, answer.status, 'no-store']));
  });

  describe('API tokens', () => {
    let user: TestUser;
    beforeAll(async () => {
      user = await createTestUser(server.db.dataSource, 'viewer');
    });

    it('refuses an expired access token', async () => {
      const token = await signIn(server.api.baseUrl, user);
      expect((await fetch(server.url('/api/auth/me'), { headers: bearer(token) })).status).toBe(200);
      await server.db.dataSource.query(`UPDATE auth_tokens SET expires_at = now() - interval '1 second' WHERE user_id = $1 AND kind = 'access'`, [user.id]);
      const response = await fetch(server.url('/api/auth/me'), { headers: bearer(token) });
      expect(response.status).toBe(401);
      expect((await response.json()).error.code).toBe('TOKEN_INVALID');
    });

    it('logout revokes the access token and its refresh token', async () => {
      const tokens = await (await login({ login: user.username, password: user.password, client: 'api' })).json();
      expect((await fetch(server.url('/api/auth/logout'), { method: 'POST', headers: bearer(tokens.accessToken) })).status).toBe(204);
      expect((await fetch(server.url('/api/auth/me'), { headers: bearer(tokens.accessToken) })).status).toBe(401);
      const refresh = await fetch(server.url('/api/auth/refresh'), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ refreshToken: tokens.refreshToken }),
      });
      expect(refresh.status).toBe(401);
    });

    it('rotates refresh tokens: each works once', async () => {
      const first = await (await login({ login: user.username, password: user.password, client: 'api' })).json();
      const refresh = (token: string) =>
        fetch(server.url('/api/auth/refresh'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refreshToken: token }) });
      const second = await refresh(first.refreshToken);
      expect(second.status).toBe(200);
      const pair = await second.json();
      expect((await fetch(server.url('/api/auth/me'), { headers: bearer(pair.accessToken) })).status).toBe(200);
      expect((await refresh(first.refreshToken)).status).toBe(401);
      expect((await fetch(server.url('/api/auth/me'), { headers: bearer(first.accessToken) })).status).toBe(401);
    });

    it('issues personal tokens for scripts, lists them without secrets, and revokes them', async () => {
      const access = await signIn(server.api.baseUrl, user);
      const created = await (
        await fetch(server.url('/api/auth/tokens'), {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...bearer(access) },
          body: JSON.stringify({ name: 'ekspor mingguan', expiresInDays: 30 }),
        })
      ).json();
      expect(created.token).toMatch(/^srt_p_/);
      expect((await fetch(server.url('/api/segments?limit=1'), { headers: bearer(created.token) })).status).toBe(200);
      const list = await (await fetch(server.url('/api/auth/tokens'), { headers: bearer(access) })).json();
      expect(list.tokens).toEqual([expect.objectContaining({ id: created.id, name: 'ekspor mingguan' })]);
      expect(JSON.stringify(list)).not.toContain(created.token);
      expect((await fetch(server.url(`/api/auth/tokens/${created.id}`), { method: 'DELETE', headers: bearer(access) })).status).toBe(204);
      expect((await fetch(server.url('/api/segments?limit=1'), { headers: bearer(created.token) })).status).toBe(401);
    });

    it('rejects garbage tokens without touching the database', async () => {
      for (const junk of ["' OR 1=1 --", 'srt_a_short', 'x'.repeat(500)]) {
        expect((await fetch(server.url('/api/auth/me'), { headers: { authorization: `Bearer ${junk}` } })).status).toBe(401);
      }
    });
  });

  describe('browser sessions', () => {
    let user: TestUser;
    let session: string;
    let csrf: string;
    beforeAll(async () => {
      user = await createTestUser(server.db.dataSource, 'planner');
      const response = await login({ login: user.username, password: user.password });
      const cookies = cookiesOf(response);
      session = cookies.serat_session;
      csrf = (await response.json()).csrfToken;
      expect(cookies.serat_csrf).toBe(csrf);
      const setCookie = response.headers.getSetCookie().find((c) => c.startsWith('serat_session='))!;
      expect(setCookie).toMatch(/HttpOnly/i);
      expect(setCookie).toMatch(/SameSite=Lax/i);
    });

    const withCookie = (extra: Record<string, string> = {}) => ({ cookie: `serat_session=${session}; serat_csrf=${csrf}`, ...extra });

    it('reads with the cookie alone', async () => {
      const me = await fetch(server.url('/api/auth/me'), { headers: withCookie() });
      expect(me.status).toBe(200);
      expect((await me.json()).user.username).toBe(user.username);
    });

    it('refuses a cookie write without the CSRF header, or with a wrong one', async () => {
      const post = (headers: Record<string, string>) =>
        fetch(server.url('/api/auth/tokens'), { method: 'POST', headers: { 'content-type': 'application/json', ...withCookie(headers) }, body: JSON.stringify({ name: 'x' }) });
      const missing = await post({});
      expect(missing.status).toBe(403);
      expect((await missing.json()).error.code).toBe('CSRF_FAILED');
      expect((await post({ 'x-csrf-token': 'not-the-token' })).status).toBe(403);
      expect((await post({ 'x-csrf-token': csrf })).status).toBe(201);
    });

    it('refuses a cookie write from another site even with the right CSRF token; bearer clients may send any Origin', async () => {
      const post = (headers: Record<string, string>, auth: Record<string, string> = withCookie({ 'x-csrf-token': csrf })) =>
        fetch(server.url('/api/auth/tokens'), { method: 'POST', headers: { 'content-type': 'application/json', ...auth, ...headers }, body: JSON.stringify({ name: 'x' }) });
      const foreignSenders: Record<string, string>[] = [
        { origin: 'https://evil.example' },
        { origin: 'null' },
        { 'sec-fetch-site': 'cross-site' },
        { origin: server.api.baseUrl, 'sec-fetch-site': 'cross-site' },
      ];
      for (const foreign of foreignSenders) {
        const refused = await post(foreign);
        expect([foreign, refused.status]).toEqual([foreign, 403]);
        expect((await refused.json()).error).toEqual(expect.objectContaining({ code: 'CROSS_SITE_REFUSED', message: expect.stringMatching(/situs lain/) }));
      }
      // The page's own origin, and clients that send no Origin at all (scripts keeping a cookie).
      expect((await post({ origin: server.api.baseUrl, 'sec-fetch-site': 'same-origin' })).status).toBe(201);
      expect((await post({})).status).toBe(201);
      // Behind the reverse proxy (trusted on loopback here) the origin is the one the browser saw.
      expect((await post({ origin: 'https://peta.kotimkab.go.id', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'peta.kotimkab.go.id' })).status).toBe(201);
      const token = await signIn(server.api.baseUrl, user);
      expect((await post({ origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }, bearer(token))).status).toBe(201);
    });

    it('accepts cookie writes from an origin listed in SERAT_CORS_ORIGINS', async () => {
      const other = await startApi(testConfig(server.db.url, { SERAT_CORS_ORIGINS: 'https://peta.kotimkab.go.id' }));
      try {
        const post = (origin: string) =>
          fetch(`${other.baseUrl}/api/auth/tokens`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...withCookie({ 'x-csrf-token': csrf }), origin, 'sec-fetch-site': 'same-site' },
            body: JSON.stringify({ name: 'x' }),
          });
        expect((await post('https://peta.kotimkab.go.id')).status).toBe(201);
        expect((await post('https://evil.example')).status).toBe(403);
      } finally {
        await other.close();
      }
    });

    it('logout ends the session and clears the cookies', async () => {
      const out = await fetch(server.url('/api/auth/logout'), { method: 'POST', headers: withCookie({ 'x-csrf-token': csrf }) });
      expect(out.status).toBe(204);
      expect(out.headers.getSetCookie().join(';')).toMatch(/serat_session=;.*Expires=Thu, 01 Jan 1970/);
      const after = await fetch(server.url('/api/auth/me'), { headers: withCookie() });
      expect(after.status).toBe(401);
      expect((await after.json()).error.code).toBe('SESSION_EXPIRED');
    });
  });

  describe("passwords of one's own and admin resets", () => {
    it('refuses a weak new password and accepts a strong one; other sessions end', async () => {
      const user = await createTestUser(server.db.dataSource, 'technician');
      const token = await signIn(server.api.baseUrl, user);
      const other = await signIn(server.api.baseUrl, user);
      const change = (newPassword: string, currentPassword = user.password) =>
        fetch(server.url('/api/auth/password'), {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...bearer(token) },
          body: JSON.stringify({ currentPassword, newPassword }),
        });
      const weak = await change('password123');
      expect(weak.status).toBe(400);
      expect((await weak.json()).error).toEqual(expect.objectContaining({ code: 'WEAK_PASSWORD', details: { problems: expect.arrayContaining(['too_common']) } }));
      expect((await change(`${user.username}-Kuat-99`)).status).toBe(400); // contains the username
      expect((await change('Kabel-Serat-Optik-2026', 'not-my-password')).status).toBe(401);
      expect((await change('Kabel-Serat-Optik-2026')).status).toBe(204);
      expect((await fetch(server.url('/api/auth/me'), { headers: bearer(other) })).status).toBe(401);
      expect((await fetch(server.url('/api/auth/me'), { headers: bearer(token) })).status).toBe(200);
      expect((await login({ login: user.username, password: 'Kabel-Serat-Optik-2026' })).status).toBe(200);
    });

    it('lets an admin reset a password: a temporary one, shown once, that must be changed', async () => {
      const admin = await signIn(server.api.baseUrl, await createTestUser(server.db.dataSource, 'admin'));
      const user = await createTestUser(server.db.dataSource, 'mentor');
      const old = await signIn(server.api.baseUrl, user);
      const reset = await fetch(server.url(`/api/users/${user.id}`), {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', ...bearer(admin) },
        body: JSON.stringify({ resetPassword: true }),
      });
      expect(reset.status).toBe(200);
      const body = await reset.json();
      expect(body.temporaryPassword).toMatch(/^[A-Za-z0-9]{6}-[A-Za-z0-9]{6}-[A-Za-z0-9]{6}$/);
      expect(body.user.mustChangePassword).toBe(true);
      expect((await fetch(server.url('/api/auth/me'), { headers: bearer(old) })).status).toBe(401);
      const fresh = await (await login({ login: user.username, password: body.temporaryPassword })).json();
      expect(fresh.user.mustChangePassword).toBe(true);
    });

    it('until a temporary password is changed, allows only reading oneself, changing it and signing out', async () => {
      const admin = await signIn(server.api.baseUrl, await createTestUser(server.db.dataSource, 'admin'));
      const user = await createTestUser(server.db.dataSource, 'planner');
      const reset = await fetch(server.url(`/api/users/${user.id}`), {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', ...bearer(admin) },
        body: JSON.stringify({ resetPassword: true }),
      });
      const { temporaryPassword } = await reset.json();
      const { accessToken } = await (await login({ login: user.username, password: temporaryPassword, client: 'api' })).json();
      const as = (extra: Record<string, string> = {}) => ({ 'content-type': 'application/json', ...bearer(accessToken), ...extra });
      const yearLongToken = () => fetch(server.url('/api/auth/tokens'), { method: 'POST', headers: as(), body: JSON.stringify({ name: 'setahun', expiresInDays: 365 }) });

      for (const request of [
        () => fetch(server.url('/api/segments?limit=1'), { headers: as() }),
        () => fetch(server.url('/api/imports'), { headers: as() }),
        () => fetch(server.url('/api/auth/tokens'), { headers: as() }),
        yearLongToken,
      ]) {
        const refused = await request();
        expect(refused.status).toBe(403);
        expect((await refused.json()).error).toEqual(
          expect.objectContaining({ code: 'PASSWORD_CHANGE_REQUIRED', message: 'Kata sandi Anda harus diganti dahulu. Ganti kata sandi, lalu coba lagi.' }),
        );
      }
      const english = await fetch(server.url('/api/segments?limit=1'), { headers: as({ 'accept-language': 'en' }) });
      expect((await english.json()).error.message).toBe('Your password must be changed first. Change it, then try again.');
      const [personal] = await server.db.dataSource.query(`SELECT count(*)::int AS n FROM auth_tokens WHERE user_id = $1 AND kind = 'personal'`, [user.id]);
      expect(personal.n).toBe(0);

      const me = await fetch(server.url('/api/auth/me'), { headers: as() });
      expect(me.status).toBe(200);
      expect((await me.json()).user.mustChangePassword).toBe(true);
      const changed = await fetch(server.url('/api/auth/password'), {
        method: 'POST',
        headers: as(),
        body: JSON.stringify({ currentPassword: temporaryPassword, newPassword: 'Kabel-Serat-Optik-2027' }),
      });
      expect(changed.status).toBe(204);
      expect((await fetch(server.url('/api/segments?limit=1'), { headers: as() })).status).toBe(200);
      expect((await yearLongToken()).status).toBe(201);
    });

    it('lets a browser session with a temporary password sign out', async () => {
      const admin = await signIn(server.api.baseUrl, await createTestUser(server.db.dataSource, 'admin'));
      const user = await createTestUser(server.db.dataSource, 'technician');
      const reset = await fetch(server.url(`/api/users/${user.id}`), {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', ...bearer(admin) },
        body: JSON.stringify({ resetPassword: true }),
      });
      const signedIn = await login({ login: user.username, password: (await reset.json()).temporaryPassword });
      const { csrfToken } = await signedIn.json();
      const cookie = `serat_session=${cookiesOf(signedIn).serat_session}`;
      const refused = await fetch(server.url('/api/segments?limit=1'), { headers: { cookie } });
      expect(refused.status).toBe(403);
      expect((await refused.json()).error.code).toBe('PASSWORD_CHANGE_REQUIRED');
      expect((await fetch(server.url('/api/auth/logout'), { method: 'POST', headers: { cookie, 'x-csrf-token': csrfToken } })).status).toBe(204);
      expect((await fetch(server.url('/api/auth/me'), { headers: { cookie } })).status).toBe(401);
    });

    it('keeps at least one active admin', async () => {
      await server.db.dataSource.query(`UPDATE users SET active = false WHERE role = 'admin'`);
      const only = await createTestUser(server.db.dataSource, 'admin');
      const token = await signIn(server.api.baseUrl, only);
      const demote = await fetch(server.url(`/api/users/${only.id}`), {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', ...bearer(token) },
        body: JSON.stringify({ role: 'viewer' }),
      });
      expect(demote.status).toBe(409);
      expect((await demote.json()).error.code).toBe('LAST_ADMIN');
    });

    it('refuses a duplicate user with 409 and a bad email with 400', async () => {
      const admin = await signIn(server.api.baseUrl, await createTestUser(server.db.dataSource, 'admin'));
      const create = (body: unknown) =>
        fetch(server.url('/api/users'), { method: 'POST', headers: { 'content-type': 'application/json', ...bearer(admin) }, body: JSON.stringify(body) });
      const first = await create({ email: 'dup@test.serat.invalid', username: 'dup-user', displayName: 'Dup', role: 'viewer' });
      expect(first.status).toBe(201);
      expect((await first.json()).temporaryPassword).toBeTruthy();
      expect((await create({ email: 'DUP@test.serat.invalid', username: 'other', displayName: 'Dup', role: 'viewer' })).status).toBe(409);
      expect((await create({ email: 'not-an-email', username: 'abc', displayName: 'X', role: 'viewer' })).status).toBe(400);
      expect((await create({ email: 'a@b.c', username: 'abc', displayName: 'X', role: 'superuser' })).status).toBe(400);
    });

    it('stores hostile names as text', async () => {
      const admin = await signIn(server.api.baseUrl, await createTestUser(server.db.dataSource, 'admin'));
      const name = "Robert'); DROP TABLE users;--";
      const response = await fetch(server.url('/api/users'), {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...bearer(admin) },
        body: JSON.stringify({ email: 'bobby@test.serat.invalid', username: 'bobby', displayName: name, role: 'viewer' }),
      });
      expect(response.status).toBe(201);
      const [row] = await server.db.dataSource.query(`SELECT display_name FROM users WHERE username = 'bobby'`);
      expect(row.display_name).toBe(name);
    });
    it('searches users by username, email or name, a page at a time, taking % and _ as they are', async () => {
      const admin = await signIn(server.api.baseUrl, await createTestUser(server.db.dataSource, 'admin'));
      for (const [username, email, displayName] of [
        ['cari-satu', 'satu@test.serat.invalid', 'Pencarian Satu'],
        ['cari-dua', 'dua@test.serat.invalid', 'Pencarian Dua'],
        ['lain', 'cari.lain@test.serat.invalid', 'Lain'],
        ['nama', 'nama@test.serat.invalid', 'Bu Cari 100%'],
      ]) {
        await createTestUser(server.db.dataSource, 'viewer', { username });
        await server.db.dataSource.query(`UPDATE users SET email = $2, display_name = $3 WHERE username = $1`, [username, email, displayName]);
      }
      const list = async (query: string) => {
        const response = await fetch(server.url(`/api/users?${query}`), { headers: bearer(admin) });
        expect(response.status).toBe(200);
        const body = (await response.json()) as { users: { username: string }[]; next: string | null };
        return { usernames: body.users.map((user) => user.username), next: body.next };
      };
      expect(await list('q=CARI&limit=2')).toEqual({ usernames: ['cari-dua', 'cari-satu'], next: 'cari-satu' });
      expect(await list('q=CARI&limit=2&after=cari-satu')).toEqual({ usernames: ['lain', 'nama'], next: null });
      expect((await list('q=100%25')).usernames).toEqual(['nama']);
      expect((await list('q=10_%25')).usernames).toEqual([]);
      expect((await list('q=%20%20')).usernames.length).toBeGreaterThan(4);
    });
  });

  describe('the first admin of a deployment', () => {
    it('comes from SERAT_ADMIN_EMAIL/SERAT_ADMIN_PASSWORD once, and not again on the next start', async () => {
      const fresh = await openTestDatabase({ seeded: false });
      try {
        const env = { SERAT_ADMIN_EMAIL: 'kadis@kotimkab.go.id', SERAT_ADMIN_PASSWORD: 'Serat-Kotim-Pertama-2026' };
        for (let start = 0; start < 2; start++) {
          const app = await startApi(testConfig(fresh.url, env));
          await app.close();
        }
        const admins = await fresh.dataSource.query(`SELECT email, username, role, must_change_password FROM users`);
        expect(admins).toEqual([{ email: 'kadis@kotimkab.go.id', username: 'kadis', role: 'admin', must_change_password: false }]);
      } finally {
        await fresh.close();
      }
    });

    it('or from the cli: user:create with the password on standard input', async () => {
      const fresh = await openTestDatabase({ seeded: false });
      try {
        const run = (input: string) =>
          spawnSync(process.execPath, [path.join(repoRoot, 'dist/apps/cli/src/main.js'), 'user:create', '--role', 'admin', '--email', 'admin@kotimkab.go.id', '--password-stdin'], {
            env: { PATH: process.env.PATH ?? '', DATABASE_URL: fresh.url },
            input,
            encoding: 'utf8',
          });
        const weak = run('admin\n');
        expect(weak.status).toBe(1);
        expect(weak.stderr).toMatch(/too weak/);
        const ok = run('Diskominfo-Kotim-2026!\n');
        expect(ok.stdout).toMatch(/User created: admin <admin@kotimkab.go.id>, role admin\./);
        expect(ok.status).toBe(0);
        const again = run('Diskominfo-Kotim-2026!\n');
        expect(again.status).toBe(1);
        expect(again.stderr).toMatch(/exists already/);
      } finally {
        await fresh.close();
      }
    });
  });
});
