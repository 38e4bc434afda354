// Strings of the terminal interface, per language.
import type { Lang } from '../grading/schema/course.js';

const en = {
  lessons: 'Lessons',
  exercises: 'exercises',
  noExercises: '(reading only)',
  seed: 'seed',
  checksPassed: (n: number, total: number) => `${n} of ${total} checks passed`,
  passed: 'passed',
  failed: 'failed',
  skipped: 'skipped',
  graderError: 'grader error',
  expected: 'expected',
  actual: 'actual',
  transcript: 'transcript',
  hint: 'hint',
  replay: 'replay',
  yourProgram: 'your program',
  outputCut: (stream: string, n: number) =>
    `${stream} was cut at the cap: ${n} more bytes were read and dropped`,
  morePeerLines: (n: number) => `… ${n} earlier lines not shown`,
  peerWaiting: (what: string) => `peer ready: ${what}. Start your program now; Ctrl+C stops the peer.`,
  peerListening: (where: string) => `listening on ${where}`,
  peerConnecting: (where: string) => `will connect to your server at ${where}`,
  doctorTitle: 'socketlings doctor',
  ok: 'ok',
  skip: 'skip',
  fail: 'fail',
  course: 'course',
  valid: 'valid',
  invalid: 'invalid',
  notFound: 'not found',
  selfTest: 'loopback self-test',
  pasteHint: 'Paste this into a bug report as it is.',
  reportBug: 'This is a bug in socketlings. Please report it with the lines above at',
};
type UiText = typeof en;

const zh: UiText = {
  lessons: '课程',
  exercises: '练习',
  noExercises: '（仅阅读）',
  seed: '种子',
  checksPassed: (n, total) => `${total} 项检查中通过 ${n} 项`,
  passed: '通过',
  failed: '未通过',
  skipped: '已跳过',
  graderError: '评分器错误',
  expected: '预期',
  actual: '实际',
  transcript: '通信记录',
  hint: '提示',
  replay: '手动重现',
  yourProgram: '你的程序',
  outputCut: (stream, n) => `${stream} 超过上限被截断：另有 ${n} 字节被读取并丢弃`,
  morePeerLines: (n) => `……前面还有 ${n} 行未显示`,
  peerWaiting: (what) => `对端已就绪：${what}。现在启动你的程序；按 Ctrl+C 停止对端。`,
  peerListening: (where) => `正在监听 ${where}`,
  peerConnecting: (where) => `将连接你的服务器 ${where}`,
  doctorTitle: 'socketlings 诊断',
  ok: '正常',
  skip: '跳过',
  fail: '失败',
  course: '课程包',
  valid: '有效',
  invalid: '无效',
  notFound: '未找到',
  selfTest: '回环自检',
  pasteHint: '可将以上内容原样粘贴到问题报告中。',
  reportBug: '这是 socketlings 的缺陷。请连同上面的内容报告到',
};

const all: Record<Lang, UiText> = { en, 'zh-CN': zh };
export function uiText(lang: Lang): UiText {
  return all[lang];
}
export type { UiText };
