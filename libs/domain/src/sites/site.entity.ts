import type { Point } from 'geojson';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import type { SiteKind } from '../network/network-vocabulary';

/** A place the network must reach: an agency office (SOPD), a kantor kecamatan, later desa offices. */
@Entity({ name: 'sites' })
export class Site {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 60, unique: true })
  code: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ name: 'short_name', type: 'text', nullable: true })
  shortName: string | null;

  @Column({ type: 'varchar', length: 20 })
  kind: SiteKind;

  /** WGS84 lon/lat (SRID 4326). */
  @Column({ type: 'geometry', spatialFeatureType: 'Point', srid: 4326 })
  location: Point;

  /** Derived from the admin area polygons by AreasRepository, never typed in. */
  @Column({ name: 'kabupaten_code', type: 'varchar', length: 20, nullable: true, insert: false, update: false })
  kabupatenCode: string | null;

  @Column({ name: 'kecamatan_code', type: 'varchar', length: 20, nullable: true, insert: false, update: false })
  kecamatanCode: string | null;

  @Column({ name: 'desa_code', type: 'varchar', length: 20, nullable: true, insert: false, update: false })
  desaCode: string | null;

  @Column({ name: 'phase_id', type: 'uuid', nullable: true })
  phaseId: string | null;

  @Column({ name: 'termination_node_id', type: 'uuid', nullable: true })
  terminationNodeId: string | null;

  /** Monthly commercial ISP bill in Rupiah; bigint comes back from pg as a string. */
  @Column({ name: 'cost_idr_per_month', type: 'bigint', nullable: true })
  costIdrPerMonth: string | null;

  @Column({ name: 'is_demo', type: 'boolean', default: false })
  isDemo: boolean;

  @VersionColumn()
  version: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
