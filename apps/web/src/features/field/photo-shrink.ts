/**
 * Makes a camera photo smaller before it is queued: the longest side at most PHOTO_MAX_SIDE_PX,
 * JPEG at PHOTO_JPEG_QUALITY, the EXIF evidence (GPS position, DateTimeOriginal) carried over by
 * photo-exif.ts. Runs in the photo worker (photo-shrink.worker.ts) or, where a worker cannot draw,
 * on the page; field-photos.ts decides which.
 *
 * Whatever goes wrong, the answer is "keep the original": the photo is never lost, and the server
 * has the last word on a file it cannot use.
 */
import { exifSegmentForCopy, readPhotoMetadata, withExifSegment, type PhotoMetadata } from './photo-exif';

/** The longest side of a shrunk photo, in pixels: a cable label or a splice tray stays readable. */
export const PHOTO_MAX_SIDE_PX = 2048;
export const PHOTO_JPEG_QUALITY = 0.85;
/** Files this small are sent as they are (whatever their size in pixels): a re-encode would save little and cost detail. */
export const PHOTO_KEEP_UNDER_BYTES = 500 * 1024;
/** The copy is used only when it is at most this share of the original's bytes. */
const MAX_SHARE_OF_ORIGINAL = 0.8;
/** Positions read back from the copy must be the original's (degrees; the bytes are copied, so in fact equal). */
const POSITION_TOLERANCE_DEG = 1e-9;

export type KeptReason = 'small' | 'format' | 'exif' | 'decode' | 'no_saving' | 'failed';

export type ShrinkOutcome = { kind: 'shrunk'; blob: Blob; originalBytes: number; width: number; height: number } | { kind: 'kept'; reason: KeptReason; originalBytes: number };

/** Between the page (field-photos.ts) and the photo worker (photo-shrink.worker.ts). */
export interface ShrinkRequest {
  id: number;
  blob: Blob;
}

/** `outcome: null`: the worker cannot draw, the page does it. */
export interface ShrinkReply {
  id: number;
  outcome: ShrinkOutcome | null;
}

/** The id of the worker's first message, sent once it has loaded. */
export const WORKER_HELLO = 0;

/** Whether this context (page or worker) can decode and draw a photo off-screen. */
export function canShrinkHere(): boolean {
  if (typeof createImageBitmap !== 'function') return false;
  if (typeof OffscreenCanvas !== 'undefined') {
    try {
      const canvas = new OffscreenCanvas(1, 1);
      if (canvas.getContext('2d') && typeof canvas.convertToBlob === 'function') return true;
    } catch {
      // Falls through to the page's canvas.
    }
  }
  return typeof document !== 'undefined';
}

async function encodeJpeg(bitmap: ImageBitmap, width: number, height: number): Promise<Blob> {
  const draw = (context: OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D) => {
    // A transparent PNG becomes JPEG on white, not black.
    context.fillStyle = '#ffffff';
    context.fillRect(0, 0, width, height);
    context.imageSmoothingEnabled = true;
    context.imageSmoothingQuality = 'high';
    context.drawImage(bitmap, 0, 0, width, height);
  };
  let blob: Blob | null = null;
  const offscreen = typeof OffscreenCanvas !== 'undefined' ? new OffscreenCanvas(width, height) : null;
  const offscreenContext = offscreen?.getContext('2d');
  if (offscreen && offscreenContext) {
    draw(offscreenContext);
    blob = await offscreen.convertToBlob({ type: 'image/jpeg', quality: PHOTO_JPEG_QUALITY });
  } else if (typeof document !== 'undefined') {
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const context = canvas.getContext('2d');
    if (!context) throw new Error('no 2D canvas');
    draw(context);
    blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', PHOTO_JPEG_QUALITY));
    canvas.width = canvas.height = 0;
  }
  // A browser without a JPEG encoder answers with PNG.
  if (!blob || blob.type !== 'image/jpeg') throw new Error('no JPEG encoder');
  return blob;
}

/** The copy says what the original said: same position, same time, upright. */
function keepsEvidence(original: PhotoMetadata, copy: PhotoMetadata, orientation: number): boolean {
  if (copy.orientation !== orientation || copy.takenAt !== original.takenAt) return false;
  if (!original.position) return copy.position === null;
  return (
    !!copy.position &&
    Math.abs(copy.position.lat - original.position.lat) <= POSITION_TOLERANCE_DEG &&
    Math.abs(copy.position.lon - original.position.lon) <= POSITION_TOLERANCE_DEG
  );
}

/** The photo made smaller here (page or worker), or why it is kept as it is. */
export async function shrinkImage(blob: Blob): Promise<ShrinkOutcome> {
  const originalBytes = blob.size;
  const kept = (reason: KeptReason): ShrinkOutcome => ({ kind: 'kept', reason, originalBytes });
  if (originalBytes <= PHOTO_KEEP_UNDER_BYTES) return kept('small');
  try {
    const bytes = new Uint8Array(await blob.arrayBuffer());
    let metadata: PhotoMetadata;
    try {
      metadata = readPhotoMetadata(bytes);
    } catch {
      // EXIF this code cannot follow may still hold a position the server can read.
      return kept('exif');
    }
    // HEIC and the like: the server decides.
    if (metadata.format === 'other') return kept('format');
    // A JPEG within the size already: a second lossy encoding would only cost detail.
    const { storedWidth, storedHeight } = metadata;
    if (metadata.format === 'jpeg' && storedWidth && storedHeight && Math.max(storedWidth, storedHeight) <= PHOTO_MAX_SIDE_PX) return kept('small');
    // Only a JPEG's stored size shows whether the browser turned it (below).
    if (metadata.format !== 'jpeg' && metadata.orientation !== 1) return kept('exif');

    let bitmap: ImageBitmap;
    try {
      // 'from-image': drawn upright as the EXIF orientation says.
      bitmap = await createImageBitmap(blob, { imageOrientation: 'from-image' });
    } catch {
      return kept('decode');
    }
    try {
      // Orientations 5 to 8 swap width and height; a browser that did not turn the pixels leaves
      // them as stored, and the copy then keeps the original's orientation tag.
      let orientationApplied = true;
      if (metadata.orientation >= 5 && storedWidth && storedHeight && storedWidth !== storedHeight) {
        orientationApplied = bitmap.width === storedHeight && bitmap.height === storedWidth;
      }
      const scale = Math.min(1, PHOTO_MAX_SIDE_PX / Math.max(bitmap.width, bitmap.height));
      const width = Math.max(1, Math.round(bitmap.width * scale));
      const height = Math.max(1, Math.round(bitmap.height * scale));
      let jpeg = new Uint8Array(await (await encodeJpeg(bitmap, width, height)).arrayBuffer());
      if (metadata.tiff) jpeg = withExifSegment(jpeg, exifSegmentForCopy(metadata.tiff, { orientationApplied, width, height }));
      // Read back what the server will read: never send a copy that lost the evidence.
      const orientation = orientationApplied ? 1 : metadata.orientation;
      if (!keepsEvidence(metadata, readPhotoMetadata(jpeg), orientation)) return kept('exif');
      if (jpeg.length > originalBytes * MAX_SHARE_OF_ORIGINAL) return kept('no_saving');
      return { kind: 'shrunk', blob: new Blob([jpeg], { type: 'image/jpeg' }), originalBytes, width, height };
    } finally {
      bitmap.close();
    }
  } catch {
    return kept('failed');
  }
}
