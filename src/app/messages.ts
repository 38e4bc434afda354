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
    'install Python 3.11 or newer, or set SOCKETLINGS_PYTHON to its path (for example SOCKETLINGS_PYTHON=/usr/bin/python3.12)',
  notPython3: (python: string, why: string) => `the interpreter ${python} cannot run the programs: ${why}`,
  notPython3Why: {
    notStarted: (code: string) => `it could not be started (${code})`,
    exited: (how: string, said: string) => `asked its version, it ${how}${said ? ` (${said})` : ''}`,
    old: (version: string) => `it is Python ${version}, and socketlings needs Python 3`,
    other: (said: string) => `asked its version, it answered ${JSON.stringify(said)}, not a Python version`,
    code: (n: number) => `exited with code ${n}`,
    signal: (sig: string) => `was ended by ${sig}`,
  },
  notPython3FromEnv:
    'set SOCKETLINGS_PYTHON to a Python 3.11 or newer (for example SOCKETLINGS_PYTHON=/usr/bin/python3.12), or unset it to use python3 from PATH',
  notPython3Next:
    'install Python 3.11 or newer, or set SOCKETLINGS_PYTHON to its path (for example SOCKETLINGS_PYTHON=/usr/bin/python3.12)',
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
  sandboxUnavailable: (why: string) => `graded programs cannot be sandboxed on this machine: ${why}`,
  sandboxBatchNext: (fix: string) =>
    `${fix}. Without the sandbox a student's program can read your files and environment and tamper with other students' grades; pass --no-sandbox only if you accept that`,
  notIsolated: (why: string) => `this run was not isolated: ${why}`,
  badSize: (option: string, v: string) =>
    `${option} must be a size such as 512M or 1G (binary units K, M, G; a bare number is MiB), not "${v}"`,
  sizeTooSmall: (option: string, min: string) => `${option} must be at least ${min}`,
  badSandboxUser: (v: string) =>
    `--sandbox-user must be a user name or UID[:GID] this system knows, not "${v}"`,
  sandboxOptionsAlone:
    '--sandbox-user, --memory and --disk set the sandbox of `verify --sandbox`; add --sandbox, or leave them out',
  sandboxInTmp: (what: string) =>
    `the sandbox cannot grade a program whose folder is /tmp itself (${what}): it gives the program a private /tmp of its own, so that folder could not be shown to it`,
  sandboxInTmpNext:
    'move it into a folder of its own (mkdir /tmp/try, then put the file there) and verify it there',
  sandboxUserRoot: '--sandbox-user must not be root (uid or gid 0): graded programs never run as root',
  sandboxUserNotRoot: (uid: number) =>
    `--sandbox-user needs a grader running as root (this one is uid ${uid}); graded programs run as you here, so leave the option out`,
  sandboxUserCannotRead: (user: string, path: string) =>
    `the sandbox user ${user} cannot read ${path}, which every graded program needs`,
  sandboxUserCannotReadProgram: (user: string, path: string) =>
    `the sandbox user ${user} cannot read ${path}, where the program to grade is`,
  sandboxUserCannotReadNext:
    'make it readable to others (chmod -R a+rX on it), or choose a user who can read it with --sandbox-user',
  workerCheck: 'grading',
  workerFailed: (why: string) =>
    `the grading of this exercise failed: the worker that ran it stopped before answering (${why}). This is not the student's doing; grade again`,
  regraded: (student: string, what: string) =>
    `${student}: graded again (${what} changed since the saved grade)`,
  changedAssignment: 'the assignment',
  changedCourse: 'the course pack',
  changedFiles: "the student's files",
  changedVersion: 'the socketlings version',
  changedIsolation: 'the sandbox setting',
  progressNotSaved: (file: string, reason: string) =>
    `socketlings: your progress could not be saved (${file}: ${reason === 'locked' ? 'another socketlings command held its lock too long' : reason}); the result above stands. Make the workspace writable, then verify again to record it.`,
  fileRefused: (file: string, reason: string) => `${file} is not graded: ${reason}`,
  fileRefusedHint: 'put the program itself in the folder, as an ordinary readable file, and hand it in again',
  refusedOutside: 'it is a link to a file outside the submission folder',
  refusedDangling: 'it is a link that leads nowhere',
  refusedKind: (kind: string) => `it is ${kind}, not an ordinary file`,
  refusedFolder: 'a folder',
  refusedFifo: 'a named pipe (FIFO)',
  refusedSocket: 'a socket',
  refusedDevice: 'a device',
  refusedSpecial: 'a special file',
  refusedUnreadable: (code: string) => `it cannot be read (${code})`,
  classSkipped: (name: string, reason: string) => `skipped ${name} in the submissions folder: ${reason}`,
  classNotUtf8: 'its name is not valid UTF-8, so it cannot be named in the gradebook',
  classNotUtf8Fix: 'rename it with UTF-8 characters (for example with `convmv` or `mv`), then grade again',
  classDangling: 'it is a link that leads nowhere',
  classDanglingFix: 'remove the link, or point it at the student’s folder, then grade again',
  classLinkOutside:
    'it is a link that leads outside the submissions folder, and a student’s folder is never a link',
  classLinkFix:
    'put the student’s folder itself in the submissions folder (a copy, not a link), then grade again',
  classLinks: (n: number, names: string) =>
    `left out ${n} link${n === 1 ? '' : 's'} of the submissions folder to another of its entries (${names}): a student's folder is a folder, never a link; whom it leads to is graded under their own name`,
  classUnreadable: (code: string) => `it cannot be read (${code})`,
  classUnreadableFix: 'give the grading user read access to it, then grade again',
  classReserved: (file: string) => `its name is the name of an output file (${file})`,
  classReservedFix: 'rename the folder (the student’s name is only a label), then grade again',
  memoryOvercommit: (jobs: number, each: string, all: string, have: string) =>
    `--jobs ${jobs} × --memory ${each} = ${all}, more than the ${have} of memory this machine lets the grader use: if many programs grow at once, the system's out-of-memory killer, not their own limit, decides which fail; grade with a lower --jobs or --memory (their product at most ${have})`,
  classHidden: (n: number, names: string) =>
    `left out ${n} folder${n === 1 ? '' : 's'} of the submissions folder whose name starts with "." (${names}): such a folder is never a student's`,
  classSkippedSummary: (n: number) =>
    `${n} entr${n === 1 ? 'y' : 'ies'} of the submissions folder could not be graded (see above); the others were`,
  submissionsMissing: (dir: string) => `--submissions ${dir}: no such folder`,
  submissionsNotFolder: (dir: string) =>
    `--submissions ${dir}: this is a file; it must be the folder holding one folder per student`,
  submissionsNext: 'pass the folder that holds one folder per student',
  outNotFolder: (dir: string) => `--out ${dir}: this is a file, not a folder`,
  outNotFolderNext: 'pass a folder for the reports (it is created when missing)',
  outUnwritable: (code: string) => `the reports cannot be written there (${code})`,
  outUnwritableNext:
    'pass a folder this user can write (e.g. --out grades), or give it write access, then grade again',
  outInStudent: (dir: string) => `--out ${dir} is inside a student's folder`,
  outInStudentNext: 'put the reports outside the submissions folder, e.g. --out grades',
  csvIsFolder: (file: string) => `--csv ${file}: this is a folder; the gradebook is a file`,
  csvParentNotFolder: (file: string) => `--csv ${file}: its parent is a file, not a folder`,
  csvNext: 'pass a file path such as --csv grades/gradebook.csv',
  mergeNoShard: (dir: string) =>
    `${dir} is not a grade output folder: it has no shard.json (nor any student's report.json)`,
  mergeNoFolder: (dir: string) => `${dir}: no such folder, so no shard.json to merge`,
  mergeSameShard: (dir: string, again: string) =>
    `${again} is ${dir} again: each shard is merged once, or its students would count twice`,
  mergeSameShardNext: 'name each shard folder once',
  mergeSeedNext:
    'grade every shard with the same --seed (or every one without --seed, for per-student seeds), then merge',
  mergeReporterNotHere: (names: string, mergeable: string) =>
    `--reporter ${names} is a reporter of grade, not of grade merge: merge grades nothing, it writes only files from the shards' reports (${mergeable}), while ${names} reports as grading runs (to the terminal, or to a CI run's log and outputs)`,
  mergeReporterNotHereNext:
    'give those reporters to `grade --submissions` on each shard, or merge with --reporter junit,html',
  mergeNoShardNext: 'name the folders that `grade --submissions … --out DIR` wrote, one per shard',
  mergeBadFile: (file: string, why: string) => `${file} cannot be read: ${why}`,
  mergeBadFileNext:
    'grade that shard again, or copy it again from the machine that graded it, then merge again',
  mergeMismatch: (a: string, b: string, what: string) =>
    `${a} and ${b} were graded differently (${what}): they are not shards of one grading`,
  mergeMismatchNext:
    'grade every shard with the same assignment file and the same socketlings version, then merge',
  mergeConflict: (student: string, a: string, b: string) =>
    `${student} was graded in both ${a} and ${b}, with different results`,
  mergeConflictNext: 'keep one of the two folders (delete the other) and merge again',
  mergeNeedsOut: 'grade merge needs --out DIR: a new folder for the combined output',
  mergeIntoShard: (dir: string) => `--out ${dir} is one of the shards: merge into a new folder`,
  mergeDone: (n: number, shards: number, passed: number, csv: string) =>
    `${n} student${n === 1 ? '' : 's'} from ${shards} shard${shards === 1 ? '' : 's'} merged, ${passed} passed. Gradebook: ${csv}`,
  mergeShardCounts: (list: string) =>
    `the shards split the class in different ways (${list}): they are not shards of one grading`,
  mergeShardCountsNext: 'grade every shard with the same --shard count (1/4, 2/4, 3/4, 4/4), then merge',
  reportRefused: (file: string, problems: string[]) =>
    `${file} cannot be trusted:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
  mergeRefusedNext:
    'grade that student again, or copy the shard again from the machine that graded it, then merge again',
  resumeRefusedNext: (dir: string) =>
    `delete ${dir} so that the student is graded again (or grade with --force), then run again`,
  mergeNotInClass: (file: string, student: string, dir: string) =>
    `${file}: ${student} has no folder in --submissions ${dir}`,
  mergeNotInClassNext:
    'merge only shards of this class, or pass the --submissions folder they were graded from',
  mergeOtherFiles: (file: string, student: string, dir: string) =>
    `${file}: ${student} was graded on other files than those in --submissions ${dir} now (their digests differ)`,
  mergeOtherFilesNext:
    'grade that student again from this --submissions folder (or merge without it, if the shards are right)',
  mergeNoDigest: (file: string, student: string) =>
    `${file}: the report on ${student} has no digest of the files it graded, so it cannot be checked against --submissions`,
  mergeNotInManifest: (file: string, manifest: string) =>
    `${file}: this student is not one that ${manifest} says the shard graded`,
  mergeNotInManifestNext: 'remove that folder from the shard (it was not graded with it), then merge again',
  outLink: (path: string) => `${path} is a symbolic link: socketlings never writes reports through one`,
  outNotFolderEntry: (path: string) => `${path} is in the way: the reports go in a folder of that name`,
  outEntryNext:
    'remove it (for a link, only the link: what it leads to is not touched), or choose another --out, then run again',
  shardEntryNotPlain: (path: string) =>
    `${path} is a link or a special file: a shard holds only the folders and files that grade wrote`,
  shardEntryNext: 'copy the shard again from the machine that graded it, without links, then merge again',
  mergeMissing: (list: string) => `missing from every shard (not graded): ${list}`,
  mergeMissingShards: (list: string) => `shards that were not given: ${list}`,
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
  initCannotCreate: (dir: string, code: string) => `cannot create the folder ${dir} (${code})`,
  initCannotCreateNext: 'choose a folder you can write to, such as one in your home folder',
  initNestedNext: 'run `socketlings` here to use the workspace you are in, or init somewhere else',
  workspaceReadme: (title: string, first: string, cli: string) => `# ${title}

