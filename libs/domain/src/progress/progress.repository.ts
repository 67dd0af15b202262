import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { AreaProgress, AreaSavings, ProgressLevel, ProgressPoint, SavingsFigures, SiteSavings } from '@serat/contract';
import type { AdminLevel, SiteKind } from '@serat/vocabulary';
import { DataSource, EntityManager } from 'typeorm';
import { ConnectivityRepository } from '../network/connectivity.repository';
import { FigureRow } from '../rollups/network-figures';
import { AreaRows, RollupsRepository } from '../rollups/rollups.repository';
import { inTransaction } from '../shared/transaction';
import { ALL_PHASES, DaySnapshot, SnapshotLevel } from './progress-backfill';
import { toProgressFigures, toProgressPoint } from './progress-figures';

/** What a page of areas asks for. */
export interface ProgressQuery {
  level: ProgressLevel;
  parentCode: string | null;
  phaseId: string | null;
  after: string | null;
  limit: number;
}

export interface SavingsQuery extends ProgressQuery {
  kind: SiteKind | null;
}

export interface SiteSavingsQuery {
  /** Only the sites inside this area (Kemendagri code of a kabupaten, kecamatan or desa). */
  areaCode: string | null;
  phaseId: string | null;
  kind: SiteKind | null;
  after: string | null;
  limit: number;
}

export interface ProgressSettings {
  passedDistanceM: number;
  fiberCostShare: number;
  /** The name the region goes by (SERAT_REGION_NAME). */
  regionName: string;
}

/** The sites' column of a level's area code. */
const AREA_COLUMN: Record<AdminLevel, string> = { kabupaten: 'kabupaten_code', kecamatan: 'kecamatan_code', desa: 'desa_code' };

/** An average month, in seconds: 1/12 of 365.25 days. */
const MONTH_SECONDS = (365.25 * 86400) / 12;

/** One snapshot writer at a time (the job on any worker, or someone's request). */
export const SNAPSHOT_LOCK = 0x5e7a7c1;

/** Figure rows as jsonb in the order snapshots keep them, so two days with the same figures compare equal. */
const FIGURES_JSON = `jsonb_agg(jsonb_build_object('subject', subject, 'category', category, 'items', items, 'lengthMm', length_mm, 'connected', connected)
                                ORDER BY subject COLLATE "C", category COLLATE "C")`;

/**
 * Progress, savings and the history of progress, all read from the database's roll-ups
 * (area_figure_deltas, connected_nodes, progress_snapshots). Reads bring "connected" up to date
 * first, so a figure is current as soon as a change commits.
 */
