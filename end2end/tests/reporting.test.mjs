// A director's report: the dashboard opens from the nav on the current
// month, the director widens the range (the comparison period follows), and
// downloads the XLSX workbook and one table as CSV.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startServer, launchBrowser, open, login, clickNav } from './support.mjs';

let server;
let browser;

before(async () => {
  server = await startServer({ port: 3400 });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('a director changes the range and downloads exports', async () => {
  const context = await browser.newContext({
    locale: 'en-US',
    viewport: { width: 1024, height: 900 },
    acceptDownloads: true,
  });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const base = server.baseURL;

  await login(page, base, 'director@demo.ortalyq.kz');
  await open(page, base + '/lang/en?back=/');
  await clickNav(page, '/director/reports');
  await page.waitForSelector('[data-testid="report-period"]');
  // Default: the month so far (the frozen clock is 1 December).
  assert.match(await page.innerText('[data-testid="report-period"]'), /2026-12-01 – 2026-12-01/);
  assert.ok(await page.locator('[data-testid="t-summary"] tbody tr').count() > 10);

  await page.fill('input[name="from"]', '2026-11-01');
  await page.fill('input[name="to"]', '2026-11-30');
  await page.click('[data-testid="report-show"]');
  await page.waitForFunction(() =>
    document.querySelector('[data-testid="report-period"]')?.textContent.includes('2026-11-01 – 2026-11-30'),
  );
  const period = await page.innerText('[data-testid="report-period"]');
  assert.match(period, /Previous period: 2026-10-02 – 2026-10-31/);
  assert.match(page.url(), /from=2026-11-01/);

  // The space table sits beside its chart, one row per space.
  assert.ok(await page.locator('svg.chart').count() >= 2);
  assert.ok(await page.locator('[data-testid="t-spaces"] tbody tr').count() >= 1);

  const [xlsx] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="export-xlsx"]')]);
  assert.match(xlsx.suggestedFilename(), /^ortalyq-center-\d+-2026-11-01-2026-11-30\.xlsx$/);
  const bytes = readFileSync(await xlsx.path());
  assert.equal(bytes.subarray(0, 2).toString(), 'PK');

  const [csv] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="t-spaces-csv"]')]);
  assert.match(csv.suggestedFilename(), /-spaces\.csv$/);
  const text = readFileSync(await csv.path(), 'utf8');
  assert.equal(text.charCodeAt(0), 0xfeff, 'BOM for Excel');
  assert.match(text.split('\r\n')[0], /Booked hours/);

  // A range that ends before it starts is marked on the form, which keeps
  // the dates typed so they can be put right.
  await page.fill('input[name="from"]', '2026-11-30');
  await page.fill('input[name="to"]', '2026-11-01');
  await page.click('[data-testid="report-show"]');
  await page.waitForSelector('[data-testid="range-to-error"]');
  assert.equal(await page.getAttribute('input[name="to"]', 'aria-invalid'), 'true');
  assert.equal(await page.getAttribute('input[name="to"]', 'aria-describedby'), 'range-to-error');
  assert.equal(await page.getAttribute('input[name="from"]', 'aria-invalid'), 'false');
  assert.equal(await page.inputValue('input[name="from"]'), '2026-11-30');
  assert.equal(await page.locator('[data-testid="export-xlsx"]').count(), 0);
  await page.fill('input[name="to"]', '2026-11-30');
  await page.click('[data-testid="report-show"]');
  await page.waitForFunction(() =>
    document.querySelector('[data-testid="report-period"]')?.textContent.includes('2026-11-30 – 2026-11-30'),
  );

  // A space's direction is one of its rules.
  await open(page, base + '/director/spaces');
  await page.click('[data-testid="edit-rules"] >> nth=1');
  await page.waitForSelector('[data-testid="rule-direction"]');
  assert.equal(await page.inputValue('[data-testid="rule-direction"]'), 'media');
  await page.selectOption('[data-testid="rule-direction"]', 'ecology');
  await page.click('[data-testid="save-rules"]');
  await page.waitForSelector('[data-testid="rules-saved"]');
  await open(page, base + '/director/spaces');
  assert.match(await page.innerText('[data-testid="managed-spaces"] >> nth=0'), /Ecology/);

  assert.deepEqual(errors, []);
  await context.close();
});
