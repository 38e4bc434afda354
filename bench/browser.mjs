// Debian's chromium driven by playwright-core, for the HTML report's browser test and bench. No browser is
// downloaded: the system one is used, with a fresh profile that is removed on close.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.SOCKETLINGS_CHROMIUM ?? '/usr/bin/chromium';

/**
 * A fresh headless chromium, or an error that says how to get one: CI installs it, so it is never skipped.
 * `options` go to the browser context (a reader's `locale` and `timezoneId`, say).
 */
export async function openBrowser(options = {}) {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `no chromium at ${CHROMIUM}: the HTML report is tested in a real browser. Install it (as root: apt-get update && apt-get install -y chromium; .ci/run does this) or point SOCKETLINGS_CHROMIUM at one.`,
    );
  const profile = mkdtempSync(join(tmpdir(), 'sl-chromium-'));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
    viewport: { width: 1200, height: 900 },
    ...options,
  });
  return {
    ctx,
    profile,
    close: async () => {
      await ctx.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Open a file, recording console errors, page errors and any request for something other than a file. */
export async function openPage(ctx, file) {
  const page = await ctx.newPage();
  const problems = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('request', (r) => !r.url().startsWith('file://') && problems.push(`request: ${r.url()}`));
  await page.goto(`file://${file}`);
  return { page, problems };
}

/**
 * Open a file `n` times, each in a fresh page that first shows a blank file (so the renderer is already running),
 * and measure in the browser: the renderer main thread's CPU time for the navigation (Chrome's
 * Performance.getMetrics ThreadTime: parsing, style, layout, paint up to the load event) and the load event's
 * end on the page's own clock. On a shared machine the clock measures the other tenants too.
 */
export async function measureOpen(b, file, n) {
  const blank = join(b.profile, 'blank.html');
  writeFileSync(blank, '<!doctype html><title>blank</title>');
  const cpu = [];
  const wall = [];
  const problems = [];
  for (let i = 0; i < n; i++) {
    const { page, problems: p } = await openPage(b.ctx, blank);
    const cdp = await b.ctx.newCDPSession(page);
    await cdp.send('Performance.enable');
    const thread = async () =>
      (await cdp.send('Performance.getMetrics')).metrics.find((x) => x.name === 'ThreadTime')?.value ??
      Number.NaN;
    const before = await thread();
    await page.goto(`file://${file}`);
    cpu.push((await thread()) * 1000 - before * 1000);
    wall.push(await page.evaluate(() => performance.getEntriesByType('navigation')[0].loadEventEnd));
    problems.push(...p);
    await page.close();
  }
  return { cpu, wall, problems };
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
