import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

export interface NewPhase {
  code: string;
  name: string;
  budgetYear: number | null;
  targetDate: string | null;
  budgetIdr: number | null;
  description: string | null;
}

/** A work package as lists show it: what a planner picks from. */
export interface PhaseSummary {
  id: string;
  code: string;
  name: string;
  budgetYear: number | null;
  /** A calendar date (YYYY-MM-DD), no time zone. */
  targetDate: string | null;
}

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
      `SELECT id, code, name, budget_year AS "budgetYear", to_char(target_date, 'YYYY-MM-DD') AS "targetDate"
         FROM phases
        WHERE ($1::text IS NULL OR code > $1)
        ORDER BY code
        LIMIT $2`,
      [after ?? null, limit + 1],
    );
    const more = rows.length > limit;
    const phases = more ? rows.slice(0, limit) : rows;
    return { phases, nextCursor: more ? phases[phases.length - 1].code : null };
  }
}
