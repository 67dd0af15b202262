import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { HistoryEntry } from '@serat/contract';
import type { NetworkStatus } from '@serat/vocabulary';
import { jsonObjectSql, selectListSql } from '../shared/answer-sql';
import type { NodeRecord } from './nodes.repository';
import type { SegmentRecord } from './segments.repository';

export type StatusSubject = 'segment' | 'node';

/** What a status move reads and writes of the segment or node it moves. */
export type SubjectStatus = Pick<SegmentRecord | NodeRecord, 'id' | 'code' | 'status' | 'version'>;

export type LockedSubject = SubjectStatus & {
  /** The kecamatan it lies in: a node's own; a segment's from both end nodes. */
  kecamatanCodes: string[];
};

export interface NewStatusChange {
  subject: StatusSubject;
  id: string;
  /** Null for the first status of a new segment or node. */
  from: NetworkStatus | null;
  to: NetworkStatus;
  deviceTime: Date | null;
  changedBy: string;
  changedByUserId: string | null;
  note: string | null;
  gps: { lon: number; lat: number; accuracyM?: number | null } | null;
  otdr: { lengthM: number; lossDb: number; wavelengthNm?: number | null } | null;
}

/**
 * History rows of many subjects at once, for a set-based statement that has just written them:
 * each field is an SQL expression over `from`, the statement's own relations (a CTE's RETURNING
 * rows, say) with any WHERE; values from outside come in as the statement's bound parameters.
 */
export interface StatusChangeRows {
  from: string;
  subjectId: string;
  fromStatus: string;
  toStatus: string;
  changedBy: string;
  changedByUserId: string;
  note: string;
  /** When the move was made (default: now, the statement's transaction time). */
  changedAt?: string;
}

const TABLE: Record<StatusSubject, string> = { segment: 'segments', node: 'nodes' };

/**
 * The one writer of status_changes: the history row of a move with its evidence, the history a
 * split segment copies, and (insertRowsSql) the history rows that bulk statements carry in a CTE.
 * Also the locks a status move takes on its segments and nodes.
 */
type Gps = NonNullable<HistoryEntry['gps']>;
type Otdr = NonNullable<HistoryEntry['otdr']>;

/** A history entry (libs/contract) from `status_changes c`, with its evidence and photo ids. */
const HISTORY_COLUMNS = selectListSql<HistoryEntry>({
  id: 'c.id::text',
  fromStatus: 'c.from_status',
  toStatus: 'c.to_status',
  changedAt: 'c.changed_at',
  deviceTime: 'c.device_time',
  changedBy: 'c.changed_by',
  note: 'c.note',
  gps: `CASE WHEN c.gps IS NULL THEN NULL ELSE ${jsonObjectSql<Gps>({ lon: 'ST_X(c.gps)', lat: 'ST_Y(c.gps)', accuracyM: 'c.gps_accuracy_m' })} END`,
  otdr: `CASE WHEN c.otdr_length_m IS NULL THEN NULL ELSE ${jsonObjectSql<Otdr>({ lengthM: 'c.otdr_length_m', lossDb: 'c.otdr_loss_db', wavelengthNm: 'c.otdr_wavelength_nm' })} END`,
  photoIds: `coalesce((SELECT json_agg(p.id ORDER BY p.uploaded_at) FROM photos p WHERE p.status_change_id = c.id), '[]'::json)`,
});

@Injectable()
export class StatusRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * The INSERT of history rows for a CTE of a bulk statement (`history AS (...)`): one statement
   * for thousands of rows, and still the only place that names the columns of status_changes.
   */
  static insertRowsSql(subject: StatusSubject, rows: StatusChangeRows): string {
    const at = rows.changedAt === undefined ? ['', ''] : [', changed_at', `, ${rows.changedAt}`];
    return `INSERT INTO status_changes (${subject}_id, from_status, to_status, changed_by, changed_by_user_id, note${at[0]})
         SELECT ${rows.subjectId}, ${rows.fromStatus}, ${rows.toStatus}, ${rows.changedBy}, ${rows.changedByUserId}, ${rows.note}${at[1]} FROM ${rows.from}`;
  }

  /**
   * Locks many rows in one order (by id), whatever order the request named them in: two
   * transactions over the same rows then queue behind each other instead of deadlocking.
   */
  async lockInOrder(subject: StatusSubject, ids: string[], manager: EntityManager): Promise<void> {
    await manager.query(`SELECT t.id FROM ${TABLE[subject]} t WHERE t.id = ANY($1::uuid[]) ORDER BY t.id FOR UPDATE OF t`, [ids]);
  }

  async lock(subject: StatusSubject, id: string, manager: EntityManager): Promise<LockedSubject | null> {
    const areas =
      subject === 'segment'
        ? `ARRAY(SELECT n.kecamatan_code FROM nodes n WHERE n.id IN (t.from_node_id, t.to_node_id) AND n.kecamatan_code IS NOT NULL)`
        : `ARRAY_REMOVE(ARRAY[t.kecamatan_code], NULL)`;
    const [row] = await manager.query(`SELECT t.id, t.code, t.status, t.version, ${areas}::text[] AS "kecamatanCodes" FROM ${TABLE[subject]} t WHERE t.id = $1 FOR UPDATE OF t`, [
      id,
    ]);
    return row ?? null;
  }

  /** Returns the id of the history row. */
  async insertChange(change: NewStatusChange, manager: EntityManager): Promise<string> {
    const [row] = await manager.query(
      `INSERT INTO status_changes (${change.subject}_id, from_status, to_status, device_time, changed_by, changed_by_user_id, note,
                                   gps, gps_accuracy_m, otdr_length_m, otdr_loss_db, otdr_wavelength_nm)
       VALUES ($1, $2, $3, $4, $5, $6, $7,
               CASE WHEN $8::float8 IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint($8, $9), 4326) END, $10, $11, $12, $13)
       RETURNING id::text`,
      [
        change.id,
        change.from,
        change.to,
        change.deviceTime,
        change.changedBy,
        change.changedByUserId,
        change.note,
        change.gps?.lon ?? null,
        change.gps?.lat ?? null,
        change.gps?.accuracyM ?? null,
        change.otdr?.lengthM ?? null,
        change.otdr?.lossDb ?? null,
        change.otdr?.wavelengthNm ?? null,
      ],
    );
    return row.id;
  }

  /** Gives the new half of a split segment the history of the original, in order. */
  async copyHistory(fromSegmentId: string, toSegmentId: string, manager: EntityManager): Promise<void> {
    await manager.query(
      `INSERT INTO status_changes (segment_id, from_status, to_status, changed_at, device_time, changed_by, changed_by_user_id, note)
       SELECT $2, from_status, to_status, changed_at, device_time, changed_by, changed_by_user_id, note
         FROM status_changes WHERE segment_id = $1 ORDER BY id`,
      [fromSegmentId, toSegmentId],
    );
  }

  /** The history of a segment or node, newest first, with its evidence and photo ids. */
  async history(subject: StatusSubject, id: string, limit: number): Promise<HistoryEntry<Date>[]> {
    return this.dataSource.query(`SELECT ${HISTORY_COLUMNS} FROM status_changes c WHERE c.${subject}_id = $1 ORDER BY c.id DESC LIMIT $2`, [id, limit]);
  }
}
