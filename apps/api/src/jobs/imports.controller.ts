import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type {
  CommitAccepted,
  ImportJob,
  ImportReportPage,
  ImportsPage,
  ImportTemplate,
  ImportTemplatesAnswer,
  ReanalyseImportRequest,
  SaveImportTemplateRequest,
} from '@serat/contract';
import { AuditContext, DomainError, IMPORT_CURSOR, ImportsRepository, ImportsService, INT4_MAX, mappingSchema, parseImportCursor, ValidToken } from '@serat/domain';
import { DEFAULT_IMPORT_LIMITS } from '@serat/geo';
import { memoryStorage } from 'multer';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { Access } from '../auth/access';
import { Audit, CurrentAuth } from '../auth/request-auth';
import { ApiError } from '../http/api-error';
import { ImportsQueue } from './imports-queue';

const PLANNERS = ['admin', 'planner'] as const;

const idParams = z.object({ id: z.uuid() });
class IdParams extends createZodDto(idParams) {}
const reportQuery = z.object({ offset: z.coerce.number().int().min(0).max(INT4_MAX).default(0), limit: z.coerce.number().int().min(1).max(1000).default(200) });
class ReportQuery extends createZodDto(reportQuery) {}
const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z
    .string()
    .regex(IMPORT_CURSOR, { error: 'is the `next` of the previous page' })
    // Shaped like a cursor is not enough: 2026-99-99 would reach the database as a 500.
    .refine((text) => parseImportCursor(text) !== null, { error: 'is the `next` of the previous page', params: { problem: 'cursor_out_of_range' } })
    .optional()
    .describe('Cursor: `next` of the previous page (created-at,id of its last import)'),
});
class ListQuery extends createZodDto(listQuery) {}
// Options as JSON here (not a multipart text field as at upload): the file is already stored.
// The bodies are the contract's requests (libs/contract), which the web app sends: a change of
// either side fails the other's tsc. The options are checked in full by the service.
const reanalyseBody = z.object({
  options: z.record(z.string(), z.unknown()).describe("The options of POST /api/imports, in full: they replace the import's own"),
}) satisfies z.ZodType<ReanalyseImportRequest>;
class ReanalyseDto extends createZodDto(reanalyseBody) {}
const templateBody = z.object({ name: z.string().trim().min(1).max(100), mapping: mappingSchema }) satisfies z.ZodType<SaveImportTemplateRequest>;
class TemplateDto extends createZodDto(templateBody) {}

@ApiTags('imports')
@Controller()
export class ImportsController {
  constructor(
    private readonly imports: ImportsService,
    private readonly repo: ImportsRepository,
    private readonly queue: ImportsQueue,
  ) {}

