import type { ImportProperties } from './import-types';

/** Property values as the database stores them: nested values become JSON text, dates ISO 8601. */
export function toImportProperties(source: unknown): ImportProperties {
  const properties: ImportProperties = {};
  if (typeof source !== 'object' || source === null || Array.isArray(source)) return properties;
  for (const [key, value] of Object.entries(source as Record<string, unknown>)) {
    properties[key] = toImportValue(value);
  }
  return properties;
}

export function toImportValue(value: unknown): string | number | boolean | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  return JSON.stringify(value) ?? null;
}

export function toSourceId(value: unknown): string | null {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}
