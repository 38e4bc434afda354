// npm run bench:report — the HTML class report for 100 students × 22 exercises (a made-up class with transcripts
// as long as real ones): the time to make it, its size, and the time Debian's chromium takes to open it, as
// medians of several runs. Budgets: made in ≤ 2 s, ≤ 5 MB, opened in ≤ 1 s of the browser's main-thread time.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { htmlReport } from '../dist/grading/reporters/html.js';
import { measureOpen, median, openBrowser } from './browser.mjs';
import { syntheticClass } from './class-fixture.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const STUDENTS = Number(process.env.BENCH_STUDENTS ?? 100);
const EXERCISES = Number(process.env.BENCH_EXERCISES ?? 22);

const input = syntheticClass(STUDENTS, EXERCISES);
const failing = input.students.flatMap((s) =>
  s.report.exercises.flatMap((e) => e.checks.filter((c) => c.status === 'fail')),
).length;
// CPU time (what the work costs) and clock time (what it cost on this machine today, with its other tenants).
const made = [];
const madeClock = [];
let html = '';
for (let i = 0; i < RUNS; i++) {
  const t = performance.now();
  const c = process.cpuUsage();
  html = htmlReport(input);
  const used = process.cpuUsage(c);
  made.push((used.user + used.system) / 1000);
  madeClock.push(performance.now() - t);
}
const bytes = Buffer.byteLength(html);
const dir = mkdtempSync(join(tmpdir(), 'sl-bench-report-'));
const file = join(dir, 'report.html');
writeFileSync(file, html);
const browser = await openBrowser();
let opened;
try {
  opened = await measureOpen(browser, file, RUNS);
} finally {
  await browser.close();
  rmSync(dir, { recursive: true, force: true });
}

const verdict = (ok) => (ok ? 'within budget' : 'OVER BUDGET');
const lines = [
  `HTML class report, ${STUDENTS} students × ${EXERCISES} exercises (${failing} failing checks drawn), medians of ${RUNS} runs:`,
  `  made in        ${median(made).toFixed(0)} ms of CPU time  (budget 2000 ms: ${verdict(median(made) <= 2000)})`,
  `                 ${median(madeClock).toFixed(0)} ms on the clock`,
  `  size           ${(bytes / 1e6).toFixed(2)} MB  (budget 5 MB: ${verdict(bytes <= 5e6)})`,
  `  opened         ${median(opened.cpu).toFixed(0)} ms of chromium's main-thread time  (budget 1000 ms: ${verdict(median(opened.cpu) <= 1000)})`,
  `                 ${median(opened.wall).toFixed(0)} ms on the page's clock (load event end; includes waiting for a busy machine)`,
];
if (opened.problems.length) lines.push(`  problems in the browser: ${opened.problems.join('; ')}`);
console.log(lines.join('\n'));
process.exitCode =
  median(made) <= 2000 && bytes <= 5e6 && median(opened.cpu) <= 1000 && !opened.problems.length ? 0 : 1;
