// Integrations: a regional admin creates an API token for a Telegram bot,
// the bot uses it on the REST API, and revoking it in the page stops it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, open, login, clickNav } from './support.mjs';

let server;
let browser;

before(async () => {
  server = await startServer({ port: 3113 });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('an admin issues a token, the bot uses it, revoking stops it', async () => {
  const context = await browser.newContext({ locale: 'en-US' });
  const page = await context.newPage();
  const base = server.baseURL;
  const api = (path, token) =>
    fetch(base + path, { headers: { authorization: `Bearer ${token}`, 'accept-language': 'en' } });

  await login(page, base, 'admin@demo.ortalyq.kz');
  await clickNav(page, '/admin/api-tokens');
  await page.waitForSelector('[data-testid="create-api-token"]');

  // Nothing chosen: the form says what is missing and keeps the name.
  await page.fill('#tok-name', 'Telegram bot');
  await page.click('[data-testid="create-api-token"] button[type="submit"]');
  await page.waitForSelector('[data-testid="create-api-token"] fieldset .field-error:not(:empty)');
  assert.equal(await page.inputValue('#tok-name'), 'Telegram bot');

  await page.check('#tok-scope-read');
  await page.check('#tok-scope-book');
  await page.fill('#tok-rate', '30');
  await page.click('[data-testid="create-api-token"] button[type="submit"]');
  const token = (await page.textContent('[data-testid="api-token-value"]')).trim();
  assert.match(token, /^oqk_[a-z2-7]{32}$/);
  const row = page.locator('[data-testid="api-token-row"]', { hasText: 'Telegram bot' });
  await row.waitFor();
  assert.match(await row.textContent(), new RegExp(token.slice(0, 10)));
  assert.doesNotMatch(await row.textContent(), new RegExp(token.slice(10)), 'the list never shows the whole token');

  // The bot: who am I, and the catalogue.
  const me = await api('/api/v1/me', token);
  assert.equal(me.status, 200);
  assert.deepEqual((await me.json()).scopes, ['read', 'book']);
  const centers = await api('/api/v1/centers', token);
  assert.equal(centers.status, 200);
  assert.ok((await centers.json()).length >= 3);

  // The docs page is linked and served without scripts.
  const docs = await fetch(base + '/api/v1/docs');
  assert.equal(docs.status, 200);
  assert.match(await docs.text(), /\/api\/v1\/bookings/);

  await row.locator('[data-testid="api-token-revoke"]').click();
  await page.waitForSelector('[data-testid="api-token-row"][data-revoked="true"]');
  const after = await api('/api/v1/me', token);
  assert.equal(after.status, 401);
  assert.equal((await after.json()).code, 'not_authenticated');
  await context.close();
});
