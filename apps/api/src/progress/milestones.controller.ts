import { Body, Controller, Get, Headers, HttpCode, HttpStatus, Param, Patch, Post, Query, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  DEFAULT_MILESTONE_EVIDENCE,
  MILESTONE_CATEGORIES,
  MILESTONE_CRITERIA,
  MILESTONE_EVIDENCE_KINDS,
  REVIEW_VERDICTS,
  type MilestoneDetail,
  type MilestoneEvidencePage,
  type MilestonesPage,
  type MilestoneThreadEntry,
  type MilestoneThreadPage,
} from '@serat/contract';
import { AuditContext, INT8_MAX, MilestonesRepository, MilestonesService, TEXT_MAX, textField, versionNumber } from '@serat/domain';
import { SITE_KINDS } from '@serat/vocabulary';
import type { Request } from 'express';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { Access } from '../auth/access';
import { Audit } from '../auth/request-auth';
import { ApiError } from '../http/api-error';
import { nextPageUrl } from '../http/page-query';
import { versionOf } from '../http/version-of';

export const DEFAULT_MILESTONE_PAGE_SIZE = 50;
export const MAX_MILESTONE_PAGE_SIZE = 200;
export const MAX_EVIDENCE_PAGE_SIZE = 500;
/** Photos one completion may attach. */
export const MAX_COMPLETION_PHOTOS = 20;

const PLANNERS = ['admin', 'planner'] as const;
/** Reviews are the mentors' own: an approval is the university partner's word, not an admin's. */
const MENTORS = ['mentor'] as const;

const entryId = z
  .string()
  .regex(/^\d{1,19}$/, { error: 'is the id of an entry (from `next`)' })
  // 19 digits go past bigint, which the database would refuse to compare with.
  .refine((id) => !/^\d{1,19}$/.test(id) || BigInt(id) <= INT8_MAX, { error: 'is past the largest entry id', params: { problem: 'cursor_out_of_range' } });

const listQuery = z.object({
  phase: z.uuid().optional().describe('Only the milestones of this phase'),
  awaiting: z.enum(['review', 'answer']).optional().describe("review: a planner wrote last (the mentors' turn); answer: a mentor asked for changes (the planners' turn)"),
  limit: z.coerce.number().int().min(1).max(MAX_MILESTONE_PAGE_SIZE).default(DEFAULT_MILESTONE_PAGE_SIZE).describe(`Page size, at most ${MAX_MILESTONE_PAGE_SIZE}`),
  after: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}\|[A-Za-z0-9][A-Za-z0-9._/-]{0,39}$/, { error: 'must be the cursor from `next`' })
    .optional()
    .describe('Cursor (from `next`)'),
});
class ListQueryDto extends createZodDto(listQuery) {}

const milestoneFields = {
  code: z
    .string()
    .trim()
    .regex(new RegExp(`^[A-Za-z0-9][A-Za-z0-9._/-]{0,${TEXT_MAX.milestoneCode - 1}}$`), { error: 'must be 1-40 letters, digits, . _ / -' }),
  title: textField(TEXT_MAX.milestoneTitle).min(1),
  description: textField(TEXT_MAX.milestoneDescription).nullable().optional(),
  category: z.enum(MILESTONE_CATEGORIES).describe('survey, permits, construction, splicing, testing or handover'),
  phaseId: z.uuid().nullable().optional().describe('The phase it is counted over (sites_connected, segments_tested)'),
  areaCode: z
    .string()
    .regex(/^\d{2}(\.\d{2}){1,2}(\.\d{4})?$/, { error: 'must be the Kemendagri code of an area, like 62.02.05' })
    .nullable()
    .optional()
    .describe('km_active: the kabupaten or kecamatan'),
  targetDate: z.iso.date({ error: 'must be a date YYYY-MM-DD' }),
  criterion: z.enum(MILESTONE_CRITERIA).describe('sites_connected (targetValue: percent), km_active (targetValue: km), segments_tested, or manual'),
  targetValue: z.number().positive().max(1e6).nullable().optional(),
  siteKind: z.enum(SITE_KINDS).nullable().optional().describe('sites_connected: only sites of this kind'),
  requiredEvidence: z
    .array(z.enum(MILESTONE_EVIDENCE_KINDS))
    .max(MILESTONE_EVIDENCE_KINDS.length)
    .optional()
    .describe('What every segment in scope must have for an approval (default: by category)'),
};
const createBody = z.object(milestoneFields);
class CreateDto extends createZodDto(createBody) {}
const updateBody = z
  .object(milestoneFields)
  .partial()
  .extend({ version: versionNumber().optional().describe('The version you read (or send If-Match: "<version>")') });
