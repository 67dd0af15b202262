import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/**
 * A place in the change log: the transaction id and the audit entry's id. Text form `xid.id`, both
 * decimal, as the feed's event ids.
 */
export interface ChangeCursor {
  xid: string;
  id: string;
}

const CURSOR_TEXT = /^(\d{1,20})\.(\d{1,19})$/;

export function parseChangeCursor(text: string | null | undefined): ChangeCursor | null {
  const match = text?.trim().match(CURSOR_TEXT);
  if (!match) return null;
  // A bigint's range: a larger id would reach the database as an error.
  if (BigInt(match[2]) > 9223372036854775807n || BigInt(match[1]) > 18446744073709551615n) return null;
  return { xid: match[1], id: match[2] };
}

export const formatChangeCursor = (cursor: ChangeCursor) => `${cursor.xid}.${cursor.id}`;

/** Whether `a` comes after `b` in the log's order. */
export function cursorAfter(a: ChangeCursor, b: ChangeCursor): boolean {
  const ax = BigInt(a.xid);
  const bx = BigInt(b.xid);
  return ax === bx ? BigInt(a.id) > BigInt(b.id) : ax > bx;
}

/** One committed change, as the feed hands it out. */
export interface ChangeRecord {
  cursor: ChangeCursor;
  at: Date;
  action: string;
  entityType: string;
  entityId: string | null;
  changes: Record<string, { before: unknown; after: unknown }> | null;
  /** The record's version now (segments, nodes, sites, imports, users); null when it is gone. */
  version: number | null;
}

/**
 * The first transaction id whose entries may not all be written yet: the oldest transaction still
 * in progress in this database, or the next id to be handed out when none is. Transaction ids are
 * shared by every database of the cluster, and `pg_snapshot_xmin` alone would wait for a long
 * transaction in another database too (a bulk load beside Serat on the same server held every
 * change back for as long as it ran). An id is skipped only when pg_stat_activity positively
 * shows it in another database; when in doubt (a session the role may not see) it is waited for.
 * Both PostgreSQL and PGlite have these functions.
 */
const HORIZON = `(SELECT coalesce(
      (SELECT min(xip) FROM pg_snapshot_xip(snap) AS xip
        WHERE NOT EXISTS (SELECT 1 FROM pg_stat_activity p
                           WHERE p.backend_xid IS NOT NULL AND p.datname IS DISTINCT FROM current_database()
                             AND p.backend_xid::text::numeric = xip::text::numeric % 4294967296)),
      pg_snapshot_xmax(snap))
     FROM pg_current_snapshot() AS snap)`;

/** The start of the log, before its first entry. */
export const LOG_START: ChangeCursor = { xid: '0', id: '0' };

/**
 * The feed's reading of audit_log (migration ChangeFeed1765400000000 explains the order): only
 * entries of transactions that have all ended, in (xid, id) order. A cursor read from here is
 * never passed by an entry committed later.
 */
@Injectable()
export class ChangeLogRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The last entry any reader may be handed now; the start of the log when there is none. */
  async head(): Promise<ChangeCursor> {
    const [row] = await this.dataSource.query(
      // Ordered by the columns, not by the text aliases ('9' sorts after '17').
      `SELECT a.xid::text AS xid, a.id::text AS id FROM audit_log a
        WHERE a.xid < ${HORIZON}
        ORDER BY a.xid DESC, a.id DESC LIMIT 1`,
    );
    return row ? { xid: row.xid, id: row.id } : LOG_START;
  }

  /** Whether the log has this entry (a cursor from somewhere else, or from before a restore, does not). */
  async has(cursor: ChangeCursor): Promise<boolean> {
    if (cursor.xid === LOG_START.xid && cursor.id === LOG_START.id) return true;
    const rows = await this.dataSource.query(`SELECT 1 FROM audit_log WHERE id = $1::bigint AND xid = $2::xid8`, [cursor.id, cursor.xid]);
    return rows.length > 0;
  }

  /**
   * Up to `limit` entries after `after`, oldest first, with the current version of the records they
   * name. `upTo` bounds the read (inclusive).
   */
  async read(after: ChangeCursor, limit: number, upTo?: ChangeCursor): Promise<ChangeRecord[]> {
    const rows: Array<{
      xid: string;
      id: string;
      at: Date;
      action: string;
      entityType: string;
      entityId: string | null;
      changes: ChangeRecord['changes'];
      version: number | null;
    }> = await this.dataSource.query(
      `SELECT a.xid::text AS xid, a.id::text AS id, a.at, a.action, a.entity_type AS "entityType", a.entity_id AS "entityId", a.changes,
                -- Guarded: an entry naming no uuid must not stop the feed at a failed cast.
                CASE WHEN a.entity_id ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN
                  CASE a.entity_type
                    WHEN 'segment' THEN (SELECT version FROM segments WHERE id = a.entity_id::uuid)
                    WHEN 'node' THEN (SELECT version FROM nodes WHERE id = a.entity_id::uuid)
                    WHEN 'site' THEN (SELECT version FROM sites WHERE id = a.entity_id::uuid)
                    WHEN 'import' THEN (SELECT version FROM imports WHERE id = a.entity_id::uuid)
                    WHEN 'user' THEN (SELECT version FROM users WHERE id = a.entity_id::uuid)
                  END
                END AS version
           FROM audit_log a
          WHERE (a.xid, a.id) > ($1::xid8, $2::bigint)
            AND ($3::xid8 IS NULL OR (a.xid, a.id) <= ($3::xid8, $4::bigint))
            AND a.xid < ${HORIZON}
          ORDER BY a.xid, a.id
          LIMIT $5`,
      [after.xid, after.id, upTo?.xid ?? null, upTo?.id ?? null, limit],
    );
    return rows.map((row) => ({
      cursor: { xid: row.xid, id: row.id },
      at: row.at,
      action: row.action,
      entityType: row.entityType,
      entityId: row.entityId,
      changes: row.changes,
      version: row.version === null ? null : Number(row.version),
    }));
  }
}
