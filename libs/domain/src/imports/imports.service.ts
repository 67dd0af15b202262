import { Inject, Injectable } from '@nestjs/common';
import { SERAT_CONFIG, SeratConfig } from '@serat/config';
import { checkLineString, checkPoint, ImportedFeature, ImportFileError, parseImportFile, ParsedImport } from '@serat/geo';
import * as turf from '@turf/turf';
import type { LineString, Point, Position } from 'geojson';
import { createHash } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { z } from 'zod';
import { AreasRepository } from '../areas/areas.repository';
import { AuditContext, AuditRepository } from '../audit/audit.repository';
import { NetworkEditRepository, NodeRow } from '../network/network-edit.repository';
import { StatusRepository } from '../network/status.repository';
import { NETWORK_STATUSES, NetworkStatus, NODE_KINDS, NodeKind, SEGMENT_PLACEMENTS, SEGMENT_TIERS } from '../network/network-vocabulary';
import { DomainError } from '../shared/domain-error';
import { fallbackCode, mapFeature, mappingSchema } from './import-mapping';
import { BulkSegmentsRepository } from './bulk-segments.repository';
import { ImportRow, ImportsRepository } from './imports.repository';

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
});
export type ImportOptions = z.output<typeof importOptionsSchema>;

export type PlanAction = 'create' | 'update' | 'unchanged' | 'reject';

interface PlanItem {
  index: number;
  sourceId: string | null;
  part: number | null;
  kind: 'segment' | 'node';
  action: PlanAction;
  code: string;
  ref: string;
  reasons: string[];
  warnings: string[];
  existingId?: string;
  existingVersion?: number;
  geometry?: LineString | Point;
  status: NetworkStatus;
  name: string | null;
  coreCount: number | null;
  cableType: string | null;
  placement: string;
  tier: string;
  nodeKind: NodeKind;
}

export interface ImportSummary {
  features: number;
  create: number;
  update: number;
  unchanged: number;
  reject: number;
  lengthM: number;
}

type Progress = (percent: number) => Promise<void>;

const round7 = (p: Position): Position => [Math.round(p[0] * 1e7) / 1e7, Math.round(p[1] * 1e7) / 1e7];

/**
 * Imports of contractors' files. A dry run (analyse) parses the file, maps its properties and
 * says per feature: create, update (matched by code or external reference), unchanged, or
 * reject with the reason. The commit does the same against the current database and applies
 * everything in one transaction. Re-importing the same file changes nothing.
 */
@Injectable()
export class ImportsService {
  constructor(
    private readonly imports: ImportsRepository,
    private readonly network: NetworkEditRepository,
    private readonly areas: AreasRepository,
    private readonly audit: AuditRepository,
    @Inject(SERAT_CONFIG) private readonly config: SeratConfig,
    private readonly status: StatusRepository,
    private readonly bulk: BulkSegmentsRepository = new BulkSegmentsRepository(),
  ) {}

