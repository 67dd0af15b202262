import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The figures of the map's header and of each area (segments and metres per status, nodes per
 * status, sites per kind and how many of them are connected), per area and phase, kept by the
 * database instead of summed over the whole network on every read (issue 11 and 12).
 *
 * - Writers never wait for each other: statement-level triggers with transition tables append
 *   signed rows (+1 for what a statement wrote, -1 for what it replaced) to area_figure_deltas;
 *   no row is updated by every writer. A read sums the rows of the areas it asks for.
 * - Compaction (RollupsRepository.compact, run by the housekeeping job) replaces the rows of a key
 *   by their sum in one statement (DELETE ... RETURNING into INSERT), so a reader sees either the
 *   rows or their sum, and two compactions at once never count a row twice (the second waits for
 *   the first's row locks and then skips what it deleted).
 * - Region totals come from `segments` itself (a segment outside every area still counts there);
 *   kecamatan and desa from segment_areas (a segment counts in each area it crosses, by the metres
 *   inside it); a kabupaten from the kecamatan rows under it, the segment once however many of
 *   its kecamatan it crosses. So segment_areas carries its segment's status and phase (kept by the
 *   segments trigger): a deleted segment's rows go by cascade after the segment is gone, and
 *   their trigger must still know what they counted as. A statement writes a segment's rows whole
 *   (SegmentsRepository.recomputeAreas, the status copy, the cascade), which the kabupaten's
 *   once-per-segment count relies on; a boundary change that could break it (an area deleted, or
 *   moved under another parent) rebuilds every figure.
 * - Metres are summed as whole millimetres (bigint), so an addition and its removal cancel
 *   exactly; each segment (and each segment_areas row) contributes round(length_m * 1000).
 * - "Connected" is the site's termination node in connected_nodes. A site written while the
 *   refresh changes connected_nodes could be missed by both triggers (each blind to the other's
 *   uncommitted rows), so both take a transaction advisory lock per stripe of node ids they touch:
 *   site writers share theirs, the refresh takes its stripes exclusively. Striped (64) so that a
 *   refresh of the whole network holds 64 locks, not one per node.
 */
