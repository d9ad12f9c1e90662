// `make bench`, items 3 and 4 in headless Chromium (run by bench/45-browser.sh
// against a release server with the release browser bundle):
//
// - bytes: everything the booking page (a studio's availability page,
//   anonymous) and the scan page (front desk signed in) load on a first
//   visit with an empty cache, as Chromium's network layer counts them
//   (CDP: encoded bytes over the wire including response headers, decoded
//   body bytes), per type; then the same page visited again (the build
//   files should come from the cache).
// - wasm verification: the scan station cut off from the network decides
//   a real issued pass in wasm (signature check and door rules against the
//   offline bundle); the page records each decision as the User Timing
//   measure `ortalyq-offline-decide` (app/src/passes/pages.rs), which this
//   script collects over N scans.
//
// Environment: BASE (server URL), STUDIO (space id), DESK and VISITOR
// (session tokens), BENCH_VERIFY_SCANS (default 200), CHROMIUM,
// BENCH_FIGURES (file for the figures of bench/results/latest.json).
// Prints markdown rows of the harness table (bench/lib.sh) on stdout.
import { appendFileSync } from 'node:fs';
import { createRequire } from 'node:module';

// playwright-core comes from the browser tests' packages (end2end/).
const require = createRequire(new URL('../end2end/package.json', import.meta.url));
const { chromium } = require('playwright-core');

const base = process.env.BASE;
const studio = process.env.STUDIO;
const scans = Number(process.env.BENCH_VERIFY_SCANS || 200);
const warmup = 5;
// The pause between scans of the "idle" series.
const scanGapMs = Number(process.env.BENCH_VERIFY_GAP_MS || 50);
const session = (token) => [{ name: 'oq_session', value: token, url: base }];
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
const log = (...a) => console.error('[bench]', ...a);
/** A figure for bench/results/latest.json (bench/lib.sh `figure`). */
const figure = (key, value) => {
  log(`figure ${key}=${value}`);
  if (process.env.BENCH_FIGURES) appendFileSync(process.env.BENCH_FIGURES, `${key}=${value}\n`);
};

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});

function kindOf(r) {
  if (r.mime === 'application/wasm' || r.url.endsWith('.wasm')) return 'wasm';
  switch (r.type) {
    case 'Document':
      return 'HTML';
    case 'Stylesheet':
      return 'CSS';
    case 'Script':
      return 'JS';
    case 'Image':
      return 'images';
    case 'Fetch':
    case 'XHR':
      return 'data';
    default:
      return 'other';
  }
}

/** Tally what the page loads while `visit` runs (CDP network events). */
async function tally(page, visit) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  const reqs = new Map();
  const get = (id) => {
    if (!reqs.has(id)) reqs.set(id, { wire: 0, body: 0, done: false, cached: false });
    return reqs.get(id);
  };
  cdp.on('Network.requestWillBeSent', (e) => Object.assign(get(e.requestId), { url: e.request.url }));
  cdp.on('Network.responseReceived', (e) =>
    Object.assign(get(e.requestId), {
      type: e.type,
      mime: e.response.mimeType,
      status: e.response.status,
      encoding: Object.entries(e.response.headers).find(([k]) => k.toLowerCase() === 'content-encoding')?.[1],
      cacheControl: Object.entries(e.response.headers).find(([k]) => k.toLowerCase() === 'cache-control')?.[1],
      cached: e.response.fromDiskCache || e.response.fromPrefetchCache || false,
    }),
  );
  cdp.on('Network.requestServedFromCache', (e) => (get(e.requestId).cached = true));
  cdp.on('Network.dataReceived', (e) => (get(e.requestId).body += e.dataLength));
  cdp.on('Network.loadingFinished', (e) => Object.assign(get(e.requestId), { wire: e.encodedDataLength, done: true }));
  await visit();
  // Let late requests (server fns after hydration) finish.
  await page.waitForLoadState('networkidle');
  await cdp.detach();
  const list = [...reqs.values()].filter((r) => r.done && r.url && !r.url.startsWith('data:'));
  for (const r of list) r.kind = kindOf(r);
  return list;
}

