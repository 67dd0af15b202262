import { normalizeGeometry, type PositionTransform } from './geometry-normalize';
import { tooManyFeatures, type FeatureProblem, type ImportedFeature, type ImportLimits, type ImportProperties } from './import-types';

/**
 * Gathers features in source order: each geometry is checked and converted to WGS84, a broken one
 * becomes a problem instead. Throws TOO_MANY_FEATURES as soon as the count passes the limit.
 */
export class FeatureCollector {
  readonly features: ImportedFeature[] = [];
  readonly problems: FeatureProblem[] = [];
  private nextIndex = 0;

  constructor(private readonly limits: ImportLimits) {}

  get count(): number {
    return this.nextIndex;
  }

  add(input: {
    sourceId: string | null;
    /** sourceId is a line or record number, not an id of the feature's own. */
    positional?: boolean;
    folder?: string[];
    geometry: unknown;
    properties: ImportProperties;
    transform?: PositionTransform | null;
  }): void {
    const index = this.claimIndex();
    const result = normalizeGeometry(input.geometry, { maxVertices: this.limits.maxVerticesPerFeature, transform: input.transform });
    if (result.ok) {
      this.features.push({
        index,
        sourceId: input.sourceId,
        positional: input.positional ?? false,
        folder: input.folder ?? [],
        geometry: result.geometry,
        properties: input.properties,
      });
    } else {
      this.problems.push({ index, sourceId: input.sourceId, code: result.code, message: result.message });
    }
  }

  /** A feature that failed before it had a geometry (e.g. unparseable WKT). */
  problem(sourceId: string | null, code: string, message: string): void {
    this.problems.push({ index: this.claimIndex(), sourceId, code, message });
  }

  private claimIndex(): number {
    if (this.nextIndex >= this.limits.maxFeatures) throw tooManyFeatures(this.limits);
    return this.nextIndex++;
  }
}
