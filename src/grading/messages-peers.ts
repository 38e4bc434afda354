// What the grader says about the peers of lessons 16 to 18 (HTTP messages, timed exchanges, closes that come too
// early, broadcasts), in each language. Kept apart from messages.ts, which holds the sentences of the older steps.
import type { Lang } from './schema/course.js';

type Kind = 'request' | 'response';

const en = {
  bareLf: (line: string) =>
    `your program ended a line with "\\n" alone (${line}): every line of an HTTP head ends in "\\r\\n"`,
  startLine: (kind: Kind, line: string) =>
    kind === 'request'
      ? `your program's request line is ${line}: it must be the method, a space, the target, a space and HTTP/1.1`
      : `your program's status line is ${line}: it must be HTTP/1.1, a space, a three-digit status code, a space and a reason phrase`,
  field: (line: string) =>
    `your program sent the header line ${line}, which is not a field: a name, a colon, then the value`,
  contentLength: (line: string) =>
    `your program sent ${line}: Content-Length must be one whole number of bytes`,
  bothLengths:
    'your program sent both Content-Length and Transfer-Encoding: a message is delimited by one or the other',
  chunkSize: (line: string) =>
    `a chunk of your program's body starts with the line ${line}, which is not a size in hexadecimal`,
  chunkEnd: (got: string) =>
    `a chunk of your program's body is not followed by "\\r\\n" (found ${got}): its size line said how many bytes come before that`,
  headTooLong: 'your program sent more than 64 KiB without the empty line that ends an HTTP head',
  noHeadEnd: (who: string, s: number) =>
    `${who} got the start of an HTTP head from your program, but not the empty line ("\\r\\n\\r\\n") that ends it, within ${s} s`,
  closedInHead: (who: string) => `your program closed the connection to ${who} in the middle of an HTTP head`,
  shortBody: (have: number, want: number, s: number) =>
    `the body your program sent stopped at ${have} of the ${want} bytes its Content-Length announced (waited ${s} s)`,
  shortChunked: (have: number, s: number) =>
    `the chunked body your program sent has no last chunk ("0\\r\\n\\r\\n") after ${have} bytes (waited ${s} s)`,
  closedInBody: (have: number) =>
    `your program closed the connection after ${have} bytes of a body that was not complete`,
  runsToClose: (s: number) =>
    `your program's response has neither Content-Length nor Transfer-Encoding: chunked, so its body runs until the connection closes, and your program kept the connection open (waited ${s} s)`,
  version: (line: string) => `your program sent ${line}: this exercise speaks HTTP/1.1`,
  wrongRequest: (got: string, want: string) =>
    `your program sent the request ${got} where the grader expected ${want}`,
  wrongStatus: (got: number, want: number) =>
    `your program answered with status ${got} where the grader expected ${want}`,
  missingField: (kind: Kind, name: string) => `your program's ${kind} has no ${name} field`,
  fieldValue: (name: string, value: string, re: string) =>
    `your program's ${name} field is ${value}, which does not match /${re}/`,
  wrongBody: (kind: Kind) => `the body of your program's ${kind} is not what the grader expected`,
  exchangeSlow: (fast: number, timed: number, need: number, fastMs: number, median: number) =>
    `only ${fast} of ${timed} answers came within ${fastMs} ms of their question (at least ${need} must); the median took ${median} ms`,
  exchangeUndecidable: (fast: number, excused: number, need: number) =>
    `the grader cannot tell whether your program answers fast enough: ${fast} answers were fast, ${need} must be, and ${excused} more were slow while this machine kept the grader or your program from running, in two runs. Run it again, or with a larger time scale (SOCKETLINGS_TIME_SCALE)`,
  closedTooEarly: (who: string, at: number, min: number) =>
    `your program closed the connection to ${who} ${at} s after the grader's last message on it; it must keep it at least ${min} s`,
  earlyLineUndecidable: (at: number, hidden: number, min: number) =>
    `the grader cannot tell whether your program printed the line too early: it saw it ${at} s after the mark, and it must not come before ${min} s, but this machine may have kept the grader from sending or from watching, or your program from running, for ${hidden} s of that, in two runs. Run it again, or with a larger time scale (SOCKETLINGS_TIME_SCALE)`,
  lateLineUndecidable: (at: number, max: number, stalled: number) =>
    `the grader cannot tell whether your program printed the line too late: it saw it ${at} s after the mark, and it should come by ${max} s, but this machine kept the grader from running for up to ${stalled} s meanwhile and may have held up your program as well, in two runs. Run it again, or with a larger time scale (SOCKETLINGS_TIME_SCALE)`,
  closeUndecidable: (who: string) =>
    `the grader cannot tell whether your program closed the connection to ${who} too early: this machine kept the grader from watching while it happened, in two runs. Run it again, or with a larger time scale (SOCKETLINGS_TIME_SCALE)`,
  quietGraderUndecidable: (quiet: number, limit: number) =>
    `the grader cannot tell whether your program acted too soon: the grader itself was late, ${quiet} s without sending what it owed your program, and your program may give up after ${limit} s of silence. This machine was too busy to judge it (run it again, or with a larger time scale)`,
  idleSinceSentUndecidable: (conn: string, age: number, idle: number) =>
    `the grader cannot tell whether your program closed ${conn} too early: the grader was late, ${age} s without sending on it before it found the connection closed, and your program may close it after ${idle} s of silence. This machine was too busy to judge it (run it again, or with a larger time scale)`,
  unpacedUndecidable: (late: number, paced: number) =>
    `the grader cannot judge this: it was to send a datagram within ${paced} s of the one before, but this machine held it back ${late} s, in two runs, and what your program does then proves nothing. Run it again, or with a larger time scale (SOCKETLINGS_TIME_SCALE)`,
};

