/// <reference lib="dom" />
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { repoRoot } from './support/processes';
import { useTestServer } from './support/server';
import { DESKTOP, launchChromium, PHONE, phoneContext, submitSignIn } from './support/browser';
import { MapPage } from './support/map-page';

const SHOTS = path.join(repoRoot, 'test-results');

/** Sites per kind as the database has them, "connected" as the api derives it (connected_nodes). */
async function sitesByKind(query: (sql: string) => Promise<Array<{ kind: string; total: number; connected: number }>>) {
  const rows = await query(
    `SELECT s.kind, count(*)::int AS total,
            count(*) FILTER (WHERE EXISTS (SELECT 1 FROM connected_nodes c WHERE c.node_id = s.termination_node_id))::int AS connected
       FROM sites s GROUP BY s.kind`,
  );
  return new Map(rows.map((row) => [row.kind, row]));
}

/**
 * What the map page looks like whatever the order its answers arrive in, on an office screen and
 * on a phone: the areas stacked the same way, the header's counts per kind of site, and a page
 * that fits the phone's screen.
 */
describe('the map page, laid out', () => {
  const server = useTestServer({ seeded: true, roles: ['planner', 'technician'] });
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let map: MapPage;

  beforeAll(async () => {
    browser = await launchChromium();
    fs.mkdirSync(SHOTS, { recursive: true });
  }, 60000);

  afterEach(async () => {
    await context?.close();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('keeps every kecamatan on top of the kabupaten fill when the kabupaten answer comes last', async () => {
    // No service worker: its fetches would pass by page.route.
    context = await browser.newContext({ viewport: DESKTOP, locale: 'id-ID', serviceWorkers: 'block' });
    page = await context.newPage();
    map = new MapPage(page);
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    await page.route(
      (url) => url.pathname === '/api/areas' && url.searchParams.get('level') === 'kabupaten',
      async (route) => {
        await released;
        await route.continue();
      },
    );
    await page.goto(`${server.api.baseUrl}/`);
    await submitSignIn(page, server.user('planner').username, server.user('planner').password);
    // The kecamatan are drawn while the kabupaten is still on its way.
    await page.waitForFunction(() => document.querySelectorAll('path.serat-area-kecamatan').length === 17, undefined, { timeout: 30000 });
    expect(await page.locator('path.serat-area-kabupaten-fill').count()).toBe(0);
    release();
    await page.locator('path.serat-area-kabupaten-fill').first().waitFor({ state: 'attached', timeout: 15000 });
    await map.ready();
    await page.screenshot({ path: path.join(SHOTS, 'layers-kabupaten-last.png') });

    // What is painted on top at a point inside each kecamatan: with every area path made hit-testable
    // for the moment, the browser's hit test follows the painting order.
    const tops = await page.evaluate(() => {
      const style = document.createElement('style');
      style.textContent = '#map svg path { pointer-events: visiblePainted !important; }';
      document.head.append(style);
      const map = document.getElementById('map')!.getBoundingClientRect();
      const found: Array<{ kecamatan: boolean; top: string }> = [];
      try {
        for (const area of Array.from(document.querySelectorAll<SVGPathElement>('path.serat-area-kecamatan'))) {
          const box = area.getBBox();
          const ctm = area.getScreenCTM()!;
          search: for (let i = 1; i < 12; i++) {
            for (let j = 1; j < 12; j++) {
              const local = new DOMPoint(box.x + (box.width * i) / 12, box.y + (box.height * j) / 12);
              if (!area.isPointInFill(local)) continue;
              const at = local.matrixTransform(ctm);
              if (at.x < map.left + 4 || at.y < map.top + 4 || at.x > map.right - 4 || at.y > map.bottom - 4) continue;
              const top = document.elementFromPoint(at.x, at.y);
              // Segments, nodes, sites and labels lie above the areas by design; look past them.
              if (!top || !top.closest('.leaflet-serat-areas-pane, .leaflet-serat-kabupaten-pane')) continue;
              // (A neighbour's outline may reach over the point: still a kecamatan on top.)
              found.push({ kecamatan: top.classList.contains('serat-area-kecamatan'), top: top.getAttribute('class') ?? top.tagName });
              break search;
            }
          }
        }
      } finally {
        style.remove();
      }
      return found;
    });
    expect(tops.length).toBe(17);
    expect(tops.filter((top) => !top.kecamatan)).toEqual([]);
  }, 90000);

  it('counts connected SOPD and kantor kecamatan apart in the header, as the database has them, in both languages', async () => {
    context = await browser.newContext({ viewport: DESKTOP, locale: 'id-ID' });
    page = await context.newPage();
    map = new MapPage(page);
    await page.goto(`${server.api.baseUrl}/`);
    await submitSignIn(page, server.user('planner').username, server.user('planner').password);
    await map.ready();
    const byKind = await sitesByKind((sql) => server.db.dataSource.query(sql));
    expect(byKind.get('sopd')?.total).toBe(36);
    expect(byKind.get('kantor_kecamatan')?.total).toBe(17);
    // The seeded network connects some of each, but not all: the two counts differ from a sum.
    expect(byKind.get('sopd')!.connected).toBeGreaterThan(0);
    expect(byKind.get('kantor_kecamatan')!.connected).toBeLessThan(17);
    const shown = await page
      .locator('[data-testid^="stat-sites-"]')
      .evaluateAll((stats) =>
        stats.map((stat) => ({ kind: (stat as HTMLElement).dataset.kind, label: stat.querySelector('dt')!.textContent, value: stat.querySelector('dd')!.textContent })),
      );
    expect(shown).toEqual(
      [...byKind.values()]
        .sort((a, b) => (a.kind === 'sopd' ? -1 : b.kind === 'sopd' ? 1 : a.kind.localeCompare(b.kind)))
        .map((row) => ({ kind: row.kind, label: expect.any(String), value: `${row.connected} / ${row.total}` })),
    );
    expect(shown.map((stat) => stat.label)).toEqual(['SOPD terhubung', 'Kantor kec. terhubung']);
    await page.getByTestId('lang-en').click();
    await page.getByTestId('stat-sites-kantor_kecamatan').filter({ hasText: 'Kec. offices connected' }).waitFor({ timeout: 10000 });
    expect(await page.getByTestId('stat-sites-sopd').innerText()).toMatch(/SOPD connected/i);
    expect((await page.getByTestId('stat-sites-sopd').locator('dd').innerText()).trim()).toBe(`${byKind.get('sopd')!.connected} / 36`);
    await page.screenshot({ path: path.join(SHOTS, 'header-counts-en.png'), clip: { x: 0, y: 0, width: DESKTOP.width, height: 80 } });
  }, 60000);

  it('fits a phone screen: no page scroll under the map, the search hint shown whole, counts on one line', async () => {
    context = await phoneContext(browser);
    page = await context.newPage();
    map = new MapPage(page);
    await page.goto(`${server.api.baseUrl}/`);
    await submitSignIn(page, server.user('technician').username, server.user('technician').password);
    await map.ready();
    const page_ = () =>
      page.evaluate(() => ({
        height: Math.max(document.documentElement.scrollHeight, document.body.scrollHeight),
        width: Math.max(document.documentElement.scrollWidth, document.body.scrollWidth),
        scrolled: window.scrollY,
      }));
    const fitsScreen = { height: PHONE.height, width: PHONE.width, scrolled: 0 };
    expect(await page_()).toEqual(fitsScreen);
    // An attempt to scroll the page moves nothing (the map is left out: it pans).
    await page.evaluate(() => window.scrollTo(0, 200));
    expect(await page_()).toEqual(fitsScreen);
    /** Counts whose value broke over two lines. */
    const brokenValues = () =>
      page
        .locator('.serat-stat__value')
        .evaluateAll((values) =>
          values.filter((value) => value.getBoundingClientRect().height > 1.5 * parseFloat(getComputedStyle(value).lineHeight || '20')).map((value) => value.textContent),
        );
    expect(await brokenValues()).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, 'phone-map-id.png') });

    await page.getByTestId('field-open').click();
    const search = page.getByTestId('field-search');
    await search.waitFor();
    /** The search field's hint against the room its box leaves for text. */
    const hint = () =>
      search.evaluate((input: HTMLInputElement) => {
        const style = getComputedStyle(input);
        const measure = document.createElement('canvas').getContext('2d')!;
        measure.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
        return {
          placeholder: input.placeholder,
          fits: measure.measureText(input.placeholder).width <= input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight),
        };
      });
    expect(await hint()).toEqual({ placeholder: 'Cari kode, mis. BB-003', fits: true });
    expect(await page_()).toEqual(fitsScreen);
    // The button beside it (or under it) is still whole and on screen.
    const near = (await page.getByTestId('field-near').boundingBox())!;
    expect(near.x).toBeGreaterThanOrEqual(0);
    expect(near.x + near.width).toBeLessThanOrEqual(PHONE.width);
    await page.screenshot({ path: path.join(SHOTS, 'phone-field-id.png') });

    await page.getByTestId('lang-en').click();
    await page.getByTestId('stat-sites-sopd').filter({ hasText: 'SOPD connected' }).waitFor({ timeout: 10000 });
    expect(await hint()).toEqual({ placeholder: 'Search a code, e.g. BB-003', fits: true });
    expect(await brokenValues()).toEqual([]);
    expect(await page_()).toEqual(fitsScreen);
    await page.screenshot({ path: path.join(SHOTS, 'phone-field-en.png') });
  }, 90000);
});
