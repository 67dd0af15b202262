import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { AreaGeometry } from '@serat/contract';
import type { SiteKind } from '@serat/vocabulary';
import { DataSource } from 'typeorm';

/** Kecamatan a report draws at most (a province has a few hundred). */
export const MAX_REPORT_OUTLINES = 2000;
/** Sites of one kind a report lists at most. */
export const MAX_REPORT_SITES = 2000;

/** What the rollout report reads besides the roll-ups: outlines for its map and where its sites are. Reads only. */
@Injectable()
export class ReportsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * The kecamatan's boundaries, simplified to about `toleranceDeg` (a page's map needs a few
   * hundred points each, not the survey's thousands), by code.
   */
  async kecamatanOutlines(toleranceDeg: number): Promise<{ code: string; name: string; geometry: AreaGeometry }[]> {
    return this.dataSource.query(
      `SELECT a.code, a.name, ST_AsGeoJSON(ST_SimplifyPreserveTopology(a.geom, $1), 5)::json AS geometry
         FROM admin_areas a WHERE a.level = 'kecamatan' AND a.geom IS NOT NULL ORDER BY a.code LIMIT $2`,
      [toleranceDeg, MAX_REPORT_OUTLINES],
    );
  }

  /** Where the sites of a kind are, with their kecamatan's name, by code. */
  async siteMarkers(kind: SiteKind): Promise<{ id: string; lon: number; lat: number; kecamatanName: string | null }[]> {
    return this.dataSource.query(
      `SELECT s.id, ST_X(s.location) AS lon, ST_Y(s.location) AS lat, k.name AS "kecamatanName"
         FROM sites s LEFT JOIN admin_areas k ON k.code = s.kecamatan_code
        WHERE s.kind = $1 ORDER BY s.code LIMIT $2`,
      [kind, MAX_REPORT_SITES],
    );
  }
}
