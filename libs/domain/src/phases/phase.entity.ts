import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** A work package, e.g. "Tahap 1 (TA 2018): 36 SOPD". */
@Entity({ name: 'phases' })
export class Phase {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 40, unique: true })
  code: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ name: 'budget_year', type: 'integer', nullable: true })
  budgetYear: number | null;

  /** A calendar date (YYYY-MM-DD), no time zone. */
  @Column({ name: 'target_date', type: 'date', nullable: true })
  targetDate: string | null;

  /** Rupiah; bigint comes back from pg as a string. */
  @Column({ name: 'budget_idr', type: 'bigint', nullable: true })
  budgetIdr: string | null;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
