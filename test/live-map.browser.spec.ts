/// <reference lib="dom" />
import { Browser, Page } from 'playwright-core';
import { bearer } from './support/auth';
import { DESKTOP, launchChromium, submitSignIn } from './support/browser';
import { MapPage } from './support/map-page';
import { useTestServer } from './support/server';

/**
 * Everyone's map follows a change as it is committed (GET /api/events): a technician's status
 * change shows on a planner's open map without a reload, by reading that one segment again, and
 * the legend's figures follow.
 */
describe('live updates on the map', () => {
  const server = useTestServer({ seeded: true, roles: ['planner', 'technician'] });
  let browser: Browser;
  let page: Page;
  let map: MapPage;
  const requests: string[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    page = await browser.newPage({ viewport: DESKTOP, locale: 'id-ID' });
    map = new MapPage(page);
    page.on('request', (request) => requests.push(new URL(request.url()).pathname));
    await page.goto(`${server.api.baseUrl}/`);
    await submitSignIn(page, server.user('planner').username, server.user('planner').password);
    await map.ready();
    await page.waitForSelector('body[data-feed="live"]', { state: 'attached', timeout: 15000 });
  }, 90000);

  afterAll(async () => {
    await browser?.close();
  });

  const changeStatus = async (id: string, status: string, version: number) => {
    const response = await fetch(`${server.api.baseUrl}/api/segments/${id}/status`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(server.token('technician')) },
      body: JSON.stringify({ status, version, note: 'uji umpan langsung' }),
    });
    expect(response.status).toBe(201);
    return (await response.json()) as { version: number };
  };
  const drawn = (status: string) => page.locator(`path.serat-segment.serat-segment-${status}`).count();
  const legendKm = async (status: string) => (await page.getByTestId(`legend-${status}`).innerText()).replace(/\s+/g, ' ');

  it("shows another person's status change within a second, reading only that segment", async () => {
    const [segment] = await server.db.dataSource.query(`SELECT id, version, length_m FROM segments WHERE status = 'planned' ORDER BY length_m DESC LIMIT 1`);
    const surveyedBefore = await drawn('surveyed');
    const plannedBefore = await drawn('planned');
    const legendBefore = await legendKm('surveyed');
    requests.length = 0;

    const sent = Date.now();
    await changeStatus(segment.id, 'surveyed', segment.version);
    await page.waitForFunction((n) => document.querySelectorAll('path.serat-segment.serat-segment-surveyed').length === n, surveyedBefore + 1, { timeout: 5000, polling: 50 });
    const seenMs = Date.now() - sent;
    expect(await drawn('planned')).toBe(plannedBefore - 1);
    await map.idle();
    expect(await legendKm('surveyed')).not.toBe(legendBefore);
    // The one segment was read again; the network's lists were not.
    expect(requests).toContain(`/api/segments/${segment.id}`);
    expect(requests).not.toContain('/api/segments');
    expect(requests).not.toContain('/api/nodes');
    console.log(`live update: a status change seen on another browser's map ${seenMs} ms after the answer`);
    expect(seenMs).toBeLessThan(5000);
  }, 60000);

  it('closes the feed when the person signs out', async () => {
    await page.getByTestId('user-menu').click();
    await page.getByTestId('logout').click();
    await page.getByTestId('login-form').waitFor({ timeout: 15000 });
    expect(await page.evaluate(() => document.body.dataset.feed)).toBe('closed');
  }, 30000);
});
