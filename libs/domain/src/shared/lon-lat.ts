/** A position as rows and inputs carry it outside GeoJSON: WGS84 degrees (SRID 4326). */
export interface LonLat {
  lon: number;
  lat: number;
}

/**
 * Fields a caller gives as plain text although the stored row has a word of the vocabulary there
 * (the import's plan holds placement, tier and the status of the nodes it makes as strings): the
 * table's CHECK constraints refuse any other word.
 */
export type AsText<T, K extends keyof T> = Omit<T, K> & { [P in K]: string };
