import { orientation } from './orientation';

describe('orientation', () => {
  it('says left, right or on the line', () => {
    expect(orientation(0, 0, 1, 0, 0.5, 1)).toBe(1);
    expect(orientation(0, 0, 1, 0, 0.5, -1)).toBe(-1);
    expect(orientation(0, 0, 1, 0, 7, 0)).toBe(0);
    expect(orientation(112.95, -2.53, 112.96, -2.54, 112.97, -2.55)).toBe(orientation(112.95, -2.53, 112.96, -2.54, 112.97, -2.55));
  });

  it('is exact where plain floating point gets the sign wrong (points a few ulps off a line)', () => {
    // Kettner et al., "Classroom examples of robustness problems in geometric computations"
    // (2008): p moved by i and j ulps from (0.5, 0.5), against the line y = x through q and r.
    // The exact answer is the sign of j - i; the plain determinant with p first errs on many.
    const ulp = 2 ** -53;
    let plainWrong = 0;
    const wrong: number[][] = [];
    for (let i = 0; i < 256; i++) {
      for (let j = 0; j < 256; j++) {
        const [px, py] = [0.5 + i * ulp, 0.5 + j * ulp];
        const expected = Math.sign(j - i);
        const found = [orientation(px, py, 12, 12, 24, 24), orientation(12, 12, 24, 24, px, py), orientation(24, 24, px, py, 12, 12)];
        if (found.some((side) => side !== expected)) wrong.push([i, j, ...found]);
        const plain = Math.sign((12 - px) * (24 - py) - (12 - py) * (24 - px));
        if (plain !== expected) plainWrong += 1;
      }
    }
    expect(wrong).toEqual([]);
    expect(plainWrong).toBeGreaterThan(1000);
  });

  it('is exact on degree coordinates on or next to a line, where the plain determinant cannot tell', () => {
    // Points on a grid of 2^-40° (about 0.1 µm) around Sampit, so that the exact determinant is
    // one in integers: a, then b and c on the line from a in a random direction, c moved by at
    // most one grid step either way (so on the line, in one case in nine).
    const grid = 2 ** -40;
    let state = 11;
    const rand = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
    const onGrid = (x: number) => Math.round(x / grid);
    const wrong: unknown[] = [];
    let undecidedByPlain = 0;
    for (let trial = 0; trial < 20000; trial++) {
      const [ax, ay] = [onGrid(112.5 + rand() * 0.5), onGrid(-2.5 - rand() * 0.5)];
      const [dx, dy] = [Math.floor((rand() - 0.5) * 2 ** 30), Math.floor((rand() - 0.5) * 2 ** 30)];
      const [bx, by] = [ax + 3 * dx, ay + 3 * dy];
      const along = Math.floor(rand() * 11) - 5;
      const [cx, cy] = [ax + along * dx + Math.floor(rand() * 3) - 1, ay + along * dy + Math.floor(rand() * 3) - 1];
      const exact = BigInt(bx - ax) * BigInt(cy - ay) - BigInt(by - ay) * BigInt(cx - ax);
      const expected = exact > 0n ? 1 : exact < 0n ? -1 : 0;
      const degrees = [ax, ay, bx, by, cx, cy].map((k) => k * grid) as [number, number, number, number, number, number];
      if (orientation(...degrees) !== expected) wrong.push({ degrees, expected });
      const [dax, day, dbx, dby, dcx, dcy] = degrees;
      const [l, r] = [(dbx - dax) * (dcy - day), (dby - day) * (dcx - dax)];
      if (Math.abs(l - r) <= 2 ** -52 * (Math.abs(l) + Math.abs(r))) undecidedByPlain += 1;
    }
    expect(wrong).toEqual([]);
    expect(undecidedByPlain).toBeGreaterThan(1000);
  });

  it('is exact for tiny and huge coordinates', () => {
    expect(orientation(0, 0, 1e-300, 1e-300, 2e-300, 2e-300)).toBe(0);
    expect(orientation(0, 0, 1e-300, 1e-300, 2e-300, 2.0000000000000004e-300)).toBe(1);
    expect(orientation(-0, 0, 5e-324, 0, 0, 5e-324)).toBe(1);
    expect(orientation(1e300, 1e300, -1e300, -1e300, 0, 0)).toBe(0);
  });
});
