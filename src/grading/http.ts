// HTTP/1.1 messages as bytes (RFC 9112): reading one request or response from the front of what a connection has
// received so far, and writing a chunked body. Reading is strict where a program must be (CRLF line ends, the
// version, a number that is a number) and says what is wrong in words a learner can act on.

export interface HttpHead {
  /** The request line or status line, without its CRLF. */
  startLine: string;
  /** Field names in lower case; a repeated field's values joined by ", ". */
  fields: Map<string, string>;
}

export interface HttpMessage extends HttpHead {
  body: Buffer;
  /** How the body was delimited. */
  framing: 'length' | 'chunked' | 'close' | 'none';
  /** Bytes the whole message took on the wire: head, body and chunk framing. */
  size: number;
}

/** Why a message cannot be read; `at` is the offending line, quoted by the caller. */
export type HttpProblem =
  | { kind: 'bare-lf'; at: string }
  | { kind: 'start-line'; at: string }
  | { kind: 'field'; at: string }
  | { kind: 'content-length'; at: string }
  | { kind: 'both-lengths' }
  | { kind: 'chunk-size'; at: string }
  | { kind: 'chunk-end'; at: string }
  | { kind: 'head-too-long' };

export type ReadResult =
  | { state: 'incomplete'; why: 'head' | 'body' | 'close'; have: number; want?: number }
  | { state: 'bad'; problem: HttpProblem }
  | { state: 'done'; message: HttpMessage };

/** A head longer than this without its empty line is not a head. */
export const MAX_HEAD = 64 * 1024;
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const CRLF = Buffer.from('\r\n');

/** The first line ending of `buf` from `from`, or -1; a bare LF is reported as such. */
function lineEnd(buf: Buffer, from: number): number | 'bare-lf' {
  const nl = buf.indexOf(10, from);
  if (nl < 0) return -1;
  return nl > from && buf[nl - 1] === 13 ? nl - 1 : 'bare-lf';
}

function readHead(buf: Buffer): { head: HttpHead; end: number } | ReadResult {
  const lines: string[] = [];
  let at = 0;
  for (;;) {
    const end = lineEnd(buf, at);
    if (end === 'bare-lf')
      return {
        state: 'bad',
        problem: { kind: 'bare-lf', at: buf.toString('latin1', at, buf.indexOf(10, at)) },
      };
    if (end < 0) {
      if (buf.length > MAX_HEAD) return { state: 'bad', problem: { kind: 'head-too-long' } };
      return { state: 'incomplete', why: 'head', have: buf.length };
    }
    const line = buf.toString('latin1', at, end);
    at = end + 2;
    if (line === '') {
      // Empty lines before the start line are tolerated, as RFC 9112 asks of a reader.
      if (lines.length === 0) continue;
      break;
    }
    lines.push(line);
  }
  const [startLine = '', ...fieldLines] = lines;
  const fields = new Map<string, string>();
  for (const line of fieldLines) {
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon) : '';
    // No name, a space before the colon, or a folded line (obsolete, refused by RFC 9112).
    if (!TOKEN.test(name)) return { state: 'bad', problem: { kind: 'field', at: line } };
    const value = line.slice(colon + 1).trim();
    const key = name.toLowerCase();
    const before = fields.get(key);
    fields.set(key, before === undefined ? value : `${before}, ${value}`);
  }
  return { head: { startLine, fields }, end: at };
}

/** Content-Length as a number, or the problem with it (a list of equal values counts as one). */
function contentLength(fields: Map<string, string>): number | undefined | HttpProblem {
  const raw = fields.get('content-length');
  if (raw === undefined) return undefined;
  const values = [...new Set(raw.split(',').map((v) => v.trim()))];
  if (values.length !== 1 || !/^\d{1,15}$/.test(values[0] as string))
    return { kind: 'content-length', at: `Content-Length: ${raw}` };
  return Number(values[0]);
}

/** Is the last transfer coding "chunked"? */
function isChunked(fields: Map<string, string>): boolean | undefined {
  const te = fields.get('transfer-encoding');
  if (te === undefined) return undefined;
  return te.split(',').at(-1)?.trim().toLowerCase() === 'chunked';
}

