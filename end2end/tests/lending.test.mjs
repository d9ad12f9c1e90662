// Equipment lending through the pages: a member reserves a camera, the desk
// finds her by her membership card's code and hands the camera out by its
// label, takes it back with a condition note, and it is available again.
// Also: the overdue list, the overdue member blocked at the desk, and a
// consultation booked with a mentor.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { createRequire } from 'node:module';
import { startServer, launchBrowser, open, login, logout, writeQrVideo } from './support.mjs';

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

let server;
let browser;

before(async () => {
  server = await startServer({ port: 3300 });
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

test('equipment: reserve → desk checks out by pass and label → return with a note → available again', async () => {
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  const errors = watchErrors(page);
  const base = server.baseURL;

  // The member reserves the Sony camera at her home center.
  await login(page, base, 'visitor@demo.ortalyq.kz');
  await open(page, base + '/lang/en?back=/equipment');
  await page.waitForSelector('body[data-hydrated="true"]');
  const camera = page.locator('[data-testid="equipment"] li[data-label="EQ-0001"]');
  assert.equal(await camera.getAttribute('data-state'), 'available');
  await camera.locator('[data-testid="reserve-item"]').click();
  await page.waitForSelector('[data-testid="item-reserved"]');
  await page.waitForFunction(() =>
    document.querySelector('[data-testid="equipment"] li[data-label="EQ-0001"]')?.getAttribute('data-state') === 'reserved');
  assert.match(await page.innerText('[data-testid="my-loans"]'), /Sony Alpha a6400[\s\S]*EQ-0001[\s\S]*Reserved/);

  // Her membership card's code is what the desk scans.
  await open(page, base + '/account');
  const card = (await page.textContent('[data-testid="card-code"]')).trim();
  assert.ok(card.length > 20);
  await logout(page);

  // The desk scans the card (a USB scanner types the code and Enter).
  await login(page, base, 'desk@demo.ortalyq.kz');
  await open(page, base + '/lang/en?back=/desk/equipment');
  await page.waitForSelector('body[data-hydrated="true"]');
  // The demo's overdue Canon is on the list.
  await page.waitForSelector('[data-testid="overdue-list"]');
  assert.match(await page.innerText('[data-testid="overdue-list"]'), /Canon EOS 250D[\s\S]*EQ-0006[\s\S]*Ернар Б\./);
  await page.fill('[data-testid="member-code"]', card);
  await page.press('[data-testid="member-code"]', 'Enter');
  await page.waitForSelector('[data-testid="desk-member"]');
  assert.match(await page.innerText('[data-testid="desk-member"]'), /Аружан С\./);
  assert.match(await page.innerText('[data-testid="member-loans"]'), /EQ-0001/);
  // Then the camera's label.
  await page.fill('[data-testid="checkout-item"]', 'EQ-0001');
  await page.press('[data-testid="checkout-item"]', 'Enter');
  await page.waitForSelector('[data-testid="checked-out"]');
  assert.match(await page.innerText('[data-testid="checked-out"]'), /Sony Alpha a6400: Handed out\. Due: Thu 03\.12, 19:00/);
  await page.waitForFunction(() =>
    document.querySelector('[data-testid="desk-items"] tr[data-label="EQ-0001"]')?.getAttribute('data-state') === 'out');
  await page.waitForFunction(() => /Borrowed/.test(document.querySelector('[data-testid="member-loans"]')?.innerText || ''));

  // The camera comes back worn, with a note.
  await page.fill('[data-testid="return-item"]', 'EQ-0001');
  await page.selectOption('[data-testid="return-condition"]', 'worn');
  await page.fill('[data-testid="return-note"]', 'Lens cap missing');
  await page.click('[data-testid="return"]');
  await page.waitForSelector('[data-testid="returned"]');
  await page.waitForFunction(() =>
    document.querySelector('[data-testid="desk-items"] tr[data-label="EQ-0001"]')?.getAttribute('data-state') === 'available');
  const row = page.locator('[data-testid="desk-items"] tr[data-label="EQ-0001"]');
  assert.match(await row.innerText(), /Worn[\s\S]*Lens cap missing/);

  // The overdue member is blocked at the desk: typed by member number.
  const overdue = await page.innerText('[data-testid="overdue-list"]');
  const number = overdue.match(/Member No\. (\d{6})/)[1];
  await page.fill('[data-testid="member-code"]', number);
  await page.press('[data-testid="member-code"]', 'Enter');
  await page.waitForSelector('[data-testid="member-blocked"]');
  assert.match(await page.innerText('[data-testid="member-blocked"]'), /EQ-0006/);
  await page.fill('[data-testid="checkout-item"]', 'EQ-0005');
  await page.press('[data-testid="checkout-item"]', 'Enter');
  await page.waitForSelector('.alert.error[data-code="overdue_items"]');
  assert.match(await page.innerText('.alert.error[data-code="overdue_items"]'), /overdue[\s\S]*EQ-0006/);
  await logout(page);

  // The member sees the camera available again and nothing on loan.
  await login(page, base, 'visitor@demo.ortalyq.kz');
  await open(page, base + '/lang/en?back=/equipment');
  await page.waitForSelector('body[data-hydrated="true"]');
  assert.equal(await camera.getAttribute('data-state'), 'available');
  assert.match(await page.innerText('[data-testid="my-loans"]'), /nothing reserved or borrowed/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('mentors: a member books a consultation in Russian, the mentor sees it', async () => {
  const context = await browser.newContext({ locale: 'ru-RU', viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  const errors = watchErrors(page);
  const base = server.baseURL;
  await login(page, base, 'visitor@demo.ortalyq.kz');
  await open(page, base + '/lang/ru?back=/mentors');
  await page.waitForSelector('body[data-hydrated="true"]');
  // The seeded psychology consultation is hers; it is listed as private.
  assert.match(await page.innerText('[data-testid="my-consultations"]'), /Мадина Жақсылықова[\s\S]*Психология/);
  // Filter: IT mentors speaking English.
  await open(page, base + '/mentors?field=it&lang=en');
  const mentors = page.locator('[data-testid="mentors"] li.mentor');
  assert.equal(await mentors.count(), 1);
  assert.match(await mentors.first().innerText(), /Данияр Омаров/);
  const first = mentors.first().locator('[data-testid="book-consultation"]').first();
  await mentors.first().locator('[data-testid="consultation-topic"]').first().fill('Портфолио на GitHub');
  await first.click();
  await page.waitForSelector('[data-testid="consultation-booked"]');
  await page.waitForFunction(() => /Данияр Омаров/.test(document.querySelector('[data-testid="my-consultations"]')?.innerText || ''));
  await logout(page);

  // The psychologist's own page names the member who booked her.
  await login(page, base, 'psychologist@demo.ortalyq.kz');
  await open(page, base + '/mentor/consultations');
  await page.waitForSelector('[data-testid="mentor-slots"]');
  assert.match(await page.innerText('[data-testid="mentor-slots"]'), /Аружан Сейтқали/);
  await logout(page);

  // The director sees counts for psychology, never the name.
  await login(page, base, 'director@demo.ortalyq.kz');
  await open(page, base + '/director/consultations');
  await page.waitForSelector('[data-testid="consultation-report"]');
  const report = await page.innerText('[data-testid="consultation-report"]');
  assert.match(report, /Данияр Омаров[\s\S]*Аружан С\./);
  assert.doesNotMatch(report, /Емтихан/);
  const psych = page.locator('[data-testid="consultation-report"] tr', { hasText: 'Мадина' });
  assert.doesNotMatch(await psych.innerText(), /Аружан/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('equipment desk: the camera reads the member\'s card, the desk hands out the tripod', async () => {
  const base = server.baseURL;
  const context = await browser.newContext({ locale: 'en-US' });
  const page = await context.newPage();
  await login(page, base, 'visitor@demo.ortalyq.kz');
  await open(page, base + '/account');
  const card = (await page.textContent('[data-testid="card-code"]')).trim();
  await context.close();

  const video = path.join(server.dataDir, 'card.y4m');
  await writeQrVideo(video, card);
  const camBrowser = await launchBrowser({
    extraArgs: [
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      `--use-file-for-fake-video-capture=${video}`,
      '--autoplay-policy=no-user-gesture-required',
    ],
  });
  try {
    const desk = await (await camBrowser.newContext({ locale: 'en-US' })).newPage();
    const errors = watchErrors(desk);
    await login(desk, base, 'desk@demo.ortalyq.kz');
    await open(desk, base + '/lang/en?back=/desk/equipment');
    await desk.waitForSelector('body[data-hydrated="true"]');
    await desk.click('[data-testid="camera-toggle"]');
    await desk.waitForSelector('[data-testid="desk-member"]', { timeout: 20000 });
    assert.match(await desk.innerText('[data-testid="desk-member"]'), /Аружан С\./);
    await desk.click('[data-testid="camera-toggle"]');
    // The tripod's serial typed by hand (a worn label).
    await desk.fill('[data-testid="checkout-item"]', 'MF-190X-22017');
    await desk.press('[data-testid="checkout-item"]', 'Enter');
    await desk.waitForSelector('[data-testid="checked-out"]');
    assert.match(await desk.innerText('[data-testid="checked-out"]'), /Manfrotto 190X: Handed out\. Due: Fri 04\.12, 19:00/);
    await desk.waitForFunction(() => /EQ-0005[\s\S]*Borrowed/.test(document.querySelector('[data-testid="member-loans"]')?.innerText || ''));
    assert.deepEqual(errors, []);
  } finally {
    await camBrowser.close();
  }
});

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

test('mentor and equipment pages have no serious accessibility violations (Kazakh)', async () => {
  // axe is injected as an inline script, which the pages' CSP (scripts with
  // the response's nonce only) would block: these audit contexts bypass it.
  const context = await browser.newContext({ locale: 'kk-KZ', bypassCSP: true, viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  const base = server.baseURL;
  const problems = [];
  problems.push(...(await audit(page, base + '/mentors')));
  const pages = [
    ['visitor@demo.ortalyq.kz', ['/mentors', '/equipment']],
    ['psychologist@demo.ortalyq.kz', ['/mentor/consultations']],
    ['desk@demo.ortalyq.kz', ['/desk/equipment', '/desk/equipment/label/1', '/director/consultations']],
  ];
  for (const [who, paths] of pages) {
    await login(page, base, who);
    await open(page, base + '/lang/kk?back=/');
    for (const p of paths) problems.push(...(await audit(page, base + p)));
    await logout(page);
  }
  assert.deepEqual(problems, []);
  await context.close();
});

test('equipment desk: the director adds a microphone, then records a fault on it', async () => {
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  const errors = watchErrors(page);
  const base = server.baseURL;
  await login(page, base, 'director@demo.ortalyq.kz');
  await open(page, base + '/lang/en?back=/desk/equipment');
  await page.waitForSelector('body[data-hydrated="true"]');
  await page.click('[data-testid="add-item-form"] >> xpath=.. >> summary');
  await page.selectOption('#new-kind', 'microphone');
  await page.fill('#new-name', 'Rode NT-USB');
  await page.fill('#new-serial', 'NTUSB-77');
  await page.click('[data-testid="add-item-form"] button[type="submit"]');
  await page.waitForSelector('[data-testid="item-added"]');
  const label = (await page.textContent('[data-testid="item-added"] code')).trim();
  assert.match(label, /^EQ-\d{4}$/);
  const row = page.locator(`[data-testid="desk-items"] tr[data-label="${label}"]`);
  await row.waitFor();
  assert.equal(await row.getAttribute('data-state'), 'available');
  await row.locator('select[name="condition"]').selectOption('out_of_service');
  await row.locator('[data-testid="set-condition"]').click();
  await page.waitForFunction((l) =>
    document.querySelector(`[data-testid="desk-items"] tr[data-label="${l}"]`)?.getAttribute('data-state') === 'unavailable', label);
  assert.deepEqual(errors, []);
  await context.close();
});
