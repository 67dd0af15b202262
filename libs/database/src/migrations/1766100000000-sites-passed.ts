import { MigrationInterface, QueryRunner } from 'typeorm';

/** A box around a geometry wide enough for `d` metres on the ground (longitude degrees shrink with the cosine of the latitude). */
const EXPAND = (geom: string, d: string) => `ST_Expand(${geom}, ${d} / (111320 * greatest(cos(radians(abs(ST_Y(ST_Centroid(${geom}))) + 0.5)), 0.01)), ${d} / 110574)`;

/** What a read counts by, copied from the site (kept with it by the sites trigger), so that it reads this table alone. */
export const SITE_PASSED_COLUMNS = ['site_id', 'kind', 'phase_id', 'kabupaten_code', 'kecamatan_code', 'desa_code', 'termination_node_id'] as const;
const COPIED = SITE_PASSED_COLUMNS.join(', ');
/** The advisory lock every writer of site_passed takes (the triggers, and a rebuild for another distance). */
export const SITE_PASSED_LOCK = `hashtext('serat.site_passed')`;
const LOCK_KEY = SITE_PASSED_LOCK;
const COPIED_FROM = (row: string) => SITE_PASSED_COLUMNS.map((column) => `${row}.${column === 'site_id' ? 'id' : column}`).join(', ');

/**
 * Sites "passed" kept by triggers (issue 12: the roll-up of every kecamatan was 1.4 s at 100,000
 * segments because it measured every unconnected site against the active cable at read time).
 *
 * - site_passed: the sites within progress_settings.passed_distance_m of an active segment
 *   (connected or not: a read leaves out the connected ones, which connected_nodes says), with
 *   the site's kind, phase, areas and termination node copied, so a read needs no other table.
 * - Triggers on segments (a segment becoming active, leaving active, or moving while active) and
 *   on sites (one added, moved, or its kind, phase, areas or termination changed) keep it, each
 *   measuring only around the row that changed.
 * - The distance it was built for is in progress_settings; when SERAT_PASSED_DISTANCE_M differs,
 *   the api rebuilds it (ProgressRepository.ensurePassedDistance) before its first read.
 */
