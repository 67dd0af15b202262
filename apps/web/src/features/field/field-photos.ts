/**
 * The page's side of shrinking field photos: one photo at a time in the photo worker, on the page
 * where the worker cannot draw, and the original whenever anything fails or takes too long.
 */
import { canShrinkHere, PHOTO_KEEP_UNDER_BYTES, shrinkImage, WORKER_HELLO, type ShrinkOutcome, type ShrinkReply, type ShrinkRequest } from './photo-shrink';
import type { QueuedPhoto } from './outbox';

/** A photo in the form or the outbox, with its size as taken when it was shrunk (for "4,8 MB → 0,6 MB"). */
export type FieldPhoto = QueuedPhoto & { originalBytes?: number };

/** A photo the worker has not answered for in this time is sent as it is (and the worker restarted). */
const SHRINK_TIMEOUT_MS = 60_000;

let worker: Worker | null = null;
/** The worker said hello: it loaded, so a later error is a photo it could not handle. */
let workerStarted = false;
let workerUnusable = false;
let nextId = 1;
/** null: do it on the page; 'failed': keep the original. */
const waiting = new Map<number, (outcome: ShrinkOutcome | null | 'failed') => void>();
/** Photos are shrunk one after the other: a few decoded 12-megapixel photos at once would fill a phone's memory. */
let queue: Promise<unknown> = Promise.resolve();

function stopWorker(answer: null | 'failed'): void {
  worker?.terminate();
  worker = null;
  workerStarted = false;
  for (const resolve of waiting.values()) resolve(answer);
  waiting.clear();
}

function photoWorker(): Worker | null {
  if (worker || workerUnusable) return worker;
  if (typeof Worker === 'undefined') {
    workerUnusable = true;
    return null;
  }
  try {
    worker = new Worker(new URL('./photo-shrink.worker.ts', import.meta.url), { type: 'module' });
  } catch {
    workerUnusable = true;
    return null;
  }
  worker.onmessage = (event: MessageEvent<ShrinkReply>) => {
    if (event.data.id === WORKER_HELLO) {
      workerStarted = true;
      return;
    }
    const resolve = waiting.get(event.data.id);
    waiting.delete(event.data.id);
    resolve?.(event.data.outcome);
    if (event.data.outcome === null) {
      // It cannot draw here (no OffscreenCanvas): the page does the work from now on.
      workerUnusable = true;
      stopWorker(null);
    }
  };
  worker.onerror = () => {
    if (workerStarted) {
      // It died on a photo (out of memory, say): that photo goes as it is, the next gets a new worker.
      stopWorker('failed');
    } else {
      // The script could not load: the page does the work from now on.
      workerUnusable = true;
      stopWorker(null);
    }
  };
  return worker;
}

function inWorker(blob: Blob): Promise<ShrinkOutcome | null | 'failed'> {
  const target = photoWorker();
  if (!target) return Promise.resolve(null);
  const id = nextId++;
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      if (waiting.has(id)) stopWorker('failed');
    }, SHRINK_TIMEOUT_MS);
    waiting.set(id, (outcome) => {
      clearTimeout(timer);
      resolve(outcome);
    });
    target.postMessage({ id, blob } satisfies ShrinkRequest);
  });
}

async function shrinkNow(blob: Blob): Promise<ShrinkOutcome> {
  const fromWorker = await inWorker(blob);
  if (fromWorker === 'failed') return { kind: 'kept', reason: 'failed', originalBytes: blob.size };
  if (fromWorker) return fromWorker;
  // No worker, or one that cannot draw: on the page.
  return canShrinkHere() ? shrinkImage(blob) : { kind: 'kept', reason: 'failed', originalBytes: blob.size };
}

/** A smaller copy of the photo with its evidence, or the photo itself: never an error. */
export function shrinkPhoto(blob: Blob): Promise<ShrinkOutcome> {
  if (blob.size <= PHOTO_KEEP_UNDER_BYTES) return Promise.resolve({ kind: 'kept', reason: 'small', originalBytes: blob.size });
  const result = queue.then(() => shrinkNow(blob)).catch((): ShrinkOutcome => ({ kind: 'kept', reason: 'failed', originalBytes: blob.size }));
  queue = result;
  return result;
}
