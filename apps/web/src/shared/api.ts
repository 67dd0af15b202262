/**
 * The HTTP contract with apps/api (same origin). Paginated collections are followed through
 * their `next` links until the server says there is no more.
 *
 * Every request says which language the reader chose (`Accept-Language`), so the server's error
 * messages come back in it; every non-GET request carries the session's CSRF token. A 401 from a
 * request that needed the session is reported to the handler set with setUnauthorizedHandler.
 */
import type { Feature } from 'geojson';
import type {
  DemoAccount,
  DemoAccountsAnswer,
  CommitAccepted,
  ErrorBody as ErrorAnswer,
  FeatureCollectionPage,
  Health,
  HistoryAnswer,
  ImportJob,
  ImportMapping,
  ImportOptions,
  ImportReportPage,
  ImportsPage,
  ImportTemplate,
  ImportTemplatesAnswer,
  MeAnswer,
  Meta,
  NodeRecord,
  Phase,
  PhasesPage,
  ReanalyseImportRequest,
  SaveImportTemplateRequest,
  SegmentRecord,
  SessionAnswer,
  SiteRecord,
  SubjectState,
  UploadedPhoto,
  User,
} from '../../../../libs/contract/src';
import { tileKey, type AreaFeature, type MapTile, type NodeFeature, type SegmentFeature, type SiteFeature, type TileAddress } from '../../../../libs/contract/src';
import type { AreaFiguresPage, AreaFigures, InventoryPage, MapSummary } from '../../../../libs/contract/src';
import { getLang } from './i18n';

// The answers' shapes are the contract's (libs/contract), which the api's controllers are typed to
// return; they are named here as well, so that the web app's modules take them from one place.
export type {
  AreaCrossed,
  AreaFeature,
  AreaProperties,
  DemoAccount,
  Health,
  HistoryEntry,
  ImportAnalysis,
  ImportField,
  ImportJob,
  ImportMapping,
  ImportOptions,
  ImportReportRow,
  ImportState,
  ImportSummary,
  ImportTemplate,
  Meta,
  NodeFeature,
  NodeProperties,
  NodeRecord,
  Phase,
  ReanalyseImportRequest,
  Role,
  SaveImportTemplateRequest,
  SegmentFeature,
  SegmentProperties,
  SegmentRecord,
  SiteFeature,
  SiteProperties,
  SiteRecord,
  SubjectState,
  TileLayerMeta,
  UploadedPhoto,
  User,
} from '../../../../libs/contract/src';
export { IMPORT_FIELDS } from '../../../../libs/contract/src';

/** The `error` object of an API error body (the contract's ErrorBody) as read: what is missing or blank is null. */
export interface ErrorBody {
  code: string | null;
  message: string | null;
  requestId: string | null;
  details: unknown;
}

/**
 * A failed API call: which endpoint, the HTTP status when there was an answer at all, and what
 * the server said about it (its message is already in the language asked for).
 */
export class ApiError extends Error {
  readonly code: string | null;
  /** The server's own explanation, in the language of the request; shown to people as text. */
  readonly serverMessage: string | null;
  readonly requestId: string | null;
  readonly details: unknown;
  /** Seconds to wait before trying again (429), from the body or the Retry-After header. */
  readonly retryAfterS: number | null;

  constructor(
    readonly endpoint: string,
    readonly httpStatus: number | null,
    readonly reason: 'http' | 'network' | 'invalid',
    body: ErrorBody | null = null,
    retryAfterS: number | null = null,
  ) {
    super(`${endpoint}: ${reason === 'http' ? `HTTP ${httpStatus}${body?.code ? ` ${body.code}` : ''}` : reason}`);
    this.name = 'ApiError';
    this.code = body?.code ?? null;
    this.serverMessage = body?.message ?? null;
    this.requestId = body?.requestId ?? null;
    this.details = body?.details;
    this.retryAfterS = retryAfterS;
  }
}

function endpointOf(url: string): string {
  return new URL(url, window.location.href).pathname;
}

