import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import { MonitorsService } from '@serat/domain';
import { JobHandlers, monitoringQueue, MonitoringJobResults, QueueConsumer, QueueProducer } from '@serat/jobs';
import type { Queue } from 'bull';

/**
 * Consumes the monitoring queue: the tick (every 5 s, one worker per occurrence) claims the next
 * stretch of the schedule and sends a run job per chunk of the monitors due in it, with an id
 * made of the stretch and the chunk, so a tick that runs twice sends nothing twice; any worker
 * takes a run, checks each monitor at its slot, and records the chunk's results at once.
 */
@Injectable()
export class MonitoringProcessor implements QueueConsumer<typeof monitoringQueue> {
  readonly queue = monitoringQueue;
  private readonly producer: QueueProducer<typeof monitoringQueue>;

  constructor(
    private readonly monitors: MonitorsService,
    @InjectQueue(monitoringQueue.name) queue: Queue,
  ) {
    this.producer = new QueueProducer(monitoringQueue, queue);
  }

  readonly handlers: JobHandlers<typeof monitoringQueue, MonitoringJobResults> = {
    'monitors.tick': async () => {
      const { window, chunks } = await this.monitors.planTick();
      if (!window) return { windowStart: 0, windowEnd: 0, due: 0, chunks: 0, skippedMs: 0 };
      try {
        for (const [index, monitorIds] of chunks.entries()) {
          const id = monitoringQueue.jobId('monitors.run', { window: String(window.from), chunk: String(index) });
          await this.producer.add('monitors.run', { windowStart: window.from, windowEnd: window.to, monitorIds }, id);
        }
      } catch (error) {
        // Redis went away meanwhile: the stretch goes back, and the next tick queues it again (the same ids: nothing twice).
        await this.monitors.releaseWindow(window);
        throw error;
      }
      return { windowStart: window.from, windowEnd: window.to, due: chunks.reduce((n, chunk) => n + chunk.length, 0), chunks: chunks.length, skippedMs: window.skippedMs };
    },
    'monitors.run': (payload) => this.monitors.runChunk(payload.windowStart, payload.windowEnd, payload.monitorIds),
  };
}
