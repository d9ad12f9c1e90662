// A 15-year-old registers in the Kazakh interface, confirms her phone with
// the texted code, cannot book until the
// desk records the guardian's signed consent, then books.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, launchBrowser, open, login, logout, waitForSms } from './support.mjs';

let server;
let browser;

before(async () => {
  server = await startServer({ port: 3101, databaseUrl: process.env.E2E_DATABASE_URL_MEMBERS });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('minor registers, is blocked, desk records consent, minor books', async () => {
  const context = await browser.newContext({ locale: 'ru-RU', viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  // The refusals below answer 422 (form) and 403 (consent) on purpose;
  // anything else in the console is a bug.
  page.on('console', (m) => m.type() === 'error' && !/status of (403|422)/.test(m.text()) && errors.push(m.text()));
  const base = server.baseURL;

  // Switch to Kazakh with the header's form (works before hydration), then register.
  await page.goto(base + '/register');
  await page.click('nav.langs button[lang="kk"]');
  await page.waitForURL('**/register');
  await page.waitForSelector('body[data-hydrated="true"]');
  assert.equal(await page.getAttribute('html', 'lang'), 'kk');
  assert.match(await page.textContent('h1'), /Қатысушы болу/);

  const form = '[data-testid="register-form"]';
  await page.fill(`${form} [name="form[full_name]"]`, 'Айгерім Ахметова');
  await page.fill(`${form} [name="form[birth_date]"]`, '2011-06-15');
  await page.fill(`${form} [name="form[phone]"]`, '+7 701 222 33 44');
  await page.fill(`${form} [name="form[password]"]`, 'kuy-dombra-2026');
  await page.selectOption(`${form} [name="form[occupation]"]`, 'pupil');
  // Without the guardian the form is refused, and the message sits at the field.
  await page.click(`${form} button[type="submit"]`);
  await page.waitForSelector('#err-guardian_name:not(:empty)');
  assert.equal(await page.getAttribute('#guardian_name', 'aria-invalid'), 'true');
  // The refused form comes back filled in, except the password.
  assert.equal(await page.inputValue(`${form} [name="form[full_name]"]`), 'Айгерім Ахметова');
  assert.equal(await page.inputValue(`${form} [name="form[occupation]"]`), 'pupil');
  assert.equal(await page.inputValue(`${form} [name="form[password]"]`), '');
  await page.fill(`${form} [name="form[password]"]`, 'kuy-dombra-2026');
  await page.fill(`${form} [name="form[guardian_name]"]`, 'Гүлмира Ахметова');
  await page.fill(`${form} [name="form[guardian_phone]"]`, '8 777 000 11 22');
  // The same answer as for a known number: enter the code sent to the phone.
  await Promise.all([page.waitForURL('**/verify?login=*'), page.click(`${form} button[type="submit"]`)]);
  await page.waitForSelector('body[data-hydrated="true"]');
  assert.equal(await page.inputValue('#verify-login'), '+77012223344');
  const sms = await waitForSms(path.join(server.dataDir, 'outbox'), '77012223344');
  assert.equal(sms.length, 1);
  const code = sms[0].match(/\b(\d{8})\b/)[1];
  await page.fill('#verify-code', code);
  await Promise.all([page.waitForURL(base + '/'), page.click('[data-testid="verify-form"] button[type="submit"]')]);
  await page.waitForSelector('[data-testid="consent-banner"]');
  await page.waitForSelector('body[data-hydrated="true"]');

  // Booking is refused with the consent reason.
  await page.click('[data-testid="centers"] li:first-child a');
  await page.waitForSelector('[data-testid="spaces"]');
  await page.click('[data-testid="spaces"] li:nth-child(2) a');
  await page.locator('[data-testid="slot"]:not([disabled])').first().click();
  await page.waitForSelector('[role="alert"][data-code="consent_required"]');
  await logout(page);

  // The desk finds her and records the paper consent.
  await login(page, base, 'desk@demo.ortalyq.kz');
  await open(page, base + '/desk/members?q=' + encodeURIComponent('Айгерім'));
  const row = page.locator('[data-testid="members"] tr[data-consent="awaiting"]');
  await row.waitFor();
  assert.match(await row.innerText(), /Айгерім А\./);
  assert.match(await row.innerText(), /14–17/);
  assert.doesNotMatch(await row.innerText(), /2011/);
  await row.locator('[data-testid="record-consent"]').click();
  await page.waitForSelector('[data-testid="members"] tr[data-consent="given"]');
  await logout(page);

  // She logs in with her phone written another way, and books.
  await login(page, base, '87012223344', 'kuy-dombra-2026');
  assert.equal(await page.locator('[data-testid="consent-banner"]').count(), 0);
  await open(page, base + '/');
  await page.click('[data-testid="centers"] li:first-child a');
  await page.waitForSelector('[data-testid="spaces"]');
  await page.click('[data-testid="spaces"] li:nth-child(2) a');
  await page.locator('[data-testid="slot"]:not([disabled])').first().click();
  await page.waitForSelector('[data-testid="booked"]');

  assert.deepEqual(errors, []);
  await context.close();
});