This is your socketlings workspace. Each numbered folder holds the exercises of one lesson; edit the
\`.py\` files where they say \`# TODO\`.

## Where to start

\`\`\`sh
${cli}            # the guided menu: continue, lessons, verify, hints
${cli} watch      # re-check the current exercise every time you save it
\`\`\`

${cli === 'socketlings' ? 'Where `socketlings` is not installed as a command, put `npx` in front of each one.' : 'Where `socketlings` is installed as a command (globally, or linked from a clone), leave out the `npx`.'}

## Commands

| command | what it does |
|---|---|
| \`${cli} read 1\` | read lesson 1 (by number or id) |
| \`${cli} verify ${first}\` | grade your program for an exercise, with a transcript of what went over the wire |
| \`${cli} hint ${first}\` | one more hint each time you ask |
| \`${cli} peer ${first}\` | run the exercise's reference peer on port 8079 and your program by hand against it |
| \`${cli} progress\` | what you have done |
| \`${cli} reset ${first}\` | put an exercise's file back to its stub |

Your progress is kept in \`.socketlings/progress.json\` in this folder: copy the folder and it comes along.

The \`tls/\` folder holds the course's TEST-ONLY certificates, for the TLS program of lesson 15. Their private
keys are public, so they protect nothing: never use them for anything real.
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
    '请安装 Python 3.11 或更新的版本，或把 SOCKETLINGS_PYTHON 设为它的路径（例如 SOCKETLINGS_PYTHON=/usr/bin/python3.12）',
  notPython3: (python, why) => `解释器 ${python} 无法运行程序：${why}`,
  notPython3Why: {
    notStarted: (code) => `它无法启动（${code}）`,
    exited: (how, said) => `询问其版本时，它${how}${said ? `（${said}）` : ''}`,
    old: (version) => `它是 Python ${version}，而 socketlings 需要 Python 3`,
    other: (said) => `询问其版本时，它回答 ${JSON.stringify(said)}，这不是 Python 版本号`,
    code: (n) => `以退出码 ${n} 退出`,
    signal: (sig) => `被 ${sig} 终止`,
  },
  notPython3FromEnv:
    '请把 SOCKETLINGS_PYTHON 设为 Python 3.11 或更新的版本（例如 SOCKETLINGS_PYTHON=/usr/bin/python3.12），或取消设置以使用 PATH 中的 python3',
  notPython3Next:
    '请安装 Python 3.11 或更新的版本，或把 SOCKETLINGS_PYTHON 设为它的路径（例如 SOCKETLINGS_PYTHON=/usr/bin/python3.12）',
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
  sandboxUnavailable: (why) => `本机无法把被评分的程序放进沙箱：${why}`,
  sandboxBatchNext: (fix) =>
    `${fix}。没有沙箱时，学生的程序能读取你的文件和环境变量，并能篡改其他学生的成绩；只有在你接受这一点时才使用 --no-sandbox`,
  notIsolated: (why) => `本次运行没有隔离：${why}`,
  badSize: (option, v) =>
    `${option} 必须是 512M、1G 这样的大小（二进制单位 K、M、G；只写数字表示 MiB），而不是 "${v}"`,
  sizeTooSmall: (option, min) => `${option} 至少为 ${min}`,
  badSandboxUser: (v) => `--sandbox-user 必须是本系统已知的用户名或 UID[:GID]，而不是 "${v}"`,
  sandboxOptionsAlone:
    '--sandbox-user、--memory 和 --disk 设置的是 `verify --sandbox` 的沙箱；请加上 --sandbox，或去掉它们',
  sandboxInTmp: (what) =>
    `沙箱无法为所在文件夹就是 /tmp 本身的程序评分（${what}）：沙箱会给程序一个它自己的私有 /tmp，所以那个文件夹无法让程序看到`,
  sandboxInTmpNext: '把它移到一个单独的文件夹里（先 mkdir /tmp/try，再把文件放进去），然后在那里检查它',
  sandboxUserRoot: '--sandbox-user 不能是 root（uid 或 gid 为 0）：被评分的程序绝不以 root 身份运行',
  sandboxUserNotRoot: (uid) =>
    `--sandbox-user 要求评分器以 root 身份运行（当前是 uid ${uid}）；这里被评分的程序以你的身份运行，请去掉此选项`,
  sandboxUserCannotRead: (user, path) => `沙箱用户 ${user} 无法读取 ${path}，而每个被评分的程序都需要它`,
  sandboxUserCannotReadProgram: (user, path) => `沙箱用户 ${user} 无法读取 ${path}，而要评分的程序就在那里`,
  sandboxUserCannotReadNext:
    '让其他用户可以读取它（对它执行 chmod -R a+rX），或用 --sandbox-user 选择一个能读取它的用户',
  workerCheck: '评分',
  workerFailed: (why) =>
    `这个练习的评分失败了：运行它的工作进程在回答之前就停止了（${why}）。这不是学生造成的；请重新评分`,
  regraded: (student, what) => `${student}：已重新评分（自保存的成绩以来，${what}有改动）`,
  changedAssignment: '作业文件',
  changedCourse: '课程包',
  changedFiles: '学生的文件',
  changedVersion: 'socketlings 版本',
  changedIsolation: '沙箱设置',
  progressNotSaved: (file, reason) =>
    `socketlings：无法保存你的进度（${file}：${reason === 'locked' ? '另一个 socketlings 命令占用其锁的时间过长' : reason}）；上面的结果依然有效。请让工作区可写，然后再 verify 一次以记录它。`,
  fileRefused: (file, reason) => `${file} 未评分：${reason}`,
  fileRefusedHint: '请把程序本身以可读的普通文件放进文件夹，然后重新提交',
  refusedOutside: '它是指向提交文件夹之外的链接',
  refusedDangling: '它是一个指向不存在目标的链接',
  refusedKind: (kind) => `它是${kind}，不是普通文件`,
  refusedFolder: '文件夹',
  refusedFifo: '命名管道（FIFO）',
  refusedSocket: '套接字',
  refusedDevice: '设备文件',
  refusedSpecial: '特殊文件',
  refusedUnreadable: (code) => `无法读取（${code}）`,
  classSkipped: (name, reason) => `已跳过提交文件夹中的 ${name}：${reason}`,
  classNotUtf8: '它的名字不是有效的 UTF-8，无法写入成绩册',
  classNotUtf8Fix: '请用 UTF-8 字符重命名（例如用 `convmv` 或 `mv`），然后重新评分',
  classDangling: '它是一个指向不存在目标的链接',
  classDanglingFix: '请删除该链接，或让它指向学生的文件夹，然后重新评分',
  classLinkOutside: '它是指向提交文件夹之外的链接，而学生的文件夹从不是链接',
  classLinkFix: '请把学生的文件夹本身（复制，而不是链接）放进提交文件夹，然后重新评分',
  classLinks: (n, names) =>
    `未评分提交文件夹中 ${n} 个指向其中其他项的链接（${names}）：学生的文件夹是文件夹，从不是链接；它指向的学生以自己的名字评分`,
  classUnreadable: (code) => `无法读取（${code}）`,
  classUnreadableFix: '请给评分用户读取权限，然后重新评分',
  classReserved: (file) => `它的名字与输出文件同名（${file}）`,
  classReservedFix: '请重命名该文件夹（学生名只是标签），然后重新评分',
  memoryOvercommit: (jobs, each, all, have) =>
    `--jobs ${jobs} × --memory ${each} = ${all}，超过了本机允许评分程序使用的 ${have} 内存：若许多程序同时增长，将由系统的内存耗尽处理（OOM killer）而不是它们各自的限制决定谁失败；请用更小的 --jobs 或 --memory 评分（二者之积不超过 ${have}）`,
  classHidden: (n, names) =>
    `未评分提交文件夹中 ${n} 个以“.”开头的文件夹（${names}）：这样的文件夹从不是学生的`,
  classSkippedSummary: (n) => `提交文件夹中有 ${n} 项无法评分（见上文）；其余已评分`,
  submissionsMissing: (dir) => `--submissions ${dir}：文件夹不存在`,
  submissionsNotFolder: (dir) => `--submissions ${dir}：这是一个文件；它必须是每个学生一个子文件夹的文件夹`,
  submissionsNext: '请传入每个学生各有一个子文件夹的那个文件夹',
  outNotFolder: (dir) => `--out ${dir}：这是一个文件，不是文件夹`,
  outNotFolderNext: '请为报告传入一个文件夹（不存在时会自动创建）',
  outUnwritable: (code) => `无法在那里写入报告（${code}）`,
  outUnwritableNext: '请传入当前用户可写的文件夹（例如 --out grades），或给它写权限，然后重新评分',
  outInStudent: (dir) => `--out ${dir} 位于某个学生的文件夹中`,
  outInStudentNext: '请把报告放在提交文件夹之外，例如 --out grades',
  csvIsFolder: (file) => `--csv ${file}：这是一个文件夹；成绩册是一个文件`,
  csvParentNotFolder: (file) => `--csv ${file}：它的上级是一个文件，不是文件夹`,
  csvNext: '请传入文件路径，例如 --csv grades/gradebook.csv',
  mergeNoShard: (dir) => `${dir} 不是评分输出文件夹：其中没有 shard.json（也没有任何学生的 report.json）`,
  mergeNoFolder: (dir) => `${dir}：文件夹不存在，因此没有可合并的 shard.json`,
  mergeSameShard: (dir, again) =>
    `${again} 与 ${dir} 是同一个分片：每个分片只能合并一次，否则其中的学生会被计算两次`,
  mergeSameShardNext: '每个分片文件夹只写一次',
  mergeSeedNext: '请用相同的 --seed 为每个分片评分（或者都不用 --seed，即每名学生各自的种子），然后再合并',
  mergeReporterNotHere: (names, mergeable) =>
    `${names}：是已知的报告格式，但不能用于 grade merge。合并只根据各分片的报告写出文件（${mergeable}）；其他格式在评分时输出（到终端，或到 CI 运行的日志和输出），而合并并不评分`,
  mergeReporterNotHereNext:
    '请在每个分片的 `grade --submissions` 中使用这些报告格式，或用 --reporter junit,html 合并',
  mergeNoShardNext: '请给出 `grade --submissions … --out DIR` 写出的文件夹，每个分片一个',
  mergeBadFile: (file, why) => `无法读取 ${file}：${why}`,
  mergeBadFileNext: '请重新为该分片评分，或从评分的机器上重新复制它，然后再合并',
  mergeMismatch: (a, b, what) => `${a} 和 ${b} 的评分方式不同（${what}）：它们不是同一次评分的分片`,
  mergeMismatchNext: '请用同一个作业文件和同一版本的 socketlings 为每个分片评分，然后再合并',
  mergeConflict: (student, a, b) => `${student} 在 ${a} 和 ${b} 中都被评分了，而且结果不同`,
  mergeConflictNext: '保留两个文件夹中的一个（删除另一个），然后重新合并',
  mergeNeedsOut: 'grade merge 需要 --out DIR：存放合并结果的新文件夹',
  mergeIntoShard: (dir) => `--out ${dir} 是其中一个分片：请合并到一个新文件夹`,
  mergeDone: (n, shards, passed, csv) =>
    `已合并 ${shards} 个分片中的 ${n} 名学生，${passed} 名通过。成绩表：${csv}`,
  mergeShardCounts: (list) => `这些分片对班级的划分方式不同（${list}）：它们不是同一次评分的分片`,
  mergeShardCountsNext: '请用相同的 --shard 总数（1/4、2/4、3/4、4/4）为每个分片评分，然后再合并',
  reportRefused: (file, problems) => `${file} 不可信：\n${problems.map((p) => `  - ${p}`).join('\n')}`,
  mergeRefusedNext: '请重新为该学生评分，或从评分的机器上重新复制该分片，然后再合并',
  resumeRefusedNext: (dir) => `请删除 ${dir}，让该学生重新评分（或使用 --force 评分），然后再运行`,
  mergeNotInClass: (file, student, dir) => `${file}：${student} 在 --submissions ${dir} 中没有文件夹`,
  mergeNotInClassNext: '只合并这个班级的分片，或给出评分时所用的 --submissions 文件夹',
  mergeOtherFiles: (file, student, dir) =>
    `${file}：${student} 评分时所用的文件与 --submissions ${dir} 中现在的文件不同（摘要不一致）`,
  mergeOtherFilesNext: '请从这个 --submissions 文件夹重新为该学生评分（如果分片无误，也可以不带它合并）',
  mergeNoDigest: (file, student) => `${file}：${student} 的报告没有所评文件的摘要，无法与 --submissions 核对`,
  mergeNotInManifest: (file, manifest) => `${file}：根据 ${manifest}，该分片并没有为这名学生评分`,
  mergeNotInManifestNext: '请从分片中删除该文件夹（它不是随这个分片评分的），然后再合并',
  outLink: (path) => `${path} 是一个符号链接：socketlings 从不通过链接写入报告`,
  outNotFolderEntry: (path) => `${path} 挡住了路：报告要写入同名的文件夹`,
  outEntryNext: '请删除它（如果是链接，只删除链接本身，它指向的内容不受影响），或换一个 --out，然后再运行',
  shardEntryNotPlain: (path) => `${path} 是链接或特殊文件：分片中只应有 grade 写出的文件夹和文件`,
  shardEntryNext: '请从评分的机器上重新复制该分片（不要包含链接），然后再合并',
  mergeMissing: (list) => `所有分片中都没有（未评分）：${list}`,
  mergeMissingShards: (list) => `没有给出的分片：${list}`,
  sandboxOnlyLinux: '--sandbox 需要 Linux 的网络命名空间',
  sandboxRefused: (why) => `--sandbox 无法创建私有网络命名空间：${why}`,
  sandboxNext: '请不用 --sandbox 运行，或允许非特权用户命名空间（sysctl kernel.unprivileged_userns_clone=1）',
  notWorkspace: '当前文件夹不是 socketlings 工作区',
  notWorkspaceNext: '先用 `socketlings init` 创建一个，然后 `cd socketlings`',
  initExists: (dir) => `${dir} 已存在且不为空；socketlings 从不覆盖文件`,
  initExistsNext:
    '请换一个文件夹，例如 `socketlings init my-sockets`，或用 `cd DIR && socketlings` 打开已有的工作区',
  initNested: (dir) => `不能在另一个 socketlings 工作区里创建 ${dir}`,
  initCannotCreate: (dir, code) => `无法创建文件夹 ${dir}（${code}）`,
  initCannotCreateNext: '请选择一个你有写权限的文件夹，例如主目录中的文件夹',
  initNestedNext: '在这里运行 `socketlings` 即可使用当前工作区，或换个地方 init',
  workspaceReadme: (title, first, cli) => `# ${title}

