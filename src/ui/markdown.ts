// Lessons and exercise texts in the terminal: marked's lexer, laid out here at the terminal's width (see
// layout.ts for how lines break). Code blocks are never wrapped (a pager scrolls them sideways); a table that does
// not fit becomes a list. marked and the layout cost a few tens of milliseconds to load, so this runs live.
import type { Token, Tokens } from 'marked';
import {
  LINE_BREAK,
  layout,
  loadGraphemeWidths,
  minWidth,
  naturalWidth,
  needsGraphemes,
  type Paint,
  padEnd,
  type Run,
  width,
} from './layout.js';
import { makeStyle, type Style } from './style.js';

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

/** Prose reads badly in very long lines, so a wide terminal still gets lines of at most this many columns. */
export const MAX_TEXT_WIDTH = 100;

/** The width to lay text out at on this stream: the terminal's, else $COLUMNS, else 80. */
export function columnsOf(out: { columns?: number; isTTY?: boolean }, env = process.env): number {
  const cols = out.isTTY && out.columns ? out.columns : Number(env.COLUMNS);
  return Number.isInteger(cols) && cols >= 20 ? cols : 80;
}

export interface RenderOptions {
  /** The terminal's width; text is laid out at min(width, MAX_TEXT_WIDTH). */
  width: number;
  color: boolean;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", nbsp: ' ' };
function decode(s: string): string {
  return s.replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (_, e: string) => ENTITIES[e] ?? '');
}

function compose(outer: Paint | undefined, inner: Paint): Paint {
  return outer ? (s) => outer(inner(s)) : inner;
}

/** Where a Python comment starts in a line: the first `#` outside a string literal, or -1. */
function commentStart(line: string): number {
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = '';
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '#') return i;
  }
  return -1;
}

class Renderer {
  constructor(
    private readonly st: Style,
    private readonly italic: Paint,
  ) {}

  runs(tokens: Token[] | undefined, paint?: Paint): Run[] {
    const out: Run[] = [];
    for (const t of tokens ?? []) {
      switch (t.type) {
        case 'text':
        case 'escape':
          if ('tokens' in t && t.tokens?.length) out.push(...this.runs(t.tokens, paint));
          else out.push({ text: decode(t.text), paint });
          break;
        case 'strong':
          out.push(...this.runs(t.tokens, compose(paint, this.st.bold)));
          break;
        case 'em':
          out.push(...this.runs(t.tokens, compose(paint, this.italic)));
          break;
        case 'del':
          out.push(...this.runs(t.tokens, paint));
          break;
        case 'codespan':
          out.push({ text: decode(t.text), paint: compose(paint, this.st.yellow) });
          break;
        case 'br':
          out.push({ text: LINE_BREAK });
          break;
        case 'link': {
          const link = t as Tokens.Link;
          const inner = this.runs(link.tokens, compose(paint, this.st.cyan));
          out.push(...inner);
          const shown = inner.map((r) => r.text).join('');
          if (link.href && link.href !== shown && !link.href.startsWith('#'))
            out.push({ text: ` (${link.href})`, paint: this.st.dim });
          break;
        }
        case 'image':
          out.push({ text: decode((t as Tokens.Image).text), paint });
          break;
        case 'html':
          break; // inline tags (<br>, <kbd>) carry no text of their own
        default:
          out.push({ text: decode('text' in t ? String(t.text) : t.raw), paint });
      }
    }
    return out;
  }

  /** Blocks, separated by blank lines (or not, inside a tight list item). */
  blocks(tokens: Token[], w: number, tight = false): string[] {
    const parts = tokens.filter((t) => t.type !== 'space').map((t) => this.block(t, w));
    return parts.flatMap((lines, i) => (i > 0 && !tight ? ['', ...lines] : lines));
  }

  block(t: Token, w: number): string[] {
    const st = this.st;
    switch (t.type) {
      case 'heading': {
        const h = t as Tokens.Heading;
        const paint = h.depth <= 2 ? compose(st.bold, st.cyan) : st.bold;
        return layout([{ text: `${'#'.repeat(h.depth)} `, paint }, ...this.runs(h.tokens, paint)], w);
      }
      case 'paragraph':
      case 'text':
        return layout(this.runs('tokens' in t && t.tokens ? t.tokens : [{ ...t, type: 'text' } as Token]), w);
      case 'list':
        return this.list(t as Tokens.List, w);
      case 'code':
        // Never wrapped: a cut line of code is a different program. The pager scrolls sideways.
        return (t as Tokens.Code).text.split('\n').map((l) => `  ${l === '' ? '' : this.code(l)}`);
      case 'table':
        return this.table(t as Tokens.Table, w);
      case 'blockquote':
        return this.blocks((t as Tokens.Blockquote).tokens, w - 2).map((l) => `${st.dim('│')} ${l}`);
      case 'hr':
        return [st.dim('─'.repeat(Math.min(w, 40)))];
      case 'html':
        return layout([{ text: t.raw.trim() }], w);
      default:
        return layout([{ text: t.raw.trim() }], w);
    }
  }