  async create(fileName: string, bytes: Buffer, options: unknown, userId: string, context: AuditContext): Promise<ImportRow> {
    const parsed = importOptionsSchema.safeParse(options ?? {});
    if (!parsed.success) throw new DomainError('IMPORT_OPTIONS_INVALID', { problems: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) });
    if (parsed.data.templateId && !(await this.imports.findTemplate(parsed.data.templateId))) throw new DomainError('NOT_FOUND', { templateId: parsed.data.templateId });
    const safeName = fileName.replace(/[^\p{L}\p{N}._ -]/gu, '_').slice(0, 200) || 'upload';
    const row = await this.imports.create({ createdBy: userId, fileName: safeName, sha256: createHash('sha256').update(bytes).digest('hex'), file: bytes, options: parsed.data });
    await this.audit.append({ action: 'create', entityType: 'import', entityId: row.id, changes: { file: { before: null, after: { name: safeName, sizeBytes: bytes.length } } } }, context);
    return row;
  }

  private async load(id: string): Promise<{ row: ImportRow; options: ImportOptions; parsed: ParsedImport }> {
    const row = await this.imports.find(id);
    const bytes = await this.imports.file(id);
    if (!row || !bytes) throw new DomainError('NOT_FOUND');
    const options = importOptionsSchema.parse(row.options);
    if (options.templateId) {
      const template = await this.imports.findTemplate(options.templateId);
      if (template) options.mapping = { ...mappingSchema.parse(template.mapping), ...options.mapping };
    }
    const parsed = await parseImportFile(row.fileName, bytes);
    return { row, options, parsed };
  }

  /** The dry run, as a job: stores the summary and the per-feature report. */
  async analyse(id: string, onProgress: Progress): Promise<ImportSummary | null> {
    if (!(await this.imports.transition(id, ['queued', 'ready', 'failed'], 'analysing'))) return null;
    try {
      const { row, options, parsed } = await this.load(id);
      await onProgress(30);
      const plan = await this.plan(row, options, parsed, this.network.manager, (p) => onProgress(30 + p * 0.65));
      const summary = this.summarise(parsed, plan);
      await this.imports.finish(id, { state: 'ready', format: parsed.format, sourceCrs: parsed.sourceCrs, summary, report: this.report(parsed, plan) });
      return summary;
    } catch (error) {
      await this.fail(id, error);
      return null;
    }
  }

  /** Applies the import, all or nothing. Only an analysed import can be committed, once. */
  async commit(id: string, onProgress: Progress, context: AuditContext): Promise<ImportSummary | null> {
    if (!(await this.imports.transition(id, ['ready'], 'committing'))) return null;
    try {
      const { row, options, parsed } = await this.load(id);
      const summary = await this.imports.transaction(async (manager) => {
        const plan = await this.plan(row, options, parsed, manager, (p) => onProgress(p * 0.2));
        await this.apply(row, plan, manager, (p) => onProgress(20 + p * 0.75), context);
        const result = this.summarise(parsed, plan);
        await this.imports.finish(id, { state: 'committed', summary: result, report: this.report(parsed, plan), committed: true }, manager);
        return result;
      });
      await this.audit.append({ action: 'commit', entityType: 'import', entityId: id, changes: { summary: { before: null, after: summary } } }, context);
      return summary;
    } catch (error) {
      // The transaction rolled back: nothing of this import is in the network.
      await this.fail(id, error);
      return null;
    }
  }

  private async fail(id: string, error: unknown): Promise<void> {
    if (error instanceof ImportFileError) {
      await this.imports.finish(id, { state: 'failed', errorCode: error.code, errorMessage: error.message });
      return;
    }
    await this.imports.finish(id, { state: 'failed', errorCode: 'INTERNAL', errorMessage: (error as Error).message?.slice(0, 500) ?? String(error) });
    throw error;
  }

  private summarise(parsed: ParsedImport, plan: PlanItem[]): ImportSummary {
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
    };
  }

  private report(parsed: ParsedImport, plan: PlanItem[]) {
    const rows = plan.map((p) => ({ index: p.index, sourceId: p.sourceId, part: p.part, kind: p.kind, action: p.action, code: p.code, reasons: p.reasons, warnings: p.warnings }));
    const problems = parsed.problems.map((p) => ({ index: p.index, sourceId: p.sourceId, part: null, kind: null, action: 'reject', code: null, reasons: [p.code], warnings: [], message: p.message }));
    return [...rows, ...problems].sort((a, b) => a.index - b.index || (a.part ?? 0) - (b.part ?? 0));
  }

  /** What would happen to each feature (and each part of a multi-line), against the database as it is now. */
  private async plan(row: ImportRow, options: ImportOptions, parsed: ParsedImport, manager: EntityManager, onProgress: Progress): Promise<PlanItem[]> {
    const source = options.source ?? (row.fileName.replace(/\.[^.]+$/, '').replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 40) || 'import');
    const region = options.regionCheck ? this.config.region.bbox : null;
    const items: PlanItem[] = [];
    for (const feature of parsed.features) items.push(...this.planFeature(feature, options, source, region));

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
        found.push(...(await this.imports.existing(table, slice.map((i) => i.code), slice.map((i) => i.ref), manager)));
      }
      const byRef = new Map(found.filter((f) => f.externalRef).map((f) => [f.externalRef!, f]));
      const byCode = new Map(found.map((f) => [f.code, f]));
      for (const item of mine) {
        const match = byRef.get(item.ref) ?? byCode.get(item.code);
        if (!match) {
          item.action = 'create';
          continue;
        }
        item.existingId = match.id;
        item.existingVersion = match.version;
        item.action = this.differs(item, match) ? 'update' : 'unchanged';
      }
    }
    await onProgress(100);
    return items;
  }

  private differs(item: PlanItem, match: { code: string; geometry: { coordinates: unknown }; status: string; coreCount?: number | null; cableType?: string | null; placement?: string; kind?: string }): boolean {
    if (match.code !== item.code || match.status !== item.status) return true;
    if (item.kind === 'node') {
      const [a, b] = [match.geometry.coordinates as Position, (item.geometry as Point).coordinates];
      return match.kind !== item.nodeKind || turf.distance(a, b, { units: 'meters' }) > 0.01;
    }
    if ((match.coreCount ?? null) !== item.coreCount || (match.cableType ?? null) !== item.cableType || match.placement !== item.placement) return true;
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

  private planFeature(feature: ImportedFeature, options: ImportOptions, source: string, region: [number, number, number, number] | null): PlanItem[] {
    const mapped = mapFeature(feature, options.mapping);
    const warnings = mapped.unknownStatus ? [`status_unmapped:${mapped.unknownStatus.slice(0, 40)}`] : [];
    const base = {
      index: feature.index,
      sourceId: feature.sourceId,
      warnings,
      status: mapped.status ?? options.defaultStatus,
      name: mapped.name,
      coreCount: mapped.coreCount,
      cableType: mapped.cableType,
      placement: mapped.placement ?? options.defaultPlacement,
      tier: mapped.tier ?? options.defaultTier,
      nodeKind: mapped.nodeKind ?? options.nodeKind,
    };
    const geometry = feature.geometry;
    const lines: Position[][] = geometry.type === 'LineString' ? [geometry.coordinates] : geometry.type === 'MultiLineString' ? geometry.coordinates : [];
    const points: Position[] = geometry.type === 'Point' ? [geometry.coordinates] : geometry.type === 'MultiPoint' ? geometry.coordinates : [];
    const multi = lines.length > 1 || points.length > 1;
    // The folder (KML folder, shapefile layer) is part of a feature's identity: record 1 of two layers are two features.
    const layer = feature.folder.length ? `${feature.folder.join('/').replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 30)}-` : '';
    const codeOf = (part: number | null) => {
      const own = mapped.code?.replace(/[^A-Za-z0-9._/-]/g, '_').slice(0, 55);
      return own ? (part === null ? own : `${own}.${part + 1}`) : fallbackCode(`${source}-${layer}`.replace(/-$/, ''), feature.sourceId, feature.index, part);
    };
    const refOf = (part: number | null) => `${source}:${layer}${feature.sourceId ?? feature.index}${part === null ? '' : `#${part + 1}`}`.slice(0, 200);

    if (lines.length) {
      return lines.map((coordinates, i) => {
        const part = multi ? i : null;
        const checked = checkLineString({ type: 'LineString', coordinates: coordinates.map(round7) }, region);
        // Both ends would snap to one node: a loop or a stub shorter than the tolerance cannot be a span.
        if (checked.line && turf.distance(coordinates[0], coordinates[coordinates.length - 1], { units: 'meters' }) <= this.config.snapToleranceM) {
          return { ...base, part, kind: 'segment' as const, code: codeOf(part), ref: refOf(part), action: 'reject' as const, reasons: ['ends_within_snap_tolerance'] };
        }
        return {
          ...base, part, kind: 'segment' as const, code: codeOf(part), ref: refOf(part),
          action: checked.line ? ('create' as const) : ('reject' as const),
          reasons: checked.problems.map((p) => p.code),
          geometry: checked.line ?? undefined,
        };
      });
    }
    if (points.length) {
      return points.map((coordinates, i) => {
        const part = multi ? i : null;
        const checked = checkPoint({ type: 'Point', coordinates: round7(coordinates) }, region);
        return {
          ...base, part, kind: 'node' as const, code: codeOf(part), ref: refOf(part),
          action: checked.point ? ('create' as const) : ('reject' as const),
          reasons: checked.problems.map((p) => p.code),
          geometry: checked.point ?? undefined,
        };
      });
    }
    return [{ ...base, part: null, kind: 'segment', code: codeOf(null), ref: refOf(null), action: 'reject', reasons: [`unsupported_geometry:${geometry.type}`] }];
  }

  /** The node at a segment end: an existing one within the tolerance (one made earlier in this import too), else a new one. */
  private async endNode(position: Position, code: string, kind: NodeKind, status: string, manager: EntityManager): Promise<NodeRow> {
    return (await this.network.nodeAtOrNew(position, this.config.snapToleranceM, { code, kind, status }, manager)).node;
  }

  private async apply(row: ImportRow, plan: PlanItem[], manager: EntityManager, onProgress: Progress, context: AuditContext): Promise<void> {
    const work = plan.filter((p) => p.action === 'create' || p.action === 'update');
    const touchedSegments: string[] = [];
    const touchedNodes: string[] = [];
    const changedBy = `${context.actorLabel} (import ${row.id.slice(0, 8)})`;
    let done = 0;
    const nodeWork = work.filter((w) => w.kind === 'node');
    const segmentCreates = work.filter((w) => w.kind === 'segment' && w.action === 'create');
    const segmentUpdates = work.filter((w) => w.kind === 'segment' && w.action === 'update');
    // Nodes first, so that segment ends snap to the nodes of the same file; then new segments in
    // batches, set-based; then the (usually few) updated segments one by one.
    for (const item of nodeWork) {
      const [lon, lat] = (item.geometry as Point).coordinates;
      if (item.action === 'create') {
        const id = await this.network.insertNode({ code: item.code, name: item.name, kind: item.nodeKind, status: item.status, owner: null, lon, lat }, manager);
        if (!id) throw new DomainError('DUPLICATE_CODE', { code: item.code });
        await this.imports.setExternalRef('nodes', id, item.ref, manager);
        await this.status.insertChange({ subject: 'node', id, from: null, to: item.status, deviceTime: null, changedBy, changedByUserId: context.actorId, note: 'import', gps: null, otdr: null }, manager);
        touchedNodes.push(id);
        await this.audit.append({ action: 'import_create', entityType: 'node', entityId: id, changes: { code: { before: null, after: item.code }, import: { before: null, after: row.id } } }, context, manager);
      } else {
        await this.network.updateNode(item.existingId!, { code: item.code, name: item.name, kind: item.nodeKind, lon, lat }, manager);
        await this.setStatusIfChanged('node', item.existingId!, item.status, changedBy, context, manager);
        await this.imports.setExternalRef('nodes', item.existingId!, item.ref, manager);
        await this.network.followNode(item.existingId!, manager);
        touchedNodes.push(item.existingId!);
        await this.audit.append({ action: 'import_update', entityType: 'node', entityId: item.existingId!, changes: { import: { before: null, after: row.id } } }, context, manager);
      }
      done++;
      if (done % 200 === 0) await onProgress((done / work.length) * 100);
    }
    for (let start = 0; start < segmentCreates.length; start += 2000) {
      const batch = segmentCreates.slice(start, start + 2000);
      const ids = await this.createSegments(row, batch, manager, context, changedBy, touchedNodes);
      touchedSegments.push(...ids);
      done += batch.length;
      await onProgress((done / work.length) * 100);
    }
    for (const item of segmentUpdates) {
      await this.updateSegment(row, item, manager, context, changedBy, touchedNodes, touchedSegments);
      done++;
      if (done % 200 === 0) await onProgress((done / work.length) * 100);
    }
    await this.network.recomputeSegmentAreas([...new Set(touchedSegments)], manager);
    await this.areas.assignMembership('nodes', [...new Set(touchedNodes)], manager);
    await onProgress(100);
  }

  /**
   * New segments of one batch, set-based: their ends matched to existing nodes within the
   * tolerance in one query; ends that meet no node are grouped (ends of this batch within the
   * tolerance of each other share one new node) and inserted at once; then the segments with
   * their history and audit rows. Ends that would fall on one node reject the segment.
   */
  private async createSegments(row: ImportRow, batch: PlanItem[], manager: EntityManager, context: AuditContext, changedBy: string, touchedNodes: string[]): Promise<string[]> {
    const tolerance = this.config.snapToleranceM;
    const lines = batch.map((item) => (item.geometry as LineString).coordinates);
    const ends = lines.flatMap((c, i) => [
      { i, which: 0 as const, lon: c[0][0], lat: c[0][1] },
      { i, which: 1 as const, lon: c[c.length - 1][0], lat: c[c.length - 1][1] },
    ]);
    const matches = await this.bulk.matchEnds(ends, tolerance, manager);
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
        clusters.push({ at: entry.at, code: `${batch[m.i].code}-${m.which === 0 ? 'A' : 'B'}`, status: batch[m.i].status });
        grid.set(`${cx}:${cy}`, [...(grid.get(`${cx}:${cy}`) ?? []), found]);
      }
      entry.cluster = found;
    }
    const inserted = await this.bulk.insertNodes(clusters.map((c) => ({ code: c.code, kind: 'joint_closure', status: c.status, lon: c.at[0], lat: c.at[1] })), manager);
    const clusterIds: string[] = [];
    for (const cluster of clusters) {
      let id = inserted.get(cluster.code);
      // A code taken by an earlier import: this node gets the code with a suffix from its position.
      if (!id) id = (await this.endNode(cluster.at, cluster.code, 'joint_closure', cluster.status, manager)).id;
      clusterIds.push(id);
    }

    const segments = [];
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
      touchedNodes.push(fromId, toId);
      segments.push({
        code: item.code, ref: item.ref, fromNodeId: fromId, toNodeId: toId, coordinates, status: item.status,
        placement: item.placement, tier: item.tier, cableType: item.cableType, coreCount: item.coreCount,
      });
    }
    return this.bulk.insertSegments(segments, row.id, { id: context.actorId, label: context.actorLabel, changedBy, requestId: context.requestId ?? null, ip: context.ip ?? null }, manager);
  }

  private async updateSegment(row: ImportRow, item: PlanItem, manager: EntityManager, context: AuditContext, changedBy: string, touchedNodes: string[], touchedSegments: string[]): Promise<void> {
    const line = item.geometry as LineString;
    const from = await this.endNode(line.coordinates[0], `${item.code}-A`, 'joint_closure', item.status, manager);
    const to = await this.endNode(line.coordinates[line.coordinates.length - 1], `${item.code}-B`, 'joint_closure', item.status, manager);
    const coordinates = line.coordinates.map((p) => [...p]);
    coordinates[0] = from.geometry.coordinates;
    coordinates[coordinates.length - 1] = to.geometry.coordinates;
    const geometry: LineString = { type: 'LineString', coordinates };
    if (from.id === to.id || !checkLineString(geometry, null).line) {
      item.action = 'reject';
      item.reasons.push('collapses_onto_one_node');
      return;
    }
    touchedNodes.push(from.id, to.id);
    await this.network.updateSegment(
      item.existingId!,
      { placement: item.placement, tier: item.tier, cableType: item.cableType, coreCount: item.coreCount, code: item.code, geometry, fromNodeId: from.id, toNodeId: to.id },
      manager,
    );
    await this.setStatusIfChanged('segment', item.existingId!, item.status, changedBy, context, manager);
    await this.imports.setExternalRef('segments', item.existingId!, item.ref, manager);
    touchedSegments.push(item.existingId!);
    await this.audit.append({ action: 'import_update', entityType: 'segment', entityId: item.existingId!, changes: { import: { before: null, after: row.id } } }, context, manager);
  }

  /** Imports state what is: a different status is set as such, and kept in the history. */
  private async setStatusIfChanged(subject: 'segment' | 'node', id: string, status: NetworkStatus, changedBy: string, context: AuditContext, manager: EntityManager): Promise<void> {
    const from = await this.status.setStatusIfDifferent(subject, id, status, manager);
    if (from) await this.status.insertChange({ subject, id, from, to: status, deviceTime: null, changedBy, changedByUserId: context.actorId, note: 'import', gps: null, otdr: null }, manager);
  }

}