export type PeerMessages = typeof en;

const zh: PeerMessages = {
  bareLf: (line) => `你的程序用单独的 "\\n" 结束了一行（${line}）：HTTP 头部的每一行都以 "\\r\\n" 结尾`,
  startLine: (kind, line) =>
    kind === 'request'
      ? `你的程序的请求行是 ${line}：它必须是方法、一个空格、目标、一个空格和 HTTP/1.1`
      : `你的程序的状态行是 ${line}：它必须是 HTTP/1.1、一个空格、三位数的状态码、一个空格和原因短语`,
  field: (line) => `你的程序发送了头部行 ${line}，它不是一个字段：应当是名字、冒号，然后是值`,
  contentLength: (line) => `你的程序发送了 ${line}：Content-Length 必须是一个表示字节数的整数`,
  bothLengths: '你的程序同时发送了 Content-Length 和 Transfer-Encoding：一条消息只能用其中一种方式界定',
  chunkSize: (line) => `你的程序发送的消息体中，有一个分块以 ${line} 这一行开头，它不是十六进制的大小`,
  chunkEnd: (got) =>
    `你的程序发送的消息体中，有一个分块后面不是 "\\r\\n"（而是 ${got}）：大小行已经说明了在它之前有多少字节`,
  headTooLong: '你的程序发送了超过 64 KiB 的数据，却没有结束 HTTP 头部的空行',
  noHeadEnd: (who, s) =>
    `${who}收到了你的程序发来的 HTTP 头部的开头，但在 ${s} 秒内没有收到结束头部的空行（"\\r\\n\\r\\n"）`,
  closedInHead: (who) => `你的程序在 HTTP 头部发到一半时关闭了与${who}的连接`,
  shortBody: (have, want, s) =>
    `你的程序发送的消息体停在了 Content-Length 声明的 ${want} 字节中的第 ${have} 字节（等待了 ${s} 秒）`,
  shortChunked: (have, s) =>
    `你的程序发送的分块消息体在 ${have} 字节之后没有最后一个分块（"0\\r\\n\\r\\n"）（等待了 ${s} 秒）`,
  closedInBody: (have) => `你的程序在一个不完整的消息体发了 ${have} 字节之后关闭了连接`,
  runsToClose: (s) =>
    `你的程序的响应既没有 Content-Length，也没有 Transfer-Encoding: chunked，所以它的消息体一直延续到连接关闭，而你的程序一直没有关闭连接（等待了 ${s} 秒）`,
  version: (line) => `你的程序发送了 ${line}：这道练习使用 HTTP/1.1`,
  wrongRequest: (got, want) => `你的程序发送的请求是 ${got}，评分器期望的是 ${want}`,
  wrongStatus: (got, want) => `你的程序应答的状态码是 ${got}，评分器期望的是 ${want}`,
  missingField: (kind, name) => `你的程序的${kind === 'request' ? '请求' : '响应'}没有 ${name} 字段`,
  fieldValue: (name, value, re) => `你的程序的 ${name} 字段是 ${value}，不匹配 /${re}/`,
  wrongBody: (kind) => `你的程序的${kind === 'request' ? '请求' : '响应'}的消息体不是评分器期望的内容`,
  exchangeSlow: (fast, timed, need, fastMs, median) =>
    `${timed} 个回答中只有 ${fast} 个在问题发出后 ${fastMs} 毫秒内到达（至少要 ${need} 个）；中位数是 ${median} 毫秒`,
  exchangeUndecidable: (fast, excused, need) =>
    `评分器无法判断你的程序回答得够不够快：有 ${fast} 个回答够快，至少要 ${need} 个；另有 ${excused} 个慢的回答发生在这台机器让评分器或你的程序无法运行的时候，两次运行都是如此。请再运行一次，或者用更大的时间倍数（SOCKETLINGS_TIME_SCALE）`,
  closedTooEarly: (who, at, min) =>
    `你的程序在评分器最后一次在连接上发消息之后 ${at} 秒就关闭了与${who}的连接；它必须至少保持 ${min} 秒`,
  earlyLineUndecidable: (at, hidden, min) =>
    `评分器无法判断你的程序是否过早打印了这一行：评分器在标记之后 ${at} 秒才看到它，而它不能早于 ${min} 秒出现；但这台机器可能让评分器无法发送或观察、或让你的程序无法运行，其中多达 ${hidden} 秒，两次运行都是如此。请再运行一次，或者用更大的时间倍数（SOCKETLINGS_TIME_SCALE）`,
  lateLineUndecidable: (at, max, stalled) =>
    `评分器无法判断你的程序是否过晚打印了这一行：评分器在标记之后 ${at} 秒才看到它，它应在 ${max} 秒内出现；但这台机器让评分器多达 ${stalled} 秒无法运行，也可能同样拖住了你的程序，两次运行都是如此。请再运行一次，或者用更大的时间倍数（SOCKETLINGS_TIME_SCALE）`,
  closeUndecidable: (who) =>
    `评分器无法判断你的程序是否过早关闭了与${who}的连接：关闭发生时，这台机器让评分器无法观察，两次运行都是如此。请再运行一次，或者用更大的时间倍数（SOCKETLINGS_TIME_SCALE）`,
  quietGraderUndecidable: (quiet, limit) =>
    `评分器无法判断你的程序是否行动得太早：评分器自己来晚了，有 ${quiet} 秒没有发出它欠你的程序的消息，而你的程序可以在沉默 ${limit} 秒后放弃。这台机器太忙，无法判断（请再运行一次，或者用更大的时间倍数）`,
  idleSinceSentUndecidable: (conn, age, idle) =>
    `评分器无法判断你的程序是否过早关闭了${conn}：评分器来晚了，在发现连接已关闭之前，有 ${age} 秒没有向它发送任何东西，而你的程序可以在沉默 ${idle} 秒后关闭它。这台机器太忙，无法判断（请再运行一次，或者用更大的时间倍数）`,
  unpacedUndecidable: (late, paced) =>
    `评分器无法判断：它本应在上一个数据报之后 ${paced} 秒内发出下一个，但这台机器把它拖住了 ${late} 秒，两次运行都是如此，这时你的程序做什么都说明不了问题。请再运行一次，或者用更大的时间倍数（SOCKETLINGS_TIME_SCALE）`,
};

const all: Record<Lang, PeerMessages> = { en, 'zh-CN': zh };

export function peerMessages(lang: Lang): PeerMessages {
  return all[lang];
}
