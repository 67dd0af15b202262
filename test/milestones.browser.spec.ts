/// <reference lib="dom" />
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { bearer } from './support/auth';
import { DESKTOP, launchChromium, PHONE, submitSignIn } from './support/browser';
import { MapPage } from './support/map-page';
import { readZip } from '../libs/geo/src/export/export-fixtures.testing';
import { phonePhoto } from './support/photos';
import { repoRoot } from './support/processes';
import { useTestServer } from './support/server';

const SHOTS = path.join(repoRoot, 'test-results');

/**
 * An ITS mentor reviews a milestone and a Diskominfo planner answers, each in their own browser, on
 * the seeded Kotim data: the mentor asks for changes, the planner records the handover done and
 * replies, the mentor approves. Real api, real database, Debian's Chromium.
 */
describe('milestones and their review in a browser', () => {
  const server = useTestServer({ seeded: true, worker: true, roles: ['planner', 'mentor'] });
  let browser: Browser;
  let mentorContext: BrowserContext;
  let plannerContext: BrowserContext;
  let mentor: Page;
  let planner: Page;
  let handover: { id: string; code: string };
  let testing: { id: string; code: string; segments: { id: string; code: string }[] };

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
  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, `milestones-${name}.png`) });
  const thread = (page: Page) => page.getByTestId('milestone-thread').getByTestId('thread-entry');

  async function signIn(page: Page, role: 'planner' | 'mentor'): Promise<void> {
    await page.goto(`${server.api.baseUrl}/`);
    await page.getByTestId('login-form').waitFor({ timeout: 30000 });
    await submitSignIn(page, server.user(role).username, server.user(role).password);
    await new MapPage(page).ready();
  }

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    const phase = await api('POST', '/api/phases', { code: 'TAHAP-UJI', name: 'Tahap uji OTDR', targetDate: '2030-12-31' });
    const picked = await sql<{ id: string; code: string; version: number }>(`SELECT id, code, version FROM segments WHERE status = 'planned' ORDER BY code LIMIT 2`);
    for (const segment of picked) await api('PATCH', `/api/segments/${segment.id}`, { version: segment.version, phaseId: phase.id, phaseReason: 'Masuk tahap uji' });
    const tested = await api('POST', '/api/milestones', {
      code: 'TG-UJI',
      title: 'Semua ruas tahap uji diuji',
      category: 'testing',
      phaseId: phase.id,
      criterion: 'segments_tested',
      targetDate: '2030-06-30',
    });
    testing = { id: tested.id, code: tested.code, segments: picked.map(({ id, code }) => ({ id, code })) };
    const made = await api('POST', '/api/milestones', {
      code: 'TG-BAST',
      title: 'Berita acara serah terima tahap 1',
      description: 'BAST pekerjaan tahap 1 ditandatangani Kepala Dinas.',
      category: 'handover',
      criterion: 'manual',
      targetDate: '2030-03-31',
    });
    handover = { id: made.id, code: made.code };
    browser = await launchChromium();
    mentorContext = await browser.newContext({ viewport: DESKTOP, locale: 'id-ID' });
    plannerContext = await browser.newContext({ viewport: DESKTOP, locale: 'id-ID' });
    mentor = await mentorContext.newPage();
    planner = await plannerContext.newPage();
  }, 90000);

  afterAll(async () => {
    await browser?.close();
  });

  it('lands a mentor on what awaits their review, and refuses an approval the milestone does not meet, saying why', async () => {
    await signIn(mentor, 'mentor');
    const screen = mentor.getByTestId('progress-screen');
    await screen.waitFor({ timeout: 15000 });
    expect(await screen.getAttribute('data-tab')).toBe('milestones');
    expect(await mentor.getByTestId('milestones-filter-review').getAttribute('aria-checked')).toBe('true');
    await mentor.getByTestId('milestones-empty').waitFor({ timeout: 10000 });
    expect(await mentor.getByTestId('milestones-empty').textContent()).toBe('Tidak ada yang menunggu tinjauan Anda.');

    await mentor.getByTestId('milestones-filter-all').click();
    await mentor.getByTestId(`milestone-open-${handover.code}`).click();
    const page = mentor.getByTestId('milestone-page');
    await page.and(mentor.locator('[data-state="ready"]')).waitFor({ timeout: 10000 });
    expect(await page.getByTestId('milestone-state').getAttribute('data-state')).toBe('pending');
    expect(await page.getByTestId('milestone-evidence').textContent()).toContain('Belum ada foto atau pindaian terlampir.');

    await mentor.getByTestId('verdict-approve').check();
    await mentor.getByTestId('thread-body').fill('Disetujui.');
    await mentor.getByTestId('thread-send').click();
    await mentor.getByTestId('thread-problem').waitFor({ timeout: 10000 });
    expect(await mentor.getByTestId('thread-problem').textContent()).toMatch(/belum tercapai/i);
    expect(await thread(mentor).count()).toBe(0);
  }, 120000);

  it('keeps the mentor’s request for changes in the thread', async () => {
    await mentor.getByTestId('verdict-request_changes').check();
    await mentor.getByTestId('thread-body').fill('Lampirkan BAST yang sudah ditandatangani, dengan foto lokasi.');
    await mentor.getByTestId('thread-send').click();
    await mentor.getByTestId('thread-sent').waitFor({ timeout: 10000 });
    await thread(mentor).first().waitFor();
    expect(await thread(mentor).count()).toBe(1);
    expect(await thread(mentor).first().getAttribute('data-verdict')).toBe('request_changes');
    expect(await thread(mentor).first().textContent()).toContain('Lampirkan BAST');
    expect(await thread(mentor).first().textContent()).toContain(server.user('mentor').username);
    expect(await mentor.getByTestId('milestone-page').getByTestId('milestone-review').getAttribute('data-status')).toBe('changes_requested');
    expect(await mentor.getByTestId('thread-body').inputValue()).toBe('');
    await shot(mentor, 'changes-requested');
  }, 60000);

  it('shows the planner what awaits an answer, and keeps the reply', async () => {
    // The planner records the handover done with the signed BAST's photo (the completion api; the page shows it).
    const form = new FormData();
    form.append('photo', new Blob([new Uint8Array(await phonePhoto())], { type: 'image/jpeg' }), 'bast.jpg');
    const photo = await (await fetch(`${server.api.baseUrl}/api/photos`, { method: 'POST', headers: bearer(server.token('planner')), body: form })).json();
    await api('POST', `/api/milestones/${handover.id}/completion`, { doneOn: '2026-11-20', note: 'BAST ditandatangani Kadis.', photoIds: [photo.id] });

    await signIn(planner, 'planner');
    expect(await planner.getByTestId('progress-screen').count()).toBe(0);
    await planner.getByTestId('user-menu').click();
    await planner.getByTestId('open-progress').click();
    await planner.getByTestId('progress-tab-milestones').click();
    await planner.getByTestId('milestones-filter-answer').click();
    await planner.getByTestId(`milestone-${handover.code}`).waitFor({ timeout: 10000 });
    expect(await planner.getByTestId('milestone-list').locator('.serat-milestone__item').count()).toBe(1);
    await planner.getByTestId(`milestone-open-${handover.code}`).click();
    const page = planner.getByTestId('milestone-page');
    await page.and(planner.locator('[data-state="ready"]')).waitFor({ timeout: 10000 });
    expect(await page.getByTestId('milestone-state').getAttribute('data-state')).toBe('achieved');
    expect(await page.getByTestId('milestone-progress').textContent()).toContain('Dinyatakan selesai 20 Nov 2026');
    await page.getByTestId('milestone-photos').locator('img').waitFor();
    expect(await planner.getByTestId('thread-form-reply').count()).toBe(1);
    expect(await planner.getByTestId('verdict-approve').count()).toBe(0);

    await planner.getByTestId('thread-body').fill('BAST sudah dilampirkan, mohon ditinjau kembali.');
    await planner.getByTestId('thread-send').click();
    await planner.getByTestId('thread-sent').waitFor({ timeout: 10000 });
    expect(await thread(planner).count()).toBe(2);
    expect(await thread(planner).nth(1).getAttribute('data-kind')).toBe('reply');
    expect(await page.getByTestId('milestone-review').getAttribute('data-status')).toBe('awaiting_review');
    await shot(planner, 'replied');
  }, 120000);

  it('lands the mentor on it again, and takes the approval, the old review marked superseded', async () => {
    await mentor.reload();
    await new MapPage(mentor).ready();
    await mentor.getByTestId(`milestone-${handover.code}`).waitFor({ timeout: 15000 });
    await mentor.getByTestId(`milestone-open-${handover.code}`).click();
    await mentor.getByTestId('milestone-page').and(mentor.locator('[data-state="ready"]')).waitFor({ timeout: 10000 });
    await mentor.getByTestId('verdict-approve').check();
    await mentor.getByTestId('thread-body').fill('Sesuai dengan BAST, disetujui.');
    await mentor.getByTestId('thread-send').click();
    await mentor.getByTestId('thread-sent').waitFor({ timeout: 10000 });
    expect(await thread(mentor).count()).toBe(3);
    expect(await thread(mentor).nth(0).getAttribute('data-superseded')).toBe('true');
    expect(await thread(mentor).nth(0).textContent()).toContain('Digantikan oleh tinjauan berikutnya');
    expect(await thread(mentor).nth(2).getAttribute('data-verdict')).toBe('approve');
    expect(await thread(mentor).nth(2).getAttribute('data-superseded')).toBe('false');
    expect(await mentor.getByTestId('milestone-page').getByTestId('milestone-review').getAttribute('data-status')).toBe('approved');
    await shot(mentor, 'approved');

    // What the browser showed is what was kept: three entries, audited.
    const kept = await sql<{ kind: string; verdict: string | null }>(`SELECT kind, verdict FROM milestone_thread WHERE milestone_id = $1 ORDER BY id`, [handover.id]);
    expect(kept).toEqual([
      { kind: 'review', verdict: 'request_changes' },
      { kind: 'reply', verdict: null },
      { kind: 'review', verdict: 'approve' },
    ]);
  }, 120000);

  it('makes the evidence pack for an audit, shows its progress, and downloads the ZIP', async () => {
    await mentor.getByTestId('evidence-pack-request').click();
    const download = mentor.getByTestId('evidence-pack-download');
    await download.waitFor({ timeout: 30000 });
    expect(await mentor.getByTestId('evidence-pack').getAttribute('data-state')).toBe('done');
    expect(await download.textContent()).toMatch(/^Unduh ZIP \(.+, 7 berkas\)$/);
    const [file] = await Promise.all([mentor.waitForEvent('download'), download.click()]);
    expect(file.suggestedFilename()).toMatch(/^paket-bukti-TG-BAST-\d{4}-\d{2}-\d{2}\.zip$/);
    const files = await readZip(fs.readFileSync((await file.path())!));
    expect([...files.keys()].filter((name) => name.startsWith('lampiran/'))).toHaveLength(1);
    expect(files.get('tinjauan.csv')!.toString('utf8')).toContain('Sesuai dengan BAST, disetujui.');
    await shot(mentor, 'evidence-pack');
    await mentor.getByTestId('milestone-back').click();
    await mentor.getByTestId('milestones-empty').waitFor({ timeout: 10000 });
  }, 90000);

  it('shows what evidence each segment in scope lacks, and goes to a segment on the map', async () => {
    await mentor.getByTestId('milestones-filter-all').click();
    await mentor.getByTestId(`milestone-open-${testing.code}`).click();
    const evidence = mentor.getByTestId('milestone-evidence');
    await evidence.waitFor({ timeout: 10000 });
    expect(await evidence.getAttribute('data-complete')).toBe('false');
    expect(await evidence.textContent()).toContain('2 ruas dalam cakupan');
    expect(await evidence.getByTestId('milestone-evidence-missing').textContent()).toContain('2 ruas tanpa hasil OTDR');
    expect(await mentor.getByTestId('milestone-forecast-basis').textContent()).toContain('30 hari terakhir');
    for (const segment of testing.segments) expect(await mentor.getByTestId(`milestone-evidence-${segment.code}`).getAttribute('data-missing')).toBe('otdr');

    await mentor.setViewportSize(PHONE);
    const overflow = await mentor.evaluate(() => document.querySelector('.serat-rollout__body')!.scrollWidth - document.querySelector('.serat-rollout__body')!.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await shot(mentor, 'evidence-phone');
    await mentor.setViewportSize(DESKTOP);

    const [first] = testing.segments;
    await mentor.getByTestId(`milestone-evidence-${first.code}`).getByRole('button').click();
    await mentor.getByTestId('progress-screen').waitFor({ state: 'detached', timeout: 10000 });
    await new MapPage(mentor).popup(first.code).waitFor({ timeout: 15000 });
    await shot(mentor, 'segment-on-map');
  }, 120000);

  it('links the reports from the overview: the printable page and the PDF open with the session', async () => {
    await mentor.getByTestId('user-menu').click();
    await mentor.getByTestId('open-progress').click();
    const reports = mentor.getByTestId('progress-reports');
    await reports.waitFor({ timeout: 15000 });
    const hrefs = await reports.locator('a').evaluateAll((links) => links.map((link) => (link as HTMLAnchorElement).getAttribute('href')));
    expect(hrefs).toContain('/api/reports/progress.pdf');
    const [popup] = await Promise.all([mentor.waitForEvent('popup'), reports.getByText('Laporan untuk Bupati (halaman cetak)').click()]);
    await popup.waitForLoadState();
    expect(await popup.locator('h1').textContent()).toContain('Laporan Kemajuan Pembangunan Jaringan Serat Optik');
    expect(await popup.locator('svg.map path').count()).toBe(17);
    await popup.screenshot({ path: path.join(SHOTS, 'milestones-report-page.png') });
    const pdf = await popup.request.get(`${server.api.baseUrl}/api/reports/progress.pdf`);
    expect([pdf.status(), pdf.headers()['content-type']]).toEqual([200, 'application/pdf']);
    await popup.close();
    await mentor.getByTestId('progress-close').click();
  }, 60000);

  it('reads the same in English', async () => {
    await mentor.getByTestId('user-menu').click();
    await mentor.getByTestId('open-progress').click();
    await mentor.getByTestId('progress-tab-milestones').click();
    await mentor.getByTestId('progress-screen').getByTestId('lang-en').click();
    await mentor.getByTestId('milestones-filter-all').click();
    await mentor.getByTestId(`milestone-${handover.code}`).waitFor({ timeout: 10000 });
    expect(await mentor.getByTestId(`milestone-${handover.code}`).textContent()).toContain('Approved');
    expect(await mentor.getByTestId(`milestone-${handover.code}`).textContent()).toContain('Handover');
    await mentor.getByTestId('progress-screen').getByTestId('lang-id').click();
  }, 60000);
});
