// Every reporter `grade --reporter` knows, described once: what it writes for one submission, what it writes for a
// class, and where. The CLI's option checks, `--help`, `grade`, `grade merge` and the README test all read this
// table, so a new reporter is its own file plus one entry here (and its README row and tests).
// The views are loaded only when asked for: most runs use one or two reporters.
import type { Lang } from '../lang.js';
import type { GradeReport } from '../score.js';

/** What a written file is, in each language (shown in the list of files written). */
export type Words = Record<Lang, string>;

/** One piece of a reporter's output, and where it goes. */
export type Output =
  /** Printed on stdout (read by a CI runner or a person). */
  | { stdout: string }
  /** `<dir>/<file>`, written atomically. */
  | { file: string; text: string; what: Words }
  /** Appended to the file a CI runner names in `env`; without it, `orFile` in `<dir>`, or stdout. */
  | { append: string; env: string; what: Words; orFile?: { file: string; what: Words } };

/** A class graded at once (`--submissions`) or merged from shards. */
export interface ClassInput {
  title: string;
  exercises: { id: string }[];
  students: { student: string; report: GradeReport }[];
  lang: Lang;
  /** A student's file as the CI runner's checkout names it, if it is inside the checkout. */
  fileOf?: (student: string, file: string) => string | undefined;
}

export interface ReporterSpec {
  /**
   * Drawn by the terminal views of src/ui (it explains a failure as `verify` does, and ends a batch with the class
   * table), so the CLI renders it; every other reporter is a pure view below.
   */
  terminal?: true;
  /** What it writes for one submission graded alone. */
  one?: (r: GradeReport, lang: Lang) => Promise<Output[]>;
  /** In a batch, `one`'s files are also written into each student's folder. */
  eachStudent?: true;
  /** What it writes once a class is graded (and what `grade merge` writes, when this is only files). */
  class?: (c: ClassInput) => Promise<Output[]>;
  /** The files it may write in `--out` (checked before grading; a batch lists each student's). */
  files?: readonly string[];
  /** `grade merge` writes its class view from the shards' reports (files only, no CI runner needed). */
  merges?: true;
  /** Refused with `--submissions`: why, and what to do instead (given the reporters a class may use). */
  notForClass?: Record<Lang, { why: string; next: (others: readonly string[]) => string }>;
}

const JSON_WHAT: Words = { en: 'results.json (Exercism v3)', 'zh-CN': 'results.json（Exercism v3）' };
const SUMMARY: Words = { en: 'Markdown summary', 'zh-CN': 'Markdown 摘要' };
const STEP_SUMMARY: Words = { en: 'step summary, appended', 'zh-CN': '步骤摘要，已追加' };

/** The GitHub log on stdout, and its Markdown summary for the job's page. */
function githubOutputs({ log, summary }: { log: string; summary: string }): Output[] {
  return [
    { stdout: log },
    {
      append: summary,
      env: 'GITHUB_STEP_SUMMARY',
      what: STEP_SUMMARY,
      orFile: { file: 'summary.md', what: SUMMARY },
    },
  ];
}

async function html(c: ClassInput): Promise<string> {
  const { htmlReport } = await import('./html.js');
  return htmlReport({
    assignment: { title: c.title, exercises: c.exercises },
    students: c.students,
    lang: c.lang,
  });
}

