// Laying text out in terminal columns. Widths are display columns (string-width: a Chinese character or a
// full-width mark takes two), and lines break where a reader expects: at spaces, and between Chinese characters,
// but never inside a word or identifier, never before closing punctuation (`connect()` stays with its `。`) and
// never after opening punctuation. Pure: runs in, lines out.
import { eastAsianWidth } from 'get-east-asian-width';

export type Paint = (s: string) => string;

/** U+2028 LINE SEPARATOR: a hard line break (Markdown's trailing backslash or two spaces). */
export const LINE_BREAK = '\u2028';

/** A piece of text with one style. A newline is a space, as in Markdown; LINE_BREAK forces a new line. */
export interface Run {
  text: string;
  paint?: Paint | undefined;
}

// Characters that combine with others into one cell (marks, joiners, variation selectors, Hangul jamo, Indic
// scripts) and everything beyond the BMP (most emoji): only string-width's grapheme rules get these right. Any
// other character is one cell or two by its East Asian Width (emoji drawn wide by default are Wide there).
const CLUSTERING_RANGES = [
  '\\u0300-\\u036f\\u0483-\\u0489\\u0591-\\u05c7\\u0610-\\u061a\\u064b-\\u065f\\u0900-\\u0dff\\u0e31-\\u0e4e',
  '\\u1100-\\u11ff\\u1ab0-\\u1aff\\u1dc0-\\u1dff\\u200b-\\u200f\\u2060-\\u206f\\u20d0-\\u20ff\\u3099\\u309a',
  '\\ufe00-\\ufe0f\\ufe20-\\ufe2f\\ufeff\\ud800-\\udfff',
];
const CLUSTERING = new RegExp(`[${CLUSTERING_RANGES.join('')}]`);
// Colour codes and hyperlinks (OSC 8): neither takes a column.
// biome-ignore lint/suspicious/noControlCharactersInRegex: escape sequences are what is matched
const COLOUR = /\x1b\[[0-9;]*m|\x1b\]8;[^\x07\x1b]*(?:\x07|\x1b\\)/g;

let graphemeWidth: ((s: string) => number) | undefined;

/**
 * Load string-width, for text with clustering characters (see needsGraphemes). It segments graphemes and
 * compiles large emoji patterns: about 60 ms to import and 100 ms on its first call, more than all the rest of
 * `read`, so a text that does not need it does not pay for it.
 */
export async function loadGraphemeWidths(): Promise<void> {
  graphemeWidth ??= (await import('string-width')).default;
  short.clear();
}

export function needsGraphemes(text: string): boolean {
  return CLUSTERING.test(text);
}

/**
 * Display columns of a string, escape sequences not counted: plain ASCII is its length, other characters one or
 * two cells by their East Asian Width, and clustering characters by string-width's grapheme rules once loaded
 * (until then they are over-counted a little, which can only make lines shorter).
 */
export function width(s: string): number {
  if (/^[\x20-\x7e]*$/.test(s)) return s.length;
  const seen = s.length <= 4 ? short.get(s) : undefined;
  if (seen !== undefined) return seen;
  const w = measure(s);
  if (s.length <= 4) short.set(s, w);
  return w;
}

/** Chinese text is laid out a character at a time, and the same characters come back all the time. */
const short = new Map<string, number>();

function measure(s: string): number {
  const text = s.includes('\x1b') ? s.replace(COLOUR, '') : s;
  if (graphemeWidth && (text.includes('\x1b') || CLUSTERING.test(text))) return graphemeWidth(text);
  let w = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    w += cp < 0x20 || (cp >= 0x7f && cp < 0xa0) ? 0 : eastAsianWidth(cp);
  }
  return w;
}

/** Plain text cut to at most `w` display columns. */
export function cutTo(s: string, w: number): string {
  let out = '';
  let used = 0;
  for (const ch of s) {
    used += width(ch);
    if (used > w) return out;
    out += ch;
  }
  return out;
}

/** Pad with spaces to `w` display columns. */
export function padEnd(s: string, w: number): string {
  return s + ' '.repeat(Math.max(0, w - width(s)));
}

