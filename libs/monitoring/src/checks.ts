/**
 * One check of an endpoint: a TCP connect (host:port) or an HTTP(S) request (method, the status
 * range expected, an optional keyword in the first 64 KiB of the body, redirects followed or not,
 * the days left on the TLS certificate). Every check has one deadline for all it does, so an
 * endpoint that answers byte by byte or never closes cannot hold a worker past it; every address
 * it reaches passes the target policy first.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import type { TLSSocket } from 'node:tls';
import { assertTarget, guardedLookup } from './guarded-lookup';
import { TargetPolicy, TargetRefusedError } from './target-policy';

/** Body bytes read for a keyword at most. */
export const KEYWORD_WINDOW_BYTES = 64 * 1024;

export interface CheckResult {
  ok: boolean;
  /** From the start to the answer (or to the failure). */
  latencyMs: number;
  connectMs: number | null;
  tlsMs: number | null;
  firstByteMs: number | null;
  statusCode: number | null;
  /** A short code for what failed: TIMEOUT, ECONNREFUSED, ENOTFOUND, TARGET_REFUSED, STATUS, KEYWORD, REDIRECT_LOOP, TOO_MANY_REDIRECTS, a TLS code… */
  error: string | null;
  /** What a person reads about it. */
  detail: string | null;
  certDaysLeft: number | null;
  /** Attempts made (retries inside one check). */
  attempts: number;
}

export interface TcpTarget {
  kind: 'tcp';
  host: string;
  port: number;
}

export interface HttpTarget {
  kind: 'http';
  url: string;
  method?: 'GET' | 'HEAD';
  /** Inclusive; 200–399 unless said. */
  expectStatus?: [number, number];
  keyword?: string | null;
  followRedirects?: boolean;
  maxRedirects?: number;
}

export interface CheckOptions {
  timeoutMs: number;
  /** Attempts after the first when one fails, inside the same check. */
  retries?: number;
  policy: TargetPolicy;
  /** DNS, for tests; the system's otherwise (through the policy either way). */
  lookup?: net.LookupFunction;
}

const now = () => performance.now();
const round = (ms: number) => Math.round(ms * 10) / 10;

function failure(started: number, error: string, detail: string, partial: Partial<CheckResult> = {}): CheckResult {
  return {
    ok: false,
    latencyMs: round(now() - started),
    connectMs: null,
    tlsMs: null,
    firstByteMs: null,
    statusCode: null,
    certDaysLeft: null,
    attempts: 1,
    ...partial,
    error,
    detail,
  };
}

function codeOf(error: unknown): string {
  if (error instanceof TargetRefusedError) return error.code;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : 'ERROR';
}

export function tcpCheck(target: TcpTarget, options: CheckOptions): Promise<CheckResult> {
  const started = now();
  return new Promise((resolve) => {
    try {
      assertTarget(options.policy, target.host);
    } catch (error) {
      resolve(failure(started, codeOf(error), (error as Error).message));
      return;
    }
    let settled = false;
    const socket = net.connect({ host: target.host.replace(/^\[|\]$/g, ''), port: target.port, lookup: options.lookup ?? guardedLookup(options.policy) });
    const finish = (result: CheckResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => finish(failure(started, 'TIMEOUT', `no connection within ${options.timeoutMs} ms`)), options.timeoutMs);
    socket.once('connect', () => {
      const ms = round(now() - started);
      finish({ ok: true, latencyMs: ms, connectMs: ms, tlsMs: null, firstByteMs: null, statusCode: null, error: null, detail: null, certDaysLeft: null, attempts: 1 });
    });
    socket.once('error', (error) => finish(failure(started, codeOf(error), error.message)));
  });
}

interface HopResult {
  result: CheckResult;
  location: string | null;
}

