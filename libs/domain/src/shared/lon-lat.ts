/** A position as rows and inputs carry it outside GeoJSON: WGS84 degrees (SRID 4326). */
export interface LonLat {
  lon: number;
  lat: number;
}
