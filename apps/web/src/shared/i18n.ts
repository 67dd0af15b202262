/**
 * Every string shown to people goes through this table. Bahasa Indonesia is the default;
 * English on request. The choice is kept in localStorage.
 */
import { LANGUAGES, SITE_CONNECTION_LABELS, STATUS_LABELS, type Language } from '../../../../libs/contract/src';
import type { NetworkStatus, NodeKind, NodeOwner, SegmentPlacement, SegmentTier, SiteKind } from './vocabulary';

export { LANGUAGES };
export type Lang = Language;

/**
 * A table of the contract's labels as messages under a prefix (`status.active`): the words the api's
 * exports write too are defined once, in libs/contract.
 */
function prefixed<P extends string, K extends string>(prefix: P, labels: Readonly<Record<K, string>>): Record<`${P}.${K}`, string> {
  return Object.fromEntries(Object.entries(labels).map(([key, label]) => [`${prefix}.${key}`, label])) as Record<`${P}.${K}`, string>;
}

const id = {
  'app.name': 'Serat',
  'app.tagline': 'Pemantauan pembangunan jaringan serat optik',
  'app.documentTitle': 'Serat — peta jaringan serat optik',
  'app.demoBadge': 'DATA DEMO',
  'app.demoHint': 'Data contoh untuk demonstrasi, bukan data resmi.',
  'app.loading': 'Memuat data peta…',
  'app.mapLabel': 'Peta jaringan serat optik',

  'lang.label': 'Bahasa',
  'lang.id': 'ID',
  'lang.en': 'EN',
  'lang.idName': 'Bahasa Indonesia',
  'lang.enName': 'English',

  'stats.sites.sopd': 'SOPD terhubung',
  'stats.sites.kantor_kecamatan': 'Kantor kec. terhubung',
  'stats.sites.kantor_desa': 'Kantor desa terhubung',
  'stats.sites.puskesmas': 'Puskesmas terhubung',
  'stats.sites.sekolah': 'Sekolah terhubung',
  'stats.sites.other': 'Lokasi lain terhubung',
  'stats.sitesHint': '{kind}: yang terhubung / semuanya',
  'stats.network': 'Panjang jaringan',
  'stats.active': 'Aktif',

  ...prefixed('status', STATUS_LABELS.id),

  'nodeKind.noc': 'NOC (pusat jaringan)',
  'nodeKind.olt': 'OLT',
  'nodeKind.odc': 'ODC (kabinet distribusi)',
  'nodeKind.odp': 'ODP (titik distribusi)',
  'nodeKind.joint_closure': 'Joint closure (sambungan)',
  'nodeKind.handhole': 'Handhole',
  'nodeKind.pole': 'Tiang',
  'nodeKind.termination': 'Terminasi / ONT',

  'siteKind.sopd': 'SOPD (perangkat daerah)',
  'siteKind.kantor_kecamatan': 'Kantor kecamatan',
  'siteKind.kantor_desa': 'Kantor desa',
  'siteKind.puskesmas': 'Puskesmas',
  'siteKind.sekolah': 'Sekolah',
  'siteKind.other': 'Lainnya',

  'placement.aerial': 'Udara (di tiang)',
  'placement.underground': 'Tanam langsung',
  'placement.duct': 'Dalam duct',
  'placement.river_crossing': 'Penyeberangan sungai',

  'tier.backbone': 'Backbone',
  'tier.distribution': 'Distribusi',
  'tier.drop': 'Drop',

  'owner.pemda': 'Pemda',
  'owner.pln': 'PLN',
  'owner.telkom': 'Telkom',
  'owner.other': 'Lainnya',

  'layers.title': 'Lapisan peta',
  'layers.kecamatan': 'Batas kecamatan',
  'layers.desa': 'Batas desa/kelurahan',
  'layers.segments': 'Segmen kabel',
  'layers.nodes': 'Titik jaringan',
  'layers.sites': 'Lokasi layanan',

  'legend.title': 'Status segmen',
  'legend.total': 'Total',
  'legend.symbols': 'Simbol',
  'legend.collapse': 'Sembunyikan legenda',
  'legend.expand': 'Tampilkan legenda',
  'legend.toggle': 'Legenda',
  'legend.sopd': 'SOPD',
  'legend.kantorKecamatan': 'Kantor kecamatan',
  'legend.connected': SITE_CONNECTION_LABELS.id.connected,
  'legend.unconnected': SITE_CONNECTION_LABELS.id.not_connected,
  'legend.noc': 'NOC',
  'legend.node': 'Titik jaringan',
  'legend.desaHint': 'Perbesar peta untuk melihat batas desa',

  'popup.segment': 'Segmen kabel',
  'popup.node': 'Titik jaringan',
  'popup.site': 'Lokasi layanan',
  'popup.code': 'Kode',
  'popup.name': 'Nama',
  'popup.kind': 'Jenis',
  'popup.status': 'Status',
  'popup.tier': 'Tingkat',
  'popup.placement': 'Penempatan',
  'popup.cable': 'Kabel',
  'popup.cores': '{count} core',
  'popup.length': 'Panjang',
  'popup.route': 'Rute',
  'popup.phase': 'Tahap',
  'popup.version': 'Versi',
  'popup.owner': 'Pemilik',
  'popup.kecamatan': 'Kecamatan',
  'popup.desa': 'Desa/Kelurahan',
  'popup.connection': 'Koneksi',
  'popup.connected': 'Terhubung ke NOC',
  'popup.unconnected': 'Belum terhubung',
  'popup.cost': 'Biaya ISP',
  'popup.perMonth': '{amount} / bulan',
  'popup.demo': 'Data demo — bukan data resmi',
  'popup.empty': '—',
  'popup.close': 'Tutup',
  'popup.history': 'Riwayat terakhir',
  'popup.historyMore': '… dan {count} lagi (buka panel lapangan untuk semuanya)',
  'popup.historyEmpty': 'Belum ada riwayat.',
  'popup.photos': 'Foto',
  'popup.photo': 'Foto {number}',
  'popup.photosMore': '+{count} lagi',
  'popup.areas': 'Wilayah yang dilalui',
  'popup.areaLength': '{name} ({length})',
  'popup.detailsLoading': 'Memuat riwayat, foto, dan wilayah…',
  'popup.detailsFailed': 'Riwayat dan wilayah tidak dapat dimuat.',
  'popup.navigate': 'Navigasi ke sini',

  'area.kecamatan': 'Kecamatan {name}',

  'map.zoomIn': 'Perbesar',
  'map.zoomOut': 'Perkecil',
  'map.fit': 'Tampilkan seluruh kabupaten',

  'error.title': 'Data peta tidak dapat dimuat.',
  'error.body': 'Server tidak menjawab dengan benar. Periksa koneksi Anda, lalu coba lagi.',
  'error.retry': 'Coba lagi',
  'error.dismiss': 'Tutup',
  'error.http': 'HTTP {status}',
  'error.network': 'tidak ada koneksi',
  'error.invalid': 'jawaban tidak valid',
  'error.desa': 'Batas desa tidak dapat dimuat.',
  'notice.redisDown':
    'Impor menunggu Redis, yang tidak berjalan di server (juga pemantauan, segera). Peta, penyuntingan dan perubahan status tetap berfungsi. Administrator: pasang redis-server (apt-get install redis-server) atau atur REDIS_URL.',
  'notice.dbDown': 'Basis data tidak tersedia',

  'login.documentTitle': 'Masuk — Serat',
  'login.checking': 'Memeriksa sesi…',

  'role.admin': 'Admin',
  'role.planner': 'Perencana',
  'role.technician': 'Teknisi',
  'role.mentor': 'Mentor ITS',
  'role.viewer': 'Peninjau',

  'user.adminFailed': 'Administrasi tidak dapat dimuat. Periksa koneksi Anda, lalu coba lagi.',
  'user.inventoryFailed': 'Daftar jaringan tidak dapat dimuat. Periksa koneksi Anda, lalu coba lagi.',
  'user.progressFailed': 'Kemajuan pembangunan tidak dapat dimuat. Periksa koneksi Anda, lalu coba lagi.',
  'user.logoutFailed': 'Tidak dapat keluar. Periksa koneksi Anda, lalu coba lagi.',

  'password.changed': 'Kata sandi telah diganti.',

  'net.online': 'Online',
  'net.offline': 'Offline',
  'net.onlineHint': 'Terhubung ke server',
  'notice.storedData': 'Peta menampilkan data tersimpan dari {time}.',
  'notice.storedDataUndated': 'Peta menampilkan data yang tersimpan di perangkat.',
  'net.offlineHint': 'Tidak ada koneksi. Peta memakai data yang tersimpan di perangkat.',
  'net.offlineMore': ' — peta memakai data tersimpan',
  'net.offlineMoreField': ' — perubahan disimpan di perangkat',

  // The field panel's own texts are in features/field/field.i18n.ts; these few are read outside it.
  'field.openInPanel': 'Ubah status',

  'history.kind.initial': 'status awal',
  'history.kind.created': 'dibuat di peta',
  'history.kind.import': 'dari impor',
  'history.actor.system': 'sistem',
  'history.actor.seed': 'sistem (data awal)',
  'history.actor.cli': 'sistem (baris perintah)',
  'history.actor.import': '{who} (impor {id})',

  'outbox.title': 'Menunggu sinkron ({count})',
  'outbox.attention': 'Perlu tindakan ({count})',
  'outbox.sending': 'Mengirim…',

  'edit.open': 'Ubah atribut',
} as const;

