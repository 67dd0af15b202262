/**
 * For component tests only (the unit project does no I/O): `fetch` answered by the test, with
 * every request kept as the API would have received it.
 */
export interface FakeRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  /** A JSON body parsed; a multipart body as its fields (a file as the File sent). */
  body: unknown;
}

export interface FakeAnswer {
  status?: number;
  body?: unknown;
  /** Response headers (names in any case). */
  headers?: Record<string, string>;
}

export function fakeFetch(answer: (request: FakeRequest) => FakeAnswer | Promise<FakeAnswer>): { requests: FakeRequest[] } {
  const requests: FakeRequest[] = [];
  globalThis.fetch = (async (input: string, init: RequestInit = {}) => {
    const request: FakeRequest = {
      method: init.method ?? 'GET',
      url: new URL(input, window.location.href),
      headers: (init.headers ?? {}) as Record<string, string>,
      body: typeof init.body === 'string' ? JSON.parse(init.body) : init.body instanceof FormData ? Object.fromEntries(init.body.entries()) : undefined,
    };
    requests.push(request);
    const { status = 200, body = null, headers = {} } = await answer(request);
    const headerOf = (name: string) => Object.entries(headers).find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1] ?? null;
    // A download (an export) reads the body as a Blob: the answer's JSON as its bytes.
    const blob = async () => new Blob([JSON.stringify(body)]);
    return { ok: status >= 200 && status < 300, status, headers: { get: headerOf }, json: async () => body, blob } as unknown as Response;
  }) as typeof fetch;
  return { requests };
}

/** An API error body as apps/api sends it. */
export const errorBody = (code: string, message: string, details?: unknown) => ({ error: { code, message, requestId: 'req-1', ...(details === undefined ? {} : { details }) } });
