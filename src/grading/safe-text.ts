// Untrusted text on its way to a person or a CI log: a graded program's output and tracebacks, a student's folder
// name, anything read from a submission or from a shard (DESIGN.md rule 12). Every view passes such text through
// safeText (the terminal reports, the wire diagram, every reporter, the gradebook, the HTML report, merge and
// batch messages), so none of it can act on whatever shows it:
// - control characters (C0 but newline and tab, DEL, C1): ESC starts terminal sequences (clear the screen, an
//   OSC 8 link that shows one address and opens another, an OSC 52 clipboard write), a lone CR rewrites the line
//   before it, NUL cuts the line short in some viewers;
// - bidirectional overrides, embeddings, isolates and marks, which reorder what is read ("txt.exe" shown as
//   "exe.txt"), the line and paragraph separators some viewers break lines at, and the invisible zero-width
//   space, word joiner and byte-order mark, which make two different names look the same;
// - lines a CI runner reads as workflow commands: GitHub's runner takes a line whose first non-blank characters
//   are `::`, and the legacy `##[` anywhere in a line.
// Each is shown as an escape (`\x1b`, `\r`, `\u202e`, `\x3a:`, `#\x23[`), so the reader sees what was there.
// The backslash itself is left as it is: safeText of safeText is the same text, so a layer may apply it again.

const UNSAFE = /[\p{Cc}\u061c\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\u2028\u2029\ufeff]/u;
const UNSAFE_ALL = new RegExp(UNSAFE.source, 'gu');
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

export interface SafeTextOptions {
  /**
   * Newlines and tabs escaped too: for text that must stay on its line (a name in a message, a gradebook cell, a
   * row of the wire diagram).
   */
  oneLine?: boolean;
}

/** `s` with every character and line that could act on a terminal or a CI log shown as an escape. */
export function safeText(s: string, o: SafeTextOptions = {}): string {
  if (!UNSAFE.test(s) && !s.includes('::') && !s.includes('##[')) return s;
  const escaped = s.replace(UNSAFE_ALL, (ch) =>
    !o.oneLine && (ch === '\n' || ch === '\t') ? ch : escapeOf(ch),
  );
  // Only newlines are left to start a line: every other line break was escaped above.
  return escaped.replace(COMMAND_LINE, '$1\\x3a:').replaceAll('##[', '#\\x23[');
}

const COMMAND_LINE = /^([^\S\n]*)::/gmu;

const escapes = new Map<string, string>();

function escapeOf(ch: string): string {
  let e = escapes.get(ch);
  if (e === undefined) {
    const code = ch.codePointAt(0) ?? 0;
    e =
      NAMED[ch] ??
      (code <= 0xff
        ? `\\x${code.toString(16).padStart(2, '0')}`
        : `\\u${code.toString(16).padStart(4, '0')}`);
    escapes.set(ch, e);
  }
  return e;
}

/**
 * A student name as printed in a message: as it is when plain, quoted when it holds anything safeText would
 * escape, or starts with something a reader, a shell or a CI runner could take for more than a name: `-`, a
 * workflow command's `::`, `#`, a spreadsheet formula's `=`, `+`, `@`, a quote, or white space. Inside the quotes,
 * `"` and `\` are escaped, so the quoted form reads back unambiguously.
 */
export function shownName(name: string): string {
  const plain =
    /^[^\s\-:#=+@"]/u.test(name) && !/::|##\[/u.test(name) && safeText(name, { oneLine: true }) === name;
  return plain ? name : safeText(`"${name.replace(/["\\]/g, '\\$&')}"`, { oneLine: true });
}

/** JSON for a file or a log, every string in it passed through safeText (JSON itself leaves C1 and bidi raw). */
export function safeJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'string' ? safeText(v) : v), indent);
}
