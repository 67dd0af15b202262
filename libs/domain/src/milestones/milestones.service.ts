import { Inject, Injectable } from '@nestjs/common';
import { SERAT_CONFIG, SeratConfig } from '@serat/config';
import type { Milestone, MilestoneDetail, MilestoneEvaluation, MilestoneThreadEntry, ProgressPoint, ReviewVerdict } from '@serat/contract';
import { AuditContext, AuditRepository, diffFields } from '../audit/audit.repository';
import { ProgressHistoryService } from '../progress/progress-history.service';
import { ProgressRepository } from '../progress/progress.repository';
import { DomainError } from '../shared/domain-error';
import { atVersion, withUniqueCode } from '../shared/row-edits';
import { UnitOfWork } from '../shared/transaction';
import { evaluateMilestone } from './milestone-evaluation';
import { MilestoneFields, MilestoneRow, MilestonesRepository } from './milestones.repository';

/** Days of history read at a time while evaluating. */
const HISTORY_PAGE = 5000;
/** Photos a milestone page lists. */
const PHOTO_LIST_MAX = 200;

type HistoryKey = { level: 'region' | 'kabupaten' | 'kecamatan'; areaCode: string; phaseId: string | null };

/** The history a criterion is read from: the phase's over the whole region, or all phases in the area. */
function historyKey(row: Pick<MilestoneRow, 'criterion' | 'phaseId' | 'areaCode' | 'areaLevel'>): HistoryKey | null {
  if (row.criterion === 'manual') return null;
  if (row.criterion === 'km_active') return { level: row.areaLevel === 'kabupaten' ? 'kabupaten' : 'kecamatan', areaCode: row.areaCode ?? '', phaseId: null };
  return { level: 'region', areaCode: '', phaseId: row.phaseId };
}

/**
 * Milestones: planners set them up, Serat works out where each stands from the progress history
 * (evaluateMilestone), mentors review them and planners answer, each entry audited and kept.
 * An approval needs the milestone achieved and the evidence its criterion names present.
 */
