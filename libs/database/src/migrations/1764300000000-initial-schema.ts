import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The first schema: admin areas, phases, nodes, segments, sites and status history.
 * Geometry is SRID 4326 (WGS84 lon/lat) with GiST indexes. Segment length is a stored column
 * derived from the geometry, so it can never disagree with it.
 */
export class InitialSchema1764300000000 implements MigrationInterface {
  name = 'InitialSchema1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS postgis`);

    await q.query(`
      CREATE TABLE admin_areas (
        code        varchar(20) PRIMARY KEY,
        name        text NOT NULL,
        level       varchar(16) NOT NULL,
        parent_code varchar(20) NULL,
        geom        geometry(MultiPolygon, 4326) NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now(),
        updated_at  timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT chk_admin_areas_level CHECK (level IN ('kabupaten', 'kecamatan', 'desa')),
        CONSTRAINT chk_admin_areas_code CHECK (code ~ '^[0-9]{2}(\\.[0-9]{2}){0,2}(\\.[0-9]{4})?$'),
        CONSTRAINT chk_admin_areas_geom_valid CHECK (ST_IsValid(geom)),
        CONSTRAINT fk_admin_areas_parent FOREIGN KEY (parent_code) REFERENCES admin_areas (code) ON DELETE RESTRICT
      )`);
    await q.query(`CREATE INDEX idx_admin_areas_geom ON admin_areas USING gist (geom)`);
    await q.query(`CREATE INDEX idx_admin_areas_level_parent ON admin_areas (level, parent_code)`);

    await q.query(`
      CREATE TABLE phases (
        id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code         varchar(40) NOT NULL,
        name         text NOT NULL,
        budget_year  integer NULL,
        target_date  date NULL,
        budget_idr   bigint NULL,
        description  text NULL,
        created_at   timestamptz NOT NULL DEFAULT now(),
        updated_at   timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_phases_code UNIQUE (code),
        CONSTRAINT chk_phases_budget CHECK (budget_idr IS NULL OR budget_idr >= 0)
      )`);

    const statusCheck = `('planned','surveyed','in_construction','installed','spliced','tested','active','damaged','decommissioned')`;

    await q.query(`
      CREATE TABLE nodes (
        id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code           varchar(60) NOT NULL,
        name           text NULL,
        kind           varchar(20) NOT NULL,
        location       geometry(Point, 4326) NOT NULL,
        status         varchar(20) NOT NULL DEFAULT 'planned',
        owner          varchar(20) NULL,
        kabupaten_code varchar(20) NULL,
        kecamatan_code varchar(20) NULL,
        desa_code      varchar(20) NULL,
        version        integer NOT NULL DEFAULT 1,
        created_at     timestamptz NOT NULL DEFAULT now(),
        updated_at     timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_nodes_code UNIQUE (code),
        CONSTRAINT chk_nodes_kind CHECK (kind IN ('noc','olt','odc','odp','joint_closure','handhole','pole','termination')),
        CONSTRAINT chk_nodes_status CHECK (status IN ${statusCheck}),
        CONSTRAINT chk_nodes_owner CHECK (owner IS NULL OR owner IN ('pemda','pln','telkom','other')),
        CONSTRAINT fk_nodes_kabupaten FOREIGN KEY (kabupaten_code) REFERENCES admin_areas (code) ON DELETE SET NULL,
        CONSTRAINT fk_nodes_kecamatan FOREIGN KEY (kecamatan_code) REFERENCES admin_areas (code) ON DELETE SET NULL,
        CONSTRAINT fk_nodes_desa FOREIGN KEY (desa_code) REFERENCES admin_areas (code) ON DELETE SET NULL
      )`);
    await q.query(`CREATE INDEX idx_nodes_location ON nodes USING gist (location)`);
    await q.query(`CREATE INDEX idx_nodes_kecamatan ON nodes (kecamatan_code)`);
    await q.query(`CREATE INDEX idx_nodes_kind_status ON nodes (kind, status)`);

