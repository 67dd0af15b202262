/// <reference lib="dom" />
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Browser, Page } from 'playwright-core';
import { bearer, createTestUser, signIn } from './support/auth';
import { repoRoot } from './support/processes';
import { useTestServer } from './support/server';
import { DESKTOP, launchChromium, submitSignIn } from './support/browser';
import { MapPage } from './support/map-page';

const SHOTS = path.join(repoRoot, 'test-results');
const STATUSES = ['planned', 'surveyed', 'in_construction', 'installed', 'spliced', 'tested', 'active', 'damaged', 'decommissioned'];

/** The map as a planner opens it: real api, real database, Debian's Chromium, no internet tiles. */
describe('the map in a browser', () => {
  const server = useTestServer({ seeded: true, roles: ['planner'] });
  let browser: Browser;
  let page: Page;
  let map: MapPage;
  const externalRequests: string[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    page = await browser.newPage({ viewport: DESKTOP, locale: 'id-ID' });
    map = new MapPage(page);
    page.on('request', (request) => {
      if (!request.url().startsWith(server.api.baseUrl) && !request.url().startsWith('data:')) externalRequests.push(request.url());
    });
    fs.mkdirSync(SHOTS, { recursive: true });
  }, 60000);

  afterAll(async () => {
    await browser?.close();
  });

  it('asks to sign in first, and refuses a wrong password in Bahasa Indonesia', async () => {
    await page.goto(`${server.api.baseUrl}/`);
    await page.getByTestId('login-form').waitFor({ timeout: 30000 });
    expect(await page.evaluate(() => document.body.dataset.signedIn)).toBe('false');
    await page.screenshot({ path: path.join(SHOTS, 'login-id.png') });
    await submitSignIn(page, server.user('planner').username, 'bukan-kata-sandinya');
    await page.getByTestId('login-error').filter({ hasText: 'Email/nama pengguna atau kata sandi salah.' }).waitFor({ timeout: 10000 });
    expect(await page.locator('path.serat-area-kecamatan').count()).toBe(0);
  }, 60000);

  it('shows the 17 kecamatan, the segments and the status legend without any internet tiles', async () => {
    await page.getByTestId('login-password').fill(server.user('planner').password);
    await page.getByTestId('login-submit').click();
    await map.ready();
    expect(await page.evaluate(() => document.body.dataset.signedIn)).toBe('true');
    expect(await page.evaluate(() => document.body.dataset.mapError ?? null)).toBeNull();

    expect(await page.locator('path.serat-area-kecamatan').count()).toBe(17);
    const segmentPaths = await page.locator('path.serat-segment').count();
    const [segments] = await server.db.dataSource.query(`SELECT count(*)::int AS n FROM segments`);
    expect(segmentPaths).toBe(segments.n);
    expect(await page.locator('path.serat-segment-active').count()).toBeGreaterThan(0);

    const legend = page.getByTestId('legend');
    await expect(legend.isVisible()).resolves.toBe(true);
    for (const status of STATUSES) expect(await page.getByTestId(`legend-${status}`).count()).toBe(1);
    expect(await page.getByTestId('legend-active').innerText()).toMatch(/Aktif/);
    expect(await page.getByTestId('demo-badge').innerText()).toMatch(/DEMO/i);
    expect(externalRequests).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, 'map-id.png') });
  }, 60000);

  it('switches the interface to English and back', async () => {
    const networkKm = async () => (await page.getByTestId('stat-network').locator('dd').innerText()).trim();
    const [{ km }] = await server.db.dataSource.query(`SELECT sum(length_m) / 1000 AS km FROM segments`);
    const tenths = Math.round(Number(km) * 10);
    expect(tenths).toBeGreaterThan(1000);
    // Numbers as each language writes them: 469,4 km, and in English 469.4 km (1,234.5 beyond a thousand).
    const written = (thousands: string, decimal: string) => `${String(Math.floor(tenths / 10)).replace(/\B(?=(\d{3})+$)/g, thousands)}${decimal}${tenths % 10} km`;
    expect(await networkKm()).toBe(written('.', ','));
    await page.getByTestId('lang-en').click();
    await expect(page.getByTestId('legend-active').innerText()).resolves.toMatch(/Active/);
    await expect(page.getByTestId('legend-planned').innerText()).resolves.toMatch(/Planned/);
    expect(await networkKm()).toBe(written(',', '.'));
    const attribution = page.locator('.leaflet-control-attribution');
    await attribution.filter({ hasText: 'Boundaries: Kemendagri/BIG' }).waitFor({ timeout: 5000 });
    expect(await attribution.innerText()).not.toContain('Batas wilayah');
    await page.screenshot({ path: path.join(SHOTS, 'map-en.png') });
    await page.getByTestId('lang-id').click();
    await expect(page.getByTestId('legend-planned').innerText()).resolves.toMatch(/Direncanakan/);
    await attribution.filter({ hasText: 'Batas wilayah: Kemendagri/BIG' }).waitFor({ timeout: 5000 });
    expect(await attribution.innerText()).not.toContain('Boundaries');
  }, 30000);

  it('opens a popup with a site name from the database, rendered as text', async () => {
    // A hostile name must show as text, never run as HTML.
    const hostile = '<img src=x onerror="document.body.dataset.pwned=1">';
    await server.db.dataSource.query(`UPDATE sites SET name = $1 WHERE code = 'SOPD-01'`, [hostile]);
    const [site] = await server.db.dataSource.query(`SELECT ST_X(location) AS lon, ST_Y(location) AS lat FROM sites WHERE code = 'SOPD-01'`);
    // A shared link to the place (#zoom/lat/lon), zoomed in far enough that markers do not overlap.
    await map.show(server.api.baseUrl, site.lon, site.lat, 18);
    // Open it the way a user does: click the marker, found by its tooltip title.
    await map.openMarker(hostile);
    const popup = page.locator('.leaflet-popup-content');
    expect(await popup.innerText()).toContain(hostile);
    expect(await page.evaluate(() => document.body.dataset.pwned ?? null)).toBeNull();
    expect(await popup.locator('img').count()).toBe(0);
  }, 60000);

  it('opens a planned segment clicked in a gap between its dashes, not the kecamatan under it', async () => {
    const [segment] = await server.db.dataSource.query(
      `SELECT code, ST_Y(ST_LineInterpolatePoint(geom, 0.5)) AS lat, ST_X(ST_LineInterpolatePoint(geom, 0.5)) AS lon
         FROM segments WHERE status = 'planned' ORDER BY length_m DESC LIMIT 1`,
    );
    await map.show(server.api.baseUrl, segment.lon, segment.lat, 16);
    await page.waitForSelector('path.serat-segment-planned', { state: 'attached' });
    // Planned cable is drawn "6 5": 6 px of dash, 5 px of gap, in screen pixels along the path.
    // Find a point in the middle of a gap that no marker covers.
    const gap = await page.evaluate(() => {
      for (const path of Array.from(document.querySelectorAll<SVGPathElement>('path.serat-segment-planned'))) {
        points: for (let along = 8.5; along < path.getTotalLength(); along += 11) {
          const at = path.getPointAtLength(along).matrixTransform(path.getScreenCTM()!);
          if (at.x < 480 || at.y < 80 || at.x > window.innerWidth - 300 || at.y > window.innerHeight - 20) continue points;
          const top = document.elementFromPoint(at.x, at.y);
          if (top && (top.closest('.leaflet-marker-pane') || top.classList.contains('serat-node'))) continue points;
          return { x: at.x, y: at.y };
        }
      }
      return null;
    });
    expect(gap).not.toBeNull();
    await page.mouse.click(gap!.x, gap!.y);
    const popup = page.locator('.leaflet-popup-content');
    await popup.waitFor({ timeout: 10000 });
    const text = await popup.innerText();
    const planned: { code: string }[] = await server.db.dataSource.query(`SELECT code FROM segments WHERE status = 'planned'`);
    expect(planned.some((row) => text.includes(row.code))).toBe(true);
    expect(text).toContain('Direncanakan');
  }, 60000);

  it('shows a segment’s areas, latest history and photos in its popup, read as it opens', async () => {
    const [segment] = await server.db.dataSource.query(
      `SELECT id::text, code, ST_Y(ST_LineInterpolatePoint(geom, 0.5)) AS lat, ST_X(ST_LineInterpolatePoint(geom, 0.5)) AS lon
         FROM segments WHERE status = 'active' ORDER BY length_m DESC LIMIT 1`,
    );
    const areas: { name: string; level: string }[] = await server.db.dataSource.query(
      `SELECT a.name, sa.level FROM segment_areas sa JOIN admin_areas a ON a.code = sa.area_code WHERE sa.segment_id = $1`,
      [segment.id],
    );
    expect(areas.some((area) => area.level === 'kecamatan')).toBe(true);
    // A photo on its latest change, as a technician's report would carry.
    const [change] = await server.db.dataSource.query(`SELECT id FROM status_changes WHERE segment_id = $1 ORDER BY id DESC LIMIT 1`, [segment.id]);
    const [photo] = await server.db.dataSource.query(
      `INSERT INTO photos (status_change_id, uploaded_by, store, storage_key, thumbnail_key, content_type, size_bytes, width, height, sha256)
       VALUES ($1, $2, 'disk', 'test/popup.jpg', 'test/popup-thumb.jpg', 'image/jpeg', 1000, 10, 10, repeat('a', 64)) RETURNING id::text`,
      [change.id, server.user('planner').id],
    );
    let detailReads = 0;
    const countReads = (request: { url(): string }) => {
      if (request.url().includes(`/api/segments/${segment.id}`)) detailReads += 1;
    };
    page.on('request', countReads);
    try {
      await map.show(server.api.baseUrl, segment.lon, segment.lat, 18);
      // Nothing of it is read with the map: only when the popup opens.
      expect(detailReads).toBe(0);
      await map.clickCentre(map.popup(segment.code));
      const popup = map.popup(segment.code);
      await popup.locator('[data-testid="popup-details"][data-state="ready"]').waitFor({ timeout: 15000 });
      const areaText = await popup.getByTestId('popup-areas').innerText();
      for (const area of areas) expect(areaText).toContain(area.name);
      const history = popup.getByTestId('popup-history-entry');
      expect(await history.count()).toBeGreaterThan(0);
      expect(await history.count()).toBeLessThanOrEqual(5);
      expect(await history.last().innerText()).toMatch(/status awal · sistem \(data awal\)/);
      expect(await popup.innerText()).not.toMatch(/initial status|system:seed/);
      const photoLink = popup.getByTestId('popup-photo');
      expect(await photoLink.count()).toBe(1);
      expect(await photoLink.getAttribute('href')).toBe(`/api/photos/${photo.id}`);
      // Text and links only: no image is loaded into the popup.
      expect(await popup.locator('img').count()).toBe(0);
      // No "navigate here" on a desktop: it has no map app to hand a geo: link to.
      expect(await popup.getByTestId('popup-navigate').count()).toBe(0);

      // A switch of language draws it again from what was read, without asking again.
      const reads = detailReads;
      await page.getByTestId('lang-en').click();
      await popup.getByTestId('popup-history').filter({ hasText: 'initial status · system (seed data)' }).waitFor();
      expect(detailReads).toBe(reads);
      await page.getByTestId('lang-id').click();
      await page.screenshot({ path: path.join(SHOTS, 'map-segment-popup-id.png') });
    } finally {
      page.off('request', countReads);
    }
  }, 60000);

  it('moves to a place whose link is followed in the same tab, without loading the page again', async () => {
    const [site] = await server.db.dataSource.query(`SELECT code, name, ST_X(location) AS lon, ST_Y(location) AS lat FROM sites WHERE code = 'SOPD-02'`);
    await page.evaluate(() => ((window as unknown as { seratLoadedOnce: boolean }).seratLoadedOnce = true));
    await page.evaluate(([lat, lon]) => (window.location.hash = `#18/${lat}/${lon}`), [site.lat, site.lon]);
    await map.idle();
    const mapBox = (await page.locator('#map').boundingBox())!;
    const marker = (await page.getByTitle(site.name, { exact: true }).first().boundingBox())!;
    // The site's marker sits in the map's middle (the marker is drawn centred on its place).
    expect(Math.abs(marker.x + marker.width / 2 - (mapBox.x + mapBox.width / 2))).toBeLessThan(12);
    expect(Math.abs(marker.y + marker.height / 2 - (mapBox.y + mapBox.height / 2))).toBeLessThan(12);
    expect(await page.evaluate(() => (window as unknown as { seratLoadedOnce?: boolean }).seratLoadedOnce)).toBe(true);
  }, 30000);

  it('signs out from the user menu back to the sign-in screen', async () => {
    await page.getByTestId('user-menu').click();
    await page.getByTestId('logout').click();
    await page.getByTestId('login-form').waitFor({ timeout: 10000 });
    expect(await page.evaluate(() => document.body.dataset.signedIn)).toBe('false');
    const me = await page.evaluate(async () => (await fetch('/api/auth/me')).status);
    expect(me).toBe(401);
  }, 30000);

  it('after a password reset asks for a new password first, and loads the map only once it is changed', async () => {
    const admin = await signIn(server.api.baseUrl, await createTestUser(server.db.dataSource, 'admin'));
    const reset = await fetch(`${server.api.baseUrl}/api/users/${server.user('planner').id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', ...bearer(admin) },
      body: JSON.stringify({ resetPassword: true }),
    });
    const { temporaryPassword } = await reset.json();
    // Until the change the server refuses everything but it; the page must not even ask.
    const refused: string[] = [];
    const noteRefusal = (response: { status(): number; url(): string }) => {
      if (response.status() === 403) refused.push(response.url());
    };
    page.on('response', noteRefusal);
    try {
      await submitSignIn(page, server.user('planner').username, temporaryPassword);
      const dialog = page.getByTestId('password-dialog');
      await dialog.waitFor({ state: 'visible', timeout: 10000 });
      expect(await page.getByTestId('password-cancel').innerText()).toMatch(/Keluar/);
      await page.getByTestId('password-current').fill(temporaryPassword);
      await page.getByTestId('password-new').fill('Kabel-Serat-Baru-2026');
      await page.getByTestId('password-repeat').fill('Kabel-Serat-Baru-2026');
      await page.getByTestId('password-save').click();
      await dialog.waitFor({ state: 'hidden', timeout: 10000 });
      await map.ready();
      expect(await page.evaluate(() => document.body.dataset.mapError ?? null)).toBeNull();
      expect(await page.locator('path.serat-area-kecamatan').count()).toBe(17);
      expect(refused).toEqual([]);
    } finally {
      page.off('response', noteRefusal);
    }
  }, 60000);
});
