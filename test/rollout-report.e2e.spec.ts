import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import sharp from 'sharp';
import { bearer } from './support/auth';
import { repoRoot } from './support/processes';
import { useTestServer } from './support/server';

const SHOTS = path.join(repoRoot, 'test-results');

/**
 * The report a Diskominfo hands to the Bupati or the DPRD, on the seeded Kotim data: as HTML, and
 * as a PDF made on the server, checked by rendering its pages to images (pdftoppm) and reading
 * its text (pdftotext); and the milestones as CSV.
 */
describe('the rollout report', () => {
  const server = useTestServer({ seeded: true, roles: ['planner', 'mentor', 'viewer'] });
  const sql = <T>(text: string, params: unknown[] = []): Promise<T[]> => server.db.dataSource.query(text, params);
  const get = (url: string, role: 'planner' | 'viewer' = 'viewer') => fetch(`${server.api.baseUrl}${url}`, { headers: bearer(server.token(role)) });
  const post = async (role: 'planner' | 'mentor', url: string, body: unknown) => {
    const response = await fetch(`${server.api.baseUrl}${url}`, {
      method: 'POST',
      headers: { ...bearer(server.token(role)), 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(201);
    return response.json();
  };
  const id = (value: number) => new Intl.NumberFormat('id-ID').format(value);
  let sopd: { total: number; connected: number };
  let work: string;

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'serat-report-'));
    fs.mkdirSync(SHOTS, { recursive: true });
    // What the api counts (its connectivity brought up to date first).
    const region = (await (await get('/api/progress?level=region')).json()).areas[0];
    const counted = region.sites.find((site: { kind: string }) => site.kind === 'sopd');
    sopd = { total: counted.inScope, connected: counted.connected };
    expect(sopd.total).toBe(36);
    expect(sopd.connected).toBeGreaterThan(0);
    const milestone = await post('planner', '/api/milestones', {
      code: 'TG-SOPD-36',
      title: 'Ke-36 SOPD terhubung',
      category: 'construction',
      criterion: 'km_active',
      areaCode: '62.02',
      targetValue: 50,
      targetDate: '2030-12-31',
    });
    await post('mentor', `/api/milestones/${milestone.id}/reviews`, { verdict: 'request_changes', body: 'Lampirkan foto sambungan di setiap ODP.' });
  });

  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  it('gives the page in Bahasa Indonesia, with the map of the kecamatan, the SOPD, the milestones and the savings', async () => {
    const response = await get('/api/reports/progress.html');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await response.text();
    fs.writeFileSync(path.join(SHOTS, 'report.html'), html);
    expect(html).toContain('<html lang="id">');
    expect(html).toContain('Laporan Kemajuan Pembangunan Jaringan Serat Optik — Kabupaten Kotawaringin Timur');
    expect(html).toContain(`SOPD terhubung</span><strong>${id(sopd.connected)} dari 36</strong>`);
    // The map: a shape per kecamatan, its colour from its percent, and the SOPD on it.
    expect(html.match(/<path d="M[^"]+" fill="#[0-9a-f]{6}"/g)).toHaveLength(17);
    expect(html.match(/<circle /g)).toHaveLength(36);
    expect(html.match(/<tr><th scope="row">/g)!.length).toBeGreaterThanOrEqual(17 + 4);
    expect(html).toContain('Rp 3.024.000.000');
    expect(html).toContain('36 × Rp 7.000.000 per bulan × 12');
    expect(html).toContain('TG-SOPD-36');
    expect(html).toContain(`Minta perbaikan oleh ${server.user('mentor').username}`);
    expect(html).toContain('Lampirkan foto sambungan di setiap ODP.');
    expect(html).toContain('@media print');
    expect(html).toContain('href="progress.pdf"');
  });

  it('makes the same report as a PDF on the server: its pages render, the map is drawn in colour, the text reads', async () => {
    const response = await get('/api/reports/progress.pdf');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    const pdf = Buffer.from(await response.arrayBuffer());
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const file = path.join(work, 'laporan.pdf');
    fs.writeFileSync(file, pdf);
    fs.copyFileSync(file, path.join(SHOTS, 'report.pdf'));
    execFileSync('pdftoppm', ['-r', '60', '-png', file, path.join(SHOTS, 'report-page')]);

    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    expect(text).toContain('Laporan Kemajuan Pembangunan Jaringan Serat Optik');
    expect(text).toMatch(new RegExp(`SOPD terhubung\\s+Kantor kecamatan terhubung[\\s\\S]*${id(sopd.connected)} dari 36`));
    expect(text).toContain('Rp 3.024.000.000');
    expect(text).toContain('TG-SOPD-36');
    expect(text).toContain('Minta perbaikan oleh');
    const kecamatan = await sql<{ name: string }>(`SELECT name FROM admin_areas WHERE level = 'kecamatan' ORDER BY code`);
    for (const { name } of kecamatan) expect(text).toContain(name);
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))![1]);
    expect(pages).toBeGreaterThanOrEqual(2);
    expect(text).toContain(`halaman 1 dari ${pages}`);

    // The first page as an image: the choropleth's greens and the SOPD's blue dots are there.
    execFileSync('pdftoppm', ['-r', '60', '-png', '-f', '1', '-l', '1', file, path.join(work, 'halaman')]);
    const png = fs.readdirSync(work).find((name) => name.startsWith('halaman') && name.endsWith('.png'))!;
    fs.copyFileSync(path.join(work, png), path.join(SHOTS, 'report-page-1.png'));
    const { data, info } = await sharp(path.join(work, png)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const count = (rgb: [number, number, number]) => {
      let n = 0;
      for (let i = 0; i < data.length; i += info.channels) if (Math.abs(data[i] - rgb[0]) < 12 && Math.abs(data[i + 1] - rgb[1]) < 12 && Math.abs(data[i + 2] - rgb[2]) < 12) n++;
      return n;
    };
    const greens = [count([0xc7, 0xe9, 0xc0]), count([0xa1, 0xd9, 0x9b]), count([0x41, 0xab, 0x5d]), count([0x00, 0x6d, 0x2c])];
    const blank = count([0xee, 0xf1, 0xf4]);
    // Kecamatan with something connected are drawn green, the rest pale grey; together a good part of the map.
    expect(greens.reduce((a, b) => a + b, 0) + blank).toBeGreaterThan(5000);
    expect(greens.some((n) => n > 200)).toBe(true);
    expect(count([0x1f, 0x6f, 0xb2])).toBeGreaterThan(20);
  }, 60000);

  it('gives the milestones as CSV, with their state, forecast and latest review', async () => {
    const response = await get('/api/reports/milestones.csv');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="tonggak-capaian.csv"');
    const rows: Record<string, string>[] = parseCsv((await response.text()).replace(/^\uFEFF/, ''), { columns: true });
    const row = rows.find((r) => r.code === 'TG-SOPD-36')!;
    expect(row).toMatchObject({
      category: 'construction',
      category_label: 'Konstruksi',
      criterion: 'km_active',
      area_code: '62.02',
      target_value: '50',
      target_date: '2030-12-31',
      unit: 'km',
      review_status: 'changes_requested',
      review_status_label: 'Perlu perbaikan',
      review_entries: '1',
      last_review_verdict: 'request_changes',
      last_review_by: server.user('mentor').username,
      last_review: 'Lampirkan foto sambungan di setiap ODP.',
    });
    expect(['pending', 'on_track', 'at_risk', 'achieved']).toContain(row.state);
    expect(Number(row.value)).toBeGreaterThan(0);
  });

  it('says what is wrong with a phase that is not there', async () => {
    const response = await fetch(`${server.api.baseUrl}/api/reports/progress.pdf?phase=00000000-0000-4000-8000-000000000000`, {
      headers: { ...bearer(server.token('viewer')), 'accept-language': 'id' },
    });
    const body = await response.json();
    expect([response.status, body.error.code, body.error.message]).toEqual([422, 'PHASE_UNKNOWN', 'Tahap yang dipilih tidak ditemukan.']);
    expect((await get('/api/reports/progress.html?phase=bukan')).status).toBe(400);
  });
});
