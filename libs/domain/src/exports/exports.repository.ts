import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { ExportNode, ExportSegment, ExportSite } from '@serat/geo';
import { DataSource } from 'typeorm';
import { InventoryFilter, inventoryWhereSql, SqlParams } from '../inventory/inventory-filter';
import { ConnectivityRepository } from '../network/connectivity.repository';
import type { NodeRecord } from '../network/nodes.repository';
import type { SegmentRecord } from '../network/segments.repository';
import { DomainError } from '../shared/domain-error';
import type { SiteRecord } from '../sites/sites.repository';

/** The inventory list's filter: an export of a filter is every page of the list with it. */
export type ExportFilter = InventoryFilter;

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

/** The rows the export formats are written from, filtered as the inventory list is (inventoryWhereSql), by code. */
@Injectable()
export class ExportsRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly connectivity: ConnectivityRepository,
  ) {}

  async segments(filter: ExportFilter): Promise<ExportSegment[]> {
    const params = new SqlParams();
    const where = inventoryWhereSql('segments', filter, params);
    const rows = await this.dataSource.query(
      `SELECT s.id, s.code, s.from_node_id AS "fromNodeId", s.to_node_id AS "toNodeId", f.code AS "fromNodeCode", t.code AS "toNodeCode",
              s.status, s.placement, s.tier, s.cable_type AS "cableType", s.core_count AS "coreCount",
              round(s.length_m::numeric, 2)::float8 AS "lengthM", p.name AS "phaseName",
              (ST_AsGeoJSON(s.geom, 7)::json)->'coordinates' AS coordinates
         FROM segments s
         JOIN nodes f ON f.id = s.from_node_id
         JOIN nodes t ON t.id = s.to_node_id
         LEFT JOIN phases p ON p.id = s.phase_id
        WHERE ${where}
        ORDER BY s.code
        LIMIT ${params.add(EXPORT_MAX_ROWS + 1)}`,
      params.values,
    );
    tooMany(rows);
    return rows;
  }

  async nodes(filter: ExportFilter): Promise<ExportNode[]> {
    const params = new SqlParams();
    const where = inventoryWhereSql('nodes', filter, params);
    const rows = await this.dataSource.query(
      `SELECT n.id, n.code, n.name, n.kind, n.status, n.owner, n.kecamatan_code AS "kecamatanCode", n.desa_code AS "desaCode",
              ST_X(n.location) AS lon, ST_Y(n.location) AS lat
         FROM nodes n
        WHERE ${where}
        ORDER BY n.code
        LIMIT ${params.add(EXPORT_MAX_ROWS + 1)}`,
      params.values,
    );
    tooMany(rows);
    return rows;
  }

  /** Sites; "connected" as on the map (a path of active segments to an active NOC). */
  async sites(filter: ExportFilter): Promise<ExportSite[]> {
    await this.connectivity.refresh();
    const params = new SqlParams();
    const where = inventoryWhereSql('sites', filter, params);
    const rows = await this.dataSource.query(
      `SELECT s.id, s.code, s.name, s.short_name AS "shortName", s.kind, s.kecamatan_code AS "kecamatanCode", s.desa_code AS "desaCode",
              p.name AS "phaseName", s.cost_idr_per_month::float8 AS "costIdrPerMonth",
              EXISTS (SELECT 1 FROM connected_nodes c WHERE c.node_id = s.termination_node_id) AS connected,
              ST_X(s.location) AS lon, ST_Y(s.location) AS lat
         FROM sites s LEFT JOIN phases p ON p.id = s.phase_id
        WHERE ${where}
        ORDER BY s.code
        LIMIT ${params.add(EXPORT_MAX_ROWS + 1)}`,
      params.values,
    );
    tooMany(rows);
    return rows;
  }
}
