import { SweepStatus } from './sweep-status';

describe('SweepStatus', () => {
  /** Segment numbers stand for their own height along the sweep line. */
  const insert = (status: SweepStatus, segment: number) => status.insert(segment, (other) => segment - other);

  it('keeps segments in order, finds the neighbours of each, and stays balanced through inserts and removals', () => {
    const status = new SweepStatus();
    let state = 5;
    const rand = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
    const present = new Set<number>();
    for (let step = 0; step < 20000; step++) {
      const segment = Math.floor(rand() * 500);
      if (present.has(segment)) {
        status.remove(status.nodeOf(segment)!);
        present.delete(segment);
      } else {
        expect(insert(status, segment)).toEqual({ node: status.nodeOf(segment) });
        present.add(segment);
      }
      if (step % 100 === 0) {
        const sorted = [...present].sort((a, b) => a - b);
        const { order, balanced } = status.inspect();
        expect({ order, balanced }).toEqual({ order: sorted, balanced: true });
        sorted.forEach((segment, i) => {
          const node = status.nodeOf(segment)!;
          expect([status.below(node), status.above(node)]).toEqual([sorted[i - 1] ?? null, sorted[i + 1] ?? null]);
        });
      }
    }
    expect(status.size).toBe(present.size);
  });

  it('stays balanced when segments arrive in order (the case that makes a plain tree a list)', () => {
    const status = new SweepStatus();
    for (let segment = 0; segment < 4096; segment++) insert(status, segment);
    const { order, balanced } = status.inspect();
    expect(balanced).toBe(true);
    expect(order).toEqual(Array.from({ length: 4096 }, (_, i) => i));
    for (let segment = 0; segment < 4096; segment += 2) status.remove(status.nodeOf(segment)!);
    expect(status.inspect()).toEqual({ order: Array.from({ length: 2048 }, (_, i) => 2 * i + 1), balanced: true });
  });

  it('gives up where the caller says so, and names the segment it stopped at', () => {
    const status = new SweepStatus();
    [10, 20, 30].forEach((segment) => insert(status, segment));
    expect(status.insert(25, (other) => (other === 30 ? 0 : 25 - other))).toEqual({ stoppedAt: 30 });
    expect(status.nodeOf(25)).toBeUndefined();
    expect(status.inspect().order).toEqual([10, 20, 30]);
  });
});
