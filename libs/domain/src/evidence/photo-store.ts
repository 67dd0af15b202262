import { Inject, Injectable } from '@nestjs/common';
import { SERAT_CONFIG, SeratConfig } from '@serat/config';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { EntityManager } from 'typeorm';
import { PhotosRepository } from './photos.repository';

/** Where a photo's bytes are kept; each photos row names its store, so old photos stay readable after a switch. */
export type PhotoStoreKind = SeratConfig['photoStore'];

/**
 * Keys are made by PhotosService: the month folder, the photo's id, "-thumb" for its thumbnail.
 * Anything else is refused, so a key can never name a path outside the store.
 */
const PHOTO_KEY = /^[0-9]{4}\/[0-9]{2}\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(-thumb)?\.(jpg|png|webp)$/;

/** The id of the photo a key belongs to; throws on a key PhotosService would not make. */
export function photoIdOfKey(key: string): string {
  const match = PHOTO_KEY.exec(key);
  if (!match) throw new Error(`bad photo key ${key}`);
  return match[1];
}

/** Where photo bytes live (photos at most 15 MB, thumbnails a few kB). */
export abstract class PhotoStore {
  abstract readonly kind: PhotoStoreKind;
  /**
   * Stores the bytes under the key, replacing any. With a manager, a store that can joins that
   * transaction, so the bytes are kept exactly when the photos row is.
   */
  abstract put(key: string, bytes: Buffer, manager?: EntityManager): Promise<void>;
  abstract get(key: string): Promise<Buffer | null>;
  /** Removes the bytes under the key; nothing there is fine. */
  abstract remove(key: string): Promise<void>;
}

/**
 * Files under SERAT_DATA_DIR/photos. Several api replicas must share that folder (a volume), and
 * it needs its own backup. A failed upload can leave files that no row names (harmless, unreachable).
 */
@Injectable()
export class DiskPhotoStore extends PhotoStore {
  readonly kind = 'disk' as const;
  private readonly root: string;

  constructor(@Inject(SERAT_CONFIG) config: SeratConfig) {
    super();
    this.root = path.join(config.dataDir, 'photos');
  }

  private pathOf(key: string): string {
    photoIdOfKey(key);
    return path.join(this.root, key);
  }

  async put(key: string, bytes: Buffer): Promise<void> {
    const file = this.pathOf(key);
    await fs.mkdir(path.dirname(file), { recursive: true });
    // Write then rename, so a reader never sees half a file.
    const temporary = `${file}.${process.pid}.tmp`;
    await fs.writeFile(temporary, bytes);
    await fs.rename(temporary, file);
  }

  async get(key: string): Promise<Buffer | null> {
    try {
      return await fs.readFile(this.pathOf(key));
    } catch (error) {
      if ((error as { code?: string }).code === 'ENOENT') return null;
      throw error;
    }
  }

  async remove(key: string): Promise<void> {
    await fs.rm(this.pathOf(key), { force: true });
  }
}

/**
 * Rows of photo_blobs in the same PostgreSQL as everything else: every api replica sees them, the
 * database backup holds them, and written in the upload's transaction they exist exactly when
 * their photos row does (deleting the row deletes them: foreign key with cascade).
 */
@Injectable()
export class DatabasePhotoStore extends PhotoStore {
  readonly kind = 'database' as const;

  constructor(private readonly photos: PhotosRepository) {
    super();
  }

  async put(key: string, bytes: Buffer, manager?: EntityManager): Promise<void> {
    // The photos row must exist first (same transaction is enough): the blob refers to it.
    await this.photos.putBlob(key, photoIdOfKey(key), bytes, manager);
  }

  async get(key: string): Promise<Buffer | null> {
    photoIdOfKey(key);
    return this.photos.blob(key);
  }

  async remove(key: string): Promise<void> {
    photoIdOfKey(key);
    // Usually gone already: deleting the photos row deletes its blobs (foreign key with cascade).
    await this.photos.removeBlob(key);
  }
}

/** Both stores: new photos go to the configured one (SERAT_PHOTO_STORE), each photo is read from the one its row names. */
@Injectable()
export class PhotoStores {
  readonly current: PhotoStore;
  private readonly byKind: Record<PhotoStoreKind, PhotoStore>;

  constructor(@Inject(SERAT_CONFIG) config: SeratConfig, disk: DiskPhotoStore, database: DatabasePhotoStore) {
    this.byKind = { disk, database };
    this.current = this.byKind[config.photoStore];
  }

  named(kind: PhotoStoreKind): PhotoStore {
    const store = this.byKind[kind];
    if (!store) throw new Error(`unknown photo store ${kind}`);
    return store;
  }
}
