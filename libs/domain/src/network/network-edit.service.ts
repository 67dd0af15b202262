import { Injectable } from '@nestjs/common';
import { Bbox, checkLineString, distanceM, withEndsOn, withinTolerance } from '@serat/geo';
import * as turf from '@turf/turf';
import type { LineString, Position } from 'geojson';
import { randomBytes } from 'node:crypto';
import { EntityManager } from 'typeorm';
import type { HistoryEntry } from '@serat/contract';
import type { NodeKind } from '@serat/vocabulary';
import { AuditContext, AuditRepository, diffFields } from '../audit/audit.repository';
import { scopeReasonOf } from '../phases/scope-reason';
import { DomainError } from '../shared/domain-error';
import { ScopeReasonRepository } from '../shared/scope-reason.repository';
import { atVersion, geometryError, positionOrThrow, withUniqueCode } from '../shared/row-edits';
import { UnitOfWork } from '../shared/transaction';
import { EndNodesService } from './end-nodes.service';
import { NetworkEditRepository, NodeRow, SegmentArea, SegmentRow } from './network-edit.repository';
import { NodeChanges, NodeRecord, NodesRepository } from './nodes.repository';
import { SegmentFields, SegmentRecord, SegmentsRepository } from './segments.repository';
import { StatusRepository, StatusSubject } from './status.repository';

export interface EditSettings {
  /** Where positions may lie (with a small margin); null: anywhere. */
  region: Bbox | null;
  /** A segment end within this many metres of a node is joined to it. */
  snapToleranceM: number;
}

/** A node to create; the geometry (a GeoJSON Point) is checked before anything is stored. */
export type NodeInput = Pick<NodeRecord, 'code' | 'kind'> & Partial<Pick<NodeRecord, 'name' | 'status' | 'owner'>> & { geometry: unknown };

/** A segment to draw; the geometry (a GeoJSON LineString) is checked before anything is stored. */
export type SegmentInput = Pick<SegmentRecord, 'code'> &
  Partial<SegmentFields & Pick<SegmentRecord, 'fromNodeId' | 'toNodeId' | 'status'>> & {
    geometry: unknown;
    /** The kind of node created at an end that meets no existing node. */
    newNodeKind?: NodeKind;
  };

export type EndResolution = 'existing' | 'created';

/** The checked cable route, or the reasons it cannot be stored. */
function lineOrThrow(input: unknown, region: Bbox | null): LineString {
  const checked = checkLineString(input, region);
  if (!checked.line) throw geometryError(checked.problems);
  return checked.line;
}

