/**
 * Unit tests of the web app's EXIF copy (apps/web/src/features/field/photo-exif.ts), pure byte work with no DOM.
 * They live here rather than beside the code because jest does not look into apps/web (a Vite
 * app with its own tsconfig). Fixtures come from sharp, as cameras write them (little-endian), and
 * from a small TIFF builder for big-endian blocks (iPhones, many Android phones) and broken ones.
 */
import exifr from 'exifr';
import sharp from 'sharp';
import { ExifError, exifSegmentForCopy, readExifFacts, readPhotoMetadata, sniffFormat, withExifSegment } from '../apps/web/src/features/field/photo-exif';

const GPS = { GPSLatitudeRef: 'S', GPSLatitude: '2/1 32/1 1325/100', GPSLongitudeRef: 'E', GPSLongitude: '112/1 57/1 2075/100' };
const LAT = -(2 + 32 / 60 + 13.25 / 3600);
const LON = 112 + 57 / 60 + 20.75 / 3600;

/** A camera JPEG, 400×300 as stored, with EXIF time and position, turned by `orientation`. */
async function cameraJpeg(orientation = 6): Promise<Buffer> {
  return sharp({ create: { width: 400, height: 300, channels: 3, background: '#2a6' } })
    .jpeg()
    .withExif({ IFD0: { Make: 'Uji' }, IFD2: { DateTimeOriginal: '2026:11:27 08:15:00' }, IFD3: GPS })
    .withMetadata({ orientation })
    .toBuffer();
}

/** JFIF APP0: version 1.1, no density unit, 1:1, no thumbnail. */
const JFIF = Buffer.from([0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]);

/** What a canvas encoder hands back (Chrome's does so): a plain JPEG with a JFIF header and no EXIF. */
async function encoderJpeg(width: number, height: number): Promise<Buffer> {
  const plain = await sharp({ create: { width, height, channels: 3, background: '#a62' } })
    .jpeg({ quality: 85 })
    .toBuffer();
  return Buffer.concat([plain.subarray(0, 2), JFIF, plain.subarray(2)]);
}

const bytes = (buffer: Buffer) => new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);

// ------------------------------------------------------------------- a small TIFF builder

type Entry = { tag: number; type: 2 | 3 | 4 | 5; values: number[] | string };
const SIZES = { 2: 1, 3: 2, 4: 4, 5: 8 } as const;

/** A TIFF block: IFD0 (with pointers to the Exif and GPS IFDs) linked to IFD1, values after the IFDs. */
function tiffBlock(little: boolean, ifd0: Entry[], exif: Entry[], gps: Entry[], ifd1: Entry[]): Buffer {
  const ifdSize = (count: number) => 2 + count * 12 + 4;
  const offsets = { ifd0: 8 } as Record<'ifd0' | 'exif' | 'gps' | 'ifd1', number>;
  const withPointers = [...ifd0, { tag: 0x8769, type: 4, values: [0] } as Entry, { tag: 0x8825, type: 4, values: [0] } as Entry];
  offsets.exif = offsets.ifd0 + ifdSize(withPointers.length);
  offsets.gps = offsets.exif + ifdSize(exif.length);
  offsets.ifd1 = offsets.gps + ifdSize(gps.length);
  let dataAt = offsets.ifd1 + ifdSize(ifd1.length);
  const out = Buffer.alloc(4096);
  const u16 = (v: number, at: number) => (little ? out.writeUInt16LE(v, at) : out.writeUInt16BE(v, at));
  const u32 = (v: number, at: number) => (little ? out.writeUInt32LE(v, at) : out.writeUInt32BE(v, at));
  out.write(little ? 'II' : 'MM', 0, 'latin1');
  u16(42, 2);
  u32(8, 4);
  withPointers[withPointers.length - 2].values = [offsets.exif];
  withPointers[withPointers.length - 1].values = [offsets.gps];
  const writeIfd = (at: number, entries: Entry[], next: number) => {
    u16(entries.length, at);
    entries.forEach((entry, i) => {
      const e = at + 2 + i * 12;
      const count = typeof entry.values === 'string' ? entry.values.length + 1 : entry.type === 5 ? entry.values.length / 2 : entry.values.length;
      u16(entry.tag, e);
      u16(entry.type, e + 2);
      u32(count, e + 4);
      const size = SIZES[entry.type] * count;
      let valueAt = e + 8;
      if (size > 4) {
        valueAt = dataAt;
        u32(dataAt, e + 8);
        dataAt += size + (size % 2);
      }
      if (typeof entry.values === 'string') out.write(`${entry.values}\0`, valueAt, 'latin1');
      else if (entry.type === 3) entry.values.forEach((v, k) => u16(v, valueAt + k * 2));
      else entry.values.forEach((v, k) => u32(v, valueAt + k * 4));
    });
    u32(next, at + 2 + entries.length * 12);
  };
  writeIfd(offsets.ifd0, withPointers, offsets.ifd1);
  writeIfd(offsets.exif, exif, 0);
  writeIfd(offsets.gps, gps, 0);
  writeIfd(offsets.ifd1, ifd1, 0);
  return out.subarray(0, dataAt);
}

