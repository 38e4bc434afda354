// The learner's wire view: a run drawn as a sequence diagram in the terminal. One lane for the program (left) and
// one per peer connection; arrows carry the bytes (shortened), connects, FINs, RSTs and datagrams (with sizes,
// lost and duplicated ones marked); the kernel's states of the program's sockets sit on its lane; the place a
// check failed is marked. Pure: transcript in, text out. Fits `width` columns: many peers fold into shared lanes.
import { displayWidth } from '../grading/quote.js';
import type { ExerciseResult, Status, TranscriptEntry } from '../grading/results.js';
import { safeText } from '../grading/safe-text.js';
import type { Lang } from '../grading/schema/course.js';
import { quotedUnits, type WireRow, wireRows } from '../grading/wire-rows.js';
import type { StateMark, WireStates } from '../grading/wire-states.js';
import { layout } from './layout.js';
import type { Style } from './style.js';
import { type WireText, wireText } from './wire-text.js';

/** Columns of the time (seconds) before the program's lane. */
const TIME_W = 7;
/** The program's lifeline column. */
const PROG = TIME_W;
/** The narrowest lane that still carries a readable label. */
const MIN_LANE = 12;
/** The widest lane: wide enough that an arrow carries the start and the end of a payload. */
const MAX_LANE = 40;

type Paint = (s: string) => string;

type Arrow = Extract<WireRow, { kind: 'arrow' }> & {
  /** The first wrong byte the program sent is this many bytes into this arrow's payload. */
  wrong?: number;
};

type Row =
  | Exclude<WireRow, { kind: 'arrow' }>
  | Arrow
  | { kind: 'state'; at: number; mark: StateMark }
  | { kind: 'text'; at: number; text: string; tone: 'dim' | 'bad' | 'head'; noTime?: boolean };

export interface WireSection {
  title?: string;
  status?: Status;
  transcript: TranscriptEntry[];
  /** The check's failure message: the diagram marks where it failed. */
  failure?: string;
  /** ms the check took: it failed about this long after it began. */
  duration?: number;
  /** Where the first wrong byte the program sent is (see CheckResult.wrongAt). */
  wrongAt?: { peer: string; offset: number };
}

export interface WireOptions {
  style: Style;
  lang: Lang;
  width?: number;
  states?: WireStates;
  /** Compact: only the last rows up to the failure, with this command named for the rest. */
  compact?: { rows: number; command: string };
}

/** The run's checks as diagram sections: every check, or for the compact view the ones up to the failure. */
export function wireSections(r: ExerciseResult): WireSection[] {
  return r.checks
    .filter((c) => c.status !== 'skip' || c.transcript.length > 0)
    .map((c) => ({
      title: c.title,
      status: c.status,
      transcript: c.transcript,
      duration: c.duration,
      ...(c.status === 'fail' || c.status === 'error' ? { failure: c.message.split('\n', 1)[0] ?? '' } : {}),
      ...(c.wrongAt ? { wrongAt: c.wrongAt } : {}),
    }));
}

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

