/**
 * Moves point symbols that would overlap on screen to free places near their true ones, so
 * that every one of them can be seen and clicked at every zoom (the SOPD of Sampit's government
 * quarter lie within about a kilometre of each other). Pure: screen points in, screen points
 * out, no Leaflet and no DOM, so the same zoom always gives the same layout.
 *
 * Symbols are placed one by one, the most important first; each takes its true place when that
 * is free, else the nearest free place on a fine grid around it. Boxes are axis-aligned squares
 * (the icons are), so two symbols are apart when they are apart along x or along y.
 */

export interface DeclutterPoint {
  x: number;
  y: number;
  /** Side of the symbol's square box, in pixels. */
  size: number;
  /** Placed earlier (so more often at its true place) when higher. */
  priority: number;
  /** A stable identity: breaks ties in priority, so the input order never matters. */
  key: string;
}

export interface DeclutterOptions {
  /** Free pixels kept between two boxes. */
  gap?: number;
}

export interface PlacedPoint {
  x: number;
  y: number;
  displaced: boolean;
}

/** Candidate offsets per grid unit, nearest first, built once per search radius. */
const offsetCache = new Map<number, Array<[number, number]>>();

/** Grid offsets (in units) within `radius` units of the origin, nearest first, then clockwise from the top. */
function offsets(radius: number): Array<[number, number]> {
  const cached = offsetCache.get(radius);
  if (cached) return cached;
  const list: Array<[number, number, number, number]> = [];
  for (let i = -radius; i <= radius; i++) {
    for (let j = -radius; j <= radius; j++) {
      if (i === 0 && j === 0) continue;
      const distance = Math.hypot(i, j);
      if (distance > radius) continue;
      // Clockwise from straight up (screen y grows downwards).
      const angle = (Math.atan2(i, -j) + 2 * Math.PI) % (2 * Math.PI);
      list.push([i, j, distance, angle]);
    }
  }
  list.sort((a, b) => a[2] - b[2] || a[3] - b[3]);
  const result = list.map(([i, j]): [number, number] => [i, j]);
  offsetCache.set(radius, result);
  return result;
}

/** Finer than a symbol, so a displaced one can nestle against neighbours placed from elsewhere. */
const UNITS_PER_STEP = 2;

export function declutter(points: readonly DeclutterPoint[], options: DeclutterOptions = {}): PlacedPoint[] {
  const gap = options.gap ?? 2;
  const order = points.map((_, index) => index).sort((a, b) => points[b].priority - points[a].priority || compareKeys(points[a].key, points[b].key));
  // The placed boxes by cell of a grid as wide as the farthest two boxes can be apart and still
  // overlap: a box can only meet boxes of its own cell and the eight around it, so a place is
  // tried against a few neighbours instead of every box placed (thousands of sites in a town).
  const cell = points.reduce((widest, p) => Math.max(widest, p.size), 1) + gap;
  const grid = new Map<number, Array<{ x: number; y: number; half: number }>>();
  // One number per cell: rows of 2^23 cells (a world of 2^28 pixels at zoom 20 has fewer).
  const cellKey = (i: number, j: number) => i * 8_388_608 + j;
  const result: PlacedPoint[] = new Array(points.length);
  const free = (x: number, y: number, half: number) => {
    const [ci, cj] = [Math.floor(x / cell), Math.floor(y / cell)];
    for (let i = ci - 1; i <= ci + 1; i++)
      for (let j = cj - 1; j <= cj + 1; j++)
        for (const other of grid.get(cellKey(i, j)) ?? []) {
          const apart = half + other.half + gap;
          if (Math.abs(x - other.x) < apart && Math.abs(y - other.y) < apart) return false;
        }
    return true;
  };
  const place = (box: { x: number; y: number; half: number }) => {
    const key = cellKey(Math.floor(box.x / cell), Math.floor(box.y / cell));
    const boxes = grid.get(key);
    if (boxes) boxes.push(box);
    else grid.set(key, [box]);
  };

  for (const index of order) {
    const point = points[index];
    const half = point.size / 2;
    let at: PlacedPoint | null = free(point.x, point.y, half) ? { x: point.x, y: point.y, displaced: false } : null;
    const unit = (point.size + gap) / UNITS_PER_STEP;
    // The search widens until it finds room; with finitely many symbols placed it always does.
    for (let radius = 4 * UNITS_PER_STEP; !at; radius *= 2) {
      for (const [i, j] of offsets(radius)) {
        const x = point.x + i * unit;
        const y = point.y + j * unit;
        if (free(x, y, half)) {
          at = { x, y, displaced: true };
          break;
        }
      }
    }
    place({ x: at.x, y: at.y, half });
    result[index] = at;
  }
  return result;
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
