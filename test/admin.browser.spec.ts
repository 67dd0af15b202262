/// <reference lib="dom" />
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PasswordHasher } from '@serat/domain';
import { Browser, Page } from 'playwright-core';
import { AdminPage } from './support/admin-page';
import { DESKTOP, launchChromium, submitSignIn } from './support/browser';
import { MapPage } from './support/map-page';
import { repoRoot } from './support/processes';
import { useTestServer } from './support/server';

const SHOTS = path.join(repoRoot, 'test-results');

/** An admin manages a user in the browser: real api, real database, Debian's Chromium. */
describe('the admin screens in a browser', () => {
  const server = useTestServer({ seeded: true, roles: ['admin'] });
  let browser: Browser;
  let page: Page;
  let admin: AdminPage;
  const scripts: string[] = [];
  const username = 'sari.teknisi';
  let userId = '';
  let kecamatan: { code: string; name: string };

  beforeAll(async () => {
    browser = await launchChromium();
    page = await browser.newPage({ viewport: DESKTOP, locale: 'id-ID' });
    page.on('request', (request) => {
      if (request.resourceType() === 'script') scripts.push(new URL(request.url()).pathname);
    });
    admin = new AdminPage(page);
    fs.mkdirSync(SHOTS, { recursive: true });
    [kecamatan] = await server.db.dataSource.query(`SELECT code, name FROM admin_areas WHERE level = 'kecamatan' ORDER BY code LIMIT 1`);
  }, 60000);

  afterAll(async () => {
    await browser?.close();
  });

  const stored = async () => {
    const [row] = await server.db.dataSource.query(
      `SELECT id, role, kecamatan_codes AS "kecamatanCodes", active, must_change_password AS "mustChangePassword", password_hash AS "passwordHash", display_name AS "displayName", email
         FROM users WHERE username = $1`,
      [username],
    );
    return row;
  };

  it('loads the admin code only when an admin opens it from the user menu', async () => {
    await page.goto(`${server.api.baseUrl}/`);
    await page.getByTestId('login-form').waitFor({ timeout: 30000 });
    await submitSignIn(page, server.user('admin').username, server.user('admin').password);
    await new MapPage(page).ready();
    expect(scripts.filter((path) => path.includes('/admin-'))).toEqual([]);

    await admin.open();
    expect(scripts.filter((path) => /^\/assets\/admin-[\w-]+\.js$/.test(path))).toHaveLength(1);
    await admin.row(server.user('admin').username).waitFor({ timeout: 10000 });
  }, 90000);

  it('creates a technician for one kecamatan and shows the temporary password once', async () => {
    await admin.screen.getByTestId('user-new').click();
    await admin.screen.getByTestId('user-new-displayName').fill('Sari <Teknisi>');
    await admin.screen.getByTestId('user-new-username').fill(username);
    await admin.screen.getByTestId('user-new-email').fill('sari@example.test');
    await admin.screen.getByTestId('user-new-role').selectOption('technician');
    await admin.screen.getByTestId('user-new-scope-some').check();
    await admin.screen.getByTestId(`user-new-kecamatan-${kecamatan.code}`).check();
    await admin.screen.getByTestId('user-new-submit').click();
    const password = await admin.temporaryPassword();

    const user = await stored();
    userId = user.id;
    expect(user).toMatchObject({
      role: 'technician',
      kecamatanCodes: [kecamatan.code],
      active: true,
      mustChangePassword: true,
      displayName: 'Sari <Teknisi>',
      email: 'sari@example.test',
    });
    await expect(new PasswordHasher().verify(user.passwordHash, password)).resolves.toBe(true);
    await expect(admin.screen.getByTestId('user-editor').innerText()).resolves.toContain('sari@example.test');

    // The server refuses a second one with the same username, in the reader's language.
    await admin.screen.getByTestId('user-new').click();
    await admin.screen.getByTestId('user-new-displayName').fill('Sari Lagi');
    await admin.screen.getByTestId('user-new-username').fill(username);
    await admin.screen.getByTestId('user-new-email').fill('sari.lagi@example.test');
    await admin.screen.getByTestId('user-new-submit').click();
    await admin.screen.getByTestId('user-new-error').filter({ hasText: 'Email atau nama pengguna itu sudah dipakai.' }).waitFor({ timeout: 10000 });
    await admin.screen.getByTestId('user-new-cancel').click();
  }, 60000);

  it('finds the user by a search on the server, changes the role, deactivates and resets the password', async () => {
    await admin.search('sari', username);
    await expect(admin.row(username).innerText()).resolves.toContain(kecamatan.name);
    await admin.screen.getByTestId(`user-open-${username}`).click();
    // Shown once: opening the user again does not show the password of its creation.
    expect(await admin.screen.getByTestId('temporary-password').count()).toBe(0);

    await admin.screen.getByTestId('user-edit-role').selectOption('planner');
    await admin.screen.getByTestId('user-edit-save').click();
    await admin.screen.getByTestId('user-edit-saved').waitFor({ timeout: 10000 });
    await admin.row(username).getByTestId('user-role').filter({ hasText: 'Perencana' }).waitFor({ timeout: 10000 });
    expect(await stored()).toMatchObject({ role: 'planner', kecamatanCodes: null });

    await admin.deactivate();
    await admin.editorState('Nonaktif');
    expect((await stored()).active).toBe(false);

    const before = (await stored()).passwordHash;
    await admin.resetPassword();
    const password = await admin.temporaryPassword();
    const user = await stored();
    expect(user.passwordHash).not.toBe(before);
    expect(user.mustChangePassword).toBe(true);
    await expect(new PasswordHasher().verify(user.passwordHash, password)).resolves.toBe(true);
    await page.screenshot({ path: path.join(SHOTS, 'admin-users.png') });
  }, 60000);

  it('finds all of it in the audit log, filtered to the user and to the admin who did it', async () => {
    const rows = await admin.auditOf('user', userId, 4);
    const texts = await rows.allInnerTexts();
    // Newest first: the reset, the deactivation, the role, the creation.
    expect(await rows.evaluateAll((list) => list.map((row) => row.getAttribute('data-action')))).toEqual(['update', 'update', 'update', 'create']);
    expect(texts[0]).toContain('Kata sandi: (disembunyikan) → (diatur ulang)');
    expect(texts[1]).toContain('Aktif: ya → tidak');
    expect(texts[2]).toContain('Peran: Teknisi → Perencana');
    // A planner works everywhere: the kecamatan of the technician it was are cleared with the role.
    expect(texts[2]).toContain(`Kecamatan: ${kecamatan.code} → —`);
    expect(texts[3]).toContain(username);
    for (const text of texts) expect(text).toContain(server.user('admin').username);

    const entries = await server.db.dataSource.query(
      `SELECT action, actor_id AS "actorId", changes FROM audit_log WHERE entity_type = 'user' AND entity_id = $1 ORDER BY id DESC`,
      [userId],
    );
    expect(entries.map((entry: { action: string }) => entry.action)).toEqual(['update', 'update', 'update', 'create']);
    expect(entries.every((entry: { actorId: string }) => entry.actorId === server.user('admin').id)).toBe(true);
    expect(entries[2].changes.role).toEqual({ before: 'technician', after: 'planner' });
    await page.screenshot({ path: path.join(SHOTS, 'admin-audit.png') });

    // The same entries by actor: the admin's own sign-in is there too, the seed's entries are not.
    await admin.screen.getByTestId('audit-clear').click();
    await admin.screen.getByTestId('audit-user').selectOption(server.user('admin').id);
    // The admin's session may write an entry of its own meanwhile (a sign-in, a refresh): the
    // page shows what was there when it asked, between the counts before and after.
    const countByAdmin = async () =>
      ((await server.db.dataSource.query(`SELECT count(*)::int AS n FROM audit_log WHERE actor_id = $1`, [server.user('admin').id])) as { n: number }[])[0].n;
    const before = await countByAdmin();
    await admin.screen.getByTestId('audit-apply').click();
    // The list of the admin's entries, not the whole trail that the clear asked for before it
    // (which also holds the user's four entries): every row's actor (its second cell) is the admin.
    await page.waitForFunction(
      ([id, actor]) => {
        const rows = Array.from(document.querySelectorAll('[data-testid="audit-row"]'));
        return rows.filter((row) => row.getAttribute('data-entity-id') === id).length === 4 && rows.every((row) => row.children[1]?.textContent === actor);
      },
      [userId, server.user('admin').username],
      { timeout: 10000 },
    );
    const shown = await admin.screen.getByTestId('audit-row').count();
    const after = await countByAdmin();
    expect(shown).toBeGreaterThanOrEqual(Math.min(before, 50));
    expect(shown).toBeLessThanOrEqual(Math.min(after, 50));
  }, 60000);

  it('speaks English after the switch, and gives the map back on close', async () => {
    await admin.screen.getByTestId('lang-en').click();
    await admin.screen.getByTestId('admin-tab-users').filter({ hasText: 'Users' }).waitFor({ timeout: 10000 });
    await admin.screen.getByTestId('admin-tab-audit').click();
    await admin.screen.getByTestId('audit-apply').filter({ hasText: 'Apply' }).waitFor({ timeout: 10000 });
    await admin.screen.getByTestId('lang-id').click();
    const mapInert = () => page.evaluate(() => document.getElementById('map')?.closest('[inert]') !== null);
    expect(await mapInert()).toBe(true);
    await admin.screen.getByTestId('admin-close').click();
    await admin.screen.waitFor({ state: 'detached', timeout: 10000 });
    expect(await mapInert()).toBe(false);
    await page.getByTestId('user-menu').click();
    await page.getByTestId('open-admin').waitFor({ timeout: 5000 });
  }, 30000);
});