export type MessageKey = keyof typeof id;

const en: Record<MessageKey, string> = {
  'app.name': 'Serat',
  'app.tagline': 'Fiber-optic network rollout tracker',
  'app.documentTitle': 'Serat — fiber network map',
  'app.demoBadge': 'DEMO DATA',
  'app.demoHint': 'Sample data for demonstration, not official records.',
  'app.loading': 'Loading map data…',
  'app.mapLabel': 'Fiber network map',

  'lang.label': 'Language',
  'lang.id': 'ID',
  'lang.en': 'EN',
  'lang.idName': 'Bahasa Indonesia',
  'lang.enName': 'English',

  'stats.sites.sopd': 'SOPD connected',
  'stats.sites.kantor_kecamatan': 'Kec. offices connected',
  'stats.sites.kantor_desa': 'Desa offices connected',
  'stats.sites.puskesmas': 'Puskesmas connected',
  'stats.sites.sekolah': 'Schools connected',
  'stats.sites.other': 'Other sites connected',
  'stats.sitesHint': '{kind}: connected / all',
  'stats.network': 'Network length',
  'stats.active': 'Active',

  ...prefixed('status', STATUS_LABELS.en),

  'nodeKind.noc': 'NOC (network core)',
  'nodeKind.olt': 'OLT',
  'nodeKind.odc': 'ODC (distribution cabinet)',
  'nodeKind.odp': 'ODP (distribution point)',
  'nodeKind.joint_closure': 'Joint closure (splice)',
  'nodeKind.handhole': 'Handhole',
  'nodeKind.pole': 'Pole',
  'nodeKind.termination': 'Termination / ONT',

  'siteKind.sopd': 'SOPD (government agency)',
  'siteKind.kantor_kecamatan': 'Kecamatan office',
  'siteKind.kantor_desa': 'Desa office',
  'siteKind.puskesmas': 'Puskesmas (health centre)',
  'siteKind.sekolah': 'School',
  'siteKind.other': 'Other',

  'placement.aerial': 'Aerial (on poles)',
  'placement.underground': 'Direct buried',
  'placement.duct': 'In duct',
  'placement.river_crossing': 'River crossing',

  'tier.backbone': 'Backbone',
  'tier.distribution': 'Distribution',
  'tier.drop': 'Drop',

  'owner.pemda': 'Local government',
  'owner.pln': 'PLN',
  'owner.telkom': 'Telkom',
  'owner.other': 'Other',

  'layers.title': 'Map layers',
  'layers.kecamatan': 'Kecamatan boundaries',
  'layers.desa': 'Desa/kelurahan boundaries',
  'layers.segments': 'Cable segments',
  'layers.nodes': 'Network nodes',
  'layers.sites': 'Service sites',

  'legend.title': 'Segment status',
  'legend.total': 'Total',
  'legend.symbols': 'Symbols',
  'legend.collapse': 'Hide legend',
  'legend.expand': 'Show legend',
  'legend.toggle': 'Legend',
  'legend.sopd': 'SOPD',
  'legend.kantorKecamatan': 'Kecamatan office',
  'legend.connected': SITE_CONNECTION_LABELS.en.connected,
  'legend.unconnected': SITE_CONNECTION_LABELS.en.not_connected,
  'legend.noc': 'NOC',
  'legend.node': 'Network node',
  'legend.desaHint': 'Zoom in to see desa boundaries',

  'popup.segment': 'Cable segment',
  'popup.node': 'Network node',
  'popup.site': 'Service site',
  'popup.code': 'Code',
  'popup.name': 'Name',
  'popup.kind': 'Kind',
  'popup.status': 'Status',
  'popup.tier': 'Tier',
  'popup.placement': 'Placement',
  'popup.cable': 'Cable',
  'popup.cores': '{count} cores',
  'popup.length': 'Length',
  'popup.route': 'Route',
  'popup.phase': 'Phase',
  'popup.version': 'Version',
  'popup.owner': 'Owner',
  'popup.kecamatan': 'Kecamatan',
  'popup.desa': 'Desa/Kelurahan',
  'popup.connection': 'Connection',
  'popup.connected': 'Connected to the NOC',
  'popup.unconnected': 'Not connected yet',
  'popup.cost': 'ISP cost',
  'popup.perMonth': '{amount} / month',
  'popup.demo': 'Demo data — not official',
  'popup.empty': '—',
  'popup.close': 'Close',
  'popup.history': 'Latest history',
  'popup.historyMore': '… and {count} more (open the field panel for all)',
  'popup.historyEmpty': 'No history yet.',
  'popup.photos': 'Photos',
  'popup.photo': 'Photo {number}',
  'popup.photosMore': '+{count} more',
  'popup.areas': 'Areas crossed',
  'popup.areaLength': '{name} ({length})',
  'popup.detailsLoading': 'Loading history, photos and areas…',
  'popup.detailsFailed': 'History and areas could not be loaded.',
  'popup.navigate': 'Navigate here',

  'area.kecamatan': 'Kecamatan {name}',

  'map.zoomIn': 'Zoom in',
  'map.zoomOut': 'Zoom out',
  'map.fit': 'Show the whole kabupaten',

  'error.title': 'The map data could not be loaded.',
  'error.body': 'The server did not answer properly. Check your connection, then try again.',
  'error.retry': 'Try again',
  'error.dismiss': 'Close',
  'error.http': 'HTTP {status}',
  'error.network': 'no connection',
  'error.invalid': 'invalid response',
  'error.desa': 'Desa boundaries could not be loaded.',
  'notice.redisDown':
    'Imports wait for Redis, which is not running on the server (soon monitoring too). The map, editing and status changes work. Administrator: install redis-server (apt-get install redis-server) or set REDIS_URL.',
  'notice.dbDown': 'Database unavailable',

  'login.documentTitle': 'Sign in — Serat',
  'login.checking': 'Checking your session…',

  'role.admin': 'Admin',
  'role.planner': 'Planner',
  'role.technician': 'Technician',
  'role.mentor': 'ITS mentor',
  'role.viewer': 'Viewer',

  'user.adminFailed': 'Administration could not be loaded. Check your connection, then try again.',
  'user.inventoryFailed': 'The network list could not be loaded. Check your connection, then try again.',
  'user.progressFailed': 'Rollout progress could not be loaded. Check your connection, then try again.',
  'user.logoutFailed': 'Could not sign out. Check your connection, then try again.',

  'password.changed': 'Your password has been changed.',

  'net.online': 'Online',
  'net.offline': 'Offline',
  'net.onlineHint': 'Connected to the server',
  'notice.storedData': 'The map shows data stored on {time}.',
  'notice.storedDataUndated': 'The map shows data stored on this device.',
  'net.offlineHint': 'No connection. The map uses the data kept on this device.',
  'net.offlineMore': ' — the map uses stored data',
  'net.offlineMoreField': ' — changes are kept on this device',

  'field.openInPanel': 'Change status',

  'history.kind.initial': 'initial status',
  'history.kind.created': 'drawn on the map',
  'history.kind.import': 'from an import',
  'history.actor.system': 'system',
  'history.actor.seed': 'system (seed data)',
  'history.actor.cli': 'system (command line)',
  'history.actor.import': '{who} (import {id})',

  'outbox.title': 'Waiting to sync ({count})',
  'outbox.attention': 'Action needed ({count})',
  'outbox.sending': 'Sending…',

  'edit.open': 'Edit attributes',
};

