/// <reference lib="dom" />
import exifr from 'exifr';
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Browser, BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { bearer } from './support/auth';
import { repoRoot } from './support/processes';
import { useTestServer } from './support/server';
import { waitFor } from './support/wait';
import { launchChromium, phoneContext, submitSignIn } from './support/browser';
import { MapPage } from './support/map-page';

const SHOTS = path.join(repoRoot, 'test-results');
/** apps/web/src/features/field/photo-shrink.ts */
const MAX_SIDE_PX = 2048;
/** The camera's sensor size: landscape as stored, shown portrait (EXIF orientation 6). */
const STORED = { width: 4000, height: 3000 };
/** The red mark in the stored image's top-left corner, in stored pixels. */
const MARK_PX = 600;

interface SegmentRow {
  id: string;
  code: string;
  version: number;
  lon: number;
  lat: number;
}

/** Degrees as EXIF's three rationals, seconds to 1/10000. */
function dms(value: number): string {
  const abs = Math.abs(value);
  const degrees = Math.floor(abs);
  const minutesFloat = (abs - degrees) * 60;
  const minutes = Math.floor(minutesFloat);
  return `${degrees}/1 ${minutes}/1 ${Math.round((minutesFloat - minutes) * 60 * 10000)}/10000`;
}

/**
 * A phone camera's photo: 4000×3000 as the sensor stores it, held upright (EXIF orientation 6, to
 * be turned 90° clockwise), taken at `position` with its time, a texture that compresses like a
 * photo, and a red mark in the stored top-left corner that ends up top right when shown upright.
 */
async function cameraPhoto(position: { lon: number; lat: number }): Promise<Buffer> {
  const { width, height } = STORED;
  const pixels = Buffer.alloc(width * height * 3);
  let seed = 7;
  const noise = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return (seed / 0x7fffffff - 0.5) * 40;
  };
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const offset = (y * width + x) * 3;
      if (x < MARK_PX && y < MARK_PX) {
        pixels[offset] = 230;
        pixels[offset + 1] = 20;
        pixels[offset + 2] = 20;
        continue;
      }
      pixels[offset] = 110 + 50 * Math.sin(x / 37) * Math.cos(y / 53) + noise();
      pixels[offset + 1] = 90 + (80 * y) / height + noise();
      pixels[offset + 2] = 140 + 45 * Math.sin((x + y) / 91) + noise();
    }
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 92 })
    .withExif({
      IFD0: { Make: 'Serat', Model: 'Uji Lapangan' },
      IFD2: { DateTimeOriginal: '2026:11:27 08:15:00' },
      IFD3: {
        GPSLatitudeRef: position.lat < 0 ? 'S' : 'N',
        GPSLatitude: dms(position.lat),
        GPSLongitudeRef: position.lon < 0 ? 'W' : 'E',
        GPSLongitude: dms(position.lon),
      },
    })
    .withMetadata({ orientation: 6 })
    .toBuffer();
}

