// The scan station without a network: it keeps deciding from the bundle it
// downloaded, queues the admission, refuses a second scan of the same pass,
// and uploads when the network is back.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, open, login, logout } from './support.mjs';

let server;
let browser;

before(async () => {
  server = await startServer({ port: 3107 });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('scanning with the network cut, then syncing', async () => {
  const base = server.baseURL;
  const context = await browser.newContext({ locale: 'en-US' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));

  await login(page, base, 'visitor@demo.ortalyq.kz');
  await open(page, base + '/spaces/1');
  await page.locator('[data-testid="slot"]:not([disabled])').first().click();
  await page.waitForSelector('[data-testid="booked"]');
  await open(page, base + '/my');
  const code = (await page.textContent('[data-testid="pass-code"]')).trim();
  await logout(page);

  await login(page, base, 'desk@demo.ortalyq.kz');
  await page.waitForURL('**/desk/scan');
  await page.waitForSelector('body[data-hydrated="true"]');
  await open(page, base + '/lang/en?back=/desk/scan');
  await page.waitForSelector('[data-testid="offline-ready"]');

  // The network goes down.
  await context.setOffline(true);
  await page.fill('[data-testid="scan-input"]', code);
  await page.press('[data-testid="scan-input"]', 'Enter');
  const verdict = page.locator('[data-testid="verdict"][data-offline="true"]');
  await verdict.waitFor();
  assert.equal(await verdict.getAttribute('data-code'), 'admitted');
  assert.match(await verdict.innerText(), /Аружан С\./);
  assert.match(await page.textContent('[data-testid="offline-queue"]'), /: 1$/);
  // The decision was timed in the browser's performance timeline (make
  // bench reads it), keeping only the latest one.
  const measures = () => page.evaluate(() => performance.getEntriesByName('ortalyq-offline-decide').map((e) => e.duration));
  const [first] = await measures();
  assert.ok(first >= 0, 'the offline decision is measured');
  // The same pass again, still offline: refused.
  await page.fill('[data-testid="scan-input"]', code);
  await page.press('[data-testid="scan-input"]', 'Enter');
  await page.waitForSelector('[data-testid="verdict"][data-offline="true"][data-code="already_checked_in"]');
  assert.match(await page.textContent('[data-testid="offline-queue"]'), /: 1$/);
  assert.equal((await measures()).length, 1, 'only the latest decision stays in the timeline');

  // Back online: the queue is uploaded and the admission is on the server.
  await context.setOffline(false);
  await page.waitForSelector('[data-testid="sync-report"]');
  assert.equal((await page.textContent('[data-testid="sync-applied"]')).trim(), '1');
  assert.equal(await page.locator('[data-testid="offline-queue"]').count(), 0);
  await open(page, base + '/desk/today');
  assert.equal((await page.textContent('[data-testid="inside-total"]')).trim(), '1');
  assert.deepEqual(errors, []);
  await context.close();
});
