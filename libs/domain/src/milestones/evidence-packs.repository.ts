import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { EvidencePackState } from '@serat/contract';
import { DataSource } from 'typeorm';

/** An evidence pack as stored (its bytes are in evidence_pack_chunks). */
export interface EvidencePackRow {
  id: string;
  milestoneId: string;
  milestoneCode: string;
  state: EvidencePackState;
  progress: number;
  files: number | null;
  sizeBytes: number | null;
  sha256: string | null;
  errorCode: string | null;
  errorParams: Record<string, unknown> | null;
  requestedLabel: string;
  createdAt: string;
  finishedAt: string | null;
}

const SELECT = `
  SELECT p.id, p.milestone_id AS "milestoneId", m.code AS "milestoneCode", p.state, p.progress, p.files,
         p.size_bytes::float8 AS "sizeBytes", p.sha256, p.error_code AS "errorCode", p.error_params AS "errorParams",
         p.requested_label AS "requestedLabel", p.created_at AS "createdAt", p.finished_at AS "finishedAt"
    FROM evidence_packs p JOIN milestones m ON m.id = p.milestone_id`;

function toRow(row: EvidencePackRow & { createdAt: Date | string; finishedAt: Date | string | null }): EvidencePackRow {
  return { ...row, createdAt: new Date(row.createdAt).toISOString(), finishedAt: row.finishedAt ? new Date(row.finishedAt).toISOString() : null };
}

/** Evidence packs and their bytes: the one writer of evidence_packs and evidence_pack_chunks. */
@Injectable()
export class EvidencePacksRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async find(id: string): Promise<EvidencePackRow | null> {
    const [row] = await this.dataSource.query(`${SELECT} WHERE p.id = $1`, [id]);
    return row ? toRow(row) : null;
  }

  /** The milestone's pack still queued or being built within the last hour, if any (asking again gives that one). */
  async pending(milestoneId: string): Promise<EvidencePackRow | null> {
    // One whose job was lost (a worker gone for good, Redis emptied) does not hold the milestone for ever.
    const [row] = await this.dataSource.query(
      `${SELECT} WHERE p.milestone_id = $1 AND p.state IN ('queued', 'running') AND p.created_at > now() - interval '1 hour' ORDER BY p.created_at DESC LIMIT 1`,
      [milestoneId],
    );
    return row ? toRow(row) : null;
  }

  async insert(milestoneId: string, requestedBy: string | null, requestedLabel: string): Promise<string> {
    const [row] = await this.dataSource.query(`INSERT INTO evidence_packs (milestone_id, requested_by, requested_label) VALUES ($1, $2, $3) RETURNING id`, [
      milestoneId,
      requestedBy,
      requestedLabel,
    ]);
    return row.id;
  }

  /** Starts (or restarts, on a retry) the building: what an earlier attempt wrote goes. */
  async start(id: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM evidence_pack_chunks WHERE pack_id = $1`, [id]);
    await this.dataSource.query(`UPDATE evidence_packs SET state = 'running', progress = 0, started_at = now(), error_code = NULL, error_params = NULL WHERE id = $1`, [id]);
  }

  async setProgress(id: string, progress: number): Promise<void> {
    await this.dataSource.query(`UPDATE evidence_packs SET progress = $2 WHERE id = $1 AND state = 'running'`, [id, progress]);
  }

  async putChunk(id: string, seq: number, bytes: Buffer): Promise<void> {
    await this.dataSource.query(`INSERT INTO evidence_pack_chunks (pack_id, seq, bytes) VALUES ($1, $2, $3)`, [id, seq, bytes]);
  }

  /** Done, if its chunks are all there (`chunks` of them, numbered from 0); false otherwise. */
  async finish(id: string, result: { files: number; sizeBytes: number; sha256: string; chunks: number }): Promise<boolean> {
    const [row] = await this.dataSource.query(
      `WITH done AS (
         UPDATE evidence_packs SET state = 'done', progress = 100, files = $2, size_bytes = $3, sha256 = $4, finished_at = now()
          WHERE id = $1 AND state = 'running'
            AND (SELECT count(*) FROM evidence_pack_chunks WHERE pack_id = $1) = $5
            AND (SELECT coalesce(sum(length(bytes)), 0) FROM evidence_pack_chunks WHERE pack_id = $1) = $3
          RETURNING id)
       SELECT count(*)::int AS n FROM done`,
      [id, result.files, result.sizeBytes, result.sha256, result.chunks],
    );
    return row.n === 1;
  }

  /** Failed: its partial bytes go, the reason stays. */
  async fail(id: string, code: string, params: Record<string, unknown>): Promise<void> {
    await this.dataSource.query(`DELETE FROM evidence_pack_chunks WHERE pack_id = $1`, [id]);
    await this.dataSource.query(`UPDATE evidence_packs SET state = 'failed', error_code = $2, error_params = $3, finished_at = now() WHERE id = $1`, [
      id,
      code,
      JSON.stringify(params),
    ]);
  }

  /** The chunks' numbers in order (a few thousand at most: a megabyte each). */
  async chunkNumbers(id: string): Promise<number[]> {
    const rows: { seq: number }[] = await this.dataSource.query(`SELECT seq FROM evidence_pack_chunks WHERE pack_id = $1 ORDER BY seq`, [id]);
    return rows.map((row) => row.seq);
  }

  async chunk(id: string, seq: number): Promise<Buffer | null> {
    const [row] = await this.dataSource.query(`SELECT bytes FROM evidence_pack_chunks WHERE pack_id = $1 AND seq = $2`, [id, seq]);
    return row ? Buffer.from(row.bytes) : null;
  }

  /** Removes the packs made more than so many days ago (their chunks with them); returns how many. */
  async expire(olderThanDays: number): Promise<number> {
    // Through a CTE: a bare DELETE … RETURNING comes back from TypeORM as [rows, count].
    const [row] = await this.dataSource.query(
      `WITH gone AS (DELETE FROM evidence_packs WHERE created_at < now() - make_interval(days => $1) RETURNING id) SELECT count(*)::int AS n FROM gone`,
      [olderThanDays],
    );
    return row.n;
  }
}
