import { judgeMove, NETWORK_STATUSES, NetworkStatus } from '@serat/vocabulary';

/**
 * What an import does with a status its file states for an existing segment or node.
 * `warning` is a report code with the move as its detail (`status_kept_backwards:active→planned`).
 */
export type ImportedStatusVerdict = { apply: true } | { apply: false; warning: string };

/** The statuses reachable from `from` by moves the lifecycle allows without a reason. */
function plainlyReachable(from: NetworkStatus): Set<NetworkStatus> {
  const seen = new Set<NetworkStatus>();
  const queue = [from];
  while (queue.length) {
    const current = queue.shift()!;
    for (const next of NETWORK_STATUSES) {
      const verdict = judgeMove(current, next);
      if (seen.has(next) || !verdict.allowed || verdict.needsReason) continue;
      seen.add(next);
      queue.push(next);
    }
  }
  return seen;
}

const REACHABLE = new Map(NETWORK_STATUSES.map((s) => [s, plainlyReachable(s)]));

/**
 * A contractor's file is evidence of what was built, not of what was undone. A status it states
 * is applied when the lifecycle (judgeMove, the one place for the rules) reaches it by plain
 * moves: the next stage, or several skipped at once (planned → active), damaged from active and
 * repaired back. Anything else is left as it is and reported, because an old file re-imported
 * must not undo what technicians advanced in the field: a step back (active → planned), a move
 * the lifecycle forbids (from decommissioned, damaged other than from active) and one it wants a
 * reason for (decommissioning) are made in the app, with a note. Evidence rules are not asked.
 */
export function judgeImportedStatus(from: NetworkStatus, to: NetworkStatus): ImportedStatusVerdict {
  if (from === to) return { apply: true };
  const move = `${from}→${to}`;
  const verdict = judgeMove(from, to);
  if (!verdict.allowed) return { apply: false, warning: `status_kept_not_allowed:${move}` };
  if (!verdict.needsReason || REACHABLE.get(from)!.has(to)) return { apply: true };
  if (REACHABLE.get(to)!.has(from)) return { apply: false, warning: `status_kept_backwards:${move}` };
  return { apply: false, warning: `status_kept_needs_reason:${move}` };
}