const TABLES: Record<Lang, Record<MessageKey, string>> = { id, en };
const STORAGE_KEY = 'serat.lang';

function readStoredLang(): Lang {
  try {
    const stored = window.localStorage.getItem(STORAGE_KEY);
    if (stored === 'id' || stored === 'en') return stored;
  } catch {
    // Storage can be disabled (private mode, strict settings): fall back to the default.
  }
  return 'id';
}

let current: Lang = readStoredLang();
const listeners = new Set<(lang: Lang) => void>();

export function getLang(): Lang {
  return current;
}

export function setLang(lang: Lang): void {
  if (lang === current) return;
  current = lang;
  try {
    window.localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // Not persisted; the switch still applies to this page.
  }
  for (const listener of listeners) listener(lang);
}

export function onLangChange(listener: (lang: Lang) => void): void {
  listeners.add(listener);
}

/** Looks a message up and fills `{name}` placeholders. Unknown placeholders stay visible. */
export function t(key: MessageKey, params?: Record<string, string | number>): string {
  const template = TABLES[current][key] ?? TABLES.id[key] ?? key;
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (match, name: string) => (name in params ? String(params[name]) : match));
}

/**
 * Translates a vocabulary value (status, kind, …). Values the table does not know yet (the API
 * may grow faster than the web app) are shown as they are rather than as a broken key.
 */
function lookup(prefix: string, value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return t('popup.empty');
  const key = `${prefix}.${value}`;
  return key in id ? t(key as MessageKey) : value;
}

export const statusLabel = (v: NetworkStatus | string | null | undefined) => lookup('status', v);
export const nodeKindLabel = (v: NodeKind | string | null | undefined) => lookup('nodeKind', v);
export const siteKindLabel = (v: SiteKind | string | null | undefined) => lookup('siteKind', v);
/** The header's "SOPD terhubung" and the like, one per kind of site. */
export const sitesStatLabel = (v: SiteKind | string | null | undefined) => lookup('stats.sites', v);
export const placementLabel = (v: SegmentPlacement | string | null | undefined) => lookup('placement', v);
export const tierLabel = (v: SegmentTier | string | null | undefined) => lookup('tier', v);
export const roleLabel = (v: string | null | undefined) => lookup('role', v);
export const ownerLabel = (v: NodeOwner | string | null | undefined) => lookup('owner', v);
