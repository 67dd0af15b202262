import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { MonitorState } from '@serat/monitoring';
import { DataSource, EntityManager } from 'typeorm';
import { inTransaction } from '../shared/transaction';

export type MonitorKind = 'tcp' | 'http';

/** What a planner sets on a monitor. */
export interface MonitorFields {
  siteId: string;
  name: string;
  kind: MonitorKind;
  target: string;
  httpMethod: 'GET' | 'HEAD' | null;
  expectStatusMin: number | null;
  expectStatusMax: number | null;
  keyword: string | null;
  followRedirects: boolean;
  intervalS: number;
  timeoutMs: number;
  retries: number;
  paused: boolean;
}

export interface MonitorRow extends MonitorFields {
  id: string;
  siteCode: string;
  siteName: string;
  slotMs: number;
  version: number;
  createdAt: string;
  updatedAt: string;
  state: 'unknown' | 'up' | 'down';
  flapping: boolean;
  since: string | null;
  lastCheckedAt: string | null;
  lastOk: boolean | null;
  lastLatencyMs: number | null;
  lastError: string | null;
}

/** One check's result, as a run records it. */
export interface NewResult {
  monitorId: string;
  slotAt: string;
  checkedAt: string;
  ok: boolean;
  latencyMs: number | null;
  connectMs: number | null;
  tlsMs: number | null;
  firstByteMs: number | null;
  statusCode: number | null;
  error: string | null;
  detail: string | null;
  certDaysLeft: number | null;
  attempts: number;
}

export type ResultRow = Omit<NewResult, 'monitorId'>;

const COLUMNS: Record<keyof MonitorFields, string> = {
  siteId: 'site_id',
  name: 'name',
  kind: 'kind',
  target: 'target',
  httpMethod: 'http_method',
  expectStatusMin: 'expect_status_min',
  expectStatusMax: 'expect_status_max',
  keyword: 'keyword',
  followRedirects: 'follow_redirects',
  intervalS: 'interval_s',
  timeoutMs: 'timeout_ms',
  retries: 'retries',
  paused: 'paused',
};

const SELECT = `
  SELECT m.id, m.site_id AS "siteId", s.code AS "siteCode", s.name AS "siteName", m.name, m.kind, m.target,
         m.http_method AS "httpMethod", m.expect_status_min AS "expectStatusMin", m.expect_status_max AS "expectStatusMax",
         m.keyword, m.follow_redirects AS "followRedirects", m.interval_s AS "intervalS", m.timeout_ms AS "timeoutMs",
         m.retries, m.paused, m.slot_ms AS "slotMs", m.version, m.created_at AS "createdAt", m.updated_at AS "updatedAt",
         coalesce(st.state, 'unknown') AS state, coalesce(st.flapping, false) AS flapping, st.since,
         st.last_checked_at AS "lastCheckedAt", st.last_ok AS "lastOk", st.last_latency_ms AS "lastLatencyMs", st.last_error AS "lastError"
    FROM monitors m JOIN sites s ON s.id = m.site_id LEFT JOIN monitor_state st ON st.monitor_id = m.id`;

const iso = (value: unknown) => (value ? new Date(value as string).toISOString() : null);

function toRow(row: Record<string, unknown>): MonitorRow {
  return {
    ...(row as unknown as MonitorRow),
    createdAt: iso(row.createdAt)!,
    updatedAt: iso(row.updatedAt)!,
    since: iso(row.since),
    lastCheckedAt: iso(row.lastCheckedAt),
  };
}

/** How far ahead a tick claims the schedule, and how far back it catches up after the workers were away. */
export const TICK_LEAD_MS = 5000;
export const TICK_CATCH_UP_MS = 60000;

