// npm run bench:report — the HTML class report for 100 students × 39 exercises (the whole course; a made-up class
// with transcripts as long as real ones): the time to make it, its size, and the time Debian's chromium takes to
// open it, as medians of several runs. Budgets: made in ≤ 2 s, ≤ 5 MB, opened in ≤ 1 s of the browser's
// main-thread time. BENCH_AGAINST=<another build's dist/> measures that build's report too, in the same run, the
// two taking turns, so a busy machine weighs on both alike.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { measureOpen, median, openBrowser } from './browser.mjs';
import { syntheticClass } from './class-fixture.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const STUDENTS = Number(process.env.BENCH_STUDENTS ?? 100);
const EXERCISES = Number(process.env.BENCH_EXERCISES ?? 39);
const AGAINST = process.env.BENCH_AGAINST;

const builds = [{ name: 'this build', dist: new URL('../dist/', import.meta.url) }];
if (AGAINST) builds.push({ name: AGAINST, dist: pathToFileURL(`${resolve(AGAINST)}/`) });
for (const b of builds)
  b.htmlReport = (await import(new URL('grading/reporters/html.js', b.dist).href)).htmlReport;

const input = syntheticClass(STUDENTS, EXERCISES);
const failing = input.students.flatMap((s) =>
  s.report.exercises.flatMap((e) => e.checks.filter((c) => c.status === 'fail')),
).length;
const dir = mkdtempSync(join(tmpdir(), 'sl-bench-report-'));
const browser = await openBrowser();
const results = builds.map(() => ({ made: [], madeClock: [], cpu: [], wall: [], problems: [], bytes: 0 }));
try {
  // One run of each build in turn, RUNS times.
  for (let i = 0; i < RUNS; i++)
    for (const [k, b] of builds.entries()) {
      const r = results[k];
      const t = performance.now();
      const c = process.cpuUsage();
      const html = b.htmlReport(input);
      const used = process.cpuUsage(c);
      // CPU time (what the work costs) and clock time (what it cost on this machine today, with its other tenants).
      r.made.push((used.user + used.system) / 1000);
      r.madeClock.push(performance.now() - t);
      r.bytes = Buffer.byteLength(html);
      const file = join(dir, `report-${k}.html`);
      writeFileSync(file, html);
      const opened = await measureOpen(browser, file, 1);
      r.cpu.push(...opened.cpu);
      r.wall.push(...opened.wall);
      r.problems.push(...opened.problems);
    }
} finally {
  await browser.close();
  rmSync(dir, { recursive: true, force: true });
}

const verdict = (ok) => (ok ? 'within budget' : 'OVER BUDGET');
const lines = [
  `HTML class report, ${STUDENTS} students × ${EXERCISES} exercises (${failing} failing checks drawn), medians of ${RUNS} runs:`,
];
for (const [k, b] of builds.entries()) {
  const r = results[k];
  lines.push(
    `${b.name}:`,
    `  made in        ${median(r.made).toFixed(0)} ms of CPU time  (budget 2000 ms: ${verdict(median(r.made) <= 2000)})`,
    `                 ${median(r.madeClock).toFixed(0)} ms on the clock`,
    `  size           ${(r.bytes / 1e6).toFixed(2)} MB  (budget 5 MB: ${verdict(r.bytes <= 5e6)})`,
    `  opened         ${median(r.cpu).toFixed(0)} ms of chromium's main-thread time  (budget 1000 ms: ${verdict(median(r.cpu) <= 1000)})`,
    `                 ${median(r.wall).toFixed(0)} ms on the page's clock (load event end; includes waiting for a busy machine)`,
  );
  if (r.problems.length) lines.push(`  problems in the browser: ${r.problems.join('; ')}`);
}
console.log(lines.join('\n'));
const mine = results[0];
process.exitCode =
  median(mine.made) <= 2000 && mine.bytes <= 5e6 && median(mine.cpu) <= 1000 && !mine.problems.length ? 0 : 1;
