// The scan station's camera path: Chromium's fake camera plays a video of a
// real pass's QR code; the page reads it in wasm and admits the holder.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, launchBrowser, open, login, logout, writeQrVideo } from './support.mjs';

let server;
let browser;

before(async () => {
  server = await startServer({ port: 3106 });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('the desk admits a pass shown to the camera', async () => {
  const base = server.baseURL;
  // A visitor books the podcast studio and has a pass.
  const context = await browser.newContext({ locale: 'en-US' });
  const page = await context.newPage();
  await login(page, base, 'visitor@demo.ortalyq.kz');
  await open(page, base + '/spaces/2');
  await page.locator('[data-testid="slot"]:not([disabled])').first().click();
  await page.waitForSelector('[data-testid="booked"]');
  await open(page, base + '/my');
  const code = (await page.textContent('[data-testid="pass-code"]')).trim();
  await context.close();

  // The camera sees that pass.
  const video = path.join(server.dataDir, 'pass.y4m');
  await writeQrVideo(video, code);
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
    const errors = [];
    desk.on('pageerror', (e) => errors.push(String(e)));
    await login(desk, base, 'desk@demo.ortalyq.kz');
    await desk.waitForURL('**/desk/scan');
    await desk.waitForSelector('body[data-hydrated="true"]');
    await desk.click('[data-testid="camera-toggle"]');
    const verdict = desk.locator('[data-testid="verdict"]');
    await verdict.waitFor({ timeout: 20000 });
    assert.equal(await verdict.getAttribute('data-code'), 'admitted');
    assert.match(await verdict.innerText(), /Аружан С\./);
    // The same code still in view is not sent again while the verdict shows.
    await desk.waitForTimeout(1500);
    assert.equal(await desk.locator('[data-testid="verdict"]').getAttribute('data-code'), 'admitted');
    await desk.click('[data-testid="camera-toggle"]');
    assert.deepEqual(errors, []);
  } finally {
    await camBrowser.close();
  }
});
