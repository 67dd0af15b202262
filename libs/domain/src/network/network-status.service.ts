import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditContext, AuditRepository } from '../audit/audit.repository';
import { DomainError } from '../shared/domain-error';
import type { UserRecord } from '../users/users.repository';
import type { NetworkStatus } from './network-vocabulary';
import { judgeMove } from './status-lifecycle';

export interface StatusChangeRequest {
  to: NetworkStatus;
  /** The version the client read; a different current version is a conflict, never an overwrite. */
  expectedVersion: number;
  note?: string | null;
  deviceTime?: Date | null;
}

export interface StatusChangeResult {
  id: string;
  code: string;
  status: NetworkStatus;
  version: number;
}

type Subject = 'segment' | 'node';

/** Status moves of segments and nodes: checked, versioned, kept in the history and the audit log in one transaction. */
@Injectable()
export class NetworkStatusService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditRepository,
  ) {}

  changeSegmentStatus(id: string, request: StatusChangeRequest, user: UserRecord, context: AuditContext) {
    return this.change('segment', id, request, user, context);
  }

  changeNodeStatus(id: string, request: StatusChangeRequest, user: UserRecord, context: AuditContext) {
    return this.change('node', id, request, user, context);
  }

  private async change(subject: Subject, id: string, request: StatusChangeRequest, user: UserRecord, context: AuditContext): Promise<StatusChangeResult> {
    const table = subject === 'segment' ? 'segments' : 'nodes';
    return this.dataSource.transaction(async (manager) => {
      // The kecamatan the subject lies in: a node's own, a segment's from both of its end nodes.
      const areaSql =
        subject === 'segment'
          ? `ARRAY(SELECT n.kecamatan_code FROM nodes n WHERE n.id IN (t.from_node_id, t.to_node_id) AND n.kecamatan_code IS NOT NULL)`
          : `ARRAY_REMOVE(ARRAY[t.kecamatan_code], NULL)`;
      const [current] = await manager.query(
        `SELECT t.id, t.code, t.status, t.version, ${areaSql} AS kecamatan_codes FROM ${table} t WHERE t.id = $1 FOR UPDATE`,
        [id],
      );
      if (!current) throw new DomainError('NOT_FOUND');
      const state = { id: current.id, code: current.code, status: current.status, version: current.version };
      if (user.kecamatanCodes && !current.kecamatan_codes.some((code: string) => user.kecamatanCodes!.includes(code))) {
        throw new DomainError('OUT_OF_AREA', { kecamatanCodes: current.kecamatan_codes });
      }
      if (current.version !== request.expectedVersion) throw new DomainError('VERSION_CONFLICT', { current: state });

      const verdict = judgeMove(current.status, request.to);
      if (!verdict.allowed) throw new DomainError('INVALID_TRANSITION', { from: current.status, to: request.to, why: verdict.why });
      const note = request.note?.trim() || null;
      if (verdict.needsReason && !note) throw new DomainError('REASON_REQUIRED', { from: current.status, to: request.to });

      const [updated] = await manager.query(
        `WITH updated AS (UPDATE ${table} SET status = $2, version = version + 1, updated_at = now() WHERE id = $1 RETURNING id, code, status, version)
         SELECT * FROM updated`,
        [id, request.to],
      );
      await manager.query(
        `INSERT INTO status_changes (${subject}_id, from_status, to_status, device_time, changed_by, changed_by_user_id, note)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [id, current.status, request.to, request.deviceTime ?? null, user.username, user.id, note],
      );
      await this.audit.append(
        {
          action: 'status_change',
          entityType: subject,
          entityId: id,
          changes: { status: { before: current.status, after: request.to }, version: { before: current.version, after: updated.version }, ...(note ? { note: { before: null, after: note } } : {}) },
        },
        { ...context, deviceTime: request.deviceTime ?? null },
        manager,
      );
      return updated;
    });
  }
}
