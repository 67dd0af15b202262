/**
 * What people read for the shared words, in Bahasa Indonesia (the default) and English: the web
 * app's translations and the export's folder names take them from here.
 */
import type { NetworkStatus } from '../../vocabulary/src/network-vocabulary';
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
