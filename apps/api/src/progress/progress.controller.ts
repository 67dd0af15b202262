import { Controller, Get, HttpCode, HttpStatus, Inject, Post, Query, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SERAT_CONFIG, SeratConfig } from '@serat/config';
import type { ProgressHistory, ProgressPage, SavingsPage, SiteSavingsPage, SnapshotTaken } from '@serat/contract';
import { DomainError, ProgressHistoryService, ProgressRepository, ProgressSettings } from '@serat/domain';
import { ADMIN_LEVELS, SITE_KINDS } from '@serat/vocabulary';
import type { Request, Response } from 'express';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { Access } from '../auth/access';
import { nextPageUrl } from '../http/page-query';
import { withValidator } from '../http/validator';

export const DEFAULT_PROGRESS_PAGE_SIZE = 100;
export const MAX_PROGRESS_PAGE_SIZE = 500;
export const DEFAULT_HISTORY_PAGE_SIZE = 1000;
export const MAX_HISTORY_PAGE_SIZE = 5000;

const AREA_CODE = /^\d{2}(\.\d{2}){0,2}(\.\d{4})?$/;
const day = z.iso.date({ error: 'must be a date YYYY-MM-DD' });

const level = z
  .enum(['region', ...ADMIN_LEVELS])
  .default('kecamatan')
  .describe('region (the whole network), kabupaten, kecamatan or desa');
const parent = z
  .string()
  .regex(/^\d{2}(\.\d{2}){0,2}$/, { error: 'must be a Kemendagri code like 62.02 or 62.02.05' })
  .optional()
  .describe('Only the areas inside this one (a kabupaten or a kecamatan), by Kemendagri code');
const phase = z.uuid().optional().describe('Only what this phase (work package) contracts; nodes have no phase, so they are empty then');
const limit = z.coerce.number().int().min(1).max(MAX_PROGRESS_PAGE_SIZE).default(DEFAULT_PROGRESS_PAGE_SIZE).describe(`Page size, at most ${MAX_PROGRESS_PAGE_SIZE}`);
const after = z.string().regex(AREA_CODE, { error: 'must be the code of an area (from `next`)' }).optional().describe('Cursor (from `next`)');
const kind = z.enum(SITE_KINDS).optional().describe('Only sites of this kind (e.g. sopd)');

const progressQuery = z.object({ level, parent, phase, limit, after });
class ProgressQueryDto extends createZodDto(progressQuery) {}
const savingsQuery = progressQuery.extend({ kind });
class SavingsQueryDto extends createZodDto(savingsQuery) {}
const siteSavingsQuery = z.object({
  area: z.string().regex(AREA_CODE, { error: 'must be a Kemendagri code like 62.02.05' }).optional().describe('Only the sites inside this kabupaten, kecamatan or desa'),
  phase,
  kind,
  limit,
  after: z.string().max(60).optional().describe('Cursor: the code of the last site of the previous page (from `next`)'),
});
class SiteSavingsQueryDto extends createZodDto(siteSavingsQuery) {}
const historyQuery = z.object({
  area: z
    .string()
    .regex(/^(\d{2}(\.\d{2}){1,2})?$/, { error: 'must be empty (the region) or the code of the kabupaten or a kecamatan, like 62.02.05' })
    .default('')
    .describe('The region (empty), the kabupaten or a kecamatan'),
  phase,
  from: day.optional().describe('The first day (YYYY-MM-DD); the day standing then comes first'),
  to: day.optional().describe('The last day (YYYY-MM-DD)'),
  limit: z.coerce.number().int().min(1).max(MAX_HISTORY_PAGE_SIZE).default(DEFAULT_HISTORY_PAGE_SIZE).describe(`Days per page, at most ${MAX_HISTORY_PAGE_SIZE}`),
  after: day.optional().describe('Cursor: the last day of the previous page (from `next`)'),
});
class HistoryQueryDto extends createZodDto(historyQuery) {}

const IF_NONE_MATCH = { name: 'If-None-Match', required: false, description: 'The ETag of the copy the client has: 304 without a body while the figures are the same' };

/** Rollout progress from the roll-ups: per area and phase, over time, and what it saves. */
@ApiTags('progress')
@Controller()
export class ProgressController {
  constructor(
    private readonly progress: ProgressRepository,
    private readonly history: ProgressHistoryService,
    @Inject(SERAT_CONFIG) private readonly config: SeratConfig,
  ) {}

  private get settings(): ProgressSettings {
    return { ...this.config.progress, regionName: this.config.region.name };
  }

