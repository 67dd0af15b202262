import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { Browser, BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { launchChromium, phoneContext, submitSignIn } from './support/browser';
import { MapPage } from './support/map-page';
import { useTestServer } from './support/server';

/**
 * With a base map configured (SERAT_TILE_URL), the tiles of the area a technician looked at stay
 * on the phone: cut off from the network, the same view still shows them. The tile server is
 * this test's own, on loopback.
 */
describe('base-map tiles kept for offline use', () => {
  let tileServer: http.Server;
  let tile: Buffer;
  const served: string[] = [];
  // Filled in before the api starts (this beforeAll runs first: it is registered first).
  const env: Record<string, string> = {};
  beforeAll(async () => {
    tile = await sharp({ create: { width: 256, height: 256, channels: 3, background: { r: 200, g: 220, b: 190 } } })
      .png()
      .toBuffer();
    tileServer = http.createServer((request, response) => {
      served.push(request.url ?? '');
      if (!/^\/\d+\/\d+\/\d+\.png$/.test(request.url ?? '')) return void response.writeHead(404).end();
      response.writeHead(200, { 'content-type': 'image/png', 'cache-control': 'no-store' }).end(tile);
    });
    await new Promise<void>((resolve) => tileServer.listen(0, '127.0.0.1', resolve));
    env.SERAT_TILE_URL = `http://127.0.0.1:${(tileServer.address() as AddressInfo).port}/{z}/{x}/{y}.png`;
    env.SERAT_TILE_ATTRIBUTION = 'Uji peta dasar';
  });
  const server = useTestServer({ seeded: true, roles: ['technician'], env });
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let map: MapPage;

  beforeAll(async () => {
    browser = await launchChromium();
    context = await phoneContext(browser);
    page = await context.newPage();
    map = new MapPage(page);
  }, 60000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await new Promise((resolve) => tileServer?.close(resolve));
  });

  /** The base-map tiles on screen that loaded, with their addresses. */
  const loadedTiles = () =>
    page.evaluate(() =>
      Array.from(document.querySelectorAll<HTMLImageElement>('img.leaflet-tile'))
        .filter((img) => img.classList.contains('leaflet-tile-loaded') && img.naturalWidth > 0)
        .map((img) => img.src),
    );

  const tilesShown = () =>
    page.waitForFunction(() => Array.from(document.querySelectorAll<HTMLImageElement>('img.leaflet-tile-loaded')).some((img) => img.naturalWidth > 0), undefined, {
      timeout: 15000,
    });

  it('shows the tiles of a place seen before when the phone has no connection', async () => {
    const view = `${server.api.baseUrl}/#15/-2.5383000/112.9509000`;
    await page.goto(view);
    await submitSignIn(page, server.user('technician').username, server.user('technician').password);
    await map.ready();
    await page.waitForSelector('body[data-offline-ready="true"]', { timeout: 30000 });
    // Loaded again now that the service worker controls the page: these tiles go through it.
    await page.goto('about:blank');
    await page.goto(view);
    await map.ready();
    await tilesShown();
    const seen = await loadedTiles();
    const kept = await page.evaluate(async () => (await (await caches.open('serat-tiles-v1')).keys()).map((request) => request.url));
    expect(kept).toEqual(expect.arrayContaining(seen));

    await context.setOffline(true);
    const servedBefore = served.length;
    await page.goto('about:blank').catch(() => undefined);
    await page.goto(view);
    await map.ready();
    await tilesShown();
    expect(await loadedTiles()).toEqual(expect.arrayContaining(seen));
    // Every tile came from the phone: the tile server heard nothing while it was offline.
    expect(served.length).toBe(servedBefore);
    await context.setOffline(false);
  }, 120000);
});
