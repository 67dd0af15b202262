/// <reference lib="dom" />
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { bearer } from './support/auth';
import { DESKTOP, launchChromium, PHONE, submitSignIn } from './support/browser';
import { MapPage } from './support/map-page';
import { phonePhoto } from './support/photos';
import { repoRoot } from './support/processes';
import { useTestServer } from './support/server';

const SHOTS = path.join(repoRoot, 'test-results');

interface StoredMilestone {
  id: string;
  code: string;
  title: string;
  category: string;
  criterion: string;
  area_code: string | null;
  phase_id: string | null;
  target_value: number | null;
  site_kind: string | null;
  required_evidence: string[];
  target_date: string;
  manual_done_on: string | null;
  manual_note: string | null;
  version: number;
}

/**
 * A Diskominfo planner sets up milestones in the web app, on the seeded Kotim data: km of cable
 * active in a kecamatan, and a manual one; the server's problems shown beside the fields; a change
 * (and a change someone else made first); a manual milestone recorded done with a photo from the
 * device. A mentor gets none of those buttons. Real api, real database, Debian's Chromium.
 */
describe('planners create, change and record milestones done in a browser', () => {
  const server = useTestServer({ seeded: true, roles: ['planner', 'mentor'] });
  let browser: Browser;
  let plannerContext: BrowserContext;
  let mentorContext: BrowserContext;
  let planner: Page;
  let mentor: Page;
  let kecamatan: { code: string; name: string };
  let phase: { id: string; code: string };
  let existing: { id: string; code: string };
  let manual: StoredMilestone;

  const api = async (method: string, url: string, body?: unknown) => {
    const response = await fetch(`${server.api.baseUrl}${url}`, {
      method,
      headers: { ...bearer(server.token('planner')), 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await response.json();
    if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${JSON.stringify(json)}`);
    return json;
  };
  const sql = <T>(text: string, params: unknown[] = []): Promise<T[]> => server.db.dataSource.query(text, params);
  const stored = async (code: string): Promise<StoredMilestone | undefined> =>
    (
      await sql<StoredMilestone>(
        `SELECT id, code, title, category, criterion, area_code, phase_id, target_value, site_kind, required_evidence, to_char(target_date, 'YYYY-MM-DD') AS target_date,
                to_char(manual_done_on, 'YYYY-MM-DD') AS manual_done_on, manual_note, version
           FROM milestones WHERE code = $1`,
        [code],
      )
    )[0];
  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, `milestone-form-${name}.png`), fullPage: false });
  /** The problem shown beside a field (shared Field: `<id>-error`). */
  const problemOf = (page: Page, id: string) => page.locator(`#${id}-error`);
  const focusOn = (page: Page, id: string) => page.waitForFunction((want) => document.activeElement?.id === want, id, { timeout: 5000 });
  const pageReady = (page: Page, code: string) => page.locator(`[data-testid="milestone-page"][data-code="${code}"][data-state="ready"]`).waitFor({ timeout: 15000 });

  async function signIn(page: Page, role: 'planner' | 'mentor'): Promise<void> {
    await page.goto(`${server.api.baseUrl}/`);
    await page.getByTestId('login-form').waitFor({ timeout: 30000 });
    await submitSignIn(page, server.user(role).username, server.user(role).password);
    await new MapPage(page).ready();
  }

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    [kecamatan] = await sql<{ code: string; name: string }>(`SELECT code, name FROM admin_areas WHERE level = 'kecamatan' AND name ILIKE '%Baamang%' LIMIT 1`);
    const made = await api('POST', '/api/phases', { code: 'TAHAP-FORM', name: 'Tahap formulir', targetDate: '2030-12-31' });
    phase = { id: made.id, code: made.code };
    const other = await api('POST', '/api/milestones', { code: 'TG-ADA', title: 'Sudah ada', category: 'permits', criterion: 'manual', targetDate: '2030-01-31' });
    existing = { id: other.id, code: other.code };
    browser = await launchChromium();
    plannerContext = await browser.newContext({ viewport: DESKTOP, locale: 'id-ID' });
    mentorContext = await browser.newContext({ viewport: DESKTOP, locale: 'id-ID' });
    planner = await plannerContext.newPage();
    mentor = await mentorContext.newPage();
  }, 90000);

  afterAll(async () => {
    await browser?.close();
  });

  it('creates a km-active milestone for a kecamatan through the form, and opens its page', async () => {
    await signIn(planner, 'planner');
    await planner.getByTestId('user-menu').click();
    await planner.getByTestId('open-progress').click();
    await planner.getByTestId('progress-tab-milestones').click();
    await planner.getByTestId(`milestone-${existing.code}`).waitFor({ timeout: 15000 });
    await planner.getByTestId('milestone-new').click();
    const form = planner.getByTestId('milestone-form');
    await form.waitFor();
    expect(await form.getAttribute('data-mode')).toBe('create');
    // Focus on the form's heading, so a screen reader starts there.
    await focusOn(planner, 'mform-heading');

    await form.getByLabel('Kode', { exact: true }).fill('TG-KM-BAAMANG');
    await form.getByLabel('Judul', { exact: true }).fill('12,5 km kabel aktif di Baamang');
    await planner.getByTestId('mform-criterion-km_active').check();
    // The criterion decides the fields: an area and a target in km, no phase or kind of site.
    await planner.getByTestId('mform-areaCode').waitFor();
    expect(await planner.getByTestId('mform-phaseId').count()).toBe(0);
    expect(await planner.getByTestId('mform-siteKind').count()).toBe(0);
    expect(await form.getByLabel('Target (km)', { exact: true }).count()).toBe(1);
    // The whole kabupaten unless a kecamatan is chosen.
    await planner.locator('#mform-areaCode option', { hasText: 'Seluruh kabupaten' }).first().waitFor({ state: 'attached' });
    expect(await planner.getByTestId('mform-areaCode').inputValue()).toMatch(/^\d{2}\.\d{2}$/);
    await planner.getByTestId('mform-areaCode').selectOption(kecamatan.code);
    await planner.getByTestId('mform-targetValue').fill('12,5');
    await planner.getByTestId('mform-targetDate').fill('2030-06-30');
    // Construction asks for a photo and a GPS position of every segment by default.
    expect(await planner.getByTestId('mform-evidence-photo').isChecked()).toBe(true);
    expect(await planner.getByTestId('mform-evidence-gps').isChecked()).toBe(true);
    expect(await planner.getByTestId('mform-evidence-otdr').isChecked()).toBe(false);
    await shot(planner, 'create-desktop');

    await planner.getByTestId('mform-submit').click();
    await pageReady(planner, 'TG-KM-BAAMANG');
    expect(await planner.getByTestId('milestone-progress').textContent()).toContain(`Kabel aktif di ${kecamatan.name} paling sedikit 12,5 km`);

    const kept = await stored('TG-KM-BAAMANG');
    expect(kept).toMatchObject({
      title: '12,5 km kabel aktif di Baamang',
      category: 'construction',
      criterion: 'km_active',
      area_code: kecamatan.code,
      phase_id: null,
      target_value: 12.5,
      site_kind: null,
      required_evidence: ['photo', 'gps'],
      target_date: '2030-06-30',
      version: 1,
    });
    // The list was read again: the new milestone is in it.
    await planner.getByTestId('milestone-back').click();
    await planner.getByTestId('milestone-TG-KM-BAAMANG').waitFor({ timeout: 10000 });
  }, 120000);

  it('catches what is missing before sending, and shows the server’s problems beside their fields', async () => {
    await planner.getByTestId('milestone-new').click();
    await planner.getByTestId('milestone-form').waitFor();
    await planner.getByTestId('mform-submit').click();
    // Nothing was sent: the form says what is missing, beside each field, and the focus is on the first.
    expect(await problemOf(planner, 'mform-code').textContent()).toBe('Wajib diisi.');
    expect(await problemOf(planner, 'mform-title').textContent()).toBe('Wajib diisi.');
    expect(await problemOf(planner, 'mform-phaseId').textContent()).toBe('Pilih salah satu.');
    expect(await planner.getByTestId('mform-code').getAttribute('aria-invalid')).toBe('true');
    await focusOn(planner, 'mform-code');

    // The range of a target is the server's rule: its message comes back beside the target.
    await planner.getByTestId('mform-code').fill('TG-SITUS');
    await planner.getByTestId('mform-title').fill('Lokasi tahap formulir terhubung');
    await planner.getByTestId('mform-phaseId').selectOption(phase.id);
    await planner.getByTestId('mform-targetValue').fill('150');
    await planner.getByTestId('mform-siteKind').selectOption('sopd');
    await planner.getByTestId('mform-targetDate').fill('2030-09-30');
    await planner.getByTestId('mform-submit').click();
    await problemOf(planner, 'mform-targetValue').waitFor({ timeout: 10000 });
    expect(await problemOf(planner, 'mform-targetValue').textContent()).toContain('Nilai target tidak sesuai kriteria');
    expect(await planner.getByTestId('mform-problems').textContent()).toBe('Periksa isian yang ditandai.');
    expect(await stored('TG-SITUS')).toBeUndefined();

    // A manual one, with a code another milestone has: the server's conflict beside the code.
    await planner.getByTestId('mform-criterion-manual').check();
    expect(await planner.getByTestId('mform-targetValue').count()).toBe(0);
    expect(await planner.getByTestId('mform-evidence-photo').count()).toBe(0);
    await planner.getByTestId('mform-code').fill(existing.code);
    await planner.getByTestId('mform-title').fill('Berita acara serah terima Baamang');
    await planner.getByTestId('mform-category').selectOption('handover');
    await planner.getByTestId('mform-description').fill('BAST ditandatangani Kepala Dinas.');
    await planner.getByTestId('mform-submit').click();
    await problemOf(planner, 'mform-code').waitFor({ timeout: 10000 });
    expect(await problemOf(planner, 'mform-code').textContent()).toBe(`Kode ${existing.code} sudah dipakai.`);
    await focusOn(planner, 'mform-code');
    await shot(planner, 'server-problem-desktop');

    await planner.getByTestId('mform-code').fill('TG-BAST-BAAMANG');
    expect(await problemOf(planner, 'mform-code').count()).toBe(0);
    await planner.getByTestId('mform-submit').click();
    await pageReady(planner, 'TG-BAST-BAAMANG');
    manual = (await stored('TG-BAST-BAAMANG'))!;
    expect(manual).toMatchObject({
      title: 'Berita acara serah terima Baamang',
      category: 'handover',
      criterion: 'manual',
      area_code: null,
      phase_id: null,
      target_value: null,
      site_kind: null,
      required_evidence: ['photo'],
      target_date: '2030-09-30',
      manual_done_on: null,
    });
    expect(await stored('TG-SITUS')).toBeUndefined();
  }, 120000);

  it('changes a milestone with the version it read, and says so when someone else changed it first', async () => {
    await planner.getByTestId('milestone-edit').click();
    const form = planner.getByTestId('milestone-form');
    await form.waitFor();
    expect(await form.getAttribute('data-mode')).toBe('edit');
    expect(await planner.getByTestId('mform-code').inputValue()).toBe('TG-BAST-BAAMANG');
    expect(await planner.getByTestId('mform-description').inputValue()).toBe('BAST ditandatangani Kepala Dinas.');
    expect(await planner.getByTestId('mform-criterion-manual').isChecked()).toBe(true);
    await planner.getByTestId('mform-title').fill('BAST pekerjaan Baamang');
    await planner.getByTestId('mform-targetDate').fill('2030-10-31');
    await planner.getByTestId('mform-submit').click();
    await planner.getByTestId('milestone-saved').waitFor({ timeout: 10000 });
    await pageReady(planner, 'TG-BAST-BAAMANG');
    expect(await planner.locator('#milestone-page-title').textContent()).toBe('TG-BAST-BAAMANG — BAST pekerjaan Baamang');
    expect(await stored('TG-BAST-BAAMANG')).toMatchObject({ title: 'BAST pekerjaan Baamang', target_date: '2030-10-31', version: 2 });

    // Someone else changes it while the form is open: the save is refused, and the latest can be loaded.
    await planner.getByTestId('milestone-edit').click();
    expect(await planner.getByTestId('milestone-form').getAttribute('data-version')).toBe('2');
    await api('PATCH', `/api/milestones/${manual.id}`, { version: 2, title: 'BAST pekerjaan Kecamatan Baamang' });
    await planner.getByTestId('mform-title').fill('BAST Baamang (revisi)');
    await planner.getByTestId('mform-submit').click();
    await planner.getByTestId('mform-conflict').waitFor({ timeout: 10000 });
    expect(await planner.getByTestId('mform-conflict').textContent()).toContain('diubah orang lain');
    expect(await stored('TG-BAST-BAAMANG')).toMatchObject({ title: 'BAST pekerjaan Kecamatan Baamang', version: 3 });
    await shot(planner, 'conflict-desktop');
    await planner.getByTestId('mform-reload').click();
    await planner.getByTestId('mform-notice').waitFor({ timeout: 10000 });
    expect(await planner.getByTestId('milestone-form').getAttribute('data-version')).toBe('3');
    expect(await planner.getByTestId('mform-title').inputValue()).toBe('BAST pekerjaan Kecamatan Baamang');
    await planner.getByTestId('mform-title').fill('BAST Baamang (revisi)');
    await planner.getByTestId('mform-submit').click();
    await planner.getByTestId('milestone-saved').waitFor({ timeout: 10000 });
    expect(await stored('TG-BAST-BAAMANG')).toMatchObject({ title: 'BAST Baamang (revisi)', version: 4 });
  }, 120000);

  it('records the manual milestone done with a photo from the device, on a phone', async () => {
    await planner.setViewportSize(PHONE);
    await pageReady(planner, 'TG-BAST-BAAMANG');
    expect(await planner.getByTestId('milestone-state').first().getAttribute('data-state')).not.toBe('achieved');
    await planner.getByTestId('milestone-record-done').click();
    const form = planner.getByTestId('completion-form');
    await form.waitFor();
    const today = await planner.getByTestId('done-doneOn').inputValue();
    expect(today).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(await planner.getByTestId('done-doneOn').getAttribute('max')).toBe(today);

    // A day to come, no note, no photo: said beside each, nothing sent.
    const tomorrow = new Date(Date.parse(`${today}T00:00:00Z`) + 86400000).toISOString().slice(0, 10);
    await planner.getByTestId('done-doneOn').fill(tomorrow);
    await planner.getByTestId('done-submit').click();
    expect(await problemOf(planner, 'done-doneOn').textContent()).toBe('Tanggal ini belum tiba.');
    expect(await problemOf(planner, 'done-note').textContent()).toBe('Wajib diisi.');
    expect(await problemOf(planner, 'done-photos').textContent()).toBe('Lampirkan minimal satu foto atau pindaian.');

    await planner.getByTestId('done-doneOn').fill(today);
    await planner.getByTestId('done-note').fill('BAST ditandatangani Kadis, asli di arsip Diskominfo.');
    await planner.getByTestId('done-photo-input').setInputFiles({ name: 'bast-baamang.jpg', mimeType: 'image/jpeg', buffer: await phonePhoto() });
    await planner.getByTestId('done-photos').locator('img').waitFor();
    expect(await planner.getByTestId('done-photos').locator('li').count()).toBe(1);
    const overflow = await planner.evaluate(() => document.querySelector('.serat-rollout__body')!.scrollWidth - document.querySelector('.serat-rollout__body')!.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await form.scrollIntoViewIfNeeded();
    await shot(planner, 'record-done-phone');

    await planner.getByTestId('done-submit').click();
    await planner.getByTestId('milestone-saved').waitFor({ timeout: 20000 });
    await pageReady(planner, 'TG-BAST-BAAMANG');
    expect(await planner.getByTestId('milestone-page').getByTestId('milestone-state').first().getAttribute('data-state')).toBe('achieved');
    await planner.getByTestId('milestone-photos').locator('img').waitFor();
    expect(await planner.getByTestId('milestone-record-done').count()).toBe(0);
    const kept = await stored('TG-BAST-BAAMANG');
    expect(kept).toMatchObject({ manual_done_on: today, manual_note: 'BAST ditandatangani Kadis, asli di arsip Diskominfo.' });
    const [{ photos }] = await sql<{ photos: number }>(`SELECT count(*)::int AS photos FROM milestone_evidence WHERE milestone_id = $1`, [manual.id]);
    expect(photos).toBe(1);
    await shot(planner, 'achieved-phone');
  }, 120000);

  it('fits the form on a phone, in both languages', async () => {
    await planner.getByTestId('milestone-back').click();
    await planner.getByTestId('milestone-new').click();
    await planner.getByTestId('milestone-form').waitFor();
    await planner.getByTestId('mform-criterion-sites_connected').check();
    const overflow = await planner.evaluate(() => document.querySelector('.serat-rollout__body')!.scrollWidth - document.querySelector('.serat-rollout__body')!.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await shot(planner, 'create-phone');
    await planner.getByTestId('mform-submit').scrollIntoViewIfNeeded();
    await shot(planner, 'create-phone-bottom');
    await planner.getByTestId('progress-screen').getByTestId('lang-en').click();
    expect(await planner.locator('#mform-heading').textContent()).toBe('New milestone');
    expect(await planner.getByTestId('milestone-form').getByLabel('Target (% of sites)', { exact: true }).count()).toBe(1);
    await planner.getByTestId('mform-submit').click();
    expect(await problemOf(planner, 'mform-code').textContent()).toBe('Required.');
    await shot(planner, 'create-phone-en');
    await planner.getByTestId('progress-screen').getByTestId('lang-id').click();
    // Escape in the form leaves the form, not the progress screen.
    await planner.getByTestId('mform-title').focus();
    await planner.keyboard.press('Escape');
    await planner.getByTestId('milestone-list').waitFor();
    expect(await planner.getByTestId('progress-screen').count()).toBe(1);
    await planner.setViewportSize(DESKTOP);
  }, 60000);

  it('gives a mentor no buttons to create, change or record done', async () => {
    await signIn(mentor, 'mentor');
    await mentor.getByTestId('progress-screen').waitFor({ timeout: 15000 });
    await mentor.getByTestId('milestones-filter-all').click();
    await mentor.getByTestId(`milestone-${existing.code}`).waitFor({ timeout: 10000 });
    expect(await mentor.getByTestId('milestone-new').count()).toBe(0);
    await mentor.getByTestId(`milestone-open-${existing.code}`).click();
    await pageReady(mentor, existing.code);
    expect(await mentor.getByTestId('milestone-edit').count()).toBe(0);
    expect(await mentor.getByTestId('milestone-record-done').count()).toBe(0);
    expect(await mentor.getByTestId('thread-form-review').count()).toBe(1);
  }, 90000);
});