  @Post('imports')
  @HttpCode(HttpStatus.ACCEPTED)
  @Access([...PLANNERS])
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      properties: {
        file: { type: 'string', format: 'binary' },
        options: { type: 'string', description: 'JSON: regionCheck, templateId, mapping, source, defaultStatus, defaultTier, defaultPlacement, nodeKind' },
      },
    },
  })
  @ApiOperation({ summary: 'Upload GeoJSON, KML/KMZ, CSV or a zipped shapefile: a dry run starts; follow it, then commit' })
  // The upload limit is separate from the 1 MiB of JSON bodies; past it the upload is cut off, not buffered.
  @UseInterceptors(FileInterceptor('file', { storage: memoryStorage(), limits: { fileSize: DEFAULT_IMPORT_LIMITS.maxFileBytes, files: 1, fields: 5, fieldSize: 64 * 1024 } }))
  async create(
    @UploadedFile() file: Express.Multer.File | undefined,
    @Body() body: { options?: string },
    @CurrentAuth() token: ValidToken,
    @Audit() audit: AuditContext,
  ): Promise<ImportJob<Date>> {
    if (!file) throw new ApiError('VALIDATION_FAILED', HttpStatus.BAD_REQUEST, [{ field: 'file', problem: 'send the file as multipart/form-data field "file"' }]);
    this.queue.assertAvailable();
    let options: unknown = {};
    if (body?.options) {
      try {
        options = JSON.parse(body.options);
      } catch {
        throw new ApiError('VALIDATION_FAILED', HttpStatus.BAD_REQUEST, [{ field: 'options', problem: 'must be JSON' }]);
      }
    }
    const created = await this.imports.create(Buffer.from(file.originalname, 'latin1').toString('utf8'), file.buffer, options, token.user.id, audit, (id) =>
      this.queue.newJobId('import.analyse', id),
    );
    await this.queue.enqueue('import.analyse', { importId: created.id }, created.jobId!);
    return created;
  }

  @Get('imports')
  @Access([...PLANNERS])
  @ApiOperation({ summary: 'Recent imports, newest first, with who uploaded them; paged with `before` = `next` until `next` is null' })
  async list(@Query() query: ListQuery): Promise<ImportsPage<Date>> {
    const page = await this.repo.list(query.limit, query.before ? (parseImportCursor(query.before) ?? undefined) : undefined);
    return { imports: page.imports, next: page.nextCursor };
  }

  @Get('imports/:id')
  @Access([...PLANNERS])
  @ApiOperation({ summary: 'State, progress in percent and summary of an import' })
  async find(@Param() params: IdParams): Promise<ImportJob<Date>> {
    const row = await this.repo.find(params.id);
    if (!row) throw new ApiError('NOT_FOUND', HttpStatus.NOT_FOUND);
    // A commit is one transaction: its progress is in its job, not in the row (see the worker).
    if (row.state === 'committing') row.progress = (await this.queue.liveProgress(row.jobId)) ?? row.progress;
    return row;
  }

  @Get('imports/:id/report')
  @Access([...PLANNERS])
  @ApiOperation({ summary: 'Per feature: create, update, unchanged or reject with the reasons (paged)' })
  async report(@Param() params: IdParams, @Query() query: ReportQuery): Promise<ImportReportPage> {
    const page = await this.repo.reportRows(params.id, query.offset, query.limit);
    if (!page) throw new ApiError('NOT_FOUND', HttpStatus.NOT_FOUND);
    return page;
  }

  @Post('imports/:id/analyse')
  @HttpCode(HttpStatus.ACCEPTED)
  @Access([...PLANNERS])
  @ApiOperation({ summary: 'Analyse an import again (not while it runs, nor once applied) with other options, such as a mapping of its properties; follow it as after the upload' })
  async reanalyse(@Param() params: IdParams, @Body() body: ReanalyseDto, @Audit() audit: AuditContext): Promise<ImportJob<Date>> {
    // Before anything is cleared: without Redis the stored dry run stays as it is.
    this.queue.assertAvailable();
    const before = await this.repo.find(params.id);
    if (!before) throw new ApiError('NOT_FOUND', HttpStatus.NOT_FOUND);
    // A dry run shown as under way whose job is gone (its worker died twice, Redis lost it) can be
    // asked for again; one whose job is alive cannot (it is still running, or will be re-delivered).
    const abandoned = before.state === 'analysing' && !(await this.queue.isLive(before.jobId)) ? { jobId: before.jobId } : undefined;
    const jobId = this.queue.newJobId('import.analyse', before.id);
    const row = await this.imports.reanalyse(params.id, body.options, jobId, audit, abandoned);
    await this.queue.enqueue('import.analyse', { importId: row.id }, jobId);
    return row;
  }

  @Post('imports/:id/commit')
  @HttpCode(HttpStatus.ACCEPTED)
  @Access([...PLANNERS])
  @ApiOperation({ summary: 'Apply an analysed import, all or nothing' })
  async commit(@Param() params: IdParams, @Audit() audit: AuditContext): Promise<CommitAccepted> {
    this.queue.assertAvailable();
    const row = await this.repo.find(params.id);
    if (!row) throw new ApiError('NOT_FOUND', HttpStatus.NOT_FOUND);
    const payload = { importId: row.id, actor: this.actorOf(audit) };
    // Asked again while it shows as under way: refused while its job is alive; queued anew when
    // the job was lost (a worker that died during it twice, a Redis that lost its data), since
    // nothing else would ever finish it.
    let lost: string | null | undefined;
    if (row.state === 'committing') {
      if (await this.queue.isLive(row.jobId)) throw new DomainError('IMPORT_NOT_READY', { state: row.state });
      lost = row.jobId;
    } else if (row.state !== 'ready') throw new DomainError('IMPORT_NOT_READY', { state: row.state });
    // Committing from now on, under this job, before a worker has taken it: whoever reads the
    // import next (the planner's progress bar) sees it under way, and a second click is refused.
    // (Before the job is queued, so no worker's commit transaction can be running yet.)
    const jobId = this.queue.newJobId('import.commit', row.id);
    if (!(await this.repo.queueCommit(row.id, jobId, lost))) throw new DomainError('IMPORT_NOT_READY', { state: (await this.repo.find(row.id))?.state ?? row.state });
    try {
      await this.queue.enqueue('import.commit', payload, jobId);
    } catch (error) {
      await this.repo.unqueueCommit(row.id, jobId);
      throw error;
    }
    return { id: row.id, state: 'committing' };
  }

  @Post('imports/:id/retry')
  @HttpCode(HttpStatus.ACCEPTED)
  @Access([...PLANNERS])
  @ApiOperation({
    summary: 'Run the failed step of a failed import again (its commit when its dry run had finished, else its dry run), with its own options; 409 unless it is failed',
  })
  async retry(@Param() params: IdParams, @Audit() audit: AuditContext): Promise<ImportJob<Date>> {
    this.queue.assertAvailable();
    // The job id is made of the failure retried (the row's version when it failed): two clicks on
    // the same failure ask for the same job, and Bull keeps one; the row takes only the first.
    const { row, step, jobId } = await this.imports.retry(
      params.id,
      (step, version) => this.queue.retryJobId(step === 'commit' ? 'import.commit' : 'import.analyse', params.id, version),
      audit,
    );
    if (step === 'commit') await this.queue.enqueue('import.commit', { importId: row.id, actor: this.actorOf(audit) }, jobId);
    else await this.queue.enqueue('import.analyse', { importId: row.id }, jobId);
    return row;
  }

  /** Who asks for a commit, as the worker records it. */
  private actorOf(audit: AuditContext) {
    return { actorId: audit.actorId, actorLabel: audit.actorLabel, requestId: audit.requestId ?? null, ip: audit.ip ?? null };
  }

  @Get('import-templates')
  @Access([...PLANNERS])
  @ApiOperation({ summary: 'Saved mappings of file properties to Serat fields' })
  async templates(): Promise<ImportTemplatesAnswer> {
    return { templates: await this.repo.listTemplates() };
  }

  @Post('import-templates')
  @Access([...PLANNERS])
  @ApiOperation({ summary: 'Save (or replace, by name) a mapping template' })
  saveTemplate(@Body() body: TemplateDto, @CurrentAuth() token: ValidToken, @Audit() audit: AuditContext): Promise<ImportTemplate> {
    return this.imports.saveTemplate(body.name, body.mapping, token.user.id, audit);
  }
}
