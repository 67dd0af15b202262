import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Photo bytes in PostgreSQL (SERAT_PHOTO_STORE=database, decision 0004), so api replicas share
 * them without a shared volume and the database backup holds them. Each photos row names the store
 * holding its bytes; rows from before this migration are on disk.
 */
export class PhotoBlobs1764900000000 implements MigrationInterface {
  name = 'PhotoBlobs1764900000000';

  async up(q: QueryRunner): Promise<void> {
    // Default 'disk' only to fill the existing rows; new rows must say where their bytes went.
    await q.query(`
      ALTER TABLE photos
        ADD COLUMN store varchar(16) NOT NULL DEFAULT 'disk',
        ADD CONSTRAINT chk_photos_store CHECK (store IN ('disk', 'database'))`);
    await q.query(`ALTER TABLE photos ALTER COLUMN store DROP DEFAULT`);
    await q.query(`
      CREATE TABLE photo_blobs (
        -- The photo's storage_key or thumbnail_key.
        key        text PRIMARY KEY,
        photo_id   uuid NOT NULL,
        bytes      bytea NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        -- The bytes go with their row, also when a segment's history is deleted with it.
        CONSTRAINT fk_photo_blobs_photo FOREIGN KEY (photo_id) REFERENCES photos (id) ON DELETE CASCADE
      )`);
    // JPEG, PNG and WebP are compressed already: store them out of line without trying again.
    await q.query(`ALTER TABLE photo_blobs ALTER COLUMN bytes SET STORAGE EXTERNAL`);
    await q.query(`CREATE INDEX idx_photo_blobs_photo ON photo_blobs (photo_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    // Reverting would leave those photos without their bytes: evidence is not dropped silently.
    const [held] = await q.query(`SELECT count(*)::int AS n FROM photos WHERE store = 'database'`);
    if (held.n > 0) {
      throw new Error(`${held.n} photos have their bytes in photo_blobs; copy them to disk and set their store to 'disk' (or delete them) before reverting`);
    }
    await q.query(`DROP TABLE photo_blobs`);
    await q.query(`ALTER TABLE photos DROP CONSTRAINT chk_photos_store, DROP COLUMN store`);
  }
}