// ---------------------------------------------------------------------------------------------
// Session plumbing: language, CSRF token, and what happens when the session has ended.

const CSRF_COOKIE = 'serat_csrf';
const CSRF_HEADER = 'X-CSRF-Token';
let csrfInMemory: string | null = null;

function csrfFromCookie(): string | null {
  for (const part of document.cookie.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name !== CSRF_COOKIE) continue;
    const value = rest.join('=');
    if (!value) return null;
    try {
      return decodeURIComponent(value);
    } catch {
      return value;
    }
  }
  return null;
}

/**
 * The token for `X-CSRF-Token`. The readable cookie wins when there is one: it always belongs to
 * the session cookie the browser will send (another tab may have signed in since); the copy from
 * the login answer covers a cookie the page cannot read.
 */
function csrfToken(): string | null {
  return csrfFromCookie() ?? csrfInMemory;
}

let onUnauthorized: ((error: ApiError) => void) | null = null;

/**
 * The service worker (sw.ts) answers a GET from its cache when the network is gone, and marks
 * such an answer with this header (the time it was stored, ISO 8601).
 */
export const OFFLINE_COPY_HEADER = 'X-Serat-Offline-Copy';
let onOfflineCopy: ((endpoint: string, storedAt: string) => void) | null = null;

/** Called for every answer that came from the device's cache instead of the server. */
export function setOfflineCopyHandler(handler: (endpoint: string, storedAt: string) => void): void {
  onOfflineCopy = handler;
}

/** Called when a request that needs the session gets 401: the session has ended. */
export function setUnauthorizedHandler(handler: (error: ApiError) => void): void {
  onUnauthorized = handler;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Sent as JSON, except FormData (multipart, the browser sets its boundary). */
  body?: unknown;
  signal?: AbortSignal;
  /** Login and the session check answer 401 as a normal outcome, not as "the session ended". */
  sessionOptional?: boolean;
  /** What to ask for instead of JSON (file downloads). */
  accept?: string;
}

async function request(url: string, options: RequestOptions = {}): Promise<Response> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { Accept: options.accept ?? 'application/json', 'Accept-Language': getLang() };
  if (method !== 'GET') {
    const token = csrfToken();
    if (token) headers[CSRF_HEADER] = token;
  }
  const multipart = options.body instanceof FormData;
  if (options.body !== undefined && !multipart) headers['Content-Type'] = 'application/json';
  try {
    const response = await fetch(url, {
      method,
      headers,
      body: options.body === undefined ? undefined : multipart ? (options.body as FormData) : JSON.stringify(options.body),
      credentials: 'same-origin',
      signal: options.signal,
    });
    const storedAt = response.headers.get(OFFLINE_COPY_HEADER);
    if (storedAt) onOfflineCopy?.(endpointOf(url), storedAt);
    return response;
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new ApiError(endpointOf(url), null, 'network');
  }
}

async function readErrorBody(response: Response): Promise<ErrorBody | null> {
  try {
    // Whatever answered (a proxy, a crash) may not keep to the contract's body: each member is checked.
    const body = (await response.json()) as { error?: Partial<Record<keyof ErrorAnswer['error'], unknown>> } | null;
    const error = body?.error;
    if (!error || typeof error !== 'object') return null;
    const text = (value: unknown) => (typeof value === 'string' && value.trim() ? value : null);
    return { code: text(error.code), message: text(error.message), requestId: text(error.requestId), details: error.details };
  } catch {
    return null;
  }
}

function retryAfterOf(response: Response, body: ErrorBody | null): number | null {
  const fromBody = (body?.details as { retryAfterS?: unknown } | undefined)?.retryAfterS;
  if (typeof fromBody === 'number' && Number.isFinite(fromBody) && fromBody >= 0) return Math.ceil(fromBody);
  const header = response.headers.get('Retry-After');
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds);
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

