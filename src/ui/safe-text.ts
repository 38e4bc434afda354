// Learner text on a terminal or in a CI log. A program's output and error lines reach the pretty reporter, which
// the CI template runs next to the github one, so they must not act on whatever shows them: no raw escape
// sequence (ESC, CSI), no lone carriage return that rewrites the line before it, no bidirectional override that
// reorders what is read, and no line a CI runner takes for a workflow command.

/** Control characters (other than newline and tab) and bidi controls, shown as escapes. */
export function safeText(s: string): string {
  return s.replace(/[\p{Cc}\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/gu, (ch) => {
    if (ch === '\n' || ch === '\t') return ch;
    if (ch === '\r') return '\\r';
    const code = ch.codePointAt(0) ?? 0;
    return code <= 0xff
      ? `\\x${code.toString(16).padStart(2, '0')}`
      : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/**
 * GitHub's runner reads a line as a command when, after leading white space, it starts with `::`, and a legacy
 * command where `##[` appears in it. Every rendered line is passed through here, so no learner text can be either;
 * the colon or hash is shown as its escape.
 */
export function guardLines(text: string): string {
  return text
    .split('\n')
    .map((l) => l.replace(/^(\s*)::/, '$1\\x3a:').replaceAll('##[', '#\\x23['))
    .join('\n');
}
