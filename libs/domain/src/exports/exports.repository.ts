import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { ExportNode, ExportSegment, ExportSite } from '@serat/geo';
import { DataSource } from 'typeorm';
import type { NetworkStatus } from '@serat/vocabulary';
import { ConnectivityRepository } from '../network/connectivity.repository';
import type { NodeRecord } from '../network/nodes.repository';
import type { SegmentRecord } from '../network/segments.repository';
import { DomainError } from '../shared/domain-error';
import type { SiteRecord } from '../sites/sites.repository';

export interface ExportFilter {
  /** A kecamatan or desa code: what lies in it (segments: what crosses it). */
  area?: string;
  phaseId?: string;
  statuses?: NetworkStatus[];
}

/** True when every field the two types share has the same type in both. */
type SameSharedFields<A, B> = { [K in keyof A & keyof B]-?: [A[K], B[K]] extends [B[K], A[K]] ? true : false }[keyof A & keyof B] extends true ? true : false;
type Holds<T extends true> = T;
// The export writers (@serat/geo, below the domain) declare the rows they read. The fields those
// share with the stored node, segment and site keep the same types, or this does not compile.
type _ExportNodeIsStored = Holds<SameSharedFields<ExportNode, NodeRecord>>;
type _ExportSegmentIsStored = Holds<SameSharedFields<ExportSegment, SegmentRecord>>;
type _ExportSiteIsStored = Holds<SameSharedFields<ExportSite, SiteRecord>>;

/** Exports are whole downloads; past this many rows the filter must be narrowed. */
export const EXPORT_MAX_ROWS = 200_000;

function tooMany(rows: unknown[]): void {
  if (rows.length > EXPORT_MAX_ROWS) throw new DomainError('EXPORT_TOO_LARGE', { maxRows: EXPORT_MAX_ROWS });
}

/** The rows the export formats are written from, filtered by area, phase and status. */
@Injectable()
export class ExportsRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly connectivity: ConnectivityRepository,
  ) {}

  async segments(filter: ExportFilter): Promise<ExportSegment[]> {
    const rows = await this.dataSource.query(
      `SELECT s.id, s.code, s.from_node_id AS "fromNodeId", s.to_node_id AS "toNodeId", f.code AS "fromNodeCode", t.code AS "toNodeCode",
              s.status, s.placement, s.tier, s.cable_type AS "cableType", s.core_count AS "coreCount",
              round(s.length_m::numeric, 2)::float8 AS "lengthM", p.name AS "phaseName",
              (ST_AsGeoJSON(s.geom, 7)::json)->'coordinates' AS coordinates
         FROM segments s
         JOIN nodes f ON f.id = s.from_node_id
         JOIN nodes t ON t.id = s.to_node_id
         LEFT JOIN phases p ON p.id = s.phase_id
        WHERE ($1::text IS NULL OR EXISTS (SELECT 1 FROM segment_areas sa WHERE sa.segment_id = s.id AND sa.area_code = $1))
          AND ($2::uuid IS NULL OR s.phase_id = $2)
          AND ($3::text[] IS NULL OR s.status = ANY($3))
        ORDER BY s.code
        LIMIT $4`,
      [filter.area ?? null, filter.phaseId ?? null, filter.statuses ?? null, EXPORT_MAX_ROWS + 1],
    );
    tooMany(rows);
    return rows;
  }

  async nodes(filter: ExportFilter): Promise<ExportNode[]> {
    const rows = await this.dataSource.query(
      `SELECT n.id, n.code, n.name, n.kind, n.status, n.owner, n.kecamatan_code AS "kecamatanCode", n.desa_code AS "desaCode",
              ST_X(n.location) AS lon, ST_Y(n.location) AS lat
         FROM nodes n
        WHERE ($1::text IS NULL OR n.kecamatan_code = $1 OR n.desa_code = $1)
          AND ($2::uuid IS NULL OR EXISTS (SELECT 1 FROM segments s WHERE s.phase_id = $2 AND n.id IN (s.from_node_id, s.to_node_id)))
          AND ($3::text[] IS NULL OR n.status = ANY($3))
        ORDER BY n.code
        LIMIT $4`,
      [filter.area ?? null, filter.phaseId ?? null, filter.statuses ?? null, EXPORT_MAX_ROWS + 1],
    );
    tooMany(rows);
    return rows;
  }

  /** Sites; "connected" as on the map (a path of active segments to an active NOC). */
  async sites(filter: ExportFilter): Promise<ExportSite[]> {
    await this.connectivity.refresh();
    const rows = await this.dataSource.query(
      `SELECT s.id, s.code, s.name, s.short_name AS "shortName", s.kind, s.kecamatan_code AS "kecamatanCode", s.desa_code AS "desaCode",
              p.name AS "phaseName", s.cost_idr_per_month::float8 AS "costIdrPerMonth",
              EXISTS (SELECT 1 FROM connected_nodes c WHERE c.node_id = s.termination_node_id) AS connected,
              ST_X(s.location) AS lon, ST_Y(s.location) AS lat
         FROM sites s LEFT JOIN phases p ON p.id = s.phase_id
        WHERE ($1::text IS NULL OR s.kecamatan_code = $1 OR s.desa_code = $1)
          AND ($2::uuid IS NULL OR s.phase_id = $2)
        ORDER BY s.code
        LIMIT $3`,
      [filter.area ?? null, filter.phaseId ?? null, EXPORT_MAX_ROWS + 1],
    );
    tooMany(rows);
    return rows;
  }
}
