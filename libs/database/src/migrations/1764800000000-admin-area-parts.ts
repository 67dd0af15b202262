import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Admin area polygons cut into pieces of at most 128 vertices (ST_Subdivide). Point-in-polygon
 * and line-crossing queries against small pieces use the GiST index well and avoid testing
 * against a whole complex desa boundary; a province's thousands of desa stay fast.
 */
export class AdminAreaParts1764800000000 implements MigrationInterface {
  name = 'AdminAreaParts1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE admin_area_parts (
        id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        area_code  varchar(20) NOT NULL,
        level      varchar(16) NOT NULL,
        geom       geometry(Polygon, 4326) NOT NULL,
        CONSTRAINT fk_admin_area_parts_area FOREIGN KEY (area_code) REFERENCES admin_areas (code) ON DELETE CASCADE
      )`);
    await q.query(`CREATE INDEX idx_admin_area_parts_geom ON admin_area_parts USING gist (geom)`);
    await q.query(`CREATE INDEX idx_admin_area_parts_area ON admin_area_parts (area_code)`);
    await q.query(`
      INSERT INTO admin_area_parts (area_code, level, geom)
      SELECT a.code, a.level, ST_Subdivide(a.geom, 128) FROM admin_areas a`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE admin_area_parts`);
  }
}
