// A visitor's first visit stays light: the booking page loads one small
// bundle with only its islands, and the scan station's heavy code (camera,
// QR decoder, signature check, catalogs) comes only with the scan page.
// Bytes are counted from Chromium's network events, as `make bench` does.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, login } from './support.mjs';

let server;
let browser;
before(async () => {
  server = await startServer({ port: 3111 });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

/** Every response of a first visit to `path`, with its bytes on the wire. */
async function firstVisit(context, path) {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  const reqs = new Map();
  const get = (id) => reqs.get(id) || reqs.set(id, { wire: 0 }).get(id);
  cdp.on('Network.requestWillBeSent', (e) => (get(e.requestId).url = e.request.url));
  cdp.on('Network.loadingFinished', (e) => (get(e.requestId).wire = e.encodedDataLength));
  await page.goto(server.baseURL + path);
  await page.waitForSelector('body[data-hydrated="true"]');
  await page.waitForLoadState('networkidle');
  await cdp.detach();
  const list = [...reqs.values()].filter((r) => r.url && !r.url.startsWith('data:'));
  return { page, list, kib: list.reduce((s, r) => s + r.wire, 0) / 1024 };
}

const wasmOf = (list) => list.filter((r) => r.url.endsWith('.wasm')).map((r) => new URL(r.url).pathname);
// Release builds are size-optimised; a debug bundle is several times larger
// (`make bench` measures the release one against the same limit).
const release = process.env.E2E_RELEASE === '1';

test('a visitor\'s booking page loads no WebAssembly and stays under 60 KiB', async () => {
  const context = await browser.newContext({ locale: 'kk-KZ' });
  const { page, list, kib } = await firstVisit(context, '/spaces/4');
  assert.deepEqual(wasmOf(list), [], 'no bundle on a page without islands');
  assert.ok(kib <= 60, `first visit ${kib.toFixed(1)} KiB ≤ 60 KiB (target 150)`);
  // The length picker still re-marks the starts at once.
  const lengths = await page.locator('[data-testid="length"] option').count();
  assert.ok(lengths > 1, 'the studio offers several lengths');
  const before = await page.locator('[data-testid="slot"]:not([disabled])').count();
  await page.selectOption('[data-testid="length"]', { index: lengths - 1 });
  const longer = await page.locator('[data-testid="slot"]:not([disabled])').count();
  assert.ok(longer < before, `longer bookings fit fewer starts (${before} → ${longer})`);
  await page.selectOption('[data-testid="length"]', { index: 0 });
  assert.equal(await page.locator('[data-testid="slot"]:not([disabled])').count(), before);
  await context.close();
});

test('a page with a small island loads the main bundle only, without zones or desk code', async () => {
  const context = await browser.newContext({ locale: 'kk-KZ' });
  const page = await context.newPage();
  await login(page, server.baseURL, 'visitor@demo.ortalyq.kz');
  await page.close();
  const { page: card, list } = await firstVisit(context, '/account');
  const wasm = wasmOf(list);
  assert.equal(wasm.length, 1, `the main bundle and no desk chunk: ${wasm.join(', ')}`);
  const bytes = Buffer.from(await (await fetch(server.baseURL + wasm[0])).arrayBuffer());
  // No time-zone database: the offline station gets its offset from the
  // server.
  for (const needle of ['America/New_York', 'Europe/Moscow']) {
    assert.ok(!bytes.includes(needle), `${needle} is not in the main bundle`);
  }
  // The island woke: its print button shows.
  assert.ok(await card.locator('button.needs-js').first().isVisible(), 'the print button is live');
  await context.close();
});

test('the scan station brings its own code and still decides offline', async () => {
  const context = await browser.newContext({ locale: 'en-US' });
  const page = await context.newPage();
  await login(page, server.baseURL, 'desk@demo.ortalyq.kz');
  await page.close();
  const { page: scan, list, kib } = await firstVisit(context, '/desk/scan');
  await scan.waitForSelector('[data-testid="offline-ready"]');
  const wasm = wasmOf(list);
  assert.ok(wasm.some((w) => w.includes('scan_station')), `the station's chunk loads: ${wasm.join(', ')}`);
  assert.ok(!wasm.some((w) => w.includes('lending_desk')), 'not the lending desk\'s');
  if (release) assert.ok(kib <= 600, `first visit ${kib.toFixed(1)} KiB ≤ 600 KiB`);
  // Cut off, a typed code is still decided here.
  await context.setOffline(true);
  await scan.fill('[data-testid="scan-input"]', 'OQ1-NOTAPASS');
  await scan.press('[data-testid="scan-input"]', 'Enter');
  await scan.waitForSelector('[data-testid="verdict"][data-offline="true"]');
  await context.close();
});
