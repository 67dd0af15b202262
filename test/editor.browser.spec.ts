/// <reference lib="dom" />
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { bearer, createTestUser, signIn } from './support/auth';
import { repoRoot } from './support/processes';
import { useTestServer } from './support/server';
import { DESKTOP, launchChromium, submitSignIn } from './support/browser';
import { MapPage } from './support/map-page';

const SHOTS = path.join(repoRoot, 'test-results');

interface SiteAt {
  id: string;
  code: string;
  name: string;
  version: number;
  lon: number;
  lat: number;
}

/**
 * The planner's attribute form and the map it is opened from: the phases to choose from come
 * from GET /api/phases (read once per session, kept for offline use), a 409 of the status
 * endpoint carries the whole record so a refused decommissioning shows both versions without
 * reading again, and reading the network again brings sites others changed by their version
 * (and whether they are connected now). Real api and database, Debian's Chromium, the app's
 * service worker.
 */
describe('the attribute form: phases, status conflicts, and sites read again', () => {
  const server = useTestServer({ seeded: true, roles: ['planner'] });
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let map: MapPage;
  let site: SiteAt;
  let unused: { id: string; name: string };
  let neverChosen: { id: string; name: string };

  const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `editor-${name}.png`) });
  /** The page's own fetch calls, as "METHOD /path" (the service worker answers some of them). */
  const fetches = () => page.evaluate(() => [...((window as unknown as { __seratFetches?: string[] }).__seratFetches ?? [])]);
  const showAt = (lon: number, lat: number, zoom = 18) => map.show(server.api.baseUrl, lon, lat, zoom);
  const openSiteForm = async (name: string) => {
    await map.openMarker(name);
    await page.getByTestId('popup-edit').click();
    await page.getByTestId('editor-form').waitFor({ timeout: 15000 });
  };
  const phaseOptions = () => page.locator('[data-testid="edit-phaseId"] option').allTextContents();

  beforeAll(async () => {
    // Two work packages nothing is built under yet: no feature on the map names them.
    [unused] = await server.db.dataSource.query(
      `INSERT INTO phases (code, name, budget_year, target_date) VALUES ('tahap-4', 'Tahap 4 (TA 2027): puskesmas', 2027, '2028-06-30') RETURNING id::text, name`,
    );
    [neverChosen] = await server.db.dataSource.query(
      `INSERT INTO phases (code, name, budget_year) VALUES ('tahap-5', 'Tahap 5 (TA 2028): sekolah', 2028) RETURNING id::text, name`,
    );
    [site] = await server.db.dataSource.query(
      `SELECT id::text, code, name, version, ST_X(location) AS lon, ST_Y(location) AS lat FROM sites WHERE kind = 'kantor_kecamatan' ORDER BY code LIMIT 1`,
    );
    browser = await launchChromium();
    context = await browser.newContext({ viewport: DESKTOP, locale: 'id-ID', serviceWorkers: 'allow' });
    await context.addInitScript(() => {
      const calls: string[] = [];
      (window as unknown as { __seratFetches: string[] }).__seratFetches = calls;
      const original = window.fetch.bind(window);
      window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
        const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
        calls.push(`${init?.method ?? 'GET'} ${new URL(url, window.location.href).pathname}`);
        return original(input, init);
      };
    });
    page = await context.newPage();
    map = new MapPage(page);
    fs.mkdirSync(SHOTS, { recursive: true });
  }, 90000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
  });

  it('signs a planner in; the app keeps what it loaded for offline use', async () => {
    await page.goto(`${server.api.baseUrl}/#17/${site.lat.toFixed(7)}/${site.lon.toFixed(7)}`);
    await submitSignIn(page, server.user('planner').username, server.user('planner').password);
    await map.ready();
    await page.waitForSelector('body[data-offline-ready="true"]', { timeout: 30000 });
  }, 90000);

  it('offers every phase, also one nothing uses yet, read once per session; the map names the one chosen', async () => {
    await openSiteForm(site.name);
    const options = await phaseOptions();
    expect(options).toEqual(expect.arrayContaining([unused.name, neverChosen.name, 'Tahap 1 (TA 2018): 36 SOPD']));
    await page.getByTestId('edit-phaseId').selectOption(unused.id);
    // Another phase changes what both contracted: not without a reason, which the scope history keeps.
    await page.getByTestId('editor-save').click();
    await page.getByTestId('editor-phase-reason-problem').filter({ hasText: 'mengubah cakupan' }).waitFor({ timeout: 15000 });
    await page.getByTestId('editor-phase-reason').fill('Dipindah sesuai addendum kontrak');
    await page.getByTestId('editor-save').click();
    await page.getByTestId('editor-message').filter({ hasText: 'Tersimpan' }).waitFor({ timeout: 15000 });
    const [row] = await server.db.dataSource.query(`SELECT phase_id::text AS "phaseId", version FROM sites WHERE id = $1`, [site.id]);
    expect(row).toEqual({ phaseId: unused.id, version: site.version + 1 });
    const history = await server.db.dataSource.query(`SELECT action, reason FROM phase_scope_changes WHERE item_id = $1 AND phase_id = $2`, [site.id, unused.id]);
    expect(history).toEqual([{ action: 'added', reason: 'Dipindah sesuai addendum kontrak' }]);
    await shot('1-phase');
    await page.getByTestId('editor-close').click();

    // The site's popup names its new phase: the page knows the name from the list.
    await map.openMarker(site.name, unused.name);
    await map.popup(unused.name).getByTestId('popup-edit').click();
    await page.getByTestId('editor-form').waitFor({ timeout: 15000 });
    expect(await page.getByTestId('edit-phaseId').inputValue()).toBe(unused.id);
    expect((await fetches()).filter((call) => call === 'GET /api/phases')).toHaveLength(1);
    await page.getByTestId('editor-close').click();
  }, 60000);

  it('a decommissioning refused because someone changed the segment shows both versions from the 409, without reading it again', async () => {
    const [segment] = await server.db.dataSource.query(
      // Drawn solid (a planned cable is dashed, and a click may land in a gap).
      `WITH c AS (SELECT id, code, version, ST_LineInterpolatePoint(geom, 0.4) AS pt FROM segments WHERE status = 'in_construction')
       SELECT c.id::text, c.code, c.version, ST_X(c.pt) AS lon, ST_Y(c.pt) AS lat FROM c
        WHERE NOT EXISTS (SELECT 1 FROM sites s WHERE ST_DWithin(s.location::geography, c.pt::geography, 80))
          AND NOT EXISTS (SELECT 1 FROM nodes n WHERE ST_DWithin(n.location::geography, c.pt::geography, 80))
          AND NOT EXISTS (SELECT 1 FROM segments o WHERE o.id <> c.id AND ST_DWithin(o.geom::geography, c.pt::geography, 40))
        ORDER BY c.code LIMIT 1`,
    );
    expect(segment).toBeDefined();
    await showAt(segment.lon, segment.lat);
    await map.clickCentre(map.popup(segment.code));
    await page.getByTestId('popup-edit').click();
    await page.getByTestId('editor-form').waitFor({ timeout: 15000 });
    expect(await page.getByTestId('editor-version').getAttribute('data-version')).toBe(String(segment.version));

    // Meanwhile a technician reports it installed and someone names the contractor.
    const token = await signIn(server.api.baseUrl, await createTestUser(server.db.dataSource, 'technician'));
    const installed = await fetch(`${server.api.baseUrl}/api/segments/${segment.id}/status`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(token) },
      body: JSON.stringify({ status: 'installed', version: segment.version, evidence: { gps: { lon: segment.lon, lat: segment.lat } } }),
    });
    expect(installed.status).toBe(201);
    await server.db.dataSource.query(`UPDATE segments SET contractor = 'PT Lain', version = version + 1 WHERE id = $1`, [segment.id]);

    const before = (await fetches()).length;
    await page.getByTestId('editor-decommission').click();
    await page.getByTestId('editor-reason').fill('Jalur dipindah ke duct baru');
    await page.getByTestId('editor-decommission-confirm').click();
    const conflict = page.getByTestId('editor-conflict');
    await conflict.waitFor({ timeout: 15000 });
    expect(await conflict.innerText()).toContain(`Anda membaca versi ${segment.version}; di server sekarang versi ${segment.version + 2}`);
    expect(await page.locator('[data-testid="editor-compare"] tr[data-field="status"]').getAttribute('data-change')).toBe('clash');
    expect(await page.getByTestId('conflict-theirs-status').innerText()).toBe('Terpasang');
    expect(await page.getByTestId('conflict-theirs-contractor').innerText()).toBe('PT Lain');
    expect(await page.getByTestId('conflict-mine-contractor').innerText()).toBe('tidak saya ubah');
    // The 409 said it all: the only call about this segment was the refused status change (the map
    // may meanwhile read the desa of the area in view).
    expect((await fetches()).slice(before).filter((call) => call.includes(segment.id))).toEqual([`POST /api/segments/${segment.id}/status`]);
    expect((await server.db.dataSource.query(`SELECT status FROM segments WHERE id = $1`, [segment.id]))[0].status).toBe('installed');
    await shot('2-decommission-conflict');

    await page.getByTestId('editor-apply-mine').click();
    await page.getByTestId('editor-message').filter({ hasText: 'dinonaktifkan' }).waitFor({ timeout: 15000 });
    const [row] = await server.db.dataSource.query(`SELECT status, version, contractor FROM segments WHERE id = $1`, [segment.id]);
    expect(row).toEqual({ status: 'decommissioned', version: segment.version + 3, contractor: 'PT Lain' });
    await page.getByTestId('editor-close').click();
  }, 90000);

  it('reading the network again brings a site someone renamed (newer version) and which sites are connected now', async () => {
    await showAt(site.lon, site.lat, 17);
    const statSites = async (kind: string) => (await page.getByTestId(`stat-sites-${kind}`).locator('dd').innerText()).trim();
    const shownBefore = await statSites('sopd');
    // A connected SOPD loses its drop cable: damaged, so the SOPD is no longer connected.
    const [drop] = await server.db.dataSource.query(
      `SELECT g.id FROM sites s JOIN segments g ON s.termination_node_id IN (g.from_node_id, g.to_node_id)
        WHERE s.kind = 'sopd' AND g.status = 'active' ORDER BY s.code LIMIT 1`,
    );
    expect(drop).toBeDefined();
    await server.db.dataSource.query(`UPDATE segments SET status = 'damaged', version = version + 1 WHERE id = $1`, [drop.id]);
    const renamed = `${site.name} (baru)`;
    await server.db.dataSource.query(`UPDATE sites SET name = $1, version = version + 1 WHERE id = $2`, [renamed, site.id]);
    const answer = await (await fetch(`${server.api.baseUrl}/api/sites?limit=5000`, { headers: bearer(server.token('planner')) })).json();
    // The header counts each kind on its own: SOPD and kantor kecamatan.
    const shownNow = (kind: string) => {
      const ofKind = answer.features.filter((f: { properties: { kind: string } }) => f.properties.kind === kind);
      return `${ofKind.filter((f: { properties: { connected: boolean } }) => f.properties.connected).length} / ${ofKind.length}`;
    };
    expect(shownNow('sopd')).not.toBe(shownBefore);

    // The connection comes back: the page reads the network again.
    await context.setOffline(true);
    await page.locator('[data-testid="net-status"][data-online="false"]').waitFor();
    await context.setOffline(false);
    await page.getByTitle(renamed, { exact: true }).first().waitFor({ state: 'attached', timeout: 15000 });
    expect(await page.getByTitle(site.name, { exact: true }).count()).toBe(0);
    for (const kind of ['sopd', 'kantor_kecamatan']) {
      await page
        .getByTestId(`stat-sites-${kind}`)
        .locator('dd')
        .filter({ hasText: new RegExp(`^${shownNow(kind)}$`) })
        .waitFor({ timeout: 15000 });
    }
    site = { ...site, name: renamed };
  }, 60000);

  it('offline, the form still offers the phases read before, from the copy kept on the device', async () => {
    await context.setOffline(true);
    await page.reload();
    await map.ready();
    await openSiteForm(site.name);
    // No feature on the map names the phase never chosen: only the kept list offers it.
    expect(await phaseOptions()).toEqual(expect.arrayContaining([unused.name, neverChosen.name]));
    expect(await page.getByTestId('editor-panel').innerText()).toContain('Tanpa koneksi');
    await shot('3-offline');
    await page.getByTestId('editor-close').click();
    await context.setOffline(false);
  }, 60000);

  it('names a field the server found wrong by its label, also one the form has no input for', async () => {
    await showAt(site.lon, site.lat);
    await openSiteForm(site.name);
    // A refusal naming a field this form does not show (as a newer api might).
    const url = `**/api/sites/${site.id}`;
    await context.route(url, (route) =>
      route.request().method() === 'PATCH'
        ? route.fulfill({
            status: 400,
            contentType: 'application/json',
            body: JSON.stringify({ error: { code: 'VALIDATION_FAILED', message: 'Check the fields', details: [{ field: 'coreCount', problem: 'must be a whole number' }] } }),
          })
        : route.fallback(),
    );
    try {
      await page.getByTestId('edit-name').fill(`${site.name} (uji)`);
      await page.getByTestId('editor-save').click();
      const error = page.getByTestId('editor-error');
      await error.filter({ hasText: 'must be a whole number' }).waitFor({ timeout: 15000 });
      expect(await error.innerText()).toContain('Jumlah core: must be a whole number');
      expect(await error.innerText()).not.toContain('coreCount');
    } finally {
      await context.unroute(url);
    }
    await page.getByTestId('editor-close').click();
  }, 60000);
});
