// Words of the end of a grading run (the class table, the files written), per language.
import type { Lang } from '../grading/schema/course.js';

const en = {
  head: { student: 'student', points: 'points', status: 'status', first: 'first failure' },
  first: (exercise: string, why: string) => `${exercise}: ${why}`,
  status: { pass: 'passed', fail: 'not passed', error: 'grader error', skip: 'skipped' },
  stub: (exercise: string) => `${exercise}: the starter file, unchanged`,
  allStubs: 'every file is the starter file, unchanged',
  graderError: 'grader error',
  none: '—',
  graded: (n: number, passed: number) =>
    `${n} ${n === 1 ? 'submission' : 'submissions'} graded, ${passed} passed.`,
  written: 'Files written:',
  what: {
    gradebook: 'gradebook',
    shard: 'for grade merge',
    perStudent: (n: number) => `each student's, in ${n} ${n === 1 ? 'folder' : 'folders'}`,
  },
};

export type ClassText = typeof en;

const zh: ClassText = {
  head: { student: '学生', points: '得分', status: '状态', first: '第一个失败' },
  first: (exercise, why) => `${exercise}：${why}`,
  status: { pass: '通过', fail: '未通过', error: '评分器错误', skip: '已跳过' },
  stub: (exercise) => `${exercise}：初始模板，未改动`,
  allStubs: '每个文件都是未改动的初始模板',
  graderError: '评分器错误',
  none: '—',
  graded: (n, passed) => `已评分 ${n} 份提交，通过 ${passed} 份。`,
  written: '已写入的文件：',
  what: {
    gradebook: '成绩单',
    shard: '供 grade merge 使用',
    perStudent: (n) => `每名学生各自的文件，共 ${n} 个文件夹`,
  },
};

export function classText(lang: Lang): ClassText {
  return lang === 'zh-CN' ? zh : en;
}
