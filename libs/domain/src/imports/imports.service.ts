import { Inject, Injectable, Logger } from '@nestjs/common';
import { SERAT_CONFIG, SeratConfig } from '@serat/config';
import { checkLineString, checkPoint, ImportedFeature, ImportFileError, parseImportFile, ParsedImport } from '@serat/geo';
import * as turf from '@turf/turf';
import type { Geometry, LineString, Point, Position } from 'geojson';
import { createHash } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { z } from 'zod';
import { AuditContext, AuditRepository } from '../audit/audit.repository';
import { NetworkEditRepository } from '../network/network-edit.repository';
import { NETWORK_STATUSES, NetworkStatus, NODE_KINDS, NodeKind, SEGMENT_PLACEMENTS, SEGMENT_TIERS } from '@serat/vocabulary';
import { NodesRepository } from '../network/nodes.repository';
import { BulkSegment, SegmentsRepository } from '../network/segments.repository';
import { DomainError } from '../shared/domain-error';
import { storableText } from '../shared/field-rules';
import { UnitOfWork } from '../shared/transaction';
import type { BulkActor } from './bulk-actor';
import { ImportAnalysis, ImportAnalysisBuilder } from './import-analysis';
import { codeWithSuffix, fallbackCode, ImportMapping, mapFeature, mappingSchema, storedTextReasons } from './import-mapping';
import { judgeImportedStatus } from './import-status';
import { ExistingRow, ImportRow, ImportsRepository } from './imports.repository';

export const importOptionsSchema = z.object({
  /** Refuse positions outside the configured region (false for files from elsewhere). */
  regionCheck: z.boolean().default(true),
  templateId: z.uuid().optional(),
  mapping: mappingSchema.optional(),
  /** Names the source in external references and made-up codes; default: the file name. */
  source: z.string().regex(/^[A-Za-z0-9._-]{1,40}$/).optional(),
  defaultStatus: z.enum(NETWORK_STATUSES).default('planned'),
  defaultTier: z.enum(SEGMENT_TIERS).default('distribution'),
  defaultPlacement: z.enum(SEGMENT_PLACEMENTS).default('aerial'),
  nodeKind: z.enum(NODE_KINDS).default('joint_closure'),
  /**
   * Written by the dry run, never taken from a caller: the mapping it used (the template's, as it
   * was then, with the options' own over it). The commit applies exactly this one.
   */
  analysedMapping: mappingSchema.optional(),
});
export type ImportOptions = z.output<typeof importOptionsSchema>;

export type PlanAction = 'create' | 'update' | 'unchanged' | 'reject';

interface PlanItem {
  index: number;
  sourceId: string | null;
  /** Without a code or id of its own, known by its shape (see planFeature). */
  byShape: boolean;
  part: number | null;
  kind: 'segment' | 'node';
  action: PlanAction;
  code: string;
  ref: string;
  reasons: string[];
  warnings: string[];
  existingId?: string;
  existingVersion?: number;
  /** The matched row's code before the import. */
  existingCode?: string;
  geometry?: LineString | Point;
  status: NetworkStatus;
  name: string | null;
  coreCount: number | null;
  cableType: string | null;
  placement: string;
  tier: string;
  nodeKind: NodeKind;
  /**
   * What the file itself gives (null: no column for it, an empty cell or a word not recognised).
   * A create takes the defaults for what is missing; an update keeps the stored values.
   */
  given: { status: NetworkStatus | null; name: string | null; coreCount: number | null; cableType: string | null; placement: string | null; tier: string | null; nodeKind: NodeKind | null };
  /** The made-up code with a suffix (a repeated shape's `-2`), never cutting what identifies it; absent for a code of the file's own. */
  recode?: (suffix: string) => string;
}

export interface ImportCounts {
  features: number;
  create: number;
  update: number;
  unchanged: number;
  reject: number;
  lengthM: number;
}

/** What is stored with an import: the counts, and what the file holds for mapping it. */
export interface ImportSummary extends ImportCounts {
  analysis: ImportAnalysis;
}

type Progress = (percent: number) => Promise<void>;

/** What a failed import says when the cause is not the file's (the details are in the server's log). */
export const IMPORT_FAILED_MESSAGE = 'The import could not be completed because of an internal error; nothing of it was applied.';

const round7 = (p: Position): Position => [Math.round(p[0] * 1e7) / 1e7, Math.round(p[1] * 1e7) / 1e7];

