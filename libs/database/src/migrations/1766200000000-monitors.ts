import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Uptime monitoring (issue 13), its first part: what is checked and what the checks found.
 *
 * - monitors: an endpoint of a site (TCP host:port, an HTTP(S) URL), its interval, timeout and
 *   retries, and its fixed slot inside the interval (slot_ms, from its id), paused or not.
 * - monitor_results: one row per monitor and slot (the key: a slot recorded twice is one row),
 *   partitioned by month of the slot, so old months are dropped whole; a default partition takes
 *   anything outside the months made so far (serat_monitor_partitions makes them ahead).
 * - monitor_state: where each monitor stands (unknown, up, down), its runs of successes and
 *   failures, the last results (for flapping), and what its last check said.
 * - monitor_outages: from the check that took a monitor down to the one that brought it back.
 * - monitor_schedule: how far the schedule has been handed out to the workers.
 */
export class Monitors1766200000000 implements MigrationInterface {
  name = 'Monitors1766200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE monitors (
        id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        site_id           uuid NOT NULL,
        name              text NOT NULL,
        kind              varchar(8) NOT NULL,
        target            text NOT NULL,
        http_method       varchar(4) NULL,
        expect_status_min smallint NULL,
        expect_status_max smallint NULL,
        keyword           text NULL,
        follow_redirects  boolean NOT NULL DEFAULT true,
        interval_s        integer NOT NULL DEFAULT 60,
        timeout_ms        integer NOT NULL DEFAULT 10000,
        retries           smallint NOT NULL DEFAULT 0,
        slot_ms           integer NOT NULL,
        paused            boolean NOT NULL DEFAULT false,
        version           integer NOT NULL DEFAULT 1,
        created_at        timestamptz NOT NULL DEFAULT now(),
        updated_at        timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT fk_monitors_site FOREIGN KEY (site_id) REFERENCES sites (id) ON DELETE CASCADE,
        CONSTRAINT chk_monitors_kind CHECK (kind IN ('tcp', 'http')),
        CONSTRAINT chk_monitors_interval CHECK (interval_s BETWEEN 1 AND 86400),
        CONSTRAINT chk_monitors_timeout CHECK (timeout_ms BETWEEN 100 AND 60000),
        CONSTRAINT chk_monitors_retries CHECK (retries BETWEEN 0 AND 5),
        CONSTRAINT chk_monitors_slot CHECK (slot_ms >= 0 AND slot_ms < interval_s * 1000),
        CONSTRAINT chk_monitors_status CHECK (expect_status_min IS NULL OR (expect_status_min BETWEEN 100 AND 599 AND expect_status_max BETWEEN expect_status_min AND 599)),
        CONSTRAINT chk_monitors_method CHECK (http_method IS NULL OR http_method IN ('GET', 'HEAD'))
      )`);
    await q.query(`CREATE INDEX idx_monitors_site ON monitors (site_id)`);
    await q.query(`CREATE INDEX idx_monitors_due ON monitors (interval_s, slot_ms) WHERE NOT paused`);

    await q.query(`
      CREATE TABLE monitor_state (
        monitor_id       uuid PRIMARY KEY,
        state            varchar(8) NOT NULL DEFAULT 'unknown',
        consecutive_ok   integer NOT NULL DEFAULT 0,
        consecutive_fail integer NOT NULL DEFAULT 0,
        recent           boolean[] NOT NULL DEFAULT '{}',
        flapping         boolean NOT NULL DEFAULT false,
        since            timestamptz NULL,
        last_slot_at     timestamptz NULL,
        last_checked_at  timestamptz NULL,
        last_ok          boolean NULL,
        last_latency_ms  real NULL,
        last_error       text NULL,
        CONSTRAINT fk_monitor_state_monitor FOREIGN KEY (monitor_id) REFERENCES monitors (id) ON DELETE CASCADE,
        CONSTRAINT chk_monitor_state CHECK (state IN ('unknown', 'up', 'down'))
      )`);

    await q.query(`
      CREATE TABLE monitor_results (
        monitor_id     uuid NOT NULL,
        slot_at        timestamptz NOT NULL,
        checked_at     timestamptz NOT NULL,
        ok             boolean NOT NULL,
        latency_ms     real NULL,
        connect_ms     real NULL,
        tls_ms         real NULL,
        first_byte_ms  real NULL,
        status_code    smallint NULL,
        error          varchar(40) NULL,
        detail         text NULL,
        cert_days_left integer NULL,
        attempts       smallint NOT NULL DEFAULT 1,
        PRIMARY KEY (monitor_id, slot_at)
      ) PARTITION BY RANGE (slot_at)`);
    await q.query(`CREATE TABLE monitor_results_default PARTITION OF monitor_results DEFAULT`);
    // The months from `from_month` on, `months` of them, made when missing (the daily housekeeping asks for the next ones).
    await q.query(`
      CREATE FUNCTION serat_monitor_partitions(from_month date, months integer) RETURNS integer LANGUAGE plpgsql AS $$
      DECLARE m date; made integer := 0; name text;
      BEGIN
        FOR i IN 0 .. months - 1 LOOP
          m := (date_trunc('month', from_month) + make_interval(months => i))::date;
          name := format('monitor_results_y%sm%s', to_char(m, 'YYYY'), to_char(m, 'MM'));
          IF to_regclass(name) IS NULL THEN
            EXECUTE format('CREATE TABLE %I PARTITION OF monitor_results FOR VALUES FROM (%L) TO (%L)', name, m::timestamptz, (m + interval '1 month')::timestamptz);
            made := made + 1;
          END IF;
        END LOOP;
        RETURN made;
      END $$`);
    await q.query(`SELECT serat_monitor_partitions((now() - interval '1 month')::date, 4)`);

    await q.query(`
      CREATE TABLE monitor_outages (
        id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        monitor_id  uuid NOT NULL,
        site_id     uuid NOT NULL,
        started_at  timestamptz NOT NULL,
        ended_at    timestamptz NULL,
        cause       text NULL,
        CONSTRAINT fk_monitor_outages_monitor FOREIGN KEY (monitor_id) REFERENCES monitors (id) ON DELETE CASCADE,
        CONSTRAINT chk_monitor_outages_span CHECK (ended_at IS NULL OR ended_at >= started_at)
      )`);
    // How far the checks' schedule has been handed out (one row): each tick claims the next stretch.
    await q.query(`
      CREATE TABLE monitor_schedule (
        id            smallint PRIMARY KEY DEFAULT 1,
        claimed_until timestamptz NULL,
        CONSTRAINT chk_monitor_schedule_one CHECK (id = 1)
      )`);
    await q.query(`CREATE UNIQUE INDEX idx_monitor_outages_open ON monitor_outages (monitor_id) WHERE ended_at IS NULL`);
    await q.query(`CREATE INDEX idx_monitor_outages_started ON monitor_outages (started_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE monitor_schedule`);
    await q.query(`DROP TABLE monitor_outages`);
    await q.query(`DROP TABLE monitor_results`);
    await q.query(`DROP FUNCTION serat_monitor_partitions(date, integer)`);
    await q.query(`DROP TABLE monitor_state`);
    await q.query(`DROP TABLE monitors`);
  }
}
