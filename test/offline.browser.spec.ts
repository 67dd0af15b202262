/// <reference lib="dom" />
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Browser, BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { bearer, createTestUser } from './support/auth';
import { repoRoot } from './support/processes';
import { useTestServer } from './support/server';
import { waitFor } from './support/wait';
import { PHONE, launchChromium, phoneContext, submitSignIn } from './support/browser';
import { MapPage } from './support/map-page';

const SHOTS = path.join(repoRoot, 'test-results');

interface SegmentRow {
  id: string;
  code: string;
  version: number;
  lon: number;
  lat: number;
}

/** A small JPEG as a phone camera would hand it over: a few coloured bands, no EXIF. */
async function cameraJpeg(): Promise<Buffer> {
  const width = 640;
  const height = 480;
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const offset = (y * width + x) * 3;
      pixels[offset] = (x * 255) / width;
      pixels[offset + 1] = 120 + (y * 100) / height;
      pixels[offset + 2] = (x + y) % 64 < 32 ? 60 : 200;
    }
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 80 })
    .toBuffer();
}

/**
 * The technician's offline flow on a phone: real api and database, Debian's Chromium with the
 * built web app and its service worker, the network cut with the browser's own offline switch.
 */
describe('field work without a connection, on a phone', () => {
  const server = useTestServer({ seeded: true, roles: ['technician', 'planner'] });
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let map: MapPage;
  let first: SegmentRow;
  let second: SegmentRow;
  const externalRequests: string[] = [];

  const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `offline-${name}.png`) });
  const segmentRow = async (id: string) => (await server.db.dataSource.query(`SELECT status, version FROM segments WHERE id = $1`, [id]))[0] as { status: string; version: number };
  /** What the outbox holds in IndexedDB, read straight from the browser's storage. */
  const storedOutbox = () =>
    page.evaluate(
      () =>
        new Promise<Array<{ code: string; state: string; toStatus: string; photos: unknown[] }>>((resolve, reject) => {
          const open = indexedDB.open('serat-field');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const request = open.result.transaction('outbox').objectStore('outbox').getAll();
            request.onsuccess = () => {
              resolve(request.result);
              open.result.close();
            };
            request.onerror = () => reject(request.error);
          };
        }),
    );

  async function openSegment(code: string): Promise<void> {
    if (!(await page.getByTestId('field-panel').isVisible())) await page.getByTestId('field-open').click();
    if (await page.getByTestId('field-back').isVisible()) await page.getByTestId('field-back').click();
    await page.getByTestId('field-search').fill(code);
    const result = page.locator(`[data-testid="field-results"][data-mode="search"] [data-testid="field-result"][data-code="${code}"]`);
    await result.waitFor({ timeout: 15000 }).catch(async (error: Error) => {
      // What the technician sees instead, to tell a slow server search from a wrong list.
      const shown = await page
        .getByTestId('field-panel')
        .innerText({ timeout: 1000 })
        .catch(() => '(no field panel)');
      throw new Error(`${error.message}\nno result ${code}; the field panel shows:\n${shown}`);
    });
    await result.click();
    await page.locator(`[data-testid="field-detail"][data-code="${code}"]`).waitFor();
    // The history is read (and so kept by the service worker for later offline use).
    await page.getByTestId('field-history-entry').first().waitFor({ timeout: 15000 });
  }

  beforeAll(async () => {
    const rows: SegmentRow[] = await server.db.dataSource.query(
      `SELECT id::text, code, version, ST_X(ST_StartPoint(geom)) AS lon, ST_Y(ST_StartPoint(geom)) AS lat
         FROM segments WHERE status = 'in_construction' ORDER BY code LIMIT 2`,
    );
    expect(rows).toHaveLength(2);
    [first, second] = rows;
    browser = await launchChromium();
    // An Indonesian phone: WIB clock, touch, and the GPS standing at the start of the first segment.
    context = await phoneContext(browser, { permissions: ['geolocation'], geolocation: { longitude: first.lon, latitude: first.lat, accuracy: 12 } });
    page = await context.newPage();
    map = new MapPage(page);
    page.on('request', (request) => {
      if (!request.url().startsWith(server.api.baseUrl) && !/^(data|blob):/.test(request.url())) externalRequests.push(request.url());
    });
    fs.mkdirSync(SHOTS, { recursive: true });
  }, 90000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
  });

  it('signs a technician in; the app installs its service worker and keeps what it loaded', async () => {
    await page.goto(`${server.api.baseUrl}/`);
    await submitSignIn(page, server.user('technician').username, server.user('technician').password);
    await map.ready();
    await page.waitForSelector('body[data-offline-ready="true"]', { timeout: 30000 });
    expect(await page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
    expect(await page.getByTestId('net-status').getAttribute('data-online')).toBe('true');
    // The manifest that lets a phone add Serat to its home screen.
    const manifest = await page.evaluate(async () => (await fetch('/manifest.webmanifest')).json());
    expect(manifest).toMatchObject({ short_name: 'Serat', display: 'standalone' });
    expect(manifest.icons.some((icon: { sizes: string }) => icon.sizes === '512x512')).toBe(true);
    await shot('1-map-id');
  }, 90000);

  it('finds segments near the technician with their distance', async () => {
    await page.getByTestId('field-open').click();
    await page.getByTestId('field-near').click();
    const row = page.locator(`[data-testid="field-result"][data-code="${first.code}"]`);
    await row.waitFor({ timeout: 15000 });
    // The map zooms to the position, and the lines of its tiles there are drawn to 10 cm: the
    // ranking follows them, so the segment the technician stands on reads 0 m.
    await waitFor(async () => (/\b0 m\b/.test(await row.innerText()) ? true : undefined), 10000, 'the segment under the technician at 0 m');
    // The view in the address (#zoom/lat/lon) is the position's, close in.
    expect(Number(new URL(page.url()).hash.slice(1).split('/')[0])).toBeGreaterThanOrEqual(15);
    await shot('2-near-me-id');
  }, 30000);

  it('names the site of a node near the technician, and leads there with "navigate here"', async () => {
    const [site] = await server.db.dataSource.query(
      `SELECT s.name, n.code, ST_X(n.location) AS lon, ST_Y(n.location) AS lat
         FROM sites s JOIN nodes n ON n.id = s.termination_node_id WHERE s.kind = 'sopd' ORDER BY s.code LIMIT 1`,
    );
    await context.setGeolocation({ longitude: site.lon, latitude: site.lat, accuracy: 8 });
    try {
      if (!(await page.getByTestId('field-panel').isVisible())) await page.getByTestId('field-open').click();
      await page.getByTestId('field-near').click();
      const row = page.locator(`[data-testid="field-results"][data-mode="near"] [data-testid="field-result"][data-code="${site.code}"]`);
      await row.waitFor({ timeout: 15000 });
      // Not the bare code ("ONT-SOPD-01") alone: the site it serves.
      expect(await row.getByTestId('field-result-site').innerText()).toBe(site.name);
      expect(await row.innerText()).toMatch(/\b0 m\b/);
      await shot('2b-near-me-site-id');

      await row.click();
      await page.locator(`[data-testid="field-detail"][data-code="${site.code}"]`).waitFor();
      const navigate = page.getByTestId('field-navigate');
      expect(await navigate.innerText()).toContain('Navigasi ke sini');
      // A geo: URI, latitude first, that the phone hands to its map app.
      const href = (await navigate.getAttribute('href'))!;
      const match = /^geo:(-?[\d.]+),(-?[\d.]+)\?q=\1,\2$/.exec(href);
      expect(match).not.toBeNull();
      expect(Math.abs(Number(match![1]) - site.lat)).toBeLessThan(1e-5);
      expect(Math.abs(Number(match![2]) - site.lon)).toBeLessThan(1e-5);
      await page.getByTestId('field-back').click();
    } finally {
      await context.setGeolocation({ longitude: first.lon, latitude: first.lat, accuracy: 12 });
    }
  }, 30000);

  it('reports damage to an active segment through its own action, never as its next stage', async () => {
    const [active] = await server.db.dataSource.query(`SELECT id::text, code, version FROM segments WHERE status = 'active' ORDER BY code LIMIT 1`);
    await openSegment(active.code);
    expect(await page.getByTestId('field-detail-status').getAttribute('data-status')).toBe('active');
    // Active is the last stage: no "next stage", and damaged is not among the other statuses.
    expect(await page.getByTestId('field-status-next').count()).toBe(0);
    const others = await page
      .getByTestId('field-status-other')
      .locator('option')
      .evaluateAll((options) => options.map((option) => (option as HTMLOptionElement).value));
    expect(others).not.toContain('damaged');
    expect(others).toContain('decommissioned');

    const report = page.getByTestId('field-report-damage');
    expect(await report.innerText()).toBe('Laporkan kerusakan');
    expect(await report.getAttribute('aria-pressed')).toBe('false');
    await report.click();
    expect(await report.getAttribute('aria-pressed')).toBe('true');
    expect(await page.getByTestId('field-save').innerText()).toBe('Simpan: Rusak');
    await page.getByTestId('field-note').fill('Kabel putus tertabrak truk dekat tiang T-03');
    await page.getByTestId('field-damage').scrollIntoViewIfNeeded();
    await shot('2c-report-damage-id');
    await page.getByTestId('field-save').click();
    await waitFor(async () => ((await segmentRow(active.id)).status === 'damaged' ? true : undefined), 30000, 'the damage report to reach the server');
    expect((await segmentRow(active.id)).version).toBe(active.version + 1);
    await page.getByTestId('outbox-count').waitFor({ state: 'detached', timeout: 15000 });

    // Once damaged, the usual move is the repair back to active; damage is not offered again.
    await page.locator('[data-testid="field-detail-status"][data-status="damaged"]').waitFor({ timeout: 15000 });
    expect(await page.getByTestId('field-status-next').getAttribute('data-status')).toBe('active');
    expect(await page.getByTestId('field-report-damage').count()).toBe(0);
  }, 60000);

  it('queues a status change with a photo and a note while offline, and keeps it across a reload', async () => {
    await openSegment(first.code);
    expect(await page.getByTestId('field-detail-status').getAttribute('data-status')).toBe('in_construction');
    // The seed's first entry, in Bahasa Indonesia: what kind of change, and who made it.
    const seeded = page.getByTestId('field-history-entry').last();
    expect(await seeded.getByTestId('field-history-meta').innerText()).toMatch(/ · status awal · sistem \(data awal\)$/);
    expect(await page.getByTestId('field-history').innerText()).not.toMatch(/initial status|system:seed/);
    // Damage is reported only for an active segment.
    expect(await page.getByTestId('field-report-damage').count()).toBe(0);
    // The map draws it as it is on the server, in construction.
    expect(await page.locator(`path.serat-segment-in_construction[data-code="${first.code}"]`).count()).toBe(1);

    await context.setOffline(true);
    await page.locator('[data-testid="net-status"][data-online="false"]').waitFor();
    await page.getByTestId('field-status-next').click();
    expect(await page.getByTestId('field-status-next').getAttribute('data-status')).toBe('installed');
    await page.getByTestId('field-note').fill('Kabel terpasang sampai tiang T-07, uji offline');
    await page.getByTestId('field-photo-input').setInputFiles({ name: 'kamera.jpg', mimeType: 'image/jpeg', buffer: await cameraJpeg() });
    await page.getByTestId('field-photos').locator('img').waitFor();
    const savedFrom = Date.now();
    await page.getByTestId('field-save').click();
    await page.locator('[data-testid="field-form-message"]', { hasText: 'Tersimpan di perangkat' }).waitFor();
    const savedUntil = Date.now();
    await page.locator('[data-testid="outbox-count"][data-count="1"]').waitFor();
    expect(await page.getByTestId('outbox-count').getAttribute('title')).toBe('Menunggu sinkron (1)');
    await shot('3-queued-offline-id');

    // Nothing reached the server.
    expect(await segmentRow(first.id)).toEqual({ status: 'in_construction', version: first.version });

    // Closing the page and coming back with no connection: the service worker brings the app back.
    await page.reload();
    await map.ready();
    expect(await page.evaluate(() => document.body.dataset.signedIn)).toBe('true');
    expect(await page.locator('path.serat-segment').count()).toBeGreaterThan(50);
    // The map says where its data came from.
    await page.getByTestId('notice-offline').filter({ hasText: 'data tersimpan' }).waitFor();
    await page.locator('[data-testid="outbox-count"][data-count="1"]').waitFor();
    await page.getByTestId('outbox-count').click();
    const queued = page.getByTestId('outbox-list').getByTestId('outbox-item');
    await expect(queued.count()).resolves.toBe(1);
    expect(await queued.getAttribute('data-code')).toBe(first.code);
    expect(await queued.innerText()).toContain('Kabel terpasang sampai tiang T-07');
    expect(await page.getByTestId('outbox-title').innerText()).toBe('Menunggu sinkron (1)');
    const stored = await storedOutbox();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ code: first.code, state: 'pending', toStatus: 'installed' });
    expect(stored[0].photos).toHaveLength(1);
    await shot('4-reloaded-offline-id');

    // The connection returns: photo first, then the change, with the device's time and base version.
    await context.setOffline(false);
    const synced = await waitFor(async () => ((await segmentRow(first.id)).status === 'installed' ? true : undefined), 30000, 'the change to reach the server');
    expect(synced).toBe(true);
    const [change] = await server.db.dataSource.query(
      `SELECT c.id, c.from_status, c.to_status, c.note, c.device_time, c.changed_by,
              (SELECT count(*)::int FROM photos p WHERE p.status_change_id = c.id) AS photos
         FROM status_changes c WHERE c.segment_id = $1 ORDER BY c.id DESC LIMIT 1`,
      [first.id],
    );
    expect(change).toMatchObject({
      from_status: 'in_construction',
      to_status: 'installed',
      note: 'Kabel terpasang sampai tiang T-07, uji offline',
      changed_by: server.user('technician').username,
      photos: 1,
    });
    expect(change.device_time).toBeInstanceOf(Date);
    expect(change.device_time.getTime()).toBeGreaterThanOrEqual(savedFrom - 1000);
    expect(change.device_time.getTime()).toBeLessThanOrEqual(savedUntil + 1000);
    expect((await segmentRow(first.id)).version).toBe(first.version + 1);

    // The outbox is empty and the map shows the segment installed.
    await page.getByTestId('outbox-count').waitFor({ state: 'detached', timeout: 15000 });
    expect(await storedOutbox()).toHaveLength(0);
    const drawnAs = (status: string) => page.locator(`path.serat-segment-${status}[data-code="${first.code}"]`);
    await drawnAs('installed').waitFor({ state: 'attached', timeout: 10000 });
    expect(await drawnAs('in_construction').count()).toBe(0);
    await openSegment(first.code);
    expect(await page.getByTestId('field-detail-status').getAttribute('data-status')).toBe('installed');
    await page.getByTestId('field-history-photo').first().waitFor({ timeout: 15000 });
    await page.getByTestId('notice-offline').waitFor({ state: 'detached', timeout: 15000 });
    await shot('5-synced-id');
    await page.getByTestId('field-history-photo').first().scrollIntoViewIfNeeded();
    await page.waitForFunction(() =>
      Array.from(document.querySelectorAll<HTMLImageElement>('[data-testid="field-history-photo"]')).every((img) => img.complete && img.naturalWidth > 0),
    );
    await shot('5b-history-with-photo-id');
  }, 120000);

  it('shows a conflict with both versions and keeps my change until I decide', async () => {
    await page.getByTestId('lang-en').click();
    await openSegment(second.code);
    await context.setOffline(true);
    await page.locator('[data-testid="net-status"][data-online="false"]').waitFor();
    await page.getByTestId('field-status-next').click();
    await page.getByTestId('field-gps').click();
    await page.getByTestId('field-gps-attached').waitFor();
    await page.getByTestId('field-note').fill('Installed from the river bank');
    await page.getByTestId('field-save').click();
    await page.locator('[data-testid="field-form-message"]', { hasText: 'Saved on this device' }).waitFor();
    await page.locator('[data-testid="outbox-count"][data-count="1"]').waitFor();

    // Meanwhile a planner in the office moves the same segment on (installed, then spliced).
    const token = server.token('planner');
    for (const [status, version] of [
      ['installed', second.version],
      ['spliced', second.version + 1],
    ] as const) {
      const response = await fetch(`${server.api.baseUrl}/api/segments/${second.id}/status`, {
        method: 'POST',
        headers: { ...bearer(token), 'content-type': 'application/json' },
        body: JSON.stringify({ status, version, note: `Kantor: ${status}`, evidence: { gps: { lon: second.lon, lat: second.lat } } }),
      });
      expect(response.status).toBe(201);
    }

    await context.setOffline(false);
    const conflict = page.locator('[data-testid="outbox-item"][data-state="conflict"]').first();
    await conflict.waitFor({ timeout: 30000 });
    const theirs = await conflict.getByTestId('outbox-theirs').innerText();
    const mine = await conflict.getByTestId('outbox-mine').innerText();
    expect(theirs).toMatch(/Spliced/);
    expect(theirs).toMatch(new RegExp(`version ${second.version + 2}`));
    expect(theirs).toContain(server.user('planner').username);
    expect(mine).toMatch(/Installed/);
    expect(mine).toMatch(new RegExp(`In construction, version ${second.version}`));
    // Nothing was dropped, and nothing overwrote the planner's change.
    expect(await storedOutbox()).toMatchObject([{ code: second.code, state: 'conflict', toStatus: 'installed' }]);
    expect(await segmentRow(second.id)).toEqual({ status: 'spliced', version: second.version + 2 });
    expect(await page.getByTestId('outbox-count').getAttribute('data-count')).toBe('1');
    await conflict.scrollIntoViewIfNeeded();
    await shot('6-conflict-en');

    // "Apply mine on top": sent again on the current version (a step back, so my note is the reason).
    await conflict.getByTestId('outbox-apply-mine').click();
    await waitFor(async () => ((await segmentRow(second.id)).status === 'installed' ? true : undefined), 30000, 'mine applied on top');
    expect((await segmentRow(second.id)).version).toBe(second.version + 3);
    const [change] = await server.db.dataSource.query(
      `SELECT from_status, to_status, note, device_time, ST_AsText(gps) AS gps FROM status_changes WHERE segment_id = $1 ORDER BY id DESC LIMIT 1`,
      [second.id],
    );
    expect(change).toMatchObject({ from_status: 'spliced', to_status: 'installed', note: 'Installed from the river bank' });
    expect(change.device_time).toBeInstanceOf(Date);
    expect(change.gps).toMatch(/^POINT\(/);
    await page.getByTestId('outbox-count').waitFor({ state: 'detached', timeout: 15000 });
    expect(await storedOutbox()).toHaveLength(0);
    await shot('7-resolved-en');
  }, 120000);

  it('keeps a change the server refuses, with its message, until the technician fixes it', async () => {
    // Installed → tested skips a stage (note) and needs an OTDR reading; send it without one.
    await openSegment(first.code);
    await page.getByTestId('field-other-toggle').click();
    await page.getByTestId('field-status-other').selectOption('tested');
    await page.getByTestId('field-note').fill('Spliced and tested the same day');
    await page.getByTestId('field-save').click();
    // The app warns first; a second tap sends it anyway.
    await page.getByTestId('field-form-message').filter({ hasText: 'an OTDR reading' }).waitFor();
    await page.getByTestId('field-save').click();
    const refused = page.locator('[data-testid="outbox-item"][data-state="rejected"]').first();
    await refused.waitFor({ timeout: 30000 });
    // The server's own words, in the language of the request.
    expect(await refused.getByTestId('outbox-item-status').innerText()).toMatch(/needs evidence/);
    expect(await segmentRow(first.id)).toEqual({ status: 'installed', version: first.version + 1 });
    expect(await storedOutbox()).toMatchObject([{ state: 'rejected', toStatus: 'tested' }]);
    await refused.scrollIntoViewIfNeeded();
    await shot('8-refused-en');

    await refused.getByTestId('outbox-edit').click();
    await page.getByTestId('field-otdr-length').fill('1146,5');
    await page.getByTestId('field-otdr-loss').fill('0,42');
    await page.getByTestId('field-otdr-wavelength').selectOption('1550');
    await page.getByTestId('field-save').click();
    await waitFor(async () => ((await segmentRow(first.id)).status === 'tested' ? true : undefined), 30000, 'the fixed change');
    const [change] = await server.db.dataSource.query(
      `SELECT to_status, note, otdr_length_m::float8 AS "lengthM", otdr_loss_db::float8 AS "lossDb", otdr_wavelength_nm AS "wavelengthNm"
         FROM status_changes WHERE segment_id = $1 ORDER BY id DESC LIMIT 1`,
      [first.id],
    );
    expect(change).toEqual({ to_status: 'tested', note: 'Spliced and tested the same day', lengthM: 1146.5, lossDb: 0.42, wavelengthNm: 1550 });
    await page.getByTestId('outbox-count').waitFor({ state: 'detached', timeout: 15000 });
    expect(externalRequests).toEqual([]);
  }, 90000);

  it('shows no field controls to a role that may only read', async () => {
    const viewer = await createTestUser(server.db.dataSource, 'viewer');
    const readOnly = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true, locale: 'id-ID' });
    try {
      const viewerPage = await readOnly.newPage();
      await viewerPage.goto(`${server.api.baseUrl}/`);
      await submitSignIn(viewerPage, viewer.username, viewer.password);
      await new MapPage(viewerPage).ready();
      await viewerPage.getByTestId('net-status').waitFor();
      expect(await viewerPage.getByTestId('field-open').isVisible()).toBe(false);
      expect(await viewerPage.getByTestId('field-panel').isVisible()).toBe(false);
      expect(await viewerPage.getByTestId('outbox-count').count()).toBe(0);
    } finally {
      await readOnly.close();
    }
  }, 60000);
});