export class AreaRollups1765600000000 implements MigrationInterface {
  name = 'AreaRollups1765600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE area_figure_deltas (
        level      varchar(16) NOT NULL,
        -- '' for the region (the whole network).
        area_code  varchar(20) NOT NULL,
        phase_id   uuid NULL,
        subject    varchar(8) NOT NULL,
        -- The status (segments, nodes) or the kind (sites).
        category   varchar(20) NOT NULL,
        items      bigint NOT NULL,
        length_mm  bigint NOT NULL DEFAULT 0,
        connected  bigint NOT NULL DEFAULT 0,
        CONSTRAINT chk_area_figure_deltas_level CHECK (level IN ('region', 'kabupaten', 'kecamatan', 'desa')),
        CONSTRAINT chk_area_figure_deltas_subject CHECK (subject IN ('segment', 'node', 'site'))
      )`);
    await q.query(`CREATE INDEX idx_area_figure_deltas_area ON area_figure_deltas (level, area_code)`);
    // The refresh of connected_nodes finds the sites of the nodes it changed.
    await q.query(`CREATE INDEX idx_sites_termination_node ON sites (termination_node_id)`);

    await q.query(`ALTER TABLE segment_areas ADD COLUMN status varchar(20) NULL, ADD COLUMN phase_id uuid NULL`);
    await q.query(`UPDATE segment_areas sa SET status = s.status, phase_id = s.phase_id FROM segments s WHERE s.id = sa.segment_id`);
    await q.query(`ALTER TABLE segment_areas ALTER COLUMN status SET NOT NULL`);

    for (const sql of FUNCTIONS) await q.query(sql);
    for (const [table, event, fn] of TRIGGERS) {
      const referencing = event === 'INSERT' ? 'NEW TABLE AS new_rows' : event === 'DELETE' ? 'OLD TABLE AS old_rows' : 'OLD TABLE AS old_rows NEW TABLE AS new_rows';
      await q.query(
        `CREATE TRIGGER ${triggerName(table, event)} AFTER ${event} ON ${table} REFERENCING ${referencing} FOR EACH STATEMENT EXECUTE FUNCTION ${fn}_${event.toLowerCase()}()`,
      );
    }
    // The figures of what is there already.
    await q.query(`SELECT area_figures_rebuild()`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const [table, event] of [...TRIGGERS].reverse()) await q.query(`DROP TRIGGER ${triggerName(table, event)} ON ${table}`);
    for (const fn of FUNCTION_NAMES) await q.query(`DROP FUNCTION ${fn}()`);
    await q.query(`ALTER TABLE segment_areas DROP COLUMN phase_id, DROP COLUMN status`);
    await q.query(`DROP INDEX idx_sites_termination_node`);
    await q.query(`DROP TABLE area_figure_deltas`);
  }
}

type Event = 'INSERT' | 'UPDATE' | 'DELETE';

const triggerName = (table: string, event: Event) => `trg_${table}_figures_${event.toLowerCase()}`;

/** A transition table's rows with their sign: +1 for what the statement wrote, -1 for what it replaced. */
const SIGNED: Record<Event, string> = {
  INSERT: `SELECT r.*, 1 AS sign FROM new_rows r`,
  DELETE: `SELECT r.*, -1 AS sign FROM old_rows r`,
  UPDATE: `SELECT r.*, 1 AS sign FROM new_rows r UNION ALL SELECT r.*, -1 AS sign FROM old_rows r`,
};

/**
 * Appends the sums of `contributions` (columns level, area_code, phase_id, subject, category,
 * items, length_mm, connected) per key; keys whose changes cancel (an update of a name) add nothing.
 */
const appendSums = (contributions: string) => `
  INSERT INTO area_figure_deltas (level, area_code, phase_id, subject, category, items, length_mm, connected)
  SELECT level, area_code, phase_id, subject, category, sum(items), sum(length_mm), sum(connected)
    FROM (${contributions}) c
   GROUP BY level, area_code, phase_id, subject, category
  HAVING sum(items) <> 0 OR sum(length_mm) <> 0 OR sum(connected) <> 0`;

const MM = (metres: string) => `round(${metres} * 1000)::bigint`;

/** The region and the three areas of a row of nodes or sites (alias r), as (level, code). */
const POINT_AREAS = `CROSS JOIN LATERAL (VALUES ('region', ''), ('kabupaten', r.kabupaten_code), ('kecamatan', r.kecamatan_code), ('desa', r.desa_code)) a(level, code)`;

/** The advisory lock of a stripe of node ids (see the comment at the top); the two-key form, apart from the one-key locks. */
const NODE_STRIPE = (node: string) => `hashtext(${node}::text) & 63`;
const STRIPE_LOCK_CLASS = 0x5e7a;

const segmentsFunction = (event: Event) => `
  CREATE FUNCTION segments_figures_${event.toLowerCase()}() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    WITH signed AS (${SIGNED[event]})
    ${appendSums(`SELECT 'region' AS level, '' AS area_code, phase_id, 'segment' AS subject, status AS category,
                         sign AS items, sign * ${MM('length_m')} AS length_mm, 0 AS connected FROM signed`)};
    ${
      event === 'UPDATE'
        ? `-- The areas count a segment under its status and phase: their rows follow it (and append their own deltas).
    UPDATE segment_areas sa SET status = n.status, phase_id = n.phase_id
      FROM new_rows n
     WHERE sa.segment_id = n.id AND (sa.status IS DISTINCT FROM n.status OR sa.phase_id IS DISTINCT FROM n.phase_id);`
        : ''
    }
    RETURN NULL;
  END $$`;

const segmentAreasFunction = (event: Event) => `
  CREATE FUNCTION segment_areas_figures_${event.toLowerCase()}() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    WITH signed AS (${SIGNED[event]})
    ${appendSums(`SELECT level, area_code, phase_id, 'segment' AS subject, status AS category,
                         sign AS items, sign * ${MM('length_m')} AS length_mm, 0 AS connected FROM signed
                  UNION ALL
                  -- A kabupaten counts a segment once, with the metres of all its kecamatan there.
                  SELECT 'kabupaten', kec.parent_code, r.phase_id, 'segment', r.status,
                         r.sign, sum(r.sign * ${MM('r.length_m')}), 0
                    FROM signed r JOIN admin_areas kec ON kec.code = r.area_code
                   WHERE r.level = 'kecamatan' AND kec.parent_code IS NOT NULL
                   GROUP BY r.segment_id, kec.parent_code, r.phase_id, r.status, r.sign`)};
    RETURN NULL;
  END $$`;

const nodesFunction = (event: Event) => `
  CREATE FUNCTION nodes_figures_${event.toLowerCase()}() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    WITH signed AS (${SIGNED[event]})
    ${appendSums(`SELECT a.level, a.code AS area_code, NULL::uuid AS phase_id, 'node' AS subject, r.status AS category,
                         r.sign AS items, 0 AS length_mm, 0 AS connected
                    FROM signed r ${POINT_AREAS} WHERE a.code IS NOT NULL`)};
    RETURN NULL;
  END $$`;

const sitesFunction = (event: Event) => `
  CREATE FUNCTION sites_figures_${event.toLowerCase()}() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    -- Shared: site writers do not wait for each other, only for a refresh changing these nodes.
    PERFORM pg_advisory_xact_lock_shared(${STRIPE_LOCK_CLASS}, stripe)
       FROM (SELECT DISTINCT ${NODE_STRIPE('termination_node_id')} AS stripe FROM (${SIGNED[event]}) t
              WHERE termination_node_id IS NOT NULL ORDER BY 1) s;
    -- A statement of its own, so it reads connected_nodes as the refresh holding a stripe left it.
    WITH signed AS (${SIGNED[event]})
    ${appendSums(`SELECT a.level, a.code AS area_code, r.phase_id, 'site' AS subject, r.kind AS category, r.sign AS items, 0 AS length_mm,
                         CASE WHEN EXISTS (SELECT 1 FROM connected_nodes c WHERE c.node_id = r.termination_node_id) THEN r.sign ELSE 0 END AS connected
                    FROM signed r ${POINT_AREAS} WHERE a.code IS NOT NULL`)};
    RETURN NULL;
  END $$`;

const connectedNodesFunction = (event: Event) => `
  CREATE FUNCTION connected_nodes_figures_${event.toLowerCase()}() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    PERFORM pg_advisory_xact_lock(${STRIPE_LOCK_CLASS}, stripe)
       FROM (SELECT DISTINCT ${NODE_STRIPE('node_id')} AS stripe FROM (${SIGNED[event]}) t ORDER BY 1) s;
    WITH signed AS (${SIGNED[event]})
    ${appendSums(`SELECT a.level, a.code AS area_code, r.phase_id, 'site' AS subject, r.kind AS category, 0 AS items, 0 AS length_mm, c.sign AS connected
                    FROM signed c JOIN sites r ON r.termination_node_id = c.node_id ${POINT_AREAS} WHERE a.code IS NOT NULL`)};
    RETURN NULL;
  END $$`;

/** Whether a statement on admin_areas changed which kabupaten a kecamatan is in, or took an area away. */
const adminAreasFunction = (event: Event) => `
  CREATE FUNCTION admin_areas_figures_${event.toLowerCase()}() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF ${
      event === 'DELETE'
        ? `EXISTS (SELECT 1 FROM old_rows)`
        : `EXISTS (SELECT 1 FROM old_rows o JOIN new_rows n ON n.code = o.code
                   WHERE n.parent_code IS DISTINCT FROM o.parent_code OR n.level IS DISTINCT FROM o.level)`
    } THEN
      PERFORM area_figures_rebuild();
    END IF;
    RETURN NULL;
  END $$`;

/**
 * Every figure computed again from the tables, in one statement: the rows it deletes are exactly
 * those its snapshot sees, and so are the tables it sums, so a change committed meanwhile keeps
 * its own rows and is counted once.
 */
const REBUILD = `
  CREATE FUNCTION area_figures_rebuild() RETURNS void LANGUAGE sql AS $$
    WITH gone AS (DELETE FROM area_figure_deltas RETURNING 1)
    INSERT INTO area_figure_deltas (level, area_code, phase_id, subject, category, items, length_mm, connected)
    SELECT 'region', '', phase_id, 'segment', status, count(*), sum(${MM('length_m')}), 0 FROM segments GROUP BY phase_id, status
    UNION ALL
    SELECT level, area_code, phase_id, 'segment', status, count(*), sum(${MM('length_m')}), 0 FROM segment_areas GROUP BY level, area_code, phase_id, status
    UNION ALL
    SELECT 'kabupaten', kec.parent_code, sa.phase_id, 'segment', sa.status, count(DISTINCT sa.segment_id), sum(${MM('sa.length_m')}), 0
      FROM segment_areas sa JOIN admin_areas kec ON kec.code = sa.area_code
     WHERE sa.level = 'kecamatan' AND kec.parent_code IS NOT NULL
     GROUP BY kec.parent_code, sa.phase_id, sa.status
    UNION ALL
    SELECT a.level, a.code, NULL, 'node', r.status, count(*), 0, 0 FROM nodes r ${POINT_AREAS} WHERE a.code IS NOT NULL GROUP BY a.level, a.code, r.status
    UNION ALL
    SELECT a.level, a.code, r.phase_id, 'site', r.kind, count(*), 0, count(c.node_id)
      FROM sites r LEFT JOIN connected_nodes c ON c.node_id = r.termination_node_id ${POINT_AREAS}
     WHERE a.code IS NOT NULL
     GROUP BY a.level, a.code, r.phase_id, r.kind
  $$`;

const FUNCTION_BUILDERS: [string, (event: Event) => string, Event[]][] = [
  ['segments_figures', segmentsFunction, ['INSERT', 'UPDATE', 'DELETE']],
  ['segment_areas_figures', segmentAreasFunction, ['INSERT', 'UPDATE', 'DELETE']],
  ['nodes_figures', nodesFunction, ['INSERT', 'UPDATE', 'DELETE']],
  ['sites_figures', sitesFunction, ['INSERT', 'UPDATE', 'DELETE']],
  ['connected_nodes_figures', connectedNodesFunction, ['INSERT', 'DELETE']],
  ['admin_areas_figures', adminAreasFunction, ['UPDATE', 'DELETE']],
];

const FUNCTIONS = [REBUILD, ...FUNCTION_BUILDERS.flatMap(([, build, events]) => events.map(build))];
const FUNCTION_NAMES = [...FUNCTION_BUILDERS.flatMap(([name, , events]) => events.map((event) => `${name}_${event.toLowerCase()}`)), 'area_figures_rebuild'];
const TRIGGERS: [table: string, event: Event, fn: string][] = FUNCTION_BUILDERS.flatMap(([name, , events]) =>
  events.map((event): [string, Event, string] => [name.replace(/_figures$/, ''), event, name]),
);
