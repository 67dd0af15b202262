import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { PhotoStoreKind } from './photo-store';

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

export interface NewPhoto {
  id: string;
  uploadedBy: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  width: number;
  height: number;
  takenAt: Date | null;
  /** From the EXIF GPS tags, WGS84. */
  exifPosition: { lon: number; lat: number } | null;
  storageKey: string;
  thumbnailKey: string;
  store: PhotoStoreKind;
}

/** Where a photo's bytes are: its store and its two keys there. */
export interface PhotoFiles {
  id: string;
  contentType: string;
  store: PhotoStoreKind;
  storageKey: string;
  thumbnailKey: string;
}

const INFO = `id, content_type AS "contentType", size_bytes AS "sizeBytes", width, height, taken_at AS "takenAt",
  CASE WHEN exif_position IS NULL THEN NULL ELSE json_build_object('lon', ST_X(exif_position), 'lat', ST_Y(exif_position)) END AS "exifPosition",
  uploaded_at AS "uploadedAt"`;

const FILES = `id, content_type AS "contentType", store, storage_key AS "storageKey", thumbnail_key AS "thumbnailKey"`;

/** The one writer of photos and of photo_blobs (the bytes of photos kept in the database store). */
@Injectable()
export class PhotosRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insert(photo: NewPhoto, manager: EntityManager): Promise<PhotoInfo> {
    const [row]: PhotoInfo[] = await manager.query(
      `INSERT INTO photos (id, uploaded_by, content_type, size_bytes, sha256, width, height, taken_at, exif_position, storage_key, thumbnail_key, store)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, CASE WHEN $9::float8 IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint($9, $10), 4326) END, $11, $12, $13)
       RETURNING ${INFO}`,
      [
        photo.id,
        photo.uploadedBy,
        photo.contentType,
        photo.sizeBytes,
        photo.sha256,
        photo.width,
        photo.height,
        photo.takenAt,
        photo.exifPosition?.lon ?? null,
        photo.exifPosition?.lat ?? null,
        photo.storageKey,
        photo.thumbnailKey,
        photo.store,
      ],
    );
    return row;
  }

  async files(id: string): Promise<PhotoFiles | null> {
    const [row] = await this.dataSource.query(`SELECT ${FILES} FROM photos WHERE id = $1`, [id]);
    return row ?? null;
  }

  /**
   * Deletes up to `batch` photos that no status change took and that were uploaded more than
   * `olderThanDays` ago, oldest first, skipping rows locked meanwhile (a photo being attached);
   * returns where their bytes are.
   */
  async deleteUnlinked(olderThanDays: number, batch: number, manager: EntityManager): Promise<PhotoFiles[]> {
    return manager.query(
      `WITH gone AS (
         DELETE FROM photos WHERE id IN (
           SELECT id FROM photos WHERE status_change_id IS NULL AND uploaded_at < now() - make_interval(days => $1)
              AND NOT EXISTS (SELECT 1 FROM milestone_evidence e WHERE e.photo_id = photos.id)
            ORDER BY uploaded_at LIMIT $2 FOR UPDATE SKIP LOCKED)
         RETURNING ${FILES})
       SELECT * FROM gone`,
      [olderThanDays, batch],
    );
  }

  /** Attaches those of the photos that the uploader owns and that are not attached yet; returns their ids. */
  async attach(photoIds: string[], uploaderId: string, statusChangeId: string, manager: EntityManager): Promise<string[]> {
    const rows: { id: string }[] = await manager.query(
      `WITH attached AS (
         UPDATE photos SET status_change_id = $3
          WHERE id = ANY($1::uuid[]) AND uploaded_by = $2 AND status_change_id IS NULL
         RETURNING id)
       SELECT id FROM attached`,
      [photoIds, uploaderId, statusChangeId],
    );
    return rows.map((r) => r.id);
  }

  /** Stores bytes under a key, replacing any; the photos row must exist first (same transaction is enough). */
  async putBlob(key: string, photoId: string, bytes: Buffer, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.query(
      `INSERT INTO photo_blobs (key, photo_id, bytes) VALUES ($1, $2, $3)
       ON CONFLICT (key) DO UPDATE SET bytes = excluded.bytes, created_at = now()`,
      [key, photoId, bytes],
    );
  }

  async blob(key: string): Promise<Buffer | null> {
    const [row]: { bytes: Buffer }[] = await this.dataSource.query(`SELECT bytes FROM photo_blobs WHERE key = $1`, [key]);
    return row ? row.bytes : null;
  }

  async removeBlob(key: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM photo_blobs WHERE key = $1`, [key]);
  }
}
