import { MigrationInterface, QueryRunner } from 'typeorm';

/** The kecamatan and desa each segment crosses, with the metres of cable inside each. */
export class SegmentAreas1764500000000 implements MigrationInterface {
  name = 'SegmentAreas1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE segment_areas (
        segment_id  uuid NOT NULL,
        area_code   varchar(20) NOT NULL,
        level       varchar(16) NOT NULL,
        length_m    double precision NOT NULL,
        CONSTRAINT pk_segment_areas PRIMARY KEY (segment_id, area_code),
        CONSTRAINT fk_segment_areas_segment FOREIGN KEY (segment_id) REFERENCES segments (id) ON DELETE CASCADE,
        CONSTRAINT fk_segment_areas_area FOREIGN KEY (area_code) REFERENCES admin_areas (code) ON DELETE CASCADE,
        CONSTRAINT chk_segment_areas_length CHECK (length_m >= 0)
      )`);
    await q.query(`CREATE INDEX idx_segment_areas_area ON segment_areas (area_code)`);
    // Existing segments get theirs now; later changes recompute them in the same transaction.
    await q.query(`
      INSERT INTO segment_areas (segment_id, area_code, level, length_m)
      SELECT s.id, a.code, a.level, ST_Length(ST_Intersection(s.geom, a.geom)::geography, false)
        FROM segments s JOIN admin_areas a ON a.level IN ('kecamatan', 'desa') AND ST_Intersects(s.geom, a.geom)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE segment_areas`);
  }
}
