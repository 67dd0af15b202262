import { judgeImportedStatus } from './import-status';

describe('statuses stated by an imported file for existing segments and nodes', () => {
  it('applies forward moves, skipped stages included, and damage and repair of active cable', () => {
    for (const [from, to] of [
      ['planned', 'surveyed'],
      ['planned', 'active'],
      ['in_construction', 'tested'],
      ['installed', 'active'],
      ['active', 'damaged'],
      ['damaged', 'active'],
      ['active', 'active'],
    ] as const) {
      expect([from, to, judgeImportedStatus(from, to)]).toEqual([from, to, { apply: true }]);
    }
  });

  it('keeps the status on a step back, and says so', () => {
    expect(judgeImportedStatus('active', 'planned')).toEqual({ apply: false, warning: 'status_kept_backwards:active→planned' });
    expect(judgeImportedStatus('tested', 'spliced')).toEqual({ apply: false, warning: 'status_kept_backwards:tested→spliced' });
    expect(judgeImportedStatus('damaged', 'installed')).toEqual({ apply: false, warning: 'status_kept_backwards:damaged→installed' });
  });

  it('keeps the status where the lifecycle forbids the move or wants a reason for it', () => {
    expect(judgeImportedStatus('decommissioned', 'active')).toEqual({ apply: false, warning: 'status_kept_not_allowed:decommissioned→active' });
    expect(judgeImportedStatus('planned', 'damaged')).toEqual({ apply: false, warning: 'status_kept_not_allowed:planned→damaged' });
    expect(judgeImportedStatus('active', 'decommissioned')).toEqual({ apply: false, warning: 'status_kept_needs_reason:active→decommissioned' });
  });
});
