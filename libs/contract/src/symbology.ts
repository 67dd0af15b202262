/**
 * How a status looks, for every picture of the network Serat makes: the web map (lines, node
 * markers, legend, chips) and the KML/KMZ export's styles. Colours are #rrggbb.
 */
import type { NetworkStatus } from '../../vocabulary/src/network-vocabulary';

export interface StatusSymbol {
  color: string;
  /** SVG stroke-dasharray, or undefined for a solid line. */
  dashArray?: string;
  /** Multiplier on the tier's line weight (decommissioned cable is drawn thin). */
  weightFactor: number;
}

/** In lifecycle order: from grey (on paper) through the build colours to green (in service). */
export const STATUS_SYMBOLS: Readonly<Record<NetworkStatus, StatusSymbol>> = {
  planned: { color: '#7c8591', dashArray: '6 5', weightFactor: 1 },
  surveyed: { color: '#5aa9e6', dashArray: '10 4', weightFactor: 1 },
  in_construction: { color: '#f08a24', weightFactor: 1 },
  installed: { color: '#e8b800', weightFactor: 1 },
  spliced: { color: '#8e44ad', weightFactor: 1 },
  tested: { color: '#13a3a3', weightFactor: 1 },
  active: { color: '#1f9d55', weightFactor: 1 },
  damaged: { color: '#d62839', weightFactor: 1.15 },
  decommissioned: { color: '#3d4148', dashArray: '2 4', weightFactor: 0.5 },
};

/** A status this build does not know yet (the api may grow faster than a cached web app). */
export const UNKNOWN_STATUS_SYMBOL: Readonly<StatusSymbol> = { color: '#b0b4ba', dashArray: '1 3', weightFactor: 1 };

/** Sites have no lifecycle, only whether the network reaches them. */
export const SITE_CONNECTIONS = ['connected', 'not_connected'] as const;
export type SiteConnection = (typeof SITE_CONNECTIONS)[number];

export const SITE_CONNECTION_COLOURS: Readonly<Record<SiteConnection, string>> = {
  connected: STATUS_SYMBOLS.active.color,
  not_connected: STATUS_SYMBOLS.planned.color,
};
