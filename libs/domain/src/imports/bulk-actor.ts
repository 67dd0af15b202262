import type { AuditEntryRows } from '../audit/audit.repository';
import type { StatusChangeRows } from '../network/status.repository';

/** Who imports: written into history (changedBy) and audit rows. */
export interface BulkActor {
  id: string | null;
  label: string;
  changedBy: string;
  requestId: string | null;
  ip: string | null;
  deviceTime: Date | null;
}

/**
 * The bound parameters of an import's bulk statements: $1 the rows (JSON), $2 the import's id,
 * then the actor as $3-$8. The history and audit rows those statements carry refer to them so.
 */
export function bulkParams(rows: unknown[], importId: string, actor: BulkActor): unknown[] {
  return [JSON.stringify(rows), importId, actor.changedBy, actor.id, actor.label, actor.requestId, actor.ip, actor.deviceTime];
}

export const BULK_HISTORY_BY: Pick<StatusChangeRows, 'changedBy' | 'changedByUserId' | 'note'> = { changedBy: '$3', changedByUserId: '$4', note: `'import'` };

export const BULK_AUDIT_BY: Pick<AuditEntryRows, 'actorId' | 'actorLabel' | 'requestId' | 'ip' | 'deviceTime'> = {
  actorId: '$4',
  actorLabel: '$5',
  requestId: '$6',
  ip: '$7',
  deviceTime: '$8',
};
