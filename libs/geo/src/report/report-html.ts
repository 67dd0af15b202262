/**
 * The rollout report as one HTML page in Bahasa Indonesia, for the screen and for print (A4, its
 * own print styles): the summary, a map of the kecamatan by percent complete with the SOPD on it,
 * progress per kecamatan, the SOPD, the milestones and their reviews, the savings with their basis.
 */
import { MILESTONE_CATEGORY_LABELS, MILESTONE_STATE_LABELS, type RolloutReport } from '@serat/contract';
import { escapeXml } from '../export/xml-escape';
import { CHOROPLETH_CLASSES, classColor, day, km, moment, momentDay, NO_SCOPE, number, percent, rupiah, sitesOf, VERDICT_WORDS } from './report-format';
import { projectMap, svgPath } from './report-map';

const e = (text: string | number | null | undefined) => escapeXml(text === null || text === undefined ? '—' : String(text));

/** The title a report goes by, with its region (and phase). */
export function reportTitle(report: RolloutReport): string {
  return `Laporan Kemajuan Pembangunan Jaringan Serat Optik — ${report.regionName}${report.phase ? ` — ${report.phase.name}` : ''}`;
}

function mapSvg(report: RolloutReport): string {
  const map = projectMap(report.outlines, { width: 720, height: 460, padding: 10 });
  const byCode = new Map(report.kecamatan.map((area) => [area.code, area]));
  const areas = map.areas
    .map((area) => {
      const progress = byCode.get(area.code);
      const value = progress?.percentBySites ?? null;
      const title = `${progress?.name ?? area.code}: ${percent(value)}`;
      return `<path d="${svgPath(area.rings)}" fill="${classColor(value)}" fill-rule="evenodd" stroke="#5b6b7a" stroke-width="0.8" data-code="${e(area.code)}" data-percent="${value ?? ''}"><title>${e(title)}</title></path>`;
    })
    .join('\n');
  const sites = report.sopd
    .map((site) => {
      const [x, y] = map.project(site.lon, site.lat);
      return `<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="3.2" fill="${site.connected ? '#1f6fb2' : '#ffffff'}" stroke="#1b2631" stroke-width="0.9"><title>${e(site.name)}: ${site.connected ? 'terhubung' : 'belum terhubung'}</title></circle>`;
    })
    .join('\n');
  return `<svg class="map" viewBox="0 0 ${map.width} ${map.height}" role="img" aria-label="Peta kecamatan menurut persen lokasi terhubung, dengan SOPD">
${areas}
${sites}
</svg>`;
}

function legend(): string {
  const swatch = (color: string, label: string) => `<li><span class="swatch" style="background:${color}"></span>${e(label)}</li>`;
  return `<ul class="legend">
${CHOROPLETH_CLASSES.map((c) => swatch(c.color, c.label)).join('\n')}
${swatch(NO_SCOPE.color, NO_SCOPE.label)}
<li><span class="dot dot--on"></span>SOPD terhubung</li>
<li><span class="dot"></span>SOPD belum terhubung</li>
</ul>`;
}

