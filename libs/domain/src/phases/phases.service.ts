import { Injectable } from '@nestjs/common';
import type { PhaseRecord, PhaseScopeResult } from '@serat/contract';
import { AuditContext, AuditRepository, diffFields } from '../audit/audit.repository';
import { SegmentsRepository } from '../network/segments.repository';
import { DomainError } from '../shared/domain-error';
import { ScopeReasonRepository } from '../shared/scope-reason.repository';
import { SitesRepository } from '../sites/sites.repository';
import { atVersion, withUniqueCode } from '../shared/row-edits';
import { UnitOfWork } from '../shared/transaction';
import { PhaseFields, PhasesRepository } from './phases.repository';

/** Planners' work on phases: the package itself (audited, by version) and its scope (each move with its reason, in the scope history). */
@Injectable()
export class PhasesService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly phases: PhasesRepository,
    private readonly audit: AuditRepository,
    private readonly scopeReason: ScopeReasonRepository,
    private readonly sites: SitesRepository,
    private readonly segments: SegmentsRepository,
  ) {}

  async create(fields: PhaseFields, context: AuditContext): Promise<PhaseRecord> {
    return this.unitOfWork.run(async (manager) => {
      if (fields.areaCode !== null && !(await this.phases.areaExists(fields.areaCode, manager))) throw new DomainError('AREA_UNKNOWN', { code: fields.areaCode });
      let id = '';
      await withUniqueCode(fields.code, async () => (id = await this.phases.insert(fields, manager)));
      const after = (await this.phases.find(id, manager))!;
      const { scope: _scope, ...record } = after;
      await this.audit.append({ action: 'create', entityType: 'phase', entityId: id, changes: diffFields({} as typeof record, record) }, context, manager);
      return after;
    });
  }

  async update(id: string, version: number, fields: Partial<PhaseFields>, context: AuditContext): Promise<PhaseRecord> {
    return this.unitOfWork.run(async (manager) => {
      const before = await atVersion(this.phases.find(id, manager, true), version);
      if (fields.areaCode && !(await this.phases.areaExists(fields.areaCode, manager))) throw new DomainError('AREA_UNKNOWN', { code: fields.areaCode });
      await withUniqueCode(fields.code, () => this.phases.update(id, fields, manager));
      const after = (await this.phases.find(id, manager))!;
      const { scope: _b, updatedAt: _bu, ...was } = before;
      const { scope: _a, updatedAt: _au, ...now } = after;
      await this.audit.append({ action: 'update', entityType: 'phase', entityId: id, changes: diffFields(was, now) }, context, manager);
      return after;
    });
  }

  /**
   * Adds sites and segments to the phase, or takes them out, with the reason given: all of them
   * or none (an unknown code refuses the whole change). The triggers write each move to the
   * scope history; the phase's audit entry says how many moved and why.
   */
  async changeScope(id: string, change: { action: 'add' | 'remove'; sites: string[]; segments: string[]; reason: string }, context: AuditContext): Promise<PhaseScopeResult> {
    const reason = change.reason.trim();
    if (reason === '') throw new DomainError('SCOPE_REASON_REQUIRED');
    return this.unitOfWork.run(async (manager) => {
      const phase = await this.phases.find(id, manager, true);
      if (!phase) throw new DomainError('NOT_FOUND');
      await this.scopeReason.setScopeReason(reason, context, manager);
      // add: into this phase from wherever they are; remove: out of this phase only.
      const [target, from] = change.action === 'add' ? [id, null] : [null, id];
      const sites = change.sites.length ? await this.sites.movePhase(change.sites, target, from, manager) : { found: [], moved: 0 };
      const segments = change.segments.length ? await this.segments.movePhase(change.segments, target, from, manager) : { found: [], moved: 0 };
      const known = new Set([...sites.found.map((c) => `site:${c}`), ...segments.found.map((c) => `segment:${c}`)]);
      const missing = [...change.sites.filter((c) => !known.has(`site:${c}`)), ...change.segments.filter((c) => !known.has(`segment:${c}`))];
      // All or none: the transaction is rolled back with the error.
      if (missing.length > 0) throw new DomainError('SCOPE_ITEMS_UNKNOWN', { codes: missing.slice(0, 20).join(', '), missing });
      const moved = { changed: sites.moved + segments.moved };
      const scope = await this.phases.scope(id, manager);
      await this.audit.append(
        {
          action: 'scope_change',
          entityType: 'phase',
          entityId: id,
          changes: { scope: { before: phase.scope, after: scope }, reason: { before: null, after: reason } },
        },
        context,
        manager,
      );
      return { added: change.action === 'add' ? moved.changed : 0, removed: change.action === 'remove' ? moved.changed : 0, scope };
    });
  }
}
