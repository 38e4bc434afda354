// Sentences the app layer says to users, per language. Commands format nothing themselves.
import type { Lang } from '../grading/schema/course.js';

const en = {
  packProblems: (where: string, n: number, list: string) =>
    `the course pack in ${where} has ${n} problem${n === 1 ? '' : 's'}:\n${list}`,
  packFixNext: 'fix them, then run `socketlings dev check --course DIR` again',
  builtinBroken: 'reinstall socketlings: its built-in course is damaged',
  andMore: (n: number) => `… and ${n} more`,
  noExercise: (key: string) => `no exercise "${key}" in this course`,
  didYouMean: (ids: string) => `did you mean ${ids}? (\`socketlings list\` shows them all)`,
  seeList: 'run `socketlings list` to see what there is',
  noLesson: (key: string) => `no lesson "${key}" in this course`,
  noPython: (tried: string) => `no Python 3 found (tried: ${tried})`,
  noPythonNext:
    'install Python 3, or set SOCKETLINGS_PYTHON to its path (for example SOCKETLINGS_PYTHON=/usr/bin/python3.12)',
  noFile: (file: string) => `the file to grade does not exist: ${file}`,
  noFileNext: 'pass --file PATH, or run inside a workspace made by `socketlings init`',
  noWorkspaceFile: (id: string) => `no file to grade for "${id}": this folder is not a socketlings workspace`,
  badSeed: (v: string) => `--seed must be a whole number from 0 to 2^32-1, not "${v}"`,
  badPort: (v: string) => `--port must be a port number from 1 to 65535, not "${v}"`,
  portBusy: (port: number) => `port ${port} is already in use on this machine`,
  portBusyNext: (port: number) =>
    `stop what uses it, or pass --port ${port + 100} (and point your program at that port)`,
  badTimeScale: (v: string) => `SOCKETLINGS_TIME_SCALE must be a number from 0.5 to 20, not "${v}"`,
};
type AppMessages = typeof en;

const zh: AppMessages = {
  packProblems: (where, n, list) => `${where} 中的课程包有 ${n} 个问题：\n${list}`,
  packFixNext: '修正后再运行 `socketlings dev check --course DIR`',
  builtinBroken: '请重新安装 socketlings：内置课程已损坏',
  andMore: (n) => `……另有 ${n} 个`,
  noExercise: (key) => `本课程中没有练习“${key}”`,
  didYouMean: (ids) => `你是不是想输入 ${ids}？（\`socketlings list\` 会列出全部）`,
  seeList: '运行 `socketlings list` 查看全部内容',
  noLesson: (key) => `本课程中没有课程“${key}”`,
  noPython: (tried) => `没有找到 Python 3（尝试过：${tried}）`,
  noPythonNext:
    '请安装 Python 3，或把 SOCKETLINGS_PYTHON 设为它的路径（例如 SOCKETLINGS_PYTHON=/usr/bin/python3.12）',
  noFile: (file) => `要评分的文件不存在：${file}`,
  noFileNext: '请用 --file PATH 指定，或在 `socketlings init` 创建的工作区中运行',
  noWorkspaceFile: (id) => `没有“${id}”要评分的文件：当前文件夹不是 socketlings 工作区`,
  badSeed: (v) => `--seed 必须是 0 到 2^32-1 之间的整数，而不是“${v}”`,
  badPort: (v) => `--port 必须是 1 到 65535 之间的端口号，而不是“${v}”`,
  portBusy: (port) => `本机端口 ${port} 已被占用`,
  portBusyNext: (port) => `请停止占用它的程序，或使用 --port ${port + 100}（并让你的程序连接该端口）`,
  badTimeScale: (v) => `SOCKETLINGS_TIME_SCALE 必须是 0.5 到 20 之间的数字，而不是“${v}”`,
};

const all: Record<Lang, AppMessages> = { en, 'zh-CN': zh };
export function appText(lang: Lang): AppMessages {
  return all[lang];
}
