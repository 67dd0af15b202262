/**
 * Every string shown to people goes through this table. Bahasa Indonesia is the default;
 * English on request. The choice is kept in localStorage.
 */
import type {
  NetworkStatus,
  NodeKind,
  NodeOwner,
  SegmentPlacement,
  SegmentTier,
  SiteKind,
} from './vocabulary';

export const LANGUAGES = ['id', 'en'] as const;
export type Lang = (typeof LANGUAGES)[number];

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

  'stats.sites': 'Lokasi terhubung',
  'stats.network': 'Panjang jaringan',
  'stats.active': 'Aktif',

  'status.planned': 'Direncanakan',
  'status.surveyed': 'Disurvei',
  'status.in_construction': 'Dalam konstruksi',
  'status.installed': 'Terpasang',
  'status.spliced': 'Disambung',
  'status.tested': 'Diuji',
  'status.active': 'Aktif',
  'status.damaged': 'Rusak',
  'status.decommissioned': 'Dinonaktifkan',

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
  'legend.connected': 'Terhubung',
  'legend.unconnected': 'Belum terhubung',
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
  'notice.redisDown': 'Pemantauan dijeda (Redis tidak tersedia)',
  'notice.dbDown': 'Basis data tidak tersedia',

  'login.documentTitle': 'Masuk — Serat',
  'login.title': 'Masuk',
  'login.intro': 'Masuk untuk membuka peta jaringan serat optik {region}.',
  'login.introNoRegion': 'Masuk untuk membuka peta jaringan serat optik.',
  'login.identifier': 'Email atau nama pengguna',
  'login.password': 'Kata sandi',
  'login.showPassword': 'Tampilkan kata sandi',
  'login.hidePassword': 'Sembunyikan kata sandi',
  'login.submit': 'Masuk',
  'login.submitting': 'Memeriksa…',
  'login.wait': 'Tunggu {seconds} detik',
  'login.checking': 'Memeriksa sesi…',
  'login.missing': 'Isi email atau nama pengguna dan kata sandi.',
  'login.invalid': 'Email/nama pengguna atau kata sandi salah.',
  'login.tooMany': 'Terlalu banyak percobaan. Coba lagi dalam {seconds} detik.',
  'login.network': 'Server tidak dapat dihubungi. Periksa koneksi Anda, lalu coba lagi.',
  'login.failed': 'Tidak dapat masuk (HTTP {status}). Coba lagi nanti.',
  'login.expired': 'Sesi Anda telah berakhir. Silakan masuk lagi.',
  'login.signedOut': 'Anda telah keluar.',
  'login.help': 'Belum punya akun atau lupa kata sandi? Hubungi admin Serat di instansi Anda.',
  'login.demoTitle': 'Akun demo',
  'login.demoHint': 'Klik salah satu akun untuk mengisi formulir.',
  'login.demoFill': 'Isi formulir dengan akun {username}',

  'role.admin': 'Admin',
  'role.planner': 'Perencana',
  'role.technician': 'Teknisi',
  'role.mentor': 'Mentor ITS',
  'role.viewer': 'Peninjau',

  'user.menu': 'Menu pengguna',
  'user.scopeAll': 'Semua kecamatan',
  'user.scopeSome': '{count} kecamatan',
  'user.changePassword': 'Ganti kata sandi',
  'user.logout': 'Keluar',
  'user.logoutFailed': 'Tidak dapat keluar. Periksa koneksi Anda, lalu coba lagi.',

  'password.title': 'Ganti kata sandi',
  'password.required': 'Kata sandi Anda bersifat sementara. Buat kata sandi baru sebelum melanjutkan.',
  'password.current': 'Kata sandi saat ini',
  'password.new': 'Kata sandi baru',
  'password.repeat': 'Ulangi kata sandi baru',
  'password.save': 'Simpan',
  'password.saving': 'Menyimpan…',
  'password.cancel': 'Batal',
  'password.missing': 'Isi ketiga kolom.',
  'password.mismatch': 'Kata sandi baru dan ulangannya tidak sama.',
  'password.wrongCurrent': 'Kata sandi saat ini salah.',
  'password.weak': 'Kata sandi baru terlalu lemah.',
  'password.failed': 'Kata sandi tidak dapat diganti (HTTP {status}). Coba lagi nanti.',
  'password.changed': 'Kata sandi telah diganti.',
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

  'stats.sites': 'Sites connected',
  'stats.network': 'Network length',
  'stats.active': 'Active',

  'status.planned': 'Planned',
  'status.surveyed': 'Surveyed',
  'status.in_construction': 'In construction',
  'status.installed': 'Installed',
  'status.spliced': 'Spliced',
  'status.tested': 'Tested',
  'status.active': 'Active',
  'status.damaged': 'Damaged',
  'status.decommissioned': 'Decommissioned',

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
  'legend.connected': 'Connected',
  'legend.unconnected': 'Not connected',
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
  'notice.redisDown': 'Monitoring paused (Redis unavailable)',
  'notice.dbDown': 'Database unavailable',

  'login.documentTitle': 'Sign in — Serat',
  'login.title': 'Sign in',
  'login.intro': 'Sign in to open the fiber network map of {region}.',
  'login.introNoRegion': 'Sign in to open the fiber network map.',
  'login.identifier': 'Email or username',
  'login.password': 'Password',
  'login.showPassword': 'Show password',
  'login.hidePassword': 'Hide password',
  'login.submit': 'Sign in',
  'login.submitting': 'Checking…',
  'login.wait': 'Wait {seconds} s',
  'login.checking': 'Checking your session…',
  'login.missing': 'Enter your email or username and your password.',
  'login.invalid': 'Wrong email/username or password.',
  'login.tooMany': 'Too many attempts. Try again in {seconds} seconds.',
  'login.network': 'The server cannot be reached. Check your connection, then try again.',
  'login.failed': 'Could not sign in (HTTP {status}). Try again later.',
  'login.expired': 'Your session has ended. Please sign in again.',
  'login.signedOut': 'You have signed out.',
  'login.help': 'No account, or forgot your password? Ask the Serat administrator of your office.',
  'login.demoTitle': 'Demo accounts',
  'login.demoHint': 'Click an account to fill in the form.',
  'login.demoFill': 'Fill in the form with the {username} account',

  'role.admin': 'Admin',
  'role.planner': 'Planner',
  'role.technician': 'Technician',
  'role.mentor': 'ITS mentor',
  'role.viewer': 'Viewer',

  'user.menu': 'User menu',
  'user.scopeAll': 'All kecamatan',
  'user.scopeSome': '{count} kecamatan',
  'user.changePassword': 'Change password',
  'user.logout': 'Sign out',
  'user.logoutFailed': 'Could not sign out. Check your connection, then try again.',

  'password.title': 'Change password',
  'password.required': 'Your password is temporary. Choose a new one before you continue.',
  'password.current': 'Current password',
  'password.new': 'New password',
  'password.repeat': 'Repeat new password',
  'password.save': 'Save',
  'password.saving': 'Saving…',
  'password.cancel': 'Cancel',
  'password.missing': 'Fill in all three fields.',
  'password.mismatch': 'The new password and its repetition differ.',
  'password.wrongCurrent': 'The current password is wrong.',
  'password.weak': 'The new password is too weak.',
  'password.failed': 'The password could not be changed (HTTP {status}). Try again later.',
  'password.changed': 'Your password has been changed.',
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
  return template.replace(/\{(\w+)\}/g, (match, name: string) =>
    name in params ? String(params[name]) : match,
  );
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
export const placementLabel = (v: SegmentPlacement | string | null | undefined) =>
  lookup('placement', v);
export const tierLabel = (v: SegmentTier | string | null | undefined) => lookup('tier', v);
export const roleLabel = (v: string | null | undefined) => lookup('role', v);
export const ownerLabel = (v: NodeOwner | string | null | undefined) => lookup('owner', v);
