import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

/** Who did it and from where: built by the api from the request, by the cli for its own writes. */
export interface AuditContext {
  actorId: string | null;
  actorLabel: string;
  requestId?: string | null;
  ip?: string | null;
  /** The time on the device that made the change (offline edits). */
  deviceTime?: Date | null;
}

/**
 * Audit entries of many rows at once, for a set-based statement that has just written them: each
 * field is an SQL expression over `from`, the statement's own relations with any WHERE; values
 * from outside come in as the statement's bound parameters. `changes` is jsonb.
 */
export interface AuditEntryRows {
  from: string;
  actorId: string;
  actorLabel: string;
  action: string;
  entityType: string;
  entityId: string;
  changes: string;
  requestId: string;
  ip: string;
  deviceTime: string;
  /** When it happened (default: now, the statement's transaction time). */
  at?: string;
}

export type FieldChanges = Record<string, { before: unknown; after: unknown }>;

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId: string | null;
  changes?: FieldChanges | null;
}

export interface AuditRecord extends AuditEntry {
  id: string;
  at: Date;
  actorId: string | null;
  actorLabel: string;
  requestId: string | null;
  ip: string | null;
  deviceTime: Date | null;
}

export interface AuditQuery {
  entityType?: string;
  entityId?: string;
  actorId?: string;
  from?: Date;
  to?: Date;
  limit: number;
  /** Newest first: the id of the last entry already seen. */
  before?: string;
}

/** Only the fields whose values differ, as {before, after}. */
export function diffFields<T extends object>(before: T, after: Partial<T>): FieldChanges {
  const changes: FieldChanges = {};
  for (const key of Object.keys(after) as (keyof T)[]) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) {
      changes[String(key)] = { before: before[key] ?? null, after: after[key] ?? null };
    }
  }
  return changes;
}

/**
 * The append-only record of every write; the database refuses to change or delete it. The one
 * writer of audit_log: entries one by one (append), or (insertRowsSql) many in a CTE of a bulk
 * statement.
 */
@Injectable()
export class AuditRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * The INSERT of audit entries for a CTE of a bulk statement (`audit AS (...)`): one statement for
   * thousands of rows, and still the only place that names the columns of audit_log.
   */
  static insertRowsSql(rows: AuditEntryRows): string {
    const at = rows.at === undefined ? ['', ''] : [', at', `, ${rows.at}`];
    return `INSERT INTO audit_log (actor_id, actor_label, action, entity_type, entity_id, changes, request_id, ip, device_time${at[0]})
         SELECT ${rows.actorId}, ${rows.actorLabel}, ${rows.action}, ${rows.entityType}, ${rows.entityId}, ${rows.changes}, ${rows.requestId}, ${rows.ip}, ${rows.deviceTime}${at[1]}
           FROM ${rows.from}`;
  }

  async append(entry: AuditEntry, context: AuditContext, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.query(
      `INSERT INTO audit_log (actor_id, actor_label, action, entity_type, entity_id, changes, request_id, ip, device_time)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        context.actorId,
        context.actorLabel,
        entry.action,
        entry.entityType,
        entry.entityId,
        entry.changes ? JSON.stringify(entry.changes) : null,
        context.requestId ?? null,
        context.ip ?? null,
        context.deviceTime ?? null,
      ],
    );
  }

  async find(query: AuditQuery): Promise<{ entries: AuditRecord[]; nextCursor: string | null }> {
    const rows: AuditRecord[] = await this.dataSource.query(
      `SELECT id::text, at, actor_id AS "actorId", actor_label AS "actorLabel", action, entity_type AS "entityType",
              entity_id AS "entityId", changes, request_id AS "requestId", ip, device_time AS "deviceTime"
         FROM audit_log
        WHERE ($1::text IS NULL OR entity_type = $1)
          AND ($2::text IS NULL OR entity_id = $2)
          AND ($3::uuid IS NULL OR actor_id = $3)
          AND ($4::timestamptz IS NULL OR at >= $4)
          AND ($5::timestamptz IS NULL OR at < $5)
          AND ($6::bigint IS NULL OR id < $6)
        ORDER BY id DESC
        LIMIT $7`,
      [query.entityType ?? null, query.entityId ?? null, query.actorId ?? null, query.from ?? null, query.to ?? null, query.before ?? null, query.limit + 1],
    );
    const more = rows.length > query.limit;
    const entries = more ? rows.slice(0, query.limit) : rows;
    return { entries, nextCursor: more ? entries[entries.length - 1].id : null };
  }
}