/** Planners editing the network (nodes and segments): validated geometry, snapped topology, versions, areas, audit. */
@Injectable()
export class NetworkEditService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly repo: NetworkEditRepository,
    private readonly nodes: NodesRepository,
    private readonly segments: SegmentsRepository,
    private readonly audit: AuditRepository,
    private readonly status: StatusRepository,
    private readonly endNodes: EndNodesService,
    private readonly scopeReason: ScopeReasonRepository,
  ) {}

  // ---- reads -------------------------------------------------------------------------------

  /** One node as stored, with its version (what an edit form starts from); null when there is none. */
  node(id: string): Promise<NodeRow | null> {
    return this.repo.findNode(id);
  }

  /** One segment with the kecamatan and desa it crosses (metres in each); null when there is none. */
  async segment(id: string): Promise<(SegmentRow & { areas: SegmentArea[] }) | null> {
    const segment = await this.repo.findSegment(id);
    return segment ? { ...segment, areas: await this.repo.segmentAreas(id) } : null;
  }

  /** The status history of a segment or node, newest first (at most 500 entries). */
  history(subject: StatusSubject, id: string): Promise<HistoryEntry<Date>[]> {
    return this.status.history(subject, id, 500);
  }

  // ---- nodes -------------------------------------------------------------------------------

  async createNode(input: NodeInput, settings: EditSettings, context: AuditContext): Promise<NodeRow> {
    const [lon, lat] = positionOrThrow(input.geometry, settings.region);
    return this.unitOfWork.run(async (manager) => {
      const id = await this.nodes.insert(
        { code: input.code, name: input.name ?? null, kind: input.kind, status: input.status ?? 'planned', owner: input.owner ?? null, lon, lat },
        manager,
      );
      if (!id) throw new DomainError('DUPLICATE_CODE', { code: input.code });
      await this.nodes.assignAreas([id], manager);
      const node = (await this.repo.findNode(id, manager))!;
      await this.audit.append(
        { action: 'create', entityType: 'node', entityId: id, changes: diffFields({}, { code: node.code, kind: node.kind, status: node.status, geometry: node.geometry }) },
        context,
        manager,
      );
      return node;
    });
  }

  async updateNode(
    id: string,
    version: number,
    changes: Omit<NodeChanges, 'lon' | 'lat'> & { geometry?: unknown },
    settings: EditSettings,
    context: AuditContext,
  ): Promise<NodeRow> {
    let position: Position | undefined;
    if (changes.geometry !== undefined) position = positionOrThrow(changes.geometry, settings.region);
    return this.unitOfWork.run(async (manager) => {
      const before = await atVersion(this.repo.findNode(id, manager, true), version);
      const { geometry: _geometry, ...fields } = changes;
      await withUniqueCode(changes.code, () => this.nodes.update(id, { ...fields, ...(position ? { lon: position[0], lat: position[1] } : {}) }, manager));
      if (position) {
        // Cable follows its node: segment ends move with it, and their areas are recomputed.
        await this.nodes.assignAreas([id], manager);
        const moved = await this.segments.followNode(id, manager);
        await this.segments.recomputeAreas(moved, manager);
      }
      const after = (await this.repo.findNode(id, manager))!;
      await this.audit.append({ action: 'update', entityType: 'node', entityId: id, changes: diffFields(before, after) }, context, manager);
      return after;
    });
  }

  async deleteNode(id: string, version: number, context: AuditContext): Promise<void> {
    await this.unitOfWork.run(async (manager) => {
      const before = await atVersion(this.repo.findNode(id, manager, true), version);
      const segments = await this.repo.segmentsAtNode(id, manager);
      if (segments > 0) throw new DomainError('NODE_IN_USE', { segments });
      await this.nodes.delete(id, manager);
      await this.audit.append({ action: 'delete', entityType: 'node', entityId: id, changes: diffFields(before, {} as Partial<NodeRow>) }, context, manager);
    });
  }

  // ---- segments ----------------------------------------------------------------------------

  /**
   * The node at one end of a route: the named node (the end must lie within the tolerance of it,
   * and is moved onto it), else the nearest node within the tolerance, else a new node there.
   */
  private async resolveEnd(
    position: Position,
    nodeId: string | undefined,
    settings: EditSettings,
    newNode: { code: string; kind: NodeKind },
    manager: EntityManager,
  ): Promise<{ node: NodeRow; resolution: EndResolution }> {
    if (nodeId) {
      const node = await this.repo.findNode(nodeId, manager);
      if (!node) throw new DomainError('NOT_FOUND', { nodeId });
      const awayM = distanceM(node.geometry.coordinates, position);
      if (awayM > settings.snapToleranceM) throw new DomainError('NODE_TOO_FAR', { nodeId, distanceM: Math.round(awayM), toleranceM: settings.snapToleranceM });
      return { node, resolution: 'existing' };
    }
    const { node, created } = await this.endNodes.nodeAtOrNew(position, settings.snapToleranceM, { ...newNode, status: 'planned' }, manager);
    if (created) await this.nodes.assignAreas([node.id], manager);
    return { node, resolution: created ? 'created' : 'existing' };
  }

  /** The route with its ends put exactly on its nodes. */
  private snapped(line: LineString, from: NodeRow, to: NodeRow): LineString {
    return { type: 'LineString', coordinates: withEndsOn(line.coordinates, from.geometry.coordinates, to.geometry.coordinates) };
  }

  async createSegment(input: SegmentInput, settings: EditSettings, context: AuditContext): Promise<{ segment: SegmentRow; from: EndResolution; to: EndResolution }> {
    const line = lineOrThrow(input.geometry, settings.region);
    return this.unitOfWork.run(async (manager) => {
      // A segment made in a phase joins its scope: the scope history names who made it.
      await this.scopeReason.setScopeReason(null, context, manager);
      const kind = input.newNodeKind ?? 'joint_closure';
      const from = await this.resolveEnd(line.coordinates[0], input.fromNodeId, settings, { code: `${input.code}-A`, kind }, manager);
      const to = await this.resolveEnd(line.coordinates[line.coordinates.length - 1], input.toNodeId, settings, { code: `${input.code}-B`, kind }, manager);
      if (from.node.id === to.node.id) throw geometryError([{ code: 'same_node_both_ends' }]);
      const geometry = this.snapped(line, from.node, to.node);
      const recheck = checkLineString(geometry, null);
      if (!recheck.line) throw geometryError(recheck.problems);
      const id = await this.segments.insert(
        {
          code: input.code,
          fromNodeId: from.node.id,
          toNodeId: to.node.id,
          geometry,
          status: input.status ?? 'planned',
          placement: input.placement ?? 'aerial',
          tier: input.tier ?? 'distribution',
          cableType: input.cableType ?? null,
          coreCount: input.coreCount ?? null,
          phaseId: input.phaseId ?? null,
          contractor: input.contractor ?? null,
          slackM: input.slackM ?? null,
        },
        manager,
      );
      if (!id) throw new DomainError('DUPLICATE_CODE', { code: input.code });
      await this.segments.recomputeAreas([id], manager);
      const segment = (await this.repo.findSegment(id, manager))!;
      await this.status.insertChange(
        {
          subject: 'segment',
          id,
          from: null,
          to: segment.status,
          deviceTime: null,
          changedBy: context.actorLabel,
          changedByUserId: context.actorId,
          note: 'created',
          gps: null,
          otdr: null,
        },
        manager,
      );
      await this.audit.append(
        {
          action: 'create',
          entityType: 'segment',
          entityId: id,
          changes: diffFields(
            {},
            { code: segment.code, fromNodeId: segment.fromNodeId, toNodeId: segment.toNodeId, status: segment.status, lengthM: Math.round(segment.lengthM * 10) / 10 },
          ),
        },
        context,
        manager,
      );
      return { segment, from: from.resolution, to: to.resolution };
    });
  }

  async updateSegment(
    id: string,
    version: number,
    changes: Partial<SegmentFields> & { code?: string; geometry?: unknown; newNodeKind?: NodeKind; phaseReason?: string },
    settings: EditSettings,
    context: AuditContext,
  ): Promise<SegmentRow> {
    let line: LineString | undefined;
    if (changes.geometry !== undefined) line = lineOrThrow(changes.geometry, settings.region);
    return this.unitOfWork.run(async (manager) => {
      const before = await atVersion(this.repo.findSegment(id, manager, true), version);
      const scopeReason = scopeReasonOf(before, changes);
      if (scopeReason) await this.scopeReason.setScopeReason(scopeReason, context, manager);
      const { geometry: _g, newNodeKind, phaseReason: _r, ...fields } = changes;
      const update: Parameters<SegmentsRepository['update']>[1] = { ...fields };
      if (line) {
        // A redrawn route keeps its nodes when its ends stay near them; otherwise its ends are resolved again.
        const kind = newNodeKind ?? 'joint_closure';
        const near = async (position: Position, nodeId: string, suffix: string) => {
          const node = (await this.repo.findNode(nodeId, manager))!;
          return withinTolerance(node.geometry.coordinates, position, settings.snapToleranceM)
            ? node
            : (await this.resolveEnd(position, undefined, settings, { code: `${changes.code ?? before.code}-${suffix}`, kind }, manager)).node;
        };
        const from = await near(line.coordinates[0], before.fromNodeId, 'A');
        const to = await near(line.coordinates[line.coordinates.length - 1], before.toNodeId, 'B');
        if (from.id === to.id) throw geometryError([{ code: 'same_node_both_ends' }]);
        update.geometry = this.snapped(line, from, to);
        update.fromNodeId = from.id;
        update.toNodeId = to.id;
      }
      await withUniqueCode(changes.code, () => this.segments.update(id, update, manager));
      if (line) await this.segments.recomputeAreas([id], manager);
      const after = (await this.repo.findSegment(id, manager))!;
      const { geometry: _a, ...afterFields } = after;
      const { geometry: _b, ...beforeFields } = before;
      const diff = diffFields(beforeFields, afterFields);
      if (line) diff.geometry = { before: before.geometry, after: after.geometry };
      await this.audit.append({ action: 'update', entityType: 'segment', entityId: id, changes: diff }, context, manager);
      return after;
    });
  }

  async deleteSegment(id: string, version: number, context: AuditContext): Promise<void> {
    await this.unitOfWork.run(async (manager) => {
      const before = await atVersion(this.repo.findSegment(id, manager, true), version);
      await this.scopeReason.setScopeReason(null, context, manager);
      await this.segments.delete(id, manager);
      const { geometry: _g, ...fields } = before;
      await this.audit.append({ action: 'delete', entityType: 'segment', entityId: id, changes: diffFields(fields, {}) }, context, manager);
    });
  }

  /**
   * Splits a segment where a point meets it (the nearest point on the route): a node is put
   * there, the segment keeps the first half under its id, and a new segment takes the second
   * half with a copy of the status history, so both halves keep it.
   */
  async splitSegment(
    id: string,
    version: number,
    input: { point: unknown; nodeKind?: NodeKind; nodeCode?: string; newSegmentCode?: string },
    settings: EditSettings,
    context: AuditContext,
  ): Promise<{ first: SegmentRow; second: SegmentRow; node: NodeRow }> {
    const splitAt = positionOrThrow(input.point, settings.region);
    return this.unitOfWork.run(async (manager) => {
      const segment = await atVersion(this.repo.findSegment(id, manager, true), version);
      // The new half joins the phase of the segment it was cut from.
      await this.scopeReason.setScopeReason(`Segmen ${segment.code} dipotong`, context, manager);
      const route = turf.lineString(segment.geometry.coordinates);
      const on = turf.nearestPointOnLine(route, splitAt, { units: 'meters' });
      const distanceToRouteM = on.properties.dist ?? 0;
      if (distanceToRouteM > settings.snapToleranceM) {
        throw new DomainError('SPLIT_POINT_OFF_ROUTE', { distanceM: Math.round(distanceToRouteM), toleranceM: settings.snapToleranceM });
      }
      const alongM = on.properties.location ?? 0;
      const totalM = turf.length(route, { units: 'meters' });
      if (alongM < 0.5 || totalM - alongM < 0.5) throw new DomainError('SPLIT_POINT_AT_END');
      const at = on.geometry.coordinates;
      const firstLine = turf.lineSliceAlong(route, 0, alongM, { units: 'meters' }).geometry;
      const secondLine = turf.lineSliceAlong(route, alongM, totalM, { units: 'meters' }).geometry;
      firstLine.coordinates[firstLine.coordinates.length - 1] = at;
      secondLine.coordinates[0] = at;
      secondLine.coordinates[secondLine.coordinates.length - 1] = segment.geometry.coordinates[segment.geometry.coordinates.length - 1];

      const nodeCode = input.nodeCode ?? `${segment.code}-S${randomBytes(2).toString('hex')}`;
      const nodeId = await this.nodes.insert(
        { code: nodeCode, name: null, kind: input.nodeKind ?? 'joint_closure', status: segment.status, owner: null, lon: at[0], lat: at[1] },
        manager,
      );
      if (!nodeId) throw new DomainError('DUPLICATE_CODE', { code: nodeCode });
      await this.nodes.assignAreas([nodeId], manager);

      await this.segments.update(id, { geometry: firstLine, toNodeId: nodeId }, manager);
      const secondCode = input.newSegmentCode ?? `${segment.code}-B`;
      const secondId = await this.segments.insert(
        {
          code: secondCode,
          fromNodeId: nodeId,
          toNodeId: segment.toNodeId,
          geometry: secondLine,
          status: segment.status,
          placement: segment.placement,
          tier: segment.tier,
          cableType: segment.cableType,
          coreCount: segment.coreCount,
          phaseId: segment.phaseId,
          contractor: segment.contractor,
          slackM: null,
        },
        manager,
      );
      if (!secondId) throw new DomainError('DUPLICATE_CODE', { code: secondCode });
      await this.status.copyHistory(id, secondId, manager);
      await this.segments.recomputeAreas([id, secondId], manager);
      const first = (await this.repo.findSegment(id, manager))!;
      const second = (await this.repo.findSegment(secondId, manager))!;
      const node = (await this.repo.findNode(nodeId, manager))!;
      await this.audit.append(
        {
          action: 'split',
          entityType: 'segment',
          entityId: id,
          changes: { geometry: { before: segment.geometry, after: first.geometry }, splitInto: { before: null, after: { segmentId: secondId, code: secondCode, nodeId } } },
        },
        context,
        manager,
      );
      return { first, second, node };
    });
  }
}