function summary(list) {
  const by = new Map();
  for (const r of list) {
    const t = by.get(r.kind) || { wire: 0, body: 0, n: 0 };
    t.wire += r.wire;
    t.body += r.body;
    t.n += 1;
    by.set(r.kind, t);
  }
  const order = ['HTML', 'CSS', 'JS', 'wasm', 'images', 'data', 'other'];
  const parts = order
    .filter((k) => by.has(k))
    .map((k) => {
      const t = by.get(k);
      return `${k}${t.n > 1 ? ` (${t.n})` : ''} ${kib(t.wire)} / ${kib(t.body)}`;
    });
  return {
    wire: list.reduce((s, r) => s + r.wire, 0),
    body: list.reduce((s, r) => s + r.body, 0),
    n: list.length,
    parts,
  };
}

async function bytesRow(label, key, path, token) {
  const context = await browser.newContext({ locale: 'en-US' });
  if (token) await context.addCookies(session(token));
  const page = await context.newPage();
  const open = async () => {
    await page.goto(base + path);
    await page.waitForSelector('body[data-hydrated="true"]');
  };
  const first = await tally(page, open);
  // The same page again in the same browser: a new document, the build
  // files should come from the cache without asking the server.
  const again = await tally(page, open);
  await context.close();
  const s = summary(first);
  const r = summary(again);
  const build = first.filter((x) => new URL(x.url).pathname.startsWith('/pkg/'));
  const names = build.map((x) => new URL(x.url).pathname.replace('/pkg/', '')).join(', ');
  const encodings = [...new Set(build.map((x) => x.encoding || 'none'))].join('/');
  const caching = [...new Set(build.map((x) => x.cacheControl || 'none'))].join('; ');
  const html = first.find((x) => x.kind === 'HTML');
  // Chromium's memory cache answers without a requestServedFromCache event
  // for some files: a build file that cost no bytes came from a cache too.
  const fromCache = again.filter((x) => new URL(x.url).pathname.startsWith('/pkg/') && (x.cached || x.wire === 0)).length;
  const againBuildWire = again
    .filter((x) => new URL(x.url).pathname.startsWith('/pkg/'))
    .reduce((t, x) => t + x.wire, 0);
  // A visitor page without islands loads only the stylesheet; desk pages add
  // the script, the main bundle and their lazy chunk.
  const ok = build.length >= 1 && build.every((x) => x.status === 200 && /^(br|gzip)$/.test(x.encoding || ''))
    && build.every((x) => x.cacheControl === 'public, max-age=31536000, immutable') && againBuildWire === 0;
  log(label, JSON.stringify({ first: s, again: r, names }));
  figure(`${key}_first_visit_kib`, (s.wire / 1024).toFixed(1));
  figure(`${key}_first_visit_uncompressed_kib`, (s.body / 1024).toFixed(1));
  figure(`${key}_second_visit_kib`, (r.wire / 1024).toFixed(1));
  console.log(
    `| 4 pages | bytes ${label} \`${path}\` loads in Chromium, first visit, empty cache (${s.n} requests: ${names} and the rest) `
      + `| **${kib(s.wire)}** over the wire (bodies ${encodings}, with response headers); by type, wire / uncompressed: ${s.parts.join(', ')} `
      + `| uncompressed: ${kib(s.body)} `
      + `| ${(s.wire / s.body).toFixed(2)} of uncompressed; build files' Cache-Control: ${caching}; page's: ${html?.cacheControl || 'none'}; `
      + `second visit: ${kib(r.wire)} over the wire (${r.n} requests; ${fromCache} build files from the cache, ${kib(againBuildWire)} of build files) `
      + `${ok ? '— OK' : '— **check failed**: build files not all hashed, compressed, immutable and cached'} |`,
  );
  return ok;
}

