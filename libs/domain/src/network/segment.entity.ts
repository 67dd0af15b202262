import type { LineString } from 'geojson';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import type { NetworkStatus, SegmentPlacement, SegmentTier } from './network-vocabulary';

/** One span of cable between two nodes. */
@Entity({ name: 'segments' })
export class Segment {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 60, unique: true })
  code: string;

  @Column({ name: 'from_node_id', type: 'uuid' })
  fromNodeId: string;

  @Column({ name: 'to_node_id', type: 'uuid' })
  toNodeId: string;

  /** WGS84 lon/lat (SRID 4326). */
  @Column({ type: 'geometry', spatialFeatureType: 'LineString', srid: 4326 })
  geom: LineString;

  /** Metres, computed by the database from geom (a generated column): read-only here. */
  @Column({ name: 'length_m', type: 'double precision', insert: false, update: false })
  lengthM: number;

  @Column({ type: 'varchar', length: 20, default: 'aerial' })
  placement: SegmentPlacement;

  @Column({ type: 'varchar', length: 20, default: 'distribution' })
  tier: SegmentTier;

  @Column({ name: 'cable_type', type: 'text', nullable: true })
  cableType: string | null;

  @Column({ name: 'core_count', type: 'integer', nullable: true })
  coreCount: number | null;

  @Column({ type: 'varchar', length: 20, default: 'planned' })
  status: NetworkStatus;

  @Column({ name: 'phase_id', type: 'uuid', nullable: true })
  phaseId: string | null;

  @Column({ type: 'text', nullable: true })
  contractor: string | null;

  @Column({ name: 'slack_m', type: 'double precision', nullable: true })
  slackM: number | null;

  /** Optimistic locking: every update names the version it read. */
  @VersionColumn()
  version: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