这是你的 socketlings 工作区。每个编号文件夹存放一课的练习；在 \`.py\` 文件中标有 \`# TODO\` 的地方编写代码。

## 从这里开始

\`\`\`sh
${cli}            # 引导菜单：继续、课程、检查、提示
${cli} watch      # 每次保存当前练习时自动重新检查
\`\`\`

${cli === 'socketlings' ? '如果 `socketlings` 没有作为命令安装，请在每条命令前加上 `npx`。' : '如果 `socketlings` 已作为命令安装（全局安装，或从克隆的仓库链接），可以省去 `npx`。'}

## 命令

| 命令 | 作用 |
|---|---|
| \`${cli} read 1\` | 阅读第 1 课（按编号或 id） |
| \`${cli} verify ${first}\` | 检查你的程序，并给出线路上收发内容的记录 |
| \`${cli} hint ${first}\` | 每问一次多给一条提示 |
| \`${cli} peer ${first}\` | 在 8079 端口运行该练习的参考对端，手动运行你的程序与之通信 |
| \`${cli} progress\` | 查看已完成的内容 |
| \`${cli} reset ${first}\` | 把某个练习的文件恢复为初始模板 |

你的进度保存在本文件夹的 \`.socketlings/progress.json\` 中：复制文件夹，进度也随之带走。

\`tls/\` 文件夹里是本课程**仅供测试**的证书，供第 15 课的 TLS 程序使用。它们的私钥是公开的，什么也保护不了：永远不要把它们用在任何真实的地方。
`,
};

const all: Record<Lang, AppMessages> = { en, 'zh-CN': zh };
export function appText(lang: Lang): AppMessages {
  return all[lang];
}
