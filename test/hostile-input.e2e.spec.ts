import * as http from 'node:http';
import { gzipSync } from 'node:zlib';
import { listRouteRules } from '../apps/api/src/auth/route-rules';
import { ERROR_MESSAGES, FIELD_PROBLEMS } from '../apps/api/src/http/messages';
import { bearer } from './support/auth';
import { Call, ROUTE_TABLE, useRouteContext } from './support/route-table';

/**
 * Bad input never answers 5xx, and an undecodable body never makes an existing route answer 404.
 * Every route of the access table is called as an admin (sign-in also anonymously), starting
 * from its valid request, with one spoilt part at a time: each string of its body (those of the
 * valid request and those its OpenAPI schema names) with a NUL or a lone surrogate, each number
 * with 19 digits (past bigint) or 2^53-1 (past integer), a generic body with a NUL, each query
 * parameter the route takes with %00, each path parameter with %00, an invalid UTF-8 escape or
 * 19 digits, and a body in a Content-Encoding that does not decode or is unknown. Each must get a
 * 4xx in the one error shape.
 */

const NUL_TEXT = 'Uji\u0000nul';
const LONE_LOW = 'Uji\udc00sendiri';
const LONE_HIGH = 'Uji sendiri\ud800';
/** Replaced in the JSON text by a 19-digit literal: JSON.stringify would round it to 1e19. */
const DIGITS_19 = '9999999999999999999';
const MAX_SAFE = '9007199254740991';
const NUMBER_MARK = (digits: string) => `@@number:${digits}@@`;

type Segment = string | number;
type Leaf = { path: Segment[]; type: 'string' | 'number' };

interface Variant {
  what: string;
  path: string;
  headers?: Record<string, string>;
  body?: Buffer | FormData;
  /** A well-formed id that names nothing may be 404; text and encoding problems never are. */
  notFoundAllowed?: boolean;
}

interface OpenApiSchema {
  $ref?: string;
  type?: string;
  properties?: Record<string, OpenApiSchema>;
  items?: OpenApiSchema;
  anyOf?: OpenApiSchema[];
  oneOf?: OpenApiSchema[];
  allOf?: OpenApiSchema[];
  pattern?: string;
  format?: string;
}
interface OpenApiOperation {
  parameters?: { in: string; name: string; schema?: OpenApiSchema }[];
  requestBody?: { content: Record<string, { schema: OpenApiSchema }> };
}
interface OpenApiDoc {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { schemas: Record<string, OpenApiSchema> };
}

/** The string and number leaves a schema names (arrays by their first item). */
function schemaLeaves(doc: OpenApiDoc, schema: OpenApiSchema | undefined, path: Segment[] = [], depth = 0): Leaf[] {
  if (!schema || depth > 6) return [];
  if (schema.$ref) return schemaLeaves(doc, doc.components.schemas[schema.$ref.split('/').pop()!], path, depth + 1);
  const alternatives = [...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...(schema.allOf ?? [])].flatMap((s) => schemaLeaves(doc, s, path, depth + 1));
  if (schema.type === 'object' || schema.properties) {
    return [...alternatives, ...Object.entries(schema.properties ?? {}).flatMap(([key, s]) => schemaLeaves(doc, s, [...path, key], depth + 1))];
  }
  if (schema.type === 'array') return [...alternatives, ...schemaLeaves(doc, schema.items, [...path, 0], depth + 1)];
  if (schema.type === 'string' && schema.format !== 'binary') return [...alternatives, { path, type: 'string' }];
  if (schema.type === 'integer' || schema.type === 'number') return [...alternatives, { path, type: 'number' }];
  return alternatives;
}

/** The string and number leaves of a value. */
function valueLeaves(value: unknown, path: Segment[] = []): Leaf[] {
  if (typeof value === 'string') return [{ path, type: 'string' }];
  if (typeof value === 'number') return [{ path, type: 'number' }];
  if (Array.isArray(value)) return value.flatMap((item, i) => valueLeaves(item, [...path, i]));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([key, item]) => valueLeaves(item, [...path, key]));
  return [];
}

function uniqueLeaves(leaves: Leaf[]): Leaf[] {
  const seen = new Map<string, Leaf>();
  for (const leaf of leaves) seen.set(`${leaf.type}:${leaf.path.join('.')}`, leaf);
  return [...seen.values()];
}

