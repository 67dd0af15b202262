import { Inject, Injectable, Logger } from '@nestjs/common';
import { SERAT_CONFIG, SeratConfig } from '@serat/config';
import { ImportFileError, parseImportFile, ParsedImport } from '@serat/geo';
import type { Point } from 'geojson';
import { createHash } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { AuditContext, AuditRepository } from '../audit/audit.repository';
import { EndNodesService } from '../network/end-nodes.service';
import { NodesRepository } from '../network/nodes.repository';
import { BulkSegment, SegmentsRepository } from '../network/segments.repository';
import { DomainError } from '../shared/domain-error';
import { UnitOfWork } from '../shared/transaction';
import type { BulkActor } from './bulk-actor';
import { ImportAnalysisBuilder } from './import-analysis';
import { batchEnds, endsOf, segmentsOnNodes } from './import-ends';
import { ImportMapping } from './import-mapping';
import { ImportOptions, importOptionsSchema, mappingToAnalyse, planDefaults } from './import-options';
import { ExistingRow, ImportKind, keysToLoad, PlanAction, PlanItem, planImport, refuse, renamedAway } from './import-plan';
import { counts, ImportCounts, reportRows, summarise } from './import-report';
import { importSource, rowsOfFile } from './import-rows';
import { ImportRow, ImportsRepository } from './imports.repository';

type Progress = (percent: number) => Promise<void>;

/** The step of an import a retry runs again. */
export type RetryStep = 'analyse' | 'commit';

/** What a failed import says when the cause is not the file's (the details are in the server's log). */
export const IMPORT_FAILED_MESSAGE = 'The import could not be completed because of an internal error; nothing of it was applied.';

/**
 * Imports of contractors' files. A dry run (analyse) parses the file, maps its properties and
 * says per feature: create, update (matched by code or external reference), unchanged, or
 * reject with the reason. The commit does the same against the current database and applies
 * everything in one transaction. Re-importing the same file changes nothing.
 *
 * This class runs the lifecycle (states, job ids, the one transaction) and moves data between the
 * repositories and the pure core: import-rows reads the file, import-plan decides per row,
 * import-ends places the segment ends, import-report counts and reports.
 */
