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
  const { Lexer } = await import('marked');
  if (needsGraphemes(markdown)) await loadGraphemeWidths();
  const tokens = essentialTokens(Lexer.lex(bodyOf(markdown)));
  const budget = Math.max(3, o.rows - 4); // header, blank, blank, file line
  const render = (tight: boolean) =>
    renderTokens(tokens, { width: o.width, color: o.color, tight }).trimEnd().split('\n');
  let lines = render(false);
  if (lines.length > budget) lines = render(true);
  if (lines.length > budget) {
    const hidden = lines.length - (budget - 1);
    lines = [...lines.slice(0, budget - 1), o.more(hidden)];
  }
  return `${[o.header, '', ...lines, '', o.fileLine].join('\n')}\n`;
}
