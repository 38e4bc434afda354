// The exercise as the menu shows it: what to build, the variables and how to try it by hand first, fitted to the
// screen above the prompt; what the grader does in detail is behind "read more" (the whole text, paged).
import type { Token } from 'marked';
import { loadGraphemeWidths, needsGraphemes } from './layout.js';
import { bodyOf, renderTokens } from './markdown.js';

export interface ExerciseScreen {
  /** The first line: id and title, styled by the caller. */
  header: string;
  /** "Edit this file: …", styled by the caller. */
  fileLine: string;
  /** Said on the last line when the essential part had to be cut. */
  more: (hidden: number) => string;
  width: number;
  /** Lines the text may take, everything else on the screen (the prompt below it) counted out. */
  rows: number;
  color: boolean;
}

/** The essential blocks of an exercise text: before its first section, plus how to try it by hand. */
export function essentialTokens(tokens: Token[]): Token[] {
  const first = tokens.findIndex((t) => t.type === 'heading' && t.depth >= 2);
  const head = first < 0 ? tokens : tokens.slice(0, first);
  const rest = first < 0 ? [] : tokens.slice(first);
  // The by-hand paragraph names the peer command; it usually sits at the end of the grader's section.
  const byHand = rest.filter((t) => t.type === 'paragraph' && /socketlings peer\b/.test(t.raw));
  return [...head.filter((t) => !(t.type === 'heading' && t.depth === 1)), ...byHand];
}

export async function renderExerciseScreen(markdown: string, o: ExerciseScreen): Promise<string> {
  const { lexMarkdown } = await import('./markdown-lex.js');
  if (needsGraphemes(markdown)) await loadGraphemeWidths();
  const budget = Math.max(3, o.rows - 4); // header, blank, blank, file line
  const blocks = essentialTokens(lexMarkdown(bodyOf(markdown)))
    .filter((t) => t.type !== 'space')
    .map((t) => ({
      // A paragraph may be cut at a line; a table or a list is shown whole or not at all.
      cuttable: t.type === 'paragraph',
      lines: renderTokens([t], { width: o.width, color: o.color }).trimEnd().split('\n'),
    }));
  const count = blocks.reduce((a, b) => a + b.lines.length, 0);
  const withGaps = count + Math.max(0, blocks.length - 1);
  // Blank lines between blocks only when everything fits with them.
  const gap = withGaps <= budget ? 1 : 0;
  const lines: string[] = [];
  if (count + gap * Math.max(0, blocks.length - 1) <= budget) {
    for (const b of blocks) lines.push(...(lines.length && gap ? [''] : []), ...b.lines);
  } else {
    const room = budget - 1; // the last line says there is more
    for (const b of blocks) {
      if (lines.length + b.lines.length <= room) lines.push(...b.lines);
      else if (b.cuttable && lines.length < room) lines.push(...b.lines.slice(0, room - lines.length));
      else break;
    }
    lines.push(o.more(count - lines.length));
  }
  return `${[o.header, '', ...lines, '', o.fileLine].join('\n')}\n`;
}