/** A deep copy of `value` with the leaf at `path` set (objects and arrays made where missing). */
function withLeaf(value: unknown, path: Segment[], leaf: unknown): unknown {
  if (path.length === 0) return leaf;
  const [head, ...rest] = path;
  const container: Record<string, unknown> | unknown[] = Array.isArray(value)
    ? [...value]
    : value && typeof value === 'object'
      ? { ...(value as object) }
      : typeof head === 'number'
        ? []
        : {};
  (container as Record<string, unknown>)[head] = withLeaf((container as Record<string, unknown>)[head], rest, leaf);
  return container;
}

/** JSON text with the number marks replaced by their digits, unrounded. */
function jsonText(value: unknown): string {
  return JSON.stringify(value).replace(/"@@number:(\d+)@@"/g, '$1');
}

const spoiltStrings = [
  { what: 'NUL', text: NUL_TEXT },
  { what: 'lone low surrogate', text: LONE_LOW },
  { what: 'lone high surrogate', text: LONE_HIGH },
];
const spoiltNumbers = [
  { what: '19 digits', digits: DIGITS_19 },
  { what: '2^53-1', digits: MAX_SAFE },
];

function bodyVariants(doc: OpenApiDoc, operation: OpenApiOperation | undefined, call: Call): Variant[] {
  const json = { 'content-type': 'application/json' };
  const variants: Variant[] = [];
  if (call.form) {
    // Each text field of the form; one holding JSON (import options) also leaf by leaf inside it.
    for (const [name, value] of formEntries(call.form)) {
      if (typeof value !== 'string') continue;
      variants.push({ what: `form field ${name} with a raw NUL`, path: call.path, body: formWith(call.form, name, `${value}\u0000`) });
      let parsed: unknown;
      try {
        parsed = JSON.parse(value);
      } catch {
        continue;
      }
      for (const leaf of valueLeaves(parsed)) {
        const where = `form field ${name}, ${leaf.path.join('.')}`;
        if (leaf.type === 'string')
          for (const s of spoiltStrings)
            variants.push({ what: `${where}: ${s.what}`, path: call.path, body: formWith(call.form, name, jsonText(withLeaf(parsed, leaf.path, s.text))) });
        for (const n of spoiltNumbers)
          variants.push({ what: `${where}: ${n.what}`, path: call.path, body: formWith(call.form, name, jsonText(withLeaf(parsed, leaf.path, NUMBER_MARK(n.digits)))) });
      }
    }
    return variants;
  }
  const schema = operation?.requestBody?.content['application/json']?.schema;
  const leaves = uniqueLeaves([...valueLeaves(call.body), ...schemaLeaves(doc, schema)]);
  for (const leaf of leaves) {
    const where = `body ${leaf.path.join('.') || '(whole)'}`;
    if (leaf.type === 'string') {
      for (const s of spoiltStrings)
        variants.push({ what: `${where}: ${s.what}`, path: call.path, headers: json, body: Buffer.from(jsonText(withLeaf(call.body ?? {}, leaf.path, s.text))) });
    }
    for (const n of spoiltNumbers)
      variants.push({ what: `${where}: ${n.what}`, path: call.path, headers: json, body: Buffer.from(jsonText(withLeaf(call.body ?? {}, leaf.path, NUMBER_MARK(n.digits)))) });
  }
  // Whatever the route reads: a field it does not know, and a key, with a NUL.
  const base = call.body && typeof call.body === 'object' && !Array.isArray(call.body) ? call.body : {};
  variants.push({ what: 'generic body: an unknown field with a NUL', path: call.path, headers: json, body: Buffer.from(jsonText({ ...base, catatanLain: NUL_TEXT })) });
  variants.push({ what: 'generic body: a key with a NUL', path: call.path, headers: json, body: Buffer.from(jsonText({ ...base, [NUL_TEXT]: 'nilai' })) });
  return variants;
}

function formEntries(form: FormData): [string, FormDataEntryValue][] {
  const entries: [string, FormDataEntryValue][] = [];
  form.forEach((value, key) => entries.push([key, value]));
  return entries;
}

function formWith(form: FormData, name: string, value: string): FormData {
  const copy = new FormData();
  for (const [key, entry] of formEntries(form)) {
    if (key === name) copy.append(key, value);
    else if (typeof entry === 'string') copy.append(key, entry);
    else copy.append(key, entry, entry.name);
  }
  return copy;
}

