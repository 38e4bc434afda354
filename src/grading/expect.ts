// Judging what arrived on a peer connection or in a datagram. Each judgement passes only on positive
// evidence: the exact bytes, a whole line, a parsed value. A timeout, an empty read or an error never passes.
import { createHash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { dueOf, sleep } from '../wire/events.js';
import type { StreamConn } from '../wire/stream.js';
import { GraderError, type Local, type RunContext, StepFail } from './context.js';
import { expectHttp, type HttpExpectation } from './expect-http.js';
import { diffLines, firstDifference, quote } from './quote.js';
import type { Data } from './schema/grader.js';

export interface Matcher {
  bytes?: Data | undefined;
  line?: string | undefined;
  regex?: string | undefined;
  json?: unknown;
  length?: number | undefined;
  sha256?: Data | undefined;
  eof?: true | undefined;
  closed?: true | undefined;
  nothing?: true | undefined;
  http_request?: HttpExpectation['http_request'] | undefined;
  http_response?: HttpExpectation['http_response'] | undefined;
}

function expandJson(ctx: RunContext, v: unknown, local: Local): unknown {
  if (typeof v === 'string') return ctx.template(v, local);
  if (Array.isArray(v)) return v.map((x) => expandJson(ctx, x, local));
  if (v && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, expandJson(ctx, x, local)]));
  return v;
}

function labels(ctx: RunContext) {
  return ctx.lang === 'zh-CN'
    ? { expected: '预期：', actual: '实际：' }
    : { expected: 'expected:', actual: 'actual:' };
}

/** What the grader keeps sending to a connection that must be closed, and how often (see `closed`). */
const CLOSED_PROBE_BYTES = 1024;
const CLOSED_PROBE_MS = 50;

/**
 * An error that is not just the far side closing. A reset (ECONNRESET, EPIPE) is how a close looks when our bytes
 * were still unread, so it reads as a close, whichever of the two the timing happened to produce.
 */
function connFailure(ctx: RunContext, conn: StreamConn): string | undefined {
  const code = conn.error?.code;
  if (!conn.error || code === 'ECONNRESET' || code === 'EPIPE') return undefined;
  return ctx.msg.connError(ctx.who(conn.name), code ?? conn.error.message);
}

/** A connection that ended (closed or reset) short of what was expected: how much the program had sent on it. */
function closedAfter(conn: StreamConn): { closedAfter?: { conn: string; bytes: number } } {
  const reset = conn.error?.code === 'ECONNRESET' || conn.error?.code === 'EPIPE';
  return conn.finished && (!conn.error || reset)
    ? { closedAfter: { conn: conn.name, bytes: conn.received } }
    : {};
}

/** Judge a line-shaped value (line, regex, json) taken from a stream or a datagram. */
export function judgeLine(ctx: RunContext, m: Matcher, got: string, where: string, local: Local): void {
  if (m.line !== undefined) {
    const want = ctx.template(m.line, local);
    if (got !== want)
      throw new StepFail({
        message: ctx.msg.wrongLine(where),
        expected: quote(want),
        actual: quote(got),
        diff: diffLines(Buffer.from(want), Buffer.from(got), labels(ctx)),
        peerClosed: got === "b''" || got === '',
      });
    return;
  }
  if (m.regex !== undefined) {
    const re = ctx.template(m.regex, local);
    if (!new RegExp(re).test(got))
      throw new StepFail({
        message: ctx.msg.lineNoMatch(where, re),
        expected: `/${re}/`,
        actual: quote(got),
      });
    return;
  }
  if (m.json !== undefined) {
    const want = expandJson(ctx, m.json, local);
    let value: unknown;
    try {
      value = JSON.parse(got);
    } catch (err) {
      throw new StepFail({ message: ctx.msg.notJson(where, (err as Error).message), actual: quote(got) });
    }
    if (!isDeepStrictEqual(value, want))
      throw new StepFail({
        message: ctx.msg.wrongJson(where),
        expected: JSON.stringify(want),
        actual: JSON.stringify(value),
      });
  }
}