@Injectable()
export class ImportsService {
  private readonly logger = new Logger(ImportsService.name);

  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly imports: ImportsRepository,
    private readonly nodes: NodesRepository,
    private readonly segments: SegmentsRepository,
    private readonly endNodes: EndNodesService,
    private readonly audit: AuditRepository,
    @Inject(SERAT_CONFIG) private readonly config: SeratConfig,
  ) {}

  /** Stores an upload, queued for its dry run under the job id `jobIdOf` gives for the new import's id. */
  async create(fileName: string, bytes: Buffer, options: unknown, userId: string, context: AuditContext, jobIdOf: (id: string) => string): Promise<ImportRow> {
    const checked = await this.checkOptions(options);
    const safeName = fileName.replace(/[^\p{L}\p{N}._ -]/gu, '_').slice(0, 200) || 'upload';
    const row = await this.imports.create(
      { createdBy: userId, fileName: safeName, sha256: createHash('sha256').update(bytes).digest('hex'), file: bytes, options: checked },
      jobIdOf,
    );
    await this.audit.append(
      { action: 'create', entityType: 'import', entityId: row.id, changes: { file: { before: null, after: { name: safeName, sizeBytes: bytes.length } } } },
      context,
    );
    return row;
  }

  /**
   * The dry run again, with other options (a planner's mapping of the file's properties): an
   * analysed, failed or still queued import goes back to the queue with its file, its summary and
   * report cleared; one running or applied is refused (`alsoFrom`: states the caller found
   * abandoned, such as a dry run whose job is gone, and the job id found there). The caller queues
   * the analysis under `jobId`, which the row now names.
   */
  async reanalyse(id: string, options: unknown, jobId: string, context: AuditContext, abandoned?: { jobId: string | null }): Promise<ImportRow> {
    const checked = await this.checkOptions(options);
    const before = await this.imports.find(id);
    if (!before) throw new DomainError('NOT_FOUND');
    const row = await this.imports.requeue(id, checked, jobId, abandoned);
    if (!row) throw new DomainError('IMPORT_NOT_READY', { state: (await this.imports.find(id))?.state ?? before.state });
    await this.audit.append({ action: 'reanalyse', entityType: 'import', entityId: id, changes: { options: { before: before.options, after: checked } } }, context);
    return row;
  }

  /**
   * A failed import's failed step again, with the options it has: the commit when its dry run had
   * finished (its summary is kept), else the dry run. Refused unless the import is failed; the
   * caller queues the step under `jobIdOf(step, version)`, the same id for every asking about the
   * same failure, so two clicks queue one job.
   */
  async retry(id: string, jobIdOf: (step: RetryStep, version: number) => string, context: AuditContext): Promise<{ row: ImportRow; step: RetryStep; jobId: string }> {
    const before = await this.imports.find(id);
    if (!before) throw new DomainError('NOT_FOUND');
    if (before.state !== 'failed') throw new DomainError('IMPORT_NOT_FAILED', { state: before.state });
    const step: RetryStep = before.summary && !before.committedAt ? 'commit' : 'analyse';
    const version = Number(before.version);
    const jobId = jobIdOf(step, version);
    const row = await this.imports.retryFailed(id, version, step, jobId);
    if (!row) throw new DomainError('IMPORT_NOT_FAILED', { state: (await this.imports.find(id))?.state ?? before.state });
    await this.audit.append(
      { action: 'retry', entityType: 'import', entityId: id, changes: { state: { before: 'failed', after: row.state }, error: { before: before.errorCode, after: null } } },
      context,
    );
    return { row, step, jobId };
  }

  private async checkOptions(options: unknown): Promise<ImportOptions> {
    const parsed = importOptionsSchema.safeParse(options ?? {});
    if (!parsed.success) throw new DomainError('IMPORT_OPTIONS_INVALID', { problems: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) });
    if (parsed.data.templateId && !(await this.imports.findTemplate(parsed.data.templateId))) throw new DomainError('NOT_FOUND', { templateId: parsed.data.templateId });
    const { analysedMapping: _ignored, ...checked } = parsed.data;
    return checked;
  }

  /**
   * The import, its options and its parsed file. The dry run (`analysing`) reads the template now
   * and keeps the mapping it makes in the options (`analysedMapping`, stored with the result); the
   * commit applies that mapping, so a template saved in between changes nothing of what was
   * analysed. (An import analysed before `analysedMapping` existed reads its template still.)
   */
  private async load(id: string, analysing: boolean): Promise<{ row: ImportRow; options: ImportOptions; parsed: ParsedImport }> {
    const row = await this.imports.find(id);
    const bytes = await this.imports.file(id);
    if (!row || !bytes) throw new DomainError('NOT_FOUND');
    const options = importOptionsSchema.parse(row.options);
    if (analysing || !options.analysedMapping) {
      const template = options.templateId ? await this.imports.findTemplate(options.templateId) : null;
      options.analysedMapping = mappingToAnalyse(options.mapping, template);
    }
    options.mapping = options.analysedMapping;
    const parsed = await parseImportFile(row.fileName, bytes);
    return { row, options, parsed };
  }

  /** The dry run, as a job: stores the summary (with the analysis of the file's properties) and the per-feature report. */
  async analyse(id: string, jobId: string, onProgress: Progress): Promise<ImportCounts | null> {
    // Only the job the row names, from 'queued' (as the api left it) or 'analysing' (the same job
    // delivered again after its worker died during it: Bull moves a job whose worker stopped
    // renewing its lock back to the queue). Any other job is stale and does nothing.
    if (!(await this.imports.transition(id, jobId, ['queued', 'analysing'], 'analysing'))) return null;
    try {
      const { row, options, parsed } = await this.load(id, true);
      await onProgress(30);
      const analysis = new ImportAnalysisBuilder();
      // Outside any transaction: the dry run reads the database as it is and writes nothing.
      const plan = await this.plan(row, options, parsed, undefined, (p) => onProgress(30 + p * 0.65), false, analysis);
      const summary = summarise(parsed, plan, analysis.result(options.mapping));
      // The options with the mapping analysed: what the commit will apply.
      const stored = { ...row.options, analysedMapping: options.analysedMapping };
      if (
        !(await this.imports.finish(id, jobId, { state: 'ready', format: parsed.format, sourceCrs: parsed.sourceCrs, summary, report: reportRows(parsed, plan), options: stored }))
      ) {
        this.logger.warn(`import ${id}: dry run of job ${jobId} superseded before it finished; its result is dropped`);
        return null;
      }
      return counts(summary);
    } catch (error) {
      await this.fail(id, jobId, error);
      return null;
    }
  }

  /** Saves (or replaces, by name) a mapping template, with its audit entry. */
  async saveTemplate(name: string, mapping: ImportMapping, userId: string, context: AuditContext): Promise<{ id: string; name: string; mapping: object }> {
    return this.unitOfWork.run(async (manager) => {
      const { replaced, ...saved } = await this.imports.saveTemplate(name, mapping, userId, manager);
      await this.audit.append(
        { action: replaced ? 'update' : 'create', entityType: 'import_template', entityId: saved.id, changes: { mapping: { before: replaced, after: saved.mapping } } },
        context,
        manager,
      );
      return saved;
    });
  }

  /** Applies the import, all or nothing, with the mapping its dry run analysed. Only an analysed import can be committed, once. */
  async commit(id: string, jobId: string, onProgress: Progress, context: AuditContext): Promise<ImportCounts | null> {
    // 'committing' under this job: the api marks it so when it queues the job (and it stays so
    // for a delivery after a worker died during it). Any other job is stale and does nothing.
    if (!(await this.imports.transition(id, jobId, ['committing'], 'committing'))) return null;
    try {
      const { row, options, parsed } = await this.load(id, false);
      // Everything below runs on the transaction's connection, progress included (the caller's
      // onProgress reports to the job, never to the database): a second connection would wait for
      // this transaction on the embedded database.
      const summary = await this.unitOfWork.run(async (manager) => {
        // One commit of an import at a time, whatever the queue does: a second one waits here,
        // then finds it applied and leaves.
        if (!(await this.imports.lockForCommit(id, jobId, manager))) return null;
        const analysis = new ImportAnalysisBuilder();
        const plan = await this.plan(row, options, parsed, manager, (p) => onProgress(p * 0.2), true, analysis);
        await this.apply(row, plan, manager, (p) => onProgress(20 + p * 0.75), context);
        const result = summarise(parsed, plan, analysis.result(options.mapping));
        // The row is this job's (checked under the commit lock above); should it not be, nothing is applied.
        if (!(await this.imports.finish(id, jobId, { state: 'committed', summary: result, report: reportRows(parsed, plan), committed: true }, manager))) {
          throw new Error(`import ${id}: the commit of job ${jobId} lost its import to another job`);
        }
        // In the transaction: an audit entry that cannot be written undoes the commit, never the other way round.
        await this.audit.append({ action: 'commit', entityType: 'import', entityId: id, changes: { summary: { before: null, after: counts(result) } } }, context, manager);
        return counts(result);
      });
      if (!summary) return null;
      return summary;
    } catch (error) {
      // The transaction rolled back: nothing of this import is in the network.
      await this.fail(id, jobId, error);
      return null;
    }
  }

  /** Marks the import failed (when the row is still this job's: a stale job's failure changes nothing). */
  private async fail(id: string, jobId: string, error: unknown): Promise<void> {
    if (error instanceof ImportFileError) {
      await this.imports.finish(id, jobId, { state: 'failed', errorCode: error.code, errorMessage: error.message });
      return;
    }
    if (error instanceof DomainError) {
      await this.imports.finish(id, jobId, { state: 'failed', errorCode: error.code, errorMessage: IMPORT_FAILED_MESSAGE });
      throw error;
    }
    // A planner reads the message: never the database's own words (table and constraint names,
    // English); the real error is logged here and rethrown for the job's log.
    this.logger.error(`import ${id} failed: ${(error as Error)?.message ?? String(error)}`, (error as Error)?.stack);
    await this.imports.finish(id, jobId, { state: 'failed', errorCode: 'INTERNAL', errorMessage: IMPORT_FAILED_MESSAGE });
    throw error;
  }

  /**
   * What would happen to each feature (and each part of a multi-line), against the database as it
   * is now. With `lock` (the commit) the matched rows stay locked until the transaction ends, so no
   * status change in the field slips in between this judgement and the write.
   */
  private async plan(
    row: ImportRow,
    options: ImportOptions,
    parsed: ParsedImport,
    manager: EntityManager | undefined,
    onProgress: Progress,
    lock = false,
    analysis?: ImportAnalysisBuilder,
  ): Promise<PlanItem[]> {
    const defaults = planDefaults(options);
    const rows = rowsOfFile(
      parsed.features,
      {
        mapping: options.mapping ?? {},
        source: importSource(row.fileName, options.source),
        region: options.regionCheck ? this.config.region.bbox : null,
        snapToleranceM: this.config.snapToleranceM,
        defaults,
      },
      analysis,
    );
    await onProgress(40);
    const existing = { segment: await this.existing('segment', rows, manager, lock), node: await this.existing('node', rows, manager, lock) };
    const plan = planImport(rows, existing, { defaults, snapToleranceM: this.config.snapToleranceM });
    await onProgress(100);
    return plan;
  }

  /** The stored rows of one kind the plan needs, a few thousand codes and references per query. */
  private async existing(kind: ImportKind, rows: PlanItem[], manager: EntityManager | undefined, lock: boolean): Promise<ExistingRow[]> {
    const { codes, refs } = keysToLoad(rows, kind);
    const found: ExistingRow[] = [];
    for (let start = 0; start < codes.length; start += LOOKUP) {
      found.push(...(await this.imports.existing(kind === 'segment' ? 'segments' : 'nodes', codes.slice(start, start + LOOKUP), refs.slice(start, start + LOOKUP), manager, lock)));
    }
    return found;
  }

  /**
   * Writes the plan, set-based, in batches: nodes (points of the file) first, so that segment ends
   * snap to the nodes of the same file; then new segments; then updated ones. A batch is a few
   * statements carrying its history rows, audit entries and the areas of new nodes; the areas the
   * segments cross follow in one statement at the end. The caller's transaction makes it all or
   * nothing.
   */
  private async apply(row: ImportRow, plan: PlanItem[], manager: EntityManager, onProgress: Progress, context: AuditContext): Promise<void> {
    const actor: BulkActor = {
      id: context.actorId,
      label: context.actorLabel,
      changedBy: `${context.actorLabel} (import ${row.id.slice(0, 8)})`,
      requestId: context.requestId ?? null,
      ip: context.ip ?? null,
      deviceTime: context.deviceTime ?? null,
    };
    const of = (kind: ImportKind, action: PlanAction) => plan.filter((p) => p.kind === kind && p.action === action);
    const nodeCreates = of('node', 'create');
    const nodeUpdates = of('node', 'update');
    const segmentCreates = of('segment', 'create');
    const segmentUpdates = of('segment', 'update');
    const total = nodeCreates.length + nodeUpdates.length + segmentCreates.length + segmentUpdates.length || 1;
    // Rows renamed away from a code another feature takes give it up first, under a placeholder,
    // so that no insert or update meets it; each gets its new code with its update.
    const parked = { node: renamedAway(plan, 'node'), segment: renamedAway(plan, 'segment') };
    await this.nodes.parkCodes(
      parked.node.map((p) => p.existingId!),
      manager,
    );
    await this.segments.parkCodes(
      parked.segment.map((p) => p.existingId!),
      manager,
    );
    let done = 0;
    const advance = async (count: number) => {
      done += count;
      await onProgress((done / total) * 100);
    };

    for (const batch of batches(nodeCreates)) {
      const inserted = await this.nodes.insertImported(batch.map(bulkNode), row.id, actor, manager);
      const taken = batch.find((item) => !inserted.has(item.code));
      if (taken) throw new DomainError('DUPLICATE_CODE', { code: taken.code });
      await advance(batch.length);
    }
    const movedNodes: string[] = [];
    for (const round of rounds(nodeUpdates)) {
      for (const batch of batches(round)) {
        movedNodes.push(
          ...(await this.nodes.updateImported(
            batch.map((item) => ({ id: item.existingId!, ...bulkNode(item) })),
            row.id,
            actor,
            manager,
          )),
        );
        await advance(batch.length);
      }
    }
    // Cable follows its node, as in editing: segment ends move with it, and their areas are recomputed.
    if (movedNodes.length) await this.nodes.assignAreas([...new Set(movedNodes)], manager);
    const reshaped = await this.segments.followNodes([...new Set(movedNodes)], manager);

    const madeNodes: string[] = [];
    for (const batch of batches(segmentCreates)) {
      const segments = await this.segmentsWithEnds(batch, manager, madeNodes);
      reshaped.push(
        ...(await this.segments.insertImported(
          segments.map((s) => s.segment),
          row.id,
          actor,
          manager,
        )),
      );
      await advance(batch.length);
    }
    for (const round of rounds(segmentUpdates)) {
      for (const batch of batches(round)) {
        const segments = await this.segmentsWithEnds(batch, manager, madeNodes);
        reshaped.push(
          ...(await this.segments.updateImported(
            segments.map((s) => ({ id: s.item.existingId!, ...s.segment })),
            row.id,
            actor,
            manager,
          )),
        );
        await advance(batch.length);
      }
    }
    // A parked row whose update was refused after all (collapses_onto_one_node) takes its code back.
    const unwritten = parked.segment.filter((p) => p.action === 'reject');
    const back = await this.segments.unparkCodes(
      unwritten.map((p) => ({ id: p.existingId!, code: p.existingCode! })),
      manager,
    );
    if (back < unwritten.length) throw new DomainError('DUPLICATE_CODE', { codes: unwritten.map((p) => p.existingCode) });
    // Nodes made by the rare fallback for a taken code (nodeAtOrNew) have no areas yet.
    if (madeNodes.length) await this.nodes.assignAreas(madeNodes, manager);
    await this.segments.recomputeAreas([...new Set(reshaped)], manager);
    await onProgress(100);
  }

  /**
   * The segments of one batch with their end nodes, set-based: ends matched to stored nodes within
   * the tolerance in one query; the new nodes of the ends that meet none (grouped by import-ends)
   * inserted at once. A segment whose ends would fall on one node is refused (and left out).
   */
  private async segmentsWithEnds(batch: PlanItem[], manager: EntityManager, madeNodes: string[]): Promise<{ item: PlanItem; segment: BulkSegment }[]> {
    const tolerance = this.config.snapToleranceM;
    const ends = batchEnds(batch, await this.nodes.matchEnds(endsOf(batch), tolerance, manager), tolerance);
    const inserted = await this.nodes.insertEnds(
      ends.newNodes.map((n) => ({ code: n.code, kind: 'joint_closure', status: n.status, lon: n.at[0], lat: n.at[1] })),
      manager,
    );
    const newNodeIds: string[] = [];
    for (const node of ends.newNodes) {
      let id = inserted.get(node.code);
      // A code taken by an earlier import: this node gets the code with a suffix from its position.
      if (!id) {
        const made = await this.endNodes.nodeAtOrNew(node.at, tolerance, { code: node.code, kind: 'joint_closure', status: node.status }, manager);
        id = made.node.id;
        if (made.created) madeNodes.push(id);
      }
      newNodeIds.push(id);
    }
    const { segments, refused } = segmentsOnNodes(batch, ends, newNodeIds);
    for (const item of refused) refuse(item, 'collapses_onto_one_node');
    return segments;
  }
}

function bulkNode(item: PlanItem) {
  const [lon, lat] = (item.geometry as Point).coordinates;
  return { code: item.code, ref: item.ref, name: item.name, kind: item.nodeKind, status: item.status, lon, lat };
}

/** Codes and references per query of the stored rows: a few array parameters, one index scan each. */
const LOOKUP = 5000;

/** Rows per statement: large enough to amortise the round trip, small enough for one JSON parameter. */
const BATCH = 2000;

function batches<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += BATCH) out.push(items.slice(start, start + BATCH));
  return out;
}

/**
 * Updates split so that each existing row appears once per round. The plan matches a row to one
 * feature at most (a second one is refused), so this is one round; it stays as a guard, since
 * one statement must not update a row twice.
 */
function rounds(items: PlanItem[]): PlanItem[][] {
  const out: PlanItem[][] = [];
  const seen = new Map<string, number>();
  for (const item of items) {
    const round = seen.get(item.existingId!) ?? 0;
    seen.set(item.existingId!, round + 1);
    (out[round] ??= []).push(item);
  }
  return out;
}
