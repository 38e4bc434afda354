// The command-line help, per language. The language is decided before the commands exist, from --lang,
// SOCKETLINGS_LANG or the locale, since help is printed before any command runs.
import { resolveLang } from '../app/lang.js';
import type { Lang } from '../grading/lang.js';

const en = {
  version: 'print the version',
  help: 'show help for a command',
  about: "Learn Python's socket module in the terminal, graded by what your program does on the wire.",
  course: 'use the course pack in DIR instead of the built-in course',
  lang: 'language: en or zh-CN (default: SOCKETLINGS_LANG, then the system locale)',
  init: 'create a workspace with every exercise to edit (default folder: ./socketlings)',
  initDir: 'folder to create',
  progress: 'what you have done in this workspace',
  json: 'machine-readable output',
  hint: 'one more hint for an exercise each time (default: the current one)',
  exerciseId: 'exercise id',
  solution: "show an exercise's reference solution (asks first if you have not passed it)",
  yes: 'do not ask',
  reset: 'put an exercise file back to its stub and mark it to do again',
  all: 'every exercise',
  watch: 'verify the current exercise every time you save it',
  poll: 'check the file for changes by polling (network drives, WSL, some editors)',
  list: 'lessons and exercises in teaching order',
  read: 'read a lesson (by id or number), or an exercise text (by id)',
  readKey: 'lesson id, lesson number, or exercise id',
  verify: 'grade your program for an exercise by what it does on the wire (default: the current one)',
  file: 'the program to grade (default: the exercise file in this workspace)',
  run: 'run this command instead of Python with the file, e.g. "./server" or "node client.js"',
  seedReplay: 'seed for the random inputs; the same seed replays the same run',
  jsonResults: 'print the results as JSON',
  peer: "run an exercise's reference peer on a fixed port and show what it sees",
  port: 'port of the main endpoint',
  seed: 'seed for the random inputs',
  doctor: 'check this machine: Node, Python, the course pack, and a live loopback self-test',
  dev: 'tools for course authors',
  devCheck: 'check a course pack: schema and rules, every stub fails, every reference solution passes',
  jobs: 'exercises graded at once (default: 12 per CPU core, at most 64)',
  ci: 'also write a CI workflow and an assignment for a starter repository (github)',
  devNew: 'make a course pack with one worked example exercise',
  grade: 'score a submission, or a folder of them, against an assignment (for CI and instructors)',
  assignment: 'the assignment file (YAML); default: every exercise of the course, one point each',
  reporter: 'pretty, json, junit, github or classroom; repeat for several (default: pretty)',
  out: 'folder for report files (default: socketlings-report)',
  submissions: 'grade every student folder in DIR (batch grading)',
  csv: 'where to write the gradebook (default: <out>/gradebook.csv)',
  shard: 'grade only part i of n of the students, e.g. 2/4 (for CI matrix jobs)',
  force: 'grade again students already graded in <out>',
  sandbox: 'grade inside a private network namespace where only loopback exists (Linux)',
  student: 'the name to report (default: the folder name)',
  verbose: 'show every transcript line, without folding runs of small pieces',
  unknownCommand: (word: string) => `unknown command "${word}"`,
  didYouMean: (names: string) => `did you mean ${names}? (\`socketlings --help\` lists every command)`,
  seeHelp: '`socketlings --help` lists every command',
  /** commander's own headings, keyed by its English words. */
  titles: {} as Record<string, string>,
  /** commander's own error messages: English pattern → this language. */
  errors: [] as [RegExp, string][],
};

