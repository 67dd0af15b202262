import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * "Connected" (a path of active segments from an active NOC) kept in a table instead of a
 * recursive query on every read. Any statement that can change it (segments inserted, deleted,
 * or their status or ends changed; nodes inserted, deleted, or their status or kind changed)
 * leaves a row in network_changes through a statement-level trigger: an INSERT, so concurrent
 * writers never wait for each other. The next reader that finds rows there recomputes
 * connected_nodes (ConnectivityRepository). Rows left by a transaction that has not committed
 * yet stay invisible, and so stay until a later reader sees them: nothing is missed.
 */
export class ConnectedNodes1765100000000 implements MigrationInterface {
  name = 'ConnectedNodes1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE connected_nodes (
        -- No foreign key, on purpose: a derived cache, rewritten by the refresh (which drops nodes
        -- no longer there). A key would make each insert share-lock its node and so wait behind an
        -- import that holds its matched nodes for its whole commit, with every reader queued behind.
        node_id uuid PRIMARY KEY
      )`);
    await q.query(`
      CREATE TABLE network_changes (
        id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        changed_at timestamptz NOT NULL DEFAULT now()
      )`);
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
    // The first reader computes it for the network that is already there.
    await q.query(`INSERT INTO network_changes DEFAULT VALUES`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER trg_nodes_network_change ON nodes`);
    await q.query(`DROP TRIGGER trg_segments_network_change ON segments`);
    await q.query(`DROP FUNCTION note_network_change()`);
    await q.query(`DROP TABLE network_changes`);
    await q.query(`DROP TABLE connected_nodes`);
  }
}
