import { Inject, Injectable } from '@nestjs/common';
import { SERAT_CONFIG, SeratConfig } from '@serat/config';
import type { MilestoneDetail, MilestoneThreadEntry } from '@serat/contract';
import { toCsvTable, zipStream, type LazyZipEntry } from '@serat/geo';
import { createHash } from 'node:crypto';
import { AuditContext, AuditRepository } from '../audit/audit.repository';
import { PhotosService } from '../evidence/photos.service';
import { DomainError } from '../shared/domain-error';
import { EvidencePackRow, EvidencePacksRepository } from './evidence-packs.repository';
import { evidencePackSummary } from './evidence-pack-summary';
import { MilestonesRepository, ScopePhotoRow } from './milestones.repository';
import { MilestonesService } from './milestones.service';

/** The pack's bytes go to the database a megabyte a row. */
const CHUNK_BYTES = 1 << 20;
/** Rows read per query while the CSVs are written. */
const PAGE = 5000;
/** Files in one pack at most: past this a milestone's scope is too big to hand to one auditor. */
export const MAX_PACK_PHOTOS = 100_000;
const MB = 1024 * 1024;

const EXTENSIONS: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' };

/** A file name part from a segment's code: letters, digits, dot, dash and underscore only. */
function safeName(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80) || '_';
}

export function photoPath(photo: Pick<ScopePhotoRow, 'id' | 'segmentCode' | 'contentType'>): string {
  const extension = EXTENSIONS[photo.contentType] ?? 'bin';
  return photo.segmentCode === null ? `lampiran/${photo.id}.${extension}` : `foto/${safeName(photo.segmentCode)}/${photo.id}.${extension}`;
}

/**
 * A milestone's evidence pack for an audit: one ZIP with its summary page, the status history of
 * its segments in scope (CSV), the OTDR readings (CSV), the photos with their EXIF time and
 * position (the files and a CSV), the review thread (CSV) and the SHA-256 of every file, built by
 * a worker and kept for SERAT_EVIDENCE_PACK_DAYS days.
 */
@Injectable()
export class EvidencePacksService {
  constructor(
    private readonly packs: EvidencePacksRepository,
    private readonly milestones: MilestonesRepository,
    private readonly service: MilestonesService,
    private readonly photos: PhotosService,
    private readonly audit: AuditRepository,
    @Inject(SERAT_CONFIG) private readonly config: SeratConfig,
  ) {}

  /**
   * A new pack for the milestone, queued (the caller sends the job), or the one already queued or
   * being built. Refused before any work when its photos alone pass the size limit.
   */
  async request(milestoneId: string, context: AuditContext): Promise<{ pack: EvidencePackRow; created: boolean }> {
    const milestone = await this.milestones.find(milestoneId);
    if (!milestone) throw new DomainError('NOT_FOUND');
    const pending = await this.packs.pending(milestoneId);
    if (pending) return { pack: pending, created: false };
    const weight = await this.milestones.scopePhotoBytes(milestone);
    this.checkSize(weight.bytes, weight.photos);
    const id = await this.packs.insert(milestoneId, context.actorId, context.actorLabel);
    await this.audit.append({ action: 'request_evidence_pack', entityType: 'milestone', entityId: milestoneId, changes: { evidencePack: { before: null, after: id } } }, context);
    return { pack: (await this.packs.find(id))!, created: true };
  }

  find(id: string): Promise<EvidencePackRow | null> {
    return this.packs.find(id);
  }

  /** Removes the packs made more than so many days ago; returns how many. */
  expire(olderThanDays: number): Promise<number> {
    return this.packs.expire(olderThanDays);
  }

  /**
   * The pack's bytes in order, a chunk at a time, to `write`; it stops when `write` says the reader
   * has gone, and throws when a chunk is gone (the pack expired on the way).
   */
  async stream(id: string, write: (bytes: Buffer) => Promise<boolean>): Promise<void> {
    for (const seq of await this.packs.chunkNumbers(id)) {
      const bytes = await this.packs.chunk(id, seq);
      if (!bytes) throw new Error(`evidence pack ${id} lost chunk ${seq} while it was read (expired?)`);
      if (!(await write(bytes))) return;
    }
  }

  /** A job that could not be sent: the pack says so rather than wait for ever. */
  async abandon(id: string): Promise<void> {
    await this.packs.fail(id, 'QUEUE_UNAVAILABLE', {});
  }