function pct(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Scans typed by Playwright over CDP: each decision's time and verdict. */
async function scanOutside(page, code, n) {
  await page.evaluate(() => {
    window.__decide = [];
    new PerformanceObserver((l) => {
      for (const e of l.getEntries()) if (e.name === 'ortalyq-offline-decide') window.__decide.push(e.duration);
    }).observe({ entryTypes: ['measure'] });
  });
  const verdicts = [];
  for (let i = 1; i <= n; i++) {
    await page.fill('[data-testid="scan-input"]', code);
    await page.press('[data-testid="scan-input"]', 'Enter');
    await page.waitForFunction((k) => window.__decide.length >= k, i);
    verdicts.push(await page.getAttribute('[data-testid="verdict"][data-offline="true"]', 'data-code'));
  }
  return { times: await page.evaluate(() => window.__decide), verdicts };
}

/** Scans submitted by a loop inside the page, `gapMs` apart. */
async function scanInside(page, code, n, gapMs) {
  return page.evaluate(async ({ code, n, gapMs }) => {
    const times = [];
    const seen = new PerformanceObserver((l) => {
      for (const e of l.getEntries()) if (e.name === 'ortalyq-offline-decide') times.push(e.duration);
    });
    seen.observe({ entryTypes: ['measure'] });
    const input = document.querySelector('[data-testid="scan-input"]');
    const verdicts = [];
    for (let i = 1; i <= n; i++) {
      input.value = code;
      input.form.requestSubmit();
      while (times.length < i) await new Promise((r) => setTimeout(r, 1));
      // Let the verdict render before it is read.
      await new Promise((r) => setTimeout(r, 0));
      verdicts.push(document.querySelector('[data-testid="verdict"][data-offline="true"]')?.dataset.code);
      if (gapMs) await new Promise((r) => setTimeout(r, gapMs));
    }
    seen.disconnect();
    return { times, verdicts };
  }, { code, n, gapMs });
}

async function verifyRow() {
  // A member books the studio's next free hour and reads the pass code.
  const visitor = await browser.newContext({ locale: 'en-US' });
  await visitor.addCookies(session(process.env.VISITOR));
  const vp = await visitor.newPage();
  await vp.goto(`${base}/spaces/${studio}`);
  await vp.waitForSelector('body[data-hydrated="true"]');
  await vp.locator('[data-testid="slot"]:not([disabled])').first().click();
  await vp.waitForSelector('[data-testid="booked"]');
  await vp.goto(`${base}/my`);
  await vp.waitForSelector('body[data-hydrated="true"]');
  const code = (await vp.textContent('[data-testid="pass-code"]')).trim();
  await visitor.close();

  // The front desk's scan station loads today's bundle, then loses the network.
  const desk = await browser.newContext({ locale: 'en-US' });
  await desk.addCookies(session(process.env.DESK));
  const page = await desk.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${base}/desk/scan`);
  await page.waitForSelector('body[data-hydrated="true"]');
  await page.waitForSelector('[data-testid="offline-ready"]');
  await desk.setOffline(true);
  // Three series of the same scans, each on the same page:
  // - typed by Playwright over CDP, then polled (node and the browser
  //   process are busy while the renderer decides): the method and the
  //   keys (`wasm_verify_p*_ms`) of earlier runs. Since session 28 the
  //   station recognises a listed pass by its fingerprint, so these keys
  //   time that; the Ed25519 check of earlier runs is the fourth series;
  // - submitted by a loop inside the page, back to back: the decision with
  //   the harness quiet;
  // - the same loop with a pause between scans, as at a door, where the
  //   page idles between visitors and the other processes of this machine
  //   run meanwhile.
  const cdp = await scanOutside(page, code, scans + warmup);
  const inside = await scanInside(page, code, scans + warmup, 0);
  const idle = await scanInside(page, code, scans + warmup, scanGapMs);
  // A code the bundle does not list gets the Ed25519 check: the same pass
  // with one character of its signature's R changed (which the check
  // only finds at its very end), back to back.
  const at = 2 + 60;
  const forged = code.slice(0, at) + (code[at] === 'A' ? 'B' : 'A') + code.slice(at + 1);
  const signed = await scanInside(page, forged, scans + warmup, 0);
  await desk.close();
  const sorted = (s) => s.times.slice(warmup).sort((a, b) => a - b);
  const [insideTimes, idleTimes, signedTimes] = [sorted(inside), sorted(idle), sorted(signed)];
  figure('wasm_verify_inpage_p50_ms', pct(insideTimes, 50).toFixed(2));
  figure('wasm_verify_inpage_p99_ms', pct(insideTimes, 99).toFixed(2));
  figure('wasm_verify_idle_p50_ms', pct(idleTimes, 50).toFixed(2));
  figure('wasm_verify_idle_p99_ms', pct(idleTimes, 99).toFixed(2));
  figure('wasm_verify_signature_p50_ms', pct(signedTimes, 50).toFixed(2));
  figure('wasm_verify_signature_p99_ms', pct(signedTimes, 99).toFixed(2));
  const all = cdp.times;
  const verdicts = new Map();
  for (const v of [...cdp.verdicts, ...inside.verdicts, ...idle.verdicts, ...signed.verdicts]) verdicts.set(v, (verdicts.get(v) || 0) + 1);
  const d = all.slice(warmup).sort((a, b) => a - b);
  // Where the slowest ones fell (early ones would point at the engine
  // still compiling, scattered ones at the machine).
  const slow = all.slice(warmup).map((v, i) => [v, i + 1]).sort((a, b) => b[0] - a[0]).slice(0, 4);
  console.error(`[bench] slowest offline decisions (ms @ scan no.): ${slow.map(([v, i]) => `${v.toFixed(2)} @ ${i}`).join(', ')}`);
  const mean = d.reduce((s, x) => s + x, 0) / d.length;
  const seen = [...verdicts].map(([k, n]) => `${k}:${n}`).join(', ');
  // The first scan admits, every later one is refused as already checked
  // in: both run the whole decision (fingerprint and door rules).
  figure('wasm_verify_p50_ms', pct(d, 50).toFixed(2));
  figure('wasm_verify_p99_ms', pct(d, 99).toFixed(2));
  const ok = verdicts.get('admitted') === 1 && verdicts.get('already_checked_in') === 3 * (scans + warmup) - 1
    && verdicts.get('bad_signature') === scans + warmup && errors.length === 0;
  console.log(
    `| 3 scan | pass verification in the browser (wasm, release bundle): the scan station offline decides a real issued pass against its bundle (the pass is listed: its fingerprint, SHA-256, + door rules; an unlisted code gets the Ed25519 check), ${d.length} scans after ${warmup} warm-up, typed by Playwright `
      + `| p50 **${pct(d, 50).toFixed(2)} ms**, p99 **${pct(d, 99).toFixed(2)} ms**, mean ${mean.toFixed(3)} ms, max ${d[d.length - 1].toFixed(2)} ms (Chromium's timer: 0.1 ms steps); `
      + `submitted by a loop in the page: back to back p50 ${pct(insideTimes, 50).toFixed(2)} ms, p99 ${pct(insideTimes, 99).toFixed(2)} ms; `
      + `${scanGapMs} ms apart p50 ${pct(idleTimes, 50).toFixed(2)} ms, p99 ${pct(idleTimes, 99).toFixed(2)} ms; `
      + `an unlisted (altered) code, Ed25519 check, back to back p50 ${pct(signedTimes, 50).toFixed(2)} ms, p99 ${pct(signedTimes, 99).toFixed(2)} ms `
      + `| – | ${ok ? 'OK' : '**FAILED**'}: verdicts ${seen}${errors.length ? `; page errors: ${errors.join('; ')}` : ''} |`,
  );
  return ok;
}

let ok = true;
try {
  ok = (await bytesRow('the booking page', 'booking_page', `/spaces/${studio}`, null)) && ok;
  ok = (await bytesRow('the scan page', 'scan_page', '/desk/scan', process.env.DESK)) && ok;
  ok = (await verifyRow()) && ok;
} finally {
  await browser.close();
}
process.exit(ok ? 0 : 1);
