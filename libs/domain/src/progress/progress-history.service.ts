import { Inject, Injectable } from '@nestjs/common';
import { SERAT_CONFIG, SeratConfig } from '@serat/config';
import type { SnapshotTaken } from '@serat/contract';
import type { EntityManager } from 'typeorm';
import { ConnectivityRepository } from '../network/connectivity.repository';
import { UnitOfWork } from '../shared/transaction';
import { ALL_PHASES, dayFormat, earliestConnection, localDay, replayHistory } from './progress-backfill';
import { ProgressHistoryRepository } from './progress-history.repository';
import { ProgressRepository } from './progress.repository';

/**
 * The history of progress: today's snapshot (the daily job, or someone asking), and, the first
 * time, the past worked out of the status history (the back-fill), so existing data has a past.
 */
@Injectable()
export class ProgressHistoryService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly progress: ProgressRepository,
    private readonly reads: ProgressHistoryRepository,
    private readonly connectivity: ConnectivityRepository,
    @Inject(SERAT_CONFIG) private readonly config: SeratConfig,
  ) {}

  /** The region's time zone: where a day of the history begins and ends. */
  get timeZone(): string {
    return this.config.timeZone;
  }

  /** The region's yesterday (YYYY-MM-DD). */
  private dayBefore(): string {
    return localDay(dayFormat(this.timeZone), Date.now() - 86400000);
  }

  /** Today's date in the region (YYYY-MM-DD). */
  today(now: Date = new Date()): string {
    return localDay(dayFormat(this.timeZone), now.getTime());
  }

  /** Records today's figures; the first time, works out the past first. Safe to run from many processes at once. */
  async takeSnapshot(source: 'daily' | 'on_demand'): Promise<SnapshotTaken> {
    const backfill = await this.ensureBackfill();
    const day = this.today();
    const rows = await this.progress.snapshot(day, source);
    return { day, rows, backfill };
  }

  /**
   * Works out the past when nothing has been recorded yet, or does nothing (null). One process at
   * a time (the snapshot lock); the one that waited finds the history there and does nothing.
   * All in one transaction: a failure leaves no half of a past.
   */
  async ensureBackfill(): Promise<SnapshotTaken['backfill']> {
    if (await this.progress.hasHistory()) return null;
    // "Connected" as of now, before its dates are worked out.
    await this.connectivity.refresh();
    return this.unitOfWork.run(async (manager) => {
      if (await this.progress.lockAndCheckHistory(manager)) return null;
      const nodesDated = await this.dateConnections(manager);
      const result = await replayHistory({
        segments: await this.reads.segments(manager),
        nodes: await this.reads.nodes(manager),
        sites: await this.reads.sites(manager),
        events: this.reads.events(manager),
        timeZone: this.timeZone,
        today: this.today(),
        emit: async (snapshots) => {
          await this.progress.writeBackfill(snapshots, manager);
        },
      });
      // Nothing before today (a new network): the region had nothing the day before, which also
      // says the past has been worked out, so it is not worked out again on every read.
      if (result.rows === 0) await this.progress.writeBackfill([{ day: this.dayBefore(), level: 'region', areaCode: '', phaseKey: ALL_PHASES, figures: [] }], manager);
      return { ...result, nodesDated };
    });
  }

  /**
   * When each connected node joined a NOC, from the status history of the segments that connect
   * it now (earliestConnection); a node dated later than that (connected before the progress
   * migration, or by a refresh that ran late) gets the earlier date. Returns the nodes re-dated.
   */
  private async dateConnections(manager: EntityManager): Promise<number> {
    const dated = earliestConnection(await this.reads.activeEdges(manager), await this.reads.activeRoots(manager));
    return this.connectivity.dateEarlier(dated, manager);
  }
}
