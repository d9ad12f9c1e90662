// The front desk's day: the today board, a walk-in booked in two taps, an
// admission, undoing it, and the exit scan.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, open, login, logout } from './support.mjs';

let server;
let browser;

before(async () => {
  server = await startServer({ port: 3105 });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('desk: walk-in from the today board, admit, undo, admit again, exit', async () => {
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => m.type() === 'error' && !/status of (403|409|422)/.test(m.text()) && errors.push(m.text()));
  const base = server.baseURL;

  await login(page, base, 'desk@demo.ortalyq.kz');
  await open(page, base + '/lang/en?back=/desk/today');
  await page.waitForSelector('body[data-hydrated="true"]');
  assert.equal((await page.textContent('[data-testid="inside-total"]')).trim(), '0');
  // Tap 1: Walk-in at the coworking zone (space 1), next free start 11:00.
  const cowork = page.locator('section[data-space="1"]');
  assert.match(await cowork.locator('[data-testid="walk-in"]').innerText(), /11:00–12:00/);
  await Promise.all([page.waitForURL('**/desk/members?space=1*'), cowork.locator('[data-testid="walk-in"]').click()]);
  await page.waitForSelector('[data-testid="walk-in-banner"]');
  await page.waitForSelector('body[data-hydrated="true"]');
  // Tap 2: Book next to the member.
  await page.locator('tr', { hasText: 'Аружан' }).locator('[data-testid="walk-in-book"]').click();
  await page.waitForSelector('[data-testid="booked"]');

  // The board shows the booking as upcoming.
  await open(page, base + '/desk/today');
  const row = page.locator('section[data-space="1"] [data-testid="board-booking"]');
  assert.equal(await row.count(), 1);
  assert.equal(await row.getAttribute('data-status'), 'upcoming');
  assert.match(await row.innerText(), /11:00–12:00\s+Аружан С\./);

  // The member shows her pass (its code), the desk scans it: inside.
  await logout(page);
  await login(page, base, 'visitor@demo.ortalyq.kz');
  await open(page, base + '/my');
  const pass = (await page.textContent('[data-testid="pass-code"]')).trim();
  await logout(page);
  await login(page, base, 'desk@demo.ortalyq.kz');
  await page.waitForURL('**/desk/scan');
  await page.waitForSelector('body[data-hydrated="true"]');
  await page.fill('[data-testid="scan-input"]', pass);
  await page.press('[data-testid="scan-input"]', 'Enter');
  await page.waitForSelector('[data-testid="verdict"][data-code="admitted"]');

  await open(page, base + '/desk/today');
  assert.equal((await page.textContent('[data-testid="inside-total"]')).trim(), '1');
  assert.equal(await row.getAttribute('data-status'), 'inside');
  // Undo the admission (a mistake): nobody inside, the row is upcoming again.
  await row.locator('[data-testid="undo-check-in"]').click();
  await page.waitForSelector('[data-testid="undone"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="inside-total"]').textContent.trim() === '0');
  assert.equal(await row.getAttribute('data-status'), 'upcoming');

  // Admitted again, this time found by name (as when a code will not
  // scan), then the exit scan closes the visit.
  await open(page, base + '/desk/scan');
  await page.click('[data-testid="door-search"] summary');
  await page.fill('[data-testid="door-query"]', 'Аружан');
  await page.press('[data-testid="door-query"]', 'Enter');
  const match = page.locator('[data-testid="door-matches"] li', { hasText: 'Coworking zone' });
  await match.locator('[data-testid="door-admit"]').click();
  await page.waitForSelector('[data-testid="verdict"][data-code="admitted"]');
  await page.check('[data-testid="exit-mode"]');
  await page.fill('[data-testid="scan-input"]', pass);
  await page.press('[data-testid="scan-input"]', 'Enter');
  await page.waitForSelector('[data-testid="verdict"][data-code="checked_out"]');
  await open(page, base + '/desk/today');
  assert.equal(await row.getAttribute('data-status'), 'done');
  assert.equal((await page.textContent('[data-testid="inside-total"]')).trim(), '0');
  assert.deepEqual(errors, []);
  await context.close();
});
