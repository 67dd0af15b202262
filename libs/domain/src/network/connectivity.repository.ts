import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { inTransaction } from '../shared/transaction';

/** Any number; the same for every Serat process, so that one refresh runs at a time. */
const REFRESH_LOCK = 0x5e7a7c0;

/**
 * Which nodes are joined to an active NOC by a path of active segments ("connected" is derived,
 * never typed in). Kept in connected_nodes and recomputed only when the network changed since
 * the last computation (triggers leave rows in network_changes, see the migration
 * ConnectedNodes1765100000000): a read costs an index lookup instead of walking the whole graph.
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
      const [taken] = await manager.query(`WITH taken AS (DELETE FROM network_changes RETURNING 1) SELECT count(*)::int AS n FROM taken`);
      if (taken.n === 0) return false;
      // The nodes reached, breadth first from every active NOC. UNION (not UNION ALL) keeps only
      // nodes not reached before, so each round expands the new frontier alone and cycles end; the
      // LATERAL pair reads a frontier node's segments through the two end indexes, so a round
      // costs its frontier, not the table (a million segments: a join per round would not end).
      await manager.query(`
        CREATE TEMP TABLE reached ON COMMIT DROP AS
        WITH RECURSIVE reachable(node_id) AS (
          SELECT n.id FROM nodes n WHERE n.kind = 'noc' AND n.status = 'active'
          UNION
          SELECT next.node_id
            FROM reachable r
            CROSS JOIN LATERAL (
              SELECT s.to_node_id AS node_id FROM segments s WHERE s.from_node_id = r.node_id AND s.status = 'active'
              UNION ALL
              SELECT s.from_node_id FROM segments s WHERE s.to_node_id = r.node_id AND s.status = 'active'
            ) next
        )
        SELECT node_id FROM reachable`);
      // Its real size for the planner: the two statements below join it with connected_nodes.
      await manager.query(`ANALYZE reached`);
      await manager.query(`DELETE FROM connected_nodes c WHERE NOT EXISTS (SELECT 1 FROM reached r WHERE r.node_id = c.node_id)`);
      await manager.query(`INSERT INTO connected_nodes (node_id) SELECT node_id FROM reached ON CONFLICT (node_id) DO NOTHING`);
      return true;
    });
  }
}