  private code(line: string): string {
    if (!this.st.color) return line;
    // Enough colour to tell code from prose; comments dimmed so the code stands out.
    const hash = commentStart(line);
    return hash < 0
      ? this.st.green(line)
      : this.st.green(line.slice(0, hash)) + this.st.dim(line.slice(hash));
  }

  private list(l: Tokens.List, w: number): string[] {
    const start = typeof l.start === 'number' ? l.start : 1;
    const marks = l.items.map((_, i) => (l.ordered ? `${start + i}. ` : '• '));
    const markWidth = Math.max(...marks.map(width));
    const out: string[] = [];
    l.items.forEach((item, i) => {
      const mark = padEnd(marks[i] ?? '', markWidth);
      const task = item.task ? (item.checked ? '[x] ' : '[ ] ') : '';
      const body = this.blocks(item.tokens, w - markWidth, !l.loose);
      if (task && body[0] !== undefined) body[0] = task + body[0];
      if (l.loose && i > 0) out.push('');
      body.forEach((line, j) => {
        out.push(line === '' ? '' : (j === 0 ? this.st.dim(mark) : ' '.repeat(markWidth)) + line);
      });
    });
    return out;
  }

  /** A table when it fits, with long cells wrapped; else a list of rows, each cell labelled by its header. */
  private table(t: Tokens.Table, w: number): string[] {
    const header = t.header.map((c) => this.runs(c.tokens, this.st.bold));
    const rows = t.rows.map((r) => r.map((c) => this.runs(c.tokens)));
    const all = [header, ...rows];
    const n = header.length;
    const GAP = 2;
    const natural = [...Array(n).keys()].map((i) => Math.max(...all.map((r) => naturalWidth(r[i] ?? []))));
    const least = [...Array(n).keys()].map((i) =>
      Math.max(Math.min(natural[i] ?? 0, 8), ...all.map((r) => minWidth(r[i] ?? []))),
    );
    const room = w - GAP * (n - 1);
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    if (sum(least) > room) return this.tableAsList(t, header, rows, w);
    let widths = natural;
    if (sum(natural) > room) {
      // Share the spare room in proportion to how much each column would like beyond its least width.
      const spare = room - sum(least);
      const want = natural.map((x, i) => x - (least[i] ?? 0));
      const totalWant = sum(want) || 1;
      widths = least.map((x, i) => x + Math.floor((spare * (want[i] ?? 0)) / totalWant));
    }
    const gap = ' '.repeat(GAP);
    const renderRow = (cells: Run[][]): string[] => {
      const wrapped = cells.map((c, i) => layout(c, widths[i] ?? 1));
      const height = Math.max(1, ...wrapped.map((c) => c.length));
      return [...Array(height).keys()].map((k) =>
        wrapped
          .map((c, i) => padEnd(c[k] ?? '', widths[i] ?? 0))
          .join(gap)
          .trimEnd(),
      );
    };
    const body = rows.map(renderRow);
    const spaced = body.some((r) => r.length > 1);
    return [
      ...renderRow(header),
      this.st.dim(widths.map((x) => '─'.repeat(x)).join(gap)),
      ...body.flatMap((r, i) => (spaced && i > 0 ? ['', ...r] : r)),
    ];
  }

  private tableAsList(t: Tokens.Table, header: Run[][], rows: Run[][][], w: number): string[] {
    const out: string[] = [];
    for (const [ri, row] of rows.entries()) {
      if (ri > 0) out.push('');
      const [first, ...rest] = row;
      out.push(...layout([{ text: '• ', paint: this.st.dim }, ...(first ?? [])], w));
      for (const [i, cell] of rest.entries()) {
        const label = t.header[i + 1]?.text ? [...(header[i + 1] ?? []), { text: ': ' }] : [];
        out.push(...layout([...label, ...cell], w - 2).map((l) => `  ${l}`));
      }
    }
    return out;
  }
}

export async function renderMarkdown(markdown: string, o: RenderOptions): Promise<string> {
  const { lexMarkdown } = await import('./markdown-lex.js');
  if (needsGraphemes(markdown)) await loadGraphemeWidths();
  return renderTokens(lexMarkdown(bodyOf(markdown)), o);
}

/** Blocks from marked's lexer (`Lexer.lex`), rendered; for callers that show only some of a text. */
export function renderTokens(tokens: Token[], o: RenderOptions & { tight?: boolean }): string {
  const st = makeStyle(o.color);
  const italic: Paint = o.color ? (s) => `\x1b[3m${s}\x1b[23m` : (s) => s;
  const w = Math.max(20, Math.min(o.width, MAX_TEXT_WIDTH));
  const lines = new Renderer(st, italic).blocks(tokens, w, o.tight);
  const text = lines.map((l) => l.trimEnd()).join('\n');
  return `${(o.color ? text : stripAnsi(text)).replace(/\n{3,}/g, '\n\n').trim()}\n`;
}
