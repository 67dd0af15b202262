/**
 * The EXIF block of a camera photo, carried into its smaller copy. The server reads the photo's
 * GPS position and DateTimeOriginal from it as evidence (photos.service.ts), so the block is copied
 * byte for byte (maker notes and all), never decoded and written again; only what the shrinking
 * made untrue is patched in place:
 *
 * - Orientation (IFD0 0x0112) becomes 1 when the pixels were drawn upright already (browsers apply
 *   the EXIF orientation when decoding), and the link to IFD1 (the camera's own thumbnail, stored
 *   in the sensor's orientation) is cut, so no viewer turns a thumbnail that no longer needs it.
 * - PixelXDimension/PixelYDimension (Exif IFD 0xA002/0xA003) get the new size.
 *
 * Pure byte work on Uint8Array/DataView: no DOM, so it runs in a worker and in unit tests.
 * Anything unexpected throws ExifError; the caller then keeps the original file.
 */

export type ImageFormat = 'jpeg' | 'png' | 'webp' | 'other';

export class ExifError extends Error {}

export interface ExifFacts {
  /** 1 to 8 as the TIFF standard numbers them; 1 (upright) when the tag is absent. */
  orientation: number;
  /** Decimal degrees (south and west negative) from the GPS IFD, or null when there is none. */
  position: { lat: number; lon: number } | null;
  /** DateTimeOriginal as written, `2026:11:27 08:15:00`, or null. */
  takenAt: string | null;
}

export interface PhotoMetadata extends ExifFacts {
  format: ImageFormat;
  /** The EXIF block as a TIFF structure (starting with `II` or `MM`), or null when there is none. */
  tiff: Uint8Array | null;
  /** A JPEG's pixel size as stored, before any orientation; null for other formats. */
  storedWidth: number | null;
  storedHeight: number | null;
}

const EXIF_HEADER = [0x45, 0x78, 0x69, 0x66, 0x00, 0x00]; // "Exif\0\0"
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** An APP1 segment's length field counts itself and is 16 bits: 65535 bytes at most. */
const MAX_SEGMENT_LENGTH = 0xffff;

const TAG_ORIENTATION = 0x0112;
const TAG_EXIF_IFD = 0x8769;
const TAG_GPS_IFD = 0x8825;
const TAG_DATE_TIME_ORIGINAL = 0x9003;
const TAG_PIXEL_X = 0xa002;
const TAG_PIXEL_Y = 0xa003;
const GPS_LATITUDE_REF = 0x0001;
const GPS_LATITUDE = 0x0002;
const GPS_LONGITUDE_REF = 0x0003;
const GPS_LONGITUDE = 0x0004;
const TYPE_ASCII = 2;
const TYPE_SHORT = 3;
const TYPE_LONG = 4;
const TYPE_RATIONAL = 5;
const TYPE_SIZES: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8 };

function startsWith(bytes: Uint8Array, prefix: readonly number[], at = 0): boolean {
  if (bytes.length < at + prefix.length) return false;
  return prefix.every((byte, index) => bytes[at + index] === byte);
}

function ascii(bytes: Uint8Array, at: number, length: number): string {
  let text = '';
  for (let i = at; i < Math.min(at + length, bytes.length); i++) text += String.fromCharCode(bytes[i]);
  return text;
}

export function sniffFormat(bytes: Uint8Array): ImageFormat {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(bytes, PNG_SIGNATURE)) return 'png';
  if (bytes.length >= 12 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP') return 'webp';
  return 'other';
}

// ------------------------------------------------------------------------------------ JPEG

interface JpegSegment {
  marker: number;
  /** Where its 0xFF starts. */
  start: number;
  /** Where its data starts (after marker and length). */
  dataStart: number;
  /** Just past its last byte. */
  end: number;
}

