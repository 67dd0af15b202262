import { Process, Processor } from '@nestjs/bull';
import { Logger } from '@nestjs/common';
import { ImportsRepository, ImportsService } from '@serat/domain';
import { IMPORTS_QUEUE, isImportJobName, parseImportPayload } from '@serat/jobs';
import type { Job } from 'bull';

/** Runs imports: the dry run and the commit. Progress goes to the imports table, where the api reads it. */
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
    let last = -1;
    const progress = async (percent: number) => {
      const rounded = Math.floor(percent);
      if (rounded === last) return;
      last = rounded;
      await this.repo.progress(payload.importId, rounded);
      await job.progress(rounded);
    };
    const payload = parseImportPayload(job.name, job.data);
    const result =
      job.name === 'import.analyse'
        ? await this.imports.analyse(payload.importId, progress)
        : await this.imports.commit(payload.importId, progress, parseImportPayload('import.commit', job.data).actor);
    this.logger.log({ job: job.name, importId: payload.importId, ms: Date.now() - started, result }, 'import job done');
    return result;
  }
}
