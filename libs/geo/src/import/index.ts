export { detectFormat } from './detect-format';
export {
  DEFAULT_IMPORT_LIMITS,
  ImportFileError,
  type FeatureProblem,
  type FeatureProblemCode,
  type ImportedFeature,
  type ImportFileErrorCode,
  type ImportFormat,
  type ImportLimits,
  type ImportProperties,
  type ParsedImport,
} from './import-types';
export { parseImportFile } from './parse-import-file';
