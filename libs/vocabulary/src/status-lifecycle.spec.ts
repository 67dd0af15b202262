import { NETWORK_STATUSES, NetworkStatus } from './network-vocabulary';
import { judgeMove } from './status-lifecycle';

const STAGES: NetworkStatus[] = ['planned', 'surveyed', 'in_construction', 'installed', 'spliced', 'tested', 'active'];

describe('the status lifecycle', () => {
  it('moves to the next stage without a reason', () => {
    for (let i = 0; i + 1 < STAGES.length; i++) {
      expect(judgeMove(STAGES[i], STAGES[i + 1])).toEqual({ allowed: true, needsReason: false });
    }
  });

  it('needs a reason to skip stages or to go back', () => {
    expect(judgeMove('planned', 'installed')).toEqual({ allowed: true, needsReason: true });
    expect(judgeMove('tested', 'spliced')).toEqual({ allowed: true, needsReason: true });
    expect(judgeMove('active', 'planned')).toEqual({ allowed: true, needsReason: true });
  });

  it('lets only an active segment be damaged, and repairs it back to active freely', () => {
    expect(judgeMove('active', 'damaged')).toEqual({ allowed: true, needsReason: false });
    for (const from of STAGES.filter((s) => s !== 'active')) {
      expect(judgeMove(from, 'damaged')).toEqual({ allowed: false, why: 'damaged_only_from_active' });
    }
    expect(judgeMove('damaged', 'active')).toEqual({ allowed: true, needsReason: false });
    expect(judgeMove('damaged', 'in_construction')).toEqual({ allowed: true, needsReason: true });
  });

  it('decommissions from anywhere with a reason, and never comes back', () => {
    for (const from of NETWORK_STATUSES.filter((s) => s !== 'decommissioned')) {
      expect(judgeMove(from, 'decommissioned')).toEqual({ allowed: true, needsReason: true });
    }
    for (const to of NETWORK_STATUSES.filter((s) => s !== 'decommissioned')) {
      expect(judgeMove('decommissioned', to)).toEqual({ allowed: false, why: 'from_decommissioned' });
    }
  });

  it('refuses a move to the same status', () => {
    for (const status of NETWORK_STATUSES) expect(judgeMove(status, status)).toEqual({ allowed: false, why: 'same_status' });
  });

  it('has a verdict for every pair', () => {
    for (const from of NETWORK_STATUSES) for (const to of NETWORK_STATUSES) expect(judgeMove(from, to)).toHaveProperty('allowed');
  });
});
