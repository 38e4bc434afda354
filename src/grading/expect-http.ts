// Judging one HTTP/1.1 request or response that arrived on a peer connection: it must be complete and well
// formed as HTTP/1.1 defines it, and then say what the step expects. Only the message's own bytes are taken, so
// pipelined messages are judged one after another, each from where the last ended.
import type { StreamConn } from '../wire/stream.js';
import { type Local, type RunContext, StepFail } from './context.js';
import { type HttpMessage, type HttpProblem, MAX_HEAD, readMessage } from './http.js';
import { type PeerMessages, peerMessages } from './messages-peers.js';
import { diffLines, quote } from './quote.js';
import type { Data } from './schema/grader.js';

export interface HttpExpectation {
  http_request?:
    | { method: string; target: string; headers: Record<string, string>; body?: Data | undefined }
    | undefined;
  http_response?: { status: number; headers: Record<string, string>; body?: Data | undefined } | undefined;
}

/** The most a message whose body the step does not name may hold the grader to (its Content-Length aside). */
const ANY_BODY = 16 * 1024 * 1024;

function problemText(m: PeerMessages, p: HttpProblem): string {
  switch (p.kind) {
    case 'bare-lf':
      return m.bareLf(quote(p.at));
    case 'start-line':
      return '';
    case 'field':
      return m.field(quote(p.at));
    case 'content-length':
      return m.contentLength(quote(p.at));
    case 'both-lengths':
      return m.bothLengths;
    case 'chunk-size':
      return m.chunkSize(quote(p.at));
    case 'chunk-end':
      return m.chunkEnd(quote(p.at));
    case 'head-too-long':
      return m.headTooLong;
    default: {
      const never: never = p;
      throw new Error(`unknown HTTP problem ${JSON.stringify(never)}`);
    }
  }
}

export async function expectHttp(
  ctx: RunContext,
  conn: StreamConn,
  want: HttpExpectation,
  seconds: number,
  local: Local,
): Promise<void> {
  const m = peerMessages(ctx.lang);
  const kind = want.http_request ? 'request' : 'response';
  const name = ctx.who(conn.name);
  const read = () => readMessage(conn.buf, kind, conn.finished);
  // Room for the body the step expects, with room for its head and its chunks' framing. A body it does not name
  // gets room for what its Content-Length says, up to ANY_BODY: a program cannot open the window wider by
  // claiming a huge one.
  const body = (want.http_request ?? want.http_response)?.body;
  const expected = body === undefined ? 0 : 2 * ctx.data(body, local).length + MAX_HEAD;
  const room = () => {
    if (body !== undefined) return expected;
    const r = read();
    return r.state === 'incomplete' && r.want !== undefined
      ? Math.min(conn.available - r.have + r.want, ANY_BODY)
      : 0;
  };
  await conn.need(room, () => read().state !== 'incomplete', ctx.deadline(seconds));
  const r = read();
  if (r.state === 'incomplete') {
    const got = conn.buf;
    const error =
      conn.error && !['ECONNRESET', 'EPIPE'].includes(conn.error.code ?? '') ? conn.error : undefined;
    if (error) throw new StepFail({ message: ctx.msg.connError(name, error.code ?? error.message) });
    if (got.length === 0)
      throw new StepFail({
        message: conn.finished
          ? ctx.msg.closedEarly(name, 0, conn.received)
          : ctx.msg.nothingArrived(name, seconds),
        peerClosed: conn.finished,
      });
    const actual = quote(got.subarray(0, 600));
    if (r.why === 'head')
      throw new StepFail({
        message: conn.finished ? m.closedInHead(name) : m.noHeadEnd(name, seconds),
        actual,
      });
    if (r.why === 'close') throw new StepFail({ message: m.runsToClose(seconds), actual });
    throw new StepFail({
      message: conn.finished
        ? m.closedInBody(r.have)
        : r.want !== undefined
          ? m.shortBody(r.have, r.want, seconds)
          : m.shortChunked(r.have, seconds),
      actual,
    });
  }
  if (r.state === 'bad') {
    const message =
      r.problem.kind === 'start-line' ? m.startLine(kind, quote(r.problem.at)) : problemText(m, r.problem);
    throw new StepFail({ message, actual: quote(conn.buf.subarray(0, 600)) });
  }
  const msg = r.message;
  conn.take(msg.size);
  judge(ctx, m, kind, msg, want, local);
}

function judge(
  ctx: RunContext,
  m: PeerMessages,
  kind: 'request' | 'response',
  msg: HttpMessage,
  want: HttpExpectation,
  local: Local,
): void {
  const words = msg.startLine.split(' ');
  const version = kind === 'request' ? words[2] : words[0];
  if (version !== 'HTTP/1.1') throw new StepFail({ message: m.version(quote(msg.startLine)) });
  if (want.http_request) {
    const w = want.http_request;
    const expected = `${ctx.template(w.method, local)} ${ctx.template(w.target, local)} HTTP/1.1`;
    if (msg.startLine !== expected)
      throw new StepFail({
        message: m.wrongRequest(quote(msg.startLine), quote(expected)),
        expected: quote(expected),
        actual: quote(msg.startLine),
      });
  } else if (want.http_response) {
    const status = Number(words[1]);
    if (status !== want.http_response.status)
      throw new StepFail({
        message: m.wrongStatus(status, want.http_response.status),
        expected: String(want.http_response.status),
        actual: quote(msg.startLine),
      });
  }
  const spec = want.http_request ?? want.http_response;
  if (!spec) return;
  for (const [field, pattern] of Object.entries(spec.headers)) {
    const value = msg.fields.get(field.toLowerCase());
    const re = ctx.template(pattern, local);
    if (value === undefined) throw new StepFail({ message: m.missingField(kind, field) });
    if (!new RegExp(re, 'i').test(value))
      throw new StepFail({
        message: m.fieldValue(field, quote(value), re),
        expected: `/${re}/`,
        actual: quote(value),
      });
  }
  if (spec.body !== undefined) {
    const body = ctx.data(spec.body, local);
    if (!msg.body.equals(body))
      throw new StepFail({
        message: m.wrongBody(kind),
        expected: quote(body),
        actual: quote(msg.body),
        diff: diffLines(body, msg.body, labels(ctx)),
      });
  }
}

function labels(ctx: RunContext) {
  return ctx.lang === 'zh-CN'
    ? { expected: '预期：', actual: '实际：' }
    : { expected: 'expected:', actual: 'actual:' };
}
