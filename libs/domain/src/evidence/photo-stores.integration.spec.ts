import { loadConfig, SeratConfig } from '@serat/config';
import { AuditContext, AuditEntry, AuditRepository, DatabasePhotoStore, DiskPhotoStore, PhotosRepository, PhotosService, PhotoStores, UnitOfWork } from '@serat/domain';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import sharp from 'sharp';
import { EntityManager } from 'typeorm';
import { createTestUser, TestUser } from '../../../../test/support/auth';
import { useTestDatabase } from '../../../../test/support/databases';

/** A camera-like JPEG: noise, so that its bytes are many and all different. */
const noisyJpeg = (width = 640, height = 480) =>
  sharp({ create: { width, height, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 128, sigma: 40 } } })
    .jpeg({ quality: 90 })
    .toBuffer();

describe('photo stores on PostgreSQL', () => {
  const db = useTestDatabase();
  let dataDir: string;
  let user: TestUser;
  let context: AuditContext;

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'serat-photo-stores-'));
    user = await createTestUser(db.dataSource, 'technician');
    context = { actorId: user.id, actorLabel: user.username };
  });
  afterAll(async () => {
    if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
  });

  const config = (photoStore: 'database' | 'disk'): SeratConfig => loadConfig({ SERAT_DATA_DIR: dataDir, SERAT_PHOTO_STORE: photoStore });
  const storesFor = (photoStore: 'database' | 'disk') =>
    new PhotoStores(config(photoStore), new DiskPhotoStore(config(photoStore)), new DatabasePhotoStore(new PhotosRepository(db.dataSource)));
  const serviceFor = (photoStore: 'database' | 'disk', audit = new AuditRepository(db.dataSource)) =>
    new PhotosService(new UnitOfWork(db.dataSource), new PhotosRepository(db.dataSource), storesFor(photoStore), audit);
  const count = async (sql: string, params: unknown[] = []) => (await db.dataSource.query(`SELECT count(*)::int AS n ${sql}`, params))[0].n as number;
  /** A photos row as PhotosService writes it, for testing a store on its own. */
  const photoRow = async (store: 'database' | 'disk') => {
    const id = randomUUID();
    const key = `2026/11/${id}.jpg`;
    await db.dataSource.query(
      `INSERT INTO photos (id, uploaded_by, content_type, size_bytes, sha256, width, height, storage_key, thumbnail_key, store)
       VALUES ($1, $2, 'image/jpeg', 1, repeat('0', 64), 1, 1, $3, $4, $5)`,
      [id, user.id, key, `2026/11/${id}-thumb.webp`, store],
    );
    return { id, key };
  };

  describe.each(['database', 'disk'] as const)('the %s store', (kind) => {
    const store = () => storesFor(kind).named(kind);

    it('gives back exactly the bytes it was given, and nothing for a key it does not hold', async () => {
      const { key } = await photoRow(kind);
      const bytes = await noisyJpeg();
      await store().put(key, bytes);
      expect((await store().get(key))!.equals(bytes)).toBe(true);
      // put replaces, as a file written again would be.
      await store().put(key, bytes.subarray(0, 100));
      expect((await store().get(key))!.equals(bytes.subarray(0, 100))).toBe(true);
      expect(await store().get(`2026/11/${randomUUID()}.jpg`)).toBeNull();
    });

    it('refuses keys PhotosService would not make', async () => {
      for (const key of ['../../etc/passwd', '2026/11/../../x.jpg', `2026/11/${randomUUID()}.gif`, `/2026/11/${randomUUID()}.jpg`, 'x'.repeat(36)]) {
        await expect(store().put(key, Buffer.from('x'))).rejects.toThrow(/bad photo key/);
        await expect(store().get(key)).rejects.toThrow(/bad photo key/);
      }
    });
  });

  it('keeps database bytes only while their photos row exists', async () => {
    const { id, key } = await photoRow('database');
    await new DatabasePhotoStore(new PhotosRepository(db.dataSource)).put(key, Buffer.from([0xff, 0xd8, 0xff]));
    await db.dataSource.query(`DELETE FROM photos WHERE id = $1`, [id]);
    expect(await count(`FROM photo_blobs WHERE key = $1`, [key])).toBe(0);
    // Bytes for a photo that has no row are refused rather than left without an owner.
    await expect(new DatabasePhotoStore(new PhotosRepository(db.dataSource)).put(`2026/11/${randomUUID()}.jpg`, Buffer.from('x'))).rejects.toThrow(/fk_photo_blobs_photo/);
  });

  it('serves a photo uploaded to the database store byte-identical, with a WebP thumbnail, and writes nothing to disk', async () => {
    const bytes = await noisyJpeg(1600, 1200);
    const photo = await serviceFor('database').upload(bytes, user.id, context);
    const [row] = await db.dataSource.query(`SELECT store, storage_key, thumbnail_key FROM photos WHERE id = $1`, [photo.id]);
    expect(row.store).toBe('database');
    expect(await count(`FROM photo_blobs WHERE photo_id = $1`, [photo.id])).toBe(2);
    await expect(fs.access(path.join(dataDir, 'photos', row.storage_key))).rejects.toThrow(/ENOENT/);

    const original = await serviceFor('database').file(photo.id, false);
    expect(original!.contentType).toBe('image/jpeg');
    expect(original!.bytes.equals(bytes)).toBe(true);
    const thumbnail = await serviceFor('database').file(photo.id, true);
    expect(thumbnail!.contentType).toBe('image/webp');
    expect(await sharp(thumbnail!.bytes).metadata()).toEqual(expect.objectContaining({ format: 'webp', width: 320, height: 240 }));
    expect(await count(`FROM audit_log WHERE entity_type = 'photo' AND entity_id = $1`, [photo.id])).toBe(1);
  });

  it('round-trips a photo near the 15 MB limit through the database store', async () => {
    const bytes = await sharp({ create: { width: 2200, height: 2200, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 128, sigma: 60 } } })
      .png()
      .toBuffer();
    expect(bytes.length).toBeGreaterThan(10 * 1024 * 1024);
    expect(bytes.length).toBeLessThanOrEqual(15 * 1024 * 1024);
    const photo = await serviceFor('database').upload(bytes, user.id, context);
    expect((await serviceFor('database').file(photo.id, false))!.bytes.equals(bytes)).toBe(true);
  });

  it('still serves a photo stored on disk after the setting is switched to the database', async () => {
    const bytes = await noisyJpeg();
    const photo = await serviceFor('disk').upload(bytes, user.id, context);
    expect((await db.dataSource.query(`SELECT store FROM photos WHERE id = $1`, [photo.id]))[0].store).toBe('disk');
    expect(await count(`FROM photo_blobs WHERE photo_id = $1`, [photo.id])).toBe(0);

    const afterSwitch = serviceFor('database');
    expect((await afterSwitch.file(photo.id, false))!.bytes.equals(bytes)).toBe(true);
    expect((await afterSwitch.file(photo.id, true))!.contentType).toBe('image/webp');
    // And the other way round.
    const inDatabase = await afterSwitch.upload(bytes, user.id, context);
    expect((await serviceFor('disk').file(inDatabase.id, false))!.bytes.equals(bytes)).toBe(true);
  });

  it.each(['database', 'disk'] as const)('leaves no photos row, audit entry or blob when an upload fails half-way (%s store)', async (kind) => {
    class FailingAudit extends AuditRepository {
      override async append(_entry: AuditEntry, _context: AuditContext, _manager?: EntityManager): Promise<void> {
        throw new Error('audit log unavailable');
      }
    }
    const before = { photos: await count(`FROM photos`), blobs: await count(`FROM photo_blobs`), audit: await count(`FROM audit_log`) };
    await expect(serviceFor(kind, new FailingAudit(db.dataSource)).upload(await noisyJpeg(), user.id, context)).rejects.toThrow('audit log unavailable');
    expect({ photos: await count(`FROM photos`), blobs: await count(`FROM photo_blobs`), audit: await count(`FROM audit_log`) }).toEqual(before);
  });

  it.each(['database', 'disk'] as const)('purges photos no status change took within the days given, with their bytes (%s store)', async (kind) => {
    const service = serviceFor(kind);
    const old = await service.upload(await noisyJpeg(), user.id, context);
    const recent = await service.upload(await noisyJpeg(), user.id, context);
    const used = await service.upload(await noisyJpeg(), user.id, context);
    await db.dataSource.query(`UPDATE photos SET uploaded_at = now() - interval '8 days' WHERE id = ANY($1::uuid[])`, [[old.id, used.id]]);
    // "used" is evidence of a status change: never purged, however old.
    const tag = randomUUID().slice(0, 8);
    const [a, b] = await db.dataSource.query(
      `INSERT INTO nodes (code, kind, location) VALUES ($1, 'odp', ST_SetSRID(ST_MakePoint(112.95, -2.53), 4326)), ($2, 'odp', ST_SetSRID(ST_MakePoint(112.96, -2.53), 4326))
       RETURNING id`,
      [`PA-${tag}`, `PB-${tag}`],
    );
    const [segment] = await db.dataSource.query(
      `INSERT INTO segments (code, from_node_id, to_node_id, geom)
       VALUES ($1, $2, $3, ST_GeomFromText('LINESTRING(112.95 -2.53, 112.96 -2.53)', 4326)) RETURNING id`,
      [`PURGE-${tag}`, a.id, b.id],
    );
    const [change] = await db.dataSource.query(`INSERT INTO status_changes (segment_id, from_status, to_status, changed_by) VALUES ($1, NULL, 'planned', 'test') RETURNING id`, [
      segment.id,
    ]);
    await db.dataSource.query(`UPDATE photos SET status_change_id = $1 WHERE id = $2`, [change.id, used.id]);

    expect(await service.purgeUnlinked(7, context, 1)).toBeGreaterThanOrEqual(1);
    const left = (await db.dataSource.query(`SELECT id FROM photos WHERE id = ANY($1::uuid[])`, [[old.id, recent.id, used.id]])).map((r: { id: string }) => r.id).sort();
    expect(left).toEqual([recent.id, used.id].sort());
    expect(await service.file(old.id, false)).toBeNull();
    expect(
      await storesFor(kind)
        .named(kind)
        .get(`${new Date().getUTCFullYear()}/${String(new Date().getUTCMonth() + 1).padStart(2, '0')}/${old.id}.jpg`),
    ).toBeNull();
    expect((await service.file(recent.id, false))!.bytes.length).toBeGreaterThan(0);
    const [audit] = await db.dataSource.query(`SELECT changes FROM audit_log WHERE action = 'purge' AND entity_type = 'photo' ORDER BY id DESC LIMIT 1`);
    expect(audit.changes.unlinkedPhotos.before).toContain(old.id);
  });
});
