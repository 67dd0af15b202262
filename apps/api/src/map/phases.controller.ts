import { Body, Controller, Get, Headers, HttpCode, HttpStatus, Param, Patch, Post, Query, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { PhaseRecord, PhaseScopeChangesPage, PhaseScopeResult, PhasesPage } from '@serat/contract';
import { AuditContext, INT8_MAX, PhasesRepository, PhasesService, TEXT_MAX, textField, versionNumber } from '@serat/domain';
import type { Request } from 'express';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { Access } from '../auth/access';
import { Audit } from '../auth/request-auth';
import { ApiError } from '../http/api-error';
import { nextPageUrl } from '../http/page-query';
import { versionOf } from '../http/version-of';

export const DEFAULT_PHASE_PAGE_SIZE = 100;
export const MAX_PHASE_PAGE_SIZE = 500;
/** Codes one scope change may name, of sites and of segments each. */
export const MAX_SCOPE_CODES = 5000;

const PLANNERS = ['admin', 'planner'] as const;

const phasesQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_PHASE_PAGE_SIZE).default(DEFAULT_PHASE_PAGE_SIZE).describe(`Page size, at most ${MAX_PHASE_PAGE_SIZE}`),
  after: z.string().max(40).optional().describe('Cursor: the code of the last phase of the previous page (from `next`)'),
});
class PhasesQueryDto extends createZodDto(phasesQuerySchema) {}

const phaseFields = {
  code: z
    .string()
    .trim()
    .regex(new RegExp(`^[A-Za-z0-9][A-Za-z0-9._/-]{0,${TEXT_MAX.phaseCode - 1}}$`), { error: `must be 1-${TEXT_MAX.phaseCode} letters, digits, . _ / -` }),
  name: textField(TEXT_MAX.phaseName).min(1),
  budgetYear: z.number().int().min(1945).max(2200).nullable().optional().describe('Tahun anggaran (TA)'),
  targetDate: z.iso.date({ error: 'must be a date YYYY-MM-DD' }).nullable().optional(),
  budgetIdr: z.number().int().min(0).max(1e15).nullable().optional().describe('Budget, whole Rupiah'),
  description: textField(TEXT_MAX.phaseDescription).nullable().optional(),
  areaCode: z
    .string()
    .regex(/^\d{2}(\.\d{2}){1,2}(\.\d{4})?$/, { error: 'must be the Kemendagri code of an area, like 62.02.05' })
    .nullable()
    .optional()
    .describe('The kabupaten, kecamatan or desa the package is for'),
};
const phaseCreate = z.object(phaseFields);
class PhaseCreateDto extends createZodDto(phaseCreate) {}
const phaseUpdate = phaseCreate.partial().extend({ version: versionNumber().optional().describe('The version you read (or send If-Match: "<version>")') });
class PhaseUpdateDto extends createZodDto(phaseUpdate) {}

const codeList = z.array(z.string().trim().min(1).max(TEXT_MAX.code)).max(MAX_SCOPE_CODES).default([]);
const scopeChange = z
  .object({
    action: z.enum(['add', 'remove']).describe('add: the sites and segments join this phase (leaving any other); remove: they leave it'),
    sites: codeList.describe('Site codes'),
    segments: codeList.describe('Segment codes'),
    reason: textField(TEXT_MAX.scopeReason).describe('Why the scope changes: kept in the scope history'),
  })
  .refine((change) => change.sites.length + change.segments.length > 0, { error: 'name at least one site or segment', path: ['sites'] });
class ScopeChangeDto extends createZodDto(scopeChange) {}

const scopeChangesQuery = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_PHASE_PAGE_SIZE).default(DEFAULT_PHASE_PAGE_SIZE),
  after: z
    .string()
    .regex(/^\d{1,19}$/, { error: 'is the id of an entry (from `next`)' })
    // 19 digits go past bigint, which the database would refuse to compare with.
    .refine((id) => !/^\d{1,19}$/.test(id) || BigInt(id) <= INT8_MAX, { error: 'is past the largest entry id', params: { problem: 'cursor_out_of_range' } })
    .optional()
    .describe('Cursor (from `next`): newest first'),
});
class ScopeChangesQueryDto extends createZodDto(scopeChangesQuery) {}

