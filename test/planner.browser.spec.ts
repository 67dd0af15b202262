/// <reference lib="dom" />
import type { INestApplicationContext } from '@nestjs/common';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';
import { RunningApi, startApi, startWorker, testConfig } from './support/apps';
import { createTestUser, TestUser } from './support/auth';
import { openTestDatabase, OpenTestDatabase, testSettings } from './support/databases';
import { repoRoot } from './support/processes';

const SHOTS = path.join(repoRoot, 'test-results');

/**
 * The planner's tools in the browser: real api, real worker (so imports run) and a fresh seeded
 * database. Imports a small CSV through the import panel, applies it, then draws a segment.
 */
describe('planner tools: import with progress, then drawing a segment', () => {
  let db: OpenTestDatabase;
  let api: RunningApi;
  let worker: INestApplicationContext;
  let browser: Browser;
  let page: Page;
  let planner: TestUser;
  const codes = ['UJI-IMPOR-001', 'UJI-IMPOR-002', 'UJI-IMPOR-003'];
  const drawnCode = 'UJI-GAMBAR-001';

  const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `planner-${name}.png`) });

  beforeAll(async () => {
    db = await openTestDatabase({ seeded: true });
    const config = testConfig(db.url);
    api = await startApi(config);
    worker = await startWorker(config);
    planner = await createTestUser(db.dataSource, 'planner');
    browser = await chromium.launch({
      executablePath: testSettings.chromiumPath,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'id-ID' });
    fs.mkdirSync(SHOTS, { recursive: true });
  }, 90000);

  afterAll(async () => {
    await browser?.close();
    await worker?.close();
    await api?.close();
    await db?.close();
  }, 60000);

  it('signs a planner in and shows the planner tools', async () => {
    // Start zoomed in on Sampit, where the test draws.
    await page.goto(`${api.baseUrl}/#15/-2.5450/112.9650`);
    await page.getByTestId('login-identifier').fill(planner.username);
    await page.getByTestId('login-password').fill(planner.password);
    await page.getByTestId('login-submit').click();
    await page.waitForSelector('body[data-map-ready="true"]', { timeout: 30000 });
    await page.getByTestId('planner-open').click();
    await page.getByTestId('import-panel').waitFor();
    await page.getByTestId('export-menu').waitFor();
    expect(await page.getByTestId('import-region-check').isChecked()).toBe(true);
    expect(await page.getByTestId('import-submit').isDisabled()).toBe(true);
    await shot('1-panel');
  }, 60000);

  it('uploads a CSV, shows the progress up to 100 and a summary of 3 to create, then applies it', async () => {
    const csv = [
      'kode;wkt',
      `${codes[0]};"LINESTRING(112.950 -2.530, 112.951 -2.531)"`,
      `${codes[1]};"LINESTRING(112.952 -2.530, 112.953 -2.532)"`,
      `${codes[2]};"LINESTRING(112.954 -2.531, 112.955 -2.533)"`,
    ].join('\n');
    await page.getByTestId('import-file').setInputFiles({ name: 'uji-planner.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByTestId('import-submit').click();
    await page.getByTestId('import-progress').waitFor({ timeout: 15000 });
    await page.locator('[data-testid="import-state"][data-state="ready"]').waitFor({ timeout: 120000 });
    expect(await page.getByTestId('import-progress').getAttribute('aria-valuenow')).toBe('100');
    const summary = page.getByTestId('import-summary');
    expect(await summary.getAttribute('data-create')).toBe('3');
    expect(await summary.getAttribute('data-reject')).toBe('0');
    await page.getByTestId('import-report').waitFor({ timeout: 15000 });
    expect(await page.locator('[data-testid="import-report"] tbody tr').count()).toBe(3);
    await shot('2-ready');

    expect(await page.getByTestId('import-commit').isEnabled()).toBe(true);
    await page.getByTestId('import-commit').click();
    await page.locator('[data-testid="import-state"][data-state="committed"]').waitFor({ timeout: 120000 });
    expect(await page.getByTestId('import-state').textContent()).toContain('Selesai');
    await shot('3-committed');

    const rows: Array<{ code: string; length_m: number }> = await db.dataSource.query(
      `SELECT code, length_m::float8 AS length_m FROM segments WHERE code = ANY($1) ORDER BY code`,
      [codes],
    );
    expect(rows.map((row) => row.code)).toEqual(codes);
    for (const row of rows) expect(row.length_m).toBeGreaterThan(0);
  }, 300000);

  it('draws a segment with three clicks and saves it with a code', async () => {
    await page.getByTestId('draw-segment').click();
    await page.getByTestId('draw-bar').waitFor();
    const box = (await page.locator('#map').boundingBox())!;
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    for (const [dx, dy] of [[-160, 40], [0, -60], [160, 10]]) {
      await page.mouse.click(cx + dx, cy + dy);
      await page.waitForTimeout(350);
    }
    await page.locator('path.serat-draw-preview').waitFor();
    await shot('4-drawing');
    await page.getByTestId('draw-finish').click();
    await page.getByTestId('segment-form').waitFor();
    await page.getByTestId('segment-code').fill(drawnCode);
    await page.getByTestId('segment-cores').fill('24');
    await shot('5-form');
    await page.getByTestId('segment-save').click();
    await page.getByTestId('segment-form').waitFor({ state: 'hidden', timeout: 15000 }).catch(async () => {
      throw new Error(`not saved: ${await page.getByTestId('edit-error').textContent()}`);
    });
    const [row]: Array<{ length_m: number; points: number; core_count: number | null }> = await db.dataSource.query(
      `SELECT length_m::float8 AS length_m, ST_NPoints(geom) AS points, core_count FROM segments WHERE code = $1`,
      [drawnCode],
    );
    expect(row).toBeDefined();
    expect(row.points).toBe(3);
    expect(row.length_m).toBeGreaterThan(0);
    await page.waitForTimeout(2000);
    await shot('6-saved');
  }, 60000);

  it('shows the server message when the code is already taken', async () => {
    await page.getByTestId('draw-segment').click();
    const box = (await page.locator('#map').boundingBox())!;
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    for (const [dx, dy] of [[-120, 120], [120, 140]]) {
      await page.mouse.click(cx + dx, cy + dy);
      await page.waitForTimeout(350);
    }
    await page.getByTestId('draw-finish').click();
    await page.getByTestId('segment-code').fill(drawnCode);
    await page.getByTestId('segment-save').click();
    await page.getByTestId('edit-error').waitFor({ timeout: 15000 });
    expect((await page.getByTestId('edit-error').textContent())?.trim().length).toBeGreaterThan(0);
    await shot('7-duplicate');
    await page.getByTestId('segment-cancel').click();
  }, 60000);

  it('moves the start of the drawn segment: the node moves and the segment end follows', async () => {
    const [before]: Array<{ id: string; lon: number; lat: number }> = await db.dataSource.query(
      `SELECT n.id::text, ST_X(n.location) AS lon, ST_Y(n.location) AS lat FROM segments s JOIN nodes n ON n.id = s.from_node_id WHERE s.code = $1`,
      [drawnCode],
    );
    expect(before).toBeDefined();
    await page.getByTestId('move-node').click();
    await page.getByTestId('move-bar').waitFor();
    const box = (await page.locator('#map').boundingBox())!;
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    await page.mouse.click(cx - 160, cy + 40);
    await page.waitForTimeout(300);
    await page.mouse.click(cx - 160, cy + 110);
    await page.getByTestId('move-save').waitFor();
    await shot('7b-move');
    await page.getByTestId('move-save').click();
    await page.getByTestId('move-bar').waitFor({ state: 'hidden', timeout: 15000 }).catch(async () => {
      throw new Error(`not moved: ${await page.getByTestId('move-error').textContent()}`);
    });
    const [after]: Array<{ lon: number; lat: number; start_lon: number; start_lat: number }> = await db.dataSource.query(
      `SELECT ST_X(n.location) AS lon, ST_Y(n.location) AS lat, ST_X(ST_StartPoint(s.geom)) AS start_lon, ST_Y(ST_StartPoint(s.geom)) AS start_lat
         FROM segments s JOIN nodes n ON n.id = s.from_node_id WHERE s.code = $1`,
      [drawnCode],
    );
    expect(after.lat).toBeLessThan(before.lat);
    expect(after.start_lon).toBeCloseTo(after.lon, 6);
    expect(after.start_lat).toBeCloseTo(after.lat, 6);
    await page.waitForSelector('body[data-map-ready="true"]', { timeout: 30000 });
  }, 60000);

  it('downloads an export filtered by status through the session', async () => {
    if (!(await page.getByTestId('planner-panel').isVisible())) await page.getByTestId('planner-open').click();
    await page.getByTestId('export-status').selectOption('active,planned');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-segments.geojson').click()]);
    const file = await download.path();
    const body = JSON.parse(fs.readFileSync(file!, 'utf8'));
    expect(body.type).toBe('FeatureCollection');
    expect(body.features.length).toBeGreaterThan(0);
    expect(body.features.every((f: { properties: { status: string } }) => ['active', 'planned'].includes(f.properties.status))).toBe(true);
  }, 60000);

  it('fits a phone', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    if (!(await page.getByTestId('planner-panel').isVisible())) await page.getByTestId('planner-open').click();
    await page.getByTestId('import-panel').waitFor();
    await shot('8-phone');
  }, 30000);
});