// Scripts written without spaces between words: a line may break between any two of their characters.
const WIDE =
  /[\u1100-\u115f\u2e80-\u303e\u3040-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|[\u{20000}-\u{3fffd}]/u;
/** Full-width punctuation: no space is wanted beside it, whatever is on the other side. */
const CJK_PUNCT = /[\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65]/u;
const NO_BREAK_BEFORE = /^[，。、；：！？）」』》〉】〕”’,.;:!?)\]}…%·]/u;
const NO_BREAK_AFTER = /[（「『《〈【〔“‘([{]$/u;
const UNITS = new RegExp(
  `(\u2028)|([ \\t\\r\\n]+)|(${WIDE.source})|((?:(?!${WIDE.source})[^ \\t\\r\\n\u2028])+)`,
  'gu',
);

interface Piece {
  text: string;
  paint?: Paint | undefined;
}

/** Text that must stay on one line, and whether a space separates it from the one before. */
interface Box {
  pieces: Piece[];
  width: number;
  space: boolean;
  /** A forced line break before this box. */
  newline: boolean;
}

function joinsWithoutSpace(before: string, after: string): boolean {
  const first = after.slice(0, 1);
  return (WIDE.test(before) && WIDE.test(first)) || CJK_PUNCT.test(before) || CJK_PUNCT.test(first);
}

function boxesOf(runs: Run[]): Box[] {
  const boxes: Box[] = [];
  let cur: Box | undefined;
  let space = false;
  let newline = false;
  let soft = false;
  let last = '';
  for (const run of runs) {
    for (const m of run.text.matchAll(UNITS)) {
      const [unit, nl, blank] = m;
      if (nl) {
        newline = true;
        space = false;
        cur = undefined;
        continue;
      }
      if (blank) {
        space = true;
        soft = !/[ \t]/.test(blank);
        cur = undefined;
        continue;
      }
      // A source line break between Chinese characters joins them without a space, as it would in print; one
      // between Chinese and Latin text (`按` / `/etc/hosts`) keeps the space Chinese typesetting puts there.
      if (space && soft && joinsWithoutSpace(last, unit)) space = false;
      const breakable =
        cur !== undefined &&
        (WIDE.test(unit) || WIDE.test(last)) &&
        !NO_BREAK_BEFORE.test(unit) &&
        !NO_BREAK_AFTER.test(last);
      if (!cur || breakable) {
        cur = { pieces: [], width: 0, space, newline };
        boxes.push(cur);
        space = false;
        newline = false;
      }
      cur.pieces.push({ text: unit, paint: run.paint });
      cur.width += width(unit);
      last = unit.slice(-1);
    }
  }
  return boxes;
}

/** The widest piece that cannot be broken: a table column narrower than this would cut words. */
export function minWidth(runs: Run[]): number {
  return Math.max(0, ...boxesOf(runs).map((b) => b.width));
}

/** The width the runs take on one line. */
export function naturalWidth(runs: Run[]): number {
  return Math.max(0, ...layout(runs, Number.POSITIVE_INFINITY).map(width));
}

function paintPiece(p: Piece): string {
  return p.paint ? p.paint(p.text) : p.text;
}

/** A box wider than a whole line is cut by character, the only way left to fit it. */
function cutBox(box: Box, max: number): Box[] {
  const out: Box[] = [];
  let cur: Box = { pieces: [], width: 0, space: box.space, newline: box.newline };
  for (const p of box.pieces) {
    for (const ch of p.text) {
      const w = width(ch);
      if (cur.width + w > max && cur.width > 0) {
        out.push(cur);
        cur = { pieces: [], width: 0, space: false, newline: false };
      }
      const prev = cur.pieces.at(-1);
      if (prev && prev.paint === p.paint) prev.text += ch;
      else cur.pieces.push({ text: ch, paint: p.paint });
      cur.width += w;
    }
  }
  out.push(cur);
  return out;
}

/** Lines of at most `max` columns (painted; lines after the first `restMax`), filled greedily. */
export function layout(runs: Run[], max: number, restMax = max): string[] {
  const lines: string[] = [];
  // Neighbouring pieces in one style are painted once, spaces between them included: fewer escape codes.
  let line: Piece[] = [];
  let used = 0;
  let started = false;
  let limit = max;
  const add = (p: Piece) => {
    const last = line.at(-1);
    if (last && last.paint === p.paint) last.text += p.text;
    else line.push({ ...p });
  };
  const flush = () => {
    lines.push(line.map(paintPiece).join(''));
    line = [];
    used = 0;
    limit = restMax;
  };
  for (const big of boxesOf(runs)) {
    const boxes = big.width > limit ? cutBox(big, Math.max(1, Math.min(limit, restMax))) : [big];
    for (const box of boxes) {
      if (box.newline && started) flush();
      const gap = box.space && used > 0 ? 1 : 0;
      if (used > 0 && used + gap + box.width > limit) flush();
      else if (gap) {
        const last = line.at(-1);
        if (last && last.paint === box.pieces[0]?.paint) last.text += ' ';
        else add({ text: ' ' });
        used += 1;
      }
      for (const p of box.pieces) add(p);
      used += box.width;
      started = true;
    }
  }
  if (started) lines.push(line.map(paintPiece).join(''));
  return lines;
}

/**
 * Text that may already hold colour codes, wrapped to `max` columns with each line after the first indented like
 * the first one (plus `extra`): how long transcript and message lines are wrapped under their own indentation.
 * The same line-breaking rules as prose, so a Chinese message breaks between characters, not only at spaces.
 */
export function wrapIndented(text: string, max: number, extra = 2): string[] {
  const out: string[] = [];
  for (const raw of text.split('\n')) {
    if (width(raw) <= max) {
      out.push(raw);
      continue;
    }
    const lead = /^ */.exec(raw)?.[0] ?? '';
    const pad = ' '.repeat(Math.min(lead.length + extra, Math.floor(max / 2)));
    const [first = '', ...rest] = layout(
      runsOfAnsi(raw.slice(lead.length)),
      max - lead.length,
      max - pad.length,
    );
    out.push(lead + first, ...rest.map((l) => pad + l));
  }
  return out;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: colour codes and hyperlinks are what is matched
const SGR = /\x1b\[([0-9;]*)m|\x1b\]8;[^;\x07\x1b]*;([^\x07\x1b]*)(?:\x07|\x1b\\)/g;

/** Which open codes a closing code ends: 39 the colour, 22 bold and dim, 23 italic, 0 everything. */
function closes(code: number, open: number): boolean {
  if (code === 0) return true;
  if (code === 39) return (open >= 30 && open <= 38) || (open >= 90 && open <= 97);
  if (code === 49) return (open >= 40 && open <= 48) || (open >= 100 && open <= 107);
  if (code === 22) return open === 1 || open === 2;
  return code - 20 === open; // 23 italic, 24 underline, 27 inverse
}

/** An OSC 8 hyperlink around `s`: the terminal shows `s` and opens `url` on a click. */
export function hyperlink(url: string, s: string): string {
  return `\x1b]8;;${url}\x1b\\${s}\x1b]8;;\x1b\\`;
}

/** Text with colour codes and hyperlinks as runs, each painted with the codes and the link open where it stands. */
function runsOfAnsi(text: string): Run[] {
  const runs: Run[] = [];
  let open: string[] = [];
  let link = '';
  let at = 0;
  const push = (piece: string) => {
    if (!piece) return;
    const codes = open.map((c) => `\x1b[${c}m`).join('');
    const url = link;
    const paint: Paint | undefined = codes ? (s) => `${codes}${s}\x1b[0m` : undefined;
    runs.push({
      text: piece,
      paint: url ? (s) => hyperlink(url, paint ? paint(s) : s) : paint,
    });
  };
  for (const m of text.matchAll(SGR)) {
    push(text.slice(at, m.index));
    at = (m.index ?? 0) + m[0].length;
    if (m[1] === undefined) {
      link = m[2] ?? '';
      continue;
    }
    const code = Number((m[1] ?? '0').split(';')[0] || 0);
    if ([0, 22, 23, 24, 27, 39, 49].includes(code))
      open = open.filter((c) => !closes(code, Number(c.split(';')[0])));
    else open.push(m[1] ?? '0');
  }
  push(text.slice(at));
  return runs;
}
