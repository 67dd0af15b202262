/**
 * The photo worker: decodes, scales and encodes a photo (photo-shrink.ts) away from the page, so
 * the panel stays responsive on a slow phone. One photo at a time (field-photos.ts sends them in
 * turn). Answers `outcome: null` where a worker cannot draw (no OffscreenCanvas): the page then
 * does it itself.
 */
import { canShrinkHere, shrinkImage, WORKER_HELLO, type ShrinkReply, type ShrinkRequest } from './photo-shrink';

// The DOM library describes a window; this is the little of a worker's scope used here.
const scope = self as unknown as {
  onmessage: ((event: MessageEvent<ShrinkRequest>) => void) | null;
  postMessage(message: ShrinkReply): void;
};

scope.onmessage = (event) => {
  const { id, blob } = event.data;
  if (!canShrinkHere()) {
    scope.postMessage({ id, outcome: null });
    return;
  }
  void shrinkImage(blob).then((outcome) => scope.postMessage({ id, outcome }));
};

// Loaded: from now on an error is a photo that failed, not a script that could not load.
scope.postMessage({ id: WORKER_HELLO, outcome: null });
