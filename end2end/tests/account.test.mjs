// Accounts: the membership card, changing a password, a desk-issued reset
// code, and a guardian confirming consent with the code from a text message.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, launchBrowser, open, login, logout, waitForSms } from './support.mjs';

let server;
let browser;

before(async () => {
  server = await startServer({ port: 3103 });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('card, password change and desk reset', async () => {
  const context = await browser.newContext({ locale: 'en-US' });
  const page = await context.newPage();
  const base = server.baseURL;

  await login(page, base, 'visitor@demo.ortalyq.kz');
  await open(page, base + '/account');
  await page.waitForSelector('[data-testid="member-card"] .qr-img svg');
  assert.match(await page.textContent('[data-testid="member-number"]'), /^\d{6}$/);
  assert.match((await page.textContent('[data-testid="card-code"]')).trim(), /^OQ[A-Z2-7]+$/);

  await page.fill('#current_password', 'ortalyq-demo');
  await page.fill('#new_password', 'dombra-and-kuy');
  await page.click('[data-testid="change-password"] button[type="submit"]');
  await page.waitForSelector('[data-testid="password-changed"]');
  await logout(page);
  await login(page, base, 'visitor@demo.ortalyq.kz', 'dombra-and-kuy');
  await logout(page);

  // Forgotten again: the desk checks her identity and issues a code.
  await login(page, base, 'desk@demo.ortalyq.kz');
  await open(page, base + '/desk/members?q=' + encodeURIComponent('Аружан'));
  await page.click('[data-testid="issue-reset"]');
  const code = (await page.locator('[data-testid="reset-code"]').textContent()).trim();
  assert.match(code, /^\d{8}$/);
  await logout(page);

  await open(page, base + '/reset');
  await page.fill('#reset-login', '+7 701 000 00 01');
  await page.fill('#reset-code', code);
  await page.fill('#reset-new', 'new-start-2026');
  await page.click('[data-testid="reset-form"] button[type="submit"]');
  await page.waitForSelector('[data-testid="reset-done"]');
  await login(page, base, 'visitor@demo.ortalyq.kz', 'new-start-2026');
  await context.close();
});

test('guardian confirms consent with the code from the text message', async () => {
  const context = await browser.newContext({ locale: 'en-US' });
  const page = await context.newPage();
  const base = server.baseURL;

  // The demo minor (15) asks for a code to be sent to her guardian.
  await login(page, base, 'minor@demo.ortalyq.kz');
  await page.waitForSelector('[data-testid="consent-banner"]');
  await open(page, base + '/account');
  await page.click('[data-testid="send-guardian-code"]');
  await page.waitForSelector('[data-testid="guardian-code-sent"]');
  const sms = await waitForSms(path.join(server.dataDir, 'outbox'), '77010000015');
  assert.equal(sms.length, 1);
  const code = sms[0].match(/\b(\d{6})\b/)[1];
  await logout(page);

  // The guardian confirms on the consent page.
  await open(page, base + '/consent');
  await page.fill('#child_login', 'minor@demo.ortalyq.kz');
  await page.fill('#consent_code', code);
  await page.click('[data-testid="consent-form"] button[type="submit"]');
  await page.waitForSelector('[data-testid="consent-confirmed"]');

  await login(page, base, 'minor@demo.ortalyq.kz');
  assert.equal(await page.locator('[data-testid="consent-banner"]').count(), 0);
  await context.close();
});

test('moving a booking, then cancelling it, frees the slot again', async () => {
  const context = await browser.newContext({ locale: 'en-US' });
  const page = await context.newPage();
  const base = server.baseURL;
  // The minor's guardian consented in the previous test, so she can book.
  // Space 4 is the regional photo studio.
  await login(page, base, 'minor@demo.ortalyq.kz');
  await open(page, base + '/spaces/4');
  const tomorrow = page.locator('section.day').nth(1);
  const slot = tomorrow.locator('[data-testid="slot"]:not([disabled])').first();
  const value = await slot.getAttribute('value');
  await slot.click();
  await page.waitForSelector('[data-testid="booked"]');
  await page.waitForSelector(`[data-testid="slot"][value="${value}"][disabled]`);

  // Move it to the last free start of that day.
  await open(page, base + '/my');
  const before = await page.textContent('[data-testid="booking"] h2 + p');
  await Promise.all([page.waitForURL('**/spaces/4?move=*'), page.click('[data-testid="move-booking"]')]);
  await page.waitForSelector('body[data-hydrated="true"]');
  await page.waitForSelector('[data-testid="move-form"]');
  const target = page.locator('section.day').nth(1).locator('[data-testid="slot"]:not([disabled])').last();
  const newValue = await target.getAttribute('value');
  assert.notEqual(newValue, value);
  await target.click();
  await page.waitForSelector('[data-testid="moved"]');
  // The old start is free again, the new one taken.
  await page.waitForSelector(`[data-testid="slot"][value="${value}"]:not([disabled])`);
  await page.waitForSelector(`[data-testid="slot"][value="${newValue}"][disabled]`);
  await open(page, base + '/my');
  assert.notEqual(await page.textContent('[data-testid="booking"] h2 + p'), before);

  await page.click('[data-testid="cancel-booking"]');
  await page.waitForSelector('[data-testid="cancelled"]');
  assert.equal(await page.locator('[data-testid="booking"]').count(), 0);

  await open(page, base + '/spaces/4');
  assert.equal(await page.locator(`[data-testid="slot"][value="${newValue}"]`).isDisabled(), false);
  await context.close();
});
