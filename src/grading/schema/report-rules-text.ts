// What the rules of a saved report (report-rules.ts) say when one is broken, per language. Names arrive shown
// already (safe-text.ts `shownName`).
import type { Lang } from './course.js';

const en = {
  otherStudent: (student: string, folder: string) =>
    `it is the report of ${student}, but it is in the folder of ${folder}`,
  otherExercises: (got: string, want: string) =>
    `it grades the exercises ${got || '(none)'}, but the assignment has ${want}`,
  exerciseMax: (id: string, got: number, want: number) =>
    `it gives ${id} a maximum of ${got} points, but the assignment gives it ${want}`,
  outOfRange: (points: number, max: number) => `${points} points is not within 0 to ${max}`,
  notTheSum: (points: number, sum: number) =>
    `the total is ${points} points, but its exercises add up to ${sum}`,
  otherMax: (got: number, want: number) => `the maximum is ${got} points, but the assignment's is ${want}`,
  otherThreshold: (got: number, want: number) =>
    `it passes at ${got} points, but the assignment passes at ${want}`,
  otherStatus: (got: string, want: string, points: number, threshold: number) =>
    `the status is ${got}, but ${points} points (passing at ${threshold}) give ${want}`,
};

export type ReportRulesText = typeof en;

const zh: ReportRulesText = {
  otherStudent: (student, folder) => `这是 ${student} 的报告，却放在 ${folder} 的文件夹中`,
  otherExercises: (got, want) => `它评的练习是 ${got || '（无）'}，而作业中的练习是 ${want}`,
  exerciseMax: (id, got, want) => `它给 ${id} 的满分是 ${got} 分，而作业给的是 ${want} 分`,
  outOfRange: (points, max) => `${points} 分不在 0 到 ${max} 之间`,
  notTheSum: (points, sum) => `总分是 ${points} 分，而各练习的得分加起来是 ${sum} 分`,
  otherMax: (got, want) => `满分是 ${got} 分，而作业的满分是 ${want} 分`,
  otherThreshold: (got, want) => `它的及格线是 ${got} 分，而作业的及格线是 ${want} 分`,
  otherStatus: (got, want, points, threshold) =>
    `状态是 ${got}，但 ${points} 分（及格线 ${threshold} 分）应为 ${want}`,
};

export function reportRulesText(lang: Lang): ReportRulesText {
  return lang === 'zh-CN' ? zh : en;
}
