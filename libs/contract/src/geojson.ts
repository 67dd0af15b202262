/**
 * The GeoJSON the api sends (RFC 7946, [longitude, latitude]), written out here so that the contract
 * needs no package: @types/geojson's shapes are assignable to these and these to them.
 */
export interface PointGeometry {
  type: 'Point';
  coordinates: number[];
}

export interface LineStringGeometry {
  type: 'LineString';
  coordinates: number[][];
}

/** Administrative boundaries: a polygon, or several for an area with islands. */
export type AreaGeometry = { type: 'Polygon'; coordinates: number[][][] } | { type: 'MultiPolygon'; coordinates: number[][][][] };

export interface ContractFeature<G, P> {
  type: 'Feature';
  id?: string | number;
  geometry: G;
  properties: P;
}

/** A page of a collection (GET /api/sites, nodes, segments, areas): follow `next` until it is null. */
export interface FeatureCollectionPage<F> {
  type: 'FeatureCollection';
  numberReturned: number;
  /** Relative URL of the next page, or null. */
  next: string | null;
  features: F[];
}
