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
  'user.admin': 'Administrasi',
  'user.adminFailed': 'Administrasi tidak dapat dimuat. Periksa koneksi Anda, lalu coba lagi.',
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
  'edit.title.segment': 'Ubah segmen kabel',
  'edit.title.node': 'Ubah titik jaringan',
  'edit.title.site': 'Ubah lokasi layanan',
  'edit.close': 'Tutup',
  'edit.discard': 'Batal',
  'edit.back': 'Batal',
  'edit.retry': 'Coba lagi',
  'edit.loading': 'Memuat data terbaru dari server…',
  'edit.loadFailed': 'Data tidak dapat dimuat.',
  'edit.offline': 'tidak ada koneksi; coba lagi saat online',
  'edit.version': 'versi {version}',
  'edit.storedCopy': 'Tanpa koneksi: ini data tersimpan dari {time}. Perubahan baru dapat disimpan saat ada koneksi.',
  'edit.storedCopyUndated': 'Tanpa koneksi: ini data yang tersimpan di perangkat. Perubahan baru dapat disimpan saat ada koneksi.',
  'edit.field.code': 'Kode',
  'edit.field.name': 'Nama',
  'edit.field.shortName': 'Nama singkat',
  'edit.field.kind': 'Jenis',
  'edit.field.owner': 'Pemilik',
  'edit.field.tier': 'Tingkat',
  'edit.field.placement': 'Cara pasang',
  'edit.field.cableType': 'Jenis kabel',
  'edit.field.coreCount': 'Jumlah core',
  'edit.field.phaseId': 'Tahap',
  'edit.field.contractor': 'Kontraktor',
  'edit.field.slackM': 'Slack kabel (m)',
  'edit.field.costIdrPerMonth': 'Biaya ISP per bulan (Rp)',
  'edit.field.status': 'Status',
  'edit.field.geometry': 'Posisi / rute',
  'edit.none': '(tidak ada)',
  'edit.phaseUnknown': '(tahap lain)',
  'edit.hint.code': '1–60 huruf, angka, atau . _ / - (diawali huruf atau angka).',
  'edit.hint.cableType': 'mis. ADSS 24 core',
  'edit.problem.required': 'Wajib diisi.',
  'edit.problem.code': 'Kode hanya boleh berisi 1–60 huruf, angka, atau . _ / -, diawali huruf atau angka.',
  'edit.problem.tooLong': 'Paling banyak {max} karakter.',
  'edit.problem.number': 'Isi dengan angka.',
  'edit.problem.integer': 'Isi dengan bilangan bulat.',
  'edit.problem.range': 'Harus antara {min} dan {max}.',
  'edit.problem.check': 'Periksa isian yang ditandai.',
  'edit.save': 'Simpan perubahan',
  'edit.saving': 'Menyimpan…',
  'edit.noChanges': 'Tidak ada yang diubah.',
  'edit.saved': 'Tersimpan — sekarang versi {version}.',
  'edit.reloaded': 'Versi terbaru dimuat (versi {version}); perubahan Anda dibuang.',
  'edit.gone': 'Data ini sudah tidak ada di server (dihapus orang lain).',
  'edit.conflict.title': 'Sudah diubah orang lain sejak Anda membukanya.',
  'edit.conflict.versions': 'Anda membaca versi {read}; di server sekarang versi {current}.',
  'edit.conflict.field': 'Isian',
  'edit.conflict.theirs': 'Di server sekarang',
  'edit.conflict.mine': 'Punya saya',
  'edit.conflict.notMine': 'tidak saya ubah',
  'edit.conflict.moved': 'dipindahkan',
  'edit.conflict.onlyVersion': 'Isian yang tampil di sini tidak berubah; hanya versinya yang bertambah.',
  'edit.why.theirs': 'diubah orang lain',
  'edit.why.mine': 'diubah oleh Anda',
  'edit.why.clash': 'keduanya mengubah',
  'edit.conflict.explain': 'Terapkan punya saya: isian yang Anda ubah dikirim di atas versi {current}; isian lain tetap seperti di server.',
  'edit.conflict.explainDelete': 'Hapus tetap dapat dilakukan, tetapi sekarang atas versi {current}.',
  'edit.conflict.explainDecommission': 'Penonaktifan dapat dikirim lagi, sekarang atas versi {current}.',
  'edit.conflict.applyMine': 'Terapkan punya saya di atasnya',
  'edit.conflict.deleteAnyway': 'Tetap hapus versi terbaru',
  'edit.conflict.decommissionAnyway': 'Tetap nonaktifkan versi terbaru',
  'edit.conflict.reloadTheirs': 'Muat ulang punya mereka',
  'edit.conflict.same': 'Di server sudah sama dengan perubahan Anda; tidak ada yang perlu dikirim.',
  'edit.more': 'Tindakan lain',
  'edit.decommission': 'Nonaktifkan…',
  'edit.decommissionAsk': 'Nonaktifkan {code}? Dinonaktifkan adalah status akhir; riwayatnya tetap tersimpan.',
  'edit.reason': 'Alasan (wajib)',
  'edit.reasonPlaceholder': 'mis. jalur dipindah ke duct baru',
  'edit.reasonRequired': 'Tulis alasannya: penonaktifan memerlukan catatan.',
  'edit.decommissionConfirm': 'Nonaktifkan',
  'edit.decommissioned': '{code} dinonaktifkan — sekarang versi {version}.',
  'edit.final': 'Sudah dinonaktifkan (status akhir).',
  'edit.delete': 'Hapus…',
  'edit.deleteAsk.segment': 'Hapus segmen {code} beserta riwayatnya? Ini tidak dapat dibatalkan. Kabel yang sudah terpasang sebaiknya dinonaktifkan saja.',
  'edit.deleteAsk.node': 'Hapus titik {code}? Ini tidak dapat dibatalkan. Titik yang masih menjadi ujung segmen tidak dapat dihapus.',
  'edit.deleteAsk.site': 'Hapus lokasi {code}? Ini tidak dapat dibatalkan.',
  'edit.deleteConfirm': 'Ya, hapus',
  'edit.deleting': 'Menghapus…',
  'edit.deleted': '{code} telah dihapus.',
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
  'user.admin': 'Administration',
  'user.adminFailed': 'Administration could not be loaded. Check your connection, then try again.',
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
  'edit.title.segment': 'Edit cable segment',
  'edit.title.node': 'Edit network node',
  'edit.title.site': 'Edit service site',
  'edit.close': 'Close',
  'edit.discard': 'Cancel',
  'edit.back': 'Cancel',
  'edit.retry': 'Try again',
  'edit.loading': 'Loading the current data from the server…',
  'edit.loadFailed': 'The data cannot be loaded.',
  'edit.offline': 'no connection; try again when online',
  'edit.version': 'version {version}',
  'edit.storedCopy': 'Offline: this is the copy stored at {time}. Changes can be saved once there is a connection.',
  'edit.storedCopyUndated': 'Offline: this is the copy stored on the device. Changes can be saved once there is a connection.',
  'edit.field.code': 'Code',
  'edit.field.name': 'Name',
  'edit.field.shortName': 'Short name',
  'edit.field.kind': 'Kind',
  'edit.field.owner': 'Owner',
  'edit.field.tier': 'Tier',
  'edit.field.placement': 'Placement',
  'edit.field.cableType': 'Cable type',
  'edit.field.coreCount': 'Cores',
  'edit.field.phaseId': 'Phase',
  'edit.field.contractor': 'Contractor',
  'edit.field.slackM': 'Cable slack (m)',
  'edit.field.costIdrPerMonth': 'ISP cost per month (Rp)',
  'edit.field.status': 'Status',
  'edit.field.geometry': 'Position / route',
  'edit.none': '(none)',
  'edit.phaseUnknown': '(another phase)',
  'edit.hint.code': '1–60 letters, digits or . _ / - (starting with a letter or digit).',
  'edit.hint.cableType': 'e.g. ADSS 24 core',
  'edit.problem.required': 'Required.',
  'edit.problem.code': 'A code has 1–60 letters, digits or . _ / -, starting with a letter or digit.',
  'edit.problem.tooLong': 'At most {max} characters.',
  'edit.problem.number': 'Enter a number.',
  'edit.problem.integer': 'Enter a whole number.',
  'edit.problem.range': 'Must be between {min} and {max}.',
  'edit.problem.check': 'Check the marked fields.',
  'edit.save': 'Save changes',
  'edit.saving': 'Saving…',
  'edit.noChanges': 'Nothing was changed.',
  'edit.saved': 'Saved — now version {version}.',
  'edit.reloaded': 'Loaded the current version ({version}); your changes were discarded.',
  'edit.gone': 'This is no longer on the server (someone deleted it).',
  'edit.conflict.title': 'Someone else changed this since you opened it.',
  'edit.conflict.versions': 'You read version {read}; the server now has version {current}.',
  'edit.conflict.field': 'Field',
  'edit.conflict.theirs': 'On the server now',
  'edit.conflict.mine': 'Mine',
  'edit.conflict.notMine': 'not changed by me',
  'edit.conflict.moved': 'moved',
  'edit.conflict.onlyVersion': 'None of the fields shown here changed; only the version moved on.',
  'edit.why.theirs': 'changed by someone else',
  'edit.why.mine': 'changed by you',
  'edit.why.clash': 'both changed it',
  'edit.conflict.explain': 'Apply mine: the fields you changed are sent on top of version {current}; every other field stays as it is on the server.',
  'edit.conflict.explainDelete': 'You can still delete it, now at version {current}.',
  'edit.conflict.explainDecommission': 'The decommissioning can be sent again, now at version {current}.',
  'edit.conflict.applyMine': 'Apply mine on top of theirs',
  'edit.conflict.deleteAnyway': 'Delete the current version anyway',
  'edit.conflict.decommissionAnyway': 'Decommission the current version anyway',
  'edit.conflict.reloadTheirs': 'Reload theirs',
  'edit.conflict.same': 'The server already has your change; nothing needs sending.',
  'edit.more': 'Other actions',
  'edit.decommission': 'Decommission…',
  'edit.decommissionAsk': 'Decommission {code}? Decommissioned is final; its history is kept.',
  'edit.reason': 'Reason (required)',
  'edit.reasonPlaceholder': 'e.g. route moved to the new duct',
  'edit.reasonRequired': 'Give the reason: decommissioning needs a note.',
  'edit.decommissionConfirm': 'Decommission',
  'edit.decommissioned': '{code} decommissioned — now version {version}.',
  'edit.final': 'Already decommissioned (final status).',
  'edit.delete': 'Delete…',
  'edit.deleteAsk.segment': 'Delete segment {code} and its history? This cannot be undone. Cable already in the ground is better decommissioned.',
  'edit.deleteAsk.node': 'Delete node {code}? This cannot be undone. A node that still ends a segment cannot be deleted.',
  'edit.deleteAsk.site': 'Delete site {code}? This cannot be undone.',
  'edit.deleteConfirm': 'Yes, delete',
  'edit.deleting': 'Deleting…',
  'edit.deleted': '{code} was deleted.',
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
