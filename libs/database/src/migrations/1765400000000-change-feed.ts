import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The live feed (GET /api/events) reads the audit log, which already holds every committed change
 * (its one writer is AuditRepository, in the transaction of the change).
 *
 * - Identity ids are handed out when rows are inserted, not when their transactions commit. A
 *   reader that followed `id` alone would skip a row whose transaction commits after a later id
 *   was read. So each entry also keeps its transaction's id (`xid`). The feed only hands out
 *   entries of transactions older than every transaction still running
 *   (`pg_snapshot_xmin(pg_current_snapshot())`), in (xid, id) order. A later entry can then never
 *   sort before one already handed out, and a reconnecting client resumes from its last
 *   (xid, id) without a gap.
 * - A statement trigger NOTIFYs `serat_changes`. PostgreSQL sends it only when the transaction
 *   commits and sends it once per transaction, so every api replica wakes up at once to read.
 */
export class ChangeFeed1765400000000 implements MigrationInterface {
  name = 'ChangeFeed1765400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE audit_log ADD COLUMN xid xid8 NOT NULL DEFAULT pg_current_xact_id()`);
    await q.query(`CREATE INDEX idx_audit_log_feed ON audit_log (xid, id)`);
    await q.query(`
      CREATE FUNCTION audit_log_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('serat_changes', '');
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER trg_audit_log_notify AFTER INSERT ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_notify()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER trg_audit_log_notify ON audit_log`);
    await q.query(`DROP FUNCTION audit_log_notify()`);
    await q.query(`DROP INDEX idx_audit_log_feed`);
    await q.query(`ALTER TABLE audit_log DROP COLUMN xid`);
  }
}