/** Turns a non-2xx answer into an ApiError (reporting a 401 where the session was needed). */
async function failure(url: string, response: Response, options: RequestOptions): Promise<ApiError> {
  const body = await readErrorBody(response);
  const error = new ApiError(endpointOf(url), response.status, 'http', body, retryAfterOf(response, body));
  if (response.status === 401 && !options.sessionOptional) onUnauthorized?.(error);
  return error;
}

async function parseJson<T>(url: string, response: Response): Promise<T> {
  try {
    return (await response.json()) as T;
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(endpointOf(url), response.status, 'invalid');
  }
}

/** One call: the answer as JSON (nothing for 204), or an ApiError. Features with their own endpoints call it. */
export async function send<T>(url: string, options: RequestOptions = {}): Promise<T> {
  const response = await request(url, options);
  if (!response.ok) throw await failure(url, response, options);
  if (response.status === 204) return undefined as T;
  return parseJson<T>(url, response);
}

export async function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  return send<T>(url, { signal });
}

/** Fetches a FeatureCollection and every page after it (`next` is relative to the request). */
export async function getAllFeatures<F extends Feature>(url: string, signal?: AbortSignal): Promise<F[]> {
  const features: F[] = [];
  const seen = new Set<string>();
  let pageUrl: string | null = new URL(url, window.location.href).href;
  while (pageUrl) {
    // A server that hands out the same `next` twice would otherwise keep us here forever.
    if (seen.has(pageUrl)) break;
    seen.add(pageUrl);
    const page: FeatureCollectionPage<F> = await getJson<FeatureCollectionPage<F>>(pageUrl, signal);
    if (!page || page.type !== 'FeatureCollection' || !Array.isArray(page.features)) {
      throw new ApiError(endpointOf(pageUrl), 200, 'invalid');
    }
    features.push(...page.features);
    pageUrl = page.next ? new URL(page.next, pageUrl).href : null;
  }
  return features;
}

/**
 * Health answers 503 with the same body when something is down, so the body is read whatever
 * the status code. Returns null when there is no usable answer.
 */
export async function getHealth(): Promise<Health | null> {
  try {
    const response = await request('/api/health');
    const body = (await response.json()) as Partial<Health>;
    if (!body || typeof body !== 'object' || !body.redis || !body.database) return null;
    return body as Health;
  } catch {
    return null;
  }
}

export const auth = {
  /** The signed-in user, or null when there is no session (401). */
  async me(): Promise<User | null> {
    try {
      return (await send<MeAnswer>('/api/auth/me', { sessionOptional: true })).user;
    } catch (error) {
      if (error instanceof ApiError && error.httpStatus === 401) return null;
      throw error;
    }
  },
  async login(login: string, password: string): Promise<User> {
    const answer = await send<SessionAnswer>('/api/auth/login', {
      method: 'POST',
      body: { login, password },
      sessionOptional: true,
    });
    if (!answer?.user || typeof answer.csrfToken !== 'string') throw new ApiError('/api/auth/login', 200, 'invalid');
    csrfInMemory = answer.csrfToken;
    return answer.user;
  },
  async logout(): Promise<void> {
    try {
      await send<void>('/api/auth/logout', { method: 'POST', sessionOptional: true });
    } catch (error) {
      // Already signed out is as good as signed out.
      if (!(error instanceof ApiError && error.httpStatus === 401)) throw error;
    } finally {
      csrfInMemory = null;
    }
  },
  changePassword: (currentPassword: string, newPassword: string) => send<void>('/api/auth/password', { method: 'POST', body: { currentPassword, newPassword } }),
  /** The demo accounts, or null when this is not a demo installation (404) or they cannot be read. */
  async demoAccounts(): Promise<DemoAccount[] | null> {
    try {
      const answer = await send<Partial<DemoAccountsAnswer>>('/api/auth/demo-accounts', { sessionOptional: true });
      if (!Array.isArray(answer?.accounts)) return null;
      return (answer.accounts as Array<Partial<DemoAccount>>).filter((a): a is DemoAccount => typeof a?.username === 'string' && typeof a.password === 'string');
    } catch {
      return null;
    }
  },
  /** Forgets the token of a session that has ended (the cookie is the server's to clear). */
  forget(): void {
    csrfInMemory = null;
  },
};