/** Monitors, their state, results and outages: the one writer of monitors, monitor_state, monitor_results, monitor_outages and monitor_schedule. */
@Injectable()
export class MonitorsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async list(query: { siteId: string | null; limit: number; after: string | null }): Promise<{ monitors: MonitorRow[]; nextCursor: string | null }> {
    const [afterCode, afterId] = query.after ? query.after.split('|') : [null, null];
    const rows = await this.dataSource.query(
      `${SELECT}
        WHERE ($1::uuid IS NULL OR m.site_id = $1)
          AND ($2::text IS NULL OR (s.code, m.id) > ($2::text, $3::uuid))
        ORDER BY s.code, m.id
        LIMIT $4`,
      [query.siteId, afterCode, afterId, query.limit + 1],
    );
    const more = rows.length > query.limit;
    const monitors = (more ? rows.slice(0, query.limit) : rows).map(toRow);
    const last = monitors[monitors.length - 1];
    return { monitors, nextCursor: more ? `${last.siteCode}|${last.id}` : null };
  }

  async find(id: string, manager: EntityManager = this.dataSource.manager, lock = false): Promise<MonitorRow | null> {
    if (lock) await manager.query(`SELECT 1 FROM monitors WHERE id = $1 FOR UPDATE`, [id]);
    const [row] = await manager.query(`${SELECT} WHERE m.id = $1`, [id]);
    return row ? toRow(row) : null;
  }

  async findMany(ids: string[]): Promise<MonitorRow[]> {
    if (ids.length === 0) return [];
    return (await this.dataSource.query(`${SELECT} WHERE m.id = ANY($1::uuid[])`, [ids])).map(toRow);
  }

  async siteExists(id: string, manager: EntityManager): Promise<boolean> {
    const [row] = await manager.query(`SELECT EXISTS (SELECT 1 FROM sites WHERE id = $1) AS found`, [id]);
    return row.found;
  }

  async insert(id: string, fields: MonitorFields, slotMs: number, manager: EntityManager): Promise<void> {
    const keys = Object.keys(COLUMNS) as (keyof MonitorFields)[];
    await manager.query(`INSERT INTO monitors (id, slot_ms, ${keys.map((key) => COLUMNS[key]).join(', ')}) VALUES ($1, $2, ${keys.map((_, i) => `$${i + 3}`).join(', ')})`, [
      id,
      slotMs,
      ...keys.map((key) => fields[key]),
    ]);
  }

  async update(id: string, fields: Partial<MonitorFields>, slotMs: number, manager: EntityManager): Promise<void> {
    const keys = (Object.keys(fields) as (keyof MonitorFields)[]).filter((key) => fields[key] !== undefined && key in COLUMNS);
    const sets = keys.map((key, i) => `${COLUMNS[key]} = $${i + 3}`);
    await manager.query(`UPDATE monitors SET ${[...sets, 'slot_ms = $2', 'version = version + 1', 'updated_at = now()'].join(', ')} WHERE id = $1`, [
      id,
      slotMs,
      ...keys.map((key) => fields[key]),
    ]);
  }

  async remove(id: string, manager: EntityManager): Promise<void> {
    await manager.query(`DELETE FROM monitors WHERE id = $1`, [id]);
  }

  /**
   * Claims the next stretch of the schedule for this tick: from where the last one ended (or a
   * little back, after the workers were away) to `nowMs` + the lead. One row, updated under its
   * lock, so two ticks never claim the same stretch. Returns it, and how much was given up.
   */
  async claimWindow(): Promise<{ from: number; to: number; skippedMs: number } | null> {
    return inTransaction(this.dataSource, async (manager) => {
      await manager.query(`INSERT INTO monitor_schedule (id, claimed_until) VALUES (1, NULL) ON CONFLICT (id) DO NOTHING`);
      // The database's clock, the same for every worker.
      const [row] = await manager.query(
        `SELECT (extract(epoch FROM claimed_until) * 1000)::float8 AS until, (extract(epoch FROM clock_timestamp()) * 1000)::float8 AS now FROM monitor_schedule WHERE id = 1 FOR UPDATE`,
      );
      const nowMs = Math.floor(Number(row.now));
      const to = nowMs + TICK_LEAD_MS;
      const last = row.until === null ? nowMs : Number(row.until);
      if (last >= to) return null;
      const from = Math.max(last, nowMs - TICK_CATCH_UP_MS);
      await manager.query(`UPDATE monitor_schedule SET claimed_until = to_timestamp($1::float8 / 1000) WHERE id = 1`, [to]);
      return { from, to, skippedMs: from - last };
    });
  }

  /** Gives a claimed stretch back when its runs could not be queued, so the next tick takes it again. */
  async releaseWindow(fromMs: number, toMs: number): Promise<void> {
    await this.dataSource.query(
      `UPDATE monitor_schedule SET claimed_until = to_timestamp($1::float8 / 1000) WHERE id = 1 AND abs(extract(epoch FROM claimed_until) * 1000 - $2::float8) < 1`,
      [fromMs, toMs],
    );
  }

  /** The monitors (not paused) with a slot inside [fromMs, toMs), by id. */
  async dueIn(fromMs: number, toMs: number, limit: number, afterId: string | null): Promise<{ id: string; intervalS: number; slotMs: number }[]> {
    return this.dataSource.query(
      `SELECT m.id, m.interval_s AS "intervalS", m.slot_ms AS "slotMs" FROM monitors m
        WHERE NOT m.paused
          AND $1::bigint + ((((m.slot_ms::bigint - $1::bigint) % (m.interval_s::bigint * 1000)) + m.interval_s::bigint * 1000) % (m.interval_s::bigint * 1000)) < $2::bigint
          AND ($3::uuid IS NULL OR m.id > $3)
        ORDER BY m.id
        LIMIT $4`,
      [fromMs, toMs, afterId, limit],
    );
  }

  /** The states of monitors, locked for the run that records their results. */
  async lockStates(ids: string[], manager: EntityManager): Promise<Map<string, MonitorState & { since: string | null; lastSlotAt: string | null }>> {
    // The monitors' rows first (a removal locks them before their states go with them), only those still there.
    const present: { id: string }[] = await manager.query(`SELECT id FROM monitors WHERE id = ANY($1::uuid[]) ORDER BY id FOR KEY SHARE`, [ids]);
    const kept = present.map((row) => row.id);
    if (kept.length === 0) return new Map();
    await manager.query(`INSERT INTO monitor_state (monitor_id) SELECT unnest($1::uuid[]) ON CONFLICT DO NOTHING`, [kept]);
    const rows: {
      id: string;
      state: MonitorState['state'];
      consecutiveOk: number;
      consecutiveFail: number;
      recent: boolean[];
      flapping: boolean;
      since: Date | null;
      lastSlotAt: Date | null;
    }[] = await manager.query(
      `SELECT monitor_id AS id, state, consecutive_ok AS "consecutiveOk", consecutive_fail AS "consecutiveFail", recent, flapping, since, last_slot_at AS "lastSlotAt"
         FROM monitor_state WHERE monitor_id = ANY($1::uuid[]) ORDER BY monitor_id FOR UPDATE`,
      [kept],
    );
    return new Map(rows.map((row) => [row.id, { ...row, since: iso(row.since), lastSlotAt: iso(row.lastSlotAt) }]));
  }

  /** Writes results; returns those that were new (a slot recorded before is left as it was). */
  async insertResults(results: NewResult[], manager: EntityManager): Promise<Set<string>> {
    if (results.length === 0) return new Set();
    const rows: { key: string }[] = await manager.query(
      `INSERT INTO monitor_results (monitor_id, slot_at, checked_at, ok, latency_ms, connect_ms, tls_ms, first_byte_ms, status_code, error, detail, cert_days_left, attempts)
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(monitor_id uuid, slot_at timestamptz, checked_at timestamptz, ok boolean, latency_ms real, connect_ms real, tls_ms real,
                                                      first_byte_ms real, status_code smallint, error varchar, detail text, cert_days_left integer, attempts smallint)
       ON CONFLICT (monitor_id, slot_at) DO NOTHING
       RETURNING monitor_id || '|' || to_char(slot_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS key`,
      [
        JSON.stringify(
          results.map((r) => ({
            monitor_id: r.monitorId,
            slot_at: r.slotAt,
            checked_at: r.checkedAt,
            ok: r.ok,
            latency_ms: r.latencyMs,
            connect_ms: r.connectMs,
            tls_ms: r.tlsMs,
            first_byte_ms: r.firstByteMs,
            status_code: r.statusCode,
            error: r.error?.slice(0, 40) ?? null,
            detail: r.detail?.slice(0, 500) ?? null,
            cert_days_left: r.certDaysLeft,
            attempts: r.attempts,
          })),
        ),
      ],
    );
    return new Set(rows.map((row) => row.key));
  }

  async saveState(
    id: string,
    state: MonitorState & { since: string | null; lastSlotAt: string | null },
    last: { slotAt: string; checkedAt: string; ok: boolean; latencyMs: number | null; error: string | null },
    manager: EntityManager,
  ): Promise<void> {
    await manager.query(
      `UPDATE monitor_state SET state = $2, consecutive_ok = $3, consecutive_fail = $4, recent = $5, flapping = $6, since = $7,
              last_slot_at = $8, last_checked_at = $9, last_ok = $10, last_latency_ms = $11, last_error = $12
        WHERE monitor_id = $1`,
      [id, state.state, state.consecutiveOk, state.consecutiveFail, state.recent, state.flapping, state.since, last.slotAt, last.checkedAt, last.ok, last.latencyMs, last.error],
    );
  }

  async openOutage(monitorId: string, startedAt: string, cause: string | null, manager: EntityManager): Promise<void> {
    await manager.query(
      `INSERT INTO monitor_outages (monitor_id, site_id, started_at, cause) SELECT id, site_id, $2, $3 FROM monitors WHERE id = $1
       ON CONFLICT (monitor_id) WHERE ended_at IS NULL DO NOTHING`,
      [monitorId, startedAt, cause],
    );
  }

  async closeOutage(monitorId: string, endedAt: string, manager: EntityManager): Promise<void> {
    await manager.query(`UPDATE monitor_outages SET ended_at = greatest($2::timestamptz, started_at) WHERE monitor_id = $1 AND ended_at IS NULL`, [monitorId, endedAt]);
  }

  /** A page of a monitor's results, newest first, inside [from, to). */
  async results(id: string, query: { from: string; to: string; limit: number; before: string | null }): Promise<{ results: ResultRow[]; nextCursor: string | null }> {
    const rows = await this.dataSource.query(
      `SELECT slot_at AS "slotAt", checked_at AS "checkedAt", ok, latency_ms AS "latencyMs", connect_ms AS "connectMs", tls_ms AS "tlsMs",
              first_byte_ms AS "firstByteMs", status_code AS "statusCode", error, detail, cert_days_left AS "certDaysLeft", attempts
         FROM monitor_results
        WHERE monitor_id = $1 AND slot_at >= $2 AND slot_at < $3 AND ($4::timestamptz IS NULL OR slot_at < $4)
        ORDER BY slot_at DESC
        LIMIT $5`,
      [id, query.from, query.to, query.before, query.limit + 1],
    );
    const more = rows.length > query.limit;
    const results: ResultRow[] = (more ? rows.slice(0, query.limit) : rows).map((row: ResultRow) => ({ ...row, slotAt: iso(row.slotAt)!, checkedAt: iso(row.checkedAt)! }));
    return { results, nextCursor: more ? results[results.length - 1].slotAt : null };
  }

  /** Outages, newest first; `open` only those still going on. */
  async outages(query: { open: boolean; monitorId: string | null; limit: number; before: string | null }): Promise<{ outages: OutageRow[]; nextCursor: string | null }> {
    const rows = await this.dataSource.query(
      `SELECT o.id::text, o.monitor_id AS "monitorId", m.name AS "monitorName", o.site_id AS "siteId", s.code AS "siteCode", s.name AS "siteName",
              o.started_at AS "startedAt", o.ended_at AS "endedAt", o.cause
         FROM monitor_outages o JOIN monitors m ON m.id = o.monitor_id JOIN sites s ON s.id = o.site_id
        WHERE (NOT $1::boolean OR o.ended_at IS NULL) AND ($2::uuid IS NULL OR o.monitor_id = $2) AND ($3::bigint IS NULL OR o.id < $3::bigint)
        ORDER BY o.id DESC
        LIMIT $4`,
      [query.open, query.monitorId, query.before, query.limit + 1],
    );
    const more = rows.length > query.limit;
    const outages: OutageRow[] = (more ? rows.slice(0, query.limit) : rows).map((row: OutageRow) => ({ ...row, startedAt: iso(row.startedAt)!, endedAt: iso(row.endedAt) }));
    return { outages, nextCursor: more ? outages[outages.length - 1].id : null };
  }

  /** Makes the result partitions of the coming months (the daily housekeeping). */
  async ensurePartitions(months: number): Promise<number> {
    const [row] = await this.dataSource.query(`SELECT serat_monitor_partitions(date_trunc('month', now())::date, $1) AS made`, [months]);
    return row.made;
  }
}

export interface OutageRow {
  id: string;
  monitorId: string;
  monitorName: string;
  siteId: string;
  siteCode: string;
  siteName: string;
  startedAt: string;
  endedAt: string | null;
  cause: string | null;
}
