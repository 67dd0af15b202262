/**
 * The inventory endpoints (apps/api/src/map/inventory.controller.ts): a page of segments, nodes
 * or sites at a time by offset, sorted on the server; and the export files of the same filter
 * (exports.controller.ts), which take the filter but neither the sort nor the page.
 */
import type { InventoryLayer, InventoryPage, SortOrder } from '../../../../../libs/contract/src';
import { api, getAllFeatures, getJson, plannerApi, type AreaFeature } from '../../shared/api';

export type { InventoryLayer, InventoryNodeRow, InventoryPage, InventorySegmentRow, InventorySiteRow, SortOrder } from '../../../../../libs/contract/src';
export { INVENTORY_LAYERS, INVENTORY_MAX_LIMIT, INVENTORY_SORTS } from '../../../../../libs/contract/src';

/** The filter as chosen on the screen; '' is "any". */
export interface ListFilter {
  /** Part of the code or the name (segments: the code). */
  q: string;
  /** A network status (segments and nodes). */
  status: string;
  /** A node kind or a site kind (nodes and sites). */
  kind: string;
  /** A kecamatan code. */
  area: string;
  /** A phase id. */
  phase: string;
}

export const NO_FILTER: ListFilter = { q: '', status: '', kind: '', area: '', phase: '' };

/** Which filters each list takes (the api refuses a status for sites and a kind for segments). */
export const FILTERS_OF: Record<InventoryLayer, ReadonlyArray<keyof ListFilter>> = {
  segments: ['q', 'status', 'area', 'phase'],
  nodes: ['q', 'status', 'kind', 'area', 'phase'],
  sites: ['q', 'kind', 'area', 'phase'],
};

/** The export formats of /api/exports/<layer>.<format>. */
export const EXPORT_FORMATS = ['csv', 'geojson', 'kml', 'kmz'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** The query of the filter for one layer: only what that layer takes, blanks left out. */
export function filterParams(layer: InventoryLayer, filter: ListFilter): URLSearchParams {
  const params = new URLSearchParams();
  for (const name of FILTERS_OF[layer]) {
    const value = filter[name].trim();
    if (value) params.set(name, value);
  }
  return params;
}

export interface ListRequest {
  filter: ListFilter;
  sort: string;
  order: SortOrder;
  offset: number;
  limit: number;
}

export function listUrl(layer: InventoryLayer, request: ListRequest): string {
  const params = filterParams(layer, request.filter);
  params.set('sort', request.sort);
  params.set('order', request.order);
  params.set('offset', String(request.offset));
  params.set('limit', String(request.limit));
  return `/api/inventory/${layer}?${params.toString()}`;
}

/** The export of every row the list shows with this filter, in one format. */
export function exportUrl(layer: InventoryLayer, format: ExportFormat, filter: ListFilter): string {
  const query = filterParams(layer, filter).toString();
  return `/api/exports/${layer}.${format}${query ? `?${query}` : ''}`;
}

export interface Choice {
  /** A kecamatan code or a phase id. */
  value: string;
  name: string;
}

export const inventoryApi = {
  list: <L extends InventoryLayer>(layer: L, request: ListRequest, signal?: AbortSignal) => getJson<InventoryPage<L>>(listUrl(layer, request), signal),
  async kecamatan(signal?: AbortSignal): Promise<Choice[]> {
    const features = await getAllFeatures<AreaFeature>('/api/areas?level=kecamatan', signal);
    return features.map((feature) => ({ value: feature.properties.code, name: feature.properties.name })).sort((a, b) => a.name.localeCompare(b.name, 'id'));
  },
  async phases(signal?: AbortSignal): Promise<Choice[]> {
    const phases = await api.phases(signal);
    return phases.map((phase) => ({ value: phase.id, name: phase.name })).sort((a, b) => a.name.localeCompare(b.name, 'id'));
  },
  /** An export file through the session (the same request a plain link makes, with the api's error kept). */
  download: (url: string) => plannerApi.download(url),
};