/** The header segments of a JPEG, up to the start of the scan. */
function jpegSegments(bytes: Uint8Array): JpegSegment[] {
  if (bytes[0] !== 0xff || bytes[1] !== 0xd8) throw new ExifError('not a JPEG');
  const segments: JpegSegment[] = [];
  let offset = 2;
  while (offset + 1 < bytes.length) {
    if (bytes[offset] !== 0xff) throw new ExifError(`no marker at ${offset}`);
    // Any number of 0xFF may pad before a marker.
    let markerAt = offset + 1;
    while (bytes[markerAt] === 0xff && markerAt + 1 < bytes.length) markerAt++;
    const marker = bytes[markerAt];
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      offset = markerAt + 1;
      continue;
    }
    if (marker === 0xda || marker === 0xd9) return segments;
    if (markerAt + 2 >= bytes.length) throw new ExifError('truncated segment');
    const length = (bytes[markerAt + 1] << 8) | bytes[markerAt + 2];
    const end = markerAt + 1 + length;
    if (length < 2 || end > bytes.length) throw new ExifError('segment past the end of the file');
    segments.push({ marker, start: offset, dataStart: markerAt + 3, end });
    offset = end;
  }
  throw new ExifError('no image data');
}

const isExifApp1 = (bytes: Uint8Array, segment: JpegSegment) => segment.marker === 0xe1 && startsWith(bytes, EXIF_HEADER, segment.dataStart);
/** Start-of-frame markers carry the image size: C0–CF except DHT (C4), JPG (C8) and DAC (CC). */
const isStartOfFrame = (marker: number) => marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;

function readJpeg(bytes: Uint8Array): Pick<PhotoMetadata, 'tiff' | 'storedWidth' | 'storedHeight'> {
  let tiff: Uint8Array | null = null;
  let storedWidth: number | null = null;
  let storedHeight: number | null = null;
  for (const segment of jpegSegments(bytes)) {
    if (!tiff && isExifApp1(bytes, segment)) tiff = bytes.subarray(segment.dataStart + EXIF_HEADER.length, segment.end);
    if (storedWidth === null && isStartOfFrame(segment.marker) && segment.end - segment.dataStart >= 5) {
      storedHeight = (bytes[segment.dataStart + 1] << 8) | bytes[segment.dataStart + 2];
      storedWidth = (bytes[segment.dataStart + 3] << 8) | bytes[segment.dataStart + 4];
    }
  }
  return { tiff, storedWidth, storedHeight };
}

// ------------------------------------------------------------------------------- PNG, WebP

/** A PNG's `eXIf` chunk (a TIFF structure), or null. */
function readPng(bytes: Uint8Array): Uint8Array | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = PNG_SIGNATURE.length;
  while (offset + 8 <= bytes.length) {
    const length = view.getUint32(offset);
    const type = ascii(bytes, offset + 4, 4);
    const dataStart = offset + 8;
    if (dataStart + length + 4 > bytes.length) throw new ExifError('PNG chunk past the end of the file');
    if (type === 'eXIf') return bytes.subarray(dataStart, dataStart + length);
    if (type === 'IEND') return null;
    offset = dataStart + length + 4;
  }
  return null;
}

/** A WebP's `EXIF` chunk (a TIFF structure, sometimes after an `Exif\0\0` header), or null. */
function readWebp(bytes: Uint8Array): Uint8Array | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 12;
  while (offset + 8 <= bytes.length) {
    const type = ascii(bytes, offset, 4);
    const length = view.getUint32(offset + 4, true);
    const dataStart = offset + 8;
    if (dataStart + length > bytes.length) throw new ExifError('WebP chunk past the end of the file');
    if (type === 'EXIF') {
      const data = bytes.subarray(dataStart, dataStart + length);
      return startsWith(data, EXIF_HEADER) ? data.subarray(EXIF_HEADER.length) : data;
    }
    offset = dataStart + length + (length % 2);
  }
  return null;
}

// ------------------------------------------------------------------------------------ TIFF

interface IfdEntry {
  tag: number;
  type: number;
  count: number;
  /** Where the entry's 4-byte value (or offset to its value) sits in the TIFF block. */
  field: number;
}

