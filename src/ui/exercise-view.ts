// The exercise as the menu shows it, fitted to the screen above the prompt: what to build, the variables the
// program gets (always whole), and how to try it by hand first (always); what the grader does in detail, and
// whatever of "what to build" has no room, is behind "read more" (the whole text, paged).
import type { Token, Tokens } from 'marked';
import { cutTo, layout, loadGraphemeWidths, needsGraphemes, width, wrapIndented } from './layout.js';
import { bodyOf, renderTokens, stripAnsi } from './markdown.js';

export interface ExerciseScreen {
  /** The first line: id and title, styled by the caller. */
  header: string;
  /** "Edit this file: …", styled by the caller. */
  fileLine: string;
  /** Said on the last line of "what to build" when some of it had to be left out. */
  more: (hidden: number) => string;
  /** A variable's default when the program is run by hand, for a table too narrow to show as one. */
  byHandDefault: (value: string) => string;
  width: number;
  /** Lines the screen may take, everything else on the screen (the prompt below it) counted out. */
  rows: number;
  color: boolean;
}

/** The parts of an exercise text the screen is made of. */
export interface Essentials {
  /** What to build: the blocks before the first section, the variables left out. */
  build: Token[];
  /**
   * The sentence that introduces the variables ("Your program gets, in environment variables:"), or the whole
   * paragraph that names them when there is no table.
   */
  lead: Token | undefined;
  /** The table of variables, if the text has one. */
  vars: Tokens.Table | undefined;
  /** The first sentence of the paragraph that says how to try it by hand (`socketlings peer …`). */
  byHand: string | undefined;
}

const isVarTable = (t: Token): t is Tokens.Table =>
  t.type === 'table' && (t as Tokens.Table).rows.some((r) => /SOCKETLINGS_/.test(r[0]?.text ?? ''));

/** The first sentence of a paragraph's Markdown: up to a full stop followed by a space, or a `。`; not in code. */
export function firstSentence(md: string): string {
  const text = md.trim();
  let end = text.length;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (ch === '`') {
      const close = text.indexOf('`', i + 1);
      if (close < 0) break;
      i = close;
    } else if ('。！？'.includes(ch) || ('.!?'.includes(ch) && /\s/.test(text[i + 1] ?? ' '))) {
      end = i + 1;
      break;
    }
  }
  return text.slice(0, end).replace(/\s*\n\s*/g, ' ');
}

export function essentials(tokens: Token[]): Essentials {
  const first = tokens.findIndex((t) => t.type === 'heading' && t.depth >= 2);
  const head = (first < 0 ? tokens : tokens.slice(0, first)).filter(
    (t) => t.type !== 'space' && !(t.type === 'heading' && t.depth === 1),
  );
  // The variables' table, usually among the first blocks, else in a section of its own.
  const blocks = tokens.filter((t) => t.type !== 'space');
  const at = blocks.findIndex(isVarTable);
  const vars = at < 0 ? undefined : (blocks[at] as Tokens.Table);
  const before = at > 0 ? blocks[at - 1] : undefined;
  const lead =
    before?.type === 'paragraph' && /[:：]\s*$/.test(before.raw)
      ? before
      : // No table: the paragraph that names the variables ("Your program gets `SOCKETLINGS_HOST` (default …)").
        vars
        ? undefined
        : head.find((t) => t.type === 'paragraph' && /`SOCKETLINGS_[A-Z_]+`/.test(t.raw));
  const build = head.filter((t) => t !== vars && t !== lead);
  const peer = tokens.find((t) => t.type === 'paragraph' && /socketlings peer\b/.test(t.raw));
  return { build, lead, vars, byHand: peer ? firstSentence(peer.raw) : undefined };
}