export class SitesPassed1766100000000 implements MigrationInterface {
  name = 'SitesPassed1766100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE progress_settings (
        id                smallint PRIMARY KEY DEFAULT 1,
        passed_distance_m double precision NOT NULL,
        CONSTRAINT chk_progress_settings_one CHECK (id = 1),
        CONSTRAINT chk_progress_settings_distance CHECK (passed_distance_m > 0)
      )`);
    await q.query(`INSERT INTO progress_settings (passed_distance_m) VALUES (200)`);
    await q.query(`
      CREATE TABLE site_passed (
        site_id             uuid PRIMARY KEY,
        kind                varchar(20) NOT NULL,
        phase_id            uuid NULL,
        kabupaten_code      varchar(20) NULL,
        kecamatan_code      varchar(20) NULL,
        desa_code           varchar(20) NULL,
        termination_node_id uuid NULL,
        CONSTRAINT fk_site_passed_site FOREIGN KEY (site_id) REFERENCES sites (id) ON DELETE CASCADE
      )`);

    // The sites near a geometry that no active segment passes any more leave the table.
    await q.query(`
      CREATE FUNCTION serat_site_passed_forget(g geometry, d double precision) RETURNS void LANGUAGE sql AS $$
        DELETE FROM site_passed p
         USING sites s
         WHERE p.site_id = s.id
           AND s.location && ${EXPAND('g', 'd')}
           AND ST_DWithin(g::geography, s.location::geography, d)
           AND NOT EXISTS (SELECT 1 FROM segments x
                            WHERE x.status = 'active'
                              AND x.geom && ${EXPAND('s.location', 'd')}
                              AND ST_DWithin(x.geom::geography, s.location::geography, d))
      $$`);
    // The sites near an active segment's geometry join it.
    await q.query(`
      CREATE FUNCTION serat_site_passed_near(g geometry, d double precision) RETURNS void LANGUAGE sql AS $$
        INSERT INTO site_passed (${COPIED})
        SELECT ${COPIED_FROM('s')} FROM sites s
         WHERE s.location && ${EXPAND('g', 'd')}
           AND ST_DWithin(g::geography, s.location::geography, d)
        ON CONFLICT DO NOTHING
      $$`);
    await q.query(`
      CREATE FUNCTION serat_site_passed_segment() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE d double precision;
      BEGIN
        IF TG_OP = 'UPDATE' AND OLD.status IS NOT DISTINCT FROM NEW.status AND OLD.geom IS NOT DISTINCT FROM NEW.geom THEN
          RETURN NULL;
        END IF;
        SELECT passed_distance_m INTO d FROM progress_settings WHERE id = 1;
        IF d IS NULL THEN RETURN NULL; END IF;
        -- One writer of the table at a time until commit: two transactions taking out the two cables
        -- near a site would each still see the other's, and leave the site passed.
        PERFORM pg_advisory_xact_lock(${LOCK_KEY});
        IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status = 'active' THEN
          PERFORM serat_site_passed_forget(OLD.geom, d);
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.status = 'active' THEN
          PERFORM serat_site_passed_near(NEW.geom, d);
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER trg_site_passed_segment AFTER INSERT OR UPDATE OF status, geom OR DELETE ON segments
        FOR EACH ROW EXECUTE FUNCTION serat_site_passed_segment()`);
    await q.query(`
      CREATE FUNCTION serat_site_passed_site() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE d double precision;
      BEGIN
        IF TG_OP = 'UPDATE' AND (OLD.location, OLD.kind, OLD.phase_id, OLD.kabupaten_code, OLD.kecamatan_code, OLD.desa_code, OLD.termination_node_id)
                                 IS NOT DISTINCT FROM (NEW.location, NEW.kind, NEW.phase_id, NEW.kabupaten_code, NEW.kecamatan_code, NEW.desa_code, NEW.termination_node_id) THEN
          RETURN NULL;
        END IF;
        SELECT passed_distance_m INTO d FROM progress_settings WHERE id = 1;
        IF d IS NULL THEN RETURN NULL; END IF;
        PERFORM pg_advisory_xact_lock(${LOCK_KEY});
        DELETE FROM site_passed WHERE site_id = NEW.id;
        INSERT INTO site_passed (${COPIED})
        SELECT ${COPIED_FROM('NEW')} WHERE EXISTS (SELECT 1 FROM segments x
                                     WHERE x.status = 'active'
                                       AND x.geom && ${EXPAND('NEW.location', 'd')}
                                       AND ST_DWithin(x.geom::geography, NEW.location::geography, d));
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER trg_site_passed_site AFTER INSERT OR UPDATE OF location, kind, phase_id, kabupaten_code, kecamatan_code, desa_code, termination_node_id ON sites
        FOR EACH ROW EXECUTE FUNCTION serat_site_passed_site()`);
    // What is there already.
    await q.query(`
      INSERT INTO site_passed (${COPIED})
      SELECT ${COPIED_FROM('s')} FROM sites s
       WHERE EXISTS (SELECT 1 FROM segments x
                      WHERE x.status = 'active'
                        AND x.geom && ${EXPAND('s.location', '200')}
                        AND ST_DWithin(x.geom::geography, s.location::geography, 200))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER trg_site_passed_site ON sites`);
    await q.query(`DROP TRIGGER trg_site_passed_segment ON segments`);
    await q.query(`DROP FUNCTION serat_site_passed_site()`);
    await q.query(`DROP FUNCTION serat_site_passed_segment()`);
    await q.query(`DROP FUNCTION serat_site_passed_near(geometry, double precision)`);
    await q.query(`DROP FUNCTION serat_site_passed_forget(geometry, double precision)`);
    await q.query(`DROP TABLE site_passed`);
    await q.query(`DROP TABLE progress_settings`);
  }
}
