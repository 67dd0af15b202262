import { Inject, Injectable } from '@nestjs/common';
import { SERAT_CONFIG, SeratConfig } from '@serat/config';
import type { AreaProgress, ReportMilestone, ReportSite, RolloutReport, SiteSavings } from '@serat/contract';
import { MilestonesRepository } from '../milestones/milestones.repository';
import { MilestonesService } from '../milestones/milestones.service';
import { PhasesRepository } from '../phases/phases.repository';
import { ProgressRepository, ProgressSettings } from '../progress/progress.repository';
import { DomainError } from '../shared/domain-error';
import { MAX_REPORT_SITES, ReportsRepository } from './reports.repository';

/** Milestones the report lists (by target date); it says how many more there are. */
export const MAX_REPORT_MILESTONES = 200;
/** About 100 m: enough for a kecamatan on an A4 page. */
const OUTLINE_TOLERANCE_DEG = 0.001;

/**
 * What the Bupati's report says, read once: the region's and each kecamatan's progress, the
 * kecamatan's outlines for its map, every SOPD with whether and since when it is connected, the
 * milestones with their latest review, and the SOPD's savings. The HTML and the PDF render this.
 */
@Injectable()
export class RolloutReportService {
  constructor(
    private readonly progress: ProgressRepository,
    private readonly reports: ReportsRepository,
    private readonly milestones: MilestonesRepository,
    private readonly evaluator: MilestonesService,
    private readonly phases: PhasesRepository,
    @Inject(SERAT_CONFIG) private readonly config: SeratConfig,
  ) {}

  private get settings(): ProgressSettings {
    return { ...this.config.progress, regionName: this.config.region.name };
  }

  async build(phaseId: string | null): Promise<RolloutReport> {
    const phase = phaseId ? await this.phases.find(phaseId) : null;
    if (phaseId && !phase) throw new DomainError('PHASE_UNKNOWN');
    const generatedAt = new Date().toISOString();
    const regionPage = await this.progress.progress({ level: 'region', parentCode: null, phaseId, after: null, limit: 1 }, this.settings);
    const kecamatan = await this.allKecamatan(phaseId);
    const [outlines, markers, sopdSavings, savingsPage, milestones] = await Promise.all([
      this.reports.kecamatanOutlines(OUTLINE_TOLERANCE_DEG),
      this.reports.siteMarkers('sopd'),
      this.sopdSites(phaseId),
      this.progress.savings({ level: 'region', parentCode: null, phaseId, kind: 'sopd', after: null, limit: 1 }, this.settings),
      this.milestonesWithReviews(phaseId),
    ]);
    const where = new Map(markers.map((marker) => [marker.id, marker]));
    const sopd: ReportSite[] = sopdSavings.flatMap((site) => {
      const marker = where.get(site.id);
      return marker
        ? [{ code: site.code, name: site.name, kecamatanName: marker.kecamatanName, connected: site.connected, wentLiveAt: site.wentLiveAt, lon: marker.lon, lat: marker.lat }]
        : [];
    });
    return {
      regionName: this.config.region.name,
      generatedAt,
      timeZone: this.config.timeZone,
      phase: phase ? { code: phase.code, name: phase.name } : null,
      region: regionPage.areas[0],
      kecamatan,
      outlines,
      sopd,
      savings: { fiberCostShare: this.config.progress.fiberCostShare, sopd: savingsPage.areas[0] },
      milestones: milestones.list,
      milestonesTotal: milestones.total,
      passedDistanceM: this.config.progress.passedDistanceM,
    };
  }

  private async allKecamatan(phaseId: string | null): Promise<AreaProgress[]> {
    const all: AreaProgress[] = [];
    let after: string | null = null;
    do {
      const page = await this.progress.progress({ level: 'kecamatan', parentCode: null, phaseId, after, limit: 500 }, this.settings);
      all.push(...page.areas);
      after = page.nextCursor;
    } while (after !== null && all.length < 5000);
    return all;
  }

  private async sopdSites(phaseId: string | null): Promise<SiteSavings[]> {
    const all: SiteSavings[] = [];
    let after: string | null = null;
    do {
      const page = await this.progress.siteSavings({ areaCode: null, phaseId, kind: 'sopd', after, limit: 500 }, this.settings);
      all.push(...page.sites);
      after = page.nextCursor;
    } while (after !== null && all.length < MAX_REPORT_SITES);
    return all.slice(0, MAX_REPORT_SITES);
  }

  private async milestonesWithReviews(phaseId: string | null): Promise<{ list: ReportMilestone[]; total: number }> {
    const page = await this.milestones.list({ phaseId, awaiting: null, limit: MAX_REPORT_MILESTONES, after: null });
    const evaluated = await this.evaluator.evaluate(page.milestones);
    const reviews = await this.milestones.latestReviews(evaluated.map((milestone) => milestone.id));
    const list = evaluated.map((milestone) => ({ milestone, lastReview: reviews.get(milestone.id) ?? null }));
    const total = page.nextCursor === null ? list.length : await this.milestones.count(phaseId);
    return { list, total };
  }
}