export async function expectOnStream(
  ctx: RunContext,
  conn: StreamConn,
  m: Matcher,
  seconds: number,
  local: Local,
): Promise<void> {
  // Silence is watched for exactly its time; everything else may have its budget stretched by a busy machine.
  const deadline = m.nothing ? Date.now() + ctx.ms(seconds) : ctx.deadline(seconds);
  const name = ctx.who(conn.name);

  if (m.nothing) {
    await conn.until(() => conn.available > 0, deadline);
    if (conn.buf.length > 0)
      throw new StepFail({
        message: ctx.msg.somethingArrived(name),
        actual: quote(conn.buf),
        wrongAt: { peer: conn.name, offset: conn.received - conn.available },
      });
    if (conn.finished)
      throw new StepFail({ message: connFailure(ctx, conn) ?? ctx.msg.closedInsteadOfSilent(name) });
    return;
  }

  if (m.http_request || m.http_response) return expectHttp(ctx, conn, m, seconds, local);

  if (m.eof) {
    await conn.until(() => conn.available > 0, deadline);
    if (conn.buf.length > 0) {
      const actual = quote(conn.buf);
      const nothingExpected = conn.received === conn.buf.length;
      // The check's own hint is about closing; the program's fault was what it sent.
      throw new StepFail({
        // Nothing was expected on this connection at all, or more after what was.
        message: nothingExpected
          ? ctx.msg.sentInsteadOfEof(name, conn.buf.length)
          : ctx.msg.extraBeforeEof(name, conn.buf.length),
        actual,
        ...(nothingExpected ? {} : { hint: ctx.msg.extraBytesHint(actual) }),
        wrongAt: { peer: conn.name, offset: conn.received - conn.available },
      });
    }
    // A reset is also the far side going away; either is positive evidence of a close.
    if (conn.eof || conn.closed || conn.error?.code === 'ECONNRESET') return;
    if (conn.error) throw new StepFail({ message: connFailure(ctx, conn) as string });
    // A file from makefile() keeps the socket open after close(): worth saying only where closing was the
    // program's next step, because it has answered what it was sent, or because the grader has ended its side
    // (its recv() returned b''). A program that has neither is most likely waiting for something still to come.
    const talked = (conn.sent > 0 && conn.received > 0) || conn.halfClosed;
    throw new StepFail({
      message: ctx.msg.noEof(name, seconds) + (ctx.python && talked ? ctx.msg.makefileNote : ''),
    });
  }

  if (m.closed) {
    // Bytes sent to a socket its program has closed meet a reset; a socket still open takes them in.
    const piece = Buffer.alloc(CLOSED_PROBE_BYTES);
    const isReset = () => conn.error?.code === 'ECONNRESET' || conn.error?.code === 'EPIPE';
    while (!isReset()) {
      if (conn.buf.length > 0)
        throw new StepFail({ message: ctx.msg.somethingArrived(name), actual: quote(conn.buf) });
      if (Date.now() >= dueOf(deadline)) break;
      if (conn.error) throw new StepFail({ message: connFailure(ctx, conn) as string });
      const err = await conn.write([piece], [0]);
      if (err?.code === 'ECONNRESET' || err?.code === 'EPIPE') return;
      await sleep(CLOSED_PROBE_MS);
    }
    if (isReset()) return;
    throw new StepFail({
      message: ctx.msg.stillOpen(name, seconds, conn.sent) + (ctx.python ? ctx.msg.shutdownNote : ''),
    });
  }

  if (m.bytes !== undefined || m.length !== undefined) {
    const want = m.bytes !== undefined ? ctx.data(m.bytes, local) : undefined;
    const n = want ? want.length : (m.length as number);
    if (n === 0) throw new GraderError('the grader expects zero bytes, which proves nothing');
    const mismatch = () =>
      want !== undefined && !want.subarray(0, conn.buf.length).equals(conn.buf.subarray(0, n));
    await conn.need(n, () => conn.available >= n || mismatch(), deadline);
    const got = conn.buf.subarray(0, n);
    if (want && !got.equals(want) && (mismatch() || got.length === n)) {
      throw new StepFail({
        message: ctx.msg.wrongBytes(name),
        expected: quote(want),
        actual: quote(got),
        diff: diffLines(want, got, labels(ctx)),
        wrongAt: { peer: conn.name, offset: conn.received - conn.available + firstDifference(want, got) },
      });
    }
    if (got.length < n) {
      const why = connFailure(ctx, conn);
      if (why) throw new StepFail({ message: why, actual: quote(got) });
      throw new StepFail({
        message: conn.finished
          ? ctx.msg.closedEarly(name, got.length, conn.received)
          : ctx.msg.shortBytes(name, got.length, n, seconds),
        ...(want ? { expected: quote(want) } : {}),
        actual: quote(got),
        // It can have read b'' only if the grader ended its side first.
        peerClosed: conn.finished && got.length === 0 && conn.halfClosed,
        ...closedAfter(conn),
      });
    }
    conn.take(n);
    return;
  }

  if (m.sha256 !== undefined) {
    const want = ctx.data(m.sha256, local);
    await conn.need(want.length, () => conn.available >= want.length, deadline);
    const got = conn.buf;
    const digest = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    // All bytes in and identical is the evidence; whether the program then closed is a step of its own.
    if (got.length === want.length && digest(got) === digest(want)) {
      conn.take(got.length);
      return;
    }
    throw new StepFail({
      message:
        got.length < want.length && !conn.finished
          ? ctx.msg.shortBytes(name, got.length, want.length, seconds)
          : ctx.msg.wrongPayload(name),
      expected: `${want.length} bytes, sha256 ${digest(want)}`,
      actual: `${got.length} bytes, sha256 ${digest(got)}`,
      diff: diffLines(want, got, labels(ctx)),
      ...(got.length < want.length ? closedAfter(conn) : {}),
    });
  }

  // line, regex, json: one line ending in \n (room for the expected one, where it is known: a line of a big var)
  const line = m.line !== undefined ? Buffer.byteLength(ctx.template(m.line, local)) + 2 : 0;
  await conn.need(line, () => conn.buf.includes(10), deadline);
  const nl = conn.buf.indexOf(10);
  if (nl < 0) {
    const why = connFailure(ctx, conn);
    if (conn.buf.length === 0) {
      throw new StepFail({
        message:
          why ??
          (conn.finished
            ? ctx.msg.closedEarly(name, 0, conn.received)
            : ctx.msg.nothingArrived(name, seconds)),
        peerClosed: conn.finished && conn.halfClosed,
        ...closedAfter(conn),
      });
    }
    throw new StepFail({
      message: why ?? ctx.msg.noNewline(name, seconds),
      actual: quote(conn.buf),
      ...closedAfter(conn),
    });
  }
  const raw = conn.take(nl + 1).toString('utf8');
  // A line is its text; a trailing \r (CRLF endings) is accepted as part of the line ending.
  judgeLine(ctx, m, raw.replace(/\r?\n$/, ''), name, local);
}

/** Judge one whole datagram. */
export function judgeDatagram(ctx: RunContext, m: Matcher, data: Buffer, where: string, local: Local): void {
  if (m.bytes !== undefined) {
    const want = ctx.data(m.bytes, local);
    if (!data.equals(want))
      throw new StepFail({
        message: ctx.msg.wrongDatagram(where),
        expected: quote(want),
        actual: quote(data),
        diff: diffLines(want, data, labels(ctx)),
      });
    return;
  }
  if (m.length !== undefined) {
    if (data.length !== m.length)
      throw new StepFail({
        message: ctx.msg.wrongDatagram(where),
        expected: `${m.length} bytes`,
        actual: `${data.length} bytes`,
      });
    return;
  }
  if (m.sha256 !== undefined || m.eof || m.nothing || m.http_request || m.http_response)
    throw new GraderError('sha256, eof, nothing and HTTP messages do not apply to a single datagram');
  judgeLine(ctx, m, data.toString('utf8').replace(/\r?\n$/, ''), where, local);
}
