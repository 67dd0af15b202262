import type { Point } from 'geojson';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import type { NetworkStatus, NodeKind, NodeOwner } from './network-vocabulary';

/** A point of the network: NOC, OLT, ODC, ODP, joint closure, handhole, pole or termination. */
@Entity({ name: 'nodes' })
export class NetworkNode {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 60, unique: true })
  code: string;

  @Column({ type: 'text', nullable: true })
  name: string | null;

  @Column({ type: 'varchar', length: 20 })
  kind: NodeKind;

  /** WGS84 lon/lat (SRID 4326). */
  @Column({ type: 'geometry', spatialFeatureType: 'Point', srid: 4326 })
  location: Point;

  @Column({ type: 'varchar', length: 20, default: 'planned' })
  status: NetworkStatus;

  @Column({ type: 'varchar', length: 20, nullable: true })
  owner: NodeOwner | null;

  /** Derived from the admin area polygons by AreasRepository, never typed in. */
  @Column({ name: 'kabupaten_code', type: 'varchar', length: 20, nullable: true, insert: false, update: false })
  kabupatenCode: string | null;

  @Column({ name: 'kecamatan_code', type: 'varchar', length: 20, nullable: true, insert: false, update: false })
  kecamatanCode: string | null;

  @Column({ name: 'desa_code', type: 'varchar', length: 20, nullable: true, insert: false, update: false })
  desaCode: string | null;

  @VersionColumn()
  version: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
