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
 * A point `offset` px beside a segment's line where the map's middle lies on it (or, for a node
 * at the middle, `offset` px from its centre), where nothing visible lies: with the invisible hit
 * areas left out, the point meets only an area. Null when there is none.
 */
function besideFeature(page: Page, kind: 'segment' | 'node', offset: number) {
  return page.evaluate(
    ([kind, offset]) => {
      const style = document.createElement('style');
      style.textContent = '.serat-segment-hit, .serat-node-hit { pointer-events: none !important; }';
      document.head.append(style);
      try {
        const box = document.getElementById('map')!.getBoundingClientRect();
        const centre = { x: box.left + box.width / 2, y: box.top + box.height / 2 };
        const bare = (x: number, y: number) => !!document.elementFromPoint(x, y)?.closest('.leaflet-serat-areas-pane, .leaflet-serat-desa-pane, .leaflet-serat-kabupaten-pane');
        const directions: Array<{ x: number; y: number }> = [];
        if (kind === 'node') {
          for (let i = 0; i < 16; i++) directions.push({ x: Math.cos((i * Math.PI) / 8), y: Math.sin((i * Math.PI) / 8) });
        } else {
          // The visible line through the middle: its direction there, and the two sides of it.
          let best: { distance: number; path: SVGPathElement; along: number } | null = null;
          for (const path of Array.from(document.querySelectorAll<SVGPathElement>('path.serat-segment'))) {
            const ctm = path.getScreenCTM()!;
            for (let along = 0; along < path.getTotalLength(); along += 1) {
              const at = path.getPointAtLength(along).matrixTransform(ctm);
              const distance = Math.hypot(at.x - centre.x, at.y - centre.y);
              if (!best || distance < best.distance) best = { distance, path, along };
            }
          }
          if (!best || best.distance > 1.5) return null;
          const ctm = best.path.getScreenCTM()!;
          const a = best.path.getPointAtLength(Math.max(0, best.along - 3)).matrixTransform(ctm);
          const b = best.path.getPointAtLength(best.along + 3).matrixTransform(ctm);
          const length = Math.hypot(b.x - a.x, b.y - a.y);
          directions.push({ x: -(b.y - a.y) / length, y: (b.x - a.x) / length }, { x: (b.y - a.y) / length, y: -(b.x - a.x) / length });
        }
        for (const direction of directions) {
          const x = centre.x + direction.x * offset;
          const y = centre.y + direction.y * offset;
          // Bare there and on the way out a little further: clear of every other visible feature.
          if (bare(x, y) && bare(centre.x + direction.x * (offset + 4), centre.y + direction.y * (offset + 4))) return { x, y };
        }
        return null;
      } finally {
        style.remove();
      }
    },
    [kind, offset] as const,
  );
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

  it('opens a segment clicked a few pixels beside its line, and on a phone one tapped beside it, and a node tapped near it', async () => {
    const [segment] = await server.db.dataSource.query(
      `SELECT code, ST_Y(ST_LineInterpolatePoint(geom, 0.5)) AS lat, ST_X(ST_LineInterpolatePoint(geom, 0.5)) AS lon
         FROM segments WHERE tier = 'backbone' ORDER BY length_m DESC LIMIT 1`,
    );
    const [node] = await server.db.dataSource.query(
      `SELECT n.code, ST_Y(n.location) AS lat, ST_X(n.location) AS lon FROM nodes n
        WHERE n.kind = 'odp' AND NOT EXISTS (SELECT 1 FROM sites s WHERE ST_DWithin(s.location::geography, n.location::geography, 80))
        ORDER BY n.code LIMIT 1`,
    );
    expect(segment && node).toBeTruthy();

    context = await browser.newContext({ viewport: DESKTOP, locale: 'id-ID' });
    page = await context.newPage();
    map = new MapPage(page);
    await page.goto(`${server.api.baseUrl}/`);
    await submitSignIn(page, server.user('planner').username, server.user('planner').password);
    await map.ready();
    await map.show(server.api.baseUrl, segment.lon, segment.lat, 16);
    // Beyond the white casing (half of 4.5 + 3 px), where a mouse still means the line.
    const nearLine = await besideFeature(page, 'segment', 5);
    expect(nearLine).not.toBeNull();
    await map.idle();
    await page.mouse.click(nearLine!.x, nearLine!.y);
    await map.popup(segment.code).waitFor({ timeout: 10000 });
    await context.close();

    context = await phoneContext(browser);
    page = await context.newPage();
    map = new MapPage(page);
    await page.goto(`${server.api.baseUrl}/`);
    await submitSignIn(page, server.user('technician').username, server.user('technician').password);
    await map.ready();
    await map.show(server.api.baseUrl, segment.lon, segment.lat, 16);
    // A fingertip lands wide of a 4.5 px line.
    const tapLine = await besideFeature(page, 'segment', 11);
    expect(tapLine).not.toBeNull();
    await map.idle();
    await page.touchscreen.tap(tapLine!.x, tapLine!.y);
    await map.popup(segment.code).waitFor({ timeout: 10000 });

    await map.show(server.api.baseUrl, node.lon, node.lat, 17);
    const tapNode = await besideFeature(page, 'node', 12);
    expect(tapNode).not.toBeNull();
    await map.idle();
    await page.touchscreen.tap(tapNode!.x, tapNode!.y);
    await map.popup(node.code).waitFor({ timeout: 10000 });
    await page.screenshot({ path: path.join(SHOTS, 'phone-node-tapped.png') });
  }, 120000);
});
