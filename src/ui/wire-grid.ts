// The wire view's drawing (see wire-view.ts): lanes laid out to the width, a grid of cells, and each row of the
// diagram (an arrow with its label, a socket state, a line of text) drawn onto it. Pure.
import { displayWidth } from '../grading/quote.js';
import { quotedUnits, type WireRow } from '../grading/wire-rows.js';
import type { StateMark } from '../grading/wire-states.js';
import { layout } from './layout.js';
import type { Style } from './style.js';
import type { WireText } from './wire-text.js';

/** Columns of the time (seconds) before the program's lane. */
export const TIME_W = 7;
/** The program's lifeline column. */
export const PROG = TIME_W;
/** The narrowest lane that still carries a readable label. */
export const MIN_LANE = 12;
/** The widest lane: wide enough that an arrow carries the start and the end of a payload. */
export const MAX_LANE = 40;

export type Paint = (s: string) => string;

export type Arrow = Extract<WireRow, { kind: 'arrow' }> & {
  /** The first wrong byte the program sent is this many bytes into this arrow's payload. */
  wrong?: number;
};

export type Row =
  | Exclude<WireRow, { kind: 'arrow' }>
  | Arrow
  | { kind: 'state'; at: number; mark: StateMark }
  | { kind: 'text'; at: number; text: string; tone: 'dim' | 'bad' | 'head'; noTime?: boolean };

export function clip(s: string, w: number): string {
  if (w <= 0) return '';
  if (displayWidth(s) <= w) return s;
  let out = '';
  for (const ch of s) {
    if (displayWidth(out + ch) > w - 1) break;
    out += ch;
  }
  return `${out}…`;
}

// ---- lanes ------------------------------------------------------------------------------------------------------

export interface Lane {
  col: number;
  /** Put before labels on a shared lane: the connection's number or name. */
  prefix: string;
}

export interface Layout {
  width: number;
  lanes: Map<string, Lane>;
  heads: { col: number; text: string }[];
  folded: string[];
}

/** Columns for peer lanes: right of the program's, with room for half a label past the last lifeline. */
export function usable(width: number): number {
  return width - 1 - PROG - 4;
}

export function baseName(peer: string): { base: string; n: string | undefined } {
  const m = /^(.*)-(\d+)$/.exec(peer);
  return m ? { base: m[1] as string, n: m[2] } : { base: peer, n: undefined };
}

/** Lanes for these peers: one each when they fit, else one per family (client-1…client-10), else "others". */
export function layoutFor(peers: string[], width: number, t: WireText): Layout {
  const room = Math.max(1, Math.floor(usable(width) / MIN_LANE));
  const groups: { label: string; members: string[] }[] = [];
  if (peers.length <= room) for (const p of peers) groups.push({ label: p, members: [p] });
  else {
    for (const p of peers) {
      const { base } = baseName(p);
      const g = groups.find((x) => x.label === base);
      if (g) g.members.push(p);
      else groups.push({ label: base, members: [p] });
    }
    if (groups.length > room) {
      const rest = groups.splice(room - 1);
      groups.push({ label: t.others, members: rest.flatMap((g) => g.members) });
    }
  }
  const spacing = Math.min(MAX_LANE, Math.floor(usable(width) / Math.max(1, groups.length)));
  const lanes = new Map<string, Lane>();
  const heads = [{ col: PROG, text: t.program }];
  const folded: string[] = [];
  groups.forEach((g, k) => {
    const col = PROG + spacing * (k + 1);
    const shared = g.members.length > 1;
    const numbered = shared && g.members.every((m) => baseName(m).base === g.label);
    const label = numbered ? `${g.label}-*` : g.label;
    heads.push({ col, text: label });
    if (shared) folded.push(`${label} (${g.members.length})`);
    for (const m of g.members)
      lanes.set(m, { col, prefix: shared ? (numbered ? `#${baseName(m).n} ` : `${m}: `) : '' });
  });
  return { width, lanes, heads, folded };
}

// ---- drawing ----------------------------------------------------------------------------------------------------

export interface Cell {
  ch: string;
  paint?: Paint | undefined;
}

export class Grid {
  readonly cells: Cell[];
  constructor(readonly width: number) {
    this.cells = Array.from({ length: width }, () => ({ ch: ' ' }));
  }

  /** Write `s` from column x; wide characters take two cells. Returns the column after it. */
  put(x: number, s: string, paint?: Paint): number {
    for (const ch of s) {
      const w = displayWidth(ch);
      if (x + w > this.width) break;
      this.cells[x] = { ch, paint };
      if (w === 2) this.cells[x + 1] = { ch: '', paint };
      x += w;
    }
    return x;
  }

