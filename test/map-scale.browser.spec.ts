/// <reference lib="dom" />
import { generateNetwork } from '@serat/demo';
import { Browser, Page } from 'playwright-core';
import { TILE_BUDGET, tileZoomFor, type MapTile } from '../libs/contract/src';
import { CANVAS_FROM_FEATURES, SITE_DOTS_FROM } from '../apps/web/src/map/symbology';
import { DESKTOP, launchChromium, submitSignIn } from './support/browser';
import { MapPage } from './support/map-page';
import { useTestServer } from './support/server';

const SEGMENTS = 100_000;
/** Tiles a 1280 × 800 view needs with its margin, 1024 px each, wherever the grid falls: at most 3 × 3. */
const MAX_TILES_PER_VIEW = 9;

interface Seen {
  path: string;
  status: number;
  bytes: number;
}

/**
 * A province-sized network (100,000 segments, 2 copies of the kabupaten, from the benchmarks'
 * generator) on the map: it never downloads the network, only the tiles of what it shows, each
 * within its budget, so requests and bytes stay bounded whatever the size of the network.
 */
describe('the map of a network of 100,000 segments', () => {
  const server = useTestServer({ seeded: true, roles: ['viewer'] });
  let browser: Browser;
  let page: Page;
  let map: MapPage;
  let seen: Seen[] = [];

  beforeAll(async () => {
    const summary = await generateNetwork(server.db.dataSource, { segments: SEGMENTS, seed: 1, replace: false });
    expect(summary.segments).toBe(SEGMENTS);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: DESKTOP, locale: 'id-ID' });
    map = new MapPage(page);
    page.on('response', (response) => {
      const url = new URL(response.url());
      if (!url.pathname.startsWith('/api/')) return;
      void response.body().then(
        (body) => seen.push({ path: url.pathname, status: response.status(), bytes: body.length }),
        () => seen.push({ path: url.pathname, status: response.status(), bytes: 0 }),
      );
    });
  }, 900_000);

  afterAll(async () => {
    await browser?.close();
  });

  const tilesOf = (list: Seen[]) => list.filter((s) => s.path.startsWith('/api/map/tiles/'));
  const zoomOf = (s: Seen) => Number(s.path.split('/')[4]);
  /** Segments on the map, as SVG paths or on its canvas: the map's element says. */
  const drawnSegments = async () => Number(await page.locator('#map').getAttribute('data-segments-drawn'));
  const renderer = async () => (await page.locator('#map').getAttribute('data-segment-renderer')) ?? 'svg';
  const settle = () => new Promise((resolve) => setTimeout(resolve, 500));

  it('signs in to the region view reading only the tiles of that view, never the whole network', async () => {
    const started = Date.now();
    await page.goto(`${server.api.baseUrl}/`);
    await submitSignIn(page, server.user('viewer').username, server.user('viewer').password);
    await map.ready(120_000);
    console.log(`100,000 segments: sign-in to a drawn region view in ${Date.now() - started} ms`);
    await settle();
    // The network's lists (every page of every feature) are never asked for.
    for (const list of ['/api/segments', '/api/nodes', '/api/sites']) expect(seen.filter((s) => s.path === list)).toEqual([]);
    const tiles = tilesOf(seen);
    const zoom = await page.evaluate(() => Number(window.location.hash.split('/')[0].slice(1)));
    expect(tiles.length).toBeGreaterThan(0);
    // The fitted view's tiles, and perhaps those of the view before the region was fitted.
    expect(tiles.length).toBeLessThanOrEqual(2 * MAX_TILES_PER_VIEW);
    expect(tiles.filter((t) => zoomOf(t) === tileZoomFor(zoom)).length).toBeLessThanOrEqual(MAX_TILES_PER_VIEW);
    const bytes = tiles.reduce((sum, t) => sum + t.bytes, 0);
    console.log(`100,000 segments, region view (zoom ${zoom}): ${tiles.length} tiles, ${(bytes / 1024).toFixed(0)} KiB, ${await drawnSegments()} segments drawn`);
    // At this zoom only the backbone fits a tile's budget: far less than the network.
    expect(await drawnSegments()).toBeLessThan(SEGMENTS / 10);
    expect(bytes).toBeLessThan(8 * 2 ** 20);
  }, 180_000);

  it('zoomed in on Sampit, reads that view at full detail, each tile within its budget, and keeps only what it shows', async () => {
    seen = [];
    await map.show(server.api.baseUrl, 112.95, -2.54, 15);
    await settle();
    const tiles = tilesOf(seen);
    expect(tiles.length).toBeGreaterThan(0);
    expect(tiles.length).toBeLessThanOrEqual(MAX_TILES_PER_VIEW);
    expect(tiles.every((t) => zoomOf(t) === tileZoomFor(15))).toBe(true);
    for (const list of ['/api/segments', '/api/nodes', '/api/sites']) expect(seen.filter((s) => s.path === list)).toEqual([]);
    // Each tile holds at most its budget of each layer.
    const answers = await page.evaluate(
      async (paths) => Promise.all(paths.map(async (path) => (await (await fetch(path)).json()) as MapTile)),
      [...new Set(tiles.map((t) => t.path))],
    );
    for (const answer of answers) {
      expect(answer.segments.features.length).toBeLessThanOrEqual(TILE_BUDGET.segments);
      expect(answer.nodes.features.length).toBeLessThanOrEqual(TILE_BUDGET.nodes);
      expect(answer.sites.features.length).toBeLessThanOrEqual(TILE_BUDGET.sites);
    }
    const inTiles = new Set(answers.flatMap((answer) => answer.segments.features.map((f) => f.properties.id)));
    // Everything drawn is in the view's tiles: what the region view showed elsewhere has gone.
    expect(await drawnSegments()).toBe(inTiles.size);
    // This many lines go on one canvas, with the nodes (one canvas takes every click over it, so
    // both or neither); sites past their limit go there as dots.
    expect(inTiles.size).toBeGreaterThanOrEqual(CANVAS_FROM_FEATURES);
    expect(await renderer()).toBe('canvas');
    expect(await page.locator('#map').getAttribute('data-node-renderer')).toBe('canvas');
    const sitesInTiles = new Set(answers.flatMap((answer) => answer.sites.features.map((f) => f.properties.id)));
    expect(Number(await page.locator('#map').getAttribute('data-sites-drawn'))).toBe(sitesInTiles.size);
    expect(await page.locator('#map').getAttribute('data-site-renderer')).toBe(sitesInTiles.size >= SITE_DOTS_FROM ? 'canvas' : 'markers');
    expect(await page.locator('.serat-site-icon').count()).toBe(sitesInTiles.size >= SITE_DOTS_FROM ? 0 : sitesInTiles.size);
    const bytes = tiles.reduce((sum, t) => sum + t.bytes, 0);
    console.log(`100,000 segments, Sampit at zoom 15: ${tiles.length} tiles, ${(bytes / 1024).toFixed(0)} KiB, ${inTiles.size} segments drawn`);
    expect(bytes).toBeLessThan(8 * 2 ** 20);
  }, 120_000);

  it('opens the popup of a line on the canvas of that dense view when it is clicked', async () => {
    // A bend of a line near Sampit with no node or site within 10 px (about 50 m at zoom 15) and no
    // other line within 6 px: what a click there meets is that line.
    const [segment] = await server.db.dataSource.query(
      `SELECT s.code, ST_X(p.geom) AS lon, ST_Y(p.geom) AS lat
         FROM segments s, LATERAL ST_DumpPoints(s.geom) p
        WHERE s.tier IN ('backbone', 'distribution') AND s.code LIKE 'GN-%'
          AND s.geom && ST_MakeEnvelope(112.93, -2.57, 112.97, -2.53, 4326)
          AND p.path[1] > 1 AND p.path[1] < ST_NPoints(s.geom) AND p.geom && ST_MakeEnvelope(112.93, -2.57, 112.97, -2.53, 4326)
          AND NOT EXISTS (SELECT 1 FROM sites t WHERE ST_DWithin(t.location, p.geom, 0.00045))
          AND NOT EXISTS (SELECT 1 FROM nodes n WHERE ST_DWithin(n.location, p.geom, 0.00045))
          AND NOT EXISTS (SELECT 1 FROM segments o WHERE o.id <> s.id AND ST_DWithin(o.geom, p.geom, 0.0003))
        ORDER BY s.code, p.path[1] LIMIT 1`,
    );
    expect(segment).toBeDefined();
    await map.show(server.api.baseUrl, Number(segment.lon), Number(segment.lat), 15);
    expect(await renderer()).toBe('canvas');
    // Before the lines shared one canvas with the nodes, the nodes' canvas above took the click.
    await map.clickCentre(map.popup(segment.code));
  }, 120_000);
});