function httpHop(url: URL, target: HttpTarget, options: CheckOptions, started: number, deadline: number): Promise<HopResult> {
  return new Promise((resolve) => {
    try {
      assertTarget(options.policy, url.hostname);
    } catch (error) {
      resolve({ result: failure(started, codeOf(error), (error as Error).message), location: null });
      return;
    }
    const secure = url.protocol === 'https:';
    const timings: { connect: number | null; tls: number | null; firstByte: number | null } = { connect: null, tls: null, firstByte: null };
    let settled = false;
    const finish = (hop: HopResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.destroy();
      resolve(hop);
    };
    let answered: number | null = null;
    const partial = () => ({ connectMs: timings.connect, tlsMs: timings.tls, firstByteMs: timings.firstByte, statusCode: answered });
    const request = (secure ? https : http).request(url, {
      method: target.method ?? 'GET',
      lookup: options.lookup ?? guardedLookup(options.policy),
      headers: { 'user-agent': 'Serat-monitor/1', accept: '*/*' },
      agent: false,
    });
    const timer = setTimeout(
      () => finish({ result: failure(started, 'TIMEOUT', `no complete answer within ${options.timeoutMs} ms`, partial()), location: null }),
      Math.max(0, deadline - now()),
    );
    request.on('socket', (socket) => {
      socket.once('connect', () => (timings.connect = round(now() - started)));
      if (secure) socket.once('secureConnect', () => (timings.tls = round(now() - started)));
    });
    request.on('error', (error) => finish({ result: failure(started, codeOf(error), error.message, partial()), location: null }));
    request.on('response', (response) => {
      timings.firstByte = round(now() - started);
      const status = response.statusCode ?? 0;
      answered = status;
      let certDaysLeft: number | null = null;
      if (secure) {
        const certificate = (response.socket as TLSSocket).getPeerCertificate?.();
        if (certificate?.valid_to) certDaysLeft = Math.floor((Date.parse(certificate.valid_to) - Date.now()) / 86400000);
      }
      const base = { ...partial(), statusCode: status, certDaysLeft };
      const location = response.headers.location;
      if (status >= 300 && status < 400 && location && target.followRedirects !== false) {
        finish({ result: { ...failure(started, 'REDIRECT', `redirect to ${location}`, base) }, location });
        return;
      }
      const [min, max] = target.expectStatus ?? [200, 399];
      if (status < min || status > max) {
        finish({ result: failure(started, 'STATUS', `answered ${status}, expected ${min}–${max}`, base), location: null });
        return;
      }
      const keyword = target.keyword;
      if (!keyword || target.method === 'HEAD') {
        finish({ result: { ok: true, latencyMs: round(now() - started), ...base, error: null, detail: null, attempts: 1 }, location: null });
        return;
      }
      // The keyword in the first bytes of the body, read no further than that.
      let body = Buffer.alloc(0);
      const look = () => {
        if (body.includes(keyword)) finish({ result: { ok: true, latencyMs: round(now() - started), ...base, error: null, detail: null, attempts: 1 }, location: null });
        else if (body.length >= KEYWORD_WINDOW_BYTES)
          finish({ result: failure(started, 'KEYWORD', `"${keyword}" not in the first ${KEYWORD_WINDOW_BYTES / 1024} KiB`, base), location: null });
      };
      response.on('data', (chunk: Buffer) => {
        body = Buffer.concat([body, chunk]).subarray(0, KEYWORD_WINDOW_BYTES);
        look();
      });
      response.on('end', () => {
        look();
        finish({ result: failure(started, 'KEYWORD', `"${keyword}" not in the answer`, base), location: null });
      });
      response.on('error', (error) => finish({ result: failure(started, codeOf(error), error.message, base), location: null }));
    });
    request.end();
  });
}

export async function httpCheck(target: HttpTarget, options: CheckOptions): Promise<CheckResult> {
  const started = now();
  const deadline = started + options.timeoutMs;
  let url: URL;
  try {
    url = new URL(target.url);
  } catch {
    return failure(started, 'BAD_URL', `${target.url} is not a URL`);
  }
  const seen = new Set<string>();
  const maxRedirects = target.maxRedirects ?? 5;
  for (let hop = 0; ; hop++) {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return failure(started, 'BAD_URL', `${url.protocol} is not http or https`);
    seen.add(url.href);
    const { result, location } = await httpHop(url, target, options, started, deadline);
    if (!location) return result;
    const next = new URL(location, url);
    if (seen.has(next.href)) return { ...result, error: 'REDIRECT_LOOP', detail: `redirects back to ${next.href}` };
    if (hop + 1 > maxRedirects) return { ...result, error: 'TOO_MANY_REDIRECTS', detail: `more than ${maxRedirects} redirects` };
    url = next;
  }
}

/** A check with its retries: the first success, or the last failure, with the attempts it took. */
export async function runCheck(target: TcpTarget | HttpTarget, options: CheckOptions): Promise<CheckResult> {
  const attempts = 1 + Math.max(0, options.retries ?? 0);
  let last: CheckResult | null = null;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const result = target.kind === 'tcp' ? await tcpCheck(target, options) : await httpCheck(target, options);
    last = { ...result, attempts: attempt };
    // A refused target or a malformed URL stays so: no point trying again.
    if (result.ok || result.error === 'TARGET_REFUSED' || result.error === 'BAD_URL') return last;
  }
  return last!;
}
