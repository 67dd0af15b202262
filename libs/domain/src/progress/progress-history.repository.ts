import { Injectable } from '@nestjs/common';
import type { NetworkStatus, SiteKind } from '@serat/vocabulary';
import type { EntityManager } from 'typeorm';
import { ActiveEdge, ActiveRoot, AreaShare, BackfillNode, BackfillSegment, BackfillSite, StatusEvent } from './progress-backfill';

/** Status history rows read per round trip of the replay. */
const EVENT_PAGE = 20000;

/**
 * What the back-fill of the progress history reads, in the back-fill's own transaction (on the
 * embedded database a second connection would wait for it): the network as it is now, and its
 * status history in time order. Reads only.
 */
@Injectable()
export class ProgressHistoryRepository {
  /** The segments active now, each since it last became active (ms; its creation when its history says nothing). */
  async activeEdges(manager: EntityManager): Promise<ActiveEdge[]> {
    const edges: ActiveEdge[] = await manager.query(
      `SELECT s.from_node_id AS "fromNodeId", s.to_node_id AS "toNodeId",
              (extract(epoch FROM coalesce((SELECT max(h.changed_at) FROM status_changes h WHERE h.segment_id = s.id AND h.to_status = 'active'), s.created_at)) * 1000)::float8 AS at
         FROM segments s WHERE s.status = 'active'`,
    );
    return edges;
  }

  /** The active NOCs, each since it last became active (ms). */
  async activeRoots(manager: EntityManager): Promise<ActiveRoot[]> {
    return manager.query(
      `SELECT n.id AS "nodeId",
              (extract(epoch FROM coalesce((SELECT max(h.changed_at) FROM status_changes h WHERE h.node_id = n.id AND h.to_status = 'active'), n.created_at)) * 1000)::float8 AS at
         FROM nodes n WHERE n.kind = 'noc' AND n.status = 'active'`,
    );
  }

  /** Each segment with its phase and its shares: the region the whole of it, each kecamatan and kabupaten the millimetres inside (as the triggers count). */
  async segments(manager: EntityManager): Promise<Map<string, BackfillSegment>> {
    const segments = new Map<string, BackfillSegment>();
    const rows: { id: string; phaseId: string | null; lengthMm: number }[] = await manager.query(
      `SELECT id, phase_id AS "phaseId", round(length_m * 1000)::float8 AS "lengthMm" FROM segments`,
    );
    for (const row of rows) segments.set(row.id, { id: row.id, phaseId: row.phaseId, shares: [{ level: 'region', areaCode: '', lengthMm: row.lengthMm }] });
    const parts: { segmentId: string; areaCode: string; parentCode: string | null; lengthMm: number }[] = await manager.query(
      `SELECT sa.segment_id AS "segmentId", sa.area_code AS "areaCode", a.parent_code AS "parentCode", round(sa.length_m * 1000)::float8 AS "lengthMm"
         FROM segment_areas sa JOIN admin_areas a ON a.code = sa.area_code
        WHERE sa.level = 'kecamatan'`,
    );
    const kabupaten = new Map<string, Map<string, number>>();
    for (const part of parts) {
      const segment = segments.get(part.segmentId);
      if (!segment) continue;
      segment.shares.push({ level: 'kecamatan', areaCode: part.areaCode, lengthMm: part.lengthMm });
      if (!part.parentCode) continue;
      let perKabupaten = kabupaten.get(part.segmentId);
      if (!perKabupaten) kabupaten.set(part.segmentId, (perKabupaten = new Map()));
      perKabupaten.set(part.parentCode, (perKabupaten.get(part.parentCode) ?? 0) + part.lengthMm);
    }
    for (const [segmentId, perKabupaten] of kabupaten) {
      const shares: AreaShare[] = [...perKabupaten].map(([areaCode, lengthMm]) => ({ level: 'kabupaten', areaCode, lengthMm }));
      segments.get(segmentId)!.shares.push(...shares);
    }
    return segments;
  }

  async nodes(manager: EntityManager): Promise<Map<string, BackfillNode>> {
    const rows: BackfillNode[] = await manager.query(`SELECT id, kabupaten_code AS "kabupatenCode", kecamatan_code AS "kecamatanCode" FROM nodes`);
    return new Map(rows.map((row) => [row.id, row]));
  }

  async sites(manager: EntityManager): Promise<BackfillSite[]> {
    const rows: {
      id: string;
      kind: SiteKind;
      phaseId: string | null;
      kabupatenCode: string | null;
      kecamatanCode: string | null;
      createdAt: number;
      connectedAt: number | null;
    }[] = await manager.query(
      `SELECT s.id, s.kind, s.phase_id AS "phaseId", s.kabupaten_code AS "kabupatenCode", s.kecamatan_code AS "kecamatanCode",
                (extract(epoch FROM s.created_at) * 1000)::float8 AS "createdAt",
                (extract(epoch FROM c.since) * 1000)::float8 AS "connectedAt"
           FROM sites s LEFT JOIN connected_nodes c ON c.node_id = s.termination_node_id`,
    );
    return rows;
  }

  /** The status history, oldest first, a page at a time (keyset on the time index). */
  async *events(manager: EntityManager): AsyncIterable<StatusEvent[]> {
    let after: { at: string; id: string } | null = null;
    for (;;) {
      const rows: { id: string; at: string; atMs: number; segmentId: string | null; nodeId: string | null; status: NetworkStatus }[] = await manager.query(
        `SELECT id::text, changed_at::text AS at, (extract(epoch FROM changed_at) * 1000)::float8 AS "atMs",
                segment_id AS "segmentId", node_id AS "nodeId", to_status AS status
           FROM status_changes
          WHERE $1::timestamptz IS NULL OR (changed_at, id) > ($1::timestamptz, $2::bigint)
          ORDER BY changed_at, id
          LIMIT ${EVENT_PAGE}`,
        [after?.at ?? null, after?.id ?? null],
      );
      if (rows.length === 0) return;
      yield rows.map((row) =>
        row.segmentId ? { at: row.atMs, subject: 'segment', id: row.segmentId, status: row.status } : { at: row.atMs, subject: 'node', id: row.nodeId!, status: row.status },
      );
      if (rows.length < EVENT_PAGE) return;
      const last = rows[rows.length - 1];
      after = { at: last.at, id: last.id };
    }
  }
}