function queryVariants(operation: OpenApiOperation | undefined, call: Call): Variant[] {
  const [pathname, search = ''] = call.path.split('?');
  const variants: Variant[] = [];
  for (const parameter of operation?.parameters?.filter((p) => p.in === 'query') ?? []) {
    const kept = new URLSearchParams(search);
    kept.delete(parameter.name);
    const at = (raw: string) => `${pathname}?${[kept.toString(), `${parameter.name}=${raw}`].filter(Boolean).join('&')}`;
    variants.push({ what: `query ${parameter.name}=%00`, path: at('%00') });
    variants.push({ what: `query ${parameter.name}=a%00b`, path: at('a%00b') });
    const type = parameter.schema?.type;
    const digitsFit = (digits: string) => type === 'integer' || type === 'number' || (parameter.schema?.pattern !== undefined && new RegExp(parameter.schema.pattern).test(digits));
    if (digitsFit(DIGITS_19)) variants.push({ what: `query ${parameter.name}=${DIGITS_19}`, path: at(DIGITS_19) });
    // A string cursor of digits may well be as long as a safe integer; an integer may not.
    if (type === 'integer') variants.push({ what: `query ${parameter.name}=${MAX_SAFE}`, path: at(MAX_SAFE) });
    // Refinements run after a failed pattern too: they must not throw on what does not fit it.
    const pattern = parameter.schema?.pattern;
    if (type === 'integer' || (pattern !== undefined && !new RegExp(pattern).test('x!'))) variants.push({ what: `query ${parameter.name}=x! (not its form)`, path: at('x!') });
  }
  return variants;
}

function pathVariants(route: string, call: Call): Variant[] {
  const template = route.split(' ')[1];
  const names = [...template.matchAll(/:(\w+)/g)].map((m) => m[1]);
  if (!names.length) return [];
  const [pathname, search] = call.path.split('?');
  const pattern = new RegExp(`^${template.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:\w+/g, '([^/.]+)')}$`);
  const match = pattern.exec(pathname);
  if (!match) throw new Error(`the valid request ${call.path} does not fit ${template}`);
  const variants: Variant[] = [];
  names.forEach((name, i) => {
    const at = (raw: string) => {
      let index = 0;
      const path = template.replace(/:\w+/g, () => (index++ === i ? raw : match[index]));
      return search ? `${path}?${search}` : path;
    };
    variants.push({ what: `path ${name} %00`, path: at('%00') });
    variants.push({ what: `path ${name} with an encoded surrogate (not UTF-8)`, path: at('%ED%B0%80') });
    variants.push({ what: `path ${name} with a cut escape`, path: at('a%E0%A4') });
    variants.push({ what: `path ${name} ${DIGITS_19}`, path: at(DIGITS_19), notFoundAllowed: true });
  });
  return variants;
}

function encodingVariants(call: Call): Variant[] {
  const type = call.form ? 'multipart/form-data; boundary=serat-uji' : 'application/json';
  return ['gzip', 'deflate', 'br', 'x-serat-unknown'].map((encoding) => ({
    what: `a body in Content-Encoding ${encoding} that does not decode`,
    path: call.path,
    headers: { 'content-type': type, 'content-encoding': encoding },
    body: Buffer.from('{"ini": "bukan data terkompresi"}'),
  }));
}