// ---------------------------------------------------------------------------------------------
// Field work: one segment or node, its history, photos and status changes.

export type Subject = 'segment' | 'node';

/** GET /api/segments/:id: the segment as stored, with the kecamatan and desa it crosses. */
export type SegmentDetail = SegmentRecord;

export interface GpsEvidence {
  lon: number;
  lat: number;
  accuracyM?: number | null;
}

export interface OtdrEvidence {
  lengthM: number;
  lossDb: number;
  wavelengthNm?: number | null;
}

export interface StatusChangeBody {
  status: string;
  version: number;
  note?: string;
  /** ISO 8601 with the device's offset: when the technician pressed save. */
  deviceTime?: string;
  evidence?: { gps?: GpsEvidence; otdr?: OtdrEvidence; photoIds?: string[] };
}

const SUBJECT_PATH: Record<Subject, string> = { segment: 'segments', node: 'nodes' };

export const fieldApi = {
  /** Segments and nodes of the whole network whose code or name holds `q` (the inventory's search), at most `limit` of each. */
  async find(q: string, limit: number, signal?: AbortSignal) {
    const query = (layer: 'segments' | 'nodes') => `/api/inventory/${layer}?${new URLSearchParams({ q, sort: 'code', order: 'asc', offset: '0', limit: String(limit) })}`;
    const [segments, nodes] = await Promise.all([getJson<InventoryPage<'segments'>>(query('segments'), signal), getJson<InventoryPage<'nodes'>>(query('nodes'), signal)]);
    if (!Array.isArray(segments?.rows) || !Array.isArray(nodes?.rows)) throw new ApiError('/api/inventory', 200, 'invalid');
    return { segments: segments.rows, nodes: nodes.rows };
  },
  segment: (id: string, signal?: AbortSignal) => getJson<SegmentDetail>(`/api/segments/${encodeURIComponent(id)}`, signal),
  history: async (subject: Subject, id: string, signal?: AbortSignal) =>
    (await getJson<HistoryAnswer>(`/api/${SUBJECT_PATH[subject]}/${encodeURIComponent(id)}/history`, signal)).history ?? [],
  changeStatus: (subject: Subject, id: string, body: StatusChangeBody) =>
    send<SubjectState>(`/api/${SUBJECT_PATH[subject]}/${encodeURIComponent(id)}/status`, { method: 'POST', body }),
  uploadPhoto: (photo: Blob, fileName: string) => {
    const form = new FormData();
    form.append('photo', photo, fileName);
    return send<UploadedPhoto>('/api/photos', { method: 'POST', body: form });
  },
  thumbnailUrl: (photoId: string) => `/api/photos/${encodeURIComponent(photoId)}/thumbnail`,
  photoUrl: (photoId: string) => `/api/photos/${encodeURIComponent(photoId)}`,
};

/** Every phase, by code, following the list's `next` links. */
async function getAllPhases(signal?: AbortSignal): Promise<Phase[]> {
  const phases: Phase[] = [];
  const seen = new Set<string>();
  let pageUrl: string | null = new URL('/api/phases', window.location.href).href;
  while (pageUrl && !seen.has(pageUrl)) {
    seen.add(pageUrl);
    const page: Partial<PhasesPage> = await getJson<Partial<PhasesPage>>(pageUrl, signal);
    if (!Array.isArray(page?.phases)) throw new ApiError(endpointOf(pageUrl), 200, 'invalid');
    phases.push(...page.phases.filter((p) => typeof p?.id === 'string' && typeof p.name === 'string'));
    pageUrl = page.next ? new URL(page.next, pageUrl).href : null;
  }
  return phases;
}

