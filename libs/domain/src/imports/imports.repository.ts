import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { ImportJob, ImportReportPage, ImportState, ImportTemplate } from '@serat/contract';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { selectListSql } from '../shared/answer-sql';
import type { ExistingRow } from './import-plan';

export type { ImportState };

/** An import as stored; what the api answers is its ImportJob (libs/contract) and more. */
export interface ImportRow extends ImportJob<Date> {
  sizeBytes: number;
  sha256: string;
  /** The job the current state belongs to (see the migration ImportJobs1765200000000). */
  jobId: string | null;
}

/** The columns of an import as `i`, with its uploader's name from `users` as `u`; `summary` is chosen by the caller. */
const COLUMNS = selectListSql<Omit<ImportRow, 'summary'>>({
  id: 'i.id',
  createdBy: 'i.created_by',
  createdByName: 'u.display_name',
  createdAt: 'i.created_at',
  fileName: 'i.file_name',
  sizeBytes: 'i.size_bytes',
  sha256: 'i.sha256',
  options: 'i.options',
  state: 'i.state',
  progress: 'i.progress',
  format: 'i.format',
  sourceCrs: 'i.source_crs',
  errorCode: 'i.error_code',
  errorMessage: 'i.error_message',
  committedAt: 'i.committed_at',
  version: 'i.version',
  jobId: 'i.job_id',
});
const FROM = `imports i LEFT JOIN users u ON u.id = i.created_by`;

/**
 * A page of the list: newest first, by (created_at, id). The cursor is that pair as text,
 * `2026-11-28T03:04:05.123456Z,<uuid>`, with PostgreSQL's microseconds (a JavaScript Date would
 * keep milliseconds only, and an import made in the same millisecond would be skipped).
 */
export interface ImportCursor {
  createdAt: string;
  id: string;
}

