import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { inTransaction } from '../shared/transaction';

/** Any number; the same for every Serat process, so that one refresh runs at a time. */
const REFRESH_LOCK = 0x5e7a7c0;

/** The nodes one active segment away from the frontier node `r`, through the two end indexes. */
const ACTIVE_NEIGHBOURS = `
  SELECT s.to_node_id AS node_id FROM segments s WHERE s.from_node_id = r.node_id AND s.status = 'active'
  UNION ALL
  SELECT s.from_node_id FROM segments s WHERE s.to_node_id = r.node_id AND s.status = 'active'`;

/**
 * Which nodes are joined to an active NOC by a path of active segments ("connected" is derived,
 * never typed in). Kept in connected_nodes and recomputed only when the network changed since
 * the last computation (triggers leave rows in network_changes, see the migrations
 * ConnectedNodes1765100000000 and ConnectivityMarks1765700000000): a read costs an index lookup
 * instead of walking the whole graph, and a change that can only join nodes costs what it joins.
 */
@Injectable()
export class ConnectivityRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Brings connected_nodes up to date with every committed change. Returns whether it had to
   * recompute. Cheap when nothing changed: one index probe, no lock.
   */
  async refresh(): Promise<boolean> {
    const [pending] = await this.dataSource.query(`SELECT EXISTS (SELECT 1 FROM network_changes) AS pending`);
    if (!pending.pending) return false;
    return inTransaction(this.dataSource, async (manager) => {
      // One refresher at a time, on any replica; the others wait and then find nothing to do.
      await manager.query(`SELECT pg_advisory_xact_lock($1)`, [REFRESH_LOCK]);
      // Read committed: this statement sees the changes committed so far and removes their marks;
      // the recomputation below runs later, so it sees at least those changes.
      const [taken] = await manager.query(`
        WITH taken AS (DELETE FROM network_changes RETURNING full_recompute, seeds, changed_at)
        SELECT (SELECT count(*)::int FROM taken) AS n,
               (SELECT max(changed_at) FROM taken) AS since,
               (SELECT coalesce(bool_or(full_recompute), false) FROM taken) AS full,
               (SELECT coalesce(array_agg(DISTINCT s), '{}') FROM taken, unnest(taken.seeds) AS s) AS seeds`);
      if (taken.n === 0) return false;
      // A node joined now is dated by the latest of the changes taken (the one that joined it, or a
      // later one): the start of its writer's transaction, so a long import dates it a little
      // before its commit.
      if (taken.full) await this.walkAll(manager, taken.since);
      else await this.walkFrom(manager, taken.seeds as string[], taken.since);
      return true;
    });
  }

  /**
   * The nodes reached, breadth first from every active NOC, replace connected_nodes. UNION (not
   * UNION ALL) keeps only nodes not reached before, so each round expands the new frontier alone
   * and cycles end; the LATERAL pair reads a frontier node's segments through the two end indexes,
   * so a round costs its frontier, not the table (a million segments: a join per round would not end).
   */
  private async walkAll(manager: EntityManager, since: Date): Promise<void> {
    await manager.query(`
      CREATE TEMP TABLE reached ON COMMIT DROP AS
      WITH RECURSIVE reachable(node_id) AS (
        SELECT n.id FROM nodes n WHERE n.kind = 'noc' AND n.status = 'active'
        UNION
        SELECT next.node_id FROM reachable r CROSS JOIN LATERAL (${ACTIVE_NEIGHBOURS}) next
      )
      SELECT node_id FROM reachable`);
    // Its real size for the planner: the two statements below join it with connected_nodes.
    await manager.query(`ANALYZE reached`);
    await manager.query(`DELETE FROM connected_nodes c WHERE NOT EXISTS (SELECT 1 FROM reached r WHERE r.node_id = c.node_id)`);
    await manager.query(`INSERT INTO connected_nodes (node_id, since) SELECT node_id, $1::timestamptz FROM reached ON CONFLICT (node_id) DO NOTHING`, [since]);
  }

  /**
   * Only joins were marked (segments that became active, a NOC that came up): the walk starts at
   * those of the seeds that are connected (or are an active NOC) and goes only into nodes not
   * connected yet, so it costs what it joins. connected_nodes is closed under active segments
   * after every refresh, so nothing beyond a connected node is left out.
   */
  private async walkFrom(manager: EntityManager, seeds: string[], since: Date): Promise<void> {
    if (seeds.length === 0) return;
    await manager.query(
      `INSERT INTO connected_nodes (node_id, since)
       WITH RECURSIVE reachable(node_id) AS (
         SELECT n.id FROM nodes n
          WHERE n.id = ANY($1::uuid[])
            AND ((n.kind = 'noc' AND n.status = 'active') OR EXISTS (SELECT 1 FROM connected_nodes c WHERE c.node_id = n.id))
         UNION
         SELECT next.node_id FROM reachable r CROSS JOIN LATERAL (${ACTIVE_NEIGHBOURS}) next
          WHERE NOT EXISTS (SELECT 1 FROM connected_nodes c WHERE c.node_id = next.node_id)
       )
       SELECT node_id, $2::timestamptz FROM reachable
       ON CONFLICT (node_id) DO NOTHING`,
      [seeds, since],
    );
  }

  /**
   * Moves the join time of connected nodes earlier where `dated` (node id → ms) says they joined
   * before the time kept (the progress back-fill, from the status history). Returns the nodes moved.
   */
  async dateEarlier(dated: ReadonlyMap<string, number>, manager: EntityManager): Promise<number> {
    const entries = [...dated].map(([node_id, at]) => ({ node_id, at: new Date(at).toISOString() }));
    let changed = 0;
    for (let i = 0; i < entries.length; i += 5000) {
      const [row] = await manager.query(
        `WITH changed AS (
           UPDATE connected_nodes c SET since = x.at
             FROM jsonb_to_recordset($1::jsonb) AS x(node_id uuid, at timestamptz)
            WHERE c.node_id = x.node_id AND x.at < c.since
           RETURNING 1
         )
         SELECT count(*)::int AS n FROM changed`,
        [JSON.stringify(entries.slice(i, i + 5000))],
      );
      changed += row.n;
    }
    return changed;
  }
}
