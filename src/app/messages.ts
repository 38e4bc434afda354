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
  noFileReset: (id: string) =>
    `\`socketlings reset ${id}\` puts the exercise file back (as the stub, to do again)`,
  noWorkspaceFile: (id: string) => `no file to grade for "${id}": this folder is not a socketlings workspace`,
  badSeed: (v: string) => `--seed must be a whole number from 0 to 2^32-1, not "${v}"`,
  badPort: (v: string) => `--port must be a port number from 1 to 65535, not "${v}"`,
  portBusy: (port: number) => `port ${port} is already in use on this machine`,
  portBusyNext: (port: number) =>
    `stop what uses it, or pass --port ${port + 100} (and point your program at that port)`,
  badTimeScale: (v: string) => `SOCKETLINGS_TIME_SCALE must be a number from 0.5 to 20, not "${v}"`,
  badJobs: (v: string) => `--jobs must be a whole number from 1 to 64, not "${v}"`,
  badAssignment: (file: string, list: string) => `the assignment ${file} has problems:\n${list}`,
  badAssignmentNext: 'fix them; the format is in the README ("Assignments")',
  assignmentUnknown: (file: string, ids: string, course: string) =>
    `${file} names exercises the course ${course} does not have: ${ids}`,
  fileCheck: (file: string) => `${file} is in the submission`,
  fileMissing: (file: string) => `no ${file} in the submission`,
  badShard: (v: string) => `--shard must look like 1/4 (this machine's part, of how many), not "${v}"`,
  noSubmissions: (dir: string) => `no submission folders in ${dir}`,
  sandboxOnlyLinux: '--sandbox needs Linux network namespaces',
  sandboxRefused: (why: string) => `--sandbox could not make a private network namespace: ${why}`,
  sandboxNext:
    'run without --sandbox, or allow unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1)',
  notWorkspace: 'this folder is not a socketlings workspace',
  notWorkspaceNext: 'create one with `socketlings init`, then `cd socketlings`',
  initExists: (dir: string) => `${dir} already exists and is not empty; socketlings never overwrites files`,
  initExistsNext:
    'choose another folder, e.g. `socketlings init my-sockets`, or open the existing one with `cd DIR && socketlings`',
  initNested: (dir: string) => `cannot create ${dir} inside another socketlings workspace`,
  initNestedNext: 'run `socketlings` here to use the workspace you are in, or init somewhere else',
  workspaceReadme: (title: string, first: string) => `# ${title}

This is your socketlings workspace. Each numbered folder holds the exercises of one lesson; edit the
\`.py\` files where they say \`# TODO\`.

## Where to start

\`\`\`sh
npx socketlings            # the guided menu: continue, lessons, verify, hints
npx socketlings watch      # re-check the current exercise every time you save it
\`\`\`

## Commands

| command | what it does |
|---|---|
| \`socketlings read 1\` | read lesson 1 (by number or id) |
| \`socketlings verify ${first}\` | grade your program for an exercise, with a transcript of what went over the wire |
| \`socketlings hint ${first}\` | one more hint each time you ask |
| \`socketlings peer ${first}\` | run the exercise's reference peer on port 8079 and your program by hand against it |
| \`socketlings progress\` | what you have done |
| \`socketlings reset ${first}\` | put an exercise's file back to its stub |

Your progress is kept in \`.socketlings/progress.json\` in this folder: copy the folder and it comes along.
`,
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
  noFileReset: (id) => `\`socketlings reset ${id}\` 会把练习文件放回原处（恢复为初始模板，需要重新完成）`,
  noWorkspaceFile: (id) => `没有“${id}”要评分的文件：当前文件夹不是 socketlings 工作区`,
  badSeed: (v) => `--seed 必须是 0 到 2^32-1 之间的整数，而不是“${v}”`,
  badPort: (v) => `--port 必须是 1 到 65535 之间的端口号，而不是“${v}”`,
  portBusy: (port) => `本机端口 ${port} 已被占用`,
  portBusyNext: (port) => `请停止占用它的程序，或使用 --port ${port + 100}（并让你的程序连接该端口）`,
  badTimeScale: (v) => `SOCKETLINGS_TIME_SCALE 必须是 0.5 到 20 之间的数字，而不是“${v}”`,
  badJobs: (v) => `--jobs 必须是 1 到 64 之间的整数，而不是“${v}”`,
  badAssignment: (file, list) => `作业文件 ${file} 有问题：\n${list}`,
  badAssignmentNext: '请修正它们；格式见 README（“Assignments”）',
  assignmentUnknown: (file, ids, course) => `${file} 中列出了课程 ${course} 没有的练习：${ids}`,
  fileCheck: (file) => `提交中包含 ${file}`,
  fileMissing: (file) => `提交中没有 ${file}`,
  badShard: (v) => `--shard 的格式应为 1/4（本机负责的份数/总份数），而不是“${v}”`,
  noSubmissions: (dir) => `${dir} 中没有提交文件夹`,
  sandboxOnlyLinux: '--sandbox 需要 Linux 的网络命名空间',
  sandboxRefused: (why) => `--sandbox 无法创建私有网络命名空间：${why}`,
  sandboxNext: '请不用 --sandbox 运行，或允许非特权用户命名空间（sysctl kernel.unprivileged_userns_clone=1）',
  notWorkspace: '当前文件夹不是 socketlings 工作区',
  notWorkspaceNext: '先用 `socketlings init` 创建一个，然后 `cd socketlings`',
  initExists: (dir) => `${dir} 已存在且不为空；socketlings 从不覆盖文件`,
  initExistsNext:
    '请换一个文件夹，例如 `socketlings init my-sockets`，或用 `cd DIR && socketlings` 打开已有的工作区',
  initNested: (dir) => `不能在另一个 socketlings 工作区里创建 ${dir}`,
  initNestedNext: '在这里运行 `socketlings` 即可使用当前工作区，或换个地方 init',
  workspaceReadme: (title, first) => `# ${title}

这是你的 socketlings 工作区。每个编号文件夹存放一课的练习；在 \`.py\` 文件中标有 \`# TODO\` 的地方编写代码。

## 从这里开始

\`\`\`sh
npx socketlings            # 引导菜单：继续、课程、检查、提示
npx socketlings watch      # 每次保存当前练习时自动重新检查
\`\`\`

## 命令

| 命令 | 作用 |
|---|---|
| \`socketlings read 1\` | 阅读第 1 课（按编号或 id） |
| \`socketlings verify ${first}\` | 检查你的程序，并给出线路上收发内容的记录 |
| \`socketlings hint ${first}\` | 每问一次多给一条提示 |
| \`socketlings peer ${first}\` | 在 8079 端口运行该练习的参考对端，手动运行你的程序与之通信 |
| \`socketlings progress\` | 查看已完成的内容 |
| \`socketlings reset ${first}\` | 把某个练习的文件恢复为初始模板 |

你的进度保存在本文件夹的 \`.socketlings/progress.json\` 中：复制文件夹，进度也随之带走。
`,
};

const all: Record<Lang, AppMessages> = { en, 'zh-CN': zh };
export function appText(lang: Lang): AppMessages {
  return all[lang];
}
