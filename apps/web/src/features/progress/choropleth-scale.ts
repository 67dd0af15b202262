/**
 * The choropleth's classes: percent complete in five steps of 20 %, pale to the app's "active"
 * green, and a hatch for an area with nothing in scope (null), which is not the same as 0 %.
 */
import { STATUS_SYMBOLS } from '../../../../../libs/contract/src';

export interface ChoroplethClass {
  /** Lower bound, inclusive (percent). */
  from: number;
  /** Upper bound, exclusive, but 100 is in the last class. */
  to: number;
  colour: string;
}

export const CHOROPLETH_CLASSES: readonly ChoroplethClass[] = [
  { from: 0, to: 20, colour: '#e6f2de' },
  { from: 20, to: 40, colour: '#c3e3c9' },
  { from: 40, to: 60, colour: '#86c79d' },
  { from: 60, to: 80, colour: '#46a96d' },
  { from: 80, to: 100, colour: STATUS_SYMBOLS.active.color },
];

/** The class of a percent (0–100), or null for nothing in scope. */
export function choroplethClass(percent: number | null): ChoroplethClass | null {
  if (percent === null || !Number.isFinite(percent)) return null;
  const value = Math.min(100, Math.max(0, percent));
  return CHOROPLETH_CLASSES.find((c) => value < c.to) ?? CHOROPLETH_CLASSES[CHOROPLETH_CLASSES.length - 1];
}
