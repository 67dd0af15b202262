import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import exifr from 'exifr';
import { createHash, randomUUID } from 'node:crypto';
import sharp, { Metadata } from 'sharp';
import { DataSource, EntityManager } from 'typeorm';
import { AuditContext, AuditRepository } from '../audit/audit.repository';
import { DomainError } from '../shared/domain-error';
import { inTransaction } from '../shared/transaction';
import { PhotoStoreKind, PhotoStores } from './photo-store';

export const PHOTO_MAX_BYTES = 15 * 1024 * 1024;
/** Larger images are refused before decoding: a small file can claim a huge canvas. */
const MAX_PIXELS = 60_000_000;
const FORMATS: Record<string, { contentType: string; extension: string }> = {
  jpeg: { contentType: 'image/jpeg', extension: 'jpg' },
  png: { contentType: 'image/png', extension: 'png' },
  webp: { contentType: 'image/webp', extension: 'webp' },
};

export interface PhotoInfo {
  id: string;
  contentType: string;
  sizeBytes: number;
  width: number;
  height: number;
  takenAt: Date | null;
  exifPosition: { lon: number; lat: number } | null;
  uploadedAt: Date;
}

const INFO = `id, content_type AS "contentType", size_bytes AS "sizeBytes", width, height, taken_at AS "takenAt",
  CASE WHEN exif_position IS NULL THEN NULL ELSE json_build_object('lon', ST_X(exif_position), 'lat', ST_Y(exif_position)) END AS "exifPosition",
  uploaded_at AS "uploadedAt"`;