@Injectable()
export class ProgressRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly rollups: RollupsRepository,
    private readonly connectivity: ConnectivityRepository,
  ) {}

  /** A page of areas (or the region) with their progress. */
  async progress(query: ProgressQuery, settings: ProgressSettings): Promise<{ areas: AreaProgress[]; nextCursor: string | null }> {
    const page = await this.areaPage(query, settings.regionName);
    const passed = await this.passed(
      query.level,
      page.areas.map((area) => area.code),
      query.phaseId,
      settings.passedDistanceM,
    );
    return {
      areas: page.areas.map(({ figures, ...area }) => ({ ...area, ...toProgressFigures(figures, passed.get(area.code)) })),
      nextCursor: page.nextCursor,
    };
  }

  private async areaPage(query: ProgressQuery, regionName: string): Promise<{ areas: (Omit<AreaRows, 'level'> & { level: ProgressLevel })[]; nextCursor: string | null }> {
    if (query.level !== 'region') return this.rollups.areaRows({ ...query, level: query.level });
    const figures = await this.rollups.regionRows({ phaseId: query.phaseId });
    return { areas: [{ code: '', name: regionName, level: 'region', parentCode: null, figures }], nextCursor: null };
  }

  /**
   * Sites not connected within `distanceM` of an active segment, per area and kind: those of
   * site_passed (kept by triggers as segments and sites change) that connected_nodes does not name.
   */
  private async passed(level: ProgressLevel, codes: string[], phaseId: string | null, distanceM: number): Promise<Map<string, Map<SiteKind, number>>> {
    const byArea = new Map<string, Map<SiteKind, number>>();
    if (codes.length === 0) return byArea;
    const column = level === 'region' ? null : AREA_COLUMN[level];
    await this.ensurePassedDistance(distanceM);
    const rows: { code: string; kind: SiteKind; n: number }[] = await this.dataSource.query(
      `SELECT ${column ? `p.${column}` : `''`} AS code, p.kind, count(*)::int AS n
         FROM site_passed p
        WHERE ${column ? `p.${column} = ANY($1::text[])` : `$1::text[] IS NOT NULL`}
          AND ($2::uuid IS NULL OR p.phase_id = $2)
          AND NOT EXISTS (SELECT 1 FROM connected_nodes c WHERE c.node_id = p.termination_node_id)
        GROUP BY 1, 2`,
      [codes, phaseId],
    );
    for (const row of rows) {
      let kinds = byArea.get(row.code);
      if (!kinds) byArea.set(row.code, (kinds = new Map()));
      kinds.set(row.kind, row.n);
    }
    return byArea;
  }

  /**
   * site_passed is kept by triggers for the distance progress_settings names; when the
   * configuration asks for another (SERAT_PASSED_DISTANCE_M changed), it is worked out again for
   * every site, once, whichever process reads first (the others wait on the lock, then find it done).
   */
  async ensurePassedDistance(distanceM: number): Promise<void> {
    const [current] = await this.dataSource.query(`SELECT passed_distance_m AS d FROM progress_settings WHERE id = 1`);
    if (current && Number(current.d) === distanceM) return;
    await inTransaction(this.dataSource, async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext('serat.site_passed'))`);
      const [again] = await manager.query(`SELECT passed_distance_m AS d FROM progress_settings WHERE id = 1 FOR UPDATE`);
      if (again && Number(again.d) === distanceM) return;
      await manager.query(`INSERT INTO progress_settings (id, passed_distance_m) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET passed_distance_m = EXCLUDED.passed_distance_m`, [
        distanceM,
      ]);
      await manager.query(`DELETE FROM site_passed`);
      await manager.query(
        `INSERT INTO site_passed (site_id, kind, phase_id, kabupaten_code, kecamatan_code, desa_code, termination_node_id)
         SELECT s.id, s.kind, s.phase_id, s.kabupaten_code, s.kecamatan_code, s.desa_code, s.termination_node_id FROM sites s
          WHERE EXISTS (SELECT 1 FROM segments g
                         WHERE g.status = 'active'
                           AND g.geom && ST_Expand(s.location, $1::float8 / (111320 * greatest(cos(radians(abs(ST_Y(s.location)) + 0.5)), 0.01)), $1::float8 / 110574)
                           AND ST_DWithin(g.geom::geography, s.location::geography, $1::float8))`,
        [distanceM],
      );
    });
  }

  // -------------------------------------------------------------------------------------------
  // Savings

  /** A page of areas (or the region) with what their sites cost and save. */
  async savings(query: SavingsQuery, settings: ProgressSettings): Promise<{ areas: AreaSavings[]; nextCursor: string | null }> {
    await this.connectivity.refresh();
    let areas: { code: string; name: string; level: ProgressLevel; parentCode: string | null }[];
    let nextCursor: string | null = null;
    if (query.level === 'region') {
      areas = [{ code: '', name: settings.regionName, level: 'region', parentCode: null }];
    } else {
      const rows: { code: string; name: string; level: AdminLevel; parentCode: string | null }[] = await this.dataSource.query(
        `SELECT code, name, level, parent_code AS "parentCode" FROM admin_areas
          WHERE level = $1 AND ($2::text IS NULL OR starts_with(code, $2 || '.')) AND ($3::text IS NULL OR code > $3)
          ORDER BY code LIMIT $4`,
        [query.level, query.parentCode, query.after, query.limit + 1],
      );
      const more = rows.length > query.limit;
      areas = more ? rows.slice(0, query.limit) : rows;
      nextCursor = more ? areas[areas.length - 1].code : null;
    }
    const column = query.level === 'region' ? null : AREA_COLUMN[query.level];
    const sums: SavingsSums[] = await this.dataSource.query(
      `SELECT ${column ? `s.${column}` : `''`} AS code,
              count(*)::int AS "sitesInScope",
              count(s.cost_idr_per_month)::int AS "sitesWithBill",
              count(c.node_id)::int AS "sitesConnected",
              coalesce(sum(s.cost_idr_per_month), 0)::float8 AS bill,
              coalesce(sum(s.cost_idr_per_month) FILTER (WHERE c.node_id IS NOT NULL), 0)::float8 AS "connectedBill",
              coalesce(sum(s.cost_idr_per_month * greatest(extract(epoch FROM now() - greatest(c.since, s.created_at)), 0)) FILTER (WHERE c.node_id IS NOT NULL), 0)::float8 AS "billSeconds"
         FROM sites s LEFT JOIN connected_nodes c ON c.node_id = s.termination_node_id
        WHERE ${column ? `s.${column} = ANY($1::text[])` : `$1::text[] IS NOT NULL`}
          AND ($2::uuid IS NULL OR s.phase_id = $2)
          AND ($3::text IS NULL OR s.kind = $3)
        GROUP BY 1`,
      [areas.map((area) => area.code), query.phaseId, query.kind],
    );
    const byCode = new Map(sums.map((row) => [row.code, row]));
    return { areas: areas.map((area) => ({ ...area, ...toSavings(byCode.get(area.code), settings.fiberCostShare) })), nextCursor };
  }

  /** A page of sites (by code) with their bill, fiber cost, when they went live and what they saved. */
  async siteSavings(query: SiteSavingsQuery, settings: ProgressSettings): Promise<{ sites: SiteSavings[]; nextCursor: string | null }> {
    await this.connectivity.refresh();
    const rows: (Omit<SiteSavings, 'fiberCostPerMonthIdr' | 'savingPerMonthIdr' | 'savedToDateIdr' | 'wentLiveAt'> & { wentLiveAt: Date | string | null; liveSeconds: number })[] =
      await this.dataSource.query(
        `SELECT s.id, s.code, s.name, s.kind, s.kecamatan_code AS "kecamatanCode", s.phase_id AS "phaseId",
                s.cost_idr_per_month::float8 AS "ispBillPerMonthIdr", c.node_id IS NOT NULL AS connected,
                -- A site recorded after its node was connected went live when it was recorded.
                CASE WHEN c.node_id IS NOT NULL THEN greatest(c.since, s.created_at) END AS "wentLiveAt",
                coalesce(greatest(extract(epoch FROM now() - greatest(c.since, s.created_at)), 0), 0)::float8 AS "liveSeconds"
           FROM sites s LEFT JOIN connected_nodes c ON c.node_id = s.termination_node_id
          WHERE ($1::text IS NULL OR s.kabupaten_code = $1 OR s.kecamatan_code = $1 OR s.desa_code = $1)
            AND ($2::uuid IS NULL OR s.phase_id = $2)
            AND ($3::text IS NULL OR s.kind = $3)
            AND ($4::text IS NULL OR s.code > $4)
          ORDER BY s.code
          LIMIT $5`,
        [query.areaCode, query.phaseId, query.kind, query.after, query.limit + 1],
      );
    const more = rows.length > query.limit;
    const page = more ? rows.slice(0, query.limit) : rows;
    const keep = 1 - settings.fiberCostShare;
    return {
      sites: page.map(({ liveSeconds, wentLiveAt, ...site }) => {
        const bill = site.ispBillPerMonthIdr;
        return {
          ...site,
          fiberCostPerMonthIdr: bill === null ? null : Math.round(bill * settings.fiberCostShare),
          wentLiveAt: wentLiveAt === null ? null : new Date(wentLiveAt).toISOString(),
          savingPerMonthIdr: site.connected && bill !== null ? Math.round(bill * keep) : 0,
          savedToDateIdr: site.connected && bill !== null ? Math.round((bill * keep * liveSeconds) / MONTH_SECONDS) : 0,
        };
      }),
      nextCursor: more ? page[page.length - 1].code : null,
    };
  }

  // -------------------------------------------------------------------------------------------
  // History

  /**
   * Records today's figures (the region's day `day`) of the region, each kabupaten and each
   * kecamatan, for all phases and each phase: a key whose figures are those of its latest earlier
   * day writes nothing (the history keeps the days that changed). Today's rows are replaced, so
   * the last snapshot of a day is the day's. Returns the rows written.
   */
  async snapshot(day: string, source: 'daily' | 'on_demand'): Promise<number> {
    await this.connectivity.refresh();
    return inTransaction(this.dataSource, async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock($1)`, [SNAPSHOT_LOCK]);
      await manager.query(`DELETE FROM progress_snapshots WHERE day = $1::date`, [day]);
      const [row] = await manager.query(
        `WITH summed AS (
           SELECT level, area_code, CASE WHEN grouping(phase_id) = 1 THEN '${ALL_PHASES}'::uuid ELSE phase_id END AS phase_key,
                  subject, category, sum(items) AS items, sum(length_mm) AS length_mm, sum(connected) AS connected
             FROM area_figure_deltas
            WHERE level IN ('region', 'kabupaten', 'kecamatan')
            GROUP BY GROUPING SETS ((level, area_code, subject, category), (level, area_code, phase_id, subject, category))
           HAVING (grouping(phase_id) = 1 OR phase_id IS NOT NULL) AND (sum(items) <> 0 OR sum(length_mm) <> 0 OR sum(connected) <> 0)
         ), current AS (
           SELECT level, area_code, phase_key, ${FIGURES_JSON} AS figures FROM summed GROUP BY level, area_code, phase_key
         ), changed AS (
           SELECT c.* FROM current c
            WHERE c.figures IS DISTINCT FROM (SELECT p.figures FROM progress_snapshots p
                                               WHERE p.level = c.level AND p.area_code = c.area_code AND p.phase_key = c.phase_key AND p.day < $1::date
                                               ORDER BY p.day DESC LIMIT 1)
           UNION ALL
           -- A key that had figures and has none now (its last segment deleted) records its empty day.
           SELECT l.level, l.area_code, l.phase_key, '[]'::jsonb FROM (
             SELECT DISTINCT ON (level, area_code, phase_key) level, area_code, phase_key, figures
               FROM progress_snapshots WHERE day < $1::date ORDER BY level, area_code, phase_key, day DESC) l
            WHERE l.figures <> '[]'::jsonb
              AND NOT EXISTS (SELECT 1 FROM current c WHERE c.level = l.level AND c.area_code = l.area_code AND c.phase_key = l.phase_key)
         ), written AS (
           INSERT INTO progress_snapshots (day, level, area_code, phase_key, figures, source)
           SELECT $1::date, level, area_code, phase_key, figures, $2 FROM changed
           RETURNING 1
         )
         SELECT count(*)::int AS n FROM written`,
        [day, source],
      );
      return row.n;
    });
  }

  /** Writes the back-fill's days, keeping any day already recorded (a real snapshot beats a replay). */
  async writeBackfill(snapshots: DaySnapshot[], manager: EntityManager = this.dataSource.manager): Promise<number> {
    let written = 0;
    for (let i = 0; i < snapshots.length; i += 500) {
      const batch = snapshots.slice(i, i + 500);
      const [row] = await manager.query(
        `WITH written AS (
           INSERT INTO progress_snapshots (day, level, area_code, phase_key, figures, source)
           SELECT x.day, x.level, x.area_code, x.phase_key, x.figures, 'backfill'
             FROM jsonb_to_recordset($1::jsonb) AS x(day date, level text, area_code text, phase_key uuid, figures jsonb)
           ON CONFLICT (level, area_code, phase_key, day) DO NOTHING
           RETURNING 1
         )
         SELECT count(*)::int AS n FROM written`,
        [JSON.stringify(batch.map((s) => ({ day: s.day, level: s.level, area_code: s.areaCode, phase_key: s.phaseKey, figures: s.figures })))],
      );
      written += row.n;
    }
    return written;
  }

  /**
   * Takes the snapshot lock for the rest of the transaction (one snapshot writer at a time, on any
   * process) and tells whether any day has been recorded by then.
   */
  async lockAndCheckHistory(manager: EntityManager): Promise<boolean> {
    await manager.query(`SELECT pg_advisory_xact_lock($1)`, [SNAPSHOT_LOCK]);
    const [row] = await manager.query(`SELECT EXISTS (SELECT 1 FROM progress_snapshots) AS has`);
    return row.has;
  }

  /** Whether any day has been recorded yet (else the past is worked out first). */
  async hasHistory(): Promise<boolean> {
    const [row] = await this.dataSource.query(`SELECT EXISTS (SELECT 1 FROM progress_snapshots) AS has`);
    return row.has;
  }

  /** The level of an area the history is kept for, or null (a desa, or no such area). */
  async historyLevel(areaCode: string): Promise<SnapshotLevel | null> {
    if (areaCode === '') return 'region';
    const [row] = await this.dataSource.query(`SELECT level FROM admin_areas WHERE code = $1`, [areaCode]);
    return row && (row.level === 'kabupaten' || row.level === 'kecamatan') ? row.level : null;
  }

  /**
   * The recorded days of one area and phase from `from` to `to` (inclusive), oldest first, after
   * the cursor; the day standing at `from` (the latest before it) comes first when there is one.
   */
  async history(query: {
    level: SnapshotLevel;
    areaCode: string;
    phaseId: string | null;
    from: string | null;
    to: string | null;
    after: string | null;
    limit: number;
  }): Promise<{ points: ProgressPoint[]; nextCursor: string | null }> {
    const rows: { day: string; source: ProgressPoint['source']; figures: FigureRow[] }[] = await this.dataSource.query(
      `WITH keyed AS (
         SELECT day, source, figures FROM progress_snapshots
          WHERE level = $1 AND area_code = $2 AND phase_key = coalesce($3::uuid, '${ALL_PHASES}'::uuid)
       ), standing AS (
         SELECT * FROM keyed WHERE $4::date IS NOT NULL AND $6::date IS NULL AND day < $4::date ORDER BY day DESC LIMIT 1
       )
       SELECT to_char(day, 'YYYY-MM-DD') AS day, source, figures FROM (
         SELECT * FROM standing
         UNION ALL
         SELECT * FROM keyed
          WHERE ($4::date IS NULL OR day >= $4::date) AND ($5::date IS NULL OR day <= $5::date) AND ($6::date IS NULL OR day > $6::date)
       ) d
       ORDER BY d.day
       LIMIT $7`,
      [query.level, query.areaCode, query.phaseId, query.from, query.to, query.after, query.limit + 1],
    );
    const more = rows.length > query.limit;
    const page = more ? rows.slice(0, query.limit) : rows;
    return { points: page.map((row) => toProgressPoint(row.day, row.source, row.figures)), nextCursor: more ? page[page.length - 1].day : null };
  }

  /** The figures of one area and phase now, as the history's last point. */
  async livePoint(level: SnapshotLevel, areaCode: string, phaseId: string | null, today: string): Promise<ProgressPoint> {
    await this.connectivity.refresh();
    const rows: FigureRow[] = await this.dataSource.query(
      `SELECT subject, category, sum(items)::float8 AS items, sum(length_mm)::float8 AS "lengthMm", sum(connected)::float8 AS connected
         FROM area_figure_deltas WHERE level = $1 AND area_code = $2 AND ($3::uuid IS NULL OR phase_id = $3)
        GROUP BY subject, category`,
      [level, areaCode, phaseId],
    );
    return toProgressPoint(today, 'live', rows);
  }
}

interface SavingsSums {
  code: string;
  sitesInScope: number;
  sitesWithBill: number;
  sitesConnected: number;
  bill: number;
  connectedBill: number;
  billSeconds: number;
}

/** An area's savings from its sums: the fiber costs `share` of the bill it replaces. */
export function toSavings(sums: SavingsSums | undefined, share: number): SavingsFigures {
  const bill = sums?.bill ?? 0;
  const connectedBill = sums?.connectedBill ?? 0;
  const keep = 1 - share;
  return {
    sitesInScope: sums?.sitesInScope ?? 0,
    sitesWithBill: sums?.sitesWithBill ?? 0,
    sitesConnected: sums?.sitesConnected ?? 0,
    ispBillPerMonthIdr: Math.round(bill),
    ispBillPerYearIdr: Math.round(bill * 12),
    fiberCostPerMonthIdr: Math.round(connectedBill * share),
    savingPerMonthIdr: Math.round(connectedBill * keep),
    savingPerYearIdr: Math.round(connectedBill * keep * 12),
    savedToDateIdr: Math.round(((sums?.billSeconds ?? 0) * keep) / MONTH_SECONDS),
    potentialSavingPerYearIdr: Math.round(bill * keep * 12),
  };
}