  text(): string {
    let out = '';
    let run = '';
    let paint: Paint | undefined;
    for (const c of this.cells) {
      if (c.paint !== paint) {
        out += paint ? paint(run) : run;
        run = '';
        paint = c.paint;
      }
      run += c.ch;
    }
    out += paint ? paint(run) : run;
    return out.trimEnd();
  }
}

export function timeText(at: number): string {
  return (at / 1000).toFixed(3).padStart(TIME_W - 1);
}

export function lifelines(g: Grid, L: Layout, s: Style): void {
  g.put(PROG, '│', s.dim);
  for (const h of L.heads.slice(1)) g.put(h.col, '│', s.dim);
}

export function headerLine(L: Layout, s: Style, t: WireText): string {
  const g = new Grid(L.width);
  g.put(0, clip(t.time, TIME_W - 1), s.dim);
  // The program's name starts at its lifeline; a peer's is centred on its own, within its share of the width.
  let free = g.put(PROG, clip(L.heads[0]?.text ?? '', (L.heads[1]?.col ?? L.width) - PROG - 3), s.bold) + 1;
  L.heads.slice(1).forEach((h, i) => {
    const next = L.heads[i + 2]?.col ?? L.width + 4;
    const text = clip(h.text, Math.min(next - h.col - 1, L.width - free));
    const w = displayWidth(text);
    const start = Math.min(Math.max(h.col - Math.floor(w / 2), free), L.width - w);
    free = g.put(start, text, s.bold) + 1;
  });
  return g.text();
}

export function drawRow(row: Row, L: Layout, s: Style, t: WireText): string[] {
  const g = new Grid(L.width);
  if (row.kind !== 'text' || !row.noTime) g.put(0, timeText(row.at), s.dim);
  if (row.kind === 'grader') {
    g.put(PROG, clip(row.text, L.width - PROG), s.dim);
    return [g.text()];
  }
  if (row.kind === 'text') {
    const paint = row.tone === 'bad' ? (x: string) => s.bold(s.red(x)) : row.tone === 'head' ? s.bold : s.dim;
    if (row.tone !== 'bad') {
      g.put(PROG, clip(row.text, L.width - PROG), paint);
      return [g.text()];
    }
    // Where the check failed, said whole, wrapped under itself.
    const [first = '', ...rest] = layout([{ text: row.text }], L.width - PROG, L.width - PROG - 2);
    g.put(PROG, first, paint);
    return [g.text(), ...rest.map((l) => `${' '.repeat(PROG + 2)}${paint(l)}`)];
  }
  lifelines(g, L, s);
  if (row.kind === 'note') {
    const lane = row.peer === undefined ? { col: PROG, prefix: '' } : L.lanes.get(row.peer);
    if (!lane) return [g.text()];
    const text = lane.prefix + row.text;
    const right = L.width - lane.col - 2;
    if (right >= Math.min(displayWidth(text), 16) || row.peer === undefined)
      g.put(lane.col + 2, clip(text, right), row.peer === undefined ? s.cyan : s.yellow);
    else {
      const shown = clip(text, lane.col - PROG - 3);
      g.put(lane.col - 1 - displayWidth(shown), shown, s.yellow);
    }
    return [g.text()];
  }
  if (row.kind === 'state') {
    const m = row.mark;
    const lane = m.peer === undefined ? undefined : L.lanes.get(m.peer);
    const word = m.state === 'gone' ? t.gone : m.state;
    const label =
      m.peer === undefined ? (m.state === 'LISTEN' ? t.listening(m.port) : `${word} :${m.port}`) : word;
    const end = g.put(PROG + 2, `${label}${lane?.prefix ? ` ${lane.prefix.trim()}` : ''}`, s.green);
    if (lane) for (let x = end + 1; x < lane.col; x++) g.put(x, '┄', s.dim);
    return [g.text()];
  }
  const lane = L.lanes.get(row.peer);
  if (!lane) return [g.text()];
  const paint = row.lost ? s.red : row.dir === 'in' ? s.yellow : s.cyan;
  const from = row.dir === 'in' ? lane.col : PROG;
  const to = row.dir === 'in' ? PROG : lane.col;
  const lo = Math.min(from, to);
  const hi = Math.max(from, to);
  for (let x = lo + 1; x < hi; x++) g.put(x, '─', paint);
  g.put(from, row.dir === 'in' ? '┤' : '├', paint);
  if (row.lost) {
    // A lost datagram stops halfway.
    const mid = Math.floor((lo + hi) / 2);
    if (row.dir === 'in') for (let x = lo + 1; x < mid; x++) g.put(x, ' ');
    else for (let x = mid + 1; x < hi; x++) g.put(x, ' ');
    g.put(mid, '✗', paint);
  } else g.put(row.dir === 'in' ? lo + 1 : hi - 1, row.dir === 'in' ? '◄' : '►', paint);
  // The label sits on the dashes, a dash either side; a lost datagram's in the gap it did not travel.
  const mid = Math.floor((lo + hi) / 2);
  const [l, r, pad] = row.lost
    ? row.dir === 'in'
      ? [lo + 1, mid - 1, 2]
      : [mid + 1, hi - 1, 2]
    : row.dir === 'in'
      ? [lo + 2, hi - 1, 4]
      : [lo + 1, hi - 2, 4];
  const len = r - l + 1;
  const label = arrowLabel(lane.prefix, row, len - pad);
  if (!label.text) return [g.text()];
  const w = displayWidth(label.text);
  const start = l + pad / 2 - 1 + Math.floor((len - pad - w) / 2);
  g.put(start, ` ${label.text} `, paint);
  if (!label.mark) return [g.text()];
  // The wrong byte: painted, and pointed at from the line below, so it shows without colour too.
  const markAt = start + 1 + label.mark.from;
  g.put(markAt, label.mark.text, (x) => s.bold(s.red(s.color ? `\x1b[7m${x}\x1b[27m` : x)));
  const caret = new Grid(L.width);
  lifelines(caret, L, s);
  const marks = '^'.repeat(Math.max(1, displayWidth(label.mark.text)));
  const note = `${marks} ${t.wrongByte}`;
  const fitsRight = markAt + displayWidth(note) <= L.width;
  const at = fitsRight ? markAt : Math.max(PROG + 1, markAt + marks.length - displayWidth(note));
  caret.put(at, fitsRight ? note : `${t.wrongByte} ${marks}`, (x) => s.bold(s.red(x)));
  return [g.text(), caret.text()];
}