const zh: typeof en = {
  version: '显示版本号',
  help: '显示命令的帮助',
  about: '在终端里学习 Python 的 socket 模块，按你的程序在网络上的实际行为评分。',
  course: '使用 DIR 中的课程包，而不是内置课程',
  lang: '语言：en 或 zh-CN（默认：SOCKETLINGS_LANG，其次是系统区域设置）',
  init: '创建一个包含全部练习文件的工作区（默认文件夹：./socketlings）',
  initDir: '要创建的文件夹',
  progress: '查看本工作区中已完成的内容',
  json: '机器可读的输出',
  hint: '每次多给一条练习提示（默认：当前练习）',
  exerciseId: '练习 id',
  solution: '显示练习的参考答案（如果你还没通过，会先询问）',
  yes: '不再询问',
  reset: '把练习文件恢复为初始模板，并标记为待完成',
  all: '所有练习',
  watch: '每次保存时自动检查当前练习',
  poll: '用轮询方式检测文件变化（网络驱动器、WSL、某些编辑器）',
  list: '按教学顺序列出课程和练习',
  read: '阅读一课（按 id 或编号），或一个练习的说明（按 id）',
  readKey: '课程 id、课程编号或练习 id',
  verify: '按程序在网络上的实际行为为练习评分（默认：当前练习）',
  file: '要评分的程序（默认：本工作区中的练习文件）',
  run: '运行这个命令，而不是用 Python 运行文件，例如 "./server" 或 "node client.js"',
  seedReplay: '随机输入的种子；相同的种子重放相同的运行',
  jsonResults: '以 JSON 输出结果',
  peer: '在固定端口上运行练习的参考对端，并显示它收发的内容',
  port: '主端点的端口',
  seed: '随机输入的种子',
  doctor: '检查本机：Node、Python、课程包，以及实时的回环自检',
  dev: '课程作者工具',
  devCheck: '检查课程包：模式与规则、每个模板都不通过、每个参考答案都通过',
  jobs: '同时评分的练习数（默认：每个 CPU 核心 12 个，最多 64 个）',
  ci: '同时为起始仓库写入 CI 工作流和作业文件（github）',
  devNew: '创建一个带有完整示例练习的课程包',
  grade: '按作业为一份提交（或一个文件夹中的所有提交）打分（用于 CI 和教师）',
  assignment: '作业文件（YAML）；默认：课程中的全部练习，每个 1 分',
  reporter: 'pretty、json、junit、github 或 classroom；可重复指定多个（默认：pretty）',
  out: '报告文件的输出文件夹（默认：socketlings-report）',
  submissions: '为 DIR 中每个学生的文件夹评分（批量评分）',
  csv: '成绩单的写入位置（默认：<out>/gradebook.csv）',
  shard: '只为 n 份学生中的第 i 份评分，例如 2/4（用于 CI 矩阵任务）',
  force: '重新为 <out> 中已评分的学生评分',
  sandbox: '在只有回环接口的私有网络命名空间中评分（Linux）',
  student: '报告中使用的名字（默认：文件夹名）',
  verbose: '显示完整的通信记录，不折叠成串的小数据块',
  unknownCommand: (word) => `未知命令“${word}”`,
  didYouMean: (names) => `你是不是想输入 ${names}？（\`socketlings --help\` 会列出所有命令）`,
  seeHelp: '`socketlings --help` 会列出所有命令',
  titles: {
    'Usage:': '用法：',
    'Options:': '选项：',
    'Commands:': '命令：',
    'Arguments:': '参数：',
    'Global Options:': '全局选项：',
  },
  errors: [
    [/^error: unknown option '(.*?)'/, "错误：未知选项 '$1'"],
    [/^error: missing required argument '(.*?)'/, "错误：缺少必需的参数 '$1'"],
    [/^error: option '(.*?)' argument missing/, "错误：选项 '$1' 缺少取值"],
    [
      /^error: too many arguments( for '(.*?)')?\. Expected (\d+) arguments? but got (\d+)\./,
      '错误：参数过多（应为 $3 个，实际为 $4 个）。',
    ],
    [/^error: unknown command '(.*?)'/, "错误：未知命令 '$1'"],
    [/\(Did you mean (.*?)\?\)/, '（你是不是想输入 $1？）'],
    [/^error: /, '错误：'],
  ],
};

export type HelpText = typeof en;

export function helpText(lang: Lang): HelpText {
  return lang === 'zh-CN' ? zh : en;
}

/** The language for help, from argv and the environment; an unknown --lang falls back here and errors later. */
export function earlyLang(argv: string[], env: NodeJS.ProcessEnv = process.env): Lang {
  const i = argv.findIndex((a) => a === '--lang' || a.startsWith('--lang='));
  const flag = i < 0 ? undefined : argv[i]?.includes('=') ? argv[i]?.split('=')[1] : argv[i + 1];
  try {
    return resolveLang(flag, env);
  } catch {
    return 'en';
  }
}
