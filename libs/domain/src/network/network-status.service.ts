import { Inject, Injectable } from '@nestjs/common';
import { SERAT_CONFIG, SeratConfig } from '@serat/config';
import { EntityManager } from 'typeorm';
import { judgeMove, type NetworkStatus } from '@serat/vocabulary';
import { AuditContext, AuditRepository, FieldChanges } from '../audit/audit.repository';
import type { UserRecord } from '../auth/users.repository';
import { EvidenceKind, EvidenceRules, missingEvidence, parseEvidenceRules } from '../evidence/evidence-rules';
import { PhotosService } from '../evidence/photos.service';
import { DomainError } from '../shared/domain-error';
import { UnitOfWork } from '../shared/transaction';
import { NetworkEditRepository, NodeRow, SegmentRow } from './network-edit.repository';
import { NodesRepository } from './nodes.repository';
import { SegmentsRepository } from './segments.repository';
import { StatusRepository, StatusSubject, SubjectStatus } from './status.repository';

export interface Evidence {
  gps?: { lon: number; lat: number; accuracyM?: number | null } | null;
  otdr?: { lengthM: number; lossDb: number; wavelengthNm?: number | null } | null;
  photoIds?: string[];
}

export interface StatusChangeRequest {
  to: NetworkStatus;
  /** The version the client read; a different current version is a conflict, never an overwrite. */
  expectedVersion: number;
  note?: string | null;
  deviceTime?: Date | null;
  evidence?: Evidence;
}

/** The segment or node as the move left it. */
export type StatusChangeResult = SubjectStatus;

/**
 * Status moves of segments and nodes: the lifecycle, the evidence rules, the version the client
 * read, the technician's area; kept in the history and the audit log in one transaction.
 */
@Injectable()
export class NetworkStatusService {
  private readonly rules: EvidenceRules;

  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly repo: StatusRepository,
    private readonly records: NetworkEditRepository,
    private readonly nodes: NodesRepository,
    private readonly segments: SegmentsRepository,
    private readonly audit: AuditRepository,
    private readonly photos: PhotosService,
    @Inject(SERAT_CONFIG) config: SeratConfig,
  ) {
    this.rules = parseEvidenceRules(config.evidenceRules);
  }

  changeSegmentStatus(id: string, request: StatusChangeRequest, user: UserRecord, context: AuditContext) {
    return this.unitOfWork.run((manager) => this.change('segment', id, request, user, context, manager));
  }

  changeNodeStatus(id: string, request: StatusChangeRequest, user: UserRecord, context: AuditContext) {
    return this.unitOfWork.run((manager) => this.change('node', id, request, user, context, manager));
  }

  /** Many segments to one status (a whole route), all or nothing: one refusal rolls every change back. */
  async changeManySegments(
    items: { id: string; expectedVersion: number }[],
    common: Omit<StatusChangeRequest, 'expectedVersion'>,
    user: UserRecord,
    context: AuditContext,
  ): Promise<StatusChangeResult[]> {
    return this.unitOfWork.run(async (manager) => {
      // Every row first, in id order: a change of the same route named in another order waits
      // here for this one instead of deadlocking with it half-way.
      await this.repo.lockInOrder(
        'segment',
        items.map((item) => item.id),
        manager,
      );
      const results: StatusChangeResult[] = [];
      for (const [index, item] of items.entries()) {
        try {
          // Photos are attached once, to the first change; the others carry the same GPS/OTDR values.
          const evidence = index === 0 ? common.evidence : { ...common.evidence, photoIds: [] };
          results.push(
            await this.change(
              'segment',
              item.id,
              { ...common, evidence, expectedVersion: item.expectedVersion },
              user,
              context,
              manager,
              index === 0 ? undefined : common.evidence,
            ),
          );
        } catch (error) {
          if (error instanceof DomainError) throw new DomainError(error.code, { ...(error.details as object), segmentId: item.id, index });
          throw error;
        }
      }
      return results;
    });
  }

  /**
   * The row as stored (the row lock is already held), in the same shape as the 409 of an edit and
   * GET /api/segments|nodes/:id: a client can show both versions without reading again.
   */
  private async stored(subject: StatusSubject, id: string, manager: EntityManager): Promise<SegmentRow | NodeRow> {
    const row = subject === 'segment' ? await this.records.findSegment(id, manager) : await this.records.findNode(id, manager);
    // Locked above, so it cannot have gone in between.
    return row!;
  }

  private async change(
    subject: StatusSubject,
    id: string,
    request: StatusChangeRequest,
    user: UserRecord,
    context: AuditContext,
    manager: EntityManager,
    evidenceForRules?: Evidence,
  ): Promise<StatusChangeResult> {
    const current = await this.repo.lock(subject, id, manager);
    if (!current) throw new DomainError('NOT_FOUND');
    if (user.kecamatanCodes && !current.kecamatanCodes.some((code) => user.kecamatanCodes!.includes(code))) {
      throw new DomainError('OUT_OF_AREA', { kecamatanCodes: current.kecamatanCodes });
    }
    if (current.version !== request.expectedVersion) throw new DomainError('VERSION_CONFLICT', { current: await this.stored(subject, id, manager) });

    const verdict = judgeMove(current.status, request.to);
    if (!verdict.allowed) throw new DomainError('INVALID_TRANSITION', { from: current.status, to: request.to, why: verdict.why });
    const note = request.note?.trim() || null;
    if (verdict.needsReason && !note) throw new DomainError('REASON_REQUIRED', { from: current.status, to: request.to });

    const evidence = request.evidence ?? {};
    const judged = evidenceForRules ?? evidence;
    const given = new Set<EvidenceKind>();
    if (judged.photoIds?.length) given.add('photo');
    if (judged.gps) given.add('gps');
    if (judged.otdr) given.add('otdr');
    if (note) given.add('note');
    const missing = missingEvidence(request.to, given, this.rules);
    if (missing) throw new DomainError('EVIDENCE_REQUIRED', { status: request.to, anyOf: missing.map((alt) => alt.join('+')).join(' | ') });

    const updated = subject === 'segment' ? await this.segments.setStatus(id, request.to, manager) : await this.nodes.setStatus(id, request.to, manager);
    const changeId = await this.repo.insertChange(
      {
        subject,
        id,
        from: current.status,
        to: request.to,
        deviceTime: request.deviceTime ?? null,
        changedBy: user.username,
        changedByUserId: user.id,
        note,
        gps: evidence.gps ?? null,
        otdr: evidence.otdr ?? null,
      },
      manager,
    );
    await this.photos.attach(evidence.photoIds ?? [], user.id, changeId, manager);

    const changes: FieldChanges = {
      status: { before: current.status, after: request.to },
      version: { before: current.version, after: updated.version },
    };
    if (note) changes.note = { before: null, after: note };
    if (evidence.gps || evidence.otdr || evidence.photoIds?.length) {
      changes.evidence = { before: null, after: { gps: evidence.gps ?? null, otdr: evidence.otdr ?? null, photoIds: evidence.photoIds ?? [] } };
    }
    await this.audit.append({ action: 'status_change', entityType: subject, entityId: id, changes }, { ...context, deviceTime: request.deviceTime ?? null }, manager);
    return updated;
  }
}
