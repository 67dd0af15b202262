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
    const reporter = (stored: boolean) => {
      let last = -1;
      return async (percent: number) => {
        const rounded = Math.floor(percent);
        if (rounded === last) return;
        last = rounded;
        if (stored) await this.repo.progress(payload.importId, rounded);
        await job.progress(rounded);
      };
    };
    // The dry run writes its progress to the import's row. The commit runs in one transaction, so
    // its progress goes to the job in Redis only (the api reads it there while the import is
    // committing): a write to the row from a second connection would wait for that transaction
    // on the embedded database, and would be a second writer of a row the commit updates.
    const result =
      job.name === 'import.analyse'
        ? await this.imports.analyse(payload.importId, reporter(true))
        : await this.imports.commit(payload.importId, reporter(false), parseImportPayload('import.commit', job.data).actor);
    this.logger.log({ job: job.name, importId: payload.importId, ms: Date.now() - started, result }, 'import job done');
    return result;
  }
}
