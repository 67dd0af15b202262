import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { NetworkStatus } from './network-vocabulary';

/** One move in the status history of a segment or a node (exactly one of the two is set). */
@Entity({ name: 'status_changes' })
export class StatusChange {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'segment_id', type: 'uuid', nullable: true })
  segmentId: string | null;

  @Column({ name: 'node_id', type: 'uuid', nullable: true })
  nodeId: string | null;

  @Column({ name: 'from_status', type: 'varchar', length: 20, nullable: true })
  fromStatus: NetworkStatus | null;

  @Column({ name: 'to_status', type: 'varchar', length: 20 })
  toStatus: NetworkStatus;

  /** Server time (UTC). */
  @Column({ name: 'changed_at', type: 'timestamptz', default: () => 'now()' })
  changedAt: Date;

  /** The time on the technician's device when the change was made (offline edits). */
  @Column({ name: 'device_time', type: 'timestamptz', nullable: true })
  deviceTime: Date | null;

  @Column({ name: 'changed_by', type: 'text' })
  changedBy: string;

  @Column({ type: 'text', nullable: true })
  note: string | null;
}
