import { Injectable } from '@nestjs/common';
import exifr from 'exifr';
import { createHash, randomUUID } from 'node:crypto';
import sharp, { Metadata } from 'sharp';
import { EntityManager } from 'typeorm';
import { AuditContext, AuditRepository } from '../audit/audit.repository';
import { DomainError } from '../shared/domain-error';
import { UnitOfWork } from '../shared/transaction';
import { PhotoStores } from './photo-store';
import { PhotoInfo, PhotosRepository } from './photos.repository';

export const PHOTO_MAX_BYTES = 15 * 1024 * 1024;
/** Larger images are refused before decoding: a small file can claim a huge canvas. */
const MAX_PIXELS = 60_000_000;
const FORMATS: Record<string, { contentType: string; extension: string }> = {
  jpeg: { contentType: 'image/jpeg', extension: 'jpg' },
  png: { contentType: 'image/png', extension: 'png' },
  webp: { contentType: 'image/webp', extension: 'webp' },
};

/** Photos as evidence: checked to be real images, EXIF position and time read, thumbnails made. */
@Injectable()
export class PhotosService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly photos: PhotosRepository,
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
    const { width, height } = metadata;
    if (width * height > MAX_PIXELS) throw new DomainError('PHOTO_INVALID', { reason: 'too_many_pixels' });

    // EXIF times carry no zone: they are read as the server's (TZ), so run Serat with TZ=Asia/Jakarta for WIB cameras.
    const exif = await exifr.parse(bytes, { gps: true, pick: ['DateTimeOriginal', 'GPSLatitude', 'GPSLatitudeRef', 'GPSLongitude', 'GPSLongitudeRef'] }).catch(() => null);
    const lat = Number(exif?.latitude);
    const lon = Number(exif?.longitude);
    const hasPosition = Number.isFinite(lat) && Number.isFinite(lon) && Math.abs(lat) <= 90 && Math.abs(lon) <= 180;
    const takenAt = exif?.DateTimeOriginal instanceof Date && !Number.isNaN(exif.DateTimeOriginal.getTime()) ? exif.DateTimeOriginal : null;

    let thumbnail: Buffer;
    try {
      thumbnail = await sharp(bytes, { limitInputPixels: MAX_PIXELS })
        .rotate()
        .resize({ width: 320, height: 320, fit: 'inside', withoutEnlargement: true })
        .webp({ quality: 70 })
        .toBuffer();
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
    return this.unitOfWork.run(async (manager) => {
      const row = await this.photos.insert(
        {
          id,
          uploadedBy: uploaderId,
          contentType: format.contentType,
          sizeBytes: bytes.length,
          sha256: createHash('sha256').update(bytes).digest('hex'),
          width,
          height,
          takenAt,
          exifPosition: hasPosition ? { lon, lat } : null,
          storageKey,
          thumbnailKey,
          store: store.kind,
        },
        manager,
      );
      await store.put(storageKey, bytes, manager);
      await store.put(thumbnailKey, thumbnail, manager);
      await this.audit.append(
        { action: 'upload', entityType: 'photo', entityId: id, changes: { photo: { before: null, after: { sizeBytes: bytes.length, contentType: format.contentType } } } },
        context,
        manager,
      );
      return row;
    });
  }

  async file(id: string, thumbnail: boolean): Promise<{ bytes: Buffer; contentType: string } | null> {
    const row = await this.photos.files(id);
    if (!row) return null;
    // The store the photo was written to, whatever SERAT_PHOTO_STORE says today.
    const bytes = await this.stores.named(row.store).get(thumbnail ? row.thumbnailKey : row.storageKey);
    return bytes ? { bytes, contentType: thumbnail ? 'image/webp' : row.contentType } : null;
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
      const gone = await this.unitOfWork.run(async (manager) => {
        const rows = await this.photos.deleteUnlinked(olderThanDays, batch, manager);
        if (rows.length > 0) {
          await this.audit.append(
            {
              action: 'purge',
              entityType: 'photo',
              entityId: null,
              changes: { unlinkedPhotos: { before: rows.map((r) => r.id), after: null }, olderThanDays: { before: null, after: olderThanDays } },
            },
            context,
            manager,
          );
        }
        return rows;
      });
      // Files cannot be part of the transaction: removed once their rows are gone for good.
      for (const row of gone) {
        const store = this.stores.named(row.store);
        await store.remove(row.storageKey);
        await store.remove(row.thumbnailKey);
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
    const attached = await this.photos.attach(photoIds, uploaderId, statusChangeId, manager);
    if (attached.length !== new Set(photoIds).size) {
      const found = new Set(attached);
      throw new DomainError('PHOTO_NOT_USABLE', { photoIds: photoIds.filter((id) => !found.has(id)) });
    }
  }
}
