// The header on a 360 px phone: a member sees a few links and a menu that
// opens without JavaScript; staff see their work in groups (front desk,
// center management, reports, administration), no link lost; axe finds no
// serious or critical problem in either header, menus closed or open.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { startServer, launchBrowser, open, login, openMenu } from './support.mjs';

const require = createRequire(import.meta.url);
const axePath = require.resolve('axe-core/axe.min.js');
const PHONE = { width: 360, height: 740 };

let server;
let browser;

before(async () => {
  server = await startServer({ port: 3117 });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** The header's links a person can see now (not those in a closed menu). */
async function visibleLinks(page) {
  const links = page.locator('header.topbar a');
  const out = [];
  for (let i = 0; i < (await links.count()); i++) {
    if (await links.nth(i).isVisible()) out.push(await links.nth(i).getAttribute('href'));
  }
  return out;
}

const hrefsIn = (page, selector) =>
  page.$$eval(`header.topbar ${selector} a`, (as) => as.map((a) => a.getAttribute('href')));

const headerHeight = async (page) => (await page.locator('header.topbar').boundingBox()).height;

/** axe on the header alone, its menus closed and then all open. */
async function auditHeader(page, label) {
  await page.addScriptTag({ path: axePath });
  const problems = [];
  for (const state of ['closed', 'open']) {
    if (state === 'open') {
      await page.$$eval('header.topbar details', (ds) => ds.forEach((d) => d.removeAttribute('name')));
      await page.$$eval('header.topbar details', (ds) => ds.forEach((d) => (d.open = true)));
    }
    const result = await page.evaluate(async () =>
      // eslint-disable-next-line no-undef
      axe.run(
        { include: [['header.topbar']] },
        { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } },
      ),
    );
    problems.push(
      ...result.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${label} (${state}): ${v.id} ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    );
  }
  return problems;
}

test('a member on a phone: a short header, and a menu that works without JavaScript', async () => {
  const base = server.baseURL;
  // bypassCSP: axe is injected as an inline script.
  const context = await browser.newContext({ locale: 'kk-KZ', viewport: PHONE, bypassCSP: true });
  const page = await context.newPage();

  // Signed out: the centers, sign in and register; the rest in the menu.
  await open(page, base + '/');
  assert.deepEqual(await visibleLinks(page), ['/', '/', '/login', '/register']);
  assert.deepEqual(await hrefsIn(page, 'details[data-group="menu"]'), ['/clubs', '/events', '/programs']);
  assert.ok((await headerHeight(page)) < 0.25 * PHONE.height, `signed out: ${await headerHeight(page)} px`);

  await login(page, base, 'visitor@demo.ortalyq.kz');
  await open(page, base + '/');
  const height = await headerHeight(page);
  assert.ok(height < 0.25 * PHONE.height, `the header takes ${height} px of ${PHONE.height}`);
  // Brand, the centers, my bookings and my account (the membership card).
  assert.deepEqual(await visibleLinks(page), ['/', '/', '/my', '/account']);
  assert.equal(await page.getAttribute('header.topbar .links a[href="/"]', 'aria-current'), 'page');
  assert.equal(await page.locator('header.topbar details.group').count(), 0, 'a member has no staff groups');
  assert.deepEqual(await hrefsIn(page, 'details[data-group="menu"]'), [
    '/clubs', '/events', '/programs', '/mentors', '/equipment', '/my/applications', '/notices',
  ]);
  assert.ok(!(await page.isVisible('[data-testid="logout"]')), 'the menu starts closed');
  // The language switch stays in sight.
  for (const lang of ['kk', 'ru', 'en']) assert.ok(await page.isVisible(`nav.langs button[lang="${lang}"]`));

  // With the page live: open the menu, follow a link; the menu closes.
  await openMenu(page);
  assert.ok(await page.isVisible('[data-testid="logout"]'));
  await Promise.all([page.waitForURL(base + '/notices'), page.click('header.topbar a[href="/notices"]')]);
  assert.equal(await page.locator('header details[data-group="menu"]').evaluate((d) => d.open), false);
  assert.equal(await page.getAttribute('header.topbar a[href="/notices"]', 'aria-current'), 'page');
  assert.equal(await page.getAttribute('header.topbar a[href="/"]:not(.brand)', 'aria-current'), null);

  // No inline event handlers anywhere in the header (the CSP blocks them).
  const handlers = await page.$$eval('header.topbar *', (els) =>
    els.flatMap((e) => [...e.attributes].map((a) => a.name)).filter((n) => n.startsWith('on')),
  );
  assert.deepEqual(handlers, []);

  await open(page, base + '/');
  const problems = await auditHeader(page, 'member');

  // Without JavaScript: the menu opens and leads on. (A guest: a signed-in
  // member's header, like the rest of a signed-in page, still arrives by
  // out-of-order streaming, which needs script to show.)
  const noJs = await browser.newContext({ locale: 'kk-KZ', viewport: PHONE, javaScriptEnabled: false });
  const plain = await noJs.newPage();
  await plain.goto(base + '/');
  assert.ok((await headerHeight(plain)) < 0.25 * PHONE.height);
  // (Sign in and register wait for the sign-in state, which may arrive by
  // the same streaming; the centers and the menu never do.)
  assert.ok(await plain.isVisible('header.topbar .links > a[href="/"]'));
  assert.ok(!(await plain.isVisible('header.topbar a[href="/events"]')));
  await plain.click('header details[data-group="menu"] summary');
  assert.ok(await plain.isVisible('header.topbar a[href="/events"]'));
  await Promise.all([plain.waitForURL(base + '/events'), plain.click('header.topbar a[href="/events"]')]);
  assert.equal(await plain.getAttribute('header.topbar a[href="/events"]', 'aria-current'), 'page');
  assert.ok(await plain.locator('details[data-group="menu"] summary').evaluate((s) => s.classList.contains('here')));
  // The language switch is a form post: it works without script too.
  await Promise.all([plain.waitForURL(base + '/events'), plain.click('nav.langs button[lang="en"]')]);
  assert.equal(await plain.textContent('header details[data-group="menu"] summary'), 'Menu');
  await noJs.close();

  assert.deepEqual(problems, []);
  await context.close();
});

test('a director on a phone: work grouped in four menus, every link kept', async () => {
  const base = server.baseURL;
  const context = await browser.newContext({ locale: 'kk-KZ', viewport: PHONE, bypassCSP: true });
  const page = await context.newPage();
  await login(page, base, 'director@demo.ortalyq.kz');
  await open(page, base + '/director/occupancy');

  const groups = {
    desk: ['/desk/scan', '/desk/today', '/desk/members', '/desk/requests', '/desk/programs/review', '/desk/equipment', '/desk/closures'],
    center: ['/director/spaces', '/desk/programs', '/director/consultations'],
    reports: ['/director/occupancy', '/director/reports', '/director/region', '/director/audit'],
    admin: ['/admin/staff', '/director/webhooks'],
    menu: ['/clubs', '/events', '/programs', '/my', '/account', '/mentors', '/equipment', '/my/applications', '/notices'],
  };
  const shown = await page.$$eval('header.topbar details', (ds) => ds.map((d) => d.dataset.group));
  assert.deepEqual(shown, Object.keys(groups));
  for (const [group, hrefs] of Object.entries(groups)) {
    assert.deepEqual(await hrefsIn(page, `details[data-group="${group}"]`), hrefs, group);
  }
  // Every link the director's header had before the groups is still there
  // (plus the centers compared); admin-only pages are not.
  const before = [
    '/', '/clubs', '/events', '/programs', '/my', '/my/applications', '/account', '/notices', '/mentors', '/equipment',
    '/desk/scan', '/desk/today', '/desk/members', '/desk/closures', '/desk/requests', '/desk/programs/review',
    '/desk/programs', '/desk/equipment', '/director/consultations', '/director/occupancy', '/director/reports',
    '/director/spaces', '/director/audit', '/director/webhooks', '/admin/staff',
  ];
  const all = new Set(await hrefsIn(page, ''));
  for (const href of before) assert.ok(all.has(href), `${href} is missing`);
  for (const href of ['/admin/api-tokens', '/admin/centers', '/admin/holidays', '/admin/directions']) {
    assert.ok(!all.has(href), `${href} is for admins only`);
  }

  // Closed, the groups make a short header; the current page's group is marked.
  const height = await headerHeight(page);
  assert.ok(height < 0.25 * PHONE.height, `the header takes ${height} px of ${PHONE.height}`);
  assert.deepEqual(await visibleLinks(page), ['/', '/']);
  assert.ok(await page.locator('details[data-group="reports"] summary').evaluate((s) => s.classList.contains('here')));
  assert.equal(await page.getAttribute('header.topbar a[href="/director/occupancy"]', 'aria-current'), 'page');

  // By keyboard: Enter on a group opens it, Tab reaches its first link.
  await page.focus('details[data-group="desk"] summary');
  await page.keyboard.press('Enter');
  assert.ok(await page.isVisible('header.topbar a[href="/desk/scan"]'));
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute('href')), '/desk/scan');
  // Opening another group closes the first.
  await openMenu(page, 'admin');
  assert.ok(!(await page.isVisible('header.topbar a[href="/desk/scan"]')));
  await Promise.all([page.waitForURL(base + '/admin/staff'), page.click('header.topbar a[href="/admin/staff"]')]);
  assert.equal(await page.locator('details[data-group="admin"]').evaluate((d) => d.open), false);

  await open(page, base + '/desk/scan');
  assert.deepEqual(await auditHeader(page, 'director'), []);

  // A front desk sees the desk and the center's programs, nothing of a director's.
  const desk = await browser.newContext({ locale: 'ru-RU', viewport: PHONE });
  const deskPage = await desk.newPage();
  await login(deskPage, base, 'desk@demo.ortalyq.kz');
  assert.deepEqual(
    await deskPage.$$eval('header.topbar details', (ds) => ds.map((d) => d.dataset.group)),
    ['desk', 'center', 'menu'],
  );
  assert.deepEqual(await hrefsIn(deskPage, 'details[data-group="center"]'), ['/desk/programs', '/director/consultations']);
  await desk.close();
  await context.close();
});
