import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Rollout progress (issue 12): when each node became connected, a phase's scope and its history,
 * and the daily snapshots of the figures.
 *
 * - connected_nodes.since: when the node joined a NOC by active segments, written by the
 *   connectivity refresh from the time of the change that joined it (ConnectivityRepository). A
 *   site "went live" when its termination node did; its savings count from then. Nodes connected
 *   before this migration get the time of the migration, until the progress back-fill
 *   (ProgressHistoryService) works the true dates out of the status history.
 * - phases: a version (edits compare it, as on the network's records) and an optional area (the
 *   kecamatan or desa a work package is for).
 * - phase_scope_changes: every site and segment that joined or left a phase, with who, when and
 *   the reason given, written by triggers on sites and segments, so the "contracted" denominator
 *   cannot move without a trace whichever path moved it. The reason and the actor come from the
 *   transaction's settings serat.scope_reason, serat.actor and serat.actor_id
 *   (PhasesRepository.withScopeReason); append-only, like the audit log.
 * - progress_snapshots: the figures of the region, each kabupaten and each kecamatan, for all
 *   phases and each phase, as they stood at the end of a day (the region's time zone). One row
 *   per day, area and phase: the daily job, a snapshot on demand and the back-fill write the same
 *   key, so running any of them twice writes nothing new.
 */
export class RolloutProgress1765800000000 implements MigrationInterface {
  name = 'RolloutProgress1765800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE connected_nodes ADD COLUMN since timestamptz NOT NULL DEFAULT now()`);

    await q.query(`
      ALTER TABLE phases
        ADD COLUMN version integer NOT NULL DEFAULT 1,
        ADD COLUMN area_code varchar(20) NULL,
        ADD CONSTRAINT fk_phases_area FOREIGN KEY (area_code) REFERENCES admin_areas (code) ON DELETE SET NULL`);

    await q.query(`
      CREATE TABLE phase_scope_changes (
        id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        phase_id           uuid NOT NULL,
        subject            varchar(8) NOT NULL,
        -- No foreign key: the history outlives a deleted site or segment, and names it by code.
        item_id            uuid NOT NULL,
        item_code          varchar(60) NOT NULL,
        action             varchar(8) NOT NULL,
        reason             text NULL,
        changed_by         text NOT NULL,
        changed_by_user_id uuid NULL,
        changed_at         timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT fk_phase_scope_changes_phase FOREIGN KEY (phase_id) REFERENCES phases (id) ON DELETE CASCADE,
        CONSTRAINT chk_phase_scope_changes_subject CHECK (subject IN ('site', 'segment')),
        CONSTRAINT chk_phase_scope_changes_action CHECK (action IN ('added', 'removed'))
      )`);
    await q.query(`CREATE INDEX idx_phase_scope_changes_phase ON phase_scope_changes (phase_id, id)`);
    await q.query(`
      CREATE FUNCTION phase_scope_changes_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'phase_scope_changes is append-only' USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE TRIGGER trg_phase_scope_changes_append_only BEFORE UPDATE OR DELETE ON phase_scope_changes
      FOR EACH ROW WHEN (pg_trigger_depth() = 0) EXECUTE FUNCTION phase_scope_changes_append_only()`);

    for (const table of ['sites', 'segments'] as const) {
      for (const event of ['INSERT', 'UPDATE', 'DELETE'] as const) {
        await q.query(scopeFunction(table, event));
        const referencing = event === 'INSERT' ? 'NEW TABLE AS new_rows' : event === 'DELETE' ? 'OLD TABLE AS old_rows' : 'OLD TABLE AS old_rows NEW TABLE AS new_rows';
        await q.query(
          `CREATE TRIGGER trg_${table}_scope_${event.toLowerCase()} AFTER ${event} ON ${table} REFERENCING ${referencing} FOR EACH STATEMENT EXECUTE FUNCTION ${table}_scope_${event.toLowerCase()}()`,
        );
      }
    }

    await q.query(`
      CREATE TABLE progress_snapshots (
        day        date NOT NULL,
        level      varchar(16) NOT NULL,
        -- '' for the region.
        area_code  varchar(20) NOT NULL,
        -- The zero uuid for every phase together.
        phase_key  uuid NOT NULL,
        -- The summed figure rows (subject, category, items, lengthMm, connected), as area_figure_deltas sums them.
        figures    jsonb NOT NULL,
        source     varchar(10) NOT NULL,
        taken_at   timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_progress_snapshots PRIMARY KEY (level, area_code, phase_key, day),
        CONSTRAINT chk_progress_snapshots_level CHECK (level IN ('region', 'kabupaten', 'kecamatan')),
        CONSTRAINT chk_progress_snapshots_source CHECK (source IN ('daily', 'on_demand', 'backfill'))
      )`);
    // The back-fill replays the status history in time order, a page at a time.
    await q.query(`CREATE INDEX idx_status_changes_time ON status_changes (changed_at, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX idx_status_changes_time`);
    await q.query(`DROP TABLE progress_snapshots`);
    for (const table of ['segments', 'sites'] as const) {
      for (const event of ['DELETE', 'UPDATE', 'INSERT'] as const) {
        await q.query(`DROP TRIGGER trg_${table}_scope_${event.toLowerCase()} ON ${table}`);
        await q.query(`DROP FUNCTION ${table}_scope_${event.toLowerCase()}()`);
      }
    }
    await q.query(`DROP TABLE phase_scope_changes`);
    await q.query(`DROP FUNCTION phase_scope_changes_append_only()`);
    await q.query(`ALTER TABLE phases DROP CONSTRAINT fk_phases_area, DROP COLUMN area_code, DROP COLUMN version`);
    await q.query(`ALTER TABLE connected_nodes DROP COLUMN since`);
  }
}

