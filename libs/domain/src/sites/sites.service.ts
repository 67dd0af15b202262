import { Injectable } from '@nestjs/common';
import type { Position } from 'geojson';
import { AuditContext, AuditRepository, diffFields } from '../audit/audit.repository';
import type { EditSettings } from '../network/network-edit.service';
import { scopeReasonOf } from '../phases/scope-reason';
import { DomainError } from '../shared/domain-error';
import { ScopeReasonRepository } from '../shared/scope-reason.repository';
import { atVersion, positionOrThrow, withUniqueCode } from '../shared/row-edits';
import { UnitOfWork } from '../shared/transaction';
import { SiteFields, SiteRecord, SiteRow, SitesRepository } from './sites.repository';

/** A site to create; the geometry (a GeoJSON Point) is checked before anything is stored. */
export type SiteInput = Pick<SiteRecord, 'code' | 'name' | 'kind'> &
  Partial<Pick<SiteRecord, 'shortName' | 'phaseId' | 'terminationNodeId' | 'costIdrPerMonth'>> & { geometry: unknown };

/** Where a site may lie: the region of the network's edits. */
type SiteSettings = Pick<EditSettings, 'region'>;

/** Planners editing sites: validated position, versions, areas from the boundaries, audit. */
@Injectable()
export class SitesService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly sites: SitesRepository,
    private readonly audit: AuditRepository,
    private readonly scopeReason: ScopeReasonRepository,
  ) {}

  /** One site as stored, with its version (what an edit form starts from); null when there is none. */
  site(id: string): Promise<SiteRow | null> {
    return this.sites.find(id);
  }

  async createSite(input: SiteInput, settings: SiteSettings, context: AuditContext): Promise<SiteRow> {
    const [lon, lat] = positionOrThrow(input.geometry, settings.region);
    return this.unitOfWork.run(async (manager) => {
      // A site made in a phase joins its scope: the scope history names who made it.
      await this.scopeReason.setScopeReason(null, context, manager);
      const id = await this.sites.insert(
        {
          code: input.code,
          name: input.name,
          shortName: input.shortName ?? null,
          kind: input.kind,
          phaseId: input.phaseId ?? null,
          terminationNodeId: input.terminationNodeId ?? null,
          costIdrPerMonth: input.costIdrPerMonth ?? null,
          lon,
          lat,
        },
        manager,
      );
      if (!id) throw new DomainError('DUPLICATE_CODE', { code: input.code });
      await this.sites.assignAreas([id], manager);
      const site = (await this.sites.find(id, manager))!;
      await this.audit.append(
        { action: 'create', entityType: 'site', entityId: id, changes: diffFields({}, { code: site.code, name: site.name, kind: site.kind, geometry: site.geometry }) },
        context,
        manager,
      );
      return site;
    });
  }

  async updateSite(
    id: string,
    version: number,
    changes: Omit<Partial<SiteInput>, 'geometry'> & { geometry?: unknown; phaseReason?: string },
    settings: SiteSettings,
    context: AuditContext,
  ): Promise<SiteRow> {
    let position: Position | undefined;
    if (changes.geometry !== undefined) position = positionOrThrow(changes.geometry, settings.region);
    return this.unitOfWork.run(async (manager) => {
      const before = await atVersion(this.sites.find(id, manager, true), version);
      const scopeReason = scopeReasonOf(before, changes);
      if (scopeReason) await this.scopeReason.setScopeReason(scopeReason, context, manager);
      const { geometry: _g, phaseReason: _r, ...fields } = changes;
      const update: SiteFields = { ...fields, ...(position ? { lon: position[0], lat: position[1] } : {}) };
      await withUniqueCode(changes.code, () => this.sites.update(id, update, manager));
      if (position) await this.sites.assignAreas([id], manager);
      const after = (await this.sites.find(id, manager))!;
      await this.audit.append({ action: 'update', entityType: 'site', entityId: id, changes: diffFields(before, after) }, context, manager);
      return after;
    });
  }

  async deleteSite(id: string, version: number, context: AuditContext): Promise<void> {
    await this.unitOfWork.run(async (manager) => {
      const before = await atVersion(this.sites.find(id, manager, true), version);
      await this.scopeReason.setScopeReason(null, context, manager);
      await this.sites.delete(id, manager);
      await this.audit.append({ action: 'delete', entityType: 'site', entityId: id, changes: diffFields(before, {} as Partial<SiteRow>) }, context, manager);
    });
  }
}