interface Lane {
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
function usable(width: number): number {
  return width - 1 - PROG - 4;
}

function baseName(peer: string): { base: string; n: string | undefined } {
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

interface Cell {
  ch: string;
  paint?: Paint | undefined;
}

class Grid {
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

function timeText(at: number): string {
  return (at / 1000).toFixed(3).padStart(TIME_W - 1);
}

function lifelines(g: Grid, L: Layout, s: Style): void {
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

function drawRow(row: Row, L: Layout, s: Style, t: WireText): string[] {
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

// ---- the whole view ---------------------------------------------------------------------------------------------

function statusMark(st: Status | undefined, s: Style): string {
  switch (st) {
    case 'pass':
      return s.ok;
    case 'fail':
      return s.bad;
    case 'error':
      return s.error;
    case 'skip':
      return s.skip;
    case undefined:
      return '';
    default: {
      const never: never = st;
      return never;
    }
  }
}

export function renderWire(sections: WireSection[], o: WireOptions): string {
  const t = wireText(o.lang);
  const s = o.style;
  const width = Math.max(40, o.width ?? 80);
  const rows: Row[] = [];
  const peers: string[] = [];
  let failAt = -1;
  for (const sec of sections) {
    for (const e of sec.transcript)
      if (e.who.startsWith('peer:') && !peers.includes(e.who.slice(5))) peers.push(e.who.slice(5));
    const last = rows.at(-1)?.at ?? 0;
    if (!o.compact && sec.title !== undefined) {
      const text = `── ${safeText(sec.title, { oneLine: true })} ${statusMark(sec.status, s)}`;
      rows.push({ kind: 'text', at: sec.transcript[0]?.at ?? last, text, tone: 'head', noTime: true });
    }
    rows.push(...wireRows(sec.transcript, t));
    if (sec.failure !== undefined && failAt < 0) {
      // No time shown: a check fails when a wait runs out, after its last line; the message says how long.
      const first = sec.transcript[0]?.at;
      const at = Math.max(rows.at(-1)?.at ?? last, first !== undefined ? first + (sec.duration ?? 0) : 0);
      // The failure message may quote the program (its stderr), as the rows do.
      const failure = safeText(sec.failure, { oneLine: true });
      rows.push({ kind: 'text', at, text: `✗ ${t.failedHere}${failure}`, tone: 'bad', noTime: true });
      failAt = rows.length - 1;
    }
  }
  markWrongByte(rows, sections);
  const marks = o.states && 'marks' in o.states ? o.states.marks : [];
  // States go in by time; a mark at the same moment as a line comes after it (the sampler sees effects).
  for (const mark of marks) {
    let i = rows.length;
    while (i > 0 && (rows[i - 1] as Row).at > mark.at) i--;
    i = Math.max(i, afterCause(rows, i, mark));
    rows.splice(i, 0, {
      kind: 'state',
      at: Math.max(mark.at, (rows[i - 1] as Row | undefined)?.at ?? 0),
      mark,
    });
    if (failAt >= i) failAt++;
  }
  let shown = rows;
  const lines: string[] = [];
  if (o.compact) {
    const end = failAt >= 0 ? failAt + 1 : rows.length;
    const start = Math.max(0, end - o.compact.rows);
    shown = rows.slice(start, end);
    // The arrow with the wrong byte is drawn however far back it is, the steps between it and the last ones
    // counted on a line of their own.
    const wrong = rows.findIndex((r) => r.kind === 'arrow' && r.wrong !== undefined);
    if (wrong >= 0 && wrong < start) {
      const between = start - wrong - 1;
      shown = [
        rows[wrong] as Row,
        ...(between > 0
          ? [{ kind: 'text', at: 0, text: t.between(between), tone: 'dim', noTime: true } as Row]
          : []),
        ...shown,
      ];
    }
    if (Math.min(start, wrong < 0 ? start : wrong) > 0)
      lines.push(
        s.dim(clip(t.earlier(Math.min(start, wrong < 0 ? start : wrong), o.compact.command), width)),
      );
  }
  const L = layoutFor(peers, width, t);
  lines.push(headerLine(L, s, t));
  for (const r of shown) lines.push(...drawRow(r, L, s, t));
  const notes: string[] = [];
  if (L.folded.length) notes.push(t.folded(L.folded.join(', ')));
  if (o.states && 'off' in o.states) {
    if (o.states.off !== 'not-sampled')
      notes.push(t.statesOff(o.states.off === 'not-linux' ? t.statesNotLinux : t.statesNoProc));
  } else if (o.states && marks.length === 0) notes.push(t.statesOff(t.statesNoTcp));
  const legend = legendFor(shown, t);
  if (legend) notes.push(legend);
  for (const n of notes) lines.push(...wrapNote(n, width, s));
  return `${lines.join('\n')}\n`;
}

/** A note under the diagram, laid out by the lessons' rules. */
function wrapNote(text: string, width: number, s: Style): string[] {
  return layout([{ text }], width).map((l) => s.dim(l));
}

/** The legend: a few words for each term the drawn rows use (states, closed, RST, EPIPE), and no others. */
export function legendFor(rows: Row[], t: WireText): string | undefined {
  const used = new Set<string>();
  for (const r of rows) {
    if (r.kind === 'state' && r.mark.peer !== undefined)
      used.add(r.mark.state === 'gone' ? 'closed' : r.mark.state);
    if (r.kind === 'state' && r.mark.peer === undefined && r.mark.state === 'gone') used.add('closed');
    if (r.kind === 'arrow' && /RST/.test(r.label)) used.add('RST');
    if (r.kind === 'note' && /EPIPE/.test(r.text)) used.add('EPIPE');
    if (r.kind === 'note' && /ECONNRESET/.test(r.text)) used.add('RST');
  }
  const words = Object.entries(t.legend)
    .filter(([term]) =>
      [...used].some((u) => u === term || (term === 'FIN_WAIT' && u.startsWith('FIN_WAIT'))),
    )
    .map(([, words]) => words);
  return words.length ? `${t.legendLead}${words.join(t.legendSep)}` : undefined;
}

/**
 * The rows of the arrow that carried the first wrong byte, marked: per peer connection, the bytes the program
 * sent are counted from its connect, and the arrow whose payload holds the offset is the one.
 */
function markWrongByte(rows: Row[], sections: WireSection[]): void {
  const wrongAt = sections.find((sec) => sec.wrongAt)?.wrongAt;
  if (!wrongAt) return;
  let offset = 0;
  for (const [i, r] of rows.entries()) {
    if (r.kind !== 'arrow' || r.peer !== wrongAt.peer) continue;
    if (!r.data) {
      if (r.dir === 'in' && !r.lost && !/FIN|RST/.test(r.label)) offset = 0; // a (re)connection starts afresh
      continue;
    }
    if (r.dir !== 'out' || r.data.udp) continue;
    if (wrongAt.offset < offset + r.data.bytes) {
      rows[i] = { ...r, wrong: Math.max(0, wrongAt.offset - offset) };
      return;
    }
    offset += r.data.bytes;
  }
}

/**
 * Where a state may go at the earliest: after the arrow that caused it. The kernel changes a socket's state a
 * moment before the peer's read of the FIN is logged, so by time alone FIN_WAIT2 would be drawn before the FIN.
 */
function afterCause(rows: Row[], at: number, mark: StateMark): number {
  let place = at;
  for (const cause of causesOf(mark)) {
    if (rows.slice(0, at).some(cause)) continue;
    const later = rows.findIndex((r, i) => i >= at && cause(r));
    if (later >= 0) place = Math.max(place, later + 1);
  }
  return place;
}

/** The arrows a state follows from: the program's FIN (or reset) for FIN_WAIT, the peer's for CLOSE_WAIT. */
function causesOf(mark: StateMark): ((r: Row) => boolean)[] {
  if (mark.peer === undefined) return [];
  const fin = (dir: 'in' | 'out') => (r: Row) =>
    r.kind === 'arrow' && r.peer === mark.peer && r.dir === dir && /^FIN|RST/.test(r.label);
  if (mark.state === 'CLOSE_WAIT' || mark.state === 'LAST_ACK') return [fin('in')];
  if (mark.state === 'TIME_WAIT') return [fin('out'), fin('in')];
  if (/^FIN_WAIT|CLOSING/.test(mark.state)) return [fin('out')];
  return [];
}

// ---- live (peer mode) -------------------------------------------------------------------------------------------

/**
 * The same diagram drawn as it happens. Lanes are added as peers appear (the header is drawn again then); past the
 * room there is, new peers share an "others" lane.
 */
export class LiveWire {
  private readonly peers: string[] = [];
  private L: Layout;
  private prev: TranscriptEntry | undefined;
  private readonly t: WireText;
  /** Rows drawn so far, for where a state's cause is. */
  private readonly drawn: Row[] = [];
  /** States waiting for the row that causes them. */
  private waiting: { mark: StateMark; since: number }[] = [];

  constructor(
    private readonly style: Style,
    lang: Lang,
    private readonly width = 80,
  ) {
    this.t = wireText(lang);
    this.L = this.layout();
  }

  private layout(): Layout {
    const room = Math.max(1, Math.floor(usable(this.width) / MIN_LANE));
    // Live lanes keep their places: the first `room - 1` peers get their own; the rest share the last one.
    const own = this.peers.slice(0, room - 1);
    const L = layoutFor(this.peers.length < room ? this.peers : [...own, this.t.others], this.width, this.t);
    if (this.peers.length >= room) {
      const shared = L.lanes.get(this.t.others) as Lane;
      for (const p of this.peers.slice(room - 1)) L.lanes.set(p, { col: shared.col, prefix: `${p}: ` });
    }
    return L;
  }

  /** The header, to print before the first event. */
  start(): string {
    return `${headerLine(this.L, this.style, this.t)}\n`;
  }

  event(e: TranscriptEntry): string {
    let out = '';
    if (e.who.startsWith('peer:') && !this.peers.includes(e.who.slice(5))) {
      const before = this.L.heads.length;
      this.peers.push(e.who.slice(5));
      this.L = this.layout();
      if (this.L.heads.length !== before) out += `${headerLine(this.L, this.style, this.t)}\n`;
    }
    for (const r of wireRows([e], this.t, this.prev)) {
      out += this.lines(r);
      this.drawn.push(r);
    }
    this.prev = e;
    // States that waited for the line that caused them follow it.
    const ready = this.waiting.filter((m) => this.causeSeen(m.mark));
    this.waiting = this.waiting.filter((m) => !ready.includes(m));
    for (const m of ready) out += this.lines({ kind: 'state', at: Math.max(m.mark.at, e.at), mark: m.mark });
    return out;
  }

  /**
   * A state change of one of the program's sockets. One whose cause (the FIN that made a FIN_WAIT2) is not drawn
   * yet waits for it, a moment at most (see `flush`): the kernel changes state a little before the peer's read of
   * the FIN is logged.
   */
  state(mark: StateMark): string {
    const row: Row = { kind: 'state', at: mark.at, mark };
    if (this.causeSeen(mark)) return this.lines(row);
    this.waiting.push({ mark, since: Date.now() });
    return '';
  }

  /** States that waited longer than `ms` for their cause, drawn now (a cause that never came is not waited for). */
  flush(ms = 500): string {
    const now = Date.now();
    const due = this.waiting.filter((m) => now - m.since >= ms);
    this.waiting = this.waiting.filter((m) => !due.includes(m));
    return due.map((m) => this.lines({ kind: 'state', at: m.mark.at, mark: m.mark })).join('');
  }

  private causeSeen(mark: StateMark): boolean {
    return causesOf(mark).every((cause) => this.drawn.some(cause));
  }

  private lines(r: Row): string {
    return drawRow(r, this.L, this.style, this.t)
      .map((l) => `${l}\n`)
      .join('');
  }
}
