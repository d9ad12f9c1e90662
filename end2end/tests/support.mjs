// Starts an Ortalyq server on a fresh database with a frozen clock and
// launches Debian's Chromium through playwright-core.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const root = path.resolve(import.meta.dirname, '..', '..');
// The Makefile keeps the build cache outside the clone (see CARGO_TARGET_DIR there).
const targetDir = process.env.CARGO_TARGET_DIR || path.join(homedir(), '.cache', 'ortalyq', 'target');

// Tuesday 1 December 2026, 10:50 in Karaganda: the 11:00 slot is the first
// free one and its check-in window (15 minutes before) is open.
export const FROZEN_NOW = '2026-12-01T10:50:00+05:00';
export const PASSWORD = 'ortalyq-demo';

export async function startServer({ port = 3100, databaseUrl } = {}) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'ortalyq-e2e-'));
  const env = {
    ...process.env,
    DATABASE_URL: databaseUrl || `sqlite://${dataDir}/e2e.db?mode=rwc`,
    ORTALYQ_DATA_DIR: dataDir,
    ORTALYQ_FROZEN_CLOCK: FROZEN_NOW,
    ORTALYQ_SEED_DEMO: '1',
    LEPTOS_OUTPUT_NAME: 'ortalyq',
    LEPTOS_SITE_ROOT: process.env.LEPTOS_SITE_ROOT || path.join(root, 'target', 'site'),
    LEPTOS_SITE_PKG_DIR: 'pkg',
    LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
    LEPTOS_ENV: 'PROD',
    RUST_LOG: 'warn',
  };
  const bin = process.env.ORTALYQ_BIN || path.join(targetDir, 'debug', 'ortalyq');
  const child = spawn(bin, ['serve'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const baseURL = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    try {
      const r = await fetch(`${baseURL}/`);
      if (r.ok) break;
    } catch {
      /* not up yet */
    }
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    baseURL,
    dataDir,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

// Text messages to a phone (`digits`: the number's digits) in the outbox
// folder, oldest first. The server's dispatcher writes them from the outbox
// table every 5 seconds, so wait for the first one (up to `timeout` ms).
export async function waitForSms(outbox, digits, timeout = 15000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    let names = [];
    try {
      names = readdirSync(outbox).filter((f) => f.endsWith(`-sms-${digits}.txt`)).sort();
    } catch {
      /* the folder is made with the first message */
    }
    if (names.length > 0) return names.map((f) => readFileSync(path.join(outbox, f), 'utf8'));
    if (Date.now() > deadline) throw new Error(`no text message to ${digits} within ${timeout} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function launchBrowser({ extraArgs = [] } = {}) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [
      ...extraArgs,
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Go to a page and wait until it has hydrated. */
export async function open(page, url) {
  // `/lang/xx?back=/path`: switch the language as a member does, with the
  // header's form post (a GET only sets the cookie; the post also saves a
  // signed-in member's language, which server-side texts follow).
  const lang = url.match(/^(.*)\/lang\/(kk|ru|en)\?back=(.*)$/);
  if (lang) {
    await page.goto(lang[1] + decodeURIComponent(lang[3]));
    await page.waitForSelector('body[data-hydrated="true"]');
    await Promise.all([
      page.waitForNavigation({ waitUntil: 'load' }),
      page.click(`nav.langs button[lang="${lang[2]}"]`),
    ]);
  } else {
    await page.goto(url);
  }
  await page.waitForSelector('body[data-hydrated="true"]');
}

export async function login(page, baseURL, login, password = PASSWORD) {
  await open(page, `${baseURL}/login`);
  await page.fill('input[name="login"]', login);
  await page.fill('input[name="password"]', password);
  // Signing in loads the next page in full; wait for that new document.
  await Promise.all([
    page.waitForEvent('load'),
    page.click('[data-testid="login-form"] button[type="submit"]'),
  ]);
  await page.waitForSelector('body[data-hydrated="true"]');
  // The name sits in the header's menu, closed until opened.
  await page.waitForSelector('[data-testid="who"]', { state: 'attached' });
}

/** Open one of the header's menus (`menu`, or a staff group: `desk`, `center`, `reports`, `admin`). */
export async function openMenu(page, group = 'menu') {
  const details = page.locator(`header details[data-group="${group}"]`);
  if (!(await details.evaluate((d) => d.open))) await details.locator('summary').click();
}

/** Follow a header link the way a person does: open its menu first if it sits in one. */
export async function clickNav(page, href) {
  const link = page.locator(`header a[href="${href}"]`);
  const group = await link.evaluate((a) => a.closest('details')?.dataset.group ?? null);
  if (group) await openMenu(page, group);
  await link.click();
}

export async function logout(page) {
  await openMenu(page);
  await Promise.all([page.waitForEvent('load'), page.click('[data-testid="logout"]')]);
  await page.waitForSelector('body[data-hydrated="true"]');
  await page.waitForSelector('a[href="/login"]');
}

/**
 * Write a YUV4MPEG2 video (what Chromium's fake camera plays) showing `text`
 * as a QR code on a grey background, so the scan station's camera path can
 * be tested end to end.
 */
export async function writeQrVideo(file, text, { width = 640, height = 480, scale = 5, frames = 10 } = {}) {
  const { writeFileSync } = await import('node:fs');
  const QRCode = (await import('qrcode')).default;
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const quiet = 4 * scale;
  const side = n * scale + 2 * quiet;
  const ox = Math.floor((width - side) / 2);
  const oy = Math.floor((height - side) / 2);
  const y = Buffer.alloc(width * height, 140);
  for (let py = 0; py < side; py++) {
    for (let px = 0; px < side; px++) {
      const mx = Math.floor((px - quiet) / scale);
      const my = Math.floor((py - quiet) / scale);
      const inside = px >= quiet && py >= quiet && mx < n && my < n;
      const dark = inside && qr.modules.get(my, mx);
      y[(oy + py) * width + ox + px] = dark ? 20 : 240;
    }
  }
  const chroma = Buffer.alloc((width / 2) * (height / 2), 128);
  const parts = [Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\n`)];
  for (let f = 0; f < frames; f++) {
    parts.push(Buffer.from('FRAME\n'), y, chroma, chroma);
  }
  writeFileSync(file, Buffer.concat(parts));
}
