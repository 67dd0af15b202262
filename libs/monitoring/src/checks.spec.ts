import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCheck } from './checks';
import { TargetPolicy } from './target-policy';

/** Checks against servers this test starts on loopback (allowed here by name, as SERAT_MONITOR_ALLOW_CIDRS would). */
describe('a check of an endpoint', () => {
  const policy = new TargetPolicy({ allow: ['127.0.0.0/8'] });
  const options = { timeoutMs: 1000, policy };
  let server: http.Server;
  let base: string;
  let closedPort: number;
  let tls: https.Server;
  let tlsBase: string;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'serat-checks-'));
  const trickles = new Set<http.ServerResponse>();

  beforeAll(async () => {
    server = http.createServer((request, response) => {
      switch (request.url ?? '') {
        case '/ok':
          return response.end('Sistem Informasi SOPD: normal');
        case '/down':
          response.statusCode = 503;
          return response.end('maintenance');
        case '/to-ok':
          response.writeHead(302, { location: '/ok' });
          return response.end();
        case '/loop':
          response.writeHead(301, { location: '/loop' });
          return response.end();
        case '/to-metadata':
          response.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' });
          return response.end();
        case '/trickle': {
          // Headers at once, then a byte every 100 ms, never the end.
          response.writeHead(200, { 'content-type': 'text/plain' });
          trickles.add(response);
          const timer = setInterval(() => response.write('.'), 100);
          response.on('close', () => clearInterval(timer));
          return;
        }
        default:
          response.statusCode = 404;
          return response.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // A port nothing listens on: taken, then let go.
    const probe = http.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    closedPort = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    // A self-signed certificate: what a router's admin page often has.
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '30', '-subj', '/CN=router.sopd', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')],
      { stdio: 'ignore' },
    );
    tls = https.createServer({ key: fs.readFileSync(path.join(dir, 'key.pem')), cert: fs.readFileSync(path.join(dir, 'cert.pem')) }, (_request, response) => response.end('ok'));
    await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
    tlsBase = `https://127.0.0.1:${(tls.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    for (const response of trickles) response.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await new Promise<void>((resolve) => tls.close(() => resolve()));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('is up for an answer in the status range, with its latency and where the time went', async () => {
    const result = await runCheck({ kind: 'http', url: `${base}/ok` }, options);
    expect(result).toMatchObject({ ok: true, statusCode: 200, error: null, attempts: 1 });
    expect(result.latencyMs).toBeGreaterThan(0);
    expect(result.connectMs).not.toBeNull();
    expect(result.firstByteMs!).toBeGreaterThanOrEqual(result.connectMs!);
  });

  it('is down for a status outside the range, and up when the range takes it', async () => {
    expect(await runCheck({ kind: 'http', url: `${base}/down` }, options)).toMatchObject({ ok: false, statusCode: 503, error: 'STATUS', detail: 'answered 503, expected 200–399' });
    expect(await runCheck({ kind: 'http', url: `${base}/down`, expectStatus: [200, 599] }, options)).toMatchObject({ ok: true, statusCode: 503 });
  });

  it('looks for a keyword in the body', async () => {
    expect(await runCheck({ kind: 'http', url: `${base}/ok`, keyword: 'normal' }, options)).toMatchObject({ ok: true });
    expect(await runCheck({ kind: 'http', url: `${base}/ok`, keyword: 'gangguan' }, options)).toMatchObject({ ok: false, error: 'KEYWORD' });
  });

  it('follows a redirect, stops a loop, and refuses a redirect to an address the policy refuses', async () => {
    expect(await runCheck({ kind: 'http', url: `${base}/to-ok` }, options)).toMatchObject({ ok: true, statusCode: 200 });
    expect(await runCheck({ kind: 'http', url: `${base}/to-ok`, followRedirects: false }, options)).toMatchObject({ ok: true, statusCode: 302 });
    expect(await runCheck({ kind: 'http', url: `${base}/loop` }, options)).toMatchObject({ ok: false, error: 'REDIRECT_LOOP' });
    expect(await runCheck({ kind: 'http', url: `${base}/to-metadata` }, options)).toMatchObject({ ok: false, error: 'TARGET_REFUSED' });
  });

  it('holds its deadline against an endpoint that answers byte by byte', async () => {
    const started = Date.now();
    const result = await runCheck({ kind: 'http', url: `${base}/trickle`, keyword: 'never' }, { ...options, timeoutMs: 500 });
    expect(result).toMatchObject({ ok: false, error: 'TIMEOUT', statusCode: 200 });
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('says a TLS error as the TLS code, and a DNS failure as ENOTFOUND', async () => {
    const selfSigned = await runCheck({ kind: 'http', url: `${tlsBase}/` }, options);
    expect(selfSigned.ok).toBe(false);
    expect(selfSigned.error).toMatch(/SELF_SIGNED|UNABLE_TO_VERIFY/);
    const lookup = ((_host: string, _options: unknown, callback: (error: Error) => void) =>
      callback(Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' }))) as never;
    expect(await runCheck({ kind: 'http', url: 'http://tidak-ada.sopd.example/' }, { ...options, lookup })).toMatchObject({ ok: false, error: 'ENOTFOUND' });
  });

  it('connects over TCP, says a refused port, and retries inside one check', async () => {
    const port = Number(new URL(base).port);
    expect(await runCheck({ kind: 'tcp', host: '127.0.0.1', port }, options)).toMatchObject({ ok: true, error: null });
    expect(await runCheck({ kind: 'tcp', host: '127.0.0.1', port: closedPort }, { ...options, retries: 2 })).toMatchObject({ ok: false, error: 'ECONNREFUSED', attempts: 3 });
  });

  it("refuses the host's own loopback under the default policy, without retrying", async () => {
    const port = Number(new URL(base).port);
    expect(await runCheck({ kind: 'tcp', host: '127.0.0.1', port }, { timeoutMs: 1000, policy: new TargetPolicy(), retries: 2 })).toMatchObject({
      ok: false,
      error: 'TARGET_REFUSED',
      attempts: 1,
    });
    expect(await runCheck({ kind: 'http', url: `http://localhost:${port}/ok` }, { timeoutMs: 1000, policy: new TargetPolicy() })).toMatchObject({
      ok: false,
      error: 'TARGET_REFUSED',
    });
  });
});