@Injectable()
export class MilestonesService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly milestones: MilestonesRepository,
    private readonly audit: AuditRepository,
    private readonly progress: ProgressRepository,
    private readonly history: ProgressHistoryService,
    @Inject(SERAT_CONFIG) private readonly config: SeratConfig,
  ) {}

  /** The checks the database would make too, as errors a planner can act on. */
  private async check(fields: MilestoneFields, manager: Parameters<MilestonesRepository['phaseExists']>[1]): Promise<void> {
    const { criterion, targetValue } = fields;
    if ((criterion === 'sites_connected' || criterion === 'segments_tested') && fields.phaseId === null) throw new DomainError('MILESTONE_NEEDS_PHASE');
    const valueFits =
      criterion === 'sites_connected'
        ? targetValue !== null && targetValue > 0 && targetValue <= 100
        : criterion === 'km_active'
          ? targetValue !== null && targetValue > 0
          : targetValue === null;
    if (!valueFits) throw new DomainError('MILESTONE_TARGET_VALUE');
    if (fields.phaseId !== null && !(await this.milestones.phaseExists(fields.phaseId, manager))) throw new DomainError('PHASE_UNKNOWN');
    if (criterion === 'km_active' && fields.areaCode === null) throw new DomainError('MILESTONE_NEEDS_AREA');
    if (fields.areaCode !== null) {
      const level = await this.milestones.areaLevel(fields.areaCode, manager);
      if (level === null) throw new DomainError('AREA_UNKNOWN', { code: fields.areaCode });
      if (criterion === 'km_active' && level !== 'kabupaten' && level !== 'kecamatan') throw new DomainError('MILESTONE_AREA_LEVEL', { code: fields.areaCode });
    }
  }

  async create(fields: MilestoneFields, context: AuditContext): Promise<MilestoneDetail> {
    const id = await this.unitOfWork.run(async (manager) => {
      await this.check(fields, manager);
      let created = '';
      await withUniqueCode(fields.code, async () => (created = await this.milestones.insert(fields, manager)));
      await this.audit.append({ action: 'create', entityType: 'milestone', entityId: created, changes: diffFields({} as MilestoneFields, fields) }, context, manager);
      return created;
    });
    return (await this.detail(id))!;
  }

  async update(id: string, version: number, fields: Partial<MilestoneFields>, context: AuditContext): Promise<MilestoneDetail> {
    await this.unitOfWork.run(async (manager) => {
      const before = await atVersion(this.milestones.find(id, manager, true), version);
      const was: MilestoneFields = {
        code: before.code,
        title: before.title,
        description: before.description,
        category: before.category,
        phaseId: before.phaseId,
        areaCode: before.areaCode,
        targetDate: before.targetDate,
        criterion: before.criterion,
        targetValue: before.targetValue,
        siteKind: before.siteKind,
        requiredEvidence: before.requiredEvidence,
      };
      const merged = { ...was, ...Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) } as MilestoneFields;
      await this.check(merged, manager);
      await withUniqueCode(fields.code, () => this.milestones.update(id, fields, manager));
      await this.audit.append({ action: 'update', entityType: 'milestone', entityId: id, changes: diffFields(was, merged) }, context, manager);
    });
    return (await this.detail(id))!;
  }

  /** Where each milestone stands today: the history of each criterion read once for all that share it. */
  async evaluate(rows: MilestoneRow[]): Promise<Milestone[]> {
    const today = this.history.today();
    const windowDays = this.config.progress.forecastWindowDays;
    if (rows.some((row) => row.criterion !== 'manual')) await this.history.ensureBackfill();
    const series = new Map<string, ProgressPoint[]>();
    const evaluated: Milestone[] = [];
    for (const row of rows) {
      const key = historyKey(row);
      let points: ProgressPoint[] = [];
      if (key) {
        const name = `${key.level}|${key.areaCode}|${key.phaseId ?? ''}`;
        if (!series.has(name)) series.set(name, await this.points(key, today));
        points = series.get(name)!;
      }
      const evaluation: MilestoneEvaluation = evaluateMilestone(row, points, today, windowDays);
      const { areaLevel: _level, ...milestone } = row;
      evaluated.push({ ...milestone, evaluation });
    }
    return evaluated;
  }

  /** Every recorded day of one history, with today's live figures as the last. */
  private async points(key: HistoryKey, today: string): Promise<ProgressPoint[]> {
    const points: ProgressPoint[] = [];
    let after: string | null = null;
    do {
      const page = await this.progress.history({ ...key, from: null, to: null, after, limit: HISTORY_PAGE });
      points.push(...page.points);
      after = page.nextCursor;
    } while (after !== null);
    if (points[points.length - 1]?.day === today) points.pop();
    points.push(await this.progress.livePoint(key.level, key.areaCode, key.phaseId, today));
    return points;
  }

  /** One milestone with its evaluation, its evidence status and its attached photos; null when there is none. */
  async detail(id: string): Promise<MilestoneDetail | null> {
    const row = await this.milestones.find(id);
    if (!row) return null;
    const [milestone] = await this.evaluate([row]);
    const evidence = await this.milestones.evidenceStatus(row);
    const photos = await this.milestones.photos(id, PHOTO_LIST_MAX);
    return { ...milestone, evidence, photos };
  }

  /**
   * A mentor's review. Approving needs the milestone achieved and its evidence complete (checked
   * before the write, and kept with the review as what the mentor saw); asking for changes can be
   * done at any time. A new review supersedes the last one; neither is ever edited.
   */
  async review(id: string, review: { verdict: ReviewVerdict; body: string }, context: AuditContext): Promise<MilestoneThreadEntry> {
    const detail = await this.detail(id);
    if (!detail) throw new DomainError('NOT_FOUND');
    const { evaluation, evidence } = detail;
    if (review.verdict === 'approve') {
      if (evaluation.state !== 'achieved') {
        throw new DomainError('APPROVAL_NOT_ACHIEVED', { value: evaluation.value, target: evaluation.target, unit: evaluation.unit === 'km' ? 'km' : '%', evaluation });
      }
      if (!evidence.complete) {
        const missing = [
          ...evidence.missing.filter((entry) => entry.segments > 0).map((entry) => `${entry.kind}: ${entry.segments}`),
          ...(detail.criterion === 'manual' && evidence.attachedPhotos === 0 ? ['photo: 0'] : []),
        ].join(', ');
        throw new DomainError('APPROVAL_EVIDENCE_MISSING', { missing, evidence });
      }
    }
    const atState = { state: evaluation.state, value: evaluation.value, target: evaluation.target, evidenceComplete: evidence.complete };
    return this.append(id, { kind: 'review', verdict: review.verdict, body: review.body, atState }, context);
  }

  /** A planner's reply: to the last review, or the first entry of the thread (asking for a review). */
  reply(id: string, body: string, context: AuditContext): Promise<MilestoneThreadEntry> {
    return this.append(id, { kind: 'reply', verdict: null, body, atState: null }, context);
  }

  private append(
    id: string,
    entry: { kind: 'review' | 'reply'; verdict: ReviewVerdict | null; body: string; atState: MilestoneThreadEntry['atState'] },
    context: AuditContext,
  ): Promise<MilestoneThreadEntry> {
    return this.unitOfWork.run(async (manager) => {
      if (!(await this.milestones.find(id, manager, true))) throw new DomainError('NOT_FOUND');
      const refersTo = await this.milestones.lastReview(id, manager);
      const written = await this.milestones.appendEntry(
        { milestoneId: id, ...entry, body: entry.body.trim(), authorId: context.actorId!, authorLabel: context.actorLabel, refersTo },
        manager,
      );
      await this.audit.append(
        {
          action: entry.kind,
          entityType: 'milestone',
          entityId: id,
          changes: { thread: { before: refersTo, after: { id: written.id, kind: entry.kind, verdict: entry.verdict, body: written.body } } },
        },
        context,
        manager,
      );
      return written;
    });
  }

  /** A planner records a manual criterion done on a day, with a note and the photos (or scans) that prove it. */
  async recordDone(id: string, done: { doneOn: string; note: string; photoIds: string[] }, context: AuditContext): Promise<MilestoneDetail> {
    if (done.doneOn > this.history.today()) throw new DomainError('MILESTONE_DONE_IN_FUTURE', { day: done.doneOn });
    await this.unitOfWork.run(async (manager) => {
      const row = await this.milestones.find(id, manager, true);
      if (!row) throw new DomainError('NOT_FOUND');
      if (row.criterion !== 'manual') throw new DomainError('MILESTONE_NOT_MANUAL');
      const attached = await this.milestones.attachPhotos(id, done.photoIds, context.actorId!, manager);
      if (attached.length === 0) throw new DomainError('MILESTONE_EVIDENCE_REQUIRED');
      await this.milestones.recordDone(id, done.doneOn, done.note.trim(), manager);
      await this.audit.append(
        {
          action: 'record_done',
          entityType: 'milestone',
          entityId: id,
          changes: {
            manualDoneOn: { before: row.manualDoneOn, after: done.doneOn },
            manualNote: { before: row.manualNote, after: done.note.trim() },
            photos: { before: null, after: attached },
          },
        },
        context,
        manager,
      );
    });
    return (await this.detail(id))!;
  }
}
