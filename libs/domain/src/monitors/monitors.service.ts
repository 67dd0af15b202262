import { Inject, Injectable } from '@nestjs/common';
import { SERAT_CONFIG, SeratConfig } from '@serat/config';
import { applyCheck, assertTarget, runCheck, slotOffsetMs, slotsIn, TargetPolicy, TargetRefusedError, type HttpTarget, type TcpTarget } from '@serat/monitoring';
import { randomUUID } from 'node:crypto';
import { AuditContext, AuditRepository, diffFields } from '../audit/audit.repository';
import { DomainError } from '../shared/domain-error';
import { atVersion } from '../shared/row-edits';
import { UnitOfWork } from '../shared/transaction';
import { MonitorFields, MonitorRow, MonitorsRepository, NewResult } from './monitors.repository';

/** Monitors one tick hands to one run job at most. */
export const RUN_CHUNK = 200;
/** Checks one run job has in flight at once. */
export const RUN_CONCURRENCY = 50;

/** A monitor's target as the checks take it; throws MONITOR_TARGET with what is wrong. */
export function parseTarget(
  kind: MonitorFields['kind'],
  target: string,
  http: Pick<MonitorFields, 'httpMethod' | 'expectStatusMin' | 'expectStatusMax' | 'keyword' | 'followRedirects'>,
): TcpTarget | HttpTarget {
  if (kind === 'tcp') {
    const match = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(target.trim());
    const port = match ? Number(match[2]) : NaN;
    if (!match || port < 1 || port > 65535) throw new DomainError('MONITOR_TARGET', { target, expected: 'host:port' });
    return { kind: 'tcp', host: match[1], port };
  }
  let url: URL;
  try {
    url = new URL(target.trim());
  } catch {
    throw new DomainError('MONITOR_TARGET', { target, expected: 'http(s)://…' });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new DomainError('MONITOR_TARGET', { target, expected: 'http(s)://…' });
  return {
    kind: 'http',
    url: url.href,
    method: http.httpMethod ?? 'GET',
    expectStatus: http.expectStatusMin !== null ? [http.expectStatusMin, http.expectStatusMax ?? http.expectStatusMin] : undefined,
    keyword: http.keyword,
    followRedirects: http.followRedirects,
  };
}

/**
 * Monitors of sites' endpoints: set up by planners (checked against the target policy as far as a
 * literal address allows; a name is checked at every connect), run by workers a chunk at a time at
 * their slots, their results recorded in one transaction per chunk with each monitor's state and
 * its outages.
 */
@Injectable()
export class MonitorsService {
  readonly policy: TargetPolicy;

  constructor(
    private readonly monitors: MonitorsRepository,
    private readonly audit: AuditRepository,
    private readonly unitOfWork: UnitOfWork,
    @Inject(SERAT_CONFIG) private readonly config: SeratConfig,
  ) {
    this.policy = new TargetPolicy({ allow: config.monitoring.allowCidrs, deny: config.monitoring.denyCidrs });
  }

  private check(fields: MonitorFields): void {
    if (fields.intervalS < this.config.monitoring.minIntervalS) throw new DomainError('MONITOR_INTERVAL', { min: this.config.monitoring.minIntervalS });
    // Every attempt of a check inside its interval, so checks of one monitor never overlap.
    if (fields.timeoutMs * (fields.retries + 1) >= fields.intervalS * 1000) throw new DomainError('MONITOR_TIMEOUT', { intervalS: fields.intervalS });
    const target = parseTarget(fields.kind, fields.target, fields);
    try {
      assertTarget(this.policy, target.kind === 'tcp' ? target.host : new URL(target.url).hostname);
    } catch (error) {
      if (error instanceof TargetRefusedError) throw new DomainError('MONITOR_TARGET_REFUSED', { address: error.address });
      throw error;
    }
  }

  async create(fields: MonitorFields, context: AuditContext): Promise<MonitorRow> {
    this.check(fields);
    const id = randomUUID();
    await this.unitOfWork.run(async (manager) => {
      if (!(await this.monitors.siteExists(fields.siteId, manager))) throw new DomainError('MONITOR_SITE_UNKNOWN');
      await this.monitors.insert(id, fields, slotOffsetMs(id, fields.intervalS * 1000), manager);
      await this.audit.append({ action: 'create', entityType: 'monitor', entityId: id, changes: diffFields({} as MonitorFields, fields) }, context, manager);
    });
    return (await this.monitors.find(id))!;
  }

  async update(id: string, version: number, fields: Partial<MonitorFields>, context: AuditContext): Promise<MonitorRow> {
    await this.unitOfWork.run(async (manager) => {
      const before = await atVersion(this.monitors.find(id, manager, true), version);
      const was: MonitorFields = {
        siteId: before.siteId,
        name: before.name,
        kind: before.kind,
        target: before.target,
        httpMethod: before.httpMethod,
        expectStatusMin: before.expectStatusMin,
        expectStatusMax: before.expectStatusMax,
        keyword: before.keyword,
        followRedirects: before.followRedirects,
        intervalS: before.intervalS,
        timeoutMs: before.timeoutMs,
        retries: before.retries,
        paused: before.paused,
      };
      const merged = { ...was, ...Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) } as MonitorFields;
      this.check(merged);
      if (merged.siteId !== was.siteId && !(await this.monitors.siteExists(merged.siteId, manager))) throw new DomainError('MONITOR_SITE_UNKNOWN');
      await this.monitors.update(id, fields, slotOffsetMs(id, merged.intervalS * 1000), manager);
      await this.audit.append({ action: 'update', entityType: 'monitor', entityId: id, changes: diffFields(was, merged) }, context, manager);
    });
    return (await this.monitors.find(id))!;
  }

  async remove(id: string, version: number | null, context: AuditContext): Promise<void> {
    await this.unitOfWork.run(async (manager) => {
      const before = version === null ? await this.monitors.find(id, manager, true) : await atVersion(this.monitors.find(id, manager, true), version);
      if (!before) throw new DomainError('NOT_FOUND');
      await this.monitors.remove(id, manager);
      await this.audit.append({ action: 'delete', entityType: 'monitor', entityId: id, changes: { target: { before: before.target, after: null } } }, context, manager);
    });
  }

  /** The tick: the next stretch of the schedule, and the monitors due in it in chunks. */
  async planTick(): Promise<{ window: { from: number; to: number; skippedMs: number } | null; chunks: string[][] }> {
    const window = await this.monitors.claimWindow();
    if (!window) return { window: null, chunks: [] };
    const chunks: string[][] = [];
    let after: string | null = null;
    for (;;) {
      const due = await this.monitors.dueIn(window.from, window.to, RUN_CHUNK, after);
      if (due.length === 0) break;
      chunks.push(due.map((row) => row.id));
      if (due.length < RUN_CHUNK) break;
      after = due[due.length - 1].id;
    }
    return { window, chunks };
  }

  /**
   * One chunk of a window: each monitor's check starts at its slot (waiting for it inside the
   * window), at most RUN_CONCURRENCY at once; then all results are recorded together, each
   * monitor's state moved on, outages opened and closed. A slot recorded before stays as it was.
   */
  async runChunk(
    windowStart: number,
    windowEnd: number,
    ids: string[],
    sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms)),
  ): Promise<{ checked: number; recorded: number; up: number; down: number }> {
    const monitors = (await this.monitors.findMany(ids)).filter((monitor) => !monitor.paused);
    // Every slot of each monitor in the window (a window caught up after the workers were away is longer than a short interval).
    const jobs = monitors.flatMap((monitor) => slotsIn(windowStart, windowEnd, monitor.slotMs, monitor.intervalS * 1000).map((slot) => ({ monitor, slot })));
    jobs.sort((a, b) => a.slot - b.slot);
    const results: NewResult[] = [];
    let next = 0;
    const worker = async () => {
      while (next < jobs.length) {
        const { monitor, slot } = jobs[next++];
        const wait = slot - Date.now();
        if (wait > 0) await sleep(wait);
        let target: TcpTarget | HttpTarget;
        try {
          target = parseTarget(monitor.kind, monitor.target, monitor);
        } catch {
          results.push(this.failed(monitor.id, slot, 'BAD_TARGET', `${monitor.target} cannot be checked`));
          continue;
        }
        let result: Awaited<ReturnType<typeof runCheck>>;
        try {
          result = await runCheck(target, { timeoutMs: monitor.timeoutMs, retries: monitor.retries, policy: this.policy });
        } catch (error) {
          // Whatever one endpoint does, the rest of the chunk is recorded.
          results.push(this.failed(monitor.id, slot, 'ERROR', (error as Error).message ?? String(error)));
          continue;
        }
        results.push({
          monitorId: monitor.id,
          slotAt: new Date(slot).toISOString(),
          checkedAt: new Date().toISOString(),
          ok: result.ok,
          latencyMs: result.latencyMs,
          connectMs: result.connectMs,
          tlsMs: result.tlsMs,
          firstByteMs: result.firstByteMs,
          statusCode: result.statusCode,
          error: result.error,
          detail: result.detail,
          certDaysLeft: result.certDaysLeft,
          attempts: result.attempts,
        });
      }
    };
    await Promise.all(Array.from({ length: Math.min(RUN_CONCURRENCY, jobs.length) }, worker));
    return this.record(results);
  }

  /** The stretch back to the schedule: its runs could not be queued. */
  releaseWindow(window: { from: number; to: number }): Promise<void> {
    return this.monitors.releaseWindow(window.from, window.to);
  }

  private failed(monitorId: string, slot: number, error: string, detail: string): NewResult {
    const now = new Date().toISOString();
    return {
      monitorId,
      slotAt: new Date(slot).toISOString(),
      checkedAt: now,
      ok: false,
      latencyMs: null,
      connectMs: null,
      tlsMs: null,
      firstByteMs: null,
      statusCode: null,
      error,
      detail,
      certDaysLeft: null,
      attempts: 1,
    };
  }

  /** Records results and moves each monitor's state on, in one transaction. */
  async record(results: NewResult[]): Promise<{ checked: number; recorded: number; up: number; down: number }> {
    if (results.length === 0) return { checked: 0, recorded: 0, up: 0, down: 0 };
    const rules = { downAfter: this.config.monitoring.downAfter, upAfter: this.config.monitoring.upAfter };
    return this.unitOfWork.run(async (manager) => {
      const ids = [...new Set(results.map((r) => r.monitorId))].sort();
      // The monitors first, then their states: the order a removal takes them in too.
      const states = await this.monitors.lockStates(ids, manager);
      const fresh = await this.monitors.insertResults(results, manager);
      let up = 0;
      let down = 0;
      const ordered = [...results].sort((a, b) => a.slotAt.localeCompare(b.slotAt));
      for (const result of ordered) {
        const key = `${result.monitorId}|${result.slotAt}`;
        const current = states.get(result.monitorId);
        // A slot older than the last one recorded (a run that overlapped a later one) is kept as a result, not replayed into the state.
        if (!fresh.has(key) || !current || (current.lastSlotAt !== null && result.slotAt <= current.lastSlotAt)) continue;
        const step = applyCheck(current, result.ok, rules);
        const since = step.changed ? result.slotAt : current.since;
        if (step.changed?.to === 'down') {
          down++;
          await this.monitors.openOutage(result.monitorId, result.slotAt, result.detail ?? result.error, manager);
        }
        if (step.changed?.to === 'up') {
          up++;
          await this.monitors.closeOutage(result.monitorId, result.slotAt, manager);
        }
        const next = { ...step.next, since, lastSlotAt: result.slotAt };
        states.set(result.monitorId, next);
        await this.monitors.saveState(
          result.monitorId,
          next,
          { slotAt: result.slotAt, checkedAt: result.checkedAt, ok: result.ok, latencyMs: result.latencyMs, error: result.error },
          manager,
        );
      }
      return { checked: results.length, recorded: fresh.size, up, down };
    });
  }
}
