// Every sentence the grader says to a learner, in each language. Logic never builds user-facing text itself.
import type { Lang } from './schema/course.js';

const ORDINALS = [
  'first',
  'second',
  'third',
  'fourth',
  'fifth',
  'sixth',
  'seventh',
  'eighth',
  'ninth',
  'tenth',
];
const ordinal = (n: number) => ORDINALS[n - 1] ?? `${n}th`;

const en = {
  skippedAfterFail: 'skipped: an earlier check failed',
  nextRound: (round: number, of: number) =>
    `round ${round} of ${of}: your program runs again with other values; every round must pass`,
  nothingShown: '(nothing)',
  withReason: (message: string, why: string) => `${message}. ${why.charAt(0).toUpperCase()}${why.slice(1)}`,
  stdoutTooLate: (at: number, max: number, tolerance: number) =>
    `your program printed the line after ${at.toFixed(2)} s; it should come by ${max} s (give or take ${tolerance} s)`,
  stdoutBeforeCause:
    'your program printed the line before the grader sent what it should answer, so it cannot be the answer',
  timingUndecidable: (spread: number) =>
    `the grader cannot tell whether your program waited: what it sends right before waiting came ${spread} s after what it had to read first, and the line came too soon after that. Either this machine is very busy (run it again, or with a larger time scale), or your program pauses in between: send it as soon as you have read`,
  lateGreetingUndecidable: (late: number, budget: number) =>
    `the grader cannot tell whether your program gave up too early: the grader itself greeted ${late} s after your program started, and your program may wait only ${budget} s. This machine was too busy to judge it (run it again, or with a larger time scale)`,
  printedUnread: (line: string, where: string) =>
    `your program printed ${line} while the datagram it answers was still unread in its socket at ${where}: a line printed before recvfrom() returned it cannot report it`,
  seenTooLate:
    'the grader cannot tell whether your program did this in time: this machine kept the grader from watching for longer than the budget allows, in two runs. Run it again, or with a larger time scale (SOCKETLINGS_TIME_SCALE)',
  idleCloseUndecidable: (conn: string, age: number, idle: number) =>
    `the grader cannot tell whether your program closed ${conn} too early: the grader looked only ${age} s after it connected, without sending on it, and found it closed, and your program may close it after ${idle} s of silence. This machine was too busy to judge it (run it again, or with a larger time scale)`,
  leftStaleSocket: (path: string) =>
    `left a socket file at ${path} with nobody listening, as an earlier run that crashed would`,
  notBound: (where: string, s: number) =>
    `your program did not bind a UDP socket to ${where} within ${s} s, the time a program gets to start up`,
  exitedBeforeBound: (how: string, where: string) =>
    `your program ${how} before it bound a UDP socket to ${where}`,
  programEnded: (how: string) => `your program ${how}`,
  transcriptFolded: (lines: number, bytes: number, head: number, tail: number) =>
    `… ${lines} more lines left out here${bytes ? ` (${bytes} bytes of data among them)` : ''}: a check keeps its first ${head} and its last ${tail}`,
  runWith: (env: string) => `run your program with: ${env}`,
  stdoutNotNext: (got: string, what: string) => `your program printed ${got} where ${what} had to come next`,
  extraStdout: (n: number) => `your program printed ${n} more line${n === 1 ? '' : 's'} than expected`,
  stdoutEarlier: (what: string) =>
    `your program printed ${what} too early: before the line that had to come first (the order of the lines matters). The lines it printed, in order, are below`,
  exitedWithoutPrinting: (how: string, what: string) => `your program ${how} without printing ${what}`,
  skippedCapability: (reason: string) => `skipped: ${reason}`,
  notReady: (where: string, s: number) =>
    `your program did not start listening on ${where} within ${s} s, the time a program gets to start up`,
  listensElsewhere: (list: string) =>
    `it listens on ${list} instead; read the address from the SOCKETLINGS_ variables`,
  exitedBeforeReady: (how: string, where: string) => `your program ${how} before it listened on ${where}`,
  exitedCode: (code: number) => `exited with code ${code}`,
  exitedSignal: (sig: string) => `was killed by ${sig}`,
  cannotStart: (cmd: string, why: string) => `could not start ${cmd}: ${why}`,
  exitedBeforeConnect: (how: string, where: string) => `your program ${how} without connecting to ${where}`,
  noAccept: (where: string, s: number) =>
    `your program did not connect to ${where} within ${s} s, the time it gets to connect`,
  connectFailed: (where: string, code: string) => `could not connect to your program at ${where}: ${code}`,
  connectTimeout: (where: string, s: number) =>
    `connecting to your program at ${where} took more than ${s} s, the time a connection gets to be accepted`,
  sendFailed: (conn: string, code: string) =>
    code === 'EPIPE' || code === 'ECONNRESET'
      ? `your program closed its connection to ${conn} while the grader was still sending to it (${code})`
      : `could not send from ${conn} to your program: ${code}`,
  wrongBytes: (conn: string) => `your program sent different bytes to ${conn}`,
  shortBytes: (conn: string, got: number, want: number, s: number) =>
    `your program sent ${got} of ${want} expected bytes to ${conn} within ${s} s`,
  /** `got`: bytes of what this step waited for; `total`: all the program sent on the connection. */
  closedEarly: (conn: string, got: number, total: number) =>
    total === 0
      ? `your program closed its connection to ${conn} without sending anything; something was expected`
      : got === 0
        ? `your program closed its connection to ${conn} without sending anything more after the ${total} byte${total === 1 ? '' : 's'} it had sent before; more was expected`
        : got < total
          ? `your program closed its connection to ${conn} after sending ${got} more byte${got === 1 ? '' : 's'} (${total} in all); more was expected`
          : `your program closed its connection to ${conn} after sending ${got} byte${got === 1 ? '' : 's'}; more was expected`,
  endedAfterSending: (how: string, conn: string, got: number) =>
    got === 0
      ? `your program ${how} before it sent anything to ${conn}`
      : `your program ${how} after sending ${got} byte${got === 1 ? '' : 's'} to ${conn}; more was expected`,
  connError: (conn: string, code: string) =>
    `the connection between your program and ${conn} failed: ${code}`,
  noNewline: (conn: string, s: number) =>
    `your program sent a line to ${conn} but not its ending newline ("\\n") within ${s} s`,
  nothingArrived: (conn: string, s: number) => `nothing from your program reached ${conn} within ${s} s`,
  wrongLine: (conn: string) => `your program sent a different line to ${conn}`,
  lineNoMatch: (conn: string, re: string) => `the line your program sent to ${conn} does not match /${re}/`,
  notJson: (conn: string, why: string) => `the line your program sent to ${conn} is not valid JSON: ${why}`,
  wrongJson: (conn: string) => `the JSON your program sent to ${conn} has different content`,
  wrongPayload: (conn: string) => `the data your program sent to ${conn} is not the payload it was given`,
  noEof: (conn: string, s: number) => `your program did not close its connection to ${conn} within ${s} s`,
  makefileNote: ' (a file made with makefile() keeps the socket open until that file is closed too)',
  stillOpen: (conn: string, s: number, bytes: number) =>
    `${conn} went on sending for ${s} s (${bytes} bytes in all), and your program's end of the connection took it in: it is still open for reading, where it should be closed`,
  shutdownNote: ' (shutdown(SHUT_WR) ends only your sending direction; close() ends the connection)',
  extraBeforeEof: (conn: string, n: number) =>
    `after the expected data your program sent ${n} more byte${n === 1 ? '' : 's'} to ${conn}, shown below: a sending mistake. Send exactly what is asked, nothing after it, then close the connection`,
  /** The hint for extra bytes: what was sent wrong, not the check's own advice (which may be about closing). */
  extraBytesHint: (extra: string): string =>
    extra.startsWith('"\\n') || extra.startsWith('"\\r\\n')
      ? 'Your program sent a line ending after the message, and the exercise asks for the message alone: send exactly its bytes, with no "\\n" added.'
      : 'Your program sent more than the exercise asks for: look at what it sends after the message (a second send(), a leftover debug line) and send exactly the expected bytes.',
  sentInsteadOfEof: (conn: string, n: number) =>
    `your program sent ${n} byte${n === 1 ? '' : 's'} to ${conn}, shown below, where it should have sent nothing and closed the connection`,
  somethingArrived: (conn: string) =>
    `your program sent something to ${conn} where it should have stayed silent`,
  closedInsteadOfSilent: (conn: string) =>
    `your program closed its connection to ${conn} where it should have kept it open`,
  exitedWithoutDatagram: (how: string, on: string) =>
    `your program ${how} without sending a datagram to ${on}`,
  noDatagram: (on: string, s: number) => `no datagram from your program reached ${on} within ${s} s`,
  wrongDatagram: (on: string) => `the datagram your program sent to ${on} is not the expected one`,
  wrongReceived: (on: string) => `the numbered messages that reached ${on} are not the expected ones`,
  noStdout: (what: string, s: number) => `your program did not print ${what} within ${s} s`,
  stdoutTooEarly: (at: number, min: number, tolerance: number) =>
    `your program printed the line after ${at.toFixed(2)} s; it should not come before ${min} s (give or take ${tolerance} s)`,
  notExited: (s: number) => `your program was still running after ${s} s; it should have finished`,
  wrongExit: (how: string, want: number) => `your program ${how}; it should exit with code ${want}`,
  exitedWhileRunning: (how: string) => `your program ${how}; it should keep running`,
  pathExists: (p: string) => `${p} still exists; the program should remove it`,
  pathMissing: (p: string) => `${p} does not exist`,
  barrierTimeout: (name: string, n: number, total: number, s: number) =>
    `${name} waited ${s} s for the other clients, but only ${n} of ${total} got their answers`,
  stderrTail: 'its last lines on stderr:',
  programExitedNote: (how: string) => `(your program ${how} meanwhile)`,
  sandboxed: (
    user: string,
    memory: string,
    by: string | undefined,
    perProcess: string,
    disk: string,
    processes: number,
    userns?: 'closed' | 'open',
  ) =>
    `sandbox: programs ran as ${user}; memory ${memory} per program${by ? ` (${by})` : ` (no cgroup here: ${perProcess} of address space per process)`}, ${processes} processes, disk ${disk}${userns ? `; user namespaces ${userns}` : ''}`,
  filesNotWritten: (limit: string) =>
    `The grader could not write this exercise's files for your program: the ${limit} of disk your programs share was full.`,
  usedTooMuchMemory: (limit: string, peak: string | undefined) =>
    `Your program used more than ${limit} of memory, all its processes together (the sandbox's limit), and the kernel stopped it${peak ? ` (it held ${peak} at most)` : ''}.`,
  filledDisk: (limit: string, held: string) =>
    `Your program tried to write more than the ${limit} of disk graded programs may use (the sandbox's limit): the disk was full, ${held} of it its own files.`,
  outputCut: (stream: string, n: number) => `[${stream} was cut: ${n} more bytes were read and dropped]`,
  graderBug: (why: string) => `the grader itself failed: ${why}`,
  retrying:
    'your program could not bind the address it was given, which another process may have held at that instant; trying again on a fresh port',
  retryingTiming:
    'this machine was too busy to judge your program fairly (it or the grader waited for a CPU); running the exercise once more',
  tooBusyByHand:
    'this machine was too busy to judge this check fairly (your program or the peer waited for a CPU): run the peer and your program again, or with a larger time scale (SOCKETLINGS_TIME_SCALE)',
  replayClient: (id: string, seed: number, cmd: string, cli = 'socketlings') =>
    `${cli} peer ${id} --seed ${seed}   # then, in another terminal: ${cmd}`,
  replayServer: (cmd: string) => `${cmd}   # then, in another terminal:`,
  tlsAccepted: (where: string, kind: string | undefined) =>
    kind === 'wrong-name'
      ? `your program completed a TLS handshake with ${where}, whose certificate is signed by the CA in SOCKETLINGS_CA but is for impostor.localhost, not localhost: a client that checks the name refuses it`
      : `your program completed a TLS handshake with ${where}, whose certificate is not signed by the CA in SOCKETLINGS_CA: a client that checks certificates refuses it`,
  impostorServes: (where: string, kind: 'self-signed' | 'wrong-name') =>
    kind === 'wrong-name'
      ? `the impostor at ${where} presents a certificate signed by the test CA, but for impostor.localhost`
      : `the impostor at ${where} presents a self-signed certificate for localhost`,
  noTlsHandshake: (where: string, s: number) =>
    `your program started no TLS handshake with ${where} within ${s} s`,
  peerName: (name: string, role: 'client' | 'server', udp: boolean) => {
    const n = /^(?:client|sender)-(\d+)$/.exec(name)?.[1];
    const nth = n ? ordinal(Number(n)) : '';
    // Several peers that answer one broadcast (a UDP endpoint's `broadcast` sockets).
    const r = /^responder-(\d+)$/.exec(name)?.[1];
    if (r) return `the grader's ${ordinal(Number(r))} responder`;
    if (role === 'client') return "the grader's server";
    if (udp) return n ? `the grader's ${nth} sender` : `the grader's sender "${name}"`;
    if (name === 'client') return "the grader's client";
    return n ? `the grader's ${nth} client` : `the grader's client "${name}"`;
  },
  exitedWhileSending: (how: string) => `your program ${how} while the grader was still sending to it`,
  exitedBeforeNextClient: (how: string, who: string) =>
    `your program had already ended (it ${how}) when ${who} tried to connect: a server keeps accepting clients until it is stopped`,
  keepAcceptingHint:
    'Call accept() in a loop, so that the server serves the next client after one has finished; do not end the program after the first client.',
  noNewlineStdout: (what: string) => `your program printed ${what} but not the newline that ends the line`,
  printNewlineNote: ' (print() adds it; sys.stdout.write() and print(..., end="") do not)',
  partialLine: (text: string) => `${text}   (no newline yet)`,
  busyExtension: (s: number) =>
    ` and ${s} s more, for the time this busy machine kept your program or the grader waiting`,
  boundTakenAddress: (how: string, where: string) =>
    `your program ${how}: it tried to bind an address that is already in use, though ${where}, the one it was given, is free`,
  portHeldTwice: (where: string) =>
    `your program could not bind ${where}, the address it was given, and another process holds it now, as one did on the first try: this machine's ports are too busy to judge; run it again`,
  boundTakenHint:
    'Bind to the host and port in SOCKETLINGS_HOST and SOCKETLINGS_PORT, not to a fixed port such as 8079 (where another program, perhaps your own server started by hand, is already listening).',
  inRound: (round: number, of: number) =>
    round === 1
      ? `(round 1 of ${of}: each round runs the program with other values)`
      : `(round ${round} of ${of}: the program ran again with other values)`,
  stderrMeanwhile: 'meanwhile it printed on stderr:',
  notObserved:
    "not checked: in peer mode the grader cannot see your program's output or exit; run socketlings verify for that",
};

