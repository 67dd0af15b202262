import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * "Connected" kept up to date by what each change can do to it, not by walking the whole network
 * after every change (issue 11: at a million segments a full walk takes seconds).
 *
 * The marks in network_changes now say what a statement did:
 * - nothing at all (no mark) when it cannot change connectivity: a planned segment surveyed, a
 *   segment's route redrawn, a joint closure renamed — most of a rollout's changes;
 * - `seeds` when it can only join more nodes: segments that became (or were inserted) active, a NOC
 *   that became active. The refresh walks out from those of the seeds that are connected, into
 *   nodes not connected yet: its cost is what it joins;
 * - `full_recompute` when it can cut something off: an active segment that is no longer active,
 *   deleted or moved to other ends; a NOC that went down, changed kind or was deleted. The refresh
 *   then walks the whole network again, as before.
 * Marks are inserted, never updated, so concurrent writers still never wait for each other, and a
 * mark of a transaction not committed yet stays until a later reader sees it.
 */
export class ConnectivityMarks1765700000000 implements MigrationInterface {
  name = 'ConnectivityMarks1765700000000';

  async up(q: QueryRunner): Promise<void> {
    // Marks left before this migration (DEFAULT VALUES) ask for a full walk.
    await q.query(`ALTER TABLE network_changes ADD COLUMN full_recompute boolean NOT NULL DEFAULT true, ADD COLUMN seeds uuid[]`);
    await q.query(`DROP TRIGGER trg_segments_network_change ON segments`);
    await q.query(`DROP TRIGGER trg_nodes_network_change ON nodes`);
    await q.query(`DROP FUNCTION note_network_change()`);

    // Both ends of each segment that is active now and was not before (or did not exist).
    const growSeeds = (rows: string) => `
      INSERT INTO network_changes (full_recompute, seeds)
      SELECT false, array_agg(DISTINCT v.node_id) FROM ${rows} r, LATERAL (VALUES (r.from_node_id), (r.to_node_id)) AS v(node_id)
      HAVING count(*) > 0`;
    await q.query(`
      CREATE FUNCTION note_segments_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        ${growSeeds(`(SELECT * FROM new_rows WHERE status = 'active')`)};
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE FUNCTION note_segments_updated() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM old_rows o JOIN new_rows n ON n.id = o.id
                    WHERE o.status = 'active'
                      AND (n.status <> 'active' OR n.from_node_id <> o.from_node_id OR n.to_node_id <> o.to_node_id)) THEN
          INSERT INTO network_changes (full_recompute) VALUES (true);
        ELSE
          ${growSeeds(`(SELECT n.* FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE n.status = 'active' AND o.status <> 'active')`)};
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE FUNCTION note_segments_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM old_rows WHERE status = 'active') THEN
          INSERT INTO network_changes (full_recompute) VALUES (true);
        END IF;
        RETURN NULL;
      END $$`);
    // A root of the walk: an active NOC.
    const root = (row: string) => `(${row}.kind = 'noc' AND ${row}.status = 'active')`;
    await q.query(`
      CREATE FUNCTION note_nodes_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO network_changes (full_recompute, seeds)
        SELECT false, array_agg(n.id) FROM new_rows n WHERE ${root('n')} HAVING count(*) > 0;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE FUNCTION note_nodes_updated() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE ${root('o')} AND NOT ${root('n')}) THEN
          INSERT INTO network_changes (full_recompute) VALUES (true);
        ELSE
          INSERT INTO network_changes (full_recompute, seeds)
          SELECT false, array_agg(n.id) FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE ${root('n')} AND NOT ${root('o')} HAVING count(*) > 0;
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE FUNCTION note_nodes_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM old_rows o WHERE ${root('o')}) THEN
          INSERT INTO network_changes (full_recompute) VALUES (true);
        END IF;
        RETURN NULL;
      END $$`);
    for (const table of ['segments', 'nodes'])
      for (const [event, referencing] of [
        ['INSERT', 'NEW TABLE AS new_rows'],
        ['UPDATE', 'OLD TABLE AS old_rows NEW TABLE AS new_rows'],
        ['DELETE', 'OLD TABLE AS old_rows'],
      ]) {
        const verb = { INSERT: 'inserted', UPDATE: 'updated', DELETE: 'deleted' }[event];
        await q.query(`
          CREATE TRIGGER trg_${table}_network_${verb}
            AFTER ${event} ON ${table} REFERENCING ${referencing}
            FOR EACH STATEMENT EXECUTE FUNCTION note_${table}_${verb}()`);
      }
    // The next reader walks the whole network once under the new marks.
    await q.query(`INSERT INTO network_changes (full_recompute) VALUES (true)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['segments', 'nodes'])
      for (const verb of ['inserted', 'updated', 'deleted']) {
        await q.query(`DROP TRIGGER trg_${table}_network_${verb} ON ${table}`);
        await q.query(`DROP FUNCTION note_${table}_${verb}()`);
      }
    await q.query(`
      CREATE FUNCTION note_network_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO network_changes DEFAULT VALUES;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER trg_segments_network_change
        AFTER INSERT OR DELETE OR UPDATE OF status, from_node_id, to_node_id ON segments
        FOR EACH STATEMENT EXECUTE FUNCTION note_network_change()`);
    await q.query(`
      CREATE TRIGGER trg_nodes_network_change
        AFTER INSERT OR DELETE OR UPDATE OF status, kind ON nodes
        FOR EACH STATEMENT EXECUTE FUNCTION note_network_change()`);
    await q.query(`ALTER TABLE network_changes DROP COLUMN seeds, DROP COLUMN full_recompute`);
  }
}
