import { STATUS_STAGES, type NetworkStatus } from './network-vocabulary';

const STAGES: readonly NetworkStatus[] = STATUS_STAGES;

export type MoveVerdict = { allowed: true; needsReason: boolean } | { allowed: false; why: 'same_status' | 'from_decommissioned' | 'damaged_only_from_active' };

/**
 * The one place that says which status moves are allowed. The next stage is a plain move; a
 * skipped stage or a step back needs a reason; only an active segment can be damaged, and a
 * repair takes it back to active; decommissioning needs a reason and is final.
 */
export function judgeMove(from: NetworkStatus, to: NetworkStatus): MoveVerdict {
  if (from === to) return { allowed: false, why: 'same_status' };
  if (from === 'decommissioned') return { allowed: false, why: 'from_decommissioned' };
  if (to === 'decommissioned') return { allowed: true, needsReason: true };
  if (to === 'damaged') return from === 'active' ? { allowed: true, needsReason: false } : { allowed: false, why: 'damaged_only_from_active' };
  if (from === 'damaged') return { allowed: true, needsReason: to !== 'active' };
  const step = STAGES.indexOf(to) - STAGES.indexOf(from);
  return { allowed: true, needsReason: step !== 1 };
}