    await q.query(`
      CREATE TABLE segments (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code          varchar(60) NOT NULL,
        from_node_id  uuid NOT NULL,
        to_node_id    uuid NOT NULL,
        geom          geometry(LineString, 4326) NOT NULL,
        -- Great-circle length in metres on the mean-radius sphere (R = 6371008.8 m), the model
        -- turf uses too, so a length drawn in the browser equals the stored one (docs/decisions).
        length_m      double precision GENERATED ALWAYS AS (ST_Length(geom::geography, false)) STORED,
        placement     varchar(20) NOT NULL DEFAULT 'aerial',
        tier          varchar(20) NOT NULL DEFAULT 'distribution',
        cable_type    text NULL,
        core_count    integer NULL,
        status        varchar(20) NOT NULL DEFAULT 'planned',
        phase_id      uuid NULL,
        contractor    text NULL,
        slack_m       double precision NULL,
        version       integer NOT NULL DEFAULT 1,
        created_at    timestamptz NOT NULL DEFAULT now(),
        updated_at    timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_segments_code UNIQUE (code),
        CONSTRAINT fk_segments_from_node FOREIGN KEY (from_node_id) REFERENCES nodes (id) ON DELETE RESTRICT,
        CONSTRAINT fk_segments_to_node FOREIGN KEY (to_node_id) REFERENCES nodes (id) ON DELETE RESTRICT,
        CONSTRAINT fk_segments_phase FOREIGN KEY (phase_id) REFERENCES phases (id) ON DELETE SET NULL,
        CONSTRAINT chk_segments_distinct_nodes CHECK (from_node_id <> to_node_id),
        CONSTRAINT chk_segments_geom_valid CHECK (ST_IsValid(geom) AND ST_NPoints(geom) >= 2 AND NOT ST_IsEmpty(geom)),
        CONSTRAINT chk_segments_placement CHECK (placement IN ('aerial','underground','duct','river_crossing')),
        CONSTRAINT chk_segments_tier CHECK (tier IN ('backbone','distribution','drop')),
        CONSTRAINT chk_segments_status CHECK (status IN ${statusCheck}),
        CONSTRAINT chk_segments_core_count CHECK (core_count IS NULL OR core_count > 0),
        CONSTRAINT chk_segments_slack CHECK (slack_m IS NULL OR slack_m >= 0)
      )`);
    await q.query(`CREATE INDEX idx_segments_geom ON segments USING gist (geom)`);
    await q.query(`CREATE INDEX idx_segments_from_node ON segments (from_node_id)`);
    await q.query(`CREATE INDEX idx_segments_to_node ON segments (to_node_id)`);
    await q.query(`CREATE INDEX idx_segments_status ON segments (status)`);
    await q.query(`CREATE INDEX idx_segments_phase ON segments (phase_id)`);

    await q.query(`
      CREATE TABLE sites (
        id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code                varchar(60) NOT NULL,
        name                text NOT NULL,
        short_name          text NULL,
        kind                varchar(20) NOT NULL,
        location            geometry(Point, 4326) NOT NULL,
        kabupaten_code      varchar(20) NULL,
        kecamatan_code      varchar(20) NULL,
        desa_code           varchar(20) NULL,
        phase_id            uuid NULL,
        termination_node_id uuid NULL,
        cost_idr_per_month  bigint NULL,
        is_demo             boolean NOT NULL DEFAULT false,
        version             integer NOT NULL DEFAULT 1,
        created_at          timestamptz NOT NULL DEFAULT now(),
        updated_at          timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_sites_code UNIQUE (code),
        CONSTRAINT chk_sites_kind CHECK (kind IN ('sopd','kantor_kecamatan','kantor_desa','puskesmas','sekolah','other')),
        CONSTRAINT chk_sites_cost CHECK (cost_idr_per_month IS NULL OR cost_idr_per_month >= 0),
        CONSTRAINT fk_sites_phase FOREIGN KEY (phase_id) REFERENCES phases (id) ON DELETE SET NULL,
        CONSTRAINT fk_sites_termination FOREIGN KEY (termination_node_id) REFERENCES nodes (id) ON DELETE SET NULL,
        CONSTRAINT fk_sites_kabupaten FOREIGN KEY (kabupaten_code) REFERENCES admin_areas (code) ON DELETE SET NULL,
        CONSTRAINT fk_sites_kecamatan FOREIGN KEY (kecamatan_code) REFERENCES admin_areas (code) ON DELETE SET NULL,
        CONSTRAINT fk_sites_desa FOREIGN KEY (desa_code) REFERENCES admin_areas (code) ON DELETE SET NULL
      )`);
    await q.query(`CREATE INDEX idx_sites_location ON sites USING gist (location)`);
    await q.query(`CREATE INDEX idx_sites_kecamatan ON sites (kecamatan_code)`);
    await q.query(`CREATE INDEX idx_sites_phase ON sites (phase_id)`);

    await q.query(`
      CREATE TABLE status_changes (
        id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        segment_id   uuid NULL,
        node_id      uuid NULL,
        from_status  varchar(20) NULL,
        to_status    varchar(20) NOT NULL,
        changed_at   timestamptz NOT NULL DEFAULT now(),
        device_time  timestamptz NULL,
        changed_by   text NOT NULL,
        note         text NULL,
        CONSTRAINT fk_status_changes_segment FOREIGN KEY (segment_id) REFERENCES segments (id) ON DELETE CASCADE,
        CONSTRAINT fk_status_changes_node FOREIGN KEY (node_id) REFERENCES nodes (id) ON DELETE CASCADE,
        CONSTRAINT chk_status_changes_one_subject CHECK (num_nonnulls(segment_id, node_id) = 1),
        CONSTRAINT chk_status_changes_from CHECK (from_status IS NULL OR from_status IN ${statusCheck}),
        CONSTRAINT chk_status_changes_to CHECK (to_status IN ${statusCheck})
      )`);
    await q.query(`CREATE INDEX idx_status_changes_segment ON status_changes (segment_id, changed_at)`);
    await q.query(`CREATE INDEX idx_status_changes_node ON status_changes (node_id, changed_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS status_changes`);
    await q.query(`DROP TABLE IF EXISTS sites`);
    await q.query(`DROP TABLE IF EXISTS segments`);
    await q.query(`DROP TABLE IF EXISTS nodes`);
    await q.query(`DROP TABLE IF EXISTS phases`);
    await q.query(`DROP TABLE IF EXISTS admin_areas`);
    // The postgis extension stays: other schemas in the same database may use it.
  }
}
