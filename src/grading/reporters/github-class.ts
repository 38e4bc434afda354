// GitHub Actions for a class (batch `grade --submissions`): one error annotation per student who did not pass, on
// their file where there is one, and a class table for $GITHUB_STEP_SUMMARY. GitHub shows at most 10 annotations
// of a kind per step, and drops the rest without a word, so the log carries at most that many and then a notice
// that counts the others; the summary lists everyone. Every annotation is one escaped line: nothing of a student's
// can start a workflow command.
import { type ClassReport, classRows, type FirstFailure } from '../class-rows.js';
import type { Lang } from '../lang.js';
import type { Status } from '../results.js';
import { safeText } from '../safe-text.js';
import { escapeData, escapeProperty, MAX_ANNOTATIONS, mdEscape } from './github.js';
import type { HtmlStudent } from './html-stats.js';
import { reteach } from './html-stats.js';
import { firstSentence } from './json.js';

/** Rows of the class table in the summary, which GitHub caps at 1 MiB a step. */
const MAX_ROWS = 1000;

export interface GithubClassInput {
  title: string;
  reports: (ClassReport & { threshold: number })[];
  /** A student's file as the runner knows it (relative to the workspace), or undefined to leave the file out. */
  fileOf?: (student: string, file: string) => string | undefined;
  cap?: number;
  /** The language the class was graded in; the summary is in it (the log's annotations stay English). */
  lang?: Lang;
}

/** The summary's words: it is read by the instructor, in the language the class was graded in. */
const WORDS = {
  en: {
    status: { pass: 'passed', fail: 'not passed', error: 'grader error', skip: 'skipped' } as Record<
      Status,
      string
    >,
    colon: ': ',
    allStubs: 'every file is the starter file, unchanged',
    stub: 'the starter file, unchanged',
    heading: (title: string, n: number, passed: number) =>
      `socketlings: ${title} — ${n} ${n === 1 ? 'student' : 'students'}, ${passed} passed`,
    head: '| student | points | status | first failure |',
    more: (n: number) => `… and ${n} more students: the gradebook has every one.`,
    most: '### Checks failed most',
    mostHead: '| exercise | check | failed by |',
  },
  'zh-CN': {
    status: { pass: '通过', fail: '未通过', error: '评分器错误', skip: '已跳过' } as Record<Status, string>,
    colon: '：',
    allStubs: '每个文件都是未改动的初始模板',
    stub: '初始模板，未改动',
    heading: (title: string, n: number, passed: number) =>
      `socketlings：${title} — ${n} 名学生，通过 ${passed} 名`,
    head: '| 学生 | 得分 | 状态 | 第一个失败 |',
    more: (n: number) => `…… 另有 ${n} 名学生：成绩单里有每一名。`,
    most: '### 未通过最多的检查',
    mostHead: '| 练习 | 检查 | 未通过人数 |',
  },
};
type Words = (typeof WORDS)['en'];

const MARK: Record<Status, string> = { pass: '✅', fail: '❌', error: '⚠️', skip: '⏭️' };

/**
 * What went wrong first: the failure's reason, never the check's title (a title says what was checked, so for a
 * failure it states the opposite of what happened).
 */
function failureText(f: FirstFailure | undefined, stubs: number, n: number, w: Words): string {
  if (!f) return '';
  if (n > 0 && stubs === n) return w.allStubs;
  if (f.stub) return `${f.exercise}${w.colon}${w.stub}`;
  const why = firstSentence(f.message) || f.check;
  return `${f.exercise}${w.colon}${f.status === 'error' ? `${why} (${w.status.error})` : why}`;
}

function fmt(x: number): string {
  return String(Math.round(x * 100) / 100);
}

export function githubClassReport(input: GithubClassInput): { log: string; summary: string } {
  const cap = input.cap ?? MAX_ANNOTATIONS;
  const rows = classRows(input.reports);
  const byName = new Map(input.reports.map((r) => [r.student ?? '', r]));
  const count = (r: ClassReport) => r.exercises.length;
  const failing = rows.filter((r) => r.status !== 'pass');
  const w = WORDS[input.lang ?? 'en'];
  const lines: string[] = [];
  for (const row of failing.slice(0, cap)) {
    const report = byName.get(row.student);
    const f = row.first;
    const file = f?.file && input.fileOf ? input.fileOf(row.student, f.file) : undefined;
    const need = report ? ` (needs ${fmt(report.threshold)})` : '';
    const title = `${row.student}: ${fmt(row.points)}/${fmt(row.maxPoints)} points, ${WORDS.en.status[row.status]}${need}`;
    const message = failureText(f, row.stubs, report ? count(report) : 0, w) || w.status[row.status];
    const where = file ? `file=${escapeProperty(safeText(file, { oneLine: true }))},` : '';
    lines.push(
      `::error ${where}title=${escapeProperty(safeText(title, { oneLine: true }))}::${escapeData(safeText(message, { oneLine: true }))}`,
    );
  }
  if (failing.length > cap)
    lines.push(
      `::notice title=${escapeProperty(`socketlings: ${input.title}`)}::${escapeData(
        `${failing.length - cap} more ${failing.length - cap === 1 ? 'student' : 'students'} did not pass; the step summary lists the whole class.`,
      )}`,
    );
  return { log: lines.length ? `${lines.join('\n')}\n` : '', summary: classSummary(input, rows) };
}

function classSummary(input: GithubClassInput, rows: ReturnType<typeof classRows>): string {
  const w = WORDS[input.lang ?? 'en'];
  const passed = rows.filter((r) => r.status === 'pass').length;
  const n = input.reports[0]?.exercises.length ?? 0;
  const out = [
    `## ${w.heading(mdEscape(input.title), rows.length, passed)}`,
    '',
    w.head,
    '| --- | ---: | --- | --- |',
    ...rows
      .slice(0, MAX_ROWS)
      .map(
        (r) =>
          `| ${mdEscape(r.student)} | ${fmt(r.points)} / ${fmt(r.maxPoints)} | ${MARK[r.status]} ${w.status[r.status]} | ${mdEscape(failureText(r.first, r.stubs, n, w)) || '—'} |`,
      ),
  ];
  if (rows.length > MAX_ROWS) out.push('', w.more(rows.length - MAX_ROWS));
  // The checks that failed most, as the HTML report ranks them: where a lesson may need going over again.
  const most = reteach(
    input.reports.map((r) => ({ student: r.student ?? '', report: r }) as unknown as HtmlStudent),
    5,
  );
  if (most.length) {
    out.push('', w.most, '', w.mostHead, '| --- | --- | ---: |');
    for (const m of most)
      out.push(`| ${mdEscape(m.exercise)} | ${mdEscape(m.title)} | ${m.students} / ${rows.length} |`);
  }
  return `${out.join('\n')}\n`;
}
