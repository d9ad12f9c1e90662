// Without JavaScript (an old phone, a script that has not loaded yet) every
// form still works: it posts, the page comes back, and the member sees the
// same result as with the script — the booking confirmed, the error
// explained.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, PASSWORD } from './support.mjs';

let server;
let browser;

before(async () => {
  server = await startServer({ port: 3120 });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** Submit a form by clicking `selector` and wait for the page that comes back. */
async function submit(page, selector) {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click(selector)]);
}

test('a visitor without JavaScript signs in, books, sees the pass and cancels', async () => {
  const context = await browser.newContext({ locale: 'en-US', javaScriptEnabled: false });
  const page = await context.newPage();
  const base = server.baseURL;

  // A wrong password is explained on the page it came from.
  await page.goto(base + '/login');
  await page.fill('input[name="login"]', 'visitor@demo.ortalyq.kz');
  await page.fill('input[name="password"]', 'not-her-password');
  await submit(page, '[data-testid="login-form"] button[type="submit"]');
  const refusal = page.locator('[role="alert"][data-code="invalid_credentials"]');
  assert.equal(await refusal.count(), 1, 'the sign-in error is shown');

  await page.fill('input[name="login"]', 'visitor@demo.ortalyq.kz');
  await page.fill('input[name="password"]', PASSWORD);
  await submit(page, '[data-testid="login-form"] button[type="submit"]');
  assert.equal(await page.locator('[data-testid="who"]').count(), 1, 'signed in');

  // The regional center's podcast studio: book a free hour.
  await page.goto(base + '/');
  await Promise.all([page.waitForNavigation(), page.click('[data-testid="centers"] li:first-child a')]);
  await Promise.all([page.waitForNavigation(), page.click('[data-testid="spaces"] a:has-text("Подкаст")')]);
  const free = page.locator('[data-testid="slot"]:not([disabled])');
  assert.match(await free.first().innerText(), /11:00–12:00/);
  // The last free hour of the week: still far enough ahead to cancel online.
  const slot = free.last();
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), slot.click()]);
  const booked = page.locator('[data-testid="booked"]');
  assert.equal(await booked.count(), 1, 'the confirmation is shown without JavaScript');
  assert.match(await booked.innerText(), /Забронировано!/, 'in her language (Russian)');
  assert.ok(
    (await page.locator('[data-testid="slot"].full').count()) >= 1,
    'the booked hour is shown as taken',
  );

  // The confirmation is shown once: a reload shows the page as it is.
  await page.reload();
  assert.equal(await page.locator('[data-testid="booked"]').count(), 0);

  // My bookings: the QR pass is there; cancelling says so.
  await page.goto(base + '/my');
  assert.equal(await page.locator('[data-testid="booking"]').count(), 1);
  assert.equal(await page.locator('.qr-img svg').count(), 1);
  // Buttons that need script are not shown as dead buttons.
  assert.equal(await page.locator('[data-testid="qr-full"]').isVisible(), false);
  await submit(page, '[data-testid="cancel-booking"]');
  assert.equal(await page.locator('[data-testid="cancelled"]').count(), 1);
  assert.equal(await page.locator('[data-testid="booking"][data-status="confirmed"]').count(), 0);
  await context.close();
});

test('another browser never sees a result it did not post', async () => {
  // The result is kept on the server under a random id for the browser that
  // posted; a different browser (no cookie) or a guessed id gets nothing.
  const context = await browser.newContext({ locale: 'en-US', javaScriptEnabled: false });
  await context.addCookies([{ name: 'oq_flash', value: 'ffffffffffffffffffffffffffffffffffff', url: server.baseURL }]);
  const page = await context.newPage();
  await page.goto(server.baseURL + '/login');
  assert.equal(await page.locator('.alert.ok').count(), 0);
  await context.close();
});