function phoneBlock(little: boolean, orientation = 8): Buffer {
  return tiffBlock(
    little,
    [
      { tag: 0x010f, type: 2, values: 'Telepon' },
      { tag: 0x0112, type: 3, values: [orientation] },
    ],
    [
      { tag: 0x9003, type: 2, values: '2026:12:01 15:42:07' },
      { tag: 0xa002, type: 4, values: [4000] },
      { tag: 0xa003, type: 3, values: [3000] },
    ],
    [
      { tag: 0x0001, type: 2, values: 'N' },
      { tag: 0x0002, type: 5, values: [0, 1, 30, 1, 1500, 100] },
      { tag: 0x0003, type: 2, values: 'W' },
      { tag: 0x0004, type: 5, values: [77, 1, 2, 1, 345, 10] },
    ],
    [{ tag: 0x0103, type: 3, values: [6] }],
  );
}

/** A JPEG with `block` as its EXIF, as a camera lays it out (SOI, APP1, then the image). */
async function jpegWith(block: Buffer): Promise<Buffer> {
  const plain = await encoderJpeg(64, 48);
  return Buffer.from(withExifSegment(bytes(plain), exifSegmentForCopy(bytes(block), { orientationApplied: false, width: 64, height: 48 })));
}

describe('photo EXIF copy (web)', () => {
  it('reads orientation, position, time and stored size of a camera JPEG as exifr does', async () => {
    const photo = await cameraJpeg(6);
    const metadata = readPhotoMetadata(bytes(photo));
    const fromExifr = await exifr.gps(photo);
    expect(metadata).toMatchObject({ format: 'jpeg', orientation: 6, takenAt: '2026:11:27 08:15:00', storedWidth: 400, storedHeight: 300 });
    expect(metadata.position!.lat).toBeCloseTo(LAT, 12);
    expect(metadata.position!.lon).toBeCloseTo(LON, 12);
    expect(metadata.position!.lat).toBeCloseTo(fromExifr.latitude, 12);
    expect(metadata.position!.lon).toBeCloseTo(fromExifr.longitude, 12);
  });

  it('carries position and time into another JPEG, upright, with the new size and no turned camera thumbnail', async () => {
    const photo = await cameraJpeg(6);
    const metadata = readPhotoMetadata(bytes(photo));
    // The canvas drew it upright: 300×400 now.
    const copy = Buffer.from(withExifSegment(bytes(await encoderJpeg(300, 400)), exifSegmentForCopy(metadata.tiff!, { orientationApplied: true, width: 300, height: 400 })));
    const read = await exifr.parse(copy, { gps: true, ifd1: true, mergeOutput: false, translateValues: false });
    expect(read.ifd0.Orientation).toBe(1);
    expect(read.ifd0.Make).toBe('Uji');
    expect(read.ifd1).toBeUndefined();
    expect(read.exif.ExifImageWidth).toBe(300);
    expect(read.exif.ExifImageHeight).toBe(400);
    expect(read.gps.latitude).toBeCloseTo(LAT, 9);
    expect(read.gps.longitude).toBeCloseTo(LON, 9);
    const taken = await exifr.parse(copy, ['DateTimeOriginal']);
    expect(taken.DateTimeOriginal).toEqual(new Date('2026-11-27T08:15:00Z'));
    // libvips (the server's thumbnails) sees the same: upright, 300×400.
    const seen = await sharp(copy).metadata();
    expect([seen.width, seen.height, seen.orientation ?? 1]).toEqual([300, 400, 1]);
    // The original is left untouched.
    expect(readPhotoMetadata(bytes(photo)).orientation).toBe(6);
  });

  it('puts the EXIF after the JFIF header and drops one the encoder wrote', async () => {
    const plain = bytes(await encoderJpeg(32, 32));
    expect([plain[2], plain[3]]).toEqual([0xff, 0xe0]);
    const block = readPhotoMetadata(bytes(await cameraJpeg(1))).tiff!;
    const once = withExifSegment(plain, exifSegmentForCopy(block, { orientationApplied: true, width: 32, height: 32 }));
    const app0Length = (plain[4] << 8) | plain[5];
    expect([once[4 + app0Length], once[5 + app0Length]]).toEqual([0xff, 0xe1]);
    // Again over a JPEG that has an EXIF already: still one.
    const twice = withExifSegment(once, exifSegmentForCopy(block, { orientationApplied: true, width: 32, height: 32 }));
    expect(twice.length).toBe(once.length);
    expect(Buffer.from(twice).indexOf('Exif\0\0', 0, 'latin1')).toBe(Buffer.from(twice).lastIndexOf('Exif\0\0', undefined, 'latin1'));
    expect((await sharp(Buffer.from(twice)).metadata()).width).toBe(32);
  });

  it.each([
    ['big-endian', false],
    ['little-endian', true],
  ])('patches a %s block in place', async (_name, little) => {
    const block = phoneBlock(little, 8);
    expect(readExifFacts(bytes(block))).toEqual({ orientation: 8, takenAt: '2026:12:01 15:42:07', position: { lat: 0.5 + 15 / 3600, lon: -(77 + 2 / 60 + 34.5 / 3600) } });
    const segment = exifSegmentForCopy(bytes(block), { orientationApplied: true, width: 1536, height: 2048 });
    // Nothing moves: the same length, only the patched values differ.
    expect(segment.length).toBe(2 + 2 + 6 + block.length);
    const patched = segment.subarray(10);
    expect(readExifFacts(patched)).toMatchObject({ orientation: 1, takenAt: '2026:12:01 15:42:07' });
    const copy = Buffer.from(withExifSegment(bytes(await encoderJpeg(64, 48)), segment));
    const read = await exifr.parse(copy, { gps: true, ifd1: true, mergeOutput: false, translateValues: false });
    expect(read.ifd0.Orientation).toBe(1);
    expect(read.ifd1).toBeUndefined();
    expect(read.exif.ExifImageWidth).toBe(1536);
    expect(read.exif.ExifImageHeight).toBe(2048);
    expect(read.gps.latitude).toBeCloseTo(0.5 + 15 / 3600, 12);
    expect(read.gps.longitude).toBeCloseTo(-(77 + 2 / 60 + 34.5 / 3600), 12);
  });

  it('leaves the orientation and the camera thumbnail when the pixels were not turned', async () => {
    const block = phoneBlock(false, 6);
    const segment = exifSegmentForCopy(bytes(block), { orientationApplied: false, width: 64, height: 48 });
    const read = await exifr.parse(await jpegWith(Buffer.from(segment.subarray(10))), { ifd1: true, mergeOutput: false, translateValues: false });
    expect(read.ifd0.Orientation).toBe(6);
    expect(read.ifd1).toMatchObject({ Compression: 6 });
  });

  it('reads the EXIF of PNG (eXIf) and WebP (EXIF chunk) photos', async () => {
    for (const format of ['png', 'webp'] as const) {
      const image = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#2a6' } })
        [format]()
        .withExif({ IFD3: GPS })
        .toBuffer();
      const metadata = readPhotoMetadata(bytes(image));
      expect(metadata.format).toBe(format);
      expect(metadata.position!.lat).toBeCloseTo(LAT, 12);
      expect(metadata.position!.lon).toBeCloseTo(LON, 12);
    }
    expect(sniffFormat(bytes(Buffer.from('....ftypheic0000', 'latin1')))).toBe('other');
  });

  it('refuses broken EXIF and JPEG structure rather than guessing', async () => {
    const block = phoneBlock(true);
    // The GPS IFD pointer aimed past the end of the block.
    const broken = Buffer.from(block);
    const gpsPointer = broken.indexOf(Buffer.from([0x25, 0x88, 0x04, 0x00]));
    broken.writeUInt32LE(block.length + 100, gpsPointer + 8);
    expect(() => readExifFacts(bytes(broken))).toThrow(ExifError);
    expect(() => readExifFacts(bytes(Buffer.from('XX*\0\0\0\0\0', 'latin1')))).toThrow(ExifError);
    // A segment length running past the end of the file.
    const photo = Buffer.from(await cameraJpeg(1));
    const truncated = photo.subarray(0, 200);
    expect(() => readPhotoMetadata(bytes(truncated))).toThrow(ExifError);
    // An orientation outside 1..8.
    expect(() => readExifFacts(bytes(phoneBlock(true, 9)))).toThrow(ExifError);
    // Too large for one APP1 segment.
    const huge = Buffer.concat([block, Buffer.alloc(70_000)]);
    expect(() => exifSegmentForCopy(bytes(huge), { orientationApplied: true, width: 1, height: 1 })).toThrow(ExifError);
  });
});
