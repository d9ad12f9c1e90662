// Accessibility: axe-core finds no serious or critical WCAG 2 A/AA
// violations on the pages members and staff use.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { startServer, launchBrowser, open, login, logout } from './support.mjs';

const require = createRequire(import.meta.url);
const axePath = require.resolve('axe-core/axe.min.js');

let server;
let browser;

before(async () => {
  server = await startServer({ port: 3102 });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
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

test('no serious or critical accessibility violations', async () => {
  // axe is injected as an inline script, which the pages' CSP (scripts with
  // the response's nonce only) would block: these audit contexts bypass it.
  const context = await browser.newContext({ locale: 'kk-KZ', bypassCSP: true, viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  const base = server.baseURL;
  const problems = [];
  for (const path of ['/', '/login', '/register', '/verify', '/reset', '/consent', '/centers/1', '/spaces/2', '/spaces/5', '/spaces/6', '/clubs', '/clubs/1', '/events', '/events/1']) {
    problems.push(...(await audit(page, base + path)));
  }
  await login(page, base, 'visitor@demo.ortalyq.kz');
  for (const path of ['/my', '/account', '/notices', '/clubs/2']) {
    problems.push(...(await audit(page, base + path)));
  }
  await logout(page);
  await login(page, base, 'desk@demo.ortalyq.kz');
  for (const path of ['/desk/scan', '/desk/members', '/desk/closures', '/desk/requests', '/desk/today']) {
    problems.push(...(await audit(page, base + path)));
  }
  await logout(page);
  await login(page, base, 'admin@demo.ortalyq.kz');
  for (const path of ['/director/occupancy', '/director/reports', '/director/region', '/admin/staff', '/director/spaces', '/director/spaces/5', '/director/centers/1', '/director/clubs/new', '/director/events/new', '/clubs/1/roster', '/clubs/4/roster']) {
    problems.push(...(await audit(page, base + path)));
  }
  assert.deepEqual(problems, []);
  await context.close();
});
