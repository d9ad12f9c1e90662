// The walking skeleton's slice, as the three kinds of users live it:
// log in → book → pass shown → scan accepted → same pass rejected → director sees 1 check-in.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, open, login, logout } from './support.mjs';

let server;
let browser;

before(async () => {
  server = await startServer({ databaseUrl: process.env.E2E_DATABASE_URL });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('visitor books, desk admits once, director sees the check-in', async () => {
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  // Refusals below are on purpose (409 slot full, 403 staff page for a
  // visitor) and the browser logs them; anything else in the console is a bug.
  page.on('console', (m) => m.type() === 'error' && !/status of (403|409)/.test(m.text()) && errors.push(m.text()));
  const base = server.baseURL;

  // Visitor: log in (her interface language is Russian), open the regional
  // center, the podcast studio, and book the first free slot.
  await login(page, base, 'visitor@demo.ortalyq.kz');
  assert.equal(await page.getAttribute('html', 'lang'), 'ru');
  await open(page, base + '/');
  await page.click('[data-testid="centers"] li:first-child a');
  await page.waitForSelector('[data-testid="spaces"]');
  await page.click('[data-testid="spaces"] a:has-text("Подкаст")');
  await page.waitForSelector('[data-testid="slot"]');
  const firstSlot = page.locator('[data-testid="slot"]:not([disabled])').first();
  assert.match(await firstSlot.innerText(), /11:00–12:00/);
  await firstSlot.click();
  await page.waitForSelector('[data-testid="booked"]');
  // The slot is now shown as taken.
  await page.waitForSelector('[data-testid="slot"].full');

  // Booking the same single-capacity slot again is refused with a clear message.
  const taken = await page.evaluate(async () => {
    const btn = document.querySelector('[data-testid="slot"].full');
    const form = btn.closest('form');
    const body = new URLSearchParams(new FormData(form));
    body.set('starts_at', btn.value);
    const r = await fetch('/api/book', { method: 'POST', body, headers: { Accept: 'application/json' } });
    return `${r.status} ${await r.text()}`;
  });
  assert.match(taken, /^409 .*"code":"slot_full"/);

  // My bookings: the QR pass.
  await page.click('[data-testid="booked"] a');
  await page.waitForSelector('[data-testid="booking"]');
  assert.equal(await page.locator('[data-testid="booking"]').count(), 1);
  assert.ok(await page.locator('.qr-img svg').isVisible());
  const code = (await page.textContent('[data-testid="pass-code"]')).trim();
  assert.match(code, /^OQ[A-Z2-7]+$/);
  await logout(page);

  // Front desk: scan the pass (a USB scanner types the code and Enter).
  await login(page, base, 'desk@demo.ortalyq.kz');
  await page.waitForURL('**/desk/scan');
  await page.waitForSelector('body[data-hydrated="true"]');
  await page.fill('[data-testid="scan-input"]', code);
  await page.press('[data-testid="scan-input"]', 'Enter');
  const first = page.locator('[data-testid="verdict"]');
  await first.waitFor();
  assert.equal(await first.getAttribute('data-code'), 'admitted');
  assert.match(await first.innerText(), /Аружан С\./);
  // The field is emptied and focused for the next person.
  assert.equal(await page.inputValue('[data-testid="scan-input"]'), '');

  await page.keyboard.type(code);
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-testid="verdict"][data-code="already_checked_in"]');
  assert.match(await page.textContent('[data-testid="verdict-reason"]'), /10:50/);

  // A forged code is refused as such.
  const forged = code.slice(0, 20) + (code[20] === 'A' ? 'B' : 'A') + code.slice(21);
  await page.fill('[data-testid="scan-input"]', forged);
  await page.press('[data-testid="scan-input"]', 'Enter');
  await page.waitForSelector('[data-testid="verdict"][data-code="bad_signature"]');
  await logout(page);

  // Director: today's occupancy shows the booking and the one check-in.
  await login(page, base, 'director@demo.ortalyq.kz');
  await page.waitForURL('**/director/occupancy');
  await page.waitForSelector('[data-testid="occupancy"]');
  assert.equal((await page.textContent('[data-testid="total-check-ins"]')).trim(), '1');
  assert.equal((await page.textContent('[data-testid="total-bookings"]')).trim(), '1');

  // A visitor calling a staff function gets a clean refusal.
  await logout(page);
  await login(page, base, 'visitor@demo.ortalyq.kz');
  await open(page, base + '/director/occupancy');
  assert.equal(await page.getAttribute('[role="alert"]', 'data-code'), 'forbidden');

  assert.deepEqual(errors, [], 'no errors in the browser console');
  await context.close();
});

test('a returning visitor does not download the app again', async () => {
  const context = await browser.newContext({ locale: 'kk-KZ', viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  const bundle = () =>
    page.evaluate(() =>
      performance
        .getEntriesByType('resource')
        .filter((e) => /\/pkg\/[^/]+\.(wasm|js|css)$/.test(new URL(e.name).pathname))
        .map((e) => ({ path: new URL(e.name).pathname, bytes: e.transferSize })),
    );
  // A page without islands loads the stylesheet and no script at all.
  await open(page, server.baseURL + '/');
  const home = await bundle();
  assert.deepEqual(home.map((f) => f.path.split('.').pop()), ['css'], JSON.stringify(home));
  // The member card has an island (its print button): the bundle loads.
  await login(page, server.baseURL, 'visitor@demo.ortalyq.kz');
  await open(page, server.baseURL + '/account');
  const first = await bundle();
  // The build names its files by content (cargo-leptos hash-files) …
  const kinds = new Set(first.map((f) => f.path.split('.').pop()));
  assert.deepEqual([...kinds].sort(), ['css', 'js', 'wasm'], JSON.stringify(first));
  for (const f of first) assert.match(f.path, /^\/pkg\/(ortalyq|__wasm_split)\.[A-Za-z0-9_-]{10,}\.(wasm|js|css)$/);
  assert.ok(first.some((f) => f.bytes > 0), 'the first visit downloads the bundle');
  await open(page, server.baseURL + '/account');
  const again = await bundle();
  assert.equal(again.length, first.length, JSON.stringify(again));
  assert.deepEqual(
    again.filter((f) => f.bytes !== 0),
    [],
    'every build file came from the browser cache',
  );
  await context.close();
});
