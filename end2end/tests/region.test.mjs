// A region set up from the app (issue 21): the regional admin opens a new
// district center with its hours and a podcast studio and appoints its
// director and front desk; the director adds a club; a young person
// registers at the new center, books the studio and joins the club; the
// director moves the club's next session and the member sees the notice;
// the admin closes the studio, sees the member's booking it affects, and
// cancels it with a reason the member is told.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, launchBrowser, open, login, logout, waitForSms } from './support.mjs';

let server;
let browser;

before(async () => {
  server = await startServer({ port: 3110, databaseUrl: process.env.E2E_DATABASE_URL_REGION });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const CENTER = {
  name_kk: 'Қарқаралы ауданының жаңа жастар орталығы',
  name_ru: 'Новый молодёжный центр Каркаралинского района',
  name_en: 'Karkaraly New Youth Center',
  district: 'Қарқаралы ауданы',
  address: 'Қарқаралы қ., Тәуелсіздік к-сі, 12',
  phone: '+7 721 463 00 12',
  email: 'new.karkaraly@demo.ortalyq.kz',
};

/** The id at the end of the link inside a success message. */
async function linkedId(page, testid) {
  const href = await page.getAttribute(`[data-testid="${testid}"] a`, 'href');
  return Number(href.match(/(\d+)$/)[1]);
}

/** Create a staff account at the new center; gives its initial password. */
async function appoint(page, base, { name, email, phone, role, centerId }) {
  await open(page, base + '/admin/staff');
  const form = '[data-testid="create-account"]';
  await page.fill(`${form} [name="form[full_name]"]`, name);
  await page.fill(`${form} [name="form[email]"]`, email);
  await page.fill(`${form} [name="form[phone]"]`, phone);
  await page.fill(`${form} [name="form[birth_date]"]`, '1992-04-10');
  await page.selectOption(`${form} [name="form[role]"]`, role);
  await page.check(`#s-center-${centerId}`);
  await page.click(`${form} button[type="submit"]`);
  await page.waitForSelector('[data-testid="initial-password"]');
  return (await page.textContent('[data-testid="initial-password"]')).trim();
}

test('admin opens a district center; its staff and a new member use it', async () => {
  const context = await browser.newContext({ locale: 'kk-KZ', viewport: { width: 1000, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => m.type() === 'error' && !/status of (403|422)/.test(m.text()) && errors.push(page.url() + ' ' + m.text()));
  const base = server.baseURL;

  // The admin opens the center with its weekly hours (Sunday closed).
  await login(page, base, 'admin@demo.ortalyq.kz');
  await open(page, base + '/admin/centers/new');
  for (const [field, value] of Object.entries(CENTER)) {
    await page.fill(`[data-testid="center-${field}"]`, value);
  }
  await page.selectOption('#center-settlement', 'rural');
  for (const day of ['mon', 'tue', 'wed', 'thu', 'fri', 'sat']) {
    await page.fill(`[data-testid="${day}-opens"]`, '09:00');
    await page.fill(`[data-testid="${day}-closes"]`, '21:00');
  }
  await page.click('[data-testid="create-center"]');
  await page.waitForSelector('[data-testid="center-created"]');
  const centerId = await linkedId(page, 'center-created');

  // …with a podcast studio (the kind's usual rules).
  await open(page, base + '/director/spaces/new?kind=podcast_studio');
  await page.selectOption('[data-testid="space-center"]', String(centerId));
  await page.fill('[data-testid="space-name_kk"]', 'Подкаст студиясы');
  await page.fill('[data-testid="space-name_ru"]', 'Подкаст-студия');
  await page.fill('[data-testid="space-name_en"]', 'Podcast studio');
  await page.click('[data-testid="create-space"]');
  await page.waitForSelector('[data-testid="space-created"]');
  const studioId = await linkedId(page, 'space-created');

  // …and appoints its director and front desk.
  const directorPassword = await appoint(page, base, {
    name: 'Ерлан Сәрсенбаев', email: 'director.new@demo.ortalyq.kz', phone: '+7 701 555 10 01', role: 'director', centerId,
  });
  await appoint(page, base, {
    name: 'Мадина Жұмабаева', email: 'desk.new@demo.ortalyq.kz', phone: '+7 701 555 10 02', role: 'front_desk', centerId,
  });
  await logout(page);

  // The new director adds a weekly club in the studio (Thursdays 18:00).
  await login(page, base, 'director.new@demo.ortalyq.kz', directorPassword);
  await open(page, base + '/director/clubs/new');
  const club = '[data-testid="club-form"]';
  await page.fill(`${club} [name="form[name_kk]"]`, 'Жас подкастерлер клубы');
  await page.fill(`${club} [name="form[name_ru]"]`, 'Клуб юных подкастеров');
  await page.fill(`${club} [name="form[name_en]"]`, 'Young podcasters club');
  await page.selectOption(`${club} [name="form[space_id]"]`, String(studioId));
  await page.selectOption(`${club} [name="form[direction]"]`, 'media');
  await page.selectOption(`${club} [name="form[weekday]"]`, '3');
  await page.fill(`${club} [name="form[start_time]"]`, '18:00');
  await page.fill(`${club} [name="form[term_start]"]`, '2026-12-01');
  await page.fill(`${club} [name="form[term_end]"]`, '2026-12-31');
  await page.click('[data-testid="create-club"]');
  await page.waitForSelector('[data-testid="club-created"]');
  const clubId = await linkedId(page, 'club-created');
  await logout(page);

  // A young person registers with the new center as home and confirms the phone.
  await open(page, base + '/register');
  const reg = '[data-testid="register-form"]';
  await page.fill(`${reg} [name="form[full_name]"]`, 'Данияр Әбілов');
  await page.fill(`${reg} [name="form[birth_date]"]`, '2004-09-02');
  await page.fill(`${reg} [name="form[phone]"]`, '+7 702 333 44 55');
  await page.fill(`${reg} [name="form[password]"]`, 'karkaraly-podcast-26');
  await page.selectOption(`${reg} [name="form[home_center_id]"]`, String(centerId));
  await page.selectOption(`${reg} [name="form[settlement]"]`, 'rural');
  await page.selectOption(`${reg} [name="form[occupation]"]`, 'student');
  await Promise.all([page.waitForURL('**/verify?login=*'), page.click(`${reg} button[type="submit"]`)]);
  await page.waitForSelector('body[data-hydrated="true"]');
  const sms = await waitForSms(path.join(server.dataDir, 'outbox'), '77023334455');
  assert.equal(sms.length, 1);
  const code = sms[0].match(/\b(\d{8})\b/)[1];
  await page.fill('#verify-code', code);
  await Promise.all([page.waitForURL(base + '/'), page.click('[data-testid="verify-form"] button[type="submit"]')]);
  await page.waitForSelector('body[data-hydrated="true"]');

  // The new center is listed; the member books the studio and joins the club.
  assert.match(await page.textContent('[data-testid="centers"]'), /Қарқаралы ауданының жаңа жастар орталығы/);
  await open(page, base + `/spaces/${studioId}`);
  await page.locator('[data-testid="slot"]:not([disabled])').first().click();
  await page.waitForSelector('[data-testid="booked"]');
  await open(page, base + `/clubs/${clubId}`);
  await page.click('[data-testid="join-club"]');
  await page.waitForSelector('[data-testid="joined"]');
  await logout(page);

  // The director moves the club's next session to 19:00.
  await login(page, base, 'director.new@demo.ortalyq.kz', directorPassword);
  await open(page, base + `/director/clubs/${clubId}/edit`);
  const session = page.locator('[data-testid="movable-session"]').first();
  await session.locator('[data-testid="move-time"]').fill('19:00');
  await session.locator('[data-testid="move-session"]').click();
  await page.waitForSelector('[data-testid="session-moved"]');
  await logout(page);

  // The member sees the notice with the new time.
  await login(page, base, '87023334455', 'karkaraly-podcast-26');
  await open(page, base + '/notices');
  const notices = await page.textContent('main');
  assert.match(notices, /Жас подкастерлер клубы/);
  assert.match(notices, /19:00/);
  await logout(page);

  // The admin closes the studio: the page lists the member's booking first,
  // then cancels it with the reason.
  await login(page, base, 'admin@demo.ortalyq.kz');
  await open(page, base + `/director/spaces/${studioId}`);
  const affected = page.locator('[data-testid="affected-bookings"]');
  await affected.waitFor();
  assert.match(await affected.innerText(), /Данияр/);
  await page.fill('#deactivate-reason', 'Студия жөндеуге жабылды');
  await page.check('#deactivate-confirm');
  await page.click('[data-testid="deactivate-space"]');
  await page.waitForSelector('[data-testid="space-deactivated"]');
  await logout(page);

  // The member is told, and the studio is no longer offered.
  await login(page, base, '87023334455', 'karkaraly-podcast-26');
  await open(page, base + '/notices');
  assert.match(await page.textContent('main'), /Студия жөндеуге жабылды/);
  await open(page, base + `/centers/${centerId}`);
  assert.doesNotMatch(await page.textContent('main'), /Подкаст студиясы/);

  assert.deepEqual(errors, []);
  await context.close();
});
