/**
 * A monitor's state from its checks: down after N failures in a row (default 3), up again after M
 * successes in a row (default 2), unknown until either; flapping when it changed state too often
 * among its last checks, so that an unstable link is marked rather than alerted on at every flip.
 */
export type MonitorStateName = 'unknown' | 'up' | 'down';

export interface MonitorState {
  state: MonitorStateName;
  consecutiveOk: number;
  consecutiveFail: number;
  /** The last checks' results, newest last (true = ok), at most `FLAP_WINDOW`. */
  recent: boolean[];
  flapping: boolean;
}

export interface StateRules {
  downAfter: number;
  upAfter: number;
}

export const DEFAULT_STATE_RULES: StateRules = { downAfter: 3, upAfter: 2 };
/** Checks looked at for flapping, and the changes of result among them that make it so. */
export const FLAP_WINDOW = 20;
export const FLAP_CHANGES = 6;

export const INITIAL_STATE: MonitorState = { state: 'unknown', consecutiveOk: 0, consecutiveFail: 0, recent: [], flapping: false };

export interface StateStep {
  next: MonitorState;
  /** The state changed with this check (to up or down). */
  changed: { from: MonitorStateName; to: 'up' | 'down' } | null;
}

export function applyCheck(current: MonitorState, ok: boolean, rules: StateRules = DEFAULT_STATE_RULES): StateStep {
  const consecutiveOk = ok ? current.consecutiveOk + 1 : 0;
  const consecutiveFail = ok ? 0 : current.consecutiveFail + 1;
  let state = current.state;
  if (ok && state !== 'up' && consecutiveOk >= (state === 'unknown' ? 1 : rules.upAfter)) state = 'up';
  if (!ok && state !== 'down' && consecutiveFail >= rules.downAfter) state = 'down';
  const recent = [...current.recent, ok].slice(-FLAP_WINDOW);
  let changes = 0;
  for (let i = 1; i < recent.length; i++) if (recent[i] !== recent[i - 1]) changes++;
  const next = { state, consecutiveOk, consecutiveFail, recent, flapping: changes >= FLAP_CHANGES };
  return { next, changed: state !== current.state && state !== 'unknown' ? { from: current.state, to: state } : null };
}
