// Programs as members and staff live them: the program page tells a member
// every rule they fail, a refused application lists every reason, a member
// confirms a changed profile fact and applies, the desk accepts from the
// review queue, and the member sees the acceptance. Certificates verify by
// their QR address; an unknown code is "not found".
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, open, login, logout } from './support.mjs';

let server;
let browser;

before(async () => {
  server = await startServer({ port: 3200 });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

function watchErrors(page) {
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => m.type() === 'error' && !/status of (403|404|409|422)/.test(m.text()) && errors.push(m.text()));
  return errors;
}

test('apply to a program: reasons first, then the desk accepts', async () => {
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  const errors = watchErrors(page);
  const base = server.baseURL;

  await login(page, base, 'visitor@demo.ortalyq.kz');
  await open(page, base + '/lang/en?back=/programs');
  await page.waitForSelector('body[data-hydrated="true"]');
  const cards = page.locator('[data-testid="programs"] li');
  assert.equal(await cards.count(), 3);

  // The School of Analytics: the visitor (20, a bachelor) sees both reasons
  // before applying, and submitting anyway lists them again; nothing is sent.
  await page.click('a:has-text("School of Analytics")');
  await page.waitForSelector('[data-testid="eligibility-reasons"]');
  const before = await page.locator('[data-testid="eligibility-reasons"] li').allInnerTexts();
  assert.equal(before.length, 2);
  assert.match(before[0], /ages 21 and up; you are 20/);
  assert.match(before[1], /Master's degree/);
  await page.fill('[data-testid="motivation"]', 'I analyse youth surveys for our akimat.');
  await page.click('[data-testid="apply"]');
  const refusal = page.locator('[data-testid="ineligible-reasons"] li');
  await refusal.first().waitFor();
  assert.equal(await refusal.count(), 2);
  assert.equal(await page.locator('[data-testid="my-application"]').count(), 0);

  // The rural-youth program: the visitor now lives in her home village,
  // confirms it on the form and applies.
  await open(page, base + '/programs');
  await page.click('a:has-text("Ult Qazynasy")');
  await page.waitForSelector('[data-testid="eligibility-reasons"]');
  assert.match(await page.textContent('[data-testid="eligibility-reasons"]'), /living in a village/);
  await page.selectOption('select[name="form[settlement]"]', 'rural');
  await page.fill('[data-testid="motivation"]', 'I want to open a youth club in our village.');
  await page.click('[data-testid="apply"]');
  await page.waitForSelector('[data-testid="applied"]');
  await page.waitForSelector('[data-testid="my-application"][data-status="submitted"]');
  assert.equal(await page.locator('[data-testid="eligibility-reasons"]').count(), 0);
  assert.equal(await page.locator('[data-testid="apply-form"]').count(), 0);
  await logout(page);

  // The desk accepts it from the review queue.
  await login(page, base, 'desk@demo.ortalyq.kz');
  await open(page, base + '/lang/en?back=/desk/programs/review');
  await page.waitForSelector('body[data-hydrated="true"]');
  const card = page.locator('[data-testid="review-queue"] li', { hasText: 'Аружан' });
  await card.waitFor();
  assert.match(await card.innerText(), /Ult Qazynasy/);
  assert.match(await card.innerText(), /Village/);
  await card.locator('[data-testid="accept"]').click();
  await page.waitForSelector('[data-testid="decided"]');
  await page.waitForFunction(() => ![...document.querySelectorAll('[data-testid="review-queue"] li')].some((li) => li.innerText.includes('Аружан')));
  await logout(page);

  // The visitor sees the acceptance, and a place fewer is left.
  await login(page, base, 'visitor@demo.ortalyq.kz');
  await open(page, base + '/lang/en?back=/my/applications');
  await page.waitForSelector('body[data-hydrated="true"]');
  const mine = page.locator('[data-testid="application"]', { hasText: 'Ult Qazynasy' });
  await mine.waitFor();
  assert.equal(await mine.getAttribute('data-status'), 'accepted');
  assert.match(await mine.innerText(), /Accepted/);
  await open(page, base + '/programs/2');
  assert.match(await page.textContent('[data-testid="places"]'), /14 of 15/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a certificate verifies by its code; an unknown code is not found', async () => {
  const context = await browser.newContext({ locale: 'ru-RU' });
  const page = await context.newPage();
  const errors = watchErrors(page);
  const base = server.baseURL;
  await open(page, base + '/certificates/DEMQ7CERT2MEDIA4SCHL');
  await page.waitForSelector('[data-testid="certificate-genuine"]');
  assert.equal(await page.textContent('[data-testid="certificate-holder"]'), 'Аружан Сейтқали');
  assert.match(await page.textContent('[data-testid="certificate"]'), /Школа юного журналиста/);
  assert.equal(await page.locator('[data-testid="certificate"] .qr-img svg').count(), 1);
  const missing = await page.goto(base + '/certificates/AAAAAAAAAAAAAAAAAAAA');
  assert.equal(missing.status(), 404);
  await page.waitForSelector('[data-testid="certificate-not-found"]');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a director plans a program and its weekly sessions; the desk keeps the roster', async () => {
  const context = await browser.newContext({ locale: 'en-US' });
  const page = await context.newPage();
  const errors = watchErrors(page);
  const base = server.baseURL;

  await login(page, base, 'director@demo.ortalyq.kz');
  await open(page, base + '/lang/en?back=/desk/programs');
  await page.waitForSelector('[data-testid="program-form"]');
  await page.fill('input[name="form[name_kk]"]', 'Пікірсайыс мектебі');
  await page.fill('input[name="form[name_ru]"]', 'Школа дебатов');
  await page.fill('input[name="form[name_en]"]', 'Debate School');
  await page.selectOption('select[name="form[direction]"]', 'culture');
  await page.fill('input[name="form[capacity]"]', '16');
  await page.fill('input[name="form[min_age]"]', '14');
  await page.fill('input[name="form[max_age]"]', '17');
  await page.click('[data-testid="create-program"]');
  await page.waitForSelector('[data-testid="program-created"]');
  await page.click('[data-testid="program-created"] a');
  await page.waitForSelector('[data-testid="sessions-form"]');
  assert.match(await page.textContent('h1'), /Debate School/);
  await page.fill('input[name="series[title]"]', 'Debate practice');
  await page.fill('input[name="series[first_date]"]', '2026-12-08');
  await page.fill('input[name="series[start_time]"]', '17:30');
  await page.fill('input[name="series[minutes]"]', '90');
  await page.fill('input[name="series[weeks]"]', '4');
  await page.click('[data-testid="add-sessions"]');
  await page.waitForSelector('[data-testid="sessions-added"]');
  assert.match(await page.textContent('[data-testid="sessions-added"]'), /Sessions added: 4/);
  // The list reloads after the banner shows: wait for its fourth session.
  await page.locator('[data-testid="staff-sessions"] li').nth(3).waitFor();
  const sessions = await page.locator('[data-testid="staff-sessions"] li').allInnerTexts();
  assert.equal(sessions.length, 4);
  assert.match(sessions[0], /08\.12\.2026, 17:30–19:00/);
  assert.match(sessions[3], /29\.12\.2026/);
  // Members see it with its age rule.
  await open(page, base + '/programs');
  assert.equal(await page.locator('[data-testid="programs"] li', { hasText: 'Debate School' }).count(), 1);
  await logout(page);

  // The desk unticks a mistaken mark on the finished media school's first
  // session and ticks it again; the share follows.
  await login(page, base, 'desk@demo.ortalyq.kz');
  await open(page, base + '/lang/en?back=/desk/programs/3');
  await page.waitForSelector('[data-testid="participants"]');
  assert.match(await page.textContent('[data-testid="participants"]'), /3 \/ 3 \(100%\)/);
  await page.locator('[data-testid="roster-link"]').first().click();
  await page.waitForSelector('[data-testid="roster"]');
  const row = page.locator('[data-testid="roster"] li', { hasText: 'Аружан' });
  assert.equal(await row.getAttribute('data-present'), 'true');
  await row.locator('[data-testid="toggle-present"]').click();
  await page.waitForSelector('[data-testid="roster"] li[data-present="false"]');
  await open(page, base + '/desk/programs/3');
  assert.match(await page.textContent('[data-testid="participants"]'), /2 \/ 3 \(66%\)/);
  await page.locator('[data-testid="roster-link"]').first().click();
  await page.waitForSelector('[data-testid="roster"] li[data-present="false"]');
  await page.locator('[data-testid="toggle-present"]').click();
  await page.waitForSelector('[data-testid="roster"] li[data-present="true"]');
  // Certificates: the one already issued stays, nobody new qualifies.
  await open(page, base + '/desk/programs/3');
  await page.click('[data-testid="issue-certificates"]');
  await page.waitForSelector('[data-testid="certificates-issued"]');
  assert.match(await page.textContent('[data-testid="certificates-issued"]'), /New certificates issued: 0/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('program pages have no serious or critical accessibility violations', async () => {
  const { createRequire } = await import('node:module');
  const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
  async function audit(page, url) {
    await open(page, url);
    await page.addScriptTag({ path: axePath });
    const result = await page.evaluate(async () =>
      // eslint-disable-next-line no-undef
      axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }),
    );
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${url}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  }
  // axe is injected as an inline script, which the pages' CSP (scripts with
  // the response's nonce only) would block: these audit contexts bypass it.
  const context = await browser.newContext({ locale: 'kk-KZ', bypassCSP: true, viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  const base = server.baseURL;
  const problems = [];
  for (const path of ['/programs', '/programs/1', '/certificates/DEMQ7CERT2MEDIA4SCHL']) {
    problems.push(...(await audit(page, base + path)));
  }
  await login(page, base, 'visitor@demo.ortalyq.kz');
  for (const path of ['/programs/1', '/my/applications']) {
    problems.push(...(await audit(page, base + path)));
  }
  await logout(page);
  await login(page, base, 'director@demo.ortalyq.kz');
  for (const path of ['/desk/programs', '/desk/programs/review', '/desk/programs/1', '/desk/programs/3', '/desk/program-sessions/10']) {
    problems.push(...(await audit(page, base + path)));
  }
  assert.deepEqual(problems, []);
  await context.close();
});