  private checkSize(bytes: number, photos: number): void {
    const max = this.config.evidencePacks.maxBytes;
    if (bytes > max || photos > MAX_PACK_PHOTOS) {
      throw new DomainError('EVIDENCE_PACK_TOO_LARGE', { sizeMb: Math.ceil(bytes / MB), maxMb: Math.floor(max / MB), photos });
    }
  }

  /** Builds the pack (the worker's job); progress in percent as it goes. A failure is kept on the pack with its reason. */
  async build(id: string, progress: (percent: number) => Promise<void>): Promise<{ files: number; sizeBytes: number }> {
    const pack = await this.packs.find(id);
    if (!pack) throw new DomainError('NOT_FOUND');
    if (pack.state === 'done') return { files: pack.files ?? 0, sizeBytes: pack.sizeBytes ?? 0 };
    await this.packs.start(id);
    // The pack's row says how far it is (what the api shows), the job too.
    const report = async (percent: number) => {
      await this.packs.setProgress(id, percent);
      await progress(percent);
    };
    try {
      const result = await this.write(pack, report);
      // Only with every chunk this run wrote still there (a second run of a stalled job starts over and clears them).
      if (!(await this.packs.finish(id, result))) throw new DomainError('EVIDENCE_PACK_FAILED');
      return { files: result.files, sizeBytes: result.sizeBytes };
    } catch (error) {
      const known = error instanceof DomainError;
      await this.packs.fail(id, known ? error.code : 'EVIDENCE_PACK_FAILED', known ? ((error.details as Record<string, unknown>) ?? {}) : {});
      throw error;
    }
  }

  private async write(pack: EvidencePackRow, progress: (percent: number) => Promise<void>): Promise<{ files: number; sizeBytes: number; sha256: string; chunks: number }> {
    const detail = await this.service.detail(pack.milestoneId);
    if (!detail) throw new DomainError('NOT_FOUND');
    const generatedAt = new Date();
    const photos = await this.allPhotos(detail);
    this.checkSize(
      photos.reduce((sum, photo) => sum + photo.sizeBytes, 0),
      photos.length,
    );
    const [history, thread] = await Promise.all([this.historyCsv(detail), this.allThread(detail.id)]);
    const hashes: { name: string; sha256: string; bytes: number }[] = [];
    const total = photos.length + 6;
    let done = 0;
    let reported = 0;
    const step = async () => {
      done += 1;
      const percent = Math.min(99, Math.floor((done / total) * 100));
      if (percent >= reported + 2) {
        reported = percent;
        await progress(percent);
      }
    };
    /** Each file's SHA-256 is taken as its bytes go into the zip. */
    const hashed = (name: string, read: () => Promise<string | Buffer>, store = false): LazyZipEntry => ({
      name,
      store,
      read: async () => {
        const data = await read();
        const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
        hashes.push({ name, sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length });
        await step();
        return bytes;
      },
    });
    const entries: LazyZipEntry[] = [
      hashed('ringkasan.html', async () =>
        evidencePackSummary({
          milestone: detail,
          thread,
          photos: photos.length,
          historyRows: history.rows,
          generatedAt,
          requestedBy: pack.requestedLabel,
          timeZone: this.config.timeZone,
        }),
      ),
      hashed('riwayat-status.csv', async () => history.csv),
      hashed('otdr.csv', async () => history.otdrCsv),
      hashed('tinjauan.csv', async () => this.threadCsv(thread)),
      hashed('foto.csv', async () => this.photosCsv(photos)),
      ...photos.map((photo) =>
        hashed(
          photoPath(photo),
          async () => {
            const file = await this.photos.file(photo.id, false);
            if (!file) throw new DomainError('EVIDENCE_PACK_PHOTO_MISSING', { photoId: photo.id });
            return file.bytes;
          },
          true,
        ),
      ),
      // Last: by the time the zip reaches it every other file has been read.
      {
        name: 'sha256sum.txt',
        read: async () => {
          await step();
          return hashes.map((entry) => `${entry.sha256}  ${entry.name}`).join('\n') + '\n';
        },
      },
    ];

    const max = this.config.evidencePacks.maxBytes;
    const whole = createHash('sha256');
    let size = 0;
    let seq = 0;
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    const flush = async () => {
      if (pendingBytes === 0) return;
      await this.packs.putChunk(pack.id, seq++, Buffer.concat(pending, pendingBytes));
      pending = [];
      pendingBytes = 0;
    };
    for await (const chunk of zipStream(entries, generatedAt) as AsyncIterable<Buffer>) {
      whole.update(chunk);
      size += chunk.length;
      if (size > max) throw new DomainError('EVIDENCE_PACK_TOO_LARGE', { sizeMb: Math.ceil(size / MB), maxMb: Math.floor(max / MB), photos: photos.length });
      pending.push(chunk);
      pendingBytes += chunk.length;
      if (pendingBytes >= CHUNK_BYTES) await flush();
    }
    await flush();
    return { files: entries.length, sizeBytes: size, sha256: whole.digest('hex'), chunks: seq };
  }

