// Words of the wire view (src/ui/wire-view.ts), per language. Kept apart from i18n.ts so the view can change alone.
import type { Lang } from '../grading/schema/course.js';

const en = {
  time: 'time s',
  program: 'your program',
  others: 'others',
  connect: 'connect',
  refused: 'refused (RST)',
  lost: 'lost',
  dup: 'dup',
  gone: 'closed',
  listening: (port: number) => `LISTEN :${port}`,
  failedHere: 'the check failed here',
  earlier: (n: number, cmd: string) => `… ${n} earlier steps (all of them: ${cmd})`,
  statesOff: (why: string) => `Socket states are not shown: ${why}.`,
  statesNotLinux: 'the kernel tables they come from exist only on Linux',
  statesNoProc: '/proc/net/tcp cannot be read here',
  statesNoTcp: 'none of your TCP sockets was seen (UDP and AF_UNIX sockets have no TCP states)',
  statesKey:
    'States on your lane come from the kernel: CLOSE_WAIT = the peer closed and you have not; FIN_WAIT/TIME_WAIT = you closed first.',
  folded: (lanes: string) => `Lanes folded: ${lanes}; # is the connection's number.`,
  wireTitle: 'on the wire',
};

export type WireText = typeof en;

const zh: WireText = {
  time: '时间',
  program: '你的程序',
  others: '其他',
  connect: '连接',
  refused: '被拒绝 (RST)',
  lost: '丢失',
  dup: '重复',
  gone: '已关闭',
  listening: (port: number) => `LISTEN :${port}`,
  failedHere: '检查在此处失败',
  earlier: (n: number, cmd: string) => `… 之前还有 ${n} 步（全部查看：${cmd}）`,
  statesOff: (why: string) => `未显示套接字状态：${why}。`,
  statesNotLinux: '这些状态来自内核的套接字表，只有 Linux 上才有',
  statesNoProc: '这里无法读取 /proc/net/tcp',
  statesNoTcp: '没有看到你的 TCP 套接字（UDP 和 AF_UNIX 套接字没有 TCP 状态）',
  statesKey:
    '你的程序一栏中的状态来自内核：CLOSE_WAIT = 对方已关闭而你还没有；FIN_WAIT/TIME_WAIT = 你先关闭了。',
  folded: (lanes: string) => `已合并的泳道：${lanes}；# 是连接的编号。`,
  wireTitle: '线路上发生了什么',
};

export function wireText(lang: Lang): WireText {
  return lang === 'zh-CN' ? zh : en;
}
