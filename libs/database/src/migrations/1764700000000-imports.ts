import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Imports of contractors' files: the upload itself (in the database, so any worker on any
 * machine can read it), its options, progress and report; reusable mapping templates; and the
 * external reference that lets a re-import find what it created before.
 */
export class Imports1764700000000 implements MigrationInterface {
  name = 'Imports1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE import_templates (
        id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name        text NOT NULL,
        mapping     jsonb NOT NULL,
        created_by  uuid NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now(),
        updated_at  timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_import_templates_name UNIQUE (name),
        CONSTRAINT fk_import_templates_user FOREIGN KEY (created_by) REFERENCES users (id) ON DELETE RESTRICT
      )`);
    await q.query(`
      CREATE TABLE imports (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        created_by    uuid NOT NULL,
        created_at    timestamptz NOT NULL DEFAULT now(),
        file_name     text NOT NULL,
        size_bytes    integer NOT NULL,
        sha256        char(64) NOT NULL,
        file          bytea NOT NULL,
        options       jsonb NOT NULL,
        state         varchar(20) NOT NULL DEFAULT 'queued',
        progress      integer NOT NULL DEFAULT 0,
        format        varchar(20) NULL,
        source_crs    text NULL,
        summary       jsonb NULL,
        report        jsonb NULL,
        error_code    varchar(40) NULL,
        error_message text NULL,
        committed_at  timestamptz NULL,
        version       integer NOT NULL DEFAULT 1,
        CONSTRAINT chk_imports_state CHECK (state IN ('queued','analysing','ready','committing','committed','failed')),
        CONSTRAINT chk_imports_progress CHECK (progress BETWEEN 0 AND 100),
        CONSTRAINT fk_imports_user FOREIGN KEY (created_by) REFERENCES users (id) ON DELETE RESTRICT
      )`);
    await q.query(`CREATE INDEX idx_imports_created ON imports (created_at DESC)`);
    await q.query(`ALTER TABLE segments ADD COLUMN external_ref text NULL`);
    await q.query(`ALTER TABLE nodes ADD COLUMN external_ref text NULL`);
    await q.query(`CREATE UNIQUE INDEX uq_segments_external_ref ON segments (external_ref) WHERE external_ref IS NOT NULL`);
    await q.query(`CREATE UNIQUE INDEX uq_nodes_external_ref ON nodes (external_ref) WHERE external_ref IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX uq_nodes_external_ref`);
    await q.query(`DROP INDEX uq_segments_external_ref`);
    await q.query(`ALTER TABLE nodes DROP COLUMN external_ref`);
    await q.query(`ALTER TABLE segments DROP COLUMN external_ref`);
    await q.query(`DROP TABLE imports`);
    await q.query(`DROP TABLE import_templates`);
  }
}
