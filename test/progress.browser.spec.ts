/// <reference lib="dom" />
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Browser, Page } from 'playwright-core';
import { choroplethClass } from '../apps/web/src/features/progress/choropleth-scale';
import { bearer } from './support/auth';
import { DESKTOP, launchChromium, PHONE, submitSignIn } from './support/browser';
import { MapPage } from './support/map-page';
import { repoRoot } from './support/processes';
import { useTestServer } from './support/server';

const SHOTS = path.join(repoRoot, 'test-results');

/** A Diskominfo planner and a mentor read the rollout's progress on the seeded Kotim data: real api, real database, Debian's Chromium. */
describe('the progress dashboard in a browser', () => {
  const server = useTestServer({ seeded: true, roles: ['planner', 'mentor'] });
  let browser: Browser;
  let page: Page;
  const sql = <T>(text: string, params: unknown[] = []): Promise<T[]> => server.db.dataSource.query(text, params);
  const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `progress-${name}.png`) });
  const screen = () => page.getByTestId('progress-screen');
  const id = (value: number) => new Intl.NumberFormat('id-ID').format(value);
  const km = (metres: number) => `${new Intl.NumberFormat('id-ID', { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(metres / 1000)} km`;
  const api = async <T>(url: string): Promise<T> => (await fetch(`${server.api.baseUrl}${url}`, { headers: bearer(server.token('mentor')) })).json() as Promise<T>;
  type Area = { code: string; name: string; percentBySites: number | null; percentByLength: number | null; sitesConnected: number; sitesInScope: number; lengthActiveM: number };
  const shape = (code: string) => page.getByTestId(`progress-choropleth-${code}`);
  /** The expected fill of a percent: its class's colour, or the hatch of nothing in scope. */
  const fillOf = (percent: number | null) => choroplethClass(percent)?.colour ?? 'url(#';
  /** A point inside a kecamatan's shape where it is what a click meets (its box's middle may be a neighbour). */
  const pointIn = (code: string) =>
    page.evaluate((testId) => {
      const path = document.querySelector(`[data-testid="${testId}"]`)!;
      const box = path.getBoundingClientRect();
      for (let step = 2; step <= 16; step *= 2)
        for (let i = 1; i < step; i++)
          for (let j = 1; j < step; j++) {
            const x = box.left + (box.width * i) / step;
            const y = box.top + (box.height * j) / step;
            if (document.elementFromPoint(x, y) === path) return { x, y };
          }
      return null;
    }, `progress-choropleth-${code}`);

  beforeAll(async () => {
    browser = await launchChromium();
    page = await browser.newPage({ viewport: DESKTOP, locale: 'id-ID' });
    fs.mkdirSync(SHOTS, { recursive: true });
  }, 60000);

  afterAll(async () => {
    await browser?.close();
  });

  it('shows SOPD and kantor kecamatan connected, the cable active, and what the 36 SOPD pay for internet', async () => {
    await page.goto(`${server.api.baseUrl}/`);
    await page.getByTestId('login-form').waitFor({ timeout: 30000 });
    await submitSignIn(page, server.user('mentor').username, server.user('mentor').password);
    await new MapPage(page).ready();
    // A mentor lands on the milestones that await their review; the overview is the tab beside it.
    await screen().waitFor({ timeout: 15000 });
    expect(await screen().getAttribute('data-tab')).toBe('milestones');
    await page.getByTestId('progress-tab-overview').click();
    await screen().and(page.locator('[data-state="ready"]')).waitFor({ timeout: 15000 });

    const [sopd] = await sql<{ total: number; connected: number }>(
      `SELECT count(*)::int AS total, count(c.node_id)::int AS connected FROM sites s LEFT JOIN connected_nodes c ON c.node_id = s.termination_node_id WHERE s.kind = 'sopd'`,
    );
    expect(sopd.total).toBe(36);
    await page
      .getByTestId('progress-sopd')
      .filter({ hasText: `${id(sopd.connected)} dari 36` })
      .waitFor({ timeout: 10000 });
    await page.getByTestId('progress-kantor-kecamatan').filter({ hasText: 'dari 17' }).waitFor();
    expect(await page.getByTestId('savings-bill').textContent()).toContain('Rp 3.024.000.000');
    expect(await page.getByTestId('savings-bill').textContent()).toContain('36 × Rp 7.000.000 per bulan × 12');
    expect(await page.getByTestId('savings-month').textContent()).toContain(`Rp ${id(sopd.connected * 3_500_000)}`);
    expect(await page.getByTestId('progress-areas').locator('tbody tr').count()).toBe(17);

    // The burn-up chart ends now, on the tiles' figures, against a plan whose basis it says.
    const burnup = page.getByTestId('progress-burnup');
    await burnup.and(page.locator('[data-state="ready"]')).waitFor({ timeout: 15000 });
    const [region] = (await api<{ areas: Area[] }>('/api/progress?level=region')).areas;
    expect(Number(await burnup.getAttribute('data-length-active-m'))).toBeCloseTo(region.lengthActiveM, 3);
    expect(Number(await burnup.getAttribute('data-sites-connected'))).toBe(region.sitesConnected);
    const cableTile = (await page.getByTestId('progress-cable').locator('.serat-rollout__tile-detail').textContent())!;
    expect(cableTile).toContain(km(region.lengthActiveM));
    expect(await page.getByTestId('progress-burnup-km').getByRole('img').getAttribute('aria-label')).toContain(`sekarang ${cableTile}`);
    expect(await page.getByTestId('progress-burnup-sites').getByRole('img').getAttribute('aria-label')).toContain(
      `sekarang ${id(region.sitesConnected)} dari ${id(region.sitesInScope)} lokasi`,
    );
    expect(await page.getByTestId('progress-burnup-now').textContent()).toContain(km(region.lengthActiveM));
    expect(await burnup.locator('.uplot canvas').count()).toBe(2);
    expect(await burnup.locator('.u-legend').first().textContent()).toContain('Rencana');
    // Three phases with budget years and target dates: a start and three corners.
    expect(await burnup.getAttribute('data-plan-points')).toBe('4');
    const caption = (await page.getByTestId('progress-burnup-caption').textContent())!;
    expect(caption).toContain('Rencana: nol pada 1 Jan 2018 (awal tahun anggaran tahap pertama)');
    expect(caption).toContain('Tahap 1 (TA 2018): 36 SOPD pada 31 Des 2019');

    // The choropleth: the 17 kecamatan, each filled by its percent by sites, with a legend.
    const kecamatan = (await api<{ areas: Area[] }>('/api/progress?level=kecamatan')).areas;
    await page.locator('path.serat-choropleth__area').nth(16).waitFor({ timeout: 15000 });
    expect(await page.locator('path.serat-choropleth__area').count()).toBe(17);
    for (const area of kecamatan) {
      expect(await shape(area.code).getAttribute('data-percent')).toBe(String(area.percentBySites ?? ''));
      expect(await shape(area.code).getAttribute('fill')).toContain(fillOf(area.percentBySites));
    }
    // The table's buttons are the keyboard's way in: the map, hidden from screen readers, is no tab stop.
    expect(await page.getByTestId('progress-choropleth').locator('.serat-choropleth__map[aria-hidden="true"] a[tabindex="-1"]').count()).toBe(2);
    const legend = (await page.getByTestId('progress-choropleth-legend').textContent())!;
    expect(legend).toContain('Selesai, menurut lokasi');
    expect(legend).toContain('80–100 %');
    expect(legend).toContain('tidak ada dalam lingkup');
    await shot('desktop');
    await page.getByTestId('progress-choropleth').scrollIntoViewIfNeeded();
    await shot('desktop-map');
  }, 90000);

  it('switches the bars between sites and cable length, and drills down to the desa of a kecamatan', async () => {
    const [kecamatan] = await sql<{ code: string; name: string; desa: number }>(
      `SELECT k.code, k.name, (SELECT count(*)::int FROM admin_areas d WHERE d.parent_code = k.code) AS desa
         FROM admin_areas k WHERE k.level = 'kecamatan' AND k.name ILIKE '%Baamang%' LIMIT 1`,
    );
    const row = page.getByTestId(`progress-row-${kecamatan.code}`);
    const bySites = await row.getAttribute('data-percent');
    await page.getByTestId('progress-measure-length').click();
    await page.waitForFunction(([code, before]) => document.querySelector(`[data-testid="progress-row-${code}"]`)?.getAttribute('data-percent') !== before, [
      kecamatan.code,
      bySites,
    ] as const);
    const areas = (await (await fetch(`${server.api.baseUrl}/api/progress?level=kecamatan`, { headers: bearer(server.token('mentor')) })).json()).areas as {
      code: string;
      percentByLength: number | null;
    }[];
    expect(await row.getAttribute('data-percent')).toBe(String(areas.find((a) => a.code === kecamatan.code)!.percentByLength ?? ''));
    // The map follows the switch: every kecamatan by its percent of cable, the legend says so.
    expect(await shape(kecamatan.code).getAttribute('data-percent')).toBe(String(areas.find((a) => a.code === kecamatan.code)!.percentByLength ?? ''));
    expect(await shape(kecamatan.code).getAttribute('data-percent')).not.toBe(bySites);
    for (const area of areas) expect(await shape(area.code).getAttribute('fill')).toContain(fillOf(area.percentByLength));
    expect(await page.getByTestId('progress-choropleth-legend').textContent()).toContain('Selesai, menurut panjang kabel');

    await page.getByTestId(`progress-drill-${kecamatan.code}`).click();
    await page.locator('.serat-rollout__row--desa').first().waitFor({ timeout: 10000 });
    expect(await page.locator('.serat-rollout__row--desa').count()).toBe(kecamatan.desa);
    expect(await page.getByTestId(`progress-drill-${kecamatan.code}`).getAttribute('aria-expanded')).toBe('true');
    await shot('desa');

    // A click on another kecamatan on the map names it with its percent, then opens its desa in the table.
    const [other] = await sql<{ code: string; name: string; desa: number }>(
      `SELECT k.code, k.name, (SELECT count(*)::int FROM admin_areas d WHERE d.parent_code = k.code) AS desa
         FROM admin_areas k WHERE k.level = 'kecamatan' AND k.code <> $1 ORDER BY ST_Area(k.geom) DESC LIMIT 1`,
      [kecamatan.code],
    );
    await page.getByTestId('progress-choropleth').scrollIntoViewIfNeeded();
    const inside = await pointIn(other.code);
    expect(inside).not.toBeNull();
    await page.mouse.move(inside!.x, inside!.y);
    const percent = areas.find((a) => a.code === other.code)!.percentByLength;
    await page
      .locator('.leaflet-tooltip')
      .filter({
        hasText: percent === null ? `${other.name}: tidak ada dalam lingkup` : `${other.name}: ${new Intl.NumberFormat('id-ID', { maximumFractionDigits: 1 }).format(percent)} %`,
      })
      .waitFor({ timeout: 5000 });
    await page.mouse.click(inside!.x, inside!.y);
    await page.waitForFunction((code) => document.querySelector(`[data-testid="progress-drill-${code}"]`)?.getAttribute('aria-expanded') === 'true', other.code);
    await page.locator(`[data-testid^="progress-row-${other.code}."]`).first().waitFor({ timeout: 10000 });
    expect(await page.locator('.serat-rollout__row--desa').count()).toBe(other.desa);
    // The table scrolled to it, and the keyboard is where the reader looked: on the kecamatan's button there.
    await page.waitForFunction((code) => document.activeElement?.getAttribute('data-testid') === `progress-drill-${code}`, other.code);
    await page.waitForFunction((code) => {
      const row = document.querySelector(`[data-testid="progress-row-${code}"]`)!.getBoundingClientRect();
      const body = document.querySelector('.serat-rollout__body')!.getBoundingClientRect();
      return row.top >= body.top - 1 && row.bottom <= body.bottom + 1;
    }, other.code);
    // The map outlines the kecamatan whose desa are open.
    expect(await shape(other.code).getAttribute('stroke-width')).toBe('3');
    expect(await shape(kecamatan.code).getAttribute('stroke-width')).toBe('1');
    await shot('map-drill');
  }, 60000);

  it('follows a status change made meanwhile, without a reload', async () => {
    const [tested] = await sql<{ id: string; version: number }>(`SELECT id, version FROM segments WHERE status = 'tested' ORDER BY code LIMIT 1`);
    const before = await page.getByTestId('progress-cable').textContent();
    const moved = await fetch(`${server.api.baseUrl}/api/segments/${tested.id}/status`, {
      method: 'POST',
      headers: { ...bearer(server.token('planner')), 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'active', version: tested.version }),
    });
    expect(moved.status).toBe(201);
    await page.waitForFunction((text) => document.querySelector('[data-testid="progress-cable"]')?.textContent !== text, before, { timeout: 15000 });
    // The chart's now follows the tiles.
    const [region] = (await api<{ areas: Area[] }>('/api/progress?level=region')).areas;
    await page.waitForFunction(
      (metres) => Math.abs(Number(document.querySelector('[data-testid="progress-burnup"]')?.getAttribute('data-length-active-m')) - metres) < 0.001,
      region.lengthActiveM,
      { timeout: 15000 },
    );
    expect(await page.getByTestId('progress-burnup-km').getByRole('img').getAttribute('aria-label')).toContain(km(region.lengthActiveM));
  }, 60000);

  it('says it all in English too', async () => {
    await screen().getByTestId('lang-en').click();
    await page.getByTestId('progress-burnup-caption').filter({ hasText: 'Plan: zero on 1 Jan 2018' }).waitFor();
    expect(await page.getByTestId('progress-burnup-sites').locator('figcaption').textContent()).toBe('Sites connected');
    expect(await page.getByTestId('progress-burnup').locator('.u-legend').first().textContent()).toContain('Plan');
    expect(await page.getByTestId('progress-choropleth-legend').textContent()).toContain('nothing in scope');
    await shot('desktop-en');
    await screen().getByTestId('lang-id').click();
    await page.getByTestId('progress-burnup-caption').filter({ hasText: 'Rencana: nol' }).waitFor();
  }, 60000);

  it('fits a phone', async () => {
    await page.setViewportSize(PHONE);
    await page.getByTestId('progress-areas').waitFor();
    const overflow = await page.evaluate(() => document.querySelector('.serat-rollout__body')!.scrollWidth - document.querySelector('.serat-rollout__body')!.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    // The charts and the map fit the phone's width.
    for (const testId of ['progress-burnup-sites', 'progress-burnup-km', 'progress-choropleth']) {
      const box = (await page.getByTestId(testId).boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);
    }
    await shot('phone');
    await page.getByTestId('progress-burnup').scrollIntoViewIfNeeded();
    await shot('phone-chart');
    await page.getByTestId('progress-choropleth').scrollIntoViewIfNeeded();
    await shot('phone-map');
    await page.getByTestId('progress-close').click();
    await screen().waitFor({ state: 'detached' });
  }, 60000);
});
