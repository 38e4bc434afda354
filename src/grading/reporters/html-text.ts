// Words of the HTML class report, per language.
import type { Lang } from '../schema/course.js';

const en = {
  report: 'class report',
  summary: (n: number, passed: number) => `${n} students, ${passed} passed`,
  generated: 'made',
  heatmap: 'Points',
  heatmapCaption:
    'Points per student and exercise. Each cell links to the student’s result for that exercise.',
  distribution: 'Score distribution',
  distributionCaption: 'Students by total score, as a share of the maximum',
  reteach: 'What to re-teach',
  reteachCaption: 'The checks most students failed, with the messages they got most often',
  reteachRule: (min: number, n: number) =>
    n <= 2
      ? 'Every check a student failed, most failed first (a starter file handed in unchanged does not count).'
      : `Checks at least ${min} of the ${n} students failed (a fifth of the class, and at least two), most failed first. A starter file handed in unchanged does not count.`,
  reteachBelow: (k: number) =>
    `${k} more ${k === 1 ? 'check' : 'checks'} failed for fewer students: see each student below.`,
  reteachCut: (k: number) => `… and ${k} more ${k === 1 ? 'check' : 'checks'} above the threshold.`,
  nothingFailed: 'No check failed.',
  nothingCommon: (min: number) => `No check failed for ${min} or more students: see each student below.`,
  failedByOf: (k: number, n: number) => `failed by ${k} of ${n} ${n === 1 ? 'student' : 'students'}`,
  andMore: (k: number) => `and ${k} more`,
  legend: 'Exercises, by column number',
  stubKey: 'starter file, unchanged',
  stubCell: 'the starter file, unchanged',
  stubExercise:
    'Handed in the starter file unchanged: this exercise was not begun. Nothing of the student’s own was graded.',
  allStubs: 'handed in the starter files unchanged',
  gradedAt: 'graded',
  students: 'Students',
  student: 'student',
  total: 'total',
  statusHead: 'status',
  status: { pass: 'passed ✓', fail: 'not passed ✗', error: 'grader error !', skip: 'skipped –' } as Record<
    string,
    string
  >,
  band: { c4: 'all points', c3: 'half or more', c2: 'under half', c0: 'no points', ce: 'grader error' },
  missing: 'not graded',
  score: 'score',
  studentsCount: 'students',
  exercise: 'exercise',
  check: 'check',
  checks: 'checks',
  points: 'points',
  failedBy: 'failed by',
  commonMessages: 'commonest messages',
  times: (n: number) => (n === 1 ? 'once' : `${n} times`),
  checksPassed: (n: number, total: number) => `${n} of ${total} passed`,
  expected: 'expected',
  actual: 'actual',
  hint: 'hint',
  graderError: 'the grader’s own error, not the student’s',
  backToRow: '↑ this student in the table',
  backToClass: '↑ class view',
  exercisesOf: (s: string) => `Exercises of ${s}`,
  seq: {
    program: 'program',
    failedHere: 'the check failed here',
    earlier: (n: number) => `… ${n} earlier steps not drawn`,
    connect: 'connect',
    refused: 'refused (RST)',
    lost: 'lost',
    dup: 'dup',
  },
};

export type HtmlText = typeof en;

const zh: HtmlText = {
  report: '班级报告',
  summary: (n: number, passed: number) => `${n} 名学生，${passed} 名通过`,
  generated: '生成于',
  heatmap: '得分',
  heatmapCaption: '每名学生每个练习的得分。每个单元格都链接到该学生这个练习的结果。',
  distribution: '分数分布',
  distributionCaption: '按总分（占满分的比例）统计的学生人数',
  reteach: '需要重新讲解的内容',
  reteachCaption: '最多学生未通过的检查，以及他们最常收到的消息',
  reteachRule: (min: number, n: number) =>
    n <= 2
      ? '学生未通过的每一项检查，未通过人数多的在前（交上未改动的初始模板不计在内）。'
      : `${n} 名学生中至少 ${min} 名未通过的检查（全班的五分之一，且至少两名），未通过人数多的在前。交上未改动的初始模板不计在内。`,
  reteachBelow: (k: number) => `另有 ${k} 项检查未通过的学生更少：见下面各学生的部分。`,
  reteachCut: (k: number) => `……达到门槛的检查还有 ${k} 项。`,
  nothingFailed: '没有检查失败。',
  nothingCommon: (min: number) => `没有哪项检查有 ${min} 名或更多学生未通过：见下面各学生的部分。`,
  failedByOf: (k: number, n: number) => `${n} 名学生中 ${k} 名未通过`,
  andMore: (k: number) => `另有 ${k} 名`,
  legend: '练习（按列号）',
  stubKey: '初始模板，未改动',
  stubCell: '初始模板，未改动',
  stubExercise: '交上来的是未改动的初始模板：这个练习还没有开始做。没有评到学生自己的任何代码。',
  allStubs: '交上来的都是未改动的初始模板',
  gradedAt: '评分于',
  students: '学生',
  student: '学生',
  total: '总分',
  statusHead: '状态',
  status: { pass: '通过 ✓', fail: '未通过 ✗', error: '评分器错误 !', skip: '跳过 –' },
  band: { c4: '满分', c3: '一半或以上', c2: '不到一半', c0: '零分', ce: '评分器错误' },
  missing: '未评分',
  score: '分数',
  studentsCount: '学生人数',
  exercise: '练习',
  check: '检查',
  checks: '检查',
  points: '得分',
  failedBy: '未通过人数',
  commonMessages: '最常见的消息',
  times: (n: number) => `${n} 次`,
  checksPassed: (n: number, total: number) => `${total} 项中通过 ${n} 项`,
  expected: '期望',
  actual: '实际',
  hint: '提示',
  graderError: '这是评分器自身的错误，不是学生的',
  backToRow: '↑ 表格中的这名学生',
  backToClass: '↑ 班级视图',
  exercisesOf: (s: string) => `${s} 的练习`,
  seq: {
    program: '程序',
    failedHere: '检查在此处失败',
    earlier: (n: number) => `… 之前的 ${n} 步未画出`,
    connect: '连接',
    refused: '被拒绝 (RST)',
    lost: '丢失',
    dup: '重复',
  },
};

export function htmlText(lang: Lang): HtmlText {
  return lang === 'zh-CN' ? zh : en;
}
