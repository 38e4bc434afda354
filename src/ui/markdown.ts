// Lessons in the terminal: marked + marked-terminal, loaded only when a lesson is rendered (they cost about
// 200 ms to import, mostly highlight.js with every language).

/** Escape sequences for colour (CSI) and hyperlinks (OSC 8), so plain output is guaranteed plain. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching escape sequences is the point
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)/g;

export function stripAnsi(s: string): string {
  return s.replace(ANSI, '');
}

/** Remove a leading `---` front matter block. */
export function bodyOf(markdown: string): string {
  return markdown.replace(/^---\r?\n[\s\S]*?\r?\n---\r?\n?/, '');
}

export async function renderMarkdown(markdown: string, color: boolean): Promise<string> {
  // chalk and supports-hyperlinks (inside marked-terminal) decide once, when first imported, from the
  // environment. Fix both, so the output does not depend on where the build or the first call ran; plain text
  // is then made by stripping.
  const saved = { FORCE_COLOR: process.env.FORCE_COLOR, FORCE_HYPERLINK: process.env.FORCE_HYPERLINK };
  process.env.FORCE_COLOR = '1';
  process.env.FORCE_HYPERLINK = '0';
  try {
    const [{ Marked }, { markedTerminal }] = await Promise.all([import('marked'), import('marked-terminal')]);
    const marked = new Marked(
      markedTerminal(
        {
          emoji: false,
          reflowText: true,
          width: 80,
          // cli-table3 colours borders even without a TTY; no colour means none at all.
          tableOptions: color ? {} : { style: { head: [], border: [] } },
        },
        { ignoreIllegals: true },
      ),
    );
    marked.use({
      renderer: {
        // Tight list items hold text tokens with inline children (bold, code, links); marked-terminal prints their
        // raw source, so render the children instead. Returning false falls back to marked-terminal.
        text(token) {
          return 'tokens' in token && token.tokens ? this.parser.parseInline(token.tokens) : false;
        },
      },
    });
    const out = (await marked.parse(bodyOf(markdown))) as string;
    const text = color ? out : stripAnsi(out);
    return `${text.replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}
