import { Controller, Get, Inject, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { SERAT_CONFIG, SeratConfig } from '@serat/config';
import { MILESTONE_CATEGORY_LABELS, MILESTONE_STATE_LABELS, REVIEW_STATUS_LABELS, type AreaProgress, type AreaSavings, type ProgressLevel } from '@serat/contract';
import { ProgressRepository, ProgressSettings, RolloutReportService } from '@serat/domain';
import { renderReportHtml, renderReportPdf, toCsvTable } from '@serat/geo';
import { ADMIN_LEVELS, NETWORK_STATUSES, SITE_KINDS } from '@serat/vocabulary';
import type { Response } from 'express';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { Access } from '../auth/access';

/** Areas one report may list: every desa of a province is a few thousand. */
export const MAX_REPORT_AREAS = 20000;

const level = z
  .enum(['region', ...ADMIN_LEVELS])
  .default('kecamatan')
  .describe('region, kabupaten, kecamatan or desa');
const parent = z
  .string()
  .regex(/^\d{2}(\.\d{2}){0,2}$/, { error: 'must be a Kemendagri code like 62.02 or 62.02.05' })
  .optional()
  .describe('Only the areas inside this one');
const phase = z.uuid().optional().describe('Only what this phase contracts');
const reportQuery = z.object({ level, parent, phase });
class ReportQueryDto extends createZodDto(reportQuery) {}
const savingsReportQuery = reportQuery.extend({ kind: z.enum(SITE_KINDS).optional().describe('Only sites of this kind (e.g. sopd)') });
class SavingsReportQueryDto extends createZodDto(savingsReportQuery) {}
const rolloutReportQuery = z.object({ phase });
class RolloutReportQueryDto extends createZodDto(rolloutReportQuery) {}

/** Every area of a level, page by page, up to the bound. */
async function everyArea<T>(read: (after: string | null) => Promise<{ areas: T[]; nextCursor: string | null }>): Promise<T[]> {
  const all: T[] = [];
  let after: string | null = null;
  do {
    const page = await read(after);
    all.push(...page.areas);
    after = page.nextCursor;
  } while (after !== null && all.length < MAX_REPORT_AREAS);
  return all.slice(0, MAX_REPORT_AREAS);
}

function sendCsv(response: Response, name: string, csv: string): string {
  response.setHeader('Content-Type', 'text/csv; charset=utf-8');
  response.setHeader('Content-Disposition', `attachment; filename="${name}"`);
  return csv;
}

/** The roll-ups as files a Diskominfo opens in a spreadsheet or hands on. */
@ApiTags('progress')
@Controller('reports')
export class ReportsController {
  constructor(
    private readonly progress: ProgressRepository,
    private readonly rollout: RolloutReportService,
    @Inject(SERAT_CONFIG) private readonly config: SeratConfig,
  ) {}

  private get settings(): ProgressSettings {
    return { ...this.config.progress, regionName: this.config.region.name };
  }

  @Get('progress.csv')
  @Access('signed-in')
  @ApiProduces('text/csv')
  @ApiOperation({ summary: 'The progress of every area of a level as CSV: sites in scope, connected and passed per kind, metres per status, the percentages' })
  @ApiOkResponse({ description: 'text/csv (UTF-8 with BOM), one row per area' })
  async progressCsv(@Query() query: ReportQueryDto, @Res({ passthrough: true }) response: Response): Promise<string> {
    const areas = await everyArea<AreaProgress>((after) =>
      this.progress.progress({ level: query.level, parentCode: query.parent ?? null, phaseId: query.phase ?? null, after, limit: 500 }, this.settings),
    );
    const header = [
      'level',
      'code',
      'name',
      'parent_code',
      'sites_in_scope',
      'sites_connected',
      'sites_passed',
      'percent_by_sites',
      'length_in_scope_m',
      'length_active_m',
      'percent_by_length',
      ...SITE_KINDS.flatMap((kind) => [`${kind}_in_scope`, `${kind}_connected`, `${kind}_passed`]),
      ...NETWORK_STATUSES.map((status) => `${status}_m`),
    ];
    const rows = areas.map((area) => {
      const kinds = new Map(area.sites.map((site) => [site.kind, site]));
      const statuses = new Map(area.segments.map((segment) => [segment.status, segment.lengthM]));
      return [
        area.level,
        area.code,
        area.name,
        area.parentCode,
        area.sitesInScope,
        area.sitesConnected,
        area.sitesPassed,
        area.percentBySites,
        area.lengthInScopeM,
        area.lengthActiveM,
        area.percentByLength,
        ...SITE_KINDS.flatMap((kind) => [kinds.get(kind)?.inScope ?? 0, kinds.get(kind)?.connected ?? 0, kinds.get(kind)?.passed ?? 0]),
        ...NETWORK_STATUSES.map((status) => statuses.get(status) ?? 0),
      ];
    });
    return sendCsv(response, `kemajuan-${query.level}.csv`, toCsvTable(header, rows));
  }

  @Get('savings.csv')
  @Access('signed-in')
  @ApiProduces('text/csv')
  @ApiOperation({ summary: 'What the sites of every area of a level cost in ISP bills and save on fiber, as CSV (whole Rupiah)' })
  @ApiOkResponse({ description: 'text/csv (UTF-8 with BOM), one row per area' })
  async savingsCsv(@Query() query: SavingsReportQueryDto, @Res({ passthrough: true }) response: Response): Promise<string> {
    const level: ProgressLevel = query.level;
    const areas = await everyArea<AreaSavings>((after) =>
      this.progress.savings({ level, parentCode: query.parent ?? null, phaseId: query.phase ?? null, kind: query.kind ?? null, after, limit: 500 }, this.settings),
    );
    const columns = [
      'sitesInScope',
      'sitesWithBill',
      'sitesConnected',
      'ispBillPerMonthIdr',
      'ispBillPerYearIdr',
      'fiberCostPerMonthIdr',
      'savingPerMonthIdr',
      'savingPerYearIdr',
      'savedToDateIdr',
      'potentialSavingPerYearIdr',
    ] as const;
    const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    const header = ['level', 'code', 'name', 'parent_code', 'kind', 'fiber_cost_share', ...columns.map(snake)];
    const rows = areas.map((area) => [area.level, area.code, area.name, area.parentCode, query.kind ?? null, this.config.progress.fiberCostShare, ...columns.map((c) => area[c])]);
    return sendCsv(response, `penghematan-${level}${query.kind ? `-${query.kind}` : ''}.csv`, toCsvTable(header, rows));
  }

  @Get('milestones.csv')
  @Access('signed-in')
  @ApiProduces('text/csv')
  @ApiOperation({ summary: 'Every milestone (of a phase) as CSV: criterion, target, progress, state, forecast, evidence asked for, where its review stands and the latest review' })
  @ApiOkResponse({ description: 'text/csv (UTF-8 with BOM), one row per milestone, by target date' })
  async milestonesCsv(@Query() query: RolloutReportQueryDto, @Res({ passthrough: true }) response: Response): Promise<string> {
    const report = await this.rollout.build(query.phase ?? null);
    const header = [
      'code',
      'title',
      'category',
      'category_label',
      'phase_code',
      'area_code',
      'area_name',
      'criterion',
      'target_value',
      'site_kind',
      'target_date',
      'value',
      'target',
      'unit',
      'progress_percent',
      'state',
      'state_label',
      'achieved_on',
      'forecast_date',
      'forecast_rate_per_day',
      'forecast_window_days',
      'required_evidence',
      'manual_done_on',
      'review_status',
      'review_status_label',
      'review_entries',
      'last_review_verdict',
      'last_review_by',
      'last_review_at',
      'last_review',
    ];
    const rows = report.milestones.map(({ milestone: m, lastReview }) => [
      m.code,
      m.title,
      m.category,
      MILESTONE_CATEGORY_LABELS.id[m.category],
      m.phaseCode,
      m.areaCode,
      m.areaName,
      m.criterion,
      m.targetValue,
      m.siteKind,
      m.targetDate,
      m.evaluation.value,
      m.evaluation.target,
      m.evaluation.unit,
      m.evaluation.progressPercent,
      m.evaluation.state,
      MILESTONE_STATE_LABELS.id[m.evaluation.state],
      m.evaluation.achievedOn,
      m.evaluation.forecast?.date ?? null,
      m.evaluation.forecast?.ratePerDay ?? null,
      m.evaluation.forecast?.windowDays ?? null,
      m.requiredEvidence.join(' '),
      m.manualDoneOn,
      m.review.status,
      REVIEW_STATUS_LABELS.id[m.review.status],
      m.review.entries,
      lastReview?.verdict ?? null,
      lastReview?.authorLabel ?? null,
      lastReview?.createdAt ?? null,
      lastReview?.body ?? null,
    ]);
    return sendCsv(response, 'tonggak-capaian.csv', toCsvTable(header, rows));
  }

  @Get('progress.html')
  @Access('signed-in')
  @ApiProduces('text/html')
  @ApiOperation({
    summary:
      'The rollout report for the Bupati or the DPRD, in Bahasa Indonesia, as a page that prints on A4: progress per kecamatan with a map, the SOPD, milestones and their reviews, savings',
  })
  async progressHtml(@Query() query: RolloutReportQueryDto, @Res({ passthrough: true }) response: Response): Promise<string> {
    const report = await this.rollout.build(query.phase ?? null);
    response.setHeader('Content-Type', 'text/html; charset=utf-8');
    response.setHeader('Cache-Control', 'private, no-store');
    return renderReportHtml(report, { pdf: `progress.pdf${query.phase ? `?phase=${query.phase}` : ''}` });
  }

  @Get('progress.pdf')
  @Access('signed-in')
  @ApiProduces('application/pdf')
  @ApiOperation({ summary: 'The same report as a PDF, made on the server (the map drawn as vectors)' })
  async progressPdf(@Query() query: RolloutReportQueryDto, @Res() response: Response): Promise<void> {
    const report = await this.rollout.build(query.phase ?? null);
    const pdf = await renderReportPdf(report);
    // Written as it is: express's send would add a charset to a binary type.
    response.status(200);
    response.setHeader('Content-Type', 'application/pdf');
    response.setHeader('Content-Length', String(pdf.length));
    response.setHeader('Content-Disposition', `inline; filename="laporan-kemajuan-${report.generatedAt.slice(0, 10)}.pdf"`);
    response.setHeader('Cache-Control', 'private, no-store');
    response.end(pdf);
  }
}