  @Get('progress')
  @Access('signed-in')
  @ApiOperation({
    summary:
      'Progress of the region or of each area of a level: sites in scope, connected and passed per kind, metres per status, nodes per status, percent complete by sites and by length',
  })
  @ApiHeader(IF_NONE_MATCH)
  @ApiOkResponse({ description: 'ProgressPage { level, phaseId, passedDistanceM, areas, numberReturned, next }, with an ETag' })
  async list(@Query() query: ProgressQueryDto, @Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<ProgressPage | undefined> {
    const phaseId = query.phase ?? null;
    const page = await this.progress.progress({ level: query.level, parentCode: query.parent ?? null, phaseId, after: query.after ?? null, limit: query.limit }, this.settings);
    return withValidator<ProgressPage>(request, response, {
      level: query.level,
      phaseId,
      passedDistanceM: this.settings.passedDistanceM,
      areas: page.areas,
      numberReturned: page.areas.length,
      next: nextPageUrl(request, page.nextCursor),
    });
  }

  @Get('progress/history')
  @Access('signed-in')
  @ApiOperation({
    summary:
      'The days on which the figures of the region, the kabupaten or a kecamatan changed, oldest first, with now as the last point (the past is worked out of the status history the first time)',
  })
  @ApiOkResponse({
    description: 'ProgressHistory { area, level, phaseId, timeZone, points: [{day, source, sitesInScope, sitesConnected, lengthInScopeM, lengthActiveM, segments, sites}], next }',
  })
  async historyOf(@Query() query: HistoryQueryDto, @Req() request: Request): Promise<ProgressHistory> {
    const level = await this.progress.historyLevel(query.area);
    if (!level) throw new DomainError('HISTORY_NOT_KEPT', { code: query.area });
    await this.history.ensureBackfill();
    const phaseId = query.phase ?? null;
    const page = await this.progress.history({
      level,
      areaCode: query.area,
      phaseId,
      from: query.from ?? null,
      to: query.to ?? null,
      after: query.after ?? null,
      limit: query.limit,
    });
    const today = this.history.today();
    // Now closes the last page, when the range reaches today.
    if (page.nextCursor === null && (query.to === undefined || query.to >= today)) {
      const live = await this.progress.livePoint(level, query.area, phaseId, today);
      const last = page.points[page.points.length - 1];
      if (last?.day === today) page.points.pop();
      page.points.push(live);
    }
    return { area: query.area, level, phaseId, timeZone: this.history.timeZone, points: page.points, next: nextPageUrl(request, page.nextCursor) };
  }

  @Post('progress/snapshots')
  @HttpCode(HttpStatus.OK)
  @Access(['admin', 'planner'])
  @ApiOperation({ summary: "Record today's figures now (the daily job does it on its own); the first time, the past is worked out of the status history first" })
  @ApiOkResponse({ description: 'SnapshotTaken { day, rows, backfill: {days, rows, nodesDated} | null }' })
  snapshot(): Promise<SnapshotTaken> {
    return this.history.takeSnapshot('on_demand');
  }

  @Get('savings')
  @Access('signed-in')
  @ApiOperation({
    summary:
      'What the sites of the region or of each area cost in ISP bills and save on fiber: bill per month and year, fiber cost, saving per month and year, saved to date since each went live, potential',
  })
  @ApiHeader(IF_NONE_MATCH)
  @ApiOkResponse({ description: 'SavingsPage { level, phaseId, kind, fiberCostShare, areas, numberReturned, next }, with an ETag' })
  async savings(@Query() query: SavingsQueryDto, @Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<SavingsPage | undefined> {
    const phaseId = query.phase ?? null;
    const kindFilter = query.kind ?? null;
    const page = await this.progress.savings(
      { level: query.level, parentCode: query.parent ?? null, phaseId, kind: kindFilter, after: query.after ?? null, limit: query.limit },
      this.settings,
    );
    return withValidator<SavingsPage>(request, response, {
      level: query.level,
      phaseId,
      kind: kindFilter,
      fiberCostShare: this.settings.fiberCostShare,
      areas: page.areas,
      numberReturned: page.areas.length,
      next: nextPageUrl(request, page.nextCursor),
    });
  }

  @Get('savings/sites')
  @Access('signed-in')
  @ApiOperation({ summary: 'Each site by code with its ISP bill, fiber cost, when it went live and what it saved: the basis of the area figures' })
  @ApiOkResponse({ description: 'SiteSavingsPage { fiberCostShare, sites, numberReturned, next }' })
  async siteSavings(@Query() query: SiteSavingsQueryDto, @Req() request: Request): Promise<SiteSavingsPage> {
    const page = await this.progress.siteSavings(
      { areaCode: query.area ?? null, phaseId: query.phase ?? null, kind: query.kind ?? null, after: query.after ?? null, limit: query.limit },
      this.settings,
    );
    return { fiberCostShare: this.settings.fiberCostShare, sites: page.sites, numberReturned: page.sites.length, next: nextPageUrl(request, page.nextCursor) };
  }
}
