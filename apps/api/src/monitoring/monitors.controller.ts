import { Body, Controller, Delete, Get, Headers, HttpCode, HttpStatus, Param, Patch, Post, Query, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuditContext, INT4_MAX, INT8_MAX, MonitorFields, MonitorRow, MonitorsRepository, MonitorsService, OutageRow, ResultRow, textField, versionNumber } from '@serat/domain';
import type { Request } from 'express';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { Access } from '../auth/access';
import { Audit } from '../auth/request-auth';
import { ApiError } from '../http/api-error';
import { nextPageUrl } from '../http/page-query';
import { versionOf } from '../http/version-of';

export const MAX_MONITOR_PAGE_SIZE = 500;
export const MAX_RESULT_PAGE_SIZE = 1000;
const PLANNERS = ['admin', 'planner'] as const;

const monitorFields = {
  siteId: z.uuid(),
  name: textField(200).min(1),
  kind: z.enum(['tcp', 'http']).describe('tcp (target host:port) or http (target an http(s) URL)'),
  target: textField(2000).min(1).describe('host:port for tcp, http(s)://… for http'),
  httpMethod: z.enum(['GET', 'HEAD']).nullable().optional(),
  expectStatusMin: z.number().int().min(100).max(599).nullable().optional(),
  expectStatusMax: z.number().int().min(100).max(599).nullable().optional(),
  keyword: textField(200).nullable().optional().describe('Text the answer must hold (in its first 64 KiB)'),
  followRedirects: z.boolean().optional(),
  intervalS: z.number().int().min(1).max(86400).optional().describe('Seconds between checks (60 unless said; at least SERAT_MONITOR_MIN_INTERVAL_S)'),
  timeoutMs: z.number().int().min(100).max(60000).optional(),
  retries: z.number().int().min(0).max(5).optional(),
  paused: z.boolean().optional(),
};
const createBody = z.object(monitorFields);
class MonitorCreateDto extends createZodDto(createBody) {}
const updateBody = z.object(monitorFields).partial().extend({ version: versionNumber().optional() });
class MonitorUpdateDto extends createZodDto(updateBody) {}
const listQuery = z.object({
  site: z.uuid().optional().describe("Only this site's monitors"),
  limit: z.coerce.number().int().min(1).max(MAX_MONITOR_PAGE_SIZE).default(100),
  after: z
    .string()
    .regex(/^[^|]{1,100}\|[0-9a-f-]{36}$/, { error: 'must be the cursor from `next`' })
    .optional(),
});
class MonitorListQueryDto extends createZodDto(listQuery) {}
const resultsQuery = z.object({
  from: z.iso.datetime({ offset: true, error: 'must be a date and time (ISO 8601)' }).optional(),
  to: z.iso.datetime({ offset: true, error: 'must be a date and time (ISO 8601)' }).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_RESULT_PAGE_SIZE).default(200),
  before: z.iso.datetime({ offset: true, error: 'must be the cursor from `next`' }).optional(),
});
class MonitorResultsQueryDto extends createZodDto(resultsQuery) {}
const outagesQuery = z.object({
  open: z.enum(['true', 'false']).optional().describe('true: only the outages still going on'),
  monitor: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(MAX_MONITOR_PAGE_SIZE).default(100),
  before: z
    .string()
    .regex(/^\d{1,19}$/, { error: 'must be the cursor from `next`' })
    .refine((id) => !/^\d{1,19}$/.test(id) || BigInt(id) <= INT8_MAX, { error: 'must be the cursor from `next`' })
    .optional(),
});
class OutagesQueryDto extends createZodDto(outagesQuery) {}
const deleteQuery = z.object({ version: z.coerce.number().int().min(1).max(INT4_MAX).optional().describe('The version you read: refused with 409 when it changed since') });
class MonitorDeleteQueryDto extends createZodDto(deleteQuery) {}
const idParams = z.object({ id: z.uuid() });
class MonitorIdParams extends createZodDto(idParams) {}

function withDefaults(body: z.infer<typeof createBody>): MonitorFields {
  return {
    siteId: body.siteId,
    name: body.name,
    kind: body.kind,
    target: body.target,
    httpMethod: body.kind === 'http' ? (body.httpMethod ?? 'GET') : null,
    expectStatusMin: body.kind === 'http' ? (body.expectStatusMin ?? null) : null,
    expectStatusMax: body.kind === 'http' ? (body.expectStatusMax ?? body.expectStatusMin ?? null) : null,
    keyword: body.kind === 'http' ? (body.keyword ?? null) : null,
    followRedirects: body.followRedirects ?? true,
    intervalS: body.intervalS ?? 60,
    timeoutMs: body.timeoutMs ?? 10000,
    retries: body.retries ?? 0,
    paused: body.paused ?? false,
  };
}

