// The technician's first load of the web app, on a phone with nothing cached: how much JavaScript
// it fetches before the map is usable (gzipped, as a server or proxy that compresses would send it)
// and how long until the map is usable (its data on screen and nothing pending:
// body[data-map-ready] and body[data-map-idle]) on Chromium's "Slow 3G" profile (2000 ms latency,
// 50 kB/s down and up, as DevTools defines it). Needs the built web app and server, the test
// PostgreSQL and Redis, and Debian's Chromium. Usage: node bench/web-first-load.mjs [--runs=3]
import * as zlib from 'node:zlib';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
import { BENCH_PASSWORD, startSeededApi } from './support/api.mjs';
import { printResult, round } from './support/result.mjs';

const require = createRequire(import.meta.url);
const { loadTestSettings } = require('../dist/libs/config/src');

const runsArg = process.argv.find((a) => a.startsWith('--runs='));
const RUNS = runsArg ? Number(runsArg.slice('--runs='.length)) : 3;
const SLOW_3G = { offline: false, latency: 2000, downloadThroughput: 50_000, uploadThroughput: 50_000 };
// Sampit's government quarter at street zoom: where a technician starts a day.
const START = '#16/-2.5383/112.9509';

const api = await startSeededApi({ name: 'web-first-load', role: 'technician' });
const browser = await chromium.launch({
  executablePath: loadTestSettings().chromiumPath,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});

/** One cold load: a new phone-sized context (no cache, no service worker), signed in, throttled. */
async function coldLoad() {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2, locale: 'id-ID' });
  const signIn = await context.request.post(`${api.base}/api/auth/login`, { data: { login: 'bench', password: BENCH_PASSWORD } });
  if (!signIn.ok()) throw new Error(`sign-in: HTTP ${signIn.status()}`);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', SLOW_3G);

  const scripts = new Map();
  let ready = false;
  // Bytes on the wire (compressed where the server compressed), every request until the map is usable.
  let wireBytes = 0;
  cdp.on('Network.loadingFinished', (event) => {
    if (!ready) wireBytes += event.encodedDataLength;
  });
  page.on('response', (response) => {
    if (ready || response.request().resourceType() !== 'script') return;
    scripts.set(
      response.url(),
      response.body().catch(() => Buffer.alloc(0)),
    );
  });
  const started = Date.now();
  await page.goto(`${api.base}/${START}`, { waitUntil: 'commit', timeout: 300_000 });
  await page.waitForSelector('body[data-map-ready="true"]', { timeout: 300_000 });
  await page.waitForSelector('body[data-map-idle="true"]', { state: 'attached', timeout: 300_000 });
  const usableMs = Date.now() - started;
  ready = true;
  const bodies = await Promise.all(scripts.values());
  const rawBytes = bodies.reduce((sum, body) => sum + body.length, 0);
  const gzipBytes = bodies.reduce((sum, body) => sum + zlib.gzipSync(body, { level: 6 }).length, 0);
  await context.close();
  return { usableMs, rawBytes, gzipBytes, files: scripts.size, wireBytes };
}

try {
  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(await coldLoad());
  const usable = runs.map((r) => r.usableMs).sort((a, b) => a - b);
  const median = usable[Math.floor(usable.length / 2)];
  const { gzipBytes, rawBytes, files, wireBytes } = runs[0];
  printResult({
    benchmark: 'web-first-load',
    title: "Technician's first load of the web app",
    size: `Kotim demo network, phone viewport, ${RUNS} cold loads`,
    command: `node bench/web-first-load.mjs --runs=${RUNS}`,
    description:
      'A signed-in technician opens Serat on a phone with nothing cached, on Chromium\'s "Slow 3G" profile (2000 ms latency, 50 kB/s). JavaScript fetched before the map is usable, gzipped at level 6, and the time until the map has its data on screen and nothing pending.',
    figures: [
      { what: 'JavaScript before the map is usable, gzipped', value: round(gzipBytes / 1024, 1), unit: 'KiB' },
      { what: 'the same, uncompressed', value: round(rawBytes / 1024, 1), unit: 'KiB' },
      { what: 'everything on the wire before the map is usable (all requests)', value: round(wireBytes / 1024, 1), unit: 'KiB' },
      { what: 'script files fetched', value: files, unit: 'files' },
      { what: 'time to a usable map, Slow 3G (median)', value: round(median / 1000, 1), unit: 's' },
      { what: 'time to a usable map, Slow 3G (slowest)', value: round(usable[usable.length - 1] / 1000, 1), unit: 's' },
    ],
  });
} finally {
  await browser.close();
  await api.close();
}
