// Module-level aliases: looking up the global Math in a hot loop is slow in some hosts (jest's vm contexts).
const { abs, max } = Math;

/**
 * Which side of the directed line a → b the point c is on: 1 to the left (counter-clockwise),
 * -1 to the right, 0 exactly on it. Exact for all finite doubles, in three steps after Shewchuk
 * ("Adaptive Precision Floating-Point Arithmetic and Fast Robust Geometric Predicates", 1997):
 * the plain floating-point determinant when its rounding cannot change the sign (nearly always);
 * else the same determinant as an exact sum of doubles, when the four differences were exact
 * (coordinates of one region are within a factor of two of each other, Sterbenz's lemma); else
 * integers (BigInt). A sweep line that reads one sign wrongly orders segments inconsistently and
 * can miss a crossing, so the exact steps are not optional; they are cheap enough (about 0.1 µs
 * and 2 µs) that nearly collinear input costs no more than a constant factor.
 */
export function orientation(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): -1 | 0 | 1 {
  const dx1 = bx - ax;
  const dy1 = by - ay;
  const dx2 = cx - ax;
  const dy2 = cy - ay;
  const left = dx1 * dy2;
  const right = dy1 * dx2;
  const det = left - right;
  if (!(underflows(left, dx1, dy2) || underflows(right, dy1, dx2))) {
    // A rounded difference or product has the sign of the exact one, and is 0 only when it is: so
    // when the two products differ in sign, or one is 0, no cancellation can flip det's sign.
    if (left === 0 || right === 0 || left > 0 !== right > 0) return det > 0 ? 1 : det < 0 ? -1 : 0;
    if (abs(det) > ERROR_BOUND * (abs(left) + abs(right))) return det > 0 ? 1 : -1;
    if (
      max(abs(dx1), abs(dy1), abs(dx2), abs(dy2)) < SPLIT_LIMIT &&
      exactDifference(bx, ax, dx1) &&
      exactDifference(by, ay, dy1) &&
      exactDifference(cx, ax, dx2) &&
      exactDifference(cy, ay, dy2)
    ) {
      return expansionOrientation(dx1, dy2, dy1, dx2);
    }
  }
  return integerOrientation(ax, ay, bx, by, cx, cy);
}

/** Unit roundoff of doubles, 2^-53. */
const EPSILON = 2 ** -53;
/** Shewchuk's ccwerrboundA: the largest error of `det` relative to |left| + |right|. */
const ERROR_BOUND = (3 + 16 * EPSILON) * EPSILON;
/** Below this a product, or the error terms of one, may have lost digits to underflow. */
const TINY_PRODUCT = 1e-200;
/** Above this, splitting a double into halves could overflow. */
const SPLIT_LIMIT = 1e150;
/** 2^27 + 1: splits a double into two halves of 26 bits whose products are exact. */
const SPLITTER = 134217729;

const underflows = (product: number, u: number, v: number): boolean => abs(product) < TINY_PRODUCT && u !== 0 && v !== 0;

/** Whether d = a - b was computed without rounding (Knuth's TwoDiff error term is 0). */
function exactDifference(a: number, b: number, d: number): boolean {
  const bVirtual = a - d;
  const aVirtual = d + bVirtual;
  return bVirtual - b + (a - aVirtual) === 0;
}

/** a × b as high + low, exactly (Dekker's TwoProduct). */
function twoProduct(a: number, b: number): [number, number] {
  const high = a * b;
  let c = SPLITTER * a;
  const aHigh = c - (c - a);
  const aLow = a - aHigh;
  c = SPLITTER * b;
  const bHigh = c - (c - b);
  const bLow = b - bHigh;
  const error = high - aHigh * bHigh - aLow * bHigh - aHigh * bLow;
  return [high, aLow * bLow - error];
}

/** x = a + b exactly as x + y (Knuth's TwoSum). */
function twoSum(a: number, b: number): [number, number] {
  const x = a + b;
  const bVirtual = x - a;
  const aVirtual = x - bVirtual;
  return [x, a - aVirtual + (b - bVirtual)];
}

/** The sign of p × q - r × s for doubles taken as exact: both products as two doubles, their difference as four (Shewchuk's Two_Two_Diff), the largest nonzero decides. */
function expansionOrientation(p: number, q: number, r: number, s: number): -1 | 0 | 1 {
  const [a1, a0] = twoProduct(p, q);
  const [b1, b0] = twoProduct(r, s);
  // (a1 + a0) - b0 = j + x1 + x0, then (j + x1) - b1 = x3 + x2 + x1'; components grow in size.
  const [i, x0] = twoSum(a0, -b0);
  const [j, k] = twoSum(a1, i);
  const [m, x1] = twoSum(k, -b1);
  const [x3, x2] = twoSum(j, m);
  const top = x3 !== 0 ? x3 : x2 !== 0 ? x2 : x1 !== 0 ? x1 : x0;
  return top > 0 ? 1 : top < 0 ? -1 : 0;
}

const view = new DataView(new ArrayBuffer(8));

/** x as mantissa × 2^exponent, both integers, exactly. */
function decompose(x: number): { mantissa: bigint; exponent: number } {
  view.setFloat64(0, x);
  const high = view.getUint32(0);
  const low = view.getUint32(4);
  const biased = (high >>> 20) & 0x7ff;
  let mantissa = (BigInt(high & 0xfffff) << 32n) | BigInt(low);
  let exponent = -1074;
  if (biased !== 0) {
    mantissa |= 1n << 52n;
    exponent = biased - 1075;
  }
  return { mantissa: high >>> 31 ? -mantissa : mantissa, exponent };
}

/** The determinant in integers: every coordinate scaled by one power of two so that all are whole. */
function integerOrientation(...coordinates: [number, number, number, number, number, number]): -1 | 0 | 1 {
  const parts = coordinates.map(decompose);
  // Zeros have no exponent worth scaling to.
  const lowest = Math.min(0, ...parts.filter((p) => p.mantissa !== 0n).map((p) => p.exponent));
  const [ax, ay, bx, by, cx, cy] = parts.map((p) => p.mantissa << BigInt(p.exponent - lowest));
  const det = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
  return det > 0n ? 1 : det < 0n ? -1 : 0;
}
