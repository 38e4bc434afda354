// Every line socketlings prints goes through here, laid out by the same rules as the lessons (layout.ts): at the
// terminal's width, Chinese counted two columns, broken between words or between Chinese characters, never
// inside a word, a wrapped line indented under the line it continues.
import { wrapIndented } from './layout.js';

export interface Out {
  isTTY?: boolean;
  columns?: number;
}

/**
 * The width to lay printed lines out at: the terminal's; when piped, $COLUMNS if it is set; else none, so a
 * script or grep sees one line per line.
 */
export function widthOf(out: Out, env: NodeJS.ProcessEnv = process.env): number | undefined {
  if (out.isTTY && out.columns) return Math.max(20, out.columns);
  const cols = Number(env.COLUMNS);
  return Number.isInteger(cols) && cols >= 20 ? cols : undefined;
}

/**
 * Text laid out at `width` columns (as it is when there is none); a line that must wrap continues indented like
 * itself plus `extra` columns.
 */
export function fitText(text: string, width: number | undefined, extra = 2): string {
  if (width === undefined) return text;
  return text
    .split('\n')
    .flatMap((l) => wrapIndented(l, width, extra))
    .join('\n');
}

/** Print `text` as one paragraph (or several lines), laid out at the stream's width. */
export function say(out: NodeJS.WritableStream & Out, text: string, extra = 2): void {
  out.write(`${fitText(text, widthOf(out), extra)}\n`);
}