/** Sends raw bytes (fetch would refuse some of these), or a form through fetch. */
async function send(baseUrl: string, method: string, variant: Variant, token: string | undefined): Promise<{ status: number; text: string }> {
  const auth = token ? bearer(token) : {};
  if (variant.body instanceof FormData) {
    const response = await fetch(`${baseUrl}${variant.path}`, { method, headers: auth, body: variant.body });
    return { status: response.status, text: await response.text() };
  }
  const url = new URL(baseUrl);
  const body = variant.body as Buffer | undefined;
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: url.hostname, port: url.port, method, path: variant.path, headers: { ...auth, ...variant.headers, ...(body ? { 'content-length': String(body.length) } : {}) } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/** What is wrong with an answer to a hostile request; null when it is a 4xx in the one error shape. */
function problemWith(answer: { status: number; text: string }, variant: Variant): string | null {
  if (answer.status < 400 || answer.status >= 500) return `status ${answer.status}`;
  if (answer.status === 404 && !variant.notFoundAllowed) return 'status 404 for an existing route';
  let body: { error?: { code?: unknown; message?: unknown; requestId?: unknown } };
  try {
    body = JSON.parse(answer.text);
  } catch {
    return 'not JSON';
  }
  const error = body.error;
  if (!error || typeof error.code !== 'string' || typeof error.message !== 'string' || typeof error.requestId !== 'string' || !error.requestId) return 'not the error shape';
  return null;
}

describe('bad input never answers 5xx, on every route', () => {
  const ctx = useRouteContext();
  let doc: OpenApiDoc;

  beforeAll(async () => {
    doc = await (await fetch(`${ctx.api.baseUrl}/api/docs/openapi.json`)).json();
  });

  it('walks every route the api has', () => {
    const routes = listRouteRules(ctx.api.app).map((r) => `${r.method} ${r.path}`);
    expect(Object.keys(ROUTE_TABLE).sort()).toEqual(routes.sort());
  });

  async function walk(route: string, who: 'admin' | 'anonymous') {
    const [method, template] = route.split(' ');
    const call = await ROUTE_TABLE[route].call(who, ctx);
    const operation = doc.paths[template.replace(/:(\w+)/g, '{$1}')]?.[method.toLowerCase()];
    expect([route, operation !== undefined]).toEqual([route, true]);
    const token = who === 'anonymous' ? undefined : (call.token ?? ctx.tokens.admin);
    const variants = [...bodyVariants(doc, operation, call), ...queryVariants(operation, call), ...pathVariants(route, call), ...encodingVariants(call)];
    const failures: string[] = [];
    for (const variant of variants) {
      const answer = await send(ctx.api.baseUrl, method, variant, token);
      const problem = problemWith(answer, variant);
      if (problem) failures.push(`${variant.what} (${method} ${variant.path}): ${problem} ${answer.text.slice(0, 200)}`);
    }
    expect(failures).toEqual([]);
  }

  for (const route of Object.keys(ROUTE_TABLE)) {
    it(`${route} as an admin`, () => walk(route, 'admin'));
  }
  it('POST /api/auth/login anonymously', () => walk('POST /api/auth/login', 'anonymous'));

  const json = (body: unknown, headers: Record<string, string> = {}) => ({ headers: { 'content-type': 'application/json', ...headers }, body: Buffer.from(jsonText(body)) });
  const answer = async (method: string, path: string, options: Omit<Variant, 'what' | 'path'> = {}, token: string | undefined = ctx.tokens.admin) => {
    const got = await send(ctx.api.baseUrl, method, { what: '', path, ...options }, token);
    return { status: got.status, body: JSON.parse(got.text || 'null') };
  };
  const refusal = (code: string, language: 'id' | 'en', details?: unknown) => ({
    error: {
      code,
      message: expect.stringContaining(ERROR_MESSAGES[code as keyof typeof ERROR_MESSAGES][language].split('{')[0]),
      requestId: expect.any(String),
      ...(details ? { details } : {}),
    },
  });

  it('names the field holding a NUL or a lone surrogate, in Bahasa Indonesia, and in English on request', async () => {
    const node = { code: 'ODP-NUL-1', kind: 'odp', name: 'Tiang\u0000A', geometry: { type: 'Point', coordinates: [112.95, -2.53] } };
    const problem = (language: 'id' | 'en') => [{ field: 'name', problem: FIELD_PROBLEMS.text_invalid_characters[language] }];
    expect(await answer('POST', '/api/nodes', json(node))).toEqual({ status: 400, body: refusal('VALIDATION_FAILED', 'id', problem('id')) });
    expect(await answer('POST', '/api/nodes', json(node, { 'accept-language': 'en' }))).toEqual({ status: 400, body: refusal('VALIDATION_FAILED', 'en', problem('en')) });

    const segment = (await ROUTE_TABLE['POST /api/segments/:id/status'].call('admin', ctx)).path;
    const note = await answer('POST', segment, json({ status: 'surveyed', version: 1, note: 'sudah \udc00' }));
    expect(note).toEqual({ status: 400, body: refusal('VALIDATION_FAILED', 'id', [{ field: 'note', problem: FIELD_PROBLEMS.text_invalid_characters.id }]) });
    const cursor = await answer('GET', '/api/segments?after=%00');
    expect(cursor).toEqual({ status: 400, body: refusal('VALIDATION_FAILED', 'id', [{ field: 'after', problem: FIELD_PROBLEMS.text_invalid_characters.id }]) });
    const login = await answer('POST', '/api/auth/login', json({ login: 'admin\u0000', password: 'x' }), undefined);
    expect(login).toEqual({ status: 400, body: refusal('VALIDATION_FAILED', 'id', [{ field: 'login', problem: FIELD_PROBLEMS.text_invalid_characters.id }]) });
    const path = await answer('GET', '/api/nodes/%ED%B0%80', { headers: { 'accept-language': 'en' } });
    expect(path).toEqual({ status: 400, body: refusal('VALIDATION_FAILED', 'en', [{ field: 'path', problem: FIELD_PROBLEMS.percent_encoding_invalid.en }]) });
  });

  it('refuses numbers past what the database holds: a 19-digit audit cursor, a version or If-Match past integer, an import cursor on no real day', async () => {
    const before = await answer('GET', `/api/audit?before=${DIGITS_19}`);
    expect(before).toEqual({ status: 400, body: refusal('VALIDATION_FAILED', 'id', [{ field: 'before', problem: FIELD_PROBLEMS.cursor_out_of_range.id }]) });
    expect((await answer('GET', '/api/audit?before=9223372036854775807')).status).toBe(200);
    for (const cursor of ['abc', '1.5', '-1']) expect([cursor, (await answer('GET', `/api/audit?before=${cursor}`)).status]).toEqual([cursor, 400]);

    const node = await ctx.newNode();
    expect((await answer('DELETE', `/api/nodes/${node.id}?version=2147483648`)).status).toBe(400);
    for (const ifMatch of [`"${DIGITS_19}"`, '"2147483648"', 'W/"0"']) {
      const patched = await answer('PATCH', `/api/nodes/${node.id}`, json({ name: 'Diubah' }, { 'if-match': ifMatch }));
      expect([ifMatch, patched]).toEqual([ifMatch, { status: 400, body: refusal('VALIDATION_FAILED', 'id', [expect.objectContaining({ field: 'If-Match' })]) }]);
    }
    expect((await answer('PATCH', `/api/nodes/${node.id}`, json({ name: 'Diubah' }, { 'if-match': `"${node.version}"` }))).status).toBe(200);

    const id = '00000000-0000-4000-8000-000000000000';
    for (const day of ['2026-02-30T00:00:00Z', '0000-01-01T00:00:00Z', '2026-13-01T00:00:00Z']) {
      expect([day, (await answer('GET', `/api/imports?before=${day},${id}`)).status]).toEqual([day, 400]);
    }
    expect((await answer('GET', `/api/imports?before=2026-02-28T23:59:59.123456Z,${id}`)).status).toBe(200);
  });

  it('answers a body that does not decode with 400 and an unknown Content-Encoding with 415, and still reads a gzip body', async () => {
    const garbage = { headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: Buffer.from('bukan gzip') };
    expect(await answer('POST', '/api/auth/login', garbage, undefined)).toEqual({ status: 400, body: refusal('BODY_UNREADABLE', 'id') });
    const unknown = await answer('POST', '/api/auth/tokens', {
      headers: { 'content-type': 'application/json', 'content-encoding': 'x-serat', 'accept-language': 'en' },
      body: Buffer.from('{}'),
    });
    expect(unknown).toEqual({
      status: 415,
      body: { error: expect.objectContaining({ code: 'ENCODING_UNSUPPORTED', message: expect.stringContaining('"x-serat" is not accepted'), details: { encoding: 'x-serat' } }) },
    });
    // Multer would read a compressed form as it comes, as garbage.
    const form = await ROUTE_TABLE['POST /api/photos'].call('admin', ctx);
    const photo = await fetch(`${ctx.api.baseUrl}/api/photos`, { method: 'POST', headers: { ...bearer(ctx.tokens.admin), 'content-encoding': 'gzip' }, body: form.form });
    expect([photo.status, (await photo.json()).error.code]).toEqual([415, 'ENCODING_UNSUPPORTED']);

    const gzipped = await answer('POST', '/api/auth/tokens', {
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: gzipSync(JSON.stringify({ name: 'terkompresi' })),
    });
    expect([gzipped.status, gzipped.body.name]).toEqual([201, 'terkompresi']);
  });
});
