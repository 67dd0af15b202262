import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The job an import's state belongs to. The api writes it together with the state it queues a
 * job for (queued, committing); a worker moves the state on, and writes progress and results,
 * only while the row still names its job. So a job delivered late (a stale re-delivery, a run
 * superseded by a new mapping) can never overwrite a newer run's result or commit an analysis
 * nobody asked to apply.
 */
export class ImportJobs1765200000000 implements MigrationInterface {
  name = 'ImportJobs1765200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE imports ADD COLUMN job_id text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE imports DROP COLUMN job_id`);
  }
}
