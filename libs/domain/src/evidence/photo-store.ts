import { Inject, Injectable } from '@nestjs/common';
import { SERAT_CONFIG, SeratConfig } from '@serat/config';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';

/**
 * Where photo files live. On disk under SERAT_DATA_DIR/photos by default; several api replicas
 * must then share that folder (a volume), or another store implementing this must be used.
 */
export abstract class PhotoStore {
  abstract put(key: string, bytes: Buffer): Promise<void>;
  abstract get(key: string): Promise<Buffer | null>;
}

@Injectable()
export class DiskPhotoStore extends PhotoStore {
  private readonly root: string;

  constructor(@Inject(SERAT_CONFIG) config: SeratConfig) {
    super();
    this.root = path.join(config.dataDir, 'photos');
  }

  private pathOf(key: string): string {
    // Keys are made by PhotosService (date folders and uuids); refuse anything else.
    if (!/^[0-9]{4}\/[0-9]{2}\/[0-9a-f-]{36}(-thumb)?\.(jpg|png|webp)$/.test(key)) throw new Error(`bad photo key ${key}`);
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
}
