import * as turf from '@turf/turf';
import type { LineString } from 'geojson';

/**
 * Great-circle length in metres on turf's mean-radius sphere (6371008.8 m): the same model the
 * database uses for segments.length_m, so lengths measured here and there agree.
 */
export function lineLengthM(line: LineString): number {
  return turf.length(turf.lineString(line.coordinates), { units: 'meters' });
}
