import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { PhaseRecord, PhaseScope, PhaseScopeChange } from '@serat/contract';
import { DataSource, EntityManager } from 'typeorm';

/** A work package as lists show it: what a planner picks from. */
export interface PhaseSummary {
  id: string;
  code: string;
  name: string;
  budgetYear: number | null;
  /** A calendar date (YYYY-MM-DD), no time zone. */
  targetDate: string | null;
  budgetIdr: number | null;
  areaCode: string | null;
}

/** The fields a planner sets on a phase. */
export interface PhaseFields {
  code: string;
  name: string;
  budgetYear: number | null;
  targetDate: string | null;
  budgetIdr: number | null;
  description: string | null;
  areaCode: string | null;
}

/** A phase the seed writes (the demo's phases are for no one area). */
export type NewPhase = Omit<PhaseFields, 'areaCode'>;

const COLUMNS: Record<keyof PhaseFields, string> = {
  code: 'code',
  name: 'name',
  budgetYear: 'budget_year',
  targetDate: 'target_date',
  budgetIdr: 'budget_idr',
  description: 'description',
  areaCode: 'area_code',
};

const SUMMARY = `p.id, p.code, p.name, p.budget_year AS "budgetYear", to_char(p.target_date, 'YYYY-MM-DD') AS "targetDate",
  p.budget_idr::float8 AS "budgetIdr", p.area_code AS "areaCode"`;

@Injectable()
export class PhasesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Inserts phases that do not exist yet (by code); existing ones are left as they are. */
  async insertMissing(phases: NewPhase[], manager: EntityManager = this.dataSource.manager): Promise<number> {
    if (phases.length === 0) return 0;
    const [row] = await manager.query(
      `WITH inserted AS (
         INSERT INTO phases (code, name, budget_year, target_date, budget_idr, description)
         SELECT x.code, x.name, x.budget_year, x.target_date, x.budget_idr, x.description
           FROM json_to_recordset($1::json) AS x(code text, name text, budget_year int, target_date date,
                budget_idr bigint, description text)
         ON CONFLICT (code) DO NOTHING
         RETURNING id
       )
       SELECT count(*)::int AS count FROM inserted`,
      [
        JSON.stringify(
          phases.map((p) => ({ code: p.code, name: p.name, budget_year: p.budgetYear, target_date: p.targetDate, budget_idr: p.budgetIdr, description: p.description })),
        ),
      ],
    );
    return row.count;
  }

  /** One page of the phases by code (a keyset cursor: the last code seen), with the cursor of the next page or null. */
  async list(limit: number, after?: string): Promise<{ phases: PhaseSummary[]; nextCursor: string | null }> {
    const rows: PhaseSummary[] = await this.dataSource.query(
      `SELECT ${SUMMARY}
         FROM phases p
        WHERE ($1::text IS NULL OR p.code > $1)
        ORDER BY p.code
        LIMIT $2`,
      [after ?? null, limit + 1],
    );
    const more = rows.length > limit;
    const phases = more ? rows.slice(0, limit) : rows;
    return { phases, nextCursor: more ? phases[phases.length - 1].code : null };
  }

  /** One phase as stored, with its scope; `lock` takes its row for an edit. */
  async find(id: string, manager: EntityManager = this.dataSource.manager, lock = false): Promise<PhaseRecord | null> {
    const [row] = await manager.query(
      `SELECT ${SUMMARY}, p.description, p.version, p.created_at AS "createdAt", p.updated_at AS "updatedAt"
         FROM phases p WHERE p.id = $1 ${lock ? 'FOR UPDATE' : ''}`,
      [id],
    );
    if (!row) return null;
    return { ...row, createdAt: new Date(row.createdAt).toISOString(), updatedAt: new Date(row.updatedAt).toISOString(), scope: await this.scope(id, manager) };
  }

  /** What a phase contracts now: its sites, its segments and their metres (decommissioned ones left out). */
  async scope(id: string, manager: EntityManager = this.dataSource.manager): Promise<PhaseScope> {
    const [row] = await manager.query(
      `SELECT (SELECT count(*)::int FROM sites WHERE phase_id = $1) AS sites,
              (SELECT count(*)::int FROM segments WHERE phase_id = $1 AND status <> 'decommissioned') AS segments,
              (SELECT coalesce(sum(length_m), 0)::float8 FROM segments WHERE phase_id = $1 AND status <> 'decommissioned') AS "lengthM"`,
      [id],
    );
    return { sites: row.sites, segments: row.segments, lengthM: Math.round(row.lengthM * 1000) / 1000 };
  }

  async insert(fields: PhaseFields, manager: EntityManager): Promise<string> {
    const [row] = await manager.query(
      `INSERT INTO phases (code, name, budget_year, target_date, budget_idr, description, area_code)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [fields.code, fields.name, fields.budgetYear, fields.targetDate, fields.budgetIdr, fields.description, fields.areaCode],
    );
    return row.id;
  }

  /** Writes the fields given and moves the version on. */
  async update(id: string, fields: Partial<PhaseFields>, manager: EntityManager): Promise<void> {
    const keys = (Object.keys(fields) as (keyof PhaseFields)[]).filter((key) => fields[key] !== undefined);
    const sets = keys.map((key, i) => `${COLUMNS[key]} = $${i + 2}`);
    await manager.query(`UPDATE phases SET ${[...sets, 'version = version + 1', 'updated_at = now()'].join(', ')} WHERE id = $1`, [id, ...keys.map((key) => fields[key])]);
  }

  /** Whether an admin area exists. */
  async areaExists(code: string, manager: EntityManager): Promise<boolean> {
    const [row] = await manager.query(`SELECT EXISTS (SELECT 1 FROM admin_areas WHERE code = $1) AS found`, [code]);
    return row.found;
  }

  /** One page of a phase's scope history, newest first (the id of the last entry seen). */
  async scopeChanges(id: string, limit: number, before?: string): Promise<{ changes: PhaseScopeChange[]; nextCursor: string | null }> {
    const rows: PhaseScopeChange[] = await this.dataSource.query(
      `SELECT id::text, subject, item_id AS "itemId", item_code AS "itemCode", action, reason, changed_by AS "changedBy", changed_at AS "changedAt"
         FROM phase_scope_changes
        WHERE phase_id = $1 AND ($2::bigint IS NULL OR id < $2::bigint)
        ORDER BY id DESC
        LIMIT $3`,
      [id, before ?? null, limit + 1],
    );
    const more = rows.length > limit;
    const changes = (more ? rows.slice(0, limit) : rows).map((row) => ({ ...row, changedAt: new Date(row.changedAt).toISOString() }));
    return { changes, nextCursor: more ? changes[changes.length - 1].id : null };
  }
}
