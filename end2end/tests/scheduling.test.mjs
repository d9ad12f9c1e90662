// Scheduling flows as members and staff live them: a weekly series that
// skips a holiday, a lecture-hall request the desk approves (and one it
// denies with a reason), and a director changing a space's rules.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, open, login, logout } from './support.mjs';

let server;
let browser;

before(async () => {
  server = await startServer({ port: 3104 });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

function watchErrors(page) {
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => m.type() === 'error' && !/status of (403|409|422)/.test(m.text()) && errors.push(m.text()));
  return errors;
}

test('weekly series books Wednesdays and reports the Independence Day it skipped', async () => {
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  const errors = watchErrors(page);
  const base = server.baseURL;
  await login(page, base, 'visitor@demo.ortalyq.kz');
  await open(page, base + '/lang/en?back=/spaces/4');
  await page.waitForSelector('body[data-hydrated="true"]');
  // Photo studio: choose 2 hours, three weeks in a row, Wednesday 2 December 16:00.
  await page.selectOption('[data-testid="length"]', '120');
  await page.fill('[data-testid="weeks"]', '3');
  await page.fill('[data-testid="purpose"]', 'Portraits for the volunteers\u2019 exhibition');
  const wednesday = page.locator('section.day[data-date="2026-12-02"]');
  await wednesday.locator('[data-testid="slot"]:has-text("16:00–")').click();
  const done = page.locator('[data-testid="booked"][data-series="true"]');
  await done.waitFor();
  assert.match(await done.innerText(), /Dates booked: 2 of 3\./);
  const skipped = await page.locator('[data-testid="skipped"] li').allInnerTexts();
  assert.equal(skipped.length, 1);
  assert.match(skipped[0], /16\.12/);
  // 16 December is a public holiday: the center is closed.
  assert.match(skipped[0], /does not offer that time/);
  // The two-hour bookings are in My bookings with their passes.
  await open(page, base + '/my');
  const cards = page.locator('[data-testid="booking"]');
  assert.equal(await cards.count(), 2);
  assert.match(await cards.nth(0).innerText(), /02\.12.*16:00–18:00/s);
  assert.match(await cards.nth(1).innerText(), /09\.12.*16:00–18:00/s);
  assert.equal(await page.locator('[data-testid="booking"] .qr-img svg').count(), 2);
  // Cancel both (members hold at most three upcoming bookings; the next
  // test needs two).
  for (let n = 2; n > 0; n--) {
    await page.locator('[data-testid="cancel-booking"]').first().click();
    await page.waitForFunction((left) => document.querySelectorAll('[data-testid="booking"]').length === left, n - 1);
  }
  assert.deepEqual(errors, []);
  await context.close();
});

test('lecture hall: the request waits, the desk approves one and denies another', async () => {
  const context = await browser.newContext({ locale: 'en-US' });
  const page = await context.newPage();
  const errors = watchErrors(page);
  const base = server.baseURL;

  // The hall needs approval, a purpose and a day's notice.
  await login(page, base, 'visitor@demo.ortalyq.kz');
  await open(page, base + '/spaces/6');
  assert.match(await page.textContent('[data-testid="space-rules"]'), /approve/i);
  const thursday = page.locator('section.day[data-date="2026-12-03"]');
  await page.fill('input[name="party_size"]', '40');
  await page.fill('[data-testid="purpose"]', 'Open debate: youth and the akimat');
  await thursday.locator('[data-testid="slot"]:has-text("15:00–")').click();
  await page.waitForSelector('[data-testid="booked"][data-pending="true"]');
  // The time is held: shown as taken.
  await page.waitForSelector('section.day[data-date="2026-12-03"] [data-testid="slot"]:has-text("15:00–")[disabled]');
  // A second request, for Friday.
  await page.fill('input[name="party_size"]', '12');
  await page.fill('[data-testid="purpose"]', 'Stand-up rehearsal');
  await page.locator('section.day[data-date="2026-12-04"] [data-testid="slot"]:has-text("18:00–")').click();
  // The first request's notice is still shown: wait for this one's slot to
  // be held instead.
  await page.waitForSelector('section.day[data-date="2026-12-04"] [data-testid="slot"]:has-text("18:00–")[disabled]');
  await open(page, base + '/my');
  assert.equal(await page.locator('[data-testid="booking"][data-status="pending"]').count(), 2);
  assert.equal(await page.locator('.qr-img svg').count(), 0);
  await logout(page);

  // The desk's queue: approve the debate, deny the rehearsal with a reason.
  await login(page, base, 'desk@demo.ortalyq.kz');
  await open(page, base + '/desk/requests');
  const requests = page.locator('[data-testid="requests"] > li');
  assert.equal(await requests.count(), 2);
  const debate = requests.filter({ hasText: 'Open debate' });
  await debate.locator('[data-testid="approve"]').click();
  await page.waitForSelector('[data-testid="decided"]');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="requests"] > li').length === 1);
  const rehearsal = page.locator('[data-testid="requests"] > li').filter({ hasText: 'Stand-up' });
  await rehearsal.locator('[data-testid="deny-reason"]').fill('The hall is being painted that evening');
  await rehearsal.locator('[data-testid="deny"]').click();
  await page.waitForSelector('[data-testid="no-requests"]');
  await logout(page);

  // The member sees the pass for the approved one and the reason for the other.
  await login(page, base, 'visitor@demo.ortalyq.kz');
  await open(page, base + '/my');
  const approved = page.locator('[data-testid="booking"][data-status="confirmed"]');
  assert.equal(await approved.count(), 1);
  assert.ok(await approved.locator('.qr-img svg').isVisible());
  const denied = page.locator('[data-testid="booking"][data-status="denied"]');
  assert.match(await denied.locator('[data-testid="decision-reason"]').innerText(), /being painted/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a director changes a space rule and the center hours, and members see both', async () => {
  const context = await browser.newContext({ locale: 'en-US' });
  const page = await context.newPage();
  const errors = watchErrors(page);
  const base = server.baseURL;
  await login(page, base, 'director@demo.ortalyq.kz');
  await open(page, base + '/director/spaces');
  // The podcast studio: bookings up to 3 hours instead of 2.
  await page.locator('[data-testid="managed-spaces"]').first().locator('li', { hasText: /Podcast|Подкаст/ }).locator('[data-testid="edit-rules"]').click();
  await page.waitForSelector('[data-testid="rules-form"]');
  await page.waitForSelector('body[data-hydrated="true"]');
  // Longest below shortest is refused with the field marked.
  await page.fill('#rule-max_minutes', '30');
  await page.click('[data-testid="save-rules"]');
  await page.waitForSelector('#rule-max_minutes[aria-invalid="true"]');
  await page.fill('#rule-max_minutes', '180');
  await page.click('[data-testid="save-rules"]');
  await page.waitForSelector('[data-testid="rules-saved"]');
  // The center's hours: closed on Sundays from now on.
  await open(page, base + '/director/spaces');
  await page.locator('[data-testid="edit-center"]').first().click();
  await page.waitForSelector('[data-testid="center-form"]');
  await page.waitForSelector('body[data-hydrated="true"]');
  await page.fill('[data-testid="sun-opens"]', '');
  await page.fill('[data-testid="sun-closes"]', '');
  await page.click('[data-testid="save-center"]');
  await page.waitForSelector('[data-testid="settings-saved"]');
  await logout(page);

  await login(page, base, 'visitor@demo.ortalyq.kz');
  await open(page, base + '/spaces/2');
  const lengths = await page.locator('[data-testid="length"] option').evaluateAll((os) => os.map((o) => o.value));
  assert.deepEqual(lengths, ['60', '120', '180']);
  const sunday = page.locator('section.day[data-date="2026-12-06"]');
  assert.equal(await sunday.locator('[data-testid="slot"]').count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});