/** Whether the pixel at (x, y) of an image is the red mark. */
async function isRed(image: Buffer, x: number, y: number): Promise<boolean> {
  const { data, info } = await sharp(image).raw().toBuffer({ resolveWithObject: true });
  const at = (y * info.width + x) * info.channels;
  return data[at] > 180 && data[at + 1] < 80 && data[at + 2] < 80;
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/**
 * Photos from the phone's camera are made smaller before they are queued, keeping the EXIF
 * evidence the server reads; files that cannot be made smaller are queued as they are.
 */
describe('field photos made smaller on the phone', () => {
  const server = useTestServer({ seeded: true, roles: ['technician'] });
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let map: MapPage;
  let first: SegmentRow;
  let second: SegmentRow;

  const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `photos-${name}.png`) });
  /** The outbox's photos in IndexedDB: name, size, digest of the bytes. */
  const storedPhotos = () =>
    page.evaluate(
      () =>
        new Promise<Array<{ code: string; state: string; problemCode: string | null; photos: Array<{ name: string; size: number; type: string; sha256: string }> }>>(
          (resolve, reject) => {
            const open = indexedDB.open('serat-field');
            open.onerror = () => reject(open.error);
            open.onsuccess = () => {
              const request = open.result.transaction('outbox').objectStore('outbox').getAll();
              request.onerror = () => reject(request.error);
              request.onsuccess = async () => {
                open.result.close();
                const items = request.result as Array<{ code: string; state: string; problem: { code: string | null } | null; photos: Array<{ name: string; blob: Blob }> }>;
                const hex = (buffer: ArrayBuffer) => [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, '0')).join('');
                resolve(
                  await Promise.all(
                    items.map(async (item) => ({
                      code: item.code,
                      state: item.state,
                      problemCode: item.problem?.code ?? null,
                      photos: await Promise.all(
                        item.photos.map(async (photo) => ({
                          name: photo.name,
                          size: photo.blob.size,
                          type: photo.blob.type,
                          sha256: hex(await crypto.subtle.digest('SHA-256', await photo.blob.arrayBuffer())),
                        })),
                      ),
                    })),
                  ),
                );
              };
            };
          },
        ),
    );

  async function openSegment(code: string): Promise<void> {
    if (!(await page.getByTestId('field-panel').isVisible())) await page.getByTestId('field-open').click();
    if (await page.getByTestId('field-back').isVisible()) await page.getByTestId('field-back').click();
    await page.getByTestId('field-search').fill(code);
    await page.locator(`[data-testid="field-results"][data-mode="search"] [data-testid="field-result"][data-code="${code}"]`).click();
    await page.locator(`[data-testid="field-detail"][data-code="${code}"]`).waitFor();
  }

  async function goOffline(): Promise<void> {
    await context.setOffline(true);
    await page.locator('[data-testid="net-status"][data-online="false"]').waitFor();
  }

  beforeAll(async () => {
    const rows: SegmentRow[] = await server.db.dataSource.query(
      `SELECT id::text, code, version, ST_X(ST_StartPoint(geom)) AS lon, ST_Y(ST_StartPoint(geom)) AS lat
         FROM segments WHERE status = 'in_construction' ORDER BY code LIMIT 2`,
    );
    expect(rows).toHaveLength(2);
    [first, second] = rows;
    browser = await launchChromium();
    context = await phoneContext(browser);
    page = await context.newPage();
    map = new MapPage(page);
    fs.mkdirSync(SHOTS, { recursive: true });
    await page.goto(`${server.api.baseUrl}/`);
    await submitSignIn(page, server.user('technician').username, server.user('technician').password);
    await map.ready();
    await page.waitForSelector('body[data-offline-ready="true"]', { timeout: 30000 });
  }, 90000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
  });

  it('queues a camera photo at most 2048 px, much smaller, with its EXIF position and time, upright', async () => {
    const workers: string[] = [];
    page.on('worker', (worker) => workers.push(new URL(worker.url()).pathname));
    const photo = await cameraPhoto(first);
    const original = {
      bytes: photo.length,
      exif: await exifr.parse(photo, { gps: true, pick: ['DateTimeOriginal', 'GPSLatitude', 'GPSLatitudeRef', 'GPSLongitude', 'GPSLongitudeRef'] }),
    };
    expect(original.bytes).toBeGreaterThan(3 * 1024 * 1024);
    // What the server makes of the original, for comparison: upright is portrait, mark top right.
    const originalThumb = await sharp(photo).rotate().resize(320, 320, { fit: 'inside' }).png().toBuffer();
    expect(await isRed(originalThumb, 235, 5)).toBe(true);

    await openSegment(first.code);
    // Queued without a connection, as in the field; the photo worker comes from the service worker's cache.
    await goOffline();
    await page.getByTestId('field-status-next').click();
    await page.getByTestId('field-note').fill('Foto besar dari kamera');
    await page.getByTestId('field-photo-input').setInputFiles({ name: 'IMG_20261127_081500.jpg', mimeType: 'image/jpeg', buffer: photo });
    // "Memperkecil foto…" while the worker works, and saving waits for it.
    const busy = page.getByTestId('field-photo-shrinking');
    if (await busy.count()) {
      expect(await busy.innerText()).toContain('Memperkecil foto…');
      expect(await page.getByTestId('field-save').isDisabled()).toBe(true);
      await busy.scrollIntoViewIfNeeded();
      await shot('1-shrinking-id');
    }
    const tile = page.getByTestId('field-photo-item');
    await tile.waitFor({ timeout: 30000 });
    await page.waitForFunction(() =>
      Array.from(document.querySelectorAll<HTMLImageElement>('[data-testid="field-photo-item"] img')).every((img) => img.complete && img.naturalWidth > 0),
    );
    // Made off the page's thread, by the worker the service worker kept for offline use.
    expect(workers).toEqual([expect.stringMatching(/^\/assets\/photo-shrink\.worker-[\w-]+\.js$/)]);
    const queuedBytes = Number(await tile.getAttribute('data-bytes'));
    expect(Number(await tile.getAttribute('data-original-bytes'))).toBe(original.bytes);
    const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1).replace('.', ',')} MB`;
    expect(await tile.getByTestId('field-photo-size').innerText()).toBe(`${mb(original.bytes)} → ${mb(queuedBytes)}`);
    await tile.scrollIntoViewIfNeeded();
    await shot('2-photo-list-id');

    await page.getByTestId('field-save').click();
    await page.locator('[data-testid="field-form-message"]', { hasText: 'Tersimpan di perangkat' }).waitFor();
    // What the phone keeps and will send: the smaller copy.
    const [stored] = await storedPhotos();
    expect(stored.photos).toEqual([expect.objectContaining({ name: 'IMG_20261127_081500.jpg', size: queuedBytes, type: 'image/jpeg' })]);
    // The queued change under the segment tells what it will cost to send.
    const item = page.getByTestId('outbox-list-target').getByTestId('outbox-item');
    expect(await item.innerText()).toContain(`1 foto, ${mb(queuedBytes)}`);
    await item.scrollIntoViewIfNeeded();
    await shot('3-outbox-id');

    await context.setOffline(false);
    const change = await waitFor(
      async () =>
        (
          await server.db.dataSource.query(`SELECT c.id FROM status_changes c JOIN segments s ON s.id = c.segment_id WHERE s.id = $1 AND c.to_status = 'installed'`, [first.id])
        )[0] as { id: string } | undefined,
      30000,
      'the change to reach the server',
    );
    const [row] = await server.db.dataSource.query(
      `SELECT id, content_type, size_bytes, sha256, width, height, taken_at, ST_X(exif_position) AS lon, ST_Y(exif_position) AS lat
         FROM photos WHERE status_change_id = $1`,
      [change.id],
    );
    // The server got exactly the copy queued on the phone.
    expect(row).toMatchObject({ content_type: 'image/jpeg', sha256: stored.photos[0].sha256 });
    expect(Number(row.size_bytes)).toBe(queuedBytes);
    // At most 2048 px on its long side, upright (portrait), and a fraction of the camera's bytes.
    expect([row.width, row.height]).toEqual([Math.round((STORED.height * MAX_SIDE_PX) / STORED.width), MAX_SIDE_PX]);
    expect(Number(row.size_bytes)).toBeLessThan(original.bytes / 3);
    // The same evidence: position and time as the server reads them from the camera's file.
    expect(Math.abs(row.lat - original.exif.latitude)).toBeLessThan(1e-5);
    expect(Math.abs(row.lon - original.exif.longitude)).toBeLessThan(1e-5);
    expect(Math.abs(row.lat - first.lat)).toBeLessThan(1e-5);
    expect(Math.abs(row.lon - first.lon)).toBeLessThan(1e-5);
    expect(row.taken_at).toEqual(original.exif.DateTimeOriginal);
    expect(row.taken_at).toEqual(new Date('2026-11-27T08:15:00Z'));

    const token = server.token('technician');
    const served = Buffer.from(await (await fetch(`${server.api.baseUrl}/api/photos/${row.id}`, { headers: bearer(token) })).arrayBuffer());
    const servedMeta = await sharp(served).metadata();
    expect([servedMeta.width, servedMeta.height, servedMeta.orientation ?? 1]).toEqual([row.width, row.height, 1]);
    // The mark is top right in the photo itself and in the server's thumbnail: upright, not turned twice.
    expect(await isRed(served, row.width - 20, 20)).toBe(true);
    expect(await isRed(served, 20, 20)).toBe(false);
    const thumb = Buffer.from(await (await fetch(`${server.api.baseUrl}/api/photos/${row.id}/thumbnail`, { headers: bearer(token) })).arrayBuffer());
    const thumbMeta = await sharp(thumb).metadata();
    expect([thumbMeta.width, thumbMeta.height]).toEqual([240, 320]);
    expect(await isRed(thumb, 235, 5)).toBe(true);
    expect(await isRed(thumb, 5, 5)).toBe(false);
    expect(await isRed(thumb, 235, 315)).toBe(false);
    await page.getByTestId('outbox-count').waitFor({ state: 'detached', timeout: 15000 });
  }, 120000);

  it('queues what it cannot read as it is: a broken JPEG and a HEIC the browser cannot decode', async () => {
    // A camera-size JPEG whose headers (EXIF with GPS included) read well but whose image data is
    // noise, so the browser cannot decode it; both larger than what is kept without trying (500 KB).
    const header = await sharp({ create: { width: 4000, height: 3000, channels: 3, background: '#2a6' } })
      .jpeg()
      .withExif({ IFD3: { GPSLatitudeRef: second.lat < 0 ? 'S' : 'N', GPSLatitude: dms(second.lat), GPSLongitudeRef: second.lon < 0 ? 'W' : 'E', GPSLongitude: dms(second.lon) } })
      .toBuffer();
    const scanStart = header.indexOf(Buffer.from([0xff, 0xda]));
    const broken = Buffer.concat([header.subarray(0, scanStart + 2 + header.readUInt16BE(scanStart + 2)), randomBytes(800 * 1024), Buffer.from([0xff, 0xd9])]);
    expect((await exifr.gps(broken)).latitude).toBeCloseTo(second.lat, 5);
    const heic = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypheic\0\0\0\0mif1heic', 'latin1'), randomBytes(700 * 1024)]);
    await openSegment(second.code);
    await goOffline();
    await page.getByTestId('field-status-next').click();
    await page.getByTestId('field-photo-input').setInputFiles({ name: 'rusak.jpg', mimeType: 'image/jpeg', buffer: broken });
    await page.getByTestId('field-photo-input').setInputFiles({ name: 'IMG_0420.HEIC', mimeType: 'image/heic', buffer: heic });
    const tiles = page.getByTestId('field-photo-item');
    await waitFor(async () => ((await tiles.count()) === 2 ? true : undefined), 30000, 'both photos in the list');
    // No arrow: sent as they are.
    expect(await page.getByTestId('field-photo-size').allInnerTexts()).toEqual(['0,8 MB', '0,7 MB']);
    for (const [index, bytes] of [broken, heic].entries()) expect(Number(await tiles.nth(index).getAttribute('data-bytes'))).toBe(bytes.length);
    await tiles.first().scrollIntoViewIfNeeded();
    await shot('4-kept-as-is-id');

    await page.getByTestId('field-note').fill('Foto yang tidak terbaca');
    await page.getByTestId('field-save').click();
    await page.locator('[data-testid="field-form-message"]', { hasText: 'Tersimpan di perangkat' }).waitFor();
    expect(await storedPhotos()).toEqual([
      {
        code: second.code,
        state: 'pending',
        problemCode: null,
        photos: [
          { name: 'rusak.jpg', size: broken.length, type: 'image/jpeg', sha256: sha256(broken) },
          { name: 'IMG_0420.HEIC', size: heic.length, type: 'image/heic', sha256: sha256(heic) },
        ],
      },
    ]);

    // The server has the last word: it refuses them, and the change stays for the technician.
    await context.setOffline(false);
    const refused = page.locator('[data-testid="outbox-item"][data-state="rejected"]').first();
    await refused.waitFor({ timeout: 30000 });
    expect(await refused.getByTestId('outbox-item-status').innerText()).toMatch(/bukan foto yang dapat dipakai/);
    expect(await storedPhotos()).toMatchObject([{ code: second.code, state: 'rejected', problemCode: 'PHOTO_INVALID', photos: [{ size: broken.length }, { size: heic.length }] }]);
    await refused.scrollIntoViewIfNeeded();
    await shot('5-refused-id');
  }, 90000);

  it('asks before leaving a change whose photos are still being made smaller, and keeps them when the technician stays', async () => {
    await context.setOffline(false);
    const photo = await cameraPhoto(first);
    await openSegment(first.code);
    // The worker's answer held back: the photo stays "being made smaller" until released.
    await page.evaluate(() => {
      const w = window as unknown as { __held: Array<() => void>; __release: () => void };
      const post = Worker.prototype.postMessage;
      w.__held = [];
      Worker.prototype.postMessage = function (this: Worker, ...args: Parameters<Worker['postMessage']>) {
        w.__held.push(() => post.apply(this, args));
      } as Worker['postMessage'];
      w.__release = () => {
        Worker.prototype.postMessage = post;
        for (const send of w.__held.splice(0)) send();
      };
    });
    await page.getByTestId('field-status-next').click();
    await page.getByTestId('field-photo-input').setInputFiles({ name: 'IMG_20261128_070000.jpg', mimeType: 'image/jpeg', buffer: photo });
    await page.getByTestId('field-photo-shrinking').waitFor();
    const asked: string[] = [];
    page.once('dialog', (dialog) => {
      asked.push(dialog.message());
      void dialog.dismiss();
    });
    await page.getByTestId('field-back').click();
    await waitFor(async () => (asked.length ? true : undefined), 5000, 'the question');
    expect(asked[0]).toContain('Foto masih diproses (1)');
    // Stayed: the same change, the photo still coming.
    expect(await page.locator(`[data-testid="field-detail"][data-code="${first.code}"]`).isVisible()).toBe(true);
    expect(await page.getByTestId('field-photo-shrinking').count()).toBe(1);
    await page.evaluate(() => (window as unknown as { __release: () => void }).__release());
    await page.getByTestId('field-photo-item').waitFor({ timeout: 30000 });
    expect(await page.getByTestId('field-photo-shrinking').count()).toBe(0);
    // Nothing being made smaller any more: leaving asks nothing (and drops the unsaved form, as before).
    await page.getByTestId('field-back').click();
    await page.getByTestId('field-search').waitFor();
    expect(asked).toHaveLength(1);
  }, 90000);
});
