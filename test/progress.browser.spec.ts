/// <reference lib="dom" />
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Browser, Page } from 'playwright-core';
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
    await shot('desktop');
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

    await page.getByTestId(`progress-drill-${kecamatan.code}`).click();
    await page.locator('.serat-rollout__row--desa').first().waitFor({ timeout: 10000 });
    expect(await page.locator('.serat-rollout__row--desa').count()).toBe(kecamatan.desa);
    expect(await page.getByTestId(`progress-drill-${kecamatan.code}`).getAttribute('aria-expanded')).toBe('true');
    await shot('desa');
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
  }, 60000);

  it('fits a phone', async () => {
    await page.setViewportSize(PHONE);
    await page.getByTestId('progress-areas').waitFor();
    const overflow = await page.evaluate(() => document.querySelector('.serat-rollout__body')!.scrollWidth - document.querySelector('.serat-rollout__body')!.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await shot('phone');
    await page.getByTestId('progress-close').click();
    await screen().waitFor({ state: 'detached' });
  }, 60000);
});
