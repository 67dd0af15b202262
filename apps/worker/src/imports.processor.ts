import { Injectable } from '@nestjs/common';
import { ImportsRepository, ImportsService } from '@serat/domain';
import { importsQueue, JobContext, JobHandlers, QueueConsumer } from '@serat/jobs';

/** Runs imports: the dry run and the commit. Progress goes to the imports table (dry run) or the job (commit), where the api reads it. */
@Injectable()
export class ImportsProcessor implements QueueConsumer<typeof importsQueue> {
  readonly queue = importsQueue;

  constructor(
    private readonly imports: ImportsService,
    private readonly repo: ImportsRepository,
  ) {}

  // The row names the job its state belongs to; any other job (a stale delivery) does nothing.
  // The dry run writes its progress to the import's row. The commit runs in one transaction, so
  // its progress goes to the job in Redis only (the api reads it there while the import is
  // committing): a write to the row from a second connection would wait for that transaction
  // on the embedded database, and would be a second writer of a row the commit updates.
  readonly handlers: JobHandlers<typeof importsQueue> = {
    'import.analyse': (payload, job) => this.imports.analyse(payload.importId, job.id, this.reporter(job, payload.importId)),
    'import.commit': (payload, job) => this.imports.commit(payload.importId, job.id, this.reporter(job, null), payload.actor),
  };

  /** Reports whole percents, each once: to the row and the job (importId given), or to the job alone. */
  private reporter(job: JobContext, importId: string | null): (percent: number) => Promise<void> {
    let last = -1;
    let sending: Promise<unknown> | null = null;
    return async (percent: number) => {
      const rounded = Math.floor(percent);
      if (rounded === last) return;
      last = rounded;
      if (importId) {
        await this.repo.progress(importId, job.id, rounded);
        await job.progress(rounded);
        return;
      }
      // Inside the commit's transaction: best effort, never awaited, one at a time. A Redis that
      // hangs must not hold the transaction (and on the embedded database every reader with it),
      // nor fail a commit for the sake of a progress bar.
      if (sending) return;
      sending = job
        .progress(rounded)
        .catch(() => undefined)
        .finally(() => (sending = null));
    };
  }
}
