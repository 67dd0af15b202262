/** @jest-environment jsdom */
/** Where "navigate here" leads, as a phone's map app reads it (latitude first). */
import { geoUri, navigationTarget } from './geo';

describe('navigate here', () => {
  it('writes a geo: URI latitude first, with a pin at the same place', () => {
    expect(geoUri([112.9468, -2.5312])).toBe('geo:-2.531200,112.946800?q=-2.531200,112.946800');
  });

  it('leads to a point itself, and on a line to the vertex nearest the technician or else its middle', () => {
    expect(navigationTarget({ type: 'Point', coordinates: [112.9, -2.5] })).toEqual([112.9, -2.5]);
    const line = {
      type: 'LineString' as const,
      coordinates: [
        [112.9, -2.5],
        [112.91, -2.5],
        [112.92, -2.5],
      ],
    };
    expect(navigationTarget(line)).toEqual([112.91, -2.5]);
    expect(navigationTarget(line, [112.921, -2.501])).toEqual([112.92, -2.5]);
    expect(navigationTarget({ type: 'LineString', coordinates: [] })).toBeNull();
    expect(navigationTarget(null)).toBeNull();
  });
});
