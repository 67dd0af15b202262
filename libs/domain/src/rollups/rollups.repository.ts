import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { AreaFigures, NetworkFigures } from '@serat/contract';
import type { AdminLevel } from '@serat/vocabulary';
import { DataSource } from 'typeorm';
import { ConnectivityRepository } from '../network/connectivity.repository';
import { FigureRow, toNetworkFigures } from './network-figures';

/** Which figures: all phases (null) or one. */
export interface FiguresFilter {
  phaseId: string | null;
}

export interface AreaFiguresQuery extends FiguresFilter {
  level: AdminLevel;
  /** Only areas under this one (any level above), by Kemendagri code. */
  parentCode: string | null;
  /** The code of the last area of the previous page. */
  after: string | null;
  limit: number;
}

/** An area of a page with its summed figure rows. */
export interface AreaRows {
  code: string;
  name: string;
  level: AdminLevel;
  parentCode: string | null;
  figures: FigureRow[];
}

/** The summed rows of one key, as FigureRow (bigint sums as float8: exact far beyond any network's size). */
const SUMMED = `subject, category, sum(items)::float8 AS items, sum(length_mm)::float8 AS "lengthMm", sum(connected)::float8 AS connected`;

/** What stands for "no phase" where keys are compared (NULL equals nothing). */
const NO_PHASE = `'00000000-0000-0000-0000-000000000000'::uuid`;

/**
 * The figures of the region and of each area (AreaRollups1765600000000): the triggers append
 * signed rows as the network changes; this sums them on read and compacts them. It writes only
 * area_figure_deltas, and only to replace rows by their sums.
 */
@Injectable()
export class RollupsRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly connectivity: ConnectivityRepository,
  ) {}

  /** The whole region's figures. */
  async summary(filter: FiguresFilter): Promise<NetworkFigures> {
    return toNetworkFigures(await this.regionRows(filter));
  }

  /** The whole region's summed rows ("connected" brought up to date first). */
  async regionRows(filter: FiguresFilter): Promise<FigureRow[]> {
    // "Connected" follows connected_nodes, which the first read after a change brings up to date.
    await this.connectivity.refresh();
    return this.dataSource.query(
      `SELECT ${SUMMED} FROM area_figure_deltas
        WHERE level = 'region' AND area_code = '' AND ($1::uuid IS NULL OR phase_id = $1)
        GROUP BY subject, category`,
      [filter.phaseId],
    );
  }

  /** One page of the areas of a level (by code, every area, those without a network too) with their figures, and the cursor of the next page or null. */
  async areaFigures(query: AreaFiguresQuery): Promise<{ areas: AreaFigures[]; nextCursor: string | null }> {
    const page = await this.areaRows(query);
    return { areas: page.areas.map(({ figures, ...area }) => ({ ...area, ...toNetworkFigures(figures) })), nextCursor: page.nextCursor };
  }

  /** One page of the areas of a level with their summed rows ("connected" brought up to date first). */
  async areaRows(query: AreaFiguresQuery): Promise<{ areas: AreaRows[]; nextCursor: string | null }> {
    await this.connectivity.refresh();
    const rows: AreaRows[] = await this.dataSource.query(
      `WITH page AS (
         SELECT a.code, a.name, a.level, a.parent_code
           FROM admin_areas a
          WHERE a.level = $1
            AND ($2::text IS NULL OR starts_with(a.code, $2 || '.'))
            AND ($3::text IS NULL OR a.code > $3)
          ORDER BY a.code
          LIMIT $4
       )
       SELECT p.code, p.name, p.level, p.parent_code AS "parentCode",
              coalesce((SELECT json_agg(f) FROM (SELECT ${SUMMED} FROM area_figure_deltas d
                                                  WHERE d.level = p.level AND d.area_code = p.code AND ($5::uuid IS NULL OR d.phase_id = $5)
                                                  GROUP BY subject, category) f), '[]') AS figures
         FROM page p
        ORDER BY p.code`,
      [query.level, query.parentCode, query.after, query.limit + 1, query.phaseId],
    );
    const more = rows.length > query.limit;
    const areas = more ? rows.slice(0, query.limit) : rows;
    return { areas, nextCursor: more ? areas[areas.length - 1].code : null };
  }

  /**
   * Replaces the rows of every key that has more than one by their sum (none when it is zero), in
   * one statement: a reader sees the rows or the sum, never both; a compaction running beside it
   * waits for the rows this one deletes and then skips them. Returns the rows removed and written.
   */
  async compact(): Promise<{ removed: number; written: number }> {
    const [row] = await this.dataSource.query(
      `WITH repeated AS (
         SELECT level, area_code, coalesce(phase_id, ${NO_PHASE}) AS phase_key, subject, category
           FROM area_figure_deltas
          GROUP BY 1, 2, 3, 4, 5
         HAVING count(*) > 1
       ), taken AS (
         DELETE FROM area_figure_deltas d USING repeated k
          WHERE d.level = k.level AND d.area_code = k.area_code AND coalesce(d.phase_id, ${NO_PHASE}) = k.phase_key
            AND d.subject = k.subject AND d.category = k.category
         RETURNING d.*
       ), written AS (
         INSERT INTO area_figure_deltas (level, area_code, phase_id, subject, category, items, length_mm, connected)
         SELECT level, area_code, phase_id, subject, category, sum(items), sum(length_mm), sum(connected)
           FROM taken
          GROUP BY level, area_code, phase_id, subject, category
         HAVING sum(items) <> 0 OR sum(length_mm) <> 0 OR sum(connected) <> 0
         RETURNING 1
       )
       SELECT (SELECT count(*) FROM taken)::int AS removed, (SELECT count(*) FROM written)::int AS written`,
    );
    return row;
  }

  /** How many rows the figures are kept in now (what compaction brings down). */
  async rowCount(): Promise<number> {
    const [row] = await this.dataSource.query(`SELECT count(*)::int AS n FROM area_figure_deltas`);
    return row.n;
  }
}