/** The variables table without its rule line: the header row, dimmed, is rule enough. */
function varLines(e: Essentials, o: ExerciseScreen): string[] {
  if (!e.vars) return [];
  const lines = renderTokens([e.vars], { width: o.width, color: o.color }).trimEnd().split('\n');
  // Laid out as a table, a line a row: drop the rule under the header, which is rule enough.
  const rule = lines.findIndex((l) => /^[─ ]+$/.test(stripAnsi(l)));
  if (rule > 0 && lines.length - rule - 1 === e.vars.rows.length) return lines.filter((_, i) => i !== rule);
  // Too narrow for that: a line a variable, its name and its default whole, the meaning cut at a word.
  const names = e.vars.rows.map((r) => (r[0]?.text ?? '').replace(/`/g, ''));
  const pad = Math.max(...names.map(width));
  return e.vars.rows.flatMap((r, i) => {
    const name = `${names[i]}${' '.repeat(pad - width(names[i] ?? ''))}  `;
    const def = o.byHandDefault((r[2]?.text ?? '').replace(/`/g, ''));
    const meaning = (r[1]?.text ?? '').replace(/`/g, '');
    const room = o.width - width(name) - width(def) - 2;
    let text = `${meaning}; ${def}`;
    if (width(meaning) > room) {
      const cut = cutTo(meaning, Math.max(0, room - 2));
      const atWord = /[ \u3000-\u303f\uff0c]/.test(cut)
        ? cut.replace(/[^ \u3000-\u303f\uff0c]*$/, '').trimEnd()
        : '';
      text = atWord ? `${atWord} …; ${def}` : def;
    }
    // A default too long for the line (a path with a note) wraps under the meaning.
    const indent = Math.min(width(name), Math.floor(o.width / 2));
    const [first = '', ...rest] = layout([{ text }], o.width - width(name), o.width - indent);
    return [name + first, ...rest.map((l) => ' '.repeat(indent) + l)];
  });
}

export async function renderExerciseScreen(markdown: string, o: ExerciseScreen): Promise<string> {
  const { lexMarkdown } = await import('./markdown-lex.js');
  if (needsGraphemes(markdown)) await loadGraphemeWidths();
  const e = essentials(lexMarkdown(bodyOf(markdown)));
  const render = (tokens: Token[]) =>
    tokens.length ? renderTokens(tokens, { width: o.width, color: o.color }).trimEnd().split('\n') : [];
  const vars = [...(e.lead ? render([e.lead]) : []), ...varLines(e, o)];
  const byHand = e.byHand ? render(lexMarkdown(e.byHand)) : [];
  const build = e.build.map((t) => {
    // A code block keeps its indentation, and is shown only whole and within the width (never wrapped).
    if (t.type === 'code') {
      const lines = (t as Tokens.Code).text.split('\n').map((l) => `  ${l}`.trimEnd());
      return { cuttable: false, fits: lines.every((l) => width(l) <= o.width), lines };
    }
    return { cuttable: t.type === 'paragraph' || t.type === 'list', fits: true, lines: render([t]) };
  });
  const header = wrapIndented(o.header, o.width);
  const fileLine = wrapIndented(o.fileLine, o.width);
  const budget = Math.max(3, o.rows - 2 - header.length - fileLine.length); // and a blank under and above
  const kept = [vars, byHand].filter((b) => b.length);
  const body = fill(build, kept, budget, 1, o.more);
  // Blank lines between the parts only while they leave "what to build" two lines at least.
  const tight = fill(build, kept, budget, 0, o.more);
  const chosen =
    body.length > budget || (body.shownBuild < 2 && tight.shownBuild > body.shownBuild) ? tight : body;
  return `${[...header, '', ...chosen.lines, '', ...fileLine].join('\n')}\n`;
}

/**
 * "What to build" in the room the variables and the by-hand sentence leave, whole blocks first, then what fits
 * of a paragraph or a list with a line saying how much more "read more" has; `gap` blank lines between blocks.
 */
function fill(
  build: { cuttable: boolean; fits: boolean; lines: string[] }[],
  kept: string[][],
  budget: number,
  gap: number,
  more: (hidden: number) => string,
): { lines: string[]; length: number; shownBuild: number } {
  let room = budget - kept.flat().length - gap * kept.length;
  const shown: string[][] = [];
  let hidden = 0;
  for (const [i, b] of build.entries()) {
    const before = shown.length ? gap : 0;
    const rest = build.slice(i + 1).reduce((a, x) => a + x.lines.length, 0);
    if (hidden === 0 && b.fits && before + b.lines.length + (rest > 0 ? 1 : 0) <= room) {
      shown.push([...b.lines]);
      room -= before + b.lines.length;
      continue;
    }
    const fits = hidden === 0 && b.cuttable ? room - 1 - before : 0;
    if (fits > 0) {
      shown.push(b.lines.slice(0, fits));
      room -= before + fits;
      hidden += b.lines.length - fits;
    } else hidden += b.lines.length;
  }
  const shownBuild = shown.flat().length;
  if (hidden > 0) {
    const last = shown.at(-1);
    if (last) last.push(more(hidden));
    else shown.push([more(hidden)]);
  }
  const lines = [...shown, ...kept].flatMap((b, i) => (i > 0 && gap ? ['', ...b] : b));
  return { lines, length: lines.length, shownBuild };
}