type Messages = typeof en;

const zh: Messages = {
  skippedAfterFail: '已跳过：前面的检查没有通过',
  nextRound: (round, of) => `第 ${round} 轮（共 ${of} 轮）：用另一组数值再次运行你的程序；每一轮都必须通过`,
  nothingShown: '（没有）',
  withReason: (message, why) => `${message}。${why}`,
  stdoutTooLate: (at, max, tolerance) =>
    `你的程序在 ${at.toFixed(2)} 秒时打印了这一行；应当不晚于 ${max} 秒（允许误差 ${tolerance} 秒）`,
  stdoutBeforeCause: '你的程序在评分器发出它应当回答的内容之前就打印了这一行，所以这一行不可能是回答',
  timingUndecidable: (spread) =>
    `评分器无法判断你的程序是否真的等待了：它在开始等待之前发出的内容，比它必须先读取的内容晚了 ${spread} 秒才到，而这一行在那之后又来得太快。要么这台机器非常繁忙（请再运行一次，或者加大时间倍数），要么你的程序在两者之间停顿了：读完之后应立即发送`,
  lateGreetingUndecidable: (late, budget) =>
    `评分器无法判断你的程序是否放弃得太早：评分器自己在你的程序启动 ${late} 秒之后才发出问候，而你的程序最多只需等待 ${budget} 秒。这台机器太忙，无法判断（请再运行一次，或者加大时间倍数）`,
  printedUnread: (line, where) =>
    `你的程序打印了 ${line}，而它要报告的数据报还没有从 ${where} 的套接字里读出：在 recvfrom() 返回它之前打印的行，不可能是在报告它`,
  seenTooLate:
    '评分器无法判断你的程序是否按时做到了：这台机器在两次运行中都让评分器无法观察超过预算允许的时间。请再运行一次，或者加大时间倍数（SOCKETLINGS_TIME_SCALE）',
  idleCloseUndecidable: (conn, age, idle) =>
    `评分器无法判断你的程序是否过早关闭了${conn}：评分器在它连上 ${age} 秒之后才去查看（其间没有向它发送任何东西），发现它已被关闭，而你的程序可以在沉默 ${idle} 秒后关闭它。这台机器太忙，无法判断（请再运行一次，或者加大时间倍数）`,
  leftStaleSocket: (path) =>
    `在 ${path} 留下了一个没有人监听的套接字文件，就像之前崩溃的一次运行会留下的那样`,
  notBound: (where, s) => `你的程序没有在 ${s} 秒内把 UDP 套接字绑定到 ${where}（这是留给程序启动的时间）`,
  exitedBeforeBound: (how, where) => `你的程序在把 UDP 套接字绑定到 ${where} 之前就${how}`,
  programEnded: (how) => `你的程序${how}`,
  transcriptFolded: (lines, bytes, head, tail) =>
    `… 此处省略了另外 ${lines} 行${bytes ? `（其中有 ${bytes} 字节的数据）` : ''}：每项检查只保留最前面的 ${head} 行和最后的 ${tail} 行`,
  runWith: (env) => `请这样运行你的程序：${env}`,
  stdoutNotNext: (got, what) => `你的程序打印了 ${got}，而接下来应当是 ${what}`,
  extraStdout: (n) => `你的程序比预期多打印了 ${n} 行`,
  stdoutEarlier: (what) =>
    `你的程序过早地打印了 ${what}：它出现在应当先出现的那一行之前（行的顺序很重要）。它按顺序打印的各行见下方`,
  exitedWithoutPrinting: (how, what) => `你的程序没有打印 ${what} 就${how}`,
  skippedCapability: (reason) => `已跳过：${reason}`,
  notReady: (where, s) => `你的程序没有在 ${s} 秒内开始监听 ${where}（这是留给程序启动的时间）`,
  listensElsewhere: (list) => `它在监听 ${list}；请从 SOCKETLINGS_ 环境变量读取地址`,
  exitedBeforeReady: (how, where) => `你的程序在监听 ${where} 之前就${how}`,
  exitedCode: (code) => `退出了，退出码 ${code}`,
  exitedSignal: (sig) => `被 ${sig} 终止了`,
  cannotStart: (cmd, why) => `无法启动 ${cmd}：${why}`,
  exitedBeforeConnect: (how, where) => `你的程序没有连接 ${where} 就${how}`,
  noAccept: (where, s) => `你的程序没有在 ${s} 秒内连接到 ${where}（这是留给它发起连接的时间）`,
  connectFailed: (where, code) => `无法连接到你的程序 ${where}：${code}`,
  connectTimeout: (where, s) => `连接你的程序 ${where} 超过了 ${s} 秒（这是留给它接受连接的时间）`,
  sendFailed: (conn, code) =>
    code === 'EPIPE' || code === 'ECONNRESET'
      ? `评分器还在通过${conn}发送数据时，你的程序就关闭了与它的连接（${code}）`
      : `无法从${conn}向你的程序发送数据：${code}`,
  wrongBytes: (conn) => `你的程序发给${conn}的字节不对`,
  shortBytes: (conn, got, want, s) => `${s} 秒内你的程序只向${conn}发送了 ${got}/${want} 个预期字节`,
  closedEarly: (conn, got, total) =>
    total === 0
      ? `你的程序什么都没向${conn}发送就关闭了连接；本应有数据`
      : got === 0
        ? `你的程序在此前发送的 ${total} 个字节之后，没有再向${conn}发送任何内容就关闭了连接；还应有更多数据`
        : got < total
          ? `你的程序又向${conn}发送了 ${got} 个字节（总共 ${total} 个）后就关闭了连接；还应有更多数据`
          : `你的程序向${conn}发送了 ${got} 个字节后就关闭了连接；还应有更多数据`,
  endedAfterSending: (how, conn, got) =>
    got === 0
      ? `你的程序${how}，此前没有向${conn}发送任何内容`
      : `你的程序${how}，此前只向${conn}发送了 ${got} 个字节；还应有更多数据`,
  connError: (conn, code) => `你的程序与${conn}之间的连接出错：${code}`,
  noNewline: (conn, s) => `你的程序向${conn}发送了一行，但 ${s} 秒内没有发送结尾的换行符（"\\n"）`,
  nothingArrived: (conn, s) => `${s} 秒内${conn}没有收到你的程序发来的任何内容`,
  wrongLine: (conn) => `你的程序发给${conn}的行不对`,
  lineNoMatch: (conn, re) => `你的程序发给${conn}的行不匹配 /${re}/`,
  notJson: (conn, why) => `你的程序发给${conn}的这一行不是合法的 JSON：${why}`,
  wrongJson: (conn) => `你的程序发给${conn}的 JSON 内容不对`,
  wrongPayload: (conn) => `你的程序发给${conn}的数据与给定的数据不一致`,
  noEof: (conn, s) => `你的程序没有在 ${s} 秒内关闭与${conn}的连接`,
  makefileNote: '（用 makefile() 得到的文件也要关闭，否则套接字会一直保持打开）',
  stillOpen: (conn, s, bytes) =>
    `${conn}又继续发送了 ${s} 秒（共 ${bytes} 字节），你的程序那一端照单全收：连接仍然可以读，而它本应已经关闭`,
  shutdownNote: '（shutdown(SHUT_WR) 只结束你这一方的发送；close() 才结束整个连接）',
  extraBeforeEof: (conn, n) =>
    `在预期的数据之后，你的程序又向${conn}多发送了 ${n} 个字节（见下方）：这是发送上的错误。只发送要求的内容，后面什么也不要加，然后关闭连接`,
  extraBytesHint: (extra) =>
    extra.startsWith('"\\n') || extra.startsWith('"\\r\\n')
      ? '你的程序在消息后面多发了一个换行，而练习只要求消息本身：只发送它的字节，不要加 "\\n"。'
      : '你的程序发送的内容比练习要求的多：看看它在消息之后又发送了什么（第二次 send()、遗留的调试输出），只发送预期的字节。',
  sentInsteadOfEof: (conn, n) =>
    `你的程序向${conn}发送了 ${n} 个字节（见下方），而它本应什么都不发、直接关闭连接`,
  somethingArrived: (conn) => `你的程序本应保持沉默，却向${conn}发送了数据`,
  closedInsteadOfSilent: (conn) => `你的程序本应保持与${conn}的连接打开，却关闭了它`,
  exitedWithoutDatagram: (how, on) => `你的程序没有向${on}发送数据报就${how}`,
  noDatagram: (on, s) => `${s} 秒内${on}没有收到你的程序发来的数据报`,
  wrongDatagram: (on) => `你的程序发给${on}的数据报不对`,
  wrongReceived: (on) => `到达${on}的编号消息与预期不符`,
  noStdout: (what, s) => `你的程序没有在 ${s} 秒内打印 ${what}`,
  stdoutTooEarly: (at, min, tolerance) =>
    `你的程序在 ${at.toFixed(2)} 秒时打印了这一行；不应早于 ${min} 秒（允许误差 ${tolerance} 秒）`,
  notExited: (s) => `${s} 秒后你的程序仍在运行；它应该已经结束`,
  wrongExit: (how, want) => `你的程序${how}；它应该以退出码 ${want} 退出`,
  exitedWhileRunning: (how) => `你的程序${how}；它应该继续运行`,
  pathExists: (p) => `${p} 仍然存在；程序应该删除它`,
  pathMissing: (p) => `${p} 不存在`,
  barrierTimeout: (name, n, total, s) =>
    `${name} 等待其他客户端 ${s} 秒，但 ${total} 个中只有 ${n} 个得到了回复`,
  stderrTail: '它在 stderr 上的最后几行：',
  programExitedNote: (how) => `（此间你的程序${how}）`,
  sandboxed: (user, memory, by, perProcess, disk, processes, userns) =>
    `沙箱：程序以 ${user} 身份运行；每个程序内存 ${memory}${by ? `（${by}）` : `（此处无法创建 cgroup：每个进程 ${perProcess} 地址空间）`}，${processes} 个进程，磁盘 ${disk}${userns ? `；用户命名空间${userns === 'closed' ? '已关闭' : '未关闭'}` : ''}`,
  filesNotWritten: (limit) => `评分器无法为你的程序写入本练习的文件：你的程序共用的 ${limit} 磁盘空间已满。`,
  usedTooMuchMemory: (limit, peak) =>
    `你的程序使用的内存超过了 ${limit}（其所有进程合计，这是沙箱的限制），被内核终止${peak ? `（最多占用 ${peak}）` : ''}。`,
  filledDisk: (limit, held) =>
    `你的程序试图写入超过被评分程序可用的 ${limit} 磁盘空间（沙箱的限制）：磁盘已满，其中 ${held} 是它自己的文件。`,
  outputCut: (stream, n) => `[${stream} 已截断：另有 ${n} 字节被读取并丢弃]`,
  graderBug: (why) => `评分器自身出错：${why}`,
  retrying: '你的程序无法绑定分配给它的地址，那一刻可能有别的进程占着它；正在换一个新端口重试',
  retryingTiming: '这台机器太忙，无法公平地评判你的程序（它或评分器在等待 CPU）；正在把这个练习再运行一次',
  tooBusyByHand:
    '这台机器太忙，无法公平地评判这项检查（你的程序或对端在等待 CPU）：请重新运行对端和你的程序，或者加大时间倍数（SOCKETLINGS_TIME_SCALE）',
  replayClient: (id, seed, cmd, cli = 'socketlings') =>
    `${cli} peer ${id} --seed ${seed}   # 然后在另一个终端运行：${cmd}`,
  replayServer: (cmd) => `${cmd}   # 然后在另一个终端运行：`,
  tlsAccepted: (where, kind) =>
    kind === 'wrong-name'
      ? `你的程序与 ${where} 完成了 TLS 握手，而它的证书虽然由 SOCKETLINGS_CA 中的 CA 签发，却属于 impostor.localhost 而不是 localhost：检查名字的客户端会拒绝它`
      : `你的程序与 ${where} 完成了 TLS 握手，而它的证书不是由 SOCKETLINGS_CA 中的 CA 签发的：检查证书的客户端会拒绝它`,
  impostorServes: (where, kind) =>
    kind === 'wrong-name'
      ? `${where} 上的冒充者出示一张由测试 CA 签发、但属于 impostor.localhost 的证书`
      : `${where} 上的冒充者出示一张属于 localhost 的自签名证书`,
  noTlsHandshake: (where, s) => `你的程序在 ${s} 秒内没有与 ${where} 开始任何 TLS 握手`,
  peerName: (name, role, udp) => {
    const n = /^(?:client|sender)-(\d+)$/.exec(name)?.[1];
    const r = /^responder-(\d+)$/.exec(name)?.[1];
    if (r) return `评分器的第 ${r} 个应答者`;
    if (role === 'client') return '评分器的服务器';
    if (udp) return n ? `评分器的第 ${n} 个发送方` : `评分器的发送方 "${name}"`;
    if (name === 'client') return '评分器的客户端';
    return n ? `评分器的第 ${n} 个客户端` : `评分器的客户端 "${name}"`;
  },
  exitedWhileSending: (how) => `评分器还在向你的程序发送数据时，你的程序就${how}`,
  exitedBeforeNextClient: (how, who) =>
    `${who}尝试连接时，你的程序已经结束了（${how}）：服务器应当一直接受客户端，直到被停止`,
  keepAcceptingHint:
    '在循环中调用 accept()，让服务器在一个客户端结束后继续服务下一个；不要在第一个客户端之后就结束程序。',
  noNewlineStdout: (what) => `你的程序打印了 ${what}，却没有打印结束这一行的换行符`,
  printNewlineNote: '（print() 会加上它；sys.stdout.write() 和 print(..., end="") 不会）',
  partialLine: (text) => `${text}   （还没有换行符）`,
  busyExtension: (s) => `，另加 ${s} 秒（这台繁忙的机器让你的程序或评分器等待的时间）`,
  boundTakenAddress: (how, where) =>
    `你的程序${how}：它尝试绑定一个已被占用的地址，而分配给它的 ${where} 是空闲的`,
  portHeldTwice: (where) =>
    `你的程序无法绑定分配给它的地址 ${where}，而且它现在被别的进程占着，第一次尝试时也是如此：这台机器的端口太忙，无法判断；请再运行一次`,
  boundTakenHint:
    '请绑定 SOCKETLINGS_HOST 和 SOCKETLINGS_PORT 给出的主机和端口，不要绑定 8079 这样的固定端口（那里可能已经有别的程序在监听，比如你自己手动启动的服务器）。',
  inRound: (round, of) =>
    round === 1
      ? `（第 1 轮，共 ${of} 轮：每一轮都用另一组数值运行程序）`
      : `（第 ${round} 轮，共 ${of} 轮：程序用另一组数值再次运行）`,
  stderrMeanwhile: '此间它在 stderr 上打印了：',
  notObserved: '未检查：在对端模式下，评分器看不到你的程序的输出和退出情况；请用 socketlings verify 检查这些',
};

const all: Record<Lang, Messages> = { en, 'zh-CN': zh };

export function messages(lang: Lang): Messages {
  return all[lang];
}
export type { Messages };
