/// <reference lib="dom" />
// The instructor's HTML class report: escaped and self-contained (a Content-Security-Policy that lets nothing leave
// the file and runs only the one script it names), then opened in a real browser (Debian's chromium, driven by
// playwright-core) at a phone's width and a laptop's: no sideways page scrolling, every student reached by their
// anchor, no request, the grid agreeing with the gradebook, diagrams at their own size with the failure in view,
// dates in the reader's locale. Screenshots are kept in test/artifacts/. How long it takes to make and open is
// measured by `npm run bench:report`, not here.
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type Browser, openBrowser, openPage } from '../bench/browser.mjs';
import { syntheticClass } from '../bench/class-fixture.mjs';
import { htmlReport } from '../src/grading/reporters/html.js';
import { failedChecks, messageKey, reteach, reteachThreshold } from '../src/grading/reporters/html-stats.js';
import { cli, fixture, ROOT } from './helpers.js';
import { needs, sandbox } from './needs.js';

const ARTIFACTS = join(ROOT, 'test', 'artifacts');
const dir = mkdtempSync(join(tmpdir(), 'sl-html-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const MADE = '2026-12-06T04:40:00.000Z';

describe('htmlReport', () => {
  const { assignment, students } = syntheticClass(3, 4, 9);

  test('self-contained: nothing fetched, one script, named by its hash in the policy; every name escaped', () => {
    const evil = structuredClone(students);
    (evil[0] as { student: string }).student = '<img src=x onerror=alert(1)>';
    const html = htmlReport({ assignment, students: evil, generatedAt: MADE });
    expect(html).not.toContain('<img');
    expect(html).toContain('&#60;img src=x onerror=alert(1)&#62;');
    expect(html).not.toMatch(/<link|https?:\/\/|@import|\ssrc="|url\(/i);
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1] ?? '';
    expect(csp).toContain("default-src 'none'");
    const scripts = [...html.matchAll(/<script>([^<]*)<\/script>/g)].map((m) => m[1] as string);
    expect(scripts).toHaveLength(1);
    expect(html.match(/<script/g)).toHaveLength(1);
    const hash = createHash('sha256')
      .update(scripts[0] as string)
      .digest('base64');
    expect(csp).toContain(`script-src 'sha256-${hash}'`);
    // Before (or without) the script, the time reads in UTC, unambiguously.
    expect(html).toContain(`<time datetime="${MADE}">2026-12-06 04:40 UTC</time>`);
  });

  test('what to re-teach groups messages that differ only in random payloads and numbers', () => {
    expect(messageKey('client-1 waited 2 s for "ab 12\\n", but got "x"')).toBe(
      messageKey('client-1 waited 2 s for "zz 99\\n", but got "y"'),
    );
    expect(messageKey('waited 2 s for EOF')).not.toBe(messageKey('waited 2 s for a line'));
    const html = htmlReport({ ...syntheticClass(8, 6, 2), generatedAt: MADE });
    expect(html).toMatch(/<section id="reteach">.*failed by \d of 8 students/s);
  });

  test.each([
    [1, 1],
    [2, 1],
    [3, 2],
    [5, 2],
    [10, 2],
    [11, 3],
    [30, 6],
    [100, 20],
  ])('re-teaching starts at a fifth of the class, at least two: %i students → %i', (n, min) => {
    expect(reteachThreshold(n)).toBe(min);
  });

  test('a check one student of five failed is not a re-teaching matter; it is counted, ranked by students', () => {
    const five = syntheticClass(5, 6, 3);
    const all = failedChecks(five.students);
    expect(all.some((r) => r.students === 1)).toBe(true);
    const shown = reteach(five.students);
    expect(shown.every((r) => r.students >= 2)).toBe(true);
    expect(shown.map((r) => r.students)).toEqual([...shown.map((r) => r.students)].sort((a, b) => b - a));
    const html = htmlReport({ ...five, generatedAt: MADE });
    const section = /<section id="reteach">(.*?)<\/section>/s.exec(html)?.[1] ?? '';
    expect(section).not.toMatch(/failed by 1 of 5/);
    const fewer = all.filter((r) => r.students < 2).length;
    expect(section).toContain(`${fewer} more ${fewer === 1 ? 'check' : 'checks'} failed for fewer students`);
  });

  test('a stub handed in is named as such, in the grid, the student’s section, and left out of re-teaching', () => {
    const c = structuredClone(syntheticClass(3, 4, 9));
    const s0 = c.students[0] as (typeof c.students)[number];
    for (const e of s0.report.exercises) {
      (e as { stub?: boolean }).stub = true;
      e.points = 0;
      for (const ch of e.checks) ch.status = ch === e.checks[0] ? 'fail' : 'skip';
    }
    const html = htmlReport({ ...c, generatedAt: MADE });
    expect((html.match(/<td class="cs"/g) ?? []).length).toBe(4);
    expect(html).toContain('handed in the starter files unchanged');
    expect(html).toContain('Handed in the starter file unchanged');
    const counted = failedChecks(c.students).reduce((a, r) => a + r.students, 0);
    const without = failedChecks(c.students.slice(1)).reduce((a, r) => a + r.students, 0);
    expect(counted).toBe(without);
  });

  test('zh-CN: the page says so and speaks Chinese', () => {
    const html = htmlReport({ assignment, students, lang: 'zh-CN', generatedAt: MADE });
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain('需要重新讲解的内容');
  });
});

/** No sideways scrolling of the page itself. */
async function pageOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

/**
 * Students whose anchor does not bring their section to the top of the screen (or, for the last ones, into view
 * with the page scrolled to its end), drawn: not a blank box.
 */
async function unreachable(page: Page): Promise<string[]> {
  const n = await page.$$eval('section.student', (s) => s.length);
  const bad: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = await page.evaluate(async (i) => {
      location.hash = `#s${i}`;
      await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
      const el = document.getElementById(`s${i}`) as HTMLElement;
      const top = el.getBoundingClientRect().top;
      const hit = document.elementFromPoint(40, Math.max(4, top + 24));
      const heading = el.querySelector('h2')?.getBoundingClientRect();
      const end = scrollY + innerHeight >= document.documentElement.scrollHeight - 1;
      const landed = Math.abs(top) <= 12 || (end && top >= 0 && top < innerHeight - 60);
      return { top, landed, drawn: el.contains(hit), heading: heading?.height ?? 0 };
    }, i);
    if (!r.landed || !r.drawn || r.heading <= 0) bad.push(`#s${i}: ${JSON.stringify(r)}`);
  }
  return bad;
}

// The class is graded as a batch, which takes the sandbox.
describe('in a real browser', needs(sandbox()), () => {
  // Opened by the first test that needs it, so a missing browser fails each of those tests by name (a failing
  // beforeAll would leave them counted as skipped). A reader in Germany on Shanghai time.
  let browser: Browser | undefined;
  const theBrowser = async () => {
    browser ??= await openBrowser({ locale: 'de-DE', timezoneId: 'Asia/Shanghai' });
    return browser;
  };
  const out = join(dir, 'out');
  beforeAll(async () => {
    const asg = join(dir, 'asg.yaml');
    writeFileSync(
      asg,
      'format: 1\ntitle: Week 2\nexercises:\n  - { id: tcp-client, points: 10 }\n  - { id: echo-server, points: 9 }\npass: { percent: 50 }\n',
    );
    const client = join(ROOT, 'lessons', '03-tcp-clients', 'tcp-client');
    const server = join(ROOT, 'lessons', '04-tcp-servers', 'echo-server');
    const programs: [string, string, string][] = [
      ['ann', join(client, 'solution', 'tcp_client.py'), fixture('programs', 'echo-server', 'passes.py')],
      ['ben', join(client, 'tcp_client.py'), fixture('programs', 'echo-server', 'ignores_half_close.py')],
      ['cat', join(client, 'solution', 'tcp_client.py'), fixture('programs', 'echo-server', 'recv_once.py')],
      ['dan', join(client, 'tcp_client.py'), fixture('programs', 'echo-server', 'wrong_bytes.py')],
      // Handed in as given out, with Windows line endings from a checkout there.
      ['eve', join(client, 'tcp_client.py'), join(server, 'echo_server.py')],
    ];
    for (const [name, c, s] of programs) {
      mkdirSync(join(dir, 'class', name, '03-tcp-clients'), { recursive: true });
      mkdirSync(join(dir, 'class', name, '04-tcp-servers'), { recursive: true });
      copyFileSync(c, join(dir, 'class', name, '03-tcp-clients', 'tcp_client.py'));
      copyFileSync(s, join(dir, 'class', name, '04-tcp-servers', 'echo_server.py'));
    }
    const crlf = join(dir, 'class', 'eve', '04-tcp-servers', 'echo_server.py');
    writeFileSync(crlf, readFileSync(crlf, 'utf8').replace(/\n/g, '\r\n'));
    const r = await cli(
      ['grade', '--assignment', asg, '--submissions', join(dir, 'class'), '--out', out, '--reporter', 'html'],
      { timeoutMs: 120_000 },
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
    // The run says where the report is.
    expect(r.stderr).toMatch(/report\.html\s+class report: open it in a browser/);
  }, 180_000);
  afterAll(async () => browser?.close());

  test('the grid matches the gradebook, the stub is named, class and student views link both ways', async () => {
    const { page, problems } = await openPage((await theBrowser()).ctx, join(out, 'report.html'));
    const book = readFileSync(join(out, 'gradebook.csv'), 'utf8').trim().split('\n');
    const ids = (book[0] ?? '').split(',').slice(1, -3);
    expect(ids).toEqual(['tcp-client', 'echo-server']);
    const cells = await page.$$eval('#heatmap tbody tr[id]', (rows) =>
      rows.map((tr) => [
        tr.querySelector('th')?.textContent ?? '',
        ...[...tr.querySelectorAll('td[data-points]')].map((td) => td.getAttribute('data-points') ?? ''),
        tr.querySelector('td[data-total]')?.getAttribute('data-total') ?? '',
      ]),
    );
    expect(cells).toHaveLength(book.length - 1);
    book.slice(1).forEach((line, i) => {
      const [student, ...rest] = line.split(',');
      const shown = cells[i] as string[];
      expect(shown[0]).toBe(student);
      // exercises and total; the CSV's max and status columns are not cells of their own
      for (let k = 0; k <= ids.length; k++) expect(Number(shown[k + 1])).toBe(Number(rest[k]));
    });
    // eve handed in both starter files untouched (one with CRLF endings); ben and dan only the client's.
    const stubs = await page.$$eval('#heatmap tbody tr[id]', (rows) =>
      rows.map((tr) => `${tr.querySelector('th')?.textContent}:${tr.querySelectorAll('td.cs').length}`),
    );
    expect(stubs).toEqual(expect.arrayContaining(['ann:0', 'ben:1', 'cat:0', 'dan:1', 'eve:2']));
    const eve = book.findIndex((l) => l.startsWith('eve,')) - 1;
    expect(await page.$eval(`#s${eve} h2`, (h) => h.textContent)).toContain(
      'handed in the starter files unchanged',
    );

    // class → student
    const row = 1;
    await page.click(`#r${row} th a`);
    expect(new URL(page.url()).hash).toBe(`#s${row}`);
    const top = await page.$eval(`#s${row}`, (el) => el.getBoundingClientRect().top);
    expect(Math.abs(top)).toBeLessThan(12);
    // student → class, and back to the student's row
    await page.click(`#s${row} a[href="#class"]`);
    expect(new URL(page.url()).hash).toBe('#class');
    await page.click(`#s${row} a[href="#r${row}"]`);
    expect(new URL(page.url()).hash).toBe(`#r${row}`);
    // a grid cell → the student's exercise → its failing checks, drawn
    const failing = await page.$eval(`#r${row}`, (tr) =>
      [...tr.querySelectorAll('td.c0 a, td.c2 a, td.c3 a')].map((a) => a.getAttribute('href')),
    );
    expect(failing.length).toBeGreaterThan(0);
    await page.click(`#r${row} a[href="${failing[0]}"]`);
    await page.click(`${failing[0]} a`);
    const article = `${failing[0]}-d`;
    expect(new URL(page.url()).hash).toBe(article);
    expect(await page.$$eval(`${article} svg.seq`, (s) => s.length)).toBeGreaterThan(0);
    expect(await page.$eval(`${article} svg.seq`, (s) => s.textContent)).toContain('the check failed here');
    // Every in-page link has its target.
    const broken = await page.$$eval('a[href^="#"]', (as) =>
      as.map((a) => a.getAttribute('href') as string).filter((h) => !document.getElementById(h.slice(1))),
    );
    expect(broken).toEqual([]);
    // The date in the reader's locale and time zone (Shanghai is 8 hours ahead of UTC), by the one script.
    const time = await page.$eval('header time', (t) => ({
      iso: t.getAttribute('datetime') ?? '',
      text: t.textContent ?? '',
    }));
    const m = /^(\d\d)\.(\d\d)\.(\d{4}), (\d\d):(\d\d)$/.exec(time.text);
    expect(m, time.text).not.toBeNull();
    const there = new Date(new Date(time.iso).getTime() + 8 * 3600_000);
    expect(m?.slice(1).map(Number)).toEqual([
      there.getUTCDate(),
      there.getUTCMonth() + 1,
      there.getUTCFullYear(),
      there.getUTCHours(),
      there.getUTCMinutes(),
    ]);
    // Printed: no navigation, one student per page.
    await page.emulateMedia({ media: 'print' });
    expect(await page.$eval('nav', (n) => getComputedStyle(n).display)).toBe('none');
    await page.emulateMedia({ media: 'screen' });
    expect(problems).toEqual([]);
    await page.close();
  });

  // The real class above, and a made-up one as wide as the course: 30 students × 32 exercises, with a long name, a
  // Chinese one and a stub, so the grid must scroll in its box.
  const big = structuredClone(syntheticClass(30, 32, 5));
  (big.students[3] as { student: string }).student = 'Maximiliana-Konstantina Papadopoulou-Oppenheimer';
  (big.students[4] as { student: string }).student = '欧阳娜娜（第二学期重修）';
  const stubbed = big.students[5]?.report.exercises[0] as { stub?: boolean; points: number };
  stubbed.stub = true;
  stubbed.points = 0;
  const wide = join(dir, 'wide.html');
  writeFileSync(wide, htmlReport({ ...big, generatedAt: MADE }));

  for (const width of [390, 1280])
    test(`at ${width} px: no sideways page scrolling, every student reached by their anchor, nothing fetched`, async () => {
      for (const [name, file] of [
        ['class', join(out, 'report.html')],
        ['wide', wide],
      ] as const) {
        const { page, problems } = await openPage((await theBrowser()).ctx, file);
        await page.setViewportSize({ width, height: 900 });
        expect(await pageOverflow(page), `${name}: the page scrolls sideways`).toBeLessThanOrEqual(0);
        // Headers are read without tilting one's head.
        const tilted = await page.$$eval('#heatmap thead th', (ths) =>
          ths.filter((th) => {
            const st = getComputedStyle(th);
            return st.writingMode !== 'horizontal-tb' || st.transform !== 'none';
          }),
        );
        expect(tilted).toHaveLength(0);
        // Name, total and status are in view on the first screen; wide grids scroll inside their own box.
        const firstRow = await page.$eval('#heatmap tbody tr[id]', (tr) =>
          [...tr.children].slice(0, 3).map((c) => c.getBoundingClientRect().right),
        );
        for (const right of firstRow) expect(right).toBeLessThanOrEqual(width);
        const grid = await page.$eval('#heatmap .grid', (g) => ({
          box: g.getBoundingClientRect().width,
          scrolls: g.scrollWidth > g.clientWidth,
          main: (document.querySelector('main') as HTMLElement).clientWidth,
        }));
        // The grid takes the width there is.
        expect(grid.box).toBeGreaterThanOrEqual(grid.main * 0.98);
        if (name === 'wide') expect(grid.scrolls).toBe(true);
        // Diagrams at their own size (never shrunk), 13 px type, every word inside the drawing.
        const diagrams = await page.$$eval('svg.seq', (svgs) =>
          svgs.slice(0, 40).map((svg) => {
            const w = Number(svg.getAttribute('width'));
            const texts = [...svg.querySelectorAll('text')] as SVGTextElement[];
            return {
              shown: svg.getBoundingClientRect().width,
              w,
              font: Number.parseFloat(getComputedStyle(texts[0] as Element).fontSize),
              clipped: texts.filter((t) => {
                const b = t.getBBox();
                return b.x < 0 || b.x + b.width > w + 0.5;
              }).length,
              failure: texts.some((t) => t.textContent === '✗ the check failed here'),
            };
          }),
        );
        expect(diagrams.length).toBeGreaterThan(0);
        for (const d of diagrams) {
          expect(d.shown).toBeCloseTo(d.w, 0);
          expect(d.font).toBeGreaterThanOrEqual(12);
          expect(d.clipped).toBe(0);
          expect(d.failure).toBe(true);
        }
        expect(await unreachable(page)).toEqual([]);
        // A row far down the grid, from its student's section.
        const last = (await page.$$eval('section.student', (s) => s.length)) - 1;
        await page.click(`#s${last} a[href="#r${last}"]`);
        const rowBox = await page.$eval(`#r${last}`, (r) => r.getBoundingClientRect());
        expect(rowBox.top).toBeGreaterThanOrEqual(0);
        expect(rowBox.bottom).toBeLessThanOrEqual(900);
        await page.goto(`file://${file}`);
        mkdirSync(ARTIFACTS, { recursive: true });
        await page.screenshot({ path: join(ARTIFACTS, `class-report-${name}-${width}.png`) });
        expect(problems).toEqual([]);
        await page.close();
      }
    }, 120_000);

  test('grade --reporter html on one submission writes its report.html and says where', async () => {
    const single = join(dir, 'single');
    const r = await cli(
      ['grade', '--assignment', join(dir, 'asg.yaml'), '--reporter', 'html', '--out', single],
      { cwd: join(dir, 'class', 'ben') },
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(join(single, 'report.html'));
    const html = readFileSync(join(single, 'report.html'), 'utf8');
    expect(html).toContain('>ben</a>');
    expect(html).toContain('<svg class="seq"');
    const { page, problems } = await openPage((await theBrowser()).ctx, join(single, 'report.html'));
    expect(await page.$$eval('#heatmap tbody tr[id]', (rows) => rows.length)).toBe(1);
    expect(problems).toEqual([]);
    await page.close();
  });
});
