import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Evidence packs (issue 12): one ZIP per request with a milestone's status history, photos, OTDR
 * readings, review thread and a summary, for the Inspektorat or an auditor. A worker builds it;
 * its bytes are kept in the database a megabyte a row (evidence_pack_chunks), so any api replica
 * can stream it back without a shared folder, and a pack is gone with its rows when it expires.
 */
export class EvidencePacks1766000000000 implements MigrationInterface {
  name = 'EvidencePacks1766000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE evidence_packs (
        id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        milestone_id    uuid NOT NULL,
        requested_by    uuid NULL,
        requested_label text NOT NULL,
        state           varchar(10) NOT NULL DEFAULT 'queued',
        progress        smallint NOT NULL DEFAULT 0,
        files           integer NULL,
        size_bytes      bigint NULL,
        sha256          char(64) NULL,
        error_code      varchar(60) NULL,
        error_params    jsonb NULL,
        created_at      timestamptz NOT NULL DEFAULT now(),
        started_at      timestamptz NULL,
        finished_at     timestamptz NULL,
        CONSTRAINT fk_evidence_packs_milestone FOREIGN KEY (milestone_id) REFERENCES milestones (id) ON DELETE CASCADE,
        CONSTRAINT fk_evidence_packs_user FOREIGN KEY (requested_by) REFERENCES users (id) ON DELETE SET NULL,
        CONSTRAINT chk_evidence_packs_state CHECK (state IN ('queued', 'running', 'done', 'failed')),
        CONSTRAINT chk_evidence_packs_progress CHECK (progress BETWEEN 0 AND 100)
      )`);
    await q.query(`CREATE INDEX idx_evidence_packs_milestone ON evidence_packs (milestone_id, created_at DESC)`);
    await q.query(`CREATE INDEX idx_evidence_packs_created ON evidence_packs (created_at)`);
    await q.query(`
      CREATE TABLE evidence_pack_chunks (
        pack_id uuid NOT NULL,
        seq     integer NOT NULL,
        bytes   bytea NOT NULL,
        PRIMARY KEY (pack_id, seq),
        CONSTRAINT fk_evidence_pack_chunks_pack FOREIGN KEY (pack_id) REFERENCES evidence_packs (id) ON DELETE CASCADE
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE evidence_pack_chunks`);
    await q.query(`DROP TABLE evidence_packs`);
  }
}
