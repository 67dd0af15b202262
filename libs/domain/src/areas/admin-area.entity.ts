import type { MultiPolygon } from 'geojson';
import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { AdminLevel } from '../network/network-vocabulary';

/** A kabupaten, kecamatan or desa/kelurahan, keyed by its Kemendagri code (e.g. 62.02.05.1001). */
@Entity({ name: 'admin_areas' })
export class AdminArea {
  @PrimaryColumn({ type: 'varchar', length: 20 })
  code: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'varchar', length: 16 })
  level: AdminLevel;

  @Column({ name: 'parent_code', type: 'varchar', length: 20, nullable: true })
  parentCode: string | null;

  /** WGS84 lon/lat (SRID 4326). */
  @Column({ type: 'geometry', spatialFeatureType: 'MultiPolygon', srid: 4326 })
  geom: MultiPolygon;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
