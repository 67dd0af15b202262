/**
 * How things look on the map: one colour per status, line weights per tier, area fills.
 * The same table drives the segments, the node markers and the legend swatches.
 */
import type * as L from 'leaflet';
import { SITE_CONNECTION_COLOURS, STATUS_SYMBOLS, UNKNOWN_STATUS_SYMBOL, type StatusSymbol } from '../../../../libs/contract/src';
import { NETWORK_STATUSES, type NetworkStatus } from '../shared/vocabulary';

/** A status's colour, dashes and weight: the contract's, which the KML export draws with too. */
export type StatusStyle = StatusSymbol;

export function statusStyle(status: string): StatusStyle {
  return (NETWORK_STATUSES as readonly string[]).includes(status) ? STATUS_SYMBOLS[status as NetworkStatus] : UNKNOWN_STATUS_SYMBOL;
}

/** The colour that says whether a site is connected (the KML export's too). */
export function siteConnectionColour(connected: boolean): string {
  return SITE_CONNECTION_COLOURS[connected ? 'connected' : 'not_connected'];
}

/** Line weight in CSS pixels per segment tier. */
const TIER_WEIGHT: Record<string, number> = { backbone: 4.5, distribution: 3, drop: 2 };

export function segmentWeight(tier: string | null | undefined): number {
  return TIER_WEIGHT[tier ?? ''] ?? 3;
}

/** Class names are test hooks as well as styling hooks: keep `serat-segment-<status>`. */
export function segmentPathOptions(status: string, tier: string | null | undefined): L.PathOptions {
  const style = statusStyle(status);
  return {
    color: style.color,
    weight: Math.max(1.5, segmentWeight(tier) * style.weightFactor),
    opacity: 1,
    dashArray: style.dashArray,
    lineCap: style.dashArray ? 'butt' : 'round',
    lineJoin: 'round',
    className: `serat-segment serat-segment-${safeToken(status)}`,
  };
}

/**
 * A light halo under every segment so yellow and light blue lines read on pale fills. It also takes
 * the clicks that fall in a dashed line's gaps (planned, surveyed): the map forwards them to the line.
 */
export function segmentCasingOptions(status: string, tier: string | null | undefined): L.PathOptions {
  const style = statusStyle(status);
  return {
    color: '#ffffff',
    weight: Math.max(1.5, segmentWeight(tier) * style.weightFactor) + 3,
    opacity: 0.85,
    lineCap: 'round',
    lineJoin: 'round',
    className: 'serat-segment-casing',
  };
}

/**
 * Thumbs and mice miss thin lines and small dots: every segment and node also has an invisible,
 * wider shape drawn under all the visible ones, so a press near a feature opens it while a press
 * on a visible line or dot still opens that one. Wider where the pointer is a finger.
 */
export function segmentHitOptions(coarsePointer: boolean): L.PathOptions {
  return {
    color: '#000000',
    opacity: 0,
    weight: coarsePointer ? 26 : 12,
    fill: false,
    lineCap: 'round',
    lineJoin: 'round',
    className: 'serat-segment-hit',
  };
}

export function nodeHitOptions(kind: string, coarsePointer: boolean): L.CircleMarkerOptions {
  return {
    radius: Math.max(NODE_RADIUS[kind] ?? 4, coarsePointer ? 15 : 7),
    stroke: false,
    fillColor: '#000000',
    fillOpacity: 0,
    className: 'serat-node-hit',
  };
}

/** Radius in CSS pixels per node kind. The NOC is the heart of the network and drawn largest. */
const NODE_RADIUS: Record<string, number> = {
  noc: 9,
  olt: 6,
  odc: 5.5,
  odp: 4.5,
  joint_closure: 4,
  termination: 4,
  handhole: 3.5,
  pole: 3,
};

export function nodePathOptions(kind: string, status: string): L.CircleMarkerOptions {
  const isNoc = kind === 'noc';
  return {
    radius: NODE_RADIUS[kind] ?? 4,
    color: isNoc ? '#0b2545' : '#ffffff',
    weight: isNoc ? 3 : 1.5,
    fillColor: isNoc ? '#ffffff' : statusStyle(status).color,
    fillOpacity: 1,
    className: `serat-node serat-node-${safeToken(kind)}`,
  };
}

/** Soft, distinguishable land tints for the kecamatan (no tiles underneath). */
const AREA_TINTS = ['#f3eedd', '#e7efd9', '#f5e4d6', '#e3ebdf', '#efe6ec', '#f1ebcf', '#ebe5da'];

export function kecamatanPathOptions(index: number, withTiles: boolean): L.PathOptions {
  return {
    color: '#8a8170',
    weight: 1.2,
    opacity: 0.9,
    fillColor: AREA_TINTS[index % AREA_TINTS.length],
    fillOpacity: withTiles ? 0.12 : 1,
    className: 'serat-area-kecamatan',
  };
}

export function kecamatanHoverOptions(): L.PathOptions {
  return { weight: 2.5, color: '#4f4738' };
}

export function desaPathOptions(): L.PathOptions {
  return {
    color: '#9c927f',
    weight: 0.8,
    opacity: 0.9,
    dashArray: '3 3',
    fill: true,
    fillOpacity: 0,
    className: 'serat-area-desa',
  };
}

export function kabupatenPathOptions(withTiles: boolean): L.PathOptions {
  return {
    color: '#3b352a',
    weight: 2.5,
    opacity: 1,
    fillColor: '#fbf8f0',
    fillOpacity: withTiles ? 0 : 1,
    interactive: false,
    className: 'serat-area-kabupaten',
  };
}

/** Values from the API go into class names; keep them to a harmless alphabet. */
export function safeToken(value: string): string {
  return value.replace(/[^a-z0-9_-]/gi, '_');
}

/**
 * Segments and nodes drawn as SVG up to this many of either; beyond it, both on one canvas:
 * thousands of SVG elements (three a segment, two a node) make every pan and redraw slow
 * (decision 0010). Back to SVG when both are below the lower mark, so a view near the limit does
 * not switch back and forth.
 */
export const CANVAS_FROM_FEATURES = 1500;
export const SVG_BELOW_FEATURES = 1000;

/**
 * Sites drawn as shaped markers (HTML elements, moved apart where they overlap, with leader lines)
 * up to this many; beyond it, as dots on the same canvas, coloured by connection: a town of a
 * province's network holds thousands of schools and offices, which no layout keeps apart.
 */
export const SITE_DOTS_FROM = 600;
export const SITE_MARKERS_BELOW = 400;

/** A site as a dot on the canvas of a dense view: filled in its connection's colour, larger for the offices the rollout is for. */
export function siteDotOptions(kind: string, connected: boolean): L.CircleMarkerOptions {
  return {
    radius: kind === 'kantor_kecamatan' ? 7 : kind === 'sopd' ? 6 : 4.5,
    color: '#ffffff',
    weight: 1.5,
    opacity: 1,
    fillColor: siteConnectionColour(connected),
    fillOpacity: 1,
    className: `serat-site-dot serat-site-dot--kind-${safeToken(kind)}`,
  };
}
