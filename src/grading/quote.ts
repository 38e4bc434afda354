// How bytes are shown to a learner: Python-like escapes, so "\n" and "\r\n" are visible, and a caret under the
// first byte that differs.

const ESC: Record<number, string> = { 10: '\\n', 13: '\\r', 9: '\\t', 92: '\\\\', 34: '\\"', 0: '\\0' };

/** A printable character: letters, marks, digits, punctuation, symbols, spaces. Never a control or format one. */
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}\p{Zs}]$/u;

/** The character encoded at `i` when it is a valid, printable multi-byte UTF-8 sequence. */
function utf8At(b: Buffer, i: number): { ch: string; len: number } | undefined {
  const lead = b[i] as number;
  const len =
    lead >= 0xc2 && lead <= 0xdf
      ? 2
      : lead >= 0xe0 && lead <= 0xef
        ? 3
        : lead >= 0xf0 && lead <= 0xf4
          ? 4
          : 0;
  if (len === 0 || i + len > b.length) return undefined;
  for (let k = 1; k < len; k++) if (((b[i + k] as number) & 0xc0) !== 0x80) return undefined;
  const bytes = b.subarray(i, i + len);
  const ch = bytes.toString('utf8');
  // Re-encoding must give the same bytes: this rejects overlong forms and surrogates.
  if (!Buffer.from(ch, 'utf8').equals(bytes) || !PRINTABLE.test(ch)) return undefined;
  return { ch, len };
}

/**
 * Quote bytes; long data is cut after `max` bytes with its total size noted. ASCII controls and invalid bytes are
 * escaped like Python's bytes; valid UTF-8 text (Chinese, say) is shown as text.
 */
export function quote(data: Buffer | string, max = 120): string {
  const b = typeof data === 'string' ? Buffer.from(data) : data;
  const shown = b.subarray(0, max);
  let s = '"';
  for (let i = 0; i < shown.length; ) {
    const byte = shown[i] as number;
    const esc = ESC[byte];
    if (esc) s += esc;
    else if (byte >= 0x20 && byte < 0x7f) s += String.fromCharCode(byte);
    else {
      const u = byte >= 0x80 ? utf8At(shown, i) : undefined;
      if (u) {
        s += u.ch;
        i += u.len;
        continue;
      }
      s += `\\x${byte.toString(16).padStart(2, '0')}`;
    }
    i++;
  }
  s += '"';
  if (b.length > max) s += ` … (${b.length} bytes in all)`;
  return s;
}

/** Columns a string takes in a terminal: East Asian wide characters take two, combining marks none. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0) as number;
    if (/\p{M}/u.test(ch)) continue;
    const wide =
      (cp >= 0x1100 && cp <= 0x115f) ||
      (cp >= 0x2e80 && cp <= 0xa4cf) ||
      (cp >= 0xac00 && cp <= 0xd7a3) ||
      (cp >= 0xf900 && cp <= 0xfaff) ||
      (cp >= 0xfe30 && cp <= 0xfe4f) ||
      (cp >= 0xff00 && cp <= 0xff60) ||
      (cp >= 0xffe0 && cp <= 0xffe6) ||
      (cp >= 0x1f300 && cp <= 0x1faff) ||
      (cp >= 0x20000 && cp <= 0x3fffd);
    w += wide ? 2 : 1;
  }
  return w;
}

export function firstDifference(a: Buffer, b: Buffer): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

/**
 * Both values quoted on aligned lines, with a caret under the first difference. The window around the difference
 * keeps the caret visible in big payloads.
 */
export function diffLines(
  expected: Buffer,
  actual: Buffer,
  labels: { expected: string; actual: string },
): string[] {
  const at = firstDifference(expected, actual);
  const start = at > 60 ? at - 40 : 0;
  const cut = (b: Buffer) => (start > 0 ? b.subarray(start) : b);
  const width = Math.max(labels.expected.length, labels.actual.length);
  const e = `${labels.expected.padEnd(width)}  ${start ? '…' : ''}${quote(cut(expected), 100)}`;
  const a = `${labels.actual.padEnd(width)}  ${start ? '…' : ''}${quote(cut(actual), 100)}`;
  if (at < 0) return [e, a];
  // The caret goes under the whole character the differing byte belongs to, and counts columns, not characters:
  // a Chinese character before it takes two. Minus the closing quote.
  let from = at;
  while (from > start && ((actual[from] ?? 0) & 0xc0) === 0x80) from--;
  const prefix = displayWidth(quote(cut(actual).subarray(0, from - start), 1_000_000)) - 1;
  const caret = `${' '.repeat(width + 2 + (start ? 1 : 0) + prefix)}^ byte ${at}`;
  return [e, a, caret];
}