export const REPORTER_SPECS = {
  pretty: { terminal: true },
  json: {
    one: async (r) => {
      const { jsonReport } = await import('./json.js');
      return [{ file: 'results.json', text: jsonReport(r), what: JSON_WHAT }];
    },
    eachStudent: true,
    files: ['results.json'],
  },
  junit: {
    one: async (r) => {
      const { junitReport } = await import('./junit.js');
      return [{ file: 'junit.xml', text: junitReport(r), what: { en: 'JUnit', 'zh-CN': 'JUnit' } }];
    },
    eachStudent: true,
    files: ['junit.xml'],
    merges: true,
    class: async (c) => {
      const { junitClassReport } = await import('./junit.js');
      const text = junitClassReport(
        c.title,
        c.students.map((s) => s.report),
      );
      return [
        {
          file: 'junit.xml',
          text,
          what: { en: 'JUnit, a testsuite per student', 'zh-CN': 'JUnit，每名学生一个 testsuite' },
        },
      ];
    },
  },
  github: {
    one: async (r) => {
      const { githubReport, newStopToken } = await import('./github.js');
      return githubOutputs(githubReport(r, newStopToken()));
    },
    files: ['summary.md'],
    class: async (c) => {
      const { githubClassReport } = await import('./github-class.js');
      return githubOutputs(
        githubClassReport({
          title: c.title,
          reports: c.students.map((s) => s.report),
          lang: c.lang,
          ...(c.fileOf ? { fileOf: c.fileOf } : {}),
        }),
      );
    },
  },
  classroom: {
    one: async (r) => {
      const { classroomOutputLine } = await import('./classroom.js');
      return [
        {
          append: `${classroomOutputLine(r)}\n`,
          env: 'GITHUB_OUTPUT',
          what: { en: 'the Classroom result, appended', 'zh-CN': 'Classroom 结果，已追加' },
        },
      ];
    },
    notForClass: {
      en: {
        why: 'the classroom reporter credits the one repository whose workflow ran, and a folder of submissions has no such repository: GitHub Classroom grades each student in their own repository',
        next: (others) =>
          `give each student the workflow of \`socketlings init --ci github\` (it runs the classroom reporter for them), and grade the class here with --reporter ${others.slice(0, -1).join(', ')} or ${others.at(-1)}`,
      },
      'zh-CN': {
        why: 'classroom 报告格式只为运行工作流的那一个仓库记分，而一个提交文件夹没有这样的仓库：GitHub Classroom 在每名学生自己的仓库中评分',
        next: (others) =>
          `把 \`socketlings init --ci github\` 生成的工作流交给每名学生（它会为他们运行 classroom 报告），在这里用 --reporter ${others.slice(0, -1).join('、')} 或 ${others.at(-1)} 为全班评分`,
      },
    },
  },
  html: {
    one: async (r, lang) => [
      {
        file: 'report.html',
        text: await html({
          title: r.assignment,
          exercises: r.exercises,
          students: [{ student: r.student ?? '', report: r }],
          lang,
        }),
        what: { en: 'report: open it in a browser', 'zh-CN': '报告：用浏览器打开' },
      },
    ],
    files: ['report.html'],
    merges: true,
    class: async (c) => [
      {
        file: 'report.html',
        text: await html(c),
        what: { en: 'class report: open it in a browser', 'zh-CN': '班级报告：用浏览器打开' },
      },
    ],
  },
} satisfies Record<string, ReporterSpec>;

export type ReporterName = keyof typeof REPORTER_SPECS;

/** The reporters' names, in the order help and errors list them. */
export const REPORTERS = Object.keys(REPORTER_SPECS) as ReporterName[];

/** The reporters a class (`--submissions`) may use. */
export const FOR_CLASS: ReporterName[] = REPORTERS.filter((n) => !reporterSpec(n).notForClass);

export function reporterSpec(name: ReporterName): ReporterSpec {
  return REPORTER_SPECS[name];
}

/** Whether a reporter may write into `--out` (which is then checked before grading). */
export function writesFiles(name: ReporterName): boolean {
  return Boolean(reporterSpec(name).files?.length);
}

/** The reporters whose class view `grade merge` writes. */
export const MERGEABLE: ReporterName[] = REPORTERS.filter((n) => reporterSpec(n).merges);

/** Names as given to `--reporter` (repeated or comma-separated): the known ones, once each, and the others. */
export function reporterNames(
  given: string[],
  allowed: readonly ReporterName[],
): { known: ReporterName[]; bad: string[] } {
  const list = given.flatMap((n) => n.split(','));
  const isKnown = (n: string): n is ReporterName => (allowed as readonly string[]).includes(n);
  return { known: [...new Set(list.filter(isKnown))], bad: list.filter((n) => !isKnown(n)) };
}
