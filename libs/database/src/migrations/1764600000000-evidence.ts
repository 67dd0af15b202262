import { MigrationInterface, QueryRunner } from 'typeorm';

/** Evidence of field work: GPS position and OTDR reading on a status change, and photos. */
export class Evidence1764600000000 implements MigrationInterface {
  name = 'Evidence1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE status_changes
        ADD COLUMN gps geometry(Point, 4326) NULL,
        ADD COLUMN gps_accuracy_m double precision NULL,
        ADD COLUMN otdr_length_m double precision NULL,
        ADD COLUMN otdr_loss_db double precision NULL,
        ADD COLUMN otdr_wavelength_nm integer NULL,
        ADD CONSTRAINT chk_status_changes_gps_accuracy CHECK (gps_accuracy_m IS NULL OR gps_accuracy_m >= 0),
        ADD CONSTRAINT chk_status_changes_otdr CHECK (otdr_length_m IS NULL OR (otdr_length_m >= 0 AND otdr_loss_db IS NOT NULL))`);
    await q.query(`
      CREATE TABLE photos (
        id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        uploaded_by      uuid NOT NULL,
        uploaded_at      timestamptz NOT NULL DEFAULT now(),
        content_type     varchar(40) NOT NULL,
        size_bytes       integer NOT NULL,
        sha256           char(64) NOT NULL,
        width            integer NOT NULL,
        height           integer NOT NULL,
        taken_at         timestamptz NULL,
        -- From the photo's EXIF, when present (WGS84).
        exif_position    geometry(Point, 4326) NULL,
        storage_key      text NOT NULL,
        thumbnail_key    text NOT NULL,
        status_change_id bigint NULL,
        CONSTRAINT fk_photos_uploader FOREIGN KEY (uploaded_by) REFERENCES users (id) ON DELETE RESTRICT,
        CONSTRAINT fk_photos_status_change FOREIGN KEY (status_change_id) REFERENCES status_changes (id) ON DELETE CASCADE,
        CONSTRAINT chk_photos_size CHECK (size_bytes > 0)
      )`);
    await q.query(`CREATE INDEX idx_photos_status_change ON photos (status_change_id)`);
    await q.query(`CREATE INDEX idx_photos_uploader ON photos (uploaded_by, uploaded_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE photos`);
    await q.query(`
      ALTER TABLE status_changes
        DROP CONSTRAINT chk_status_changes_otdr, DROP CONSTRAINT chk_status_changes_gps_accuracy,
        DROP COLUMN otdr_wavelength_nm, DROP COLUMN otdr_loss_db, DROP COLUMN otdr_length_m,
        DROP COLUMN gps_accuracy_m, DROP COLUMN gps`);
  }
}