/** Monitors of sites' endpoints (planners set them up), what their checks found, and the outages. */
@ApiTags('monitoring')
@Controller()
export class MonitorsController {
  constructor(
    private readonly monitors: MonitorsRepository,
    private readonly service: MonitorsService,
  ) {}

  @Get('monitors')
  @Access('signed-in')
  @ApiOperation({ summary: 'Monitors by site, each with its state now (unknown, up, down), whether it flaps, and its last check' })
  async list(@Query() query: MonitorListQueryDto, @Req() request: Request): Promise<{ monitors: MonitorRow[]; numberReturned: number; next: string | null }> {
    const page = await this.monitors.list({ siteId: query.site ?? null, limit: query.limit, after: query.after ?? null });
    return { monitors: page.monitors, numberReturned: page.monitors.length, next: nextPageUrl(request, page.nextCursor) };
  }

  @Post('monitors')
  @Access([...PLANNERS])
  @ApiOperation({ summary: 'Monitor an endpoint of a site: checked from its next slot on, by whichever worker takes it' })
  create(@Body() body: MonitorCreateDto, @Audit() audit: AuditContext): Promise<MonitorRow> {
    return this.service.create(withDefaults(body), audit);
  }

  @Get('monitors/:id')
  @Access('signed-in')
  async one(@Param() params: MonitorIdParams): Promise<MonitorRow> {
    const monitor = await this.monitors.find(params.id);
    if (!monitor) throw new ApiError('NOT_FOUND', HttpStatus.NOT_FOUND);
    return monitor;
  }

  @Patch('monitors/:id')
  @Access([...PLANNERS])
  @ApiOperation({ summary: 'Change a monitor (the version you read, in the body or If-Match); pause it with paused: true' })
  update(@Param() params: MonitorIdParams, @Body() body: MonitorUpdateDto, @Headers('if-match') ifMatch: string | undefined, @Audit() audit: AuditContext): Promise<MonitorRow> {
    const { version, ...fields } = body;
    return this.service.update(params.id, versionOf(version, ifMatch), fields as Partial<MonitorFields>, audit);
  }

  @Delete('monitors/:id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @Access([...PLANNERS])
  @ApiOperation({ summary: 'Remove a monitor, its results and outages (?version= to refuse it when someone changed it meanwhile)' })
  async remove(@Param() params: MonitorIdParams, @Query() query: MonitorDeleteQueryDto, @Audit() audit: AuditContext): Promise<void> {
    await this.service.remove(params.id, query.version ?? null, audit);
  }

  @Get('monitors/:id/results')
  @Access('signed-in')
  @ApiOperation({ summary: "A monitor's check results, newest first (the last 24 hours unless from/to say)" })
  @ApiOkResponse({ description: '{ results, numberReturned, next }' })
  async results(
    @Param() params: MonitorIdParams,
    @Query() query: MonitorResultsQueryDto,
    @Req() request: Request,
  ): Promise<{ results: ResultRow[]; numberReturned: number; next: string | null }> {
    if (!(await this.monitors.find(params.id))) throw new ApiError('NOT_FOUND', HttpStatus.NOT_FOUND);
    const to = query.to ?? new Date(Date.now() + 60000).toISOString();
    const from = query.from ?? new Date(Date.parse(to) - 86400000).toISOString();
    const page = await this.monitors.results(params.id, { from, to, limit: query.limit, before: query.before ?? null });
    return { results: page.results, numberReturned: page.results.length, next: nextPageUrl(request, page.nextCursor, 'before') };
  }

  @Get('outages')
  @Access('signed-in')
  @ApiOperation({ summary: 'Outages, newest first: when a monitor went down, came back, and why' })
  async outages(@Query() query: OutagesQueryDto, @Req() request: Request): Promise<{ outages: OutageRow[]; numberReturned: number; next: string | null }> {
    const page = await this.monitors.outages({ open: query.open === 'true', monitorId: query.monitor ?? null, limit: query.limit, before: query.before ?? null });
    return { outages: page.outages, numberReturned: page.outages.length, next: nextPageUrl(request, page.nextCursor, 'before') };
  }
}
