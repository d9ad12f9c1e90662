// Clubs as people live them: a director opens a one-place club, a member
// joins and gets a pass, a minor without consent is refused, the next member
// lands on the waitlist and is promoted (and told) when the place frees up;
// the leader's roster lists the club's members.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, open, login, logout } from './support.mjs';

let server;
let browser;

before(async () => {
  server = await startServer({ port: 3108 });
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

test('join a full club, wait, get promoted when a place frees up', async () => {
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  const errors = watchErrors(page);
  const base = server.baseURL;

  // The director opens a stand-up workshop with one place, Thursdays 18:00.
  await login(page, base, 'director@demo.ortalyq.kz');
  await open(page, base + '/lang/en?back=/director/clubs/new');
  const form = page.locator('[data-testid="club-form"]');
  await form.waitFor();
  await page.fill('#name_kk', 'Стендап шеберханасы');
  await page.fill('#name_en', 'Stand-up workshop');
  await page.fill('#description_en', 'Write and try out five minutes of material.');
  await page.selectOption('[data-testid="space"]', { label: 'Design studio' });
  await page.selectOption('#direction', 'culture');
  await page.selectOption('#weekday', '3');
  await page.fill('#start_time', '18:00');
  await page.fill('#duration', '60');
  await page.fill('#term_start', '2026-12-03');
  await page.fill('#term_end', '2026-12-24');
  await page.fill('#capacity', '1');
  await page.click('[data-testid="create-club"]');
  const created = page.locator('[data-testid="club-created"] a');
  await created.waitFor();
  const clubPath = await created.getAttribute('href');
  const clubUrl = base + clubPath;
  await logout(page);

  // The first member joins and gets a club pass.
  await login(page, base, 'visitor@demo.ortalyq.kz');
  await open(page, `${base}/lang/en?back=${clubPath}`);
  assert.equal(await page.locator('[data-testid="club-name"]').innerText(), 'Stand-up workshop');
  await page.click('[data-testid="join-club"]');
  await page.locator('[data-testid="joined"]').waitFor();
  await page.locator('[data-testid="club-pass"] .qr-img svg').waitFor();
  assert.equal(await page.locator('[data-testid="standing"]').getAttribute('data-standing'), 'in');
  const sessions = await page.locator('[data-testid="session"]').allInnerTexts();
  assert.equal(sessions.length, 4);
  // Thursdays 3, 10, 17 and 24 December.
  assert.match(sessions[0], /Thu 03\.12, 18:00–19:00/);
  await logout(page);

  // A 15-year-old without a guardian's consent is refused, with the reason.
  await login(page, base, 'minor@demo.ortalyq.kz');
  await open(page, `${base}/lang/en?back=${clubPath}`);
  await page.click('[data-testid="join-club"]');
  const refusal = page.locator('.alert.error[data-code="consent_required"]');
  await refusal.waitFor();
  await logout(page);

  // The club is full: the next member lands first on the waitlist.
  await login(page, base, 'desk@demo.ortalyq.kz');
  await open(page, `${base}/lang/en?back=${clubPath}`);
  assert.match(await page.locator('[data-testid="join-club"]').innerText(), /waitlist/i);
  await page.click('[data-testid="join-club"]');
  await page.locator('[data-testid="waitlisted"]').waitFor();
  assert.match(await page.locator('[data-testid="waitlisted"]').innerText(), /waitlist: 1\b/);
  assert.equal(await page.locator('[data-testid="club-pass"]').count(), 0);
  await logout(page);

  // The first member leaves…
  await login(page, base, 'visitor@demo.ortalyq.kz');
  await open(page, `${base}/lang/en?back=${clubPath}`);
  await page.click('[data-testid="leave-club"]');
  await page.locator('[data-testid="left"]').waitFor();
  await page.locator('[data-testid="join-club"]').waitFor();
  await logout(page);

  // …and the waiting member is in, told in their notices, with a pass.
  await login(page, base, 'desk@demo.ortalyq.kz');
  await open(page, `${base}/lang/en?back=/notices`);
  const notice = page.locator('[data-testid="notice"]').first();
  assert.match(await notice.innerText(), /Stand-up workshop/);
  await Promise.all([page.waitForURL(clubUrl), notice.locator('a').click()]);
  await page.locator('[data-testid="club-pass"] .qr-img svg').waitFor();
  assert.equal(await page.locator('[data-testid="standing"]').getAttribute('data-standing'), 'in');
  await logout(page);

  // The director's roster lists the promoted member for the first session.
  await login(page, base, 'director@demo.ortalyq.kz');
  await open(page, `${base}/lang/en?back=${clubPath}/roster`);
  assert.match(await page.locator('[data-testid="session-label"]').innerText(), /Thu 03\.12/);
  const rows = await page.locator('[data-testid="roster-row"]').allInnerTexts();
  assert.equal(rows.length, 1);
  assert.match(rows[0], /Дана/);

  assert.deepEqual(errors, []);
  await context.close();
});

test('clubs and events are public; a member registers for an event and gets a pass', async () => {
  const context = await browser.newContext({ locale: 'ru-RU', viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  const errors = watchErrors(page);
  const base = server.baseURL;
  // Anyone can browse clubs and events in Russian without signing in.
  await open(page, base + '/lang/ru?back=/clubs');
  const names = await page.locator('[data-testid="club"] h2').allInnerTexts();
  assert.ok(names.includes('Клуб игры на домбре'), names.join(', '));
  assert.ok(names.includes('Клуб анонимных созависимых'));
  await open(page, base + '/events');
  const events = page.locator('[data-testid="event"]');
  assert.ok((await events.count()) >= 3);
  await events.filter({ hasText: 'Стендап-вечер' }).locator('a').click();
  await page.locator('[data-testid="event-name"]').waitFor();
  const eventUrl = page.url();
  assert.match(await page.locator('main').innerText(), /Войдите, чтобы участвовать/);
  // A signed-in member registers and gets a pass.
  await login(page, base, 'visitor@demo.ortalyq.kz');
  await open(page, eventUrl);
  await page.click('[data-testid="register-event"]');
  await page.locator('[data-testid="registered"]').waitFor();
  await page.locator('[data-testid="event-pass"] .qr-img svg').waitFor();
  assert.match(await page.locator('[data-testid="places"]').innerText(), /1\/60/);
  assert.deepEqual(errors, []);
  await context.close();
});
