/**
 * One milestone's evidence pack as the reader asks for it: sent (POST …/evidence-pack), then read
 * again every moment until the worker has built it or said why not (GET /api/evidence-packs/:id).
 */
import { signal, type ReadonlySignal } from '@preact/signals';
import type { EvidencePack } from '../../../../../libs/contract/src';
import { ApiError, getJson, send } from '../../shared/api';

/** How often a pack being built is read again. */
const POLL_MS = 1000;

export function createEvidencePackStore(milestoneId: string, poll = POLL_MS) {
  const pack = signal<EvidencePack | null>(null);
  const problem = signal<string | null>(null);
  const busy = signal(false);
  let timer: ReturnType<typeof setTimeout> | null = null;
  let disposed = false;

  const follow = (current: EvidencePack) => {
    pack.value = current;
    if (disposed || current.state === 'done' || current.state === 'failed') return;
    timer = setTimeout(() => {
      getJson<EvidencePack>(`/api/evidence-packs/${current.id}`).then(follow, (error: unknown) => {
        // A moment's network trouble: try again; anything the server refused is said.
        if (error instanceof ApiError && error.serverMessage) problem.value = error.serverMessage;
        else follow(current);
      });
    }, poll);
  };

  return {
    pack: pack as ReadonlySignal<EvidencePack | null>,
    problem: problem as ReadonlySignal<string | null>,
    busy: busy as ReadonlySignal<boolean>,
    async request(): Promise<void> {
      if (busy.value) return;
      busy.value = true;
      problem.value = null;
      try {
        follow(await send<EvidencePack>(`/api/milestones/${milestoneId}/evidence-pack`, { method: 'POST', body: {} }));
      } catch (error) {
        problem.value = error instanceof ApiError ? (error.serverMessage ?? error.message) : String(error);
      } finally {
        busy.value = false;
      }
    },
    dispose(): void {
      disposed = true;
      if (timer) clearTimeout(timer);
    },
  };
}

export type EvidencePackStore = ReturnType<typeof createEvidencePackStore>;
