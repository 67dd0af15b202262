import { Injectable } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { importsQueue, JobHandlers, JobHandlersMissingError, maintenanceQueue, QueueConsumer } from '@serat/jobs';
import { QueueConsumers } from './queue-consumers';

@Injectable()
class CompleteMaintenance implements QueueConsumer<typeof maintenanceQueue> {
  readonly queue = maintenanceQueue;
  readonly handlers: JobHandlers<typeof maintenanceQueue> = {
    'areas.recompute-membership': async () => null,
    'photos.purge-unlinked': async () => null,
    'rollups.compact': async () => null,
    'progress.snapshot': async () => null,
    'milestones.evidence-pack': async () => null,
    'evidence-packs.expire': async () => null,
    'monitors.partitions': async () => null,
  };
}

/** A consumer whose map lost a handler on the way (built with a cast): only the start-up check sees it. */
@Injectable()
class ImportsWithoutCommit implements QueueConsumer<typeof importsQueue> {
  readonly queue = importsQueue;
  readonly handlers = { 'import.analyse': async () => null } as unknown as JobHandlers<typeof importsQueue>;
}

/**
 * The worker's wiring without Redis or a database: the check runs before any queue is touched.
 * A boot that failed has nothing to close (and Nest's close would only repeat the failure).
 */
async function boot(consumers: (typeof CompleteMaintenance | typeof ImportsWithoutCommit)[]): Promise<unknown> {
  const module = await Test.createTestingModule({ providers: QueueConsumers.providers([maintenanceQueue, importsQueue], consumers) }).compile();
  return module.init().then(
    () => module.close(),
    (error: unknown) => error,
  );
}

describe("the worker's start-up check of its job handlers", () => {
  it('stops the boot, before any job is taken, when a job name of a consumed queue has no handler', async () => {
    const error = await boot([CompleteMaintenance, ImportsWithoutCommit]);
    expect(error).toBeInstanceOf(JobHandlersMissingError);
    // One line, as main.ts prints it.
    expect((error as Error).message).toBe('The worker cannot run every job of the queues it consumes: job import.commit of queue imports has no handler');
  });

  it('stops the boot when a consumed queue has no consumer at all', async () => {
    expect(((await boot([CompleteMaintenance])) as Error).message).toBe('The worker cannot run every job of the queues it consumes: queue imports has no consumer');
  });

  it('lets a worker through whose every consumed job has a handler', async () => {
    const module = await Test.createTestingModule({ providers: QueueConsumers.providers([maintenanceQueue], [CompleteMaintenance]) }).compile();
    expect(() => module.get(QueueConsumers).onModuleInit()).not.toThrow();
    await module.close();
  });
});