export const api = {
  meta: () => send<Meta>('/api/meta', { sessionOptional: true }),
  areas: (level: 'kabupaten' | 'kecamatan' | 'desa', bbox?: string, signal?: AbortSignal) =>
    getAllFeatures<AreaFeature>(`/api/areas?level=${level}${bbox ? `&bbox=${bbox}` : ''}`, signal),
  sites: (signal?: AbortSignal) => getAllFeatures<SiteFeature>('/api/sites', signal),
  nodes: (signal?: AbortSignal) => getAllFeatures<NodeFeature>('/api/nodes', signal),
  segments: (signal?: AbortSignal) => getAllFeatures<SegmentFeature>('/api/segments', signal),
  phases: (signal?: AbortSignal) => getAllPhases(signal),
  /**
   * One tile of the network (the HTTP cache revalidates it: a 304 when nothing under it changed),
   * and when the answer is the device's offline copy, when it was stored.
   */
  async tile(address: TileAddress, signal?: AbortSignal): Promise<{ tile: MapTile; storedAt: string | null }> {
    const url = `/api/map/tiles/${tileKey(address)}`;
    const response = await request(url, { signal });
    if (!response.ok) throw await failure(url, response, {});
    return { tile: await parseJson<MapTile>(url, response), storedAt: response.headers.get(OFFLINE_COPY_HEADER) };
  },
};

// ---------------------------------------------------------------------------------------------
// Planner tools: imports, exports and drawing the network.

export interface NewSegmentBody {
  code: string;
  geometry: { type: 'LineString'; coordinates: number[][] };
  placement?: string;
  tier?: string;
  coreCount?: number;
  cableType?: string;
}

export const plannerApi = {
  startImport: (file: File, options: ImportOptions) => {
    const form = new FormData();
    form.append('file', file, file.name);
    form.append('options', JSON.stringify(options));
    return send<ImportJob>('/api/imports', { method: 'POST', body: form });
  },
  importJob: (id: string, signal?: AbortSignal) => getJson<ImportJob>(`/api/imports/${encodeURIComponent(id)}`, signal),
  importReport: (id: string, offset: number, limit: number, signal?: AbortSignal) =>
    getJson<ImportReportPage>(`/api/imports/${encodeURIComponent(id)}/report?offset=${offset}&limit=${limit}`, signal),
  /** Recent imports, newest first, a page at a time: `before` is the `next` of the page before (null on the last page). */
  recentImports: async (limit: number, before?: string | null, signal?: AbortSignal) => {
    const page = await getJson<Partial<ImportsPage>>(`/api/imports?limit=${limit}${before ? `&before=${encodeURIComponent(before)}` : ''}`, signal);
    return { imports: Array.isArray(page.imports) ? page.imports : [], next: typeof page.next === 'string' ? page.next : null };
  },
  /** The dry run again with other options (a mapping): the import is queued again, followed like a new one. */
  reanalyseImport: (id: string, options: ImportOptions) =>
    send<ImportJob>(`/api/imports/${encodeURIComponent(id)}/analyse`, { method: 'POST', body: { options } satisfies ReanalyseImportRequest }),
  /** The failed step of a failed import again (its commit, or its dry run), followed like a new one. */
  retryImport: (id: string) => send<ImportJob>(`/api/imports/${encodeURIComponent(id)}/retry`, { method: 'POST' }),
  commitImport: (id: string) => send<CommitAccepted>(`/api/imports/${encodeURIComponent(id)}/commit`, { method: 'POST' }),
  importTemplates: async (signal?: AbortSignal) => {
    const list = (await getJson<Partial<ImportTemplatesAnswer>>('/api/import-templates', signal)).templates;
    return Array.isArray(list) ? list : [];
  },
  /** Saves a mapping under a name (a template of that name is replaced). */
  saveImportTemplate: (name: string, mapping: ImportMapping) =>
    send<ImportTemplate>('/api/import-templates', { method: 'POST', body: { name, mapping } satisfies SaveImportTemplateRequest }),
  moveNode: (id: string, version: number, lon: number, lat: number) =>
    send<unknown>(`/api/nodes/${encodeURIComponent(id)}`, {
      method: 'PATCH',
      body: { version, geometry: { type: 'Point', coordinates: [lon, lat] } },
    }),
  createSegment: (body: NewSegmentBody) => send<{ segment: unknown; from: string; to: string }>('/api/segments', { method: 'POST', body }),
  /** A file from /api/exports as a Blob (same-origin fetch, so the session cookie goes along). */
  async download(url: string): Promise<Blob> {
    const response = await request(url, { accept: '*/*' });
    if (!response.ok) throw await failure(url, response, {});
    return response.blob();
  },
};

