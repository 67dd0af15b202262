/**
 * Where the keyboard focus should go next, said by a store (which knows no DOM) and carried out
 * by its component after the drawing the element needs (`useFocusRequest` in components.tsx).
 */
import { signal, type ReadonlySignal } from '@preact/signals';

export interface FocusRequest {
  /** The id of the element to focus. */
  id: string;
  /** Select the text too (an input to type over). */
  select: boolean;
  /** Bumped on every request: the same element asked for twice is focused twice. */
  seq: number;
}

export function createFocusRequests() {
  const request = signal<FocusRequest | null>(null);
  let seq = 0;
  return {
    request: request as ReadonlySignal<FocusRequest | null>,
    focus(id: string, options: { select?: boolean } = {}): void {
      request.value = { id, select: Boolean(options.select), seq: ++seq };
    },
  };
}
