import { MILESTONE_CATEGORY_LABELS, MILESTONE_STATE_LABELS, REVIEW_STATUS_LABELS, type MilestoneDetail, type MilestoneThreadEntry } from '@serat/contract';
import { escapeXml } from '@serat/geo';

const EVIDENCE_WORDS: Record<string, string> = { photo: 'foto', gps: 'posisi GPS', otdr: 'hasil OTDR' };
const number = (value: number, digits = 1) => new Intl.NumberFormat('id-ID', { maximumFractionDigits: digits }).format(value);
/** A moment in the region's time zone, named (WIB in Kotim). */
const at = (iso: string, timeZone: string) =>
  new Intl.DateTimeFormat('id-ID', { timeZone, day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' }).format(new Date(iso));
const day = (value: string | null) => (value ? new Intl.DateTimeFormat('id-ID', { timeZone: 'UTC', dateStyle: 'long' }).format(new Date(`${value}T00:00:00Z`)) : '—');
const e = (text: string | number | null | undefined) => escapeXml(text === null || text === undefined ? '—' : String(text));

function criterion(milestone: MilestoneDetail): string {
  const phase = milestone.phaseCode ?? '—';
  switch (milestone.criterion) {
    case 'sites_connected':
      return `${number(milestone.targetValue ?? 0)} % lokasi ${milestone.siteKind ?? 'semua jenis'} tahap ${phase} terhubung`;
    case 'km_active':
      return `Kabel aktif di ${milestone.areaName ?? 'kabupaten'} paling sedikit ${number(milestone.targetValue ?? 0)} km`;
    case 'segments_tested':
      return `Semua ruas tahap ${phase} sudah diuji (teruji, aktif atau rusak)`;
    case 'manual':
      return 'Dinyatakan selesai dengan bukti terlampir';
  }
}

/**
 * The first page of an evidence pack (ringkasan.html), in Bahasa Indonesia for the Inspektorat:
 * what the milestone claims, where it stands, what evidence there is and lacks, the review thread,
 * and what each file of the pack holds. Self-contained, and it prints on A4.
 */
export function evidencePackSummary(input: {
  milestone: MilestoneDetail;
  thread: MilestoneThreadEntry[];
  photos: number;
  historyRows: number;
  generatedAt: Date;
  requestedBy: string;
  timeZone: string;
}): string {
  const { milestone, thread } = input;
  const time = (iso: string) => at(iso, input.timeZone);
  const { evaluation, evidence } = milestone;
  const unit = evaluation.unit === 'km' ? ' km' : ' %';
  const missing = evidence.missing.filter((item) => item.segments > 0).map((item) => `${number(item.segments, 0)} ruas tanpa ${EVIDENCE_WORDS[item.kind]}`);
  const rows: [string, string][] = [
    ['Tahap pekerjaan', MILESTONE_CATEGORY_LABELS.id[milestone.category]],
    ['Kriteria', criterion(milestone)],
    ['Target', day(milestone.targetDate)],
    ['Capaian', milestone.criterion === 'manual' ? day(milestone.manualDoneOn) : `${number(evaluation.value)}${unit} dari ${number(evaluation.target)}${unit}`],
    ['Status', `${MILESTONE_STATE_LABELS.id[evaluation.state]}${evaluation.achievedOn ? `, tercapai ${day(evaluation.achievedOn)}` : ''}`],
    ['Tinjauan mentor', REVIEW_STATUS_LABELS.id[milestone.review.status]],
    ['Bukti yang diminta', evidence.required.map((kind) => EVIDENCE_WORDS[kind]).join(', ') || '—'],
    ['Ruas dalam cakupan', number(evidence.segmentsInScope, 0)],
    ['Kelengkapan bukti', evidence.complete ? 'Lengkap' : `Belum lengkap: ${missing.join('; ') || 'belum ada lampiran'}`],
  ];
  if (evaluation.forecast) {
    const f = evaluation.forecast;
    rows.push([
      'Perkiraan selesai',
      `${day(f.date)} (laju ${f.windowDays} hari terakhir: ${number(f.from.value)}${unit} pada ${day(f.from.day)} → ${number(f.to.value)}${unit} pada ${day(f.to.day)})`,
    ]);
  }
  const files: [string, string][] = [
    ['ringkasan.html', 'halaman ini'],
    ['riwayat-status.csv', `riwayat status setiap ruas dalam cakupan (${number(input.historyRows, 0)} perubahan), dengan posisi GPS, hasil OTDR dan jumlah foto`],
    ['otdr.csv', 'hasil ukur OTDR per ruas'],
    ['foto.csv', `daftar ${number(input.photos, 0)} foto: berkasnya, ruas dan perubahan status, waktu dan posisi dari EXIF`],
    ['foto/<ruas>/…', 'foto yang diambil saat perubahan status, per ruas'],
    ['lampiran/…', 'foto atau pindaian yang dilampirkan pada tonggak ini (berita acara)'],
    ['tinjauan.csv', 'diskusi tinjauan mentor dan balasan perencana, tidak dapat diubah'],
    ['sha256sum.txt', 'sidik SHA-256 setiap berkas (periksa dengan: sha256sum -c sha256sum.txt)'],
  ];
  const entries = thread
    .map(
      (entry) => `<li${entry.supersededBy ? ' class="superseded"' : ''}>
  <p class="meta"><strong>${entry.kind === 'review' ? 'Tinjauan' : 'Balasan'}</strong>${entry.verdict ? ` — ${entry.verdict === 'approve' ? 'Disetujui' : 'Minta perbaikan'}` : ''} · ${e(entry.authorLabel)} · ${e(time(entry.createdAt))}${entry.supersededBy ? ' · digantikan tinjauan berikutnya' : ''}</p>
  <p>${e(entry.body)}</p>
</li>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="id">
<head>
<meta charset="utf-8">
<title>Paket bukti ${e(milestone.code)}</title>
<style>
  body { font-family: 'DejaVu Sans', Arial, sans-serif; color: #1b2631; margin: 24px; font-size: 11pt; }
  h1 { font-size: 16pt; margin: 0 0 4px; } h2 { font-size: 12pt; margin: 20px 0 6px; border-bottom: 1px solid #ccd3da; }
  table { border-collapse: collapse; width: 100%; } th, td { text-align: left; vertical-align: top; padding: 4px 8px; border-bottom: 1px solid #e3e8ed; }
  th { width: 30%; font-weight: 600; } ol { padding-left: 20px; } li { margin-bottom: 8px; } .meta { color: #4a5866; margin: 0; }
  .superseded { color: #6b7783; } .muted { color: #4a5866; font-size: 9pt; }
  @page { size: A4; margin: 18mm; } @media print { body { margin: 0; } }
</style>
</head>
<body>
<p class="muted">Serat · Paket bukti tonggak capaian</p>
<h1>${e(milestone.code)} — ${e(milestone.title)}</h1>
${milestone.description ? `<p>${e(milestone.description)}</p>` : ''}
<table>
${rows.map(([label, value]) => `<tr><th>${e(label)}</th><td>${e(value)}</td></tr>`).join('\n')}
</table>
${milestone.manualNote ? `<p><strong>Catatan penyelesaian:</strong> ${e(milestone.manualNote)}</p>` : ''}
<h2>Tinjauan mentor</h2>
${thread.length ? `<ol>\n${entries}\n</ol>` : '<p>Belum ada tinjauan.</p>'}
<h2>Isi paket</h2>
<table>
${files.map(([name, what]) => `<tr><th>${e(name)}</th><td>${e(what)}</td></tr>`).join('\n')}
</table>
<p class="muted">Dibuat ${e(time(input.generatedAt.toISOString()))} atas permintaan ${e(input.requestedBy)}. Capaian dihitung ${e(day(evaluation.asOf))}.</p>
</body>
</html>
`;
}
