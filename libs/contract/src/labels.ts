/**
 * What people read for the shared words, in Bahasa Indonesia (the default) and English: the web
 * app's translations and the export's folder names take them from here.
 */
import type { NetworkStatus } from '../../vocabulary/src/network-vocabulary';
import type { MilestoneCategory, MilestoneState, ReviewStatus } from './milestones';
import type { SiteConnection } from './symbology';

export const LANGUAGES = ['id', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

export const STATUS_LABELS: Readonly<Record<Language, Readonly<Record<NetworkStatus, string>>>> = {
  id: {
    planned: 'Direncanakan',
    surveyed: 'Disurvei',
    in_construction: 'Dalam konstruksi',
    installed: 'Terpasang',
    spliced: 'Disambung',
    tested: 'Diuji',
    active: 'Aktif',
    damaged: 'Rusak',
    decommissioned: 'Dinonaktifkan',
  },
  en: {
    planned: 'Planned',
    surveyed: 'Surveyed',
    in_construction: 'In construction',
    installed: 'Installed',
    spliced: 'Spliced',
    tested: 'Tested',
    active: 'Active',
    damaged: 'Damaged',
    decommissioned: 'Decommissioned',
  },
};

export const SITE_CONNECTION_LABELS: Readonly<Record<Language, Readonly<Record<SiteConnection, string>>>> = {
  id: { connected: 'Terhubung', not_connected: 'Belum terhubung' },
  en: { connected: 'Connected', not_connected: 'Not connected' },
};

/** A milestone's stage of the rollout, its state and where its review stands: the web app's words, and the reports' and evidence packs'. */
export const MILESTONE_CATEGORY_LABELS: Readonly<Record<Language, Readonly<Record<MilestoneCategory, string>>>> = {
  id: { survey: 'Survei', permits: 'Perizinan', construction: 'Konstruksi', splicing: 'Penyambungan', testing: 'Pengujian', handover: 'Serah terima' },
  en: { survey: 'Survey', permits: 'Permits', construction: 'Construction', splicing: 'Splicing', testing: 'Testing', handover: 'Handover' },
};

export const MILESTONE_STATE_LABELS: Readonly<Record<Language, Readonly<Record<MilestoneState, string>>>> = {
  id: { pending: 'Belum mulai', on_track: 'Sesuai jadwal', at_risk: 'Berisiko terlambat', achieved: 'Tercapai', missed: 'Terlewat' },
  en: { pending: 'Pending', on_track: 'On track', at_risk: 'At risk', achieved: 'Achieved', missed: 'Missed' },
};

export const REVIEW_STATUS_LABELS: Readonly<Record<Language, Readonly<Record<ReviewStatus, string>>>> = {
  id: { none: 'Belum ditinjau', awaiting_review: 'Menunggu tinjauan', changes_requested: 'Perlu perbaikan', approved: 'Disetujui' },
  en: { none: 'Not reviewed', awaiting_review: 'Awaiting review', changes_requested: 'Changes requested', approved: 'Approved' },
};
