// How bytes are shown to a learner: Python-like escapes, so "\n" and "\r\n" are visible, and a caret under the
// first byte that differs.

const ESC: Record<number, string> = { 10: '\\n', 13: '\\r', 9: '\\t', 92: '\\\\', 34: '\\"', 0: '\\0' };

/** Quote bytes; long data is cut after `max` bytes with its total size noted. */
export function quote(data: Buffer | string, max = 120): string {
  const b = typeof data === 'string' ? Buffer.from(data) : data;
  const shown = b.subarray(0, max);
  let s = '"';
  for (const byte of shown) {
    const esc = ESC[byte];
    if (esc) s += esc;
    else if (byte >= 0x20 && byte < 0x7f) s += String.fromCharCode(byte);
    else s += `\\x${byte.toString(16).padStart(2, '0')}`;
  }
  s += '"';
  if (b.length > max) s += ` … (${b.length} bytes in all)`;
  return s;
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
  const prefix = quote(cut(actual).subarray(0, at - start), 1_000_000).length - 1; // minus the closing quote
  const caret = `${' '.repeat(width + 2 + (start ? 1 : 0) + prefix)}^ byte ${at}`;
  return [e, a, caret];
}
