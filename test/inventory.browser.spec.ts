/// <reference lib="dom" />
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { Browser, Page } from 'playwright-core';
import { DESKTOP, launchChromium, PHONE, submitSignIn } from './support/browser';
import { InventoryPage } from './support/inventory-page';
import { MapPage } from './support/map-page';
import { repoRoot } from './support/processes';
import { useTestServer } from './support/server';

const SHOTS = path.join(repoRoot, 'test-results');

/** A planner goes through the network list of the seeded Kotim data: real api, real database, Debian's Chromium. */
describe('the network list in a browser', () => {
  const server = useTestServer({ seeded: true, roles: ['planner', 'technician'] });
  let browser: Browser;
  let page: Page;
  let list: InventoryPage;
  const scripts: string[] = [];
  const sql = <T>(text: string, params: unknown[] = []): Promise<T[]> => server.db.dataSource.query(text, params);
  const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `inventory-${name}.png`) });
  const range = (from: number, to: number, total: number) => `${from}–${to} dari ${new Intl.NumberFormat('id-ID').format(total)}`;

  beforeAll(async () => {
    browser = await launchChromium();
    page = await browser.newPage({ viewport: DESKTOP, locale: 'id-ID' });
    page.on('request', (request) => {
      if (request.resourceType() === 'script') scripts.push(new URL(request.url()).pathname);
    });
    list = new InventoryPage(page);
    fs.mkdirSync(SHOTS, { recursive: true });
  }, 60000);

  afterAll(async () => {
    await browser?.close();
  });

  it('opens from the user menu, its code loaded only then, with the first page of segments by code', async () => {
    await page.goto(`${server.api.baseUrl}/`);
    await page.getByTestId('login-form').waitFor({ timeout: 30000 });
    await submitSignIn(page, server.user('planner').username, server.user('planner').password);
    await new MapPage(page).ready();
    expect(scripts.filter((name) => name.includes('/inventory-'))).toEqual([]);

    await list.open();
    expect(scripts.filter((name) => /^\/assets\/inventory-[\w-]+\.js$/.test(name))).toHaveLength(1);
    const [{ n }] = await sql<{ n: number }>(`SELECT count(*)::int AS n FROM segments`);
    expect(n).toBeGreaterThan(50);
    await list.range(range(1, 50, n));
    const firstCodes = await sql<{ code: string }>(`SELECT code FROM segments ORDER BY code, id LIMIT 50`);
    expect(await list.codes()).toEqual(firstCodes.map((row) => row.code));
    expect(await list.sortOf('code')).toBe('ascending');
    await shot('desktop');
  }, 90000);

  it('searches a code, sorts by length both ways, and pages', async () => {
    const [{ code }] = await sql<{ code: string }>(`SELECT code FROM segments ORDER BY length_m DESC, code LIMIT 1 OFFSET 3`);
    await list.search(code);
    expect(await list.codes()).toContain(code);
    const matching = await sql<{ code: string }>(`SELECT code FROM segments WHERE code ILIKE $1`, [`%${code}%`]);
    await list.range(range(1, matching.length, matching.length));

    await list.answered({ offset: '0' }, () => list.screen.getByTestId('inventory-clear').click());
    await list.answered({ sort: 'lengthM', order: 'asc' }, () => list.sortBy('lengthM'));
    expect(await list.sortOf('lengthM')).toBe('ascending');
    await list.answered({ sort: 'lengthM', order: 'desc' }, () => list.sortBy('lengthM'));
    expect(await list.sortOf('lengthM')).toBe('descending');
    expect(await list.sortOf('code')).toBe('none');
    const longest = await sql<{ code: string }>(`SELECT code FROM segments ORDER BY length_m DESC, code, id LIMIT 100`);
    expect(await list.codes()).toEqual(longest.slice(0, 50).map((row) => row.code));

    const [{ n }] = await sql<{ n: number }>(`SELECT count(*)::int AS n FROM segments`);
    await list.answered({ offset: '50', sort: 'lengthM', order: 'desc' }, () => list.screen.getByTestId('inventory-next').click());
    await list.range(range(51, Math.min(100, n), n));
    expect(await list.codes()).toEqual(longest.slice(50, 100).map((row) => row.code));
    await list.answered({ offset: '0' }, () => list.screen.getByTestId('inventory-previous').click());
    expect(await list.codes()).toEqual(longest.slice(0, 50).map((row) => row.code));
  }, 60000);

  it('filters by kecamatan, and its CSV export carries the filter and holds the same rows', async () => {
    const [busiest] = await sql<{ code: string; name: string; n: number }>(
      `SELECT a.code, a.name, count(*)::int AS n FROM segment_areas sa JOIN admin_areas a ON a.code = sa.area_code
        WHERE sa.level = 'kecamatan' GROUP BY a.code, a.name ORDER BY n DESC, a.code LIMIT 1`,
    );
    await list.answered({ area: busiest.code, offset: '0' }, () => list.screen.getByTestId('inventory-area').selectOption(busiest.code));
    await list.range(range(1, Math.min(50, busiest.n), busiest.n));
    const rows = list.screen.getByTestId('inventory-row');
    expect(await rows.first().locator('[data-column="kecamatan"]').innerText()).toContain(busiest.name);

    const link = list.exportLink('csv');
    expect(await link.getAttribute('href')).toBe(`/api/exports/segments.csv?area=${busiest.code}`);
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    const records: Array<Record<string, string>> = parseCsv(fs.readFileSync((await download.path())!, 'utf8'), { columns: true, bom: true });
    expect(records).toHaveLength(busiest.n);
    const inArea = await sql<{ code: string }>(`SELECT s.code FROM segments s JOIN segment_areas sa ON sa.segment_id = s.id AND sa.area_code = $1`, [busiest.code]);
    expect(records.map((record) => record.code).sort()).toEqual(inArea.map((row) => row.code).sort());
    expect(await list.exportLink('geojson').getAttribute('href')).toBe(`/api/exports/segments.geojson?area=${busiest.code}`);
  }, 60000);

  it('shows a clicked row on the map: the list closes and the feature is ringed', async () => {
    await list.tab('nodes');
    const [node] = await sql<{ id: string; code: string }>(`SELECT id, code FROM nodes WHERE kind = 'odp' ORDER BY code LIMIT 1`);
    await list.search(node.code);
    await list.row(node.code).locator('[data-column="kind"]').click();
    await list.screen.waitFor({ state: 'detached', timeout: 10000 });
    await page.locator('path.serat-highlight').first().waitFor({ timeout: 10000 });
    const mapPage = new MapPage(page);
    await mapPage.popup(node.code).waitFor({ timeout: 10000 });
    await mapPage.idle();
    // The ring sits where the node is: in the middle of the map's visible part.
    const ring = (await page.locator('path.serat-highlight').first().boundingBox())!;
    const map = (await page.locator('#map').boundingBox())!;
    expect(Math.abs(ring.x + ring.width / 2 - (map.x + map.width / 2))).toBeLessThan(80);
    expect(Math.abs(ring.y + ring.height / 2 - (map.y + map.height / 2))).toBeLessThan(80);
    await shot('focused');

    // Opened again, the list is as it was left: the nodes tab with the search.
    await list.open();
    expect(await list.screen.getByTestId('inventory-tab-nodes').getAttribute('aria-selected')).toBe('true');
    expect(await list.screen.getByTestId('inventory-search').inputValue()).toBe(node.code);
    // Enter on a row's code shows it too.
    await list.row(node.code).getByTestId('inventory-open').focus();
    await page.keyboard.press('Enter');
    await list.screen.waitFor({ state: 'detached', timeout: 10000 });
  }, 60000);

  it('is a list of cards on a phone', async () => {
    await page.setViewportSize(PHONE);
    await list.open();
    await list.tab('sites');
    await shot('phone');
    const card = list.screen.getByTestId('inventory-row').first();
    const box = (await card.boundingBox())!;
    expect(box.width).toBeLessThanOrEqual(PHONE.width);
    // Nothing wider than the screen: no sideways scrolling of the page.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await page.keyboard.press('Escape');
    await list.screen.waitFor({ state: 'detached', timeout: 10000 });
    await page.setViewportSize(DESKTOP);
  }, 60000);

  it('offers a technician the list but no export', async () => {
    const context = await browser.newContext({ viewport: DESKTOP, locale: 'id-ID' });
    const other = await context.newPage();
    try {
      await other.goto(`${server.api.baseUrl}/`);
      await other.getByTestId('login-form').waitFor({ timeout: 30000 });
      await submitSignIn(other, server.user('technician').username, server.user('technician').password);
      await new MapPage(other).ready();
      const technicianList = new InventoryPage(other);
      await technicianList.open();
      expect(await technicianList.screen.getByTestId('inventory-row').count()).toBeGreaterThan(0);
      expect(await technicianList.screen.getByTestId('inventory-exports').count()).toBe(0);
      expect(await other.locator('a[href*="/api/exports/"]').count()).toBe(0);
    } finally {
      await context.close();
    }
  }, 90000);
});