class UpdateDto extends createZodDto(updateBody) {}

const reviewBody = z.object({
  verdict: z.enum(REVIEW_VERDICTS).describe('approve, or request_changes'),
  body: textField(TEXT_MAX.reviewBody).min(1).describe('The comment: what was checked, or what must change'),
});
class ReviewDto extends createZodDto(reviewBody) {}
const commentBody = z.object({ body: textField(TEXT_MAX.reviewBody).min(1).describe('The answer to the last review, or a request for review') });
class CommentDto extends createZodDto(commentBody) {}
const completionBody = z.object({
  doneOn: z.iso.date({ error: 'must be a date YYYY-MM-DD' }),
  note: textField(TEXT_MAX.reviewBody).min(1).describe('What was done, and where the documents are'),
  photoIds: z.array(z.uuid()).min(1, { error: 'attach at least one photo or scan' }).max(MAX_COMPLETION_PHOTOS).describe('Photos or scans you uploaded (POST /api/photos)'),
});
class CompletionDto extends createZodDto(completionBody) {}

const threadQuery = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_MILESTONE_PAGE_SIZE).default(MAX_MILESTONE_PAGE_SIZE),
  after: entryId.optional().describe('Cursor (from `next`): oldest first'),
});
class ThreadQueryDto extends createZodDto(threadQuery) {}
const evidenceQuery = z.object({
  missing: z.enum(MILESTONE_EVIDENCE_KINDS).optional().describe('Only the segments without this kind of evidence'),
  limit: z.coerce.number().int().min(1).max(MAX_EVIDENCE_PAGE_SIZE).default(100),
  after: z.string().max(TEXT_MAX.code).optional().describe('Cursor: the code of the last segment of the previous page (from `next`)'),
});
class EvidenceQueryDto extends createZodDto(evidenceQuery) {}

const idParams = z.object({ id: z.uuid() });
class IdParams extends createZodDto(idParams) {}

/** Milestones: set up by planners, checked by Serat, reviewed by ITS mentors, answered by planners. */
@ApiTags('milestones')
@Controller('milestones')
export class MilestonesController {
  constructor(
    private readonly milestones: MilestonesRepository,
    private readonly service: MilestonesService,
  ) {}

  @Get()
  @Access('signed-in')
  @ApiOperation({ summary: 'Milestones by target date, each with its progress, forecast, state and where its review stands; awaiting=review|answer for what is your turn' })
  @ApiOkResponse({ description: 'MilestonesPage { milestones, numberReturned, next }' })
  async list(@Query() query: ListQueryDto, @Req() request: Request): Promise<MilestonesPage> {
    const page = await this.milestones.list({ phaseId: query.phase ?? null, awaiting: query.awaiting ?? null, limit: query.limit, after: query.after ?? null });
    const milestones = await this.service.evaluate(page.milestones);
    return { milestones, numberReturned: milestones.length, next: nextPageUrl(request, page.nextCursor) };
  }

  @Post()
  @Access([...PLANNERS])
  @ApiOperation({ summary: 'Create a milestone: category, target date, and a criterion Serat checks (or a manual one)' })
  create(@Body() body: CreateDto, @Audit() audit: AuditContext): Promise<MilestoneDetail> {
    return this.service.create(
      {
        code: body.code,
        title: body.title,
        description: body.description ?? null,
        category: body.category,
        phaseId: body.phaseId ?? null,
        areaCode: body.areaCode ?? null,
        targetDate: body.targetDate,
        criterion: body.criterion,
        targetValue: body.targetValue ?? null,
        siteKind: body.siteKind ?? null,
        requiredEvidence: body.requiredEvidence ?? DEFAULT_MILESTONE_EVIDENCE[body.category],
      },
      audit,
    );
  }