/**
 * The scope history of one statement on sites or segments: a row joining a phase (inserted with
 * one, or moved to one) is 'added', a row leaving one (moved away, or deleted) 'removed'.
 */
function scopeFunction(table: 'sites' | 'segments', event: 'INSERT' | 'UPDATE' | 'DELETE'): string {
  const subject = table === 'sites' ? 'site' : 'segment';
  const moves =
    event === 'INSERT'
      ? `SELECT n.phase_id, n.id, n.code, 'added' AS action FROM new_rows n WHERE n.phase_id IS NOT NULL`
      : event === 'DELETE'
        ? `SELECT o.phase_id, o.id, o.code, 'removed' AS action FROM old_rows o WHERE o.phase_id IS NOT NULL`
        : `SELECT o.phase_id, o.id, n.code, 'removed' AS action FROM old_rows o JOIN new_rows n ON n.id = o.id
            WHERE o.phase_id IS NOT NULL AND o.phase_id IS DISTINCT FROM n.phase_id
           UNION ALL
           SELECT n.phase_id, n.id, n.code, 'added' FROM old_rows o JOIN new_rows n ON n.id = o.id
            WHERE n.phase_id IS NOT NULL AND o.phase_id IS DISTINCT FROM n.phase_id`;
  return `
    CREATE FUNCTION ${table}_scope_${event.toLowerCase()}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO phase_scope_changes (phase_id, subject, item_id, item_code, action, reason, changed_by, changed_by_user_id)
      SELECT m.phase_id, '${subject}', m.id, m.code, m.action,
             nullif(current_setting('serat.scope_reason', true), ''),
             coalesce(nullif(current_setting('serat.actor', true), ''), 'system'),
             nullif(current_setting('serat.actor_id', true), '')::uuid
        FROM (${moves}) m
        -- A phase deleted in this statement's cascade has no history left to keep.
       WHERE EXISTS (SELECT 1 FROM phases p WHERE p.id = m.phase_id);
      RETURN NULL;
    END $$`;
}
