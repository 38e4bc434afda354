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
  failedHere: 'the check failed here: ',
  earlier: (n: number, cmd: string) => `… ${n} earlier steps (all of them: ${cmd})`,
  earlierLead: (n: number) => `… ${n} earlier steps; to see all of them:`,
  between: (n: number) => `… ${n} step${n === 1 ? '' : 's'} in between`,
  statesOff: (why: string) => `Socket states are not shown: ${why}.`,
  statesNotLinux: 'the kernel tables they come from exist only on Linux',
  statesNoProc: '/proc/net/tcp cannot be read here',
  statesNoTcp: 'none of your TCP sockets was seen (UDP and AF_UNIX sockets have no TCP states)',
  wrongByte: 'the first wrong byte',
  legendLead: 'Read the diagram: ',
  legendSep: '; ',
  /** What each term means, for the terms a diagram uses. States on your lane come from the kernel. */
  legend: {
    CLOSE_WAIT: 'CLOSE_WAIT = the peer closed and your program has not yet',
    FIN_WAIT: 'FIN_WAIT = your program closed first and waits for the peer',
    TIME_WAIT: 'TIME_WAIT = both closed, your program first; the kernel keeps the port a while',
    LAST_ACK: 'LAST_ACK = the peer closed first, then your program',
    closed: 'closed = your program has closed the socket: the kernel has it no more',
    RST: 'RST = a reset: the connection was torn down at once, data unread is lost',
    EPIPE: 'EPIPE = a write to a connection the other side had already closed (Python: BrokenPipeError)',
  } as Record<string, string>,
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
  failedHere: '检查在此处失败：',
  earlier: (n: number, cmd: string) => `… 之前还有 ${n} 步（全部查看：${cmd}）`,
  earlierLead: (n: number) => `… 之前还有 ${n} 步；全部查看：`,
  between: (n: number) => `… 中间还有 ${n} 步`,
  statesOff: (why: string) => `未显示套接字状态：${why}。`,
  statesNotLinux: '这些状态来自内核的套接字表，只有 Linux 上才有',
  statesNoProc: '这里无法读取 /proc/net/tcp',
  statesNoTcp: '没有看到你的 TCP 套接字（UDP 和 AF_UNIX 套接字没有 TCP 状态）',
  wrongByte: '第一个错误的字节',
  legendLead: '图例：',
  legendSep: '；',
  legend: {
    CLOSE_WAIT: 'CLOSE_WAIT = 对方已关闭，而你的程序还没有',
    FIN_WAIT: 'FIN_WAIT = 你的程序先关闭，正在等对方',
    TIME_WAIT: 'TIME_WAIT = 双方都已关闭，你的程序在先；内核会把端口保留一会儿',
    LAST_ACK: 'LAST_ACK = 对方先关闭，随后你的程序也关闭了',
    closed: '已关闭 = 你的程序已关闭套接字，内核中已没有它',
    RST: 'RST = 复位：连接被立即拆除，未读的数据丢失',
    EPIPE: 'EPIPE = 向对方已经关闭的连接写数据（Python 中是 BrokenPipeError）',
  },
  folded: (lanes: string) => `已合并的泳道：${lanes}；# 是连接的编号。`,
  wireTitle: '线路上发生了什么',
};

export function wireText(lang: Lang): WireText {
  return lang === 'zh-CN' ? zh : en;
}