  private async allPhotos(milestone: MilestoneDetail): Promise<ScopePhotoRow[]> {
    const all: ScopePhotoRow[] = [];
    let after: string | null = null;
    for (;;) {
      const page = await this.milestones.scopePhotos(milestone, after, PAGE);
      all.push(...page);
      if (page.length < PAGE || all.length > MAX_PACK_PHOTOS) return all;
      after = page[page.length - 1].id;
    }
  }

  private async allThread(id: string): Promise<MilestoneThreadEntry[]> {
    const all: MilestoneThreadEntry[] = [];
    let after: string | null = null;
    do {
      const page = await this.milestones.thread(id, 500, after);
      all.push(...page.entries);
      after = page.nextCursor;
    } while (after !== null);
    return all;
  }

  /** The status history of the segments in scope, and their OTDR readings, as CSV. */
  private async historyCsv(milestone: MilestoneDetail): Promise<{ csv: string; otdrCsv: string; rows: number }> {
    const rows: (string | number | null)[][] = [];
    const otdr: (string | number | null)[][] = [];
    let after: string | null = null;
    for (;;) {
      const page = await this.milestones.scopeHistory(milestone, after, PAGE);
      for (const change of page) {
        rows.push([
          change.segmentCode,
          change.fromStatus,
          change.toStatus,
          change.changedAt,
          change.deviceTime,
          change.changedBy,
          change.note,
          change.gpsLon,
          change.gpsLat,
          change.gpsAccuracyM,
          change.otdrLossDb,
          change.otdrLengthM,
          change.otdrWavelengthNm,
          change.photos,
          change.id,
        ]);
        if (change.otdrLossDb !== null) {
          otdr.push([change.segmentCode, change.changedAt, change.otdrLossDb, change.otdrLengthM, change.otdrWavelengthNm, change.changedBy, change.toStatus, change.id]);
        }
      }
      if (page.length < PAGE) break;
      after = page[page.length - 1].id;
    }
    const csv = toCsvTable(
      [
        'segment_code',
        'from_status',
        'to_status',
        'changed_at',
        'device_time',
        'changed_by',
        'note',
        'gps_lon',
        'gps_lat',
        'gps_accuracy_m',
        'otdr_loss_db',
        'otdr_length_m',
        'otdr_wavelength_nm',
        'photos',
        'status_change_id',
      ],
      rows,
    );
    const otdrCsv = toCsvTable(['segment_code', 'measured_at', 'loss_db', 'length_m', 'wavelength_nm', 'measured_by', 'status', 'status_change_id'], otdr);
    return { csv, otdrCsv, rows: rows.length };
  }

  private threadCsv(thread: MilestoneThreadEntry[]): string {
    return toCsvTable(
      ['id', 'kind', 'verdict', 'author', 'created_at', 'refers_to', 'superseded_by', 'state_then', 'value_then', 'target_then', 'evidence_complete_then', 'body'],
      thread.map((entry) => [
        entry.id,
        entry.kind,
        entry.verdict,
        entry.authorLabel,
        entry.createdAt,
        entry.refersTo,
        entry.supersededBy,
        entry.atState?.state ?? null,
        entry.atState?.value ?? null,
        entry.atState?.target ?? null,
        entry.atState ? String(entry.atState.evidenceComplete) : null,
        entry.body,
      ]),
    );
  }

  private photosCsv(photos: ScopePhotoRow[]): string {
    return toCsvTable(
      ['file', 'photo_id', 'segment_code', 'status_change_id', 'status', 'taken_at_exif', 'exif_lon', 'exif_lat', 'uploaded_at', 'uploaded_by', 'content_type', 'size_bytes'],
      photos.map((photo) => [
        photoPath(photo),
        photo.id,
        photo.segmentCode,
        photo.statusChangeId,
        photo.toStatus,
        photo.takenAt,
        photo.exifLon,
        photo.exifLat,
        photo.uploadedAt,
        photo.uploadedBy,
        photo.contentType,
        photo.sizeBytes,
      ]),
    );
  }
}
