/**
 * The rollout report as a PDF made on the server without a browser (PDFKit): A4, the same
 * sections as the HTML, the map drawn as vector paths, page numbers at the foot.
 */
import { MILESTONE_CATEGORY_LABELS, MILESTONE_STATE_LABELS, type RolloutReport } from '@serat/contract';
import { CHOROPLETH_CLASSES, classColor, day, km, moment, momentDay, NO_SCOPE, number, percent, rupiah, sitesOf, VERDICT_WORDS } from './report-format';
import { reportTitle } from './report-html';
import { projectMap } from './report-map';

const MARGIN = 40;
const INK = '#1b2631';
const MUTED = '#4a5866';
const RULE = '#ccd3da';
const ACCENT = '#1f6fb2';

/** The standard PDF fonts write WinAnsi: what is outside it is spelled with what is inside. */
const SPELLED: Record<string, string> = { '→': '->', '←': '<-', '≥': '>=', '≤': '<=', '\u00a0': ' ', '\u202f': ' ' };
function safe(text: string): string {
  return text.replace(/[^\n\x20-\x7e\u00a0-\u00ff\u2013\u2014\u2018\u2019\u201c\u201d\u2022\u2026\u20ac\u00d7]/g, (char) => SPELLED[char] ?? '?');
}

interface Column {
  label: string;
  width: number;
  align?: 'left' | 'right';
}