  @Get(':id')
  @Access('signed-in')
  @ApiOperation({ summary: 'One milestone: progress, forecast with its basis, state, and what its evidence lacks' })
  async one(@Param() params: IdParams): Promise<MilestoneDetail> {
    const detail = await this.service.detail(params.id);
    if (!detail) throw new ApiError('NOT_FOUND', HttpStatus.NOT_FOUND);
    return detail;
  }

  @Patch(':id')
  @Access([...PLANNERS])
  @ApiOperation({ summary: 'Change a milestone (the version you read, in the body or If-Match)' })
  update(@Param() params: IdParams, @Body() body: UpdateDto, @Headers('if-match') ifMatch: string | undefined, @Audit() audit: AuditContext): Promise<MilestoneDetail> {
    const { version, ...fields } = body;
    return this.service.update(params.id, versionOf(version, ifMatch), fields, audit);
  }

  @Post(':id/reviews')
  @Access([...MENTORS])
  @ApiOperation({ summary: "A mentor's review: approve (only when achieved with its evidence complete) or request changes, with a comment; it supersedes the last review" })
  @ApiOkResponse({ description: 'MilestoneThreadEntry' })
  review(@Param() params: IdParams, @Body() body: ReviewDto, @Audit() audit: AuditContext): Promise<MilestoneThreadEntry> {
    return this.service.review(params.id, body, audit);
  }

  @Post(':id/comments')
  @Access([...PLANNERS])
  @ApiOperation({ summary: "A planner's reply to the last review, or a request for review" })
  @ApiOkResponse({ description: 'MilestoneThreadEntry' })
  comment(@Param() params: IdParams, @Body() body: CommentDto, @Audit() audit: AuditContext): Promise<MilestoneThreadEntry> {
    return this.service.reply(params.id, body.body, audit);
  }

  @Get(':id/thread')
  @Access('signed-in')
  @ApiOperation({ summary: 'The review thread, oldest first: reviews (with what they supersede) and replies; never edited' })
  async thread(@Param() params: IdParams, @Query() query: ThreadQueryDto, @Req() request: Request): Promise<MilestoneThreadPage> {
    if (!(await this.milestones.find(params.id))) throw new ApiError('NOT_FOUND', HttpStatus.NOT_FOUND);
    const page = await this.milestones.thread(params.id, query.limit, query.after ?? null);
    return { entries: page.entries, numberReturned: page.entries.length, next: nextPageUrl(request, page.nextCursor) };
  }

  @Get(':id/evidence')
  @Access('signed-in')
  @ApiOperation({ summary: 'The segments in scope by code with the photos, GPS and OTDR readings of their history, and what each lacks' })
  async evidence(@Param() params: IdParams, @Query() query: EvidenceQueryDto, @Req() request: Request): Promise<MilestoneEvidencePage> {
    const milestone = await this.milestones.find(params.id);
    if (!milestone) throw new ApiError('NOT_FOUND', HttpStatus.NOT_FOUND);
    const page = await this.milestones.evidenceItems(milestone, { missing: query.missing ?? null, limit: query.limit, after: query.after ?? null });
    return { items: page.items, numberReturned: page.items.length, next: nextPageUrl(request, page.nextCursor) };
  }

  @Post(':id/completion')
  @HttpCode(HttpStatus.OK)
  @Access([...PLANNERS])
  @ApiOperation({ summary: 'Record a manual criterion done on a day, with a note and the photos or scans that prove it' })
  complete(@Param() params: IdParams, @Body() body: CompletionDto, @Audit() audit: AuditContext): Promise<MilestoneDetail> {
    return this.service.recordDone(params.id, body, audit);
  }
}