function readChunks(buf: Buffer, from: number): { body: Buffer; end: number } | ReadResult {
  const parts: Buffer[] = [];
  let at = from;
  for (;;) {
    const end = lineEnd(buf, at);
    if (end === 'bare-lf')
      return {
        state: 'bad',
        problem: { kind: 'bare-lf', at: buf.toString('latin1', at, buf.indexOf(10, at)) },
      };
    if (end < 0) return { state: 'incomplete', why: 'body', have: buf.length - from };
    const line = buf.toString('latin1', at, end);
    // The size, then any chunk extensions after ";".
    const hex = line.split(';')[0]?.trim() ?? '';
    if (!/^[0-9a-fA-F]{1,12}$/.test(hex)) return { state: 'bad', problem: { kind: 'chunk-size', at: line } };
    const size = Number.parseInt(hex, 16);
    at = end + 2;
    if (size === 0) {
      // Trailer fields, then the empty line.
      for (;;) {
        const tend = lineEnd(buf, at);
        if (tend === 'bare-lf')
          return {
            state: 'bad',
            problem: { kind: 'bare-lf', at: buf.toString('latin1', at, buf.indexOf(10, at)) },
          };
        if (tend < 0) return { state: 'incomplete', why: 'body', have: buf.length - from };
        const trailer = buf.toString('latin1', at, tend);
        at = tend + 2;
        if (trailer === '') return { body: Buffer.concat(parts), end: at };
      }
    }
    if (buf.length < at + size + 2) return { state: 'incomplete', why: 'body', have: buf.length - from };
    parts.push(buf.subarray(at, at + size));
    if (!buf.subarray(at + size, at + size + 2).equals(CRLF))
      return {
        state: 'bad',
        problem: { kind: 'chunk-end', at: buf.toString('latin1', at + size, at + size + 2) },
      };
    at += size + 2;
  }
}

/**
 * The request or response at the front of `buf`. `closed`: the far side will send nothing more, so a response
 * delimited by the close is complete.
 */
export function readMessage(buf: Buffer, kind: 'request' | 'response', closed: boolean): ReadResult {
  const h = readHead(buf);
  if ('state' in h) return h;
  const { head, end } = h;
  const startOk =
    kind === 'request'
      ? /^[!#$%&'*+.^_`|~0-9A-Za-z-]+ \S+ HTTP\/\d\.\d$/.test(head.startLine)
      : /^HTTP\/\d\.\d \d{3}( .*)?$/.test(head.startLine);
  if (!startOk) return { state: 'bad', problem: { kind: 'start-line', at: head.startLine } };
  const chunked = isChunked(head.fields);
  const length = contentLength(head.fields);
  if (length !== undefined && typeof length !== 'number') return { state: 'bad', problem: length };
  if (chunked !== undefined && length !== undefined)
    return { state: 'bad', problem: { kind: 'both-lengths' } };
  const status = kind === 'response' ? Number(head.startLine.slice(9, 12)) : 0;
  const message = (body: Buffer, framing: HttpMessage['framing'], size: number): ReadResult => ({
    state: 'done',
    message: { ...head, body, framing, size },
  });
  if (kind === 'response' && (status < 200 || status === 204 || status === 304))
    return message(Buffer.alloc(0), 'none', end);
  if (chunked) {
    const c = readChunks(buf, end);
    if ('state' in c) return c;
    return message(c.body, 'chunked', c.end);
  }
  if (typeof length === 'number') {
    if (buf.length < end + length)
      return { state: 'incomplete', why: 'body', have: buf.length - end, want: length };
    return message(buf.subarray(end, end + length), 'length', end + length);
  }
  // A request without either has no body; a response runs to the close (also one with a coding other than chunked).
  if (kind === 'request') return message(Buffer.alloc(0), 'none', end);
  if (!closed) return { state: 'incomplete', why: 'close', have: buf.length - end };
  return message(buf.subarray(end), 'close', buf.length);
}

/** A payload as an HTTP/1.1 chunked body (see the `chunked` data part in the grader schema). */
export function encodeChunked(
  payload: Buffer,
  sizes: number[],
  extension = '',
  trailer: string[] = [],
): Buffer {
  const out: Buffer[] = [];
  let at = 0;
  let k = 0;
  while (at < payload.length) {
    const size = Math.min(sizes[Math.min(k, sizes.length - 1)] as number, payload.length - at);
    out.push(Buffer.from(`${size.toString(16)}${k === 0 ? extension : ''}\r\n`, 'latin1'));
    out.push(payload.subarray(at, at + size), CRLF);
    at += size;
    k++;
  }
  out.push(Buffer.from(`0\r\n${trailer.map((t) => `${t}\r\n`).join('')}\r\n`, 'latin1'));
  return Buffer.concat(out);
}