/** Writes a report; resolves with the PDF's bytes. PDFKit is loaded on first use (it is large, and needs Node's TextEncoder). */
export async function renderReportPdf(report: RolloutReport): Promise<Buffer> {
  const { default: PDFDocument } = await import('pdfkit');
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, bottom: MARGIN + 14, left: MARGIN, right: MARGIN },
    bufferPages: true,
    info: { Title: safe(reportTitle(report)), Author: 'Serat', Creator: 'Serat' },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const width = doc.page.width - 2 * MARGIN;
  const bottom = () => doc.page.height - MARGIN - 14;
  const text = (value: string, options: PDFKit.Mixins.TextOptions = {}) => doc.text(safe(value), options);
  const ensure = (height: number) => {
    if (doc.y + height > bottom()) doc.addPage();
  };
  const heading = (title: string) => {
    ensure(60);
    doc.moveDown(0.8);
    doc.font('Helvetica-Bold').fontSize(13).fillColor(INK);
    text(title, { width });
    const y = doc.y + 2;
    doc
      .moveTo(MARGIN, y)
      .lineTo(MARGIN + width, y)
      .lineWidth(1.5)
      .strokeColor(ACCENT)
      .stroke();
    doc.y = y + 6;
    doc.font('Helvetica').fontSize(10).fillColor(INK);
  };
  /** A table that continues on the next page, its header repeated. */
  const table = (columns: Column[], rows: string[][]) => {
    const pad = 4;
    const drawRow = (cells: string[], header: boolean) => {
      doc.font(header ? 'Helvetica-Bold' : 'Helvetica').fontSize(9);
      const height = Math.max(...cells.map((cell, i) => doc.heightOfString(safe(cell), { width: columns[i].width - 2 * pad }))) + 2 * pad;
      if (doc.y + height > bottom()) {
        doc.addPage();
        if (!header)
          drawRow(
            columns.map((c) => c.label),
            true,
          );
        doc.font(header ? 'Helvetica-Bold' : 'Helvetica').fontSize(9);
      }
      const top = doc.y;
      if (header) doc.rect(MARGIN, top, width, height).fill('#eef3f8');
      let x = MARGIN;
      doc.fillColor(INK);
      cells.forEach((cell, i) => {
        doc.text(safe(cell), x + pad, top + pad, { width: columns[i].width - 2 * pad, align: columns[i].align ?? 'left' });
        x += columns[i].width;
      });
      doc
        .moveTo(MARGIN, top + height)
        .lineTo(MARGIN + width, top + height)
        .lineWidth(0.5)
        .strokeColor(RULE)
        .stroke();
      doc.x = MARGIN;
      doc.y = top + height;
    };
    drawRow(
      columns.map((c) => c.label),
      true,
    );
    for (const row of rows) drawRow(row, false);
    doc.font('Helvetica').fontSize(10);
  };
  const scaled = (fractions: number[]) => fractions.map((f) => f * width);

  // Title.
  doc.font('Helvetica').fontSize(9).fillColor(MUTED);
  text(`Dinas Komunikasi dan Informatika · ${report.regionName}`);
  doc.font('Helvetica-Bold').fontSize(16).fillColor(INK);
  text(reportTitle(report), { width });
  doc.font('Helvetica').fontSize(9).fillColor(MUTED);
  text(`Keadaan ${moment(report.generatedAt, report.timeZone)}. Angka dihitung Serat dari data jaringan saat laporan dibuat.`, { width });

  // Summary tiles.
  heading('Ringkasan');
  const { region, savings } = report;
  const sopd = sitesOf(region, 'sopd');
  const kantor = sitesOf(region, 'kantor_kecamatan');
  const tiles: [string, string, string][] = [
    ['SOPD terhubung', `${number(sopd.connected)} dari ${number(sopd.inScope)}`, ''],
    ['Kantor kecamatan terhubung', `${number(kantor.connected)} dari ${number(kantor.inScope)}`, ''],
    ['Kabel aktif', percent(region.percentByLength), `${km(region.lengthActiveM)} dari ${km(region.lengthInScopeM)}`],
    ['Lokasi terlewati kabel', number(region.sitesPassed), `dalam ${number(report.passedDistanceM)} m dari kabel aktif`],
  ];
  const tileWidth = (width - 3 * 8) / 4;
  const tileTop = doc.y;
  tiles.forEach(([label, value, detail], i) => {
    const x = MARGIN + i * (tileWidth + 8);
    doc.roundedRect(x, tileTop, tileWidth, 62, 4).lineWidth(0.8).strokeColor(RULE).stroke();
    doc
      .font('Helvetica')
      .fontSize(8)
      .fillColor(MUTED)
      .text(safe(label), x + 6, tileTop + 6, { width: tileWidth - 12 });
    doc
      .font('Helvetica-Bold')
      .fontSize(14)
      .fillColor(INK)
      .text(safe(value), x + 6, tileTop + 24, { width: tileWidth - 12 });
    if (detail)
      doc
        .font('Helvetica')
        .fontSize(7.5)
        .fillColor(MUTED)
        .text(safe(detail), x + 6, tileTop + 44, { width: tileWidth - 12 });
  });
  doc.x = MARGIN;
  doc.y = tileTop + 70;

  // The map.
  heading('Peta kemajuan per kecamatan');
  doc.fontSize(8.5).fillColor(MUTED);
  text('Warna: persen lokasi dalam lingkup yang terhubung di tiap kecamatan.');
  const mapHeight = 330;
  ensure(mapHeight + 40);
  const mapTop = doc.y + 4;
  const map = projectMap(report.outlines, { width, height: mapHeight, padding: 8 });
  doc.rect(MARGIN, mapTop, width, mapHeight).fillAndStroke('#f7f9fb', RULE);
  const byCode = new Map(report.kecamatan.map((area) => [area.code, area]));
  for (const area of map.areas) {
    for (const [i, ring] of area.rings.entries()) {
      ring.forEach(([x, y], j) => (j === 0 ? doc.moveTo(MARGIN + x, mapTop + y) : doc.lineTo(MARGIN + x, mapTop + y)));
      doc.closePath();
      if (i === area.rings.length - 1) {
        doc
          .lineWidth(0.6)
          .fillColor(classColor(byCode.get(area.code)?.percentBySites ?? null))
          .strokeColor('#5b6b7a')
          .fillAndStroke(undefined, undefined, 'even-odd');
      }
    }
  }
  for (const site of report.sopd) {
    const [x, y] = map.project(site.lon, site.lat);
    doc
      .circle(MARGIN + x, mapTop + y, 2.6)
      .lineWidth(0.7)
      .fillColor(site.connected ? ACCENT : '#ffffff')
      .strokeColor(INK)
      .fillAndStroke();
  }
  // Legend.
  let lx = MARGIN;
  let ly = mapTop + mapHeight + 6;
  doc.font('Helvetica').fontSize(7.5);
  // Left to right, on as many lines as it takes.
  const legendItem = (draw: (x: number, y: number) => void, label: string) => {
    const labelWidth = doc.widthOfString(safe(label));
    if (lx + 14 + labelWidth > MARGIN + width) {
      lx = MARGIN;
      ly += 12;
    }
    draw(lx, ly);
    doc.fillColor(INK).text(safe(label), lx + 14, ly + 1, { lineBreak: false });
    lx += 14 + labelWidth + 12;
  };
  for (const c of [...CHOROPLETH_CLASSES, NO_SCOPE]) {
    legendItem((x, y) => doc.rect(x, y, 10, 8).lineWidth(0.5).fillColor(c.color).strokeColor('#5b6b7a').fillAndStroke(), c.label);
  }
  for (const [on, label] of [
    [true, 'SOPD terhubung'],
    [false, 'SOPD belum terhubung'],
  ] as const) {
    legendItem(
      (x, y) =>
        doc
          .circle(x + 5, y + 4, 3)
          .lineWidth(0.7)
          .fillColor(on ? ACCENT : '#ffffff')
          .strokeColor(INK)
          .fillAndStroke(),
      label,
    );
  }
  doc.x = MARGIN;
  doc.y = ly + 16;

  // Per kecamatan.
  heading('Kemajuan per kecamatan');
  const right = 'right' as const;
  table(
    [
      { label: 'Kecamatan', width: width * 0.32 },
      { label: 'Lokasi terhubung', width: width * 0.17, align: right },
      { label: '%', width: width * 0.1, align: right },
      { label: 'Kabel aktif', width: width * 0.29, align: right },
      { label: '%', width: width * 0.12, align: right },
    ],
    report.kecamatan.map((area) => [
      area.name,
      `${number(area.sitesConnected)} / ${number(area.sitesInScope)}`,
      percent(area.percentBySites),
      `${km(area.lengthActiveM)} / ${km(area.lengthInScopeM)}`,
      percent(area.percentByLength),
    ]),
  );

  // The SOPD.
  heading(`SOPD (${number(sopd.connected)} dari ${number(sopd.inScope)} terhubung)`);
  const [c1, c2, c3, c4, c5] = scaled([0.14, 0.4, 0.18, 0.12, 0.16]);
  table(
    [
      { label: 'Kode', width: c1 },
      { label: 'SOPD', width: c2 },
      { label: 'Kecamatan', width: c3 },
      { label: 'Status', width: c4 },
      { label: 'Terhubung sejak', width: c5 },
    ],
    report.sopd.map((site) => [
      site.code,
      site.name,
      site.kecamatanName ?? '—',
      site.connected ? 'Terhubung' : 'Belum',
      site.connected ? momentDay(site.wentLiveAt, report.timeZone) : '—',
    ]),
  );

  // Milestones and their reviews.
  heading('Tonggak capaian dan tinjauan mentor');
  if (report.milestones.length === 0) {
    text('Belum ada tonggak capaian.');
  } else {
    const [m1, m2, m3, m4, m5, m6] = scaled([0.14, 0.22, 0.12, 0.12, 0.13, 0.27]);
    table(
      [
        { label: 'Kode', width: m1 },
        { label: 'Tonggak', width: m2 },
        { label: 'Target', width: m3 },
        { label: 'Status', width: m4 },
        { label: 'Capaian', width: m5, align: right },
        { label: 'Tinjauan terakhir', width: m6 },
      ],
      report.milestones.map(({ milestone, lastReview }) => {
        const ev = milestone.evaluation;
        const unit = ev.unit === 'km' ? ' km' : ' %';
        return [
          milestone.code,
          `${milestone.title}\n${MILESTONE_CATEGORY_LABELS.id[milestone.category]}`,
          day(milestone.targetDate),
          `${MILESTONE_STATE_LABELS.id[ev.state]}${ev.achievedOn ? `\n${day(ev.achievedOn)}` : ''}`,
          milestone.criterion === 'manual'
            ? milestone.manualDoneOn
              ? `selesai ${day(milestone.manualDoneOn)}`
              : 'belum'
            : `${number(ev.value, 1)}${unit} dari ${number(ev.target, 1)}${unit}`,
          lastReview
            ? `${VERDICT_WORDS[lastReview.verdict]} oleh ${lastReview.authorLabel}, ${momentDay(lastReview.createdAt, report.timeZone)}: "${lastReview.body.length > 160 ? `${lastReview.body.slice(0, 160)}…` : lastReview.body}"`
            : 'Belum ditinjau',
        ];
      }),
    );
    if (report.milestonesTotal > report.milestones.length) {
      doc.fontSize(8.5).fillColor(MUTED);
      text(`${number(report.milestones.length)} tonggak pertama menurut target dari ${number(report.milestonesTotal)}.`);
    }
  }

  // Savings.
  heading('Penghematan biaya internet SOPD');
  const bill = savings.sopd;
  const perMonth = bill.sitesWithBill ? bill.ispBillPerMonthIdr / bill.sitesWithBill : 0;
  const [s1, s2, s3] = scaled([0.38, 0.22, 0.4]);
  table(
    [
      { label: 'Pos', width: s1 },
      { label: 'Jumlah', width: s2, align: right },
      { label: 'Dasar perhitungan', width: s3 },
    ],
    [
      [`Tagihan ISP ${number(bill.sitesInScope)} SOPD per tahun`, rupiah(bill.ispBillPerYearIdr), `${number(bill.sitesWithBill)} × ${rupiah(perMonth)} per bulan × 12`],
      [
        'Hemat per bulan sekarang',
        rupiah(bill.savingPerMonthIdr),
        `${number(bill.sitesConnected)} SOPD terhubung; biaya fiber ${number(savings.fiberCostShare * 100)} % dari tagihan`,
      ],
      ['Sudah dihemat', rupiah(bill.savedToDateIdr), 'sejak tiap SOPD terhubung'],
      ['Potensi hemat per tahun', rupiah(bill.potentialSavingPerYearIdr), `bila ke-${number(bill.sitesInScope)} SOPD terhubung`],
    ],
  );

  heading('Ketersediaan layanan (uptime)');
  text('Pemantauan uptime SOPD belum berjalan; bagian ini akan berisi ketersediaan tiap SOPD setelah pemantauan aktif.', { width });

  // Page numbers at the foot of every page.
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // Below the bottom margin: without this PDFKit would start a new page for the line.
    doc.page.margins.bottom = 0;
    doc
      .font('Helvetica')
      .fontSize(7.5)
      .fillColor(MUTED)
      .text(safe(`Serat · ${report.regionName} · ${moment(report.generatedAt, report.timeZone)} · halaman ${i + 1} dari ${range.count}`), MARGIN, doc.page.height - MARGIN, {
        width,
        align: 'center',
        lineBreak: false,
      });
  }
  doc.end();
  return done;
}
