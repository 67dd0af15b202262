/**
 * For component tests only (the unit project does no I/O): `fetch` answered by the test, with
 * every request kept as the API would have received it.
 */
export interface FakeRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body: unknown;
}

export interface FakeAnswer {
  status?: number;
  body?: unknown;
}

export function fakeFetch(answer: (request: FakeRequest) => FakeAnswer | Promise<FakeAnswer>): { requests: FakeRequest[] } {
  const requests: FakeRequest[] = [];
  globalThis.fetch = (async (input: string, init: RequestInit = {}) => {
    const request: FakeRequest = {
      method: init.method ?? 'GET',
      url: new URL(input, window.location.href),
      headers: (init.headers ?? {}) as Record<string, string>,
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
    };
    requests.push(request);
    const { status = 200, body = null } = await answer(request);
    return { ok: status >= 200 && status < 300, status, headers: { get: () => null }, json: async () => body } as unknown as Response;
  }) as typeof fetch;
  return { requests };
}

/** An API error body as apps/api sends it. */
export const errorBody = (code: string, message: string, details?: unknown) => ({ error: { code, message, requestId: 'req-1', ...(details === undefined ? {} : { details }) } });
