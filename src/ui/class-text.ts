// Words of the end of a grading run (the class table, the files written), per language.
import type { Lang } from '../grading/schema/course.js';

const en = {
  head: { student: 'student', points: 'points', status: 'status', first: 'first failing check' },
  status: { pass: 'passed', fail: 'not passed', error: 'grader error', skip: 'skipped' },
  stub: (exercise: string) => `${exercise}: the starter file, unchanged`,
  allStubs: 'every file is the starter file, unchanged',
  graderError: 'grader error',
  none: '—',
  graded: (n: number, passed: number) =>
    `${n} ${n === 1 ? 'submission' : 'submissions'} graded, ${passed} passed.`,
  written: 'Files written:',
  classroomBatch:
    'the classroom reporter credits the one repository whose workflow ran, and a folder of submissions has no such repository: GitHub Classroom grades each student in their own repository',
  classroomBatchNext:
    'give each student the workflow of `socketlings init --ci github` (it runs the classroom reporter for them), and grade the class here with --reporter pretty, html, junit, json or github',
  what: {
    gradebook: 'gradebook',
    html: 'class report: open it in a browser',
    htmlOne: 'report: open it in a browser',
    junitClass: 'JUnit, a testsuite per student',
    junit: 'JUnit',
    json: 'results.json (Exercism v3)',
    summary: 'Markdown summary',
    shard: 'for grade merge',
    perStudent: (n: number) => `each student's, in ${n} ${n === 1 ? 'folder' : 'folders'}`,
    stepSummary: 'step summary, appended',
    output: 'the Classroom result, appended',
  },
};

export type ClassText = typeof en;

const zh: ClassText = {
  head: { student: '学生', points: '得分', status: '状态', first: '第一个未通过的检查' },
  status: { pass: '通过', fail: '未通过', error: '评分器错误', skip: '已跳过' },
  stub: (exercise) => `${exercise}：初始模板，未改动`,
  allStubs: '每个文件都是未改动的初始模板',
  graderError: '评分器错误',
  none: '—',
  graded: (n, passed) => `已评分 ${n} 份提交，通过 ${passed} 份。`,
  written: '已写入的文件：',
  classroomBatch:
    'classroom 报告格式只为运行工作流的那一个仓库记分，而一个提交文件夹没有这样的仓库：GitHub Classroom 在每名学生自己的仓库中评分',
  classroomBatchNext:
    '把 `socketlings init --ci github` 生成的工作流交给每名学生（它会为他们运行 classroom 报告），在这里用 --reporter pretty、html、junit、json 或 github 为全班评分',
  what: {
    gradebook: '成绩单',
    html: '班级报告：用浏览器打开',
    htmlOne: '报告：用浏览器打开',
    junitClass: 'JUnit，每名学生一个 testsuite',
    junit: 'JUnit',
    json: 'results.json（Exercism v3）',
    summary: 'Markdown 摘要',
    shard: '供 grade merge 使用',
    perStudent: (n) => `每名学生各自的文件，共 ${n} 个文件夹`,
    stepSummary: '步骤摘要，已追加',
    output: 'Classroom 结果，已追加',
  },
};

export function classText(lang: Lang): ClassText {
  return lang === 'zh-CN' ? zh : en;
}