export const IMPORT_CURSOR = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?Z),([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/** The cursor's parts; null unless it names a real time (2026-02-30 or year 0000 fit the pattern, and PostgreSQL refuses them). */
export function parseImportCursor(text: string): ImportCursor | null {
  const match = IMPORT_CURSOR.exec(text);
  if (!match) return null;
  const time = new Date(match[1]);
  // Date rolls 2026-02-30 over into March: only a time that reads back the same is real.
  if (Number.isNaN(time.getTime()) || time.getUTCFullYear() < 1 || time.toISOString().slice(0, 19) !== match[1].slice(0, 19)) return null;
  return { createdAt: match[1], id: match[2] };
}

export const TEMPLATES_MAX = 200;

@Injectable()
export class ImportsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** A new import, queued for its dry run under `jobId` (its id is chosen here, so the caller gives a function of it). */
  async create(row: { createdBy: string; fileName: string; sha256: string; file: Buffer; options: object }, jobIdOf: (id: string) => string): Promise<ImportRow> {
    const id = randomUUID();
    const [created] = await this.dataSource.query(
      `WITH i AS (INSERT INTO imports (id, created_by, file_name, size_bytes, sha256, file, options, job_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *)
       SELECT ${COLUMNS}, i.summary FROM i LEFT JOIN users u ON u.id = i.created_by`,
      [id, row.createdBy, row.fileName, row.file.length, row.sha256, row.file, JSON.stringify(row.options), jobIdOf(id)],
    );
    return created;
  }

  async find(id: string): Promise<ImportRow | null> {
    const [row] = await this.dataSource.query(`SELECT ${COLUMNS}, i.summary FROM ${FROM} WHERE i.id = $1`, [id]);
    return row ?? null;
  }

  /**
   * Back to the queue with new options, from an analysed or failed import (or one still queued,
   * say when Redis refused its job), never from one running or applied: its summary and report are
   * cleared for the new dry run. Null when the import is not in such a state.
   */
  async requeue(id: string, options: object, jobId: string, abandoned?: { jobId: string | null }): Promise<ImportRow | null> {
    // An abandoned dry run is taken over only while the row still names the job found gone.
    const [row] = await this.dataSource.query(
      `WITH i AS (UPDATE imports SET options = $2, state = 'queued', progress = 0, summary = NULL, report = NULL, error_code = NULL,
                          error_message = NULL, version = version + 1, job_id = $3
                   WHERE id = $1 AND (state IN ('queued', 'ready', 'failed') OR ($4::boolean AND state = 'analysing' AND job_id IS NOT DISTINCT FROM $5::text)) RETURNING *)
       SELECT ${COLUMNS}, i.summary FROM i LEFT JOIN users u ON u.id = i.created_by`,
      [id, JSON.stringify(options), jobId, abandoned !== undefined, abandoned?.jobId ?? null],
    );
    return row ?? null;
  }

  /**
   * The api's side of a commit: an analysed import becomes committing under `jobId`, or a
   * committing one whose job `lostJobId` is gone is given a new job. False when the import is in
   * another state (or another asking got there first).
   */
  async queueCommit(id: string, jobId: string, lostJobId?: string | null): Promise<boolean> {
    const [row] = await this.dataSource.query(
      `WITH u AS (UPDATE imports SET state = 'committing', progress = 0, job_id = $2, version = version + 1
                   WHERE id = $1 AND (state = 'ready' OR ($3::boolean AND state = 'committing' AND job_id IS NOT DISTINCT FROM $4::text))
                   RETURNING id) SELECT count(*)::int AS n FROM u`,
      [id, jobId, lostJobId !== undefined, lostJobId ?? null],
    );
    return row.n === 1;
  }

  /**
   * A failed import back to the step that failed, under `jobId`: its commit (`committing`, the dry
   * run's summary and report kept) or its dry run (`queued`, cleared as by requeue). Only from
   * `failed` at `version`, the one the caller read: a second asking finds it moved on. Null then.
   */
  async retryFailed(id: string, version: number, step: 'analyse' | 'commit', jobId: string): Promise<ImportRow | null> {
    const [row] = await this.dataSource.query(
      `WITH i AS (UPDATE imports SET state = CASE WHEN $3::text = 'commit' THEN 'committing' ELSE 'queued' END, progress = 0,
                          summary = CASE WHEN $3::text = 'commit' THEN summary END, report = CASE WHEN $3::text = 'commit' THEN report END,
                          error_code = NULL, error_message = NULL, version = version + 1, job_id = $4
                   WHERE id = $1 AND state = 'failed' AND version = $2 RETURNING *)
       SELECT ${COLUMNS}, i.summary FROM i LEFT JOIN users u ON u.id = i.created_by`,
      [id, version, step, jobId],
    );
    return row ?? null;
  }

  /** Undoes queueCommit when the job could not be queued: the import is analysed again, not stuck committing. */
  async unqueueCommit(id: string, jobId: string): Promise<void> {
    await this.dataSource.query(`UPDATE imports SET state = 'ready', progress = 100, job_id = NULL, version = version + 1 WHERE id = $1 AND state = 'committing' AND job_id = $2`, [
      id,
      jobId,
    ]);
  }

  async file(id: string): Promise<Buffer | null> {
    const [row] = await this.dataSource.query(`SELECT file FROM imports WHERE id = $1`, [id]);
    return row?.file ?? null;
  }

  /**
   * A worker's step: moves the state only from one of the expected states and only while the row
   * names this job; false when another job or request got there first (this job is then stale).
   */
  async transition(id: string, jobId: string, from: ImportState[], to: ImportState, manager: EntityManager = this.dataSource.manager): Promise<boolean> {
    const [row] = await manager.query(
      `WITH u AS (UPDATE imports SET state = $3::text, progress = CASE WHEN $3::text IN ('analysing', 'committing') THEN 0 ELSE progress END, version = version + 1
                   WHERE id = $1 AND state = ANY($2::text[]) AND job_id = $4 RETURNING id) SELECT count(*)::int AS n FROM u`,
      [id, from, to, jobId],
    );
    return row.n === 1;
  }

  /**
   * Takes the commit lock for the transaction and says whether this import is still to be
   * committed. One commit at a time in the whole installation, not only per import: two imports
   * snapping their segment ends at once could each make a node at the same spot and so split the
   * network. Imports are rare and a commit takes seconds; the wait is the lesser evil.
   */
  async lockForCommit(id: string, jobId: string, manager: EntityManager): Promise<boolean> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended('serat.import.commit', 0))`);
    const [row] = await manager.query(`SELECT state, job_id AS "jobId" FROM imports WHERE id = $1`, [id]);
    return row?.state === 'committing' && row.jobId === jobId;
  }

  async progress(id: string, jobId: string, percent: number): Promise<void> {
    await this.dataSource.query(`UPDATE imports SET progress = $2 WHERE id = $1 AND job_id = $3 AND progress <> $2`, [id, Math.max(0, Math.min(100, Math.round(percent))), jobId]);
  }

  /** A worker's result: written only while the row names this job and is still running it; false when the job is stale. */
  async finish(
    id: string,
    jobId: string,
    result: {
      state: ImportState;
      format?: string | null;
      sourceCrs?: string | null;
      summary?: object | null;
      report?: object | null;
      errorCode?: string | null;
      errorMessage?: string | null;
      committed?: boolean;
      /** The options as analysed (with the mapping the dry run used), when they are to replace the stored ones. */
      options?: object | null;
    },
    manager: EntityManager = this.dataSource.manager,
  ): Promise<boolean> {
    const [row] = await manager.query(
      `WITH u AS (UPDATE imports SET state = $2, progress = 100, format = coalesce($3, format), source_crs = coalesce($4, source_crs),
          summary = coalesce($5::jsonb, summary), report = coalesce($6::jsonb, report), error_code = $7, error_message = $8,
          committed_at = CASE WHEN $9::boolean THEN now() ELSE committed_at END, options = coalesce($10::jsonb, options), version = version + 1
        WHERE id = $1 AND job_id = $11 AND state IN ('analysing', 'committing') RETURNING id) SELECT count(*)::int AS n FROM u`,
      [
        id,
        result.state,
        result.format ?? null,
        result.sourceCrs ?? null,
        result.summary ? JSON.stringify(result.summary) : null,
        result.report ? JSON.stringify(result.report) : null,
        result.errorCode ?? null,
        result.errorMessage ?? null,
        result.committed ?? false,
        result.options ? JSON.stringify(result.options) : null,
        jobId,
      ],
    );
    return row.n === 1;
  }

  /** A page of the per-feature report rows. */
  async reportRows(id: string, offset: number, limit: number): Promise<ImportReportPage | null> {
    const [row] = await this.dataSource.query(
      `SELECT coalesce(jsonb_array_length(report), 0) AS total,
              coalesce((SELECT jsonb_agg(r) FROM (SELECT r FROM jsonb_array_elements(report) WITH ORDINALITY AS t(r, n) WHERE n > $2 ORDER BY n LIMIT $3) x), '[]'::jsonb) AS rows
         FROM imports WHERE id = $1`,
      [id, offset, limit],
    );
    return row ?? null;
  }

  /** Newest first, a page at a time; each summary without its analysis (a list need not carry every file's columns). */
  async list(limit: number, before?: ImportCursor): Promise<{ imports: ImportRow[]; nextCursor: string | null }> {
    const rows: (ImportRow & { cursor: string })[] = await this.dataSource.query(
      `SELECT ${COLUMNS}, i.summary - 'analysis' AS summary,
              to_char(i.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') || ',' || i.id AS cursor
         FROM ${FROM}
        WHERE $1::timestamptz IS NULL OR (i.created_at, i.id) < ($1::timestamptz, $2::uuid)
        ORDER BY i.created_at DESC, i.id DESC
        LIMIT $3`,
      [before?.createdAt ?? null, before?.id ?? null, limit + 1],
    );
    const more = rows.length > limit;
    const page = more ? rows.slice(0, limit) : rows;
    const nextCursor = more ? page[page.length - 1].cursor : null;
    return { imports: page.map(({ cursor: _cursor, ...row }) => row), nextCursor };
  }

  async findTemplate(id: string): Promise<{ id: string; name: string; mapping: object } | null> {
    const [row] = await this.dataSource.query(`SELECT id, name, mapping FROM import_templates WHERE id = $1`, [id]);
    return row ?? null;
  }

  /** Saves a template by name, replacing the mapping of one with that name; also returns the mapping it replaced. */
  async saveTemplate(
    name: string,
    mapping: object,
    userId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<{ id: string; name: string; mapping: object; replaced: object | null }> {
    const [before] = await manager.query(`SELECT mapping FROM import_templates WHERE name = $1 FOR UPDATE`, [name]);
    const [row] = await manager.query(
      `INSERT INTO import_templates (name, mapping, created_by) VALUES ($1, $2, $3)
       ON CONFLICT (name) DO UPDATE SET mapping = EXCLUDED.mapping, updated_at = now()
       RETURNING id, name, mapping`,
      [name, JSON.stringify(mapping), userId],
    );
    return { ...row, replaced: before?.mapping ?? null };
  }

  /** The saved templates by name, at most `TEMPLATES_MAX` (a select in the browser lists them all). */
  async listTemplates(): Promise<ImportTemplate[]> {
    return this.dataSource.query(`SELECT id, name, mapping FROM import_templates ORDER BY name LIMIT $1`, [TEMPLATES_MAX]);
  }

  /** Existing segments and nodes an import may match, by code or external reference; locked for the transaction with `lock`. */
  async existing(kind: 'segments' | 'nodes', codes: string[], refs: string[], manager: EntityManager = this.dataSource.manager, lock = false) {
    const geometry = kind === 'segments' ? 'geom' : 'location';
    const extra = kind === 'segments' ? `, status, core_count AS "coreCount", cable_type AS "cableType", placement, tier` : `, status, kind, name`;
    return manager.query(
      `SELECT id, code, external_ref AS "externalRef", version, ST_AsGeoJSON(${geometry}, 7)::json AS geometry ${extra}
         FROM ${kind} WHERE code = ANY($1::text[]) OR external_ref = ANY($2::text[]) ${lock ? 'FOR UPDATE' : ''}`,
      [codes, refs],
    ) as Promise<ExistingRow[]>;
  }
}
