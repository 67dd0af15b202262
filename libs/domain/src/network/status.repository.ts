import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { inTransaction } from '../shared/transaction';
import type { NetworkStatus } from './network-vocabulary';

export type StatusSubject = 'segment' | 'node';

export interface LockedSubject {
  id: string;
  code: string;
  status: NetworkStatus;
  version: number;
  /** The kecamatan it lies in: a node's own; a segment's from both end nodes. */
  kecamatanCodes: string[];
}

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

const TABLE: Record<StatusSubject, string> = { segment: 'segments', node: 'nodes' };

/** The SQL of status moves: lock, update, and the history row with its evidence. */
@Injectable()
export class StatusRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return inTransaction(this.dataSource, work);
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
    const [row] = await manager.query(
      `SELECT t.id, t.code, t.status, t.version, ${areas}::text[] AS "kecamatanCodes" FROM ${TABLE[subject]} t WHERE t.id = $1 FOR UPDATE OF t`,
      [id],
    );
    return row ?? null;
  }

  async setStatus(subject: StatusSubject, id: string, to: NetworkStatus, manager: EntityManager): Promise<{ id: string; code: string; status: NetworkStatus; version: number }> {
    const [row] = await manager.query(
      `WITH updated AS (UPDATE ${TABLE[subject]} SET status = $2, version = version + 1, updated_at = now() WHERE id = $1 RETURNING id, code, status, version)
       SELECT * FROM updated`,
      [id, to],
    );
    return row;
  }

  /** Sets a status without the lifecycle (imports state what is); returns the previous one, or null when unchanged. */
  async setStatusIfDifferent(subject: StatusSubject, id: string, to: NetworkStatus, manager: EntityManager): Promise<NetworkStatus | null> {
    const rows: { from: NetworkStatus }[] = await manager.query(
      `WITH old AS (SELECT status FROM ${TABLE[subject]} WHERE id = $1),
            u AS (UPDATE ${TABLE[subject]} SET status = $2, version = version + 1, updated_at = now() WHERE id = $1 AND status <> $2 RETURNING id)
       SELECT old.status AS "from" FROM old, u`,
      [id, to],
    );
    return rows[0]?.from ?? null;
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
        change.id, change.from, change.to, change.deviceTime, change.changedBy, change.changedByUserId, change.note,
        change.gps?.lon ?? null, change.gps?.lat ?? null, change.gps?.accuracyM ?? null,
        change.otdr?.lengthM ?? null, change.otdr?.lossDb ?? null, change.otdr?.wavelengthNm ?? null,
      ],
    );
    return row.id;
  }

  /** The history of a segment or node, newest first, with its evidence and photo ids. */
  async history(subject: StatusSubject, id: string, limit: number): Promise<unknown[]> {
    return this.dataSource.query(
      `SELECT c.id::text, c.from_status AS "fromStatus", c.to_status AS "toStatus", c.changed_at AS "changedAt",
              c.device_time AS "deviceTime", c.changed_by AS "changedBy", c.note,
              CASE WHEN c.gps IS NULL THEN NULL ELSE json_build_object('lon', ST_X(c.gps), 'lat', ST_Y(c.gps), 'accuracyM', c.gps_accuracy_m) END AS gps,
              CASE WHEN c.otdr_length_m IS NULL THEN NULL ELSE json_build_object('lengthM', c.otdr_length_m, 'lossDb', c.otdr_loss_db, 'wavelengthNm', c.otdr_wavelength_nm) END AS otdr,
              coalesce((SELECT json_agg(p.id ORDER BY p.uploaded_at) FROM photos p WHERE p.status_change_id = c.id), '[]'::json) AS "photoIds"
         FROM status_changes c WHERE c.${subject}_id = $1 ORDER BY c.id DESC LIMIT $2`,
      [id, limit],
    );
  }
}