/** A TIFF structure read with bounds checks on every access. */
class Tiff {
  readonly view: DataView;
  readonly little: boolean;

  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const order = ascii(bytes, 0, 2);
    if (bytes.length < 8 || (order !== 'II' && order !== 'MM')) throw new ExifError('no TIFF header');
    this.little = order === 'II';
    if (this.u16(2) !== 42) throw new ExifError('no TIFF magic number');
  }

  private check(offset: number, size: number): void {
    if (!Number.isInteger(offset) || offset < 0 || offset + size > this.bytes.length) throw new ExifError(`offset ${offset} outside the EXIF block`);
  }

  u16(offset: number): number {
    this.check(offset, 2);
    return this.view.getUint16(offset, this.little);
  }

  u32(offset: number): number {
    this.check(offset, 4);
    return this.view.getUint32(offset, this.little);
  }

  get ifd0(): number {
    return this.u32(4);
  }

  /** The entries of the IFD at `offset`, and where its link to the next IFD sits. */
  ifd(offset: number): { entries: IfdEntry[]; next: number } {
    const count = this.u16(offset);
    this.check(offset + 2, count * 12 + 4);
    const entries: IfdEntry[] = [];
    for (let i = 0; i < count; i++) {
      const at = offset + 2 + i * 12;
      entries.push({ tag: this.u16(at), type: this.u16(at + 2), count: this.u32(at + 4), field: at + 8 });
    }
    return { entries, next: offset + 2 + count * 12 };
  }

  /** Where an entry's value is: inside the entry when it fits in 4 bytes, else at the offset it holds. */
  valueAt(entry: IfdEntry): number {
    const size = (TYPE_SIZES[entry.type] ?? 1) * entry.count;
    const at = size <= 4 ? entry.field : this.u32(entry.field);
    this.check(at, size);
    return at;
  }

  short(entry: IfdEntry): number {
    if (entry.type === TYPE_SHORT) return this.u16(this.valueAt(entry));
    if (entry.type === TYPE_LONG) return this.u32(this.valueAt(entry));
    throw new ExifError(`tag ${entry.tag.toString(16)} is not a number`);
  }

  text(entry: IfdEntry): string {
    if (entry.type !== TYPE_ASCII) throw new ExifError(`tag ${entry.tag.toString(16)} is not text`);
    return ascii(this.bytes, this.valueAt(entry), entry.count).replace(/\0.*$/s, '');
  }

  /** Degrees, minutes and seconds (three RATIONALs) as decimal degrees. */
  degrees(entry: IfdEntry): number {
    if (entry.type !== TYPE_RATIONAL || entry.count !== 3) throw new ExifError('GPS coordinate is not three rationals');
    const at = this.valueAt(entry);
    const [d, m, s] = [0, 1, 2].map((i) => {
      const denominator = this.u32(at + i * 8 + 4);
      return denominator === 0 ? 0 : this.u32(at + i * 8) / denominator;
    });
    return d + m / 60 + s / 3600;
  }
}

const find = (entries: IfdEntry[], tag: number) => entries.find((entry) => entry.tag === tag);

function readGps(tiff: Tiff, offset: number): ExifFacts['position'] {
  const { entries } = tiff.ifd(offset);
  const lat = find(entries, GPS_LATITUDE);
  const lon = find(entries, GPS_LONGITUDE);
  if (!lat || !lon) return null;
  const latRef = find(entries, GPS_LATITUDE_REF);
  const lonRef = find(entries, GPS_LONGITUDE_REF);
  const south = latRef ? tiff.text(latRef).toUpperCase() === 'S' : false;
  const west = lonRef ? tiff.text(lonRef).toUpperCase() === 'W' : false;
  return { lat: (south ? -1 : 1) * tiff.degrees(lat), lon: (west ? -1 : 1) * tiff.degrees(lon) };
}

/** Orientation, GPS position and DateTimeOriginal of a TIFF/EXIF block. */
export function readExifFacts(block: Uint8Array): ExifFacts {
  const tiff = new Tiff(block);
  const { entries } = tiff.ifd(tiff.ifd0);
  const orientationEntry = find(entries, TAG_ORIENTATION);
  const orientation = orientationEntry ? tiff.short(orientationEntry) : 1;
  if (orientation < 1 || orientation > 8) throw new ExifError(`orientation ${orientation}`);
  const gpsEntry = find(entries, TAG_GPS_IFD);
  const position = gpsEntry ? readGps(tiff, tiff.short(gpsEntry)) : null;
  const exifEntry = find(entries, TAG_EXIF_IFD);
  let takenAt: string | null = null;
  if (exifEntry) {
    const taken = find(tiff.ifd(tiff.short(exifEntry)).entries, TAG_DATE_TIME_ORIGINAL);
    takenAt = taken ? tiff.text(taken) || null : null;
  }
  return { orientation, position, takenAt };
}