export function renderReportHtml(report: RolloutReport, links: { pdf: string | null } = { pdf: null }): string {
  const { region, savings } = report;
  const sopd = sitesOf(region, 'sopd');
  const kantor = sitesOf(region, 'kantor_kecamatan');
  const bill = savings.sopd;
  const perMonth = bill.sitesWithBill ? bill.ispBillPerMonthIdr / bill.sitesWithBill : 0;
  const tiles: [string, string, string][] = [
    ['SOPD terhubung', `${number(sopd.connected)} dari ${number(sopd.inScope)}`, ''],
    ['Kantor kecamatan terhubung', `${number(kantor.connected)} dari ${number(kantor.inScope)}`, ''],
    ['Kabel aktif', percent(region.percentByLength), `${km(region.lengthActiveM)} dari ${km(region.lengthInScopeM)}`],
    ['Lokasi terlewati kabel', number(region.sitesPassed), `belum terhubung, dalam ${number(report.passedDistanceM)} m dari kabel aktif`],
  ];
  const kecamatanRows = report.kecamatan
    .map(
      (area) =>
        `<tr><th scope="row">${e(area.name)}</th><td class="num">${number(area.sitesConnected)} / ${number(area.sitesInScope)}</td><td class="num">${percent(area.percentBySites)}</td><td class="num">${km(area.lengthActiveM)} / ${km(area.lengthInScopeM)}</td><td class="num">${percent(area.percentByLength)}</td></tr>`,
    )
    .join('\n');
  const sopdRows = report.sopd
    .map(
      (site) =>
        `<tr><td>${e(site.code)}</td><td>${e(site.name)}</td><td>${e(site.kecamatanName)}</td><td>${site.connected ? 'Terhubung' : 'Belum'}</td><td>${site.connected ? e(momentDay(site.wentLiveAt, report.timeZone)) : '—'}</td></tr>`,
    )
    .join('\n');
  const milestoneRows = report.milestones
    .map(({ milestone, lastReview }) => {
      const ev = milestone.evaluation;
      const unit = ev.unit === 'km' ? ' km' : ' %';
      const value =
        milestone.criterion === 'manual'
          ? milestone.manualDoneOn
            ? `selesai ${day(milestone.manualDoneOn)}`
            : 'belum'
          : `${number(ev.value, 1)}${unit} dari ${number(ev.target, 1)}${unit}`;
      const review = lastReview
        ? `${VERDICT_WORDS[lastReview.verdict]} oleh ${e(lastReview.authorLabel)}, ${e(momentDay(lastReview.createdAt, report.timeZone))}: “${e(lastReview.body.length > 200 ? `${lastReview.body.slice(0, 200)}…` : lastReview.body)}”`
        : 'Belum ditinjau';
      return `<tr><td>${e(milestone.code)}</td><td>${e(milestone.title)}<br><span class="muted">${e(MILESTONE_CATEGORY_LABELS.id[milestone.category])}</span></td><td>${e(day(milestone.targetDate))}</td><td>${e(MILESTONE_STATE_LABELS.id[ev.state])}${ev.achievedOn ? `<br><span class="muted">${e(day(ev.achievedOn))}</span>` : ''}</td><td class="num">${e(value)}</td><td>${review}</td></tr>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="id">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(reportTitle(report))}</title>
<style>
  :root { color-scheme: light; }
  body { font-family: 'DejaVu Sans', 'Segoe UI', Arial, sans-serif; color: #1b2631; margin: 0 auto; max-width: 980px; padding: 24px; font-size: 11pt; line-height: 1.4; }
  header h1 { font-size: 17pt; margin: 0 0 4px; } .muted { color: #4a5866; font-size: 9pt; }
  h2 { font-size: 13pt; margin: 26px 0 8px; padding-bottom: 3px; border-bottom: 2px solid #1f6fb2; break-after: avoid; }
  .tiles { display: grid; grid-template-columns: repeat(4, 1fr); gap: 10px; }
  .tile { border: 1px solid #ccd3da; border-radius: 6px; padding: 8px 10px; } .tile strong { display: block; font-size: 15pt; }
  table { width: 100%; border-collapse: collapse; font-size: 10pt; } th, td { text-align: left; vertical-align: top; padding: 4px 6px; border-bottom: 1px solid #e3e8ed; }
  thead th { background: #eef3f8; font-weight: 600; } tbody th { font-weight: normal; } .num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
  .map { width: 100%; height: auto; border: 1px solid #ccd3da; background: #f7f9fb; }
  .legend { list-style: none; padding: 0; margin: 6px 0 0; display: flex; flex-wrap: wrap; gap: 4px 14px; font-size: 9pt; }
  .swatch { display: inline-block; width: 14px; height: 10px; border: 1px solid #5b6b7a; margin-right: 5px; vertical-align: -1px; }
  .dot { display: inline-block; width: 8px; height: 8px; border-radius: 50%; border: 1px solid #1b2631; background: #fff; margin-right: 5px; } .dot--on { background: #1f6fb2; }
  .actions { margin: 10px 0; } .actions a { color: #1f6fb2; }
  @media (max-width: 640px) { .tiles { grid-template-columns: repeat(2, 1fr); } body { padding: 12px; } table { font-size: 9pt; } }
  @page { size: A4; margin: 16mm 14mm; }
  @media print { body { max-width: none; padding: 0; font-size: 10pt; } .actions { display: none; } tr, .tile, svg { break-inside: avoid; } h2 { break-after: avoid; } }
</style>
</head>
<body>
<header>
<p class="muted">Dinas Komunikasi dan Informatika · ${e(report.regionName)}</p>
<h1>${e(reportTitle(report))}</h1>
<p class="muted">Keadaan ${e(moment(report.generatedAt, report.timeZone))}. Angka dihitung Serat dari data jaringan saat laporan dibuat.</p>
${links.pdf ? `<p class="actions"><a href="${e(links.pdf)}">Unduh PDF</a> · cetak halaman ini dengan Ctrl+P (A4)</p>` : ''}
</header>

<section aria-labelledby="ringkasan"><h2 id="ringkasan">Ringkasan</h2>
<div class="tiles">
${tiles.map(([label, value, detail]) => `<div class="tile"><span class="muted">${e(label)}</span><strong>${e(value)}</strong>${detail ? `<span class="muted">${e(detail)}</span>` : ''}</div>`).join('\n')}
</div></section>

<section aria-labelledby="peta"><h2 id="peta">Peta kemajuan per kecamatan</h2>
<p class="muted">Warna: persen lokasi dalam lingkup yang terhubung di tiap kecamatan.</p>
${mapSvg(report)}
${legend()}
</section>

<section aria-labelledby="kecamatan"><h2 id="kecamatan">Kemajuan per kecamatan</h2>
<table><thead><tr><th scope="col">Kecamatan</th><th scope="col" class="num">Lokasi terhubung</th><th scope="col" class="num">%</th><th scope="col" class="num">Kabel aktif</th><th scope="col" class="num">%</th></tr></thead>
<tbody>
${kecamatanRows}
</tbody></table></section>

<section aria-labelledby="sopd"><h2 id="sopd">SOPD (${number(sopd.connected)} dari ${number(sopd.inScope)} terhubung)</h2>
<table><thead><tr><th scope="col">Kode</th><th scope="col">SOPD</th><th scope="col">Kecamatan</th><th scope="col">Status</th><th scope="col">Terhubung sejak</th></tr></thead>
<tbody>
${sopdRows}
</tbody></table></section>

<section aria-labelledby="tonggak"><h2 id="tonggak">Tonggak capaian dan tinjauan mentor</h2>
${
  report.milestones.length
    ? `<table><thead><tr><th scope="col">Kode</th><th scope="col">Tonggak</th><th scope="col">Target</th><th scope="col">Status</th><th scope="col" class="num">Capaian</th><th scope="col">Tinjauan terakhir</th></tr></thead>
<tbody>
${milestoneRows}
</tbody></table>${report.milestonesTotal > report.milestones.length ? `<p class="muted">${number(report.milestones.length)} tonggak pertama menurut target dari ${number(report.milestonesTotal)}.</p>` : ''}`
    : '<p>Belum ada tonggak capaian.</p>'
}
</section>

<section aria-labelledby="hemat"><h2 id="hemat">Penghematan biaya internet SOPD</h2>
<table><tbody>
<tr><th scope="row">Tagihan ISP ${number(bill.sitesInScope)} SOPD per tahun</th><td class="num">${rupiah(bill.ispBillPerYearIdr)}</td><td class="muted">${number(bill.sitesWithBill)} × ${rupiah(perMonth)} per bulan × 12</td></tr>
<tr><th scope="row">Hemat per bulan sekarang</th><td class="num">${rupiah(bill.savingPerMonthIdr)}</td><td class="muted">${number(bill.sitesConnected)} SOPD terhubung; biaya fiber ${number(savings.fiberCostShare * 100)} % dari tagihan</td></tr>
<tr><th scope="row">Sudah dihemat</th><td class="num">${rupiah(bill.savedToDateIdr)}</td><td class="muted">sejak tiap SOPD terhubung</td></tr>
<tr><th scope="row">Potensi hemat per tahun</th><td class="num">${rupiah(bill.potentialSavingPerYearIdr)}</td><td class="muted">bila ke-${number(bill.sitesInScope)} SOPD terhubung</td></tr>
</tbody></table></section>

<section aria-labelledby="uptime"><h2 id="uptime">Ketersediaan layanan (uptime)</h2>
<p>Pemantauan uptime SOPD belum berjalan; bagian ini akan berisi ketersediaan tiap SOPD setelah pemantauan aktif.</p>
</section>

<p class="muted">Dibuat oleh Serat, ${e(moment(report.generatedAt, report.timeZone))}.</p>
</body>
</html>
`;
}
