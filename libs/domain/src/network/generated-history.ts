import type { NetworkStatus } from '@serat/vocabulary';
import { AuditRepository } from '../audit/audit.repository';
import { StatusChangeRows, StatusRepository, StatusSubject } from './status.repository';

/**
 * Who made a generated network and the path its statuses took: every subject walked `path` from
 * its first entry up to its own status (`steps` entries), reaching entry g `days[g]` days after
 * its start. Written as the app writes a status move: a history row per move (the first from no
 * status) and an audit entry per move ('status_change', status and version before and after),
 * the first one a 'create'.
 */
export interface GeneratedHistory {
  changedBy: string;
  path: NetworkStatus[];
  days: number[];
}

/** A row of a generated network as its repository takes it: when it started and how many entries of the path it went through. */
export interface GeneratedRow {
  code: string;
  startedAt: string;
  steps: number;
}

/** The bound parameters of a generated batch: $1 the rows (JSON), $2 who, $3 the path, $4 the days. */
export function generatedParams(rows: unknown[], history: GeneratedHistory): unknown[] {
  return [JSON.stringify(rows), history.changedBy, history.path, history.days];
}

/**
 * The history and audit CTEs of a bulk insert of generated rows: `inserted` (RETURNING id, code)
 * joined to `input` (with steps and started_at) by code, one row per entry of the path.
 */
export function generatedHistorySql(subject: StatusSubject): string {
  const from = `inserted i JOIN input x USING (code) CROSS JOIN LATERAL generate_series(1, x.steps) AS g`;
  const at = `x.started_at + ($4::float8[])[g] * interval '1 day'`;
  const history: StatusChangeRows = {
    from,
    subjectId: 'i.id',
    fromStatus: '($3::text[])[g - 1]',
    toStatus: '($3::text[])[g]',
    changedBy: '$2',
    changedByUserId: 'NULL',
    note: `CASE WHEN g = 1 THEN 'initial status' END`,
    changedAt: at,
  };
  const status = `jsonb_build_object('before', ($3::text[])[g - 1], 'after', ($3::text[])[g])`;
  return `history AS (
         ${StatusRepository.insertRowsSql(subject, history)}
       ), audit AS (
         ${AuditRepository.insertRowsSql({
           from,
           actorId: 'NULL',
           actorLabel: '$2',
           action: `CASE WHEN g = 1 THEN 'create' ELSE 'status_change' END`,
           entityType: `'${subject}'`,
           entityId: 'i.id::text',
           changes: `CASE WHEN g = 1 THEN jsonb_build_object('code', jsonb_build_object('before', NULL, 'after', x.code), 'status', ${status})
                          ELSE jsonb_build_object('status', ${status}, 'version', jsonb_build_object('before', g - 1, 'after', g)) END`,
           requestId: 'NULL',
           ip: 'NULL',
           deviceTime: 'NULL',
           at,
         })}
       )`;
}