/**
 * An arrow's words in `room` columns. Data shows as much of its start and its end as fits, the middle
 * shortened with …; the first wrong byte, when the arrow carries it, is kept in view with a little on either
 * side, and its place in the text returned.
 */
export function arrowLabel(
  prefix: string,
  row: Pick<Arrow, 'label' | 'data' | 'wrong'>,
  room: number,
): { text: string; mark?: { from: number; text: string } | undefined } {
  const whole = prefix + row.label;
  const parsed = row.data ? quotedUnits(row.data.quoted) : undefined;
  const at = row.data ? row.label.indexOf(row.data.quoted) : -1;
  if (!row.data || !parsed || at < 0) return { text: clip(whole, room) };
  const before = prefix + row.label.slice(0, at);
  const after = row.label.slice(at + row.data.quoted.length);
  const { units, total, cut } = parsed;
  // The unit that holds the wrong byte, if the quote shows it.
  let wrongUnit = -1;
  if (row.wrong !== undefined)
    for (let i = 0, b = 0; i < units.length; b += (units[i] as { bytes: number }).bytes, i++)
      if (row.wrong < b + (units[i] as { bytes: number }).bytes) {
        wrongUnit = i;
        break;
      }
  const size = cut ? ` ${total} B` : '';
  const render = (shown: Set<number>) => {
    let text = `${before}"`;
    let mark: { from: number; text: string } | undefined;
    let gap = false;
    for (const [i, u] of units.entries()) {
      if (!shown.has(i)) {
        if (!gap) text += '…';
        gap = true;
        continue;
      }
      gap = false;
      if (i === wrongUnit) mark = { from: displayWidth(text), text: u.text };
      text += u.text;
    }
    text += `${cut ? '…' : ''}"${size}${after}`;
    return { text, mark };
  };
  const all = new Set(units.keys());
  const full = render(all);
  if (displayWidth(full.text) <= room) return full;
  // Grow from the start, the end and around the wrong byte in turn, while it fits.
  const shown = new Set<number>();
  if (wrongUnit >= 0) shown.add(wrongUnit);
  const next = {
    head: 0,
    tail: units.length - 1,
    left: wrongUnit - 1,
    right: wrongUnit + 1,
  };
  const order: (keyof typeof next)[] =
    wrongUnit >= 0 ? ['right', 'head', 'left', 'tail', 'right', 'left'] : ['head', 'tail'];
  let progress = true;
  while (progress) {
    progress = false;
    for (const k of order) {
      if (k === 'tail' && cut) continue; // the end of a cut quote is not known
      const i = next[k];
      if (i < 0 || i >= units.length || shown.has(i) || (k === 'left' && wrongUnit < 0)) continue;
      shown.add(i);
      if (displayWidth(render(shown).text) > room) {
        shown.delete(i);
        continue;
      }
      next[k] += k === 'head' || k === 'right' ? 1 : -1;
      progress = true;
    }
  }
  const best = render(shown);
  return displayWidth(best.text) <= room ? best : { text: clip(whole, room) };
}