/** What stands for a feature without an id of its own: its positions to 7 decimals (1 cm), hashed; 10 hex digits. */
function shapeKey(geometry: Geometry): string {
  const positions = geometry.type === 'LineString' || geometry.type === 'MultiPoint' ? geometry.coordinates.map(round7)
    : geometry.type === 'Point' ? round7(geometry.coordinates)
    : geometry.type === 'MultiLineString' ? geometry.coordinates.map((line) => line.map(round7))
    : geometry;
  return createHash('sha256').update(JSON.stringify(positions)).digest('hex').slice(0, 10);
}

/**
 * Imports of contractors' files. A dry run (analyse) parses the file, maps its properties and
 * says per feature: create, update (matched by code or external reference), unchanged, or
 * reject with the reason. The commit does the same against the current database and applies
 * everything in one transaction. Re-importing the same file changes nothing.
 */
@Injectable()
export class ImportsService {
  private readonly logger = new Logger(ImportsService.name);

  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly imports: ImportsRepository,
    private readonly nodes: NodesRepository,
    private readonly segments: SegmentsRepository,
    private readonly network: NetworkEditRepository,
    private readonly audit: AuditRepository,
    @Inject(SERAT_CONFIG) private readonly config: SeratConfig,
  ) {}

  /** Stores an upload, queued for its dry run under the job id `jobIdOf` gives for the new import's id. */
  async create(fileName: string, bytes: Buffer, options: unknown, userId: string, context: AuditContext, jobIdOf: (id: string) => string): Promise<ImportRow> {
    const checked = await this.checkOptions(options);
    const safeName = fileName.replace(/[^\p{L}\p{N}._ -]/gu, '_').slice(0, 200) || 'upload';
    const row = await this.imports.create({ createdBy: userId, fileName: safeName, sha256: createHash('sha256').update(bytes).digest('hex'), file: bytes, options: checked }, jobIdOf);
    await this.audit.append({ action: 'create', entityType: 'import', entityId: row.id, changes: { file: { before: null, after: { name: safeName, sizeBytes: bytes.length } } } }, context);
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
      let mapping = options.mapping;
      if (options.templateId) {
        const template = await this.imports.findTemplate(options.templateId);
        if (template) mapping = { ...mappingSchema.parse(template.mapping), ...options.mapping };
      }
      options.analysedMapping = mapping ?? {};
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
      const summary = this.summarise(parsed, plan, analysis.result(options.mapping));
      // The options with the mapping analysed: what the commit will apply.
      const stored = { ...row.options, analysedMapping: options.analysedMapping };
      if (!(await this.imports.finish(id, jobId, { state: 'ready', format: parsed.format, sourceCrs: parsed.sourceCrs, summary, report: this.report(parsed, plan), options: stored }))) {
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
        const result = this.summarise(parsed, plan, analysis.result(options.mapping));
        // The row is this job's (checked under the commit lock above); should it not be, nothing is applied.
        if (!(await this.imports.finish(id, jobId, { state: 'committed', summary: result, report: this.report(parsed, plan), committed: true }, manager))) {
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

  private summarise(parsed: ParsedImport, plan: PlanItem[], analysis: ImportAnalysis): ImportSummary {
    const count = (action: PlanAction) => plan.filter((p) => p.action === action).length;
    const lengthM = plan
      .filter((p) => p.kind === 'segment' && p.action !== 'reject' && p.geometry)
      .reduce((total, p) => total + turf.length(turf.lineString((p.geometry as LineString).coordinates), { units: 'meters' }), 0);
    return {
      features: parsed.features.length + parsed.problems.length,
      create: count('create'),
      update: count('update'),
      unchanged: count('unchanged'),
      reject: count('reject') + parsed.problems.length,
      lengthM: Math.round(lengthM * 10) / 10,
      analysis,
    };
  }

  private report(parsed: ParsedImport, plan: PlanItem[]) {
    // Stored as jsonb, which takes no NUL nor lone surrogate: the file's own ids and words are shown with U+FFFD for them.
    const shown = (text: string | null) => (text === null ? null : storableText(text));
    const rows = plan.map((p) => ({ index: p.index, sourceId: shown(p.sourceId), part: p.part, kind: p.kind, action: p.action, code: p.code, reasons: p.reasons, warnings: p.warnings }));
    const problems = parsed.problems.map((p) => ({ index: p.index, sourceId: shown(p.sourceId), part: null, kind: null, action: 'reject', code: null, reasons: [p.code], warnings: [], message: storableText(p.message) }));
    return [...rows, ...problems].sort((a, b) => a.index - b.index || (a.part ?? 0) - (b.part ?? 0));
  }

  /**
   * What would happen to each feature (and each part of a multi-line), against the database as it
   * is now. With `lock` (the commit) the matched rows stay locked until the transaction ends, so no
   * status change in the field slips in between this judgement and the write.
   */
  private async plan(
    row: ImportRow, options: ImportOptions, parsed: ParsedImport, manager: EntityManager | undefined, onProgress: Progress, lock = false, analysis?: ImportAnalysisBuilder,
  ): Promise<PlanItem[]> {
    const source = options.source ?? (row.fileName.replace(/\.[^.]+$/, '').replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 40) || 'import');
    const region = options.regionCheck ? this.config.region.bbox : null;
    const items: PlanItem[] = [];
    for (const feature of parsed.features) items.push(...this.planFeature(feature, options, source, region, analysis));

    // Two cables without codes or ids along the very same route (one duct) are two spans, told
    // apart by their order among those shapes: the second is ~2, and so on.
    const shapes = new Map<string, number>();
    for (const item of items) {
      if (!item.byShape || item.action === 'reject') continue;
      const key = `${item.kind}:${item.ref}`;
      const nth = (shapes.get(key) ?? 0) + 1;
      shapes.set(key, nth);
      if (nth > 1) {
        item.ref = `${item.ref}~${nth}`.slice(0, 200);
        item.code = item.recode ? item.recode(`-${nth}`) : `${item.code.slice(0, 54)}-${nth}`;
      }
    }
    // Within one file a code is used once: later features with the same code are refused.
    const seen = new Set<string>();
    for (const item of items) {
      if (item.action === 'reject') continue;
      const key = `${item.kind}:${item.code}`;
      if (seen.has(key)) {
        item.action = 'reject';
        item.reasons.push('duplicate_code_in_file');
      }
      seen.add(key);
    }
    await onProgress(40);

    for (const kind of ['segment', 'node'] as const) {
      const mine = items.filter((i) => i.kind === kind && i.action !== 'reject');
      const table = kind === 'segment' ? 'segments' : 'nodes';
      const found = [];
      for (let start = 0; start < mine.length; start += 5000) {
        const slice = mine.slice(start, start + 5000);
        found.push(...(await this.imports.existing(table, slice.map((i) => i.code), slice.map((i) => i.ref), manager, lock)));
      }
      const byRef = new Map(found.filter((f) => f.externalRef).map((f) => [f.externalRef!, f]));
      const byCode = new Map(found.map((f) => [f.code, f]));
      // Each existing row is matched by one feature at most: first by external reference (all of
      // them), then by code among the rows no reference claimed. A second feature reaching a row
      // already claimed is refused, never merged into the first one's update.
      const claimedBy = new Map<string, PlanItem>();
      const matchOf = new Map<PlanItem, ExistingRow>();
      const claim = (find: (item: PlanItem) => ExistingRow | undefined) => {
        for (const item of mine) {
          if (item.action === 'reject' || matchOf.has(item)) continue;
          const match = find(item);
          if (!match) continue;
          if (claimedBy.has(match.id)) {
            item.action = 'reject';
            item.reasons.push('matches_row_of_another_feature');
            continue;
          }
          claimedBy.set(match.id, item);
          matchOf.set(item, match);
        }
      };
      claim((item) => byRef.get(item.ref));
      claim((item) => byCode.get(item.code));
      for (const item of mine) {
        if (item.action === 'reject') continue;
        const match = matchOf.get(item);
        // A code held by another row stays with it, unless a feature of this file renames that row.
        const holder = byCode.get(item.code);
        if (holder && holder.id !== match?.id) {
          const renamer = claimedBy.get(holder.id);
          if (!renamer || renamer.action === 'reject' || renamer.code === holder.code) {
            item.action = 'reject';
            item.reasons.push('code_in_use');
            matchOf.delete(item);
            if (match && claimedBy.get(match.id) === item) claimedBy.delete(match.id);
            continue;
          }
        }
        if (!match) {
          item.action = 'create';
          this.fillDefaults(item, options);
          continue;
        }
        item.existingId = match.id;
        item.existingVersion = match.version;
        item.existingCode = match.code;
        // What the file does not give keeps its stored value: no column is no wish to change it.
        item.status = item.given.status ?? match.status;
        item.name = item.given.name ?? match.name ?? null;
        item.coreCount = item.given.coreCount ?? match.coreCount ?? null;
        item.cableType = item.given.cableType ?? match.cableType ?? null;
        item.placement = item.given.placement ?? match.placement ?? options.defaultPlacement;
        item.tier = item.given.tier ?? match.tier ?? options.defaultTier;
        item.nodeKind = item.given.nodeKind ?? (match.kind as NodeKind | undefined) ?? options.nodeKind;
        const verdict = judgeImportedStatus(match.status, item.status);
        if (!verdict.apply) {
          // The rest of the feature still applies; the status stays where the field left it.
          item.status = match.status;
          item.warnings = [...item.warnings, verdict.warning];
        }
        item.action = this.differs(item, match) ? 'update' : 'unchanged';
      }
      // A row renamed away by a feature that was refused after all keeps its code: those counting on it are refused too.
      for (let changed = true; changed; ) {
        changed = false;
        for (const item of mine) {
          if (item.action === 'reject') continue;
          const holder = byCode.get(item.code);
          if (!holder || holder.id === item.existingId) continue;
          const renamer = claimedBy.get(holder.id);
          if (!renamer || renamer.action === 'reject') {
            item.action = 'reject';
            item.reasons.push('code_in_use');
            changed = true;
          }
        }
      }
    }
    await onProgress(100);
    return items;
  }

  /** A create takes the options' defaults for what the file does not give. */
  private fillDefaults(item: PlanItem, options: ImportOptions): void {
    item.status = item.given.status ?? options.defaultStatus;
    item.name = item.given.name;
    item.coreCount = item.given.coreCount;
    item.cableType = item.given.cableType;
    item.placement = item.given.placement ?? options.defaultPlacement;
    item.tier = item.given.tier ?? options.defaultTier;
    item.nodeKind = item.given.nodeKind ?? options.nodeKind;
  }

  /** Whether an update would write anything: every field it writes is compared. */
  private differs(item: PlanItem, match: ExistingRow): boolean {
    if (match.code !== item.code || match.status !== item.status) return true;
    if (item.kind === 'node') {
      const [a, b] = [match.geometry.coordinates as Position, (item.geometry as Point).coordinates];
      return match.kind !== item.nodeKind || (match.name ?? null) !== item.name || turf.distance(a, b, { units: 'meters' }) > 0.01;
    }
    if ((match.coreCount ?? null) !== item.coreCount || (match.cableType ?? null) !== item.cableType || match.placement !== item.placement || match.tier !== item.tier) return true;
    // Ends were snapped to nodes when stored: compare them within the snapping tolerance, the rest exactly.
    const stored = match.geometry.coordinates as Position[];
    const mine = (item.geometry as LineString).coordinates;
    if (stored.length !== mine.length) return true;
    const tolerance = this.config.snapToleranceM;
    return stored.some((p, i) => {
      const q = mine[i];
      const end = i === 0 || i === stored.length - 1;
      return end ? turf.distance(p, q, { units: 'meters' }) > tolerance : Math.abs(p[0] - q[0]) > 2e-7 || Math.abs(p[1] - q[1]) > 2e-7;
    });
  }

  private planFeature(feature: ImportedFeature, options: ImportOptions, source: string, region: [number, number, number, number] | null, analysis?: ImportAnalysisBuilder): PlanItem[] {
    const mapped = mapFeature(feature, options.mapping);
    analysis?.add(feature.properties, mapped);
    const warnings = mapped.unknownStatus ? [`status_unmapped:${storableText(mapped.unknownStatus.slice(0, 40))}`] : [];
    const base = {
      index: feature.index,
      sourceId: feature.sourceId,
      byShape: (feature.positional || feature.sourceId === null) && !mapped.code,
      warnings,
      status: mapped.status ?? options.defaultStatus,
      name: mapped.name,
      coreCount: mapped.coreCount,
      cableType: mapped.cableType,
      placement: mapped.placement ?? options.defaultPlacement,
      tier: mapped.tier ?? options.defaultTier,
      nodeKind: mapped.nodeKind ?? options.nodeKind,
      given: { status: mapped.status, name: mapped.name, coreCount: mapped.coreCount, cableType: mapped.cableType, placement: mapped.placement, tier: mapped.tier, nodeKind: mapped.nodeKind },
    };
    const geometry = feature.geometry;
    const lines: Position[][] = geometry.type === 'LineString' ? [geometry.coordinates] : geometry.type === 'MultiLineString' ? geometry.coordinates : [];
    const points: Position[] = geometry.type === 'Point' ? [geometry.coordinates] : geometry.type === 'MultiPoint' ? geometry.coordinates : [];
    const multi = lines.length > 1 || points.length > 1;
    // The folder (KML folder, shapefile layer) is part of a feature's identity: record 1 of two layers are two features.
    const layer = feature.folder.length ? `${feature.folder.join('/').replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 30)}-` : '';
    // A feature is known by its own id (GeoJSON id, placemark id, an id column). Without one, by
    // its shape: a line or record number is no identity, since a revised file may insert or drop
    // rows, and matching by position would move one cable onto another's route.
    const ownId = feature.positional ? null : feature.sourceId;
    const partShape = (part: number | null): Geometry =>
      part === null ? geometry : lines.length ? { type: 'LineString', coordinates: lines[part] } : { type: 'Point', coordinates: points[part] };
    const identity = (part: number | null) => (ownId === null ? `g${shapeKey(partShape(part))}` : ownId);
    const own = mapped.code?.replace(/[^A-Za-z0-9._/-]/g, '_').slice(0, 55);
    const codeOf = (part: number | null, suffix = '') => {
      if (own) return part === null ? own : `${own}.${part + 1}`;
      return ownId === null
        ? fallbackCode(`${source}-${layer}`.replace(/-$/, ''), identity(part).slice(1), null, suffix)
        : fallbackCode(`${source}-${layer}`.replace(/-$/, ''), ownId, part, suffix);
    };
    const recode = own ? undefined : (part: number | null) => (suffix: string) => codeOf(part, suffix);
    // Stored as text: an id with a NUL (or cut inside a surrogate pair) must not fail the commit.
    const refOf = (part: number | null) => storableText(`${source}:${layer}${identity(part)}${part === null || ownId === null ? '' : `#${part + 1}`}`.slice(0, 200));

    if (lines.length) {
      // The api's rules for what a segment stores: refused here, the commit never meets it.
      const textReasons = storedTextReasons('segment', mapped);
      return lines.map((coordinates, i) => {
        const part = multi ? i : null;
        const checked = checkLineString({ type: 'LineString', coordinates: coordinates.map(round7) }, region);
        // Both ends would snap to one node: a loop or a stub shorter than the tolerance cannot be a span.
        if (checked.line && turf.distance(coordinates[0], coordinates[coordinates.length - 1], { units: 'meters' }) <= this.config.snapToleranceM) {
          return { ...base, part, kind: 'segment' as const, code: codeOf(part), recode: recode?.(part), ref: refOf(part), action: 'reject' as const, reasons: [...textReasons, 'ends_within_snap_tolerance'] };
        }
        return {
          ...base, part, kind: 'segment' as const, code: codeOf(part), recode: recode?.(part), ref: refOf(part),
          action: checked.line && !textReasons.length ? ('create' as const) : ('reject' as const),
          reasons: [...textReasons, ...checked.problems.map((p) => p.code)],
          geometry: checked.line ?? undefined,
        };
      });
    }
    if (points.length) {
      const textReasons = storedTextReasons('node', mapped);
      return points.map((coordinates, i) => {
        const part = multi ? i : null;
        const checked = checkPoint({ type: 'Point', coordinates: round7(coordinates) }, region);
        return {
          ...base, part, kind: 'node' as const, code: codeOf(part), recode: recode?.(part), ref: refOf(part),
          action: checked.point && !textReasons.length ? ('create' as const) : ('reject' as const),
          reasons: [...textReasons, ...checked.problems.map((p) => p.code)],
          geometry: checked.point ?? undefined,
        };
      });
    }
    return [{ ...base, part: null, kind: 'segment', code: codeOf(null), ref: refOf(null), action: 'reject', reasons: [`unsupported_geometry:${geometry.type}`] }];
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
      id: context.actorId, label: context.actorLabel, changedBy: `${context.actorLabel} (import ${row.id.slice(0, 8)})`,
      requestId: context.requestId ?? null, ip: context.ip ?? null, deviceTime: context.deviceTime ?? null,
    };
    const of = (kind: PlanItem['kind'], action: PlanAction) => plan.filter((p) => p.kind === kind && p.action === action);
    const nodeCreates = of('node', 'create');
    const nodeUpdates = of('node', 'update');
    const segmentCreates = of('segment', 'create');
    const segmentUpdates = of('segment', 'update');
    const total = nodeCreates.length + nodeUpdates.length + segmentCreates.length + segmentUpdates.length || 1;
    // Rows renamed away from a code another feature takes (plan allows it) give it up first, under
    // a placeholder, so that no insert or update meets it; each gets its new code with its update.
    const parked = { node: [] as PlanItem[], segment: [] as PlanItem[] };
    for (const kind of ['node', 'segment'] as const) {
      const wanted = new Set(plan.filter((p) => p.kind === kind && p.action !== 'reject' && p.action !== 'unchanged').map((p) => p.code));
      parked[kind] = of(kind, 'update').filter((p) => p.existingCode !== p.code && wanted.has(p.existingCode!));
      const ids = parked[kind].map((p) => p.existingId!);
      await (kind === 'node' ? this.nodes.parkCodes(ids, manager) : this.segments.parkCodes(ids, manager));
    }
    let done = 0;
    const advance = async (count: number) => {
      done += count;
      await onProgress((done / total) * 100);
    };

    for (const batch of batches(nodeCreates)) {
      const inserted = await this.nodes.insertImported(batch.map((item) => this.bulkNode(item)), row.id, actor, manager);
      const taken = batch.find((item) => !inserted.has(item.code));
      if (taken) throw new DomainError('DUPLICATE_CODE', { code: taken.code });
      await advance(batch.length);
    }
    const movedNodes: string[] = [];
    for (const round of rounds(nodeUpdates)) {
      for (const batch of batches(round)) {
        movedNodes.push(...(await this.nodes.updateImported(batch.map((item) => ({ id: item.existingId!, ...this.bulkNode(item) })), row.id, actor, manager)));
        await advance(batch.length);
      }
    }
    // Cable follows its node, as in editing: segment ends move with it, and their areas are recomputed.
    if (movedNodes.length) await this.nodes.assignAreas([...new Set(movedNodes)], manager);
    const reshaped = await this.segments.followNodes([...new Set(movedNodes)], manager);

    const madeNodes: string[] = [];
    for (const batch of batches(segmentCreates)) {
      const segments = await this.segmentsWithEnds(batch, manager, madeNodes);
      reshaped.push(...(await this.segments.insertImported(segments.map((s) => s.segment), row.id, actor, manager)));
      await advance(batch.length);
    }
    for (const round of rounds(segmentUpdates)) {
      for (const batch of batches(round)) {
        const segments = await this.segmentsWithEnds(batch, manager, madeNodes);
        reshaped.push(...(await this.segments.updateImported(segments.map((s) => ({ id: s.item.existingId!, ...s.segment })), row.id, actor, manager)));
        await advance(batch.length);
      }
    }
    // A parked row whose update was refused after all (collapses_onto_one_node) takes its code back.
    const unwritten = parked.segment.filter((p) => p.action === 'reject');
    const back = await this.segments.unparkCodes(unwritten.map((p) => ({ id: p.existingId!, code: p.existingCode! })), manager);
    if (back < unwritten.length) throw new DomainError('DUPLICATE_CODE', { codes: unwritten.map((p) => p.existingCode) });
    // Nodes made by the rare fallback for a taken code (nodeAtOrNew) have no areas yet.
    if (madeNodes.length) await this.nodes.assignAreas(madeNodes, manager);
    await this.segments.recomputeAreas([...new Set(reshaped)], manager);
    await onProgress(100);
  }

  private bulkNode(item: PlanItem) {
    const [lon, lat] = (item.geometry as Point).coordinates;
    return { code: item.code, ref: item.ref, name: item.name, kind: item.nodeKind, status: item.status, lon, lat };
  }

  /**
   * The segments of one batch with their end nodes, set-based: ends matched to existing nodes
   * within the tolerance in one query; ends that meet no node are grouped (ends of this batch
   * within the tolerance of each other share one new node) and inserted at once. A segment whose
   * ends would fall on one node is rejected (and left out of the answer).
   */
  private async segmentsWithEnds(batch: PlanItem[], manager: EntityManager, madeNodes: string[]): Promise<{ item: PlanItem; segment: BulkSegment }[]> {
    const tolerance = this.config.snapToleranceM;
    const lines = batch.map((item) => (item.geometry as LineString).coordinates);
    const ends = lines.flatMap((c, i) => [
      { i, which: 0 as const, lon: c[0][0], lat: c[0][1] },
      { i, which: 1 as const, lon: c[c.length - 1][0], lat: c[c.length - 1][1] },
    ]);
    const matches = await this.nodes.matchEnds(ends, tolerance, manager);
    const endNode = new Map<string, { id: string | null; at: Position; cluster?: number }>();
    const own = new Map(ends.map((e) => [`${e.i}:${e.which}`, [e.lon, e.lat] as Position]));
    for (const m of matches) endNode.set(`${m.i}:${m.which}`, { id: m.nodeId, at: m.node ?? own.get(`${m.i}:${m.which}`)! });

    // Group the free ends: a grid of cells about the tolerance wide, each end joins a cluster
    // whose first point lies within the tolerance in its cell or a neighbouring one.
    const cell = tolerance / 50000 || 1e-9;
    const grid = new Map<string, number[]>();
    const clusters: { at: Position; code: string; status: string }[] = [];
    for (const m of matches) {
      const entry = endNode.get(`${m.i}:${m.which}`)!;
      if (entry.id) continue;
      const [x, y] = entry.at;
      const cx = Math.floor(x / cell);
      const cy = Math.floor(y / cell);
      let found: number | undefined;
      for (let dx = -1; dx <= 1 && found === undefined; dx++) {
        for (let dy = -1; dy <= 1 && found === undefined; dy++) {
          for (const k of grid.get(`${cx + dx}:${cy + dy}`) ?? []) {
            if (turf.distance(clusters[k].at, entry.at, { units: 'meters' }) <= tolerance) {
              found = k;
              break;
            }
          }
        }
      }
      if (found === undefined) {
        found = clusters.length;
        clusters.push({ at: entry.at, code: codeWithSuffix(batch[m.i].code, m.which === 0 ? '-A' : '-B'), status: batch[m.i].status });
        grid.set(`${cx}:${cy}`, [...(grid.get(`${cx}:${cy}`) ?? []), found]);
      }
      entry.cluster = found;
    }
    const inserted = await this.nodes.insertEnds(clusters.map((c) => ({ code: c.code, kind: 'joint_closure', status: c.status, lon: c.at[0], lat: c.at[1] })), manager);
    const clusterIds: string[] = [];
    for (const cluster of clusters) {
      let id = inserted.get(cluster.code);
      // A code taken by an earlier import: this node gets the code with a suffix from its position.
      if (!id) {
        const made = await this.network.nodeAtOrNew(cluster.at, tolerance, { code: cluster.code, kind: 'joint_closure', status: cluster.status }, manager);
        id = made.node.id;
        if (made.created) madeNodes.push(id);
      }
      clusterIds.push(id);
    }

    const segments: { item: PlanItem; segment: BulkSegment }[] = [];
    for (const [i, item] of batch.entries()) {
      const a = endNode.get(`${i}:0`)!;
      const b = endNode.get(`${i}:1`)!;
      const fromId = a.id ?? clusterIds[a.cluster!];
      const toId = b.id ?? clusterIds[b.cluster!];
      const coordinates = lines[i].map((p) => [...p]);
      coordinates[0] = a.id ? a.at : clusters[a.cluster!].at;
      coordinates[coordinates.length - 1] = b.id ? b.at : clusters[b.cluster!].at;
      if (fromId === toId || !checkLineString({ type: 'LineString', coordinates }, null).line) {
        item.action = 'reject';
        item.reasons.push('collapses_onto_one_node');
        continue;
      }
      segments.push({
        item,
        segment: {
          code: item.code, ref: item.ref, fromNodeId: fromId, toNodeId: toId, coordinates, status: item.status,
          placement: item.placement, tier: item.tier, cableType: item.cableType, coreCount: item.coreCount,
        },
      });
    }
    return segments;
  }
}

/** The counts of a summary, without the analysis (what a job reports, what goes into logs). */
function counts({ analysis: _analysis, ...rest }: ImportSummary): ImportCounts {
  return rest;
}

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