/** Photos as evidence: checked to be real images, EXIF position and time read, thumbnails made. */
@Injectable()
export class PhotosService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly stores: PhotoStores,
    private readonly audit: AuditRepository,
  ) {}

  async upload(bytes: Buffer, uploaderId: string, context: AuditContext): Promise<PhotoInfo> {
    if (bytes.length === 0) throw new DomainError('PHOTO_INVALID', { reason: 'empty' });
    if (bytes.length > PHOTO_MAX_BYTES) throw new DomainError('PHOTO_TOO_LARGE', { maxMb: PHOTO_MAX_BYTES / 1024 / 1024 });
    let metadata: Metadata;
    try {
      // The content decides, never the file name or the Content-Type the client sent.
      metadata = await sharp(bytes, { limitInputPixels: MAX_PIXELS }).metadata();
    } catch {
      throw new DomainError('PHOTO_INVALID', { reason: 'not_an_image' });
    }
    const format = metadata.format ? FORMATS[metadata.format] : undefined;
    if (!format || !metadata.width || !metadata.height) throw new DomainError('PHOTO_INVALID', { reason: 'unsupported_format', format: metadata.format ?? null });
    if (metadata.width * metadata.height > MAX_PIXELS) throw new DomainError('PHOTO_INVALID', { reason: 'too_many_pixels' });

    // EXIF times carry no zone: they are read as the server's (TZ), so run Serat with TZ=Asia/Jakarta for WIB cameras.
    const exif = await exifr
      .parse(bytes, { gps: true, pick: ['DateTimeOriginal', 'GPSLatitude', 'GPSLatitudeRef', 'GPSLongitude', 'GPSLongitudeRef'] })
      .catch(() => null);
    const lat = Number(exif?.latitude);
    const lon = Number(exif?.longitude);
    const hasPosition = Number.isFinite(lat) && Number.isFinite(lon) && Math.abs(lat) <= 90 && Math.abs(lon) <= 180;
    const takenAt = exif?.DateTimeOriginal instanceof Date && !Number.isNaN(exif.DateTimeOriginal.getTime()) ? exif.DateTimeOriginal : null;

    let thumbnail: Buffer;
    try {
      thumbnail = await sharp(bytes, { limitInputPixels: MAX_PIXELS }).rotate().resize({ width: 320, height: 320, fit: 'inside', withoutEnlargement: true }).webp({ quality: 70 }).toBuffer();
    } catch {
      throw new DomainError('PHOTO_INVALID', { reason: 'not_an_image' });
    }
    const id = randomUUID();
    const now = new Date();
    const folder = `${now.getUTCFullYear()}/${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
    const storageKey = `${folder}/${id}.${format.extension}`;
    const thumbnailKey = `${folder}/${id}-thumb.webp`;
    const store = this.stores.current;
    // The row first (blobs in the database refer to it), then the bytes and the audit entry, all
    // or nothing: a failed upload leaves no row, no audit entry and, in the database store, no bytes.
    return inTransaction(this.dataSource, async (manager) => {
      const [row]: PhotoInfo[] = await manager.query(
        `INSERT INTO photos (id, uploaded_by, content_type, size_bytes, sha256, width, height, taken_at, exif_position, storage_key, thumbnail_key, store)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, CASE WHEN $9::float8 IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint($9, $10), 4326) END, $11, $12, $13)
         RETURNING ${INFO}`,
        [id, uploaderId, format.contentType, bytes.length, createHash('sha256').update(bytes).digest('hex'), metadata.width, metadata.height, takenAt,
          hasPosition ? lon : null, hasPosition ? lat : null, storageKey, thumbnailKey, store.kind],
      );
      await store.put(storageKey, bytes, manager);
      await store.put(thumbnailKey, thumbnail, manager);
      await this.audit.append({ action: 'upload', entityType: 'photo', entityId: id, changes: { photo: { before: null, after: { sizeBytes: bytes.length, contentType: format.contentType } } } }, context, manager);
      return row;
    });
  }

  async file(id: string, thumbnail: boolean): Promise<{ bytes: Buffer; contentType: string } | null> {
    const [row] = await this.dataSource.query(`SELECT content_type, storage_key, thumbnail_key, store FROM photos WHERE id = $1`, [id]);
    if (!row) return null;
    // The store the photo was written to, whatever SERAT_PHOTO_STORE says today.
    const bytes = await this.stores.named(row.store).get(thumbnail ? row.thumbnail_key : row.storage_key);
    return bytes ? { bytes, contentType: thumbnail ? 'image/webp' : row.content_type } : null;
  }

  /**
   * Deletes photos that no status change took within `olderThanDays` (an upload whose change was
   * discarded after a conflict, a form left unsent), with their bytes: otherwise they stay forever,
   * up to 15 MB each, in the database and its backups. Batches of `batch`, each in one transaction
   * with its audit entry; a photo being attached at that moment is skipped (its row is locked). A
   * technician's outbox uploads a purged photo again when it sends the change.
   */
  async purgeUnlinked(olderThanDays: number, context: AuditContext, batch = 500): Promise<number> {
    let deleted = 0;
    for (;;) {
      const gone: { id: string; store: PhotoStoreKind; storage_key: string; thumbnail_key: string }[] = await inTransaction(this.dataSource, async (manager) => {
        const rows = await manager.query(
          `WITH gone AS (
             DELETE FROM photos WHERE id IN (
               SELECT id FROM photos WHERE status_change_id IS NULL AND uploaded_at < now() - make_interval(days => $1)
                ORDER BY uploaded_at LIMIT $2 FOR UPDATE SKIP LOCKED)
             RETURNING id, store, storage_key, thumbnail_key)
           SELECT * FROM gone`,
          [olderThanDays, batch],
        );
        if (rows.length > 0) {
          await this.audit.append(
            { action: 'purge', entityType: 'photo', entityId: null, changes: { unlinkedPhotos: { before: rows.map((r: { id: string }) => r.id), after: null }, olderThanDays: { before: null, after: olderThanDays } } },
            context,
            manager,
          );
        }
        return rows;
      });
      // Files cannot be part of the transaction: removed once their rows are gone for good.
      for (const row of gone) {
        const store = this.stores.named(row.store);
        await store.remove(row.storage_key);
        await store.remove(row.thumbnail_key);
      }
      deleted += gone.length;
      if (gone.length < batch) return deleted;
    }
  }

  /**
   * Attaches photos to a status change. Only the uploader's own photos that are not attached
   * yet can be used; anything else is refused, naming the ids.
   */
  async attach(photoIds: string[], uploaderId: string, statusChangeId: string, manager: EntityManager): Promise<void> {
    if (photoIds.length === 0) return;
    const rows: { id: string }[] = await manager.query(
      `WITH attached AS (
         UPDATE photos SET status_change_id = $3
          WHERE id = ANY($1::uuid[]) AND uploaded_by = $2 AND status_change_id IS NULL
         RETURNING id)
       SELECT id FROM attached`,
      [photoIds, uploaderId, statusChangeId],
    );
    if (rows.length !== new Set(photoIds).size) {
      const found = new Set(rows.map((r) => r.id));
      throw new DomainError('PHOTO_NOT_USABLE', { photoIds: photoIds.filter((id) => !found.has(id)) });
    }
  }
}