// ---------------------------------------------------------------------------------------------
// Editing one segment, node or site: read it as stored (with its version), change, delete.

export type Editable = 'segment' | 'node' | 'site';

export type EditableRecord = SegmentRecord | NodeRecord | SiteRecord;

const EDITABLE_PATH: Record<Editable, string> = { segment: 'segments', node: 'nodes', site: 'sites' };
const editablePath = (subject: Editable, id: string) => `/api/${EDITABLE_PATH[subject]}/${encodeURIComponent(id)}`;

export const editApi = {
  /**
   * The record as stored, and when the answer is the device's offline copy, when it was stored
   * (the service worker keeps these reads too).
   */
  async read<R extends EditableRecord>(subject: Editable, id: string, signal?: AbortSignal): Promise<{ record: R; storedAt: string | null }> {
    const url = editablePath(subject, id);
    const response = await request(url, { signal });
    if (!response.ok) throw await failure(url, response, {});
    const record = await parseJson<R>(url, response);
    if (!record || typeof record !== 'object' || typeof record.version !== 'number') throw new ApiError(endpointOf(url), response.status, 'invalid');
    return { record, storedAt: response.headers.get(OFFLINE_COPY_HEADER) };
  },
  /** Sends only the changed attributes with the version they were read at; 409 carries the current state. */
  update: <R extends EditableRecord>(subject: Editable, id: string, version: number, changes: Record<string, unknown>) =>
    send<R>(editablePath(subject, id), { method: 'PATCH', body: { ...changes, version } }),
  remove: (subject: Editable, id: string, version: number) => send<void>(`${editablePath(subject, id)}?version=${encodeURIComponent(String(version))}`, { method: 'DELETE' }),
};

// ---------------------------------------------------------------------------------------------
// The network in figures, kept by the server as the network changes (the header, the legend, the
// areas at low zoom) instead of summed from a downloaded network. Each answer has an ETag with
// `Cache-Control: no-cache`: the browser's cache asks again every time and gets a 304 while the
// figures are the same, so calling these often costs little.

export type { AreaFigures, AreaFiguresPage, MapSummary, NetworkFigures, NodeStatusFigure, SegmentStatusFigure, SiteKindFigure } from '../../../../libs/contract/src';

export type FiguresLevel = 'kabupaten' | 'kecamatan' | 'desa';

export const figuresApi = {
  /** The whole region (or one phase): segments and metres per status, nodes per status, sites per kind with how many are connected. */
  summary: (options: { phase?: string } = {}, signal?: AbortSignal) => {
    const query = options.phase ? `?phase=${encodeURIComponent(options.phase)}` : '';
    return getJson<MapSummary>(`/api/map/summary${query}`, signal);
  },
  /** Every area of a level (under `parent` when given) with its figures, all pages followed. */
  async areas(level: FiguresLevel, options: { parent?: string; phase?: string } = {}, signal?: AbortSignal): Promise<AreaFigures[]> {
    const query = new URLSearchParams({ level, limit: '500' });
    if (options.parent) query.set('parent', options.parent);
    if (options.phase) query.set('phase', options.phase);
    const areas: AreaFigures[] = [];
    let url: string | null = `/api/areas/figures?${query}`;
    while (url) {
      const page: AreaFiguresPage = await getJson<AreaFiguresPage>(url, signal);
      if (!Array.isArray(page?.areas)) throw new ApiError(endpointOf(url), 200, 'invalid');
      areas.push(...page.areas);
      url = page.next;
    }
    return areas;
  },
};