/** What a photo file says about itself: format, EXIF facts and block, stored size (JPEG). */
export function readPhotoMetadata(bytes: Uint8Array): PhotoMetadata {
  const format = sniffFormat(bytes);
  let tiff: Uint8Array | null = null;
  let storedWidth: number | null = null;
  let storedHeight: number | null = null;
  if (format === 'jpeg') ({ tiff, storedWidth, storedHeight } = readJpeg(bytes));
  else if (format === 'png') tiff = readPng(bytes);
  else if (format === 'webp') tiff = readWebp(bytes);
  const facts: ExifFacts = tiff ? readExifFacts(tiff) : { orientation: 1, position: null, takenAt: null };
  return { format, tiff, storedWidth, storedHeight, ...facts };
}

// ---------------------------------------------------------------------------------- writing

export interface CopyChanges {
  /** True when the pixels were drawn upright: the orientation becomes 1 and IFD1 is unlinked. */
  orientationApplied: boolean;
  /** The copy's size in pixels. */
  width: number;
  height: number;
}

/**
 * The APP1 segment (marker, length, `Exif\0\0`, TIFF block) for the shrunk copy: the original
 * block with the orientation and the pixel size patched in place.
 */
export function exifSegmentForCopy(block: Uint8Array, changes: CopyChanges): Uint8Array {
  const length = 2 + EXIF_HEADER.length + block.length;
  if (length > MAX_SEGMENT_LENGTH) throw new ExifError('EXIF block too large for one JPEG segment');
  const segment = new Uint8Array(2 + length);
  segment.set([0xff, 0xe1, length >> 8, length & 0xff, ...EXIF_HEADER]);
  segment.set(block, 2 + 2 + EXIF_HEADER.length);
  const tiff = new Tiff(segment.subarray(2 + 2 + EXIF_HEADER.length));
  const ifd0 = tiff.ifd(tiff.ifd0);
  const orientation = find(ifd0.entries, TAG_ORIENTATION);
  if (changes.orientationApplied && orientation && tiff.short(orientation) !== 1) {
    if (orientation.type !== TYPE_SHORT) throw new ExifError('orientation is not a SHORT');
    tiff.view.setUint16(tiff.valueAt(orientation), 1, tiff.little);
    tiff.u32(ifd0.next);
    tiff.view.setUint32(ifd0.next, 0, tiff.little);
  }
  const exifEntry = find(ifd0.entries, TAG_EXIF_IFD);
  if (exifEntry) {
    const exif = tiff.ifd(tiff.short(exifEntry));
    for (const [tag, value] of [
      [TAG_PIXEL_X, changes.width],
      [TAG_PIXEL_Y, changes.height],
    ] as const) {
      const entry = find(exif.entries, tag);
      if (!entry || entry.count !== 1) continue;
      if (entry.type === TYPE_LONG) tiff.view.setUint32(tiff.valueAt(entry), value, tiff.little);
      else if (entry.type === TYPE_SHORT && value <= 0xffff) tiff.view.setUint16(tiff.valueAt(entry), value, tiff.little);
    }
  }
  return segment;
}

/**
 * The encoder's JPEG with `app1` as its EXIF: after SOI and a JFIF APP0 if there is one (the
 * layout libjpeg and cameras write), any EXIF the encoder wrote itself left out.
 */
export function withExifSegment(jpeg: Uint8Array, app1: Uint8Array): Uint8Array<ArrayBuffer> {
  const segments = jpegSegments(jpeg);
  const own = segments.filter((segment) => isExifApp1(jpeg, segment));
  const first = segments[0];
  const insertAt = first && first.marker === 0xe0 && first.start === 2 ? first.end : 2;
  const parts: Uint8Array[] = [jpeg.subarray(0, insertAt), app1];
  let from = insertAt;
  for (const segment of own) {
    if (segment.start < insertAt) continue;
    parts.push(jpeg.subarray(from, segment.start));
    from = segment.end;
  }
  parts.push(jpeg.subarray(from));
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