const idParams = z.object({ id: z.uuid() });
class IdParams extends createZodDto(idParams) {}

@ApiTags('phases')
@Controller('phases')
export class PhasesController {
  constructor(
    private readonly phases: PhasesRepository,
    private readonly service: PhasesService,
  ) {}

  @Get()
  @Access('signed-in')
  @ApiOperation({ summary: 'Work packages (phases) by code, with budget year, budget, target date and area; also those nothing uses yet' })
  @ApiOkResponse({ description: '{ phases, numberReturned, next }: follow `next` until it is null' })
  async list(@Query() query: PhasesQueryDto, @Req() request: Request): Promise<PhasesPage> {
    const page = await this.phases.list(query.limit, query.after);
    return { phases: page.phases, numberReturned: page.phases.length, next: nextPageUrl(request, page.nextCursor) };
  }

  @Post()
  @Access([...PLANNERS])
  @ApiOperation({ summary: 'Create a phase (work package): code, name, budget year, budget in Rupiah, target date, area' })
  create(@Body() body: PhaseCreateDto, @Audit() audit: AuditContext): Promise<PhaseRecord> {
    return this.service.create(
      {
        code: body.code,
        name: body.name,
        budgetYear: body.budgetYear ?? null,
        targetDate: body.targetDate ?? null,
        budgetIdr: body.budgetIdr ?? null,
        description: body.description ?? null,
        areaCode: body.areaCode ?? null,
      },
      audit,
    );
  }

  @Get(':id')
  @Access('signed-in')
  @ApiOperation({ summary: 'One phase as stored, with its version and its scope (sites, segments, metres)' })
  async one(@Param() params: IdParams): Promise<PhaseRecord> {
    const phase = await this.phases.find(params.id);
    if (!phase) throw new ApiError('NOT_FOUND', HttpStatus.NOT_FOUND);
    return phase;
  }

  @Patch(':id')
  @Access([...PLANNERS])
  @ApiOperation({ summary: 'Change a phase (the version you read, in the body or If-Match)' })
  update(@Param() params: IdParams, @Body() body: PhaseUpdateDto, @Headers('if-match') ifMatch: string | undefined, @Audit() audit: AuditContext): Promise<PhaseRecord> {
    const { version, ...fields } = body;
    return this.service.update(params.id, versionOf(version, ifMatch), fields, audit);
  }

  @Post(':id/scope')
  @HttpCode(HttpStatus.OK)
  @Access([...PLANNERS])
  @ApiOperation({ summary: 'Add sites and segments to the phase, or take them out, with a reason: all or none; each move is kept in the scope history' })
  @ApiOkResponse({ description: 'PhaseScopeResult { added, removed, scope }' })
  changeScope(@Param() params: IdParams, @Body() body: ScopeChangeDto, @Audit() audit: AuditContext): Promise<PhaseScopeResult> {
    return this.service.changeScope(params.id, body, audit);
  }

  @Get(':id/scope-changes')
  @Access('signed-in')
  @ApiOperation({ summary: "The phase's scope history, newest first: each site or segment that joined or left it, who, when and why" })
  async scopeChanges(@Param() params: IdParams, @Query() query: ScopeChangesQueryDto, @Req() request: Request): Promise<PhaseScopeChangesPage> {
    if (!(await this.phases.find(params.id))) throw new ApiError('NOT_FOUND', HttpStatus.NOT_FOUND);
    const page = await this.phases.scopeChanges(params.id, query.limit, query.after);
    return { changes: page.changes, numberReturned: page.changes.length, next: nextPageUrl(request, page.nextCursor) };
  }
}
