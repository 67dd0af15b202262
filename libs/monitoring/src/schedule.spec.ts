import { applyCheck, INITIAL_STATE, type MonitorState } from './monitor-state';
import { nextSlotMs, slotOffsetMs, slotsIn } from './schedule';

describe("the monitors' slots", () => {
  it('gives each monitor a fixed offset inside its interval, the same on every machine', () => {
    const id = '3f1c2a44-1b7e-4d3a-9a55-0c1f2e3d4b5a';
    expect(slotOffsetMs(id, 60000)).toBe(slotOffsetMs(id, 60000));
    expect(slotOffsetMs(id, 60000)).toBeGreaterThanOrEqual(0);
    expect(slotOffsetMs(id, 60000)).toBeLessThan(60000);
  });

  it('spreads 10,000 monitors at 60 s over the minute: no second gets more than twice its share', () => {
    const perSecond = new Array(60).fill(0);
    for (let i = 0; i < 10000; i++) perSecond[Math.floor(slotOffsetMs(`monitor-${i}`, 60000) / 1000)]++;
    expect(Math.max(...perSecond)).toBeLessThan((10000 / 60) * 2);
    expect(Math.min(...perSecond)).toBeGreaterThan(10000 / 60 / 2);
  });

  it('finds the slots inside a window, once each', () => {
    expect(nextSlotMs(1_000_000, 250, 10_000)).toBe(1_000_250);
    expect(nextSlotMs(1_000_250, 250, 10_000)).toBe(1_000_250);
    expect(nextSlotMs(1_000_251, 250, 10_000)).toBe(1_010_250);
    expect(slotsIn(1_000_000, 1_005_000, 250, 10_000)).toEqual([1_000_250]);
    expect(slotsIn(1_000_300, 1_005_000, 250, 10_000)).toEqual([]);
    // Windows side by side cover every slot exactly once.
    const seen: number[] = [];
    for (let from = 0; from < 60_000; from += 5_000) seen.push(...slotsIn(from, from + 5_000, 7_321, 10_000));
    expect(seen).toEqual([7_321, 17_321, 27_321, 37_321, 47_321, 57_321]);
  });
});

describe("a monitor's state", () => {
  const run = (results: boolean[], start: MonitorState = INITIAL_STATE) => {
    let state = start;
    const changes: string[] = [];
    for (const ok of results) {
      const step = applyCheck(state, ok);
      state = step.next;
      if (step.changed) changes.push(`${step.changed.from}→${step.changed.to}`);
    }
    return { state, changes };
  };

  it('is up at the first success, down after three failures in a row, and up again after two successes', () => {
    const { state, changes } = run([true, false, false, true, false, false, false, true, true]);
    expect(changes).toEqual(['unknown→up', 'up→down', 'down→up']);
    expect(state).toMatchObject({ state: 'up', consecutiveOk: 2, consecutiveFail: 0 });
  });

  it('does not go down on two failures, nor up on one success after being down', () => {
    expect(run([true, false, false]).state.state).toBe('up');
    expect(run([false, false, false, true]).state.state).toBe('down');
  });

  it('marks a link that keeps changing as flapping', () => {
    const flips = Array.from({ length: 20 }, (_, i) => i % 2 === 0);
    expect(run(flips).state.flapping).toBe(true);
    expect(run([...flips, ...new Array(20).fill(true)]).state.flapping).toBe(false);
  });
});
