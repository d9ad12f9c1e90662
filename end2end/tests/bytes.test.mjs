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

test('the booking page loads one small bundle without zones, catalogs or desk code', async () => {
  const context = await browser.newContext({ locale: 'kk-KZ' });
  const { page, list, kib } = await firstVisit(context, '/spaces/4');
  const wasm = wasmOf(list);
  assert.equal(wasm.length, 1, `one bundle, no desk chunk: ${wasm.join(', ')}`);
  // The bundle itself: no time-zone database, no translation catalog, no
  // QR decoder.
  const bytes = Buffer.from(await (await fetch(server.baseURL + wasm[0])).arrayBuffer());
  for (const needle of ['Asia/Almaty', 'America/New_York', 'рұқсатнаманы сканерлеу', 'сканирование пропуска']) {
    assert.ok(!bytes.includes(needle), `${needle} is not in the visitor bundle`);
  }
  if (release) assert.ok(kib <= 150, `first visit ${kib.toFixed(1)} KiB ≤ 150 KiB`);
  else console.log(`# booking page first visit (debug build): ${kib.toFixed(1)} KiB`);
  // The island still works: another length re-marks the starts at once.
  const lengths = await page.locator('[data-testid="length"] option').count();
  if (lengths > 1) {
    const before = await page.locator('[data-testid="slot"]:not([disabled])').count();
    await page.selectOption('[data-testid="length"]', { index: lengths - 1 });
    const afterCount = await page.locator('[data-testid="slot"]:not([disabled])').count();
    assert.ok(afterCount < before, `longer bookings fit fewer starts (${before} → ${afterCount})`);
  }
  await context.close();
});

test('the scan station brings its own code and still decides offline', async () => {
  const context = await browser.newContext({ locale: 'en-US' });
  const page = await context.newPage();
  await login(page, server.baseURL, 'desk@demo.ortalyq.kz');
  await page.close();
  const { page: scan, list } = await firstVisit(context, '/desk/scan');
  await scan.waitForSelector('[data-testid="offline-ready"]');
  const wasm = wasmOf(list);
  assert.ok(wasm.length >= 1, 'the station loads its code');
  // Cut off, a typed unknown code is still decided here.
  await context.setOffline(true);
  await scan.fill('[data-testid="scan-input"]', 'OQ1-NOTAPASS');
  await scan.press('[data-testid="scan-input"]', 'Enter');
  await scan.waitForSelector('[data-testid="verdict"][data-offline="true"]');
  await context.close();
});
