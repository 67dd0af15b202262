/** Symbols moved apart on screen: none overlapping, none far from its true place, always the same layout. */
import { declutter, DeclutterPoint } from './declutter';

/** Whether two placed squares overlap (touching with less than `gap` between them counts). */
function overlapping(a: { x: number; y: number }, b: { x: number; y: number }, sizeA: number, sizeB: number, gap: number): boolean {
  const apart = (sizeA + sizeB) / 2 + gap;
  return Math.abs(a.x - b.x) < apart - 1e-9 && Math.abs(a.y - b.y) < apart - 1e-9;
}

/** A pseudo-random but repeatable scatter (a linear congruential generator). */
function scatter(count: number, spread: number, seed: number): DeclutterPoint[] {
  let state = seed;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  return Array.from({ length: count }, (_, index) => ({
    x: 400 + next() * spread,
    y: 300 + next() * spread,
    size: index % 5 === 0 ? 22 : 18,
    priority: index % 5 === 0 ? 1 : 0,
    key: `site-${String(index).padStart(3, '0')}`,
  }));
}

function expectApart(points: DeclutterPoint[], gap: number) {
  const placed = declutter(points, { gap });
  for (let a = 0; a < placed.length; a++) {
    for (let b = a + 1; b < placed.length; b++) {
      if (overlapping(placed[a], placed[b], points[a].size, points[b].size, gap)) {
        throw new Error(`${points[a].key} at ${placed[a].x},${placed[a].y} overlaps ${points[b].key} at ${placed[b].x},${placed[b].y}`);
      }
    }
  }
  return placed;
}

describe('declutter', () => {
  it('leaves symbols that are already apart where they are', () => {
    const points: DeclutterPoint[] = [
      { x: 10, y: 10, size: 18, priority: 0, key: 'a' },
      { x: 40, y: 10, size: 18, priority: 0, key: 'b' },
      { x: 10, y: 40, size: 18, priority: 0, key: 'c' },
    ];
    expect(declutter(points, { gap: 2 })).toEqual(points.map(({ x, y }) => ({ x, y, displaced: false })));
  });

  it('spreads 36 symbols on one spot apart, each within a few of its sizes from it, the most important one staying put', () => {
    const points: DeclutterPoint[] = Array.from({ length: 36 }, (_, index) => ({ x: 500, y: 500, size: 18, priority: index === 17 ? 1 : 0, key: `s${index}` }));
    const placed = expectApart(points, 2);
    expect(placed[17]).toEqual({ x: 500, y: 500, displaced: false });
    expect(placed.filter((p) => p.displaced)).toHaveLength(35);
    // A packed square of 6 × 6 symbols would reach 3 steps out; a disc about as far.
    const step = 18 + 2;
    for (const p of placed) expect(Math.hypot(p.x - 500, p.y - 500)).toBeLessThanOrEqual(Math.ceil(Math.sqrt(36)) * step);
  });

  it('keeps a crowded scatter of mixed sizes apart, each within a bound of its own true place', () => {
    for (const seed of [1, 7, 42]) {
      const points = scatter(53, 60, seed);
      const placed = expectApart(points, 2);
      const bound = Math.ceil(Math.sqrt(points.length)) * (22 + 2);
      for (const [index, p] of placed.entries()) expect(Math.hypot(p.x - points[index].x, p.y - points[index].y)).toBeLessThanOrEqual(bound);
    }
  });

  it('keeps the 2,000 sites of a dense town apart, next to their boxes placed from other cells of its grid', () => {
    const points = scatter(2000, 1400, 11);
    const placed = expectApart(points, 3);
    expect(placed.filter((p) => p.displaced).length).toBeGreaterThan(100);
    expect(placed.filter((p) => !p.displaced).length).toBeGreaterThan(100);
  });

  it('gives the same layout whatever the order of its input, and for a view panned by whole pixels the same layout shifted', () => {
    const points = scatter(40, 50, 3);
    const placed = declutter(points);
    const reversed = declutter([...points].reverse()).reverse();
    expect(reversed).toEqual(placed);
    expect(declutter(points)).toEqual(placed);
    const panned = declutter(points.map((p) => ({ ...p, x: p.x - 137, y: p.y + 64 })));
    expect(panned.map((p) => ({ ...p, x: p.x + 137, y: p.y - 64 }))).toEqual(placed);
  });
});
