import { Process, Processor } from '@nestjs/bull';
import { Logger } from '@nestjs/common';
import { ImportsRepository, ImportsService } from '@serat/domain';
import { IMPORTS_QUEUE, isImportJobName, parseImportPayload } from '@serat/jobs';
import type { Job } from 'bull';

/** Runs imports: the dry run and the commit. Progress goes to the imports table (dry run) or the job (commit), where the api reads it. */
@Processor(IMPORTS_QUEUE)
export class ImportsProcessor {
  private readonly logger = new Logger(ImportsProcessor.name);

  constructor(
    private readonly imports: ImportsService,
    private readonly repo: ImportsRepository,
  ) {}

  // One import at a time per worker: an import holds a whole file in memory.
  @Process({ name: '*', concurrency: 1 })
  async process(job: Job): Promise<unknown> {
    if (!isImportJobName(job.name)) throw new Error(`No handler for job "${job.name}" on queue ${IMPORTS_QUEUE}`);
    const started = Date.now();
    const payload = parseImportPayload(job.name, job.data);
    // The row names the job its state belongs to; any other job (a stale delivery) does nothing.
    const jobId = String(job.id);
    const reporter = (stored: boolean) => {
      let last = -1;
      let sending: Promise<unknown> | null = null;
      return async (percent: number) => {
        const rounded = Math.floor(percent);
        if (rounded === last) return;
        last = rounded;
        if (stored) {
          await this.repo.progress(payload.importId, jobId, rounded);
          await job.progress(rounded);
          return;
        }
        // Inside the commit's transaction: best effort, never awaited, one at a time. A Redis that
        // hangs must not hold the transaction (and on the embedded database every reader with it),
        // nor fail a commit for the sake of a progress bar.
        if (sending) return;
        sending = job.progress(rounded).catch(() => undefined).finally(() => (sending = null));
      };
    };
    // The dry run writes its progress to the import's row. The commit runs in one transaction, so
    // its progress goes to the job in Redis only (the api reads it there while the import is
    // committing): a write to the row from a second connection would wait for that transaction
    // on the embedded database, and would be a second writer of a row the commit updates.
    const result =
      job.name === 'import.analyse'
        ? await this.imports.analyse(payload.importId, jobId, reporter(true))
        : await this.imports.commit(payload.importId, jobId, reporter(false), parseImportPayload('import.commit', job.data).actor);
    this.logger.log({ job: job.name, importId: payload.importId, ms: Date.now() - started, result }, 'import job done');
    return result;
  }
}
