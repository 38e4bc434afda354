// The learner's wire view: a run drawn as a sequence diagram in the terminal. One lane for the program (left) and
// one per peer connection; arrows carry the bytes (shortened), connects, FINs, RSTs and datagrams (with sizes,
// lost and duplicated ones marked); the kernel's states of the program's sockets sit on its lane; the place a
// check failed is marked. Pure: transcript in, text out. Fits `width` columns: many peers fold into shared lanes.
import { displayWidth } from '../grading/quote.js';
import type { ExerciseResult, Status, TranscriptEntry } from '../grading/results.js';
import { safeText } from '../grading/safe-text.js';
import type { Lang } from '../grading/schema/course.js';
import { type WireRow, wireRows } from '../grading/wire-rows.js';
import type { StateMark, WireStates } from '../grading/wire-states.js';
import type { Style } from './style.js';
import { type WireText, wireText } from './wire-text.js';

/** Columns of the time (seconds) before the program's lane. */
const TIME_W = 7;
/** The program's lifeline column. */
const PROG = TIME_W;
/** The narrowest lane that still carries a readable label. */
const MIN_LANE = 12;
const MAX_LANE = 22;

type Paint = (s: string) => string;

type Row =
  | WireRow
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

function drawRow(row: Row, L: Layout, s: Style, t: WireText): string {
  const g = new Grid(L.width);
  if (row.kind !== 'text' || !row.noTime) g.put(0, timeText(row.at), s.dim);
  if (row.kind === 'grader') {
    g.put(PROG, clip(row.text, L.width - PROG), s.dim);
    return g.text();
  }
  if (row.kind === 'text') {
    const paint = row.tone === 'bad' ? (x: string) => s.bold(s.red(x)) : row.tone === 'head' ? s.bold : s.dim;
    g.put(PROG, clip(row.text, L.width - PROG), paint);
    return g.text();
  }
  lifelines(g, L, s);
  if (row.kind === 'note') {
    const lane = row.peer === undefined ? { col: PROG, prefix: '' } : L.lanes.get(row.peer);
    if (!lane) return g.text();
    const text = lane.prefix + row.text;
    const right = L.width - lane.col - 2;
    if (right >= Math.min(displayWidth(text), 16) || row.peer === undefined)
      g.put(lane.col + 2, clip(text, right), row.peer === undefined ? s.cyan : s.yellow);
    else {
      const shown = clip(text, lane.col - PROG - 3);
      g.put(lane.col - 1 - displayWidth(shown), shown, s.yellow);
    }
    return g.text();
  }
  if (row.kind === 'state') {
    const m = row.mark;
    const lane = m.peer === undefined ? undefined : L.lanes.get(m.peer);
    const word = m.state === 'gone' ? t.gone : m.state;
    const label =
      m.peer === undefined ? (m.state === 'LISTEN' ? t.listening(m.port) : `${word} :${m.port}`) : word;
    const end = g.put(PROG + 2, `${label}${lane?.prefix ? ` ${lane.prefix.trim()}` : ''}`, s.green);
    if (lane) for (let x = end + 1; x < lane.col; x++) g.put(x, '┄', s.dim);
    return g.text();
  }
  const lane = L.lanes.get(row.peer);
  if (!lane) return g.text();
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
  const label = clip(lane.prefix + row.label, len - pad);
  if (label) {
    const w = displayWidth(label);
    g.put(l + pad / 2 - 1 + Math.floor((len - pad - w) / 2), ` ${label} `, paint);
  }
  return g.text();
}

/** Lines of text wrapped at `width` columns: at spaces, and anywhere inside Chinese text (which has none). */
function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  // Break after a space, and before or after any Chinese character or punctuation.
  for (const word of text.split(/(?<= )|(?<=[\u2e80-\uffff])|(?=[\u2e80-\uffff])/u)) {
    if (displayWidth(line + word) <= width) {
      line += word;
      continue;
    }
    if (line.trim()) out.push(line.trimEnd());
    line = '';
    for (const ch of word) {
      if (displayWidth(line + ch) > width) {
        out.push(line);
        line = '';
      }
      line += ch;
    }
  }
  if (line.trim()) out.push(line.trimEnd());
  return out;
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
      rows.push({ kind: 'text', at, text: `✗ ${t.failedHere}: ${failure}`, tone: 'bad', noTime: true });
      failAt = rows.length - 1;
    }
  }
  const marks = o.states && 'marks' in o.states ? o.states.marks : [];
  // States go in by time; a mark at the same moment as a line comes after it (the sampler sees effects).
  for (const mark of marks) {
    let i = rows.length;
    while (i > 0 && (rows[i - 1] as Row).at > mark.at) i--;
    rows.splice(i, 0, { kind: 'state', at: mark.at, mark });
    if (failAt >= i) failAt++;
  }
  let shown = rows;
  const lines: string[] = [];
  if (o.compact) {
    const end = failAt >= 0 ? failAt + 1 : rows.length;
    const start = Math.max(0, end - o.compact.rows);
    shown = rows.slice(start, end);
    if (start > 0) lines.push(s.dim(clip(t.earlier(start, o.compact.command), width)));
  }
  const L = layoutFor(peers, width, t);
  lines.push(headerLine(L, s, t));
  for (const r of shown) lines.push(drawRow(r, L, s, t));
  const notes: string[] = [];
  if (L.folded.length) notes.push(t.folded(L.folded.join(', ')));
  if (o.states && 'off' in o.states) {
    if (o.states.off !== 'not-sampled')
      notes.push(t.statesOff(o.states.off === 'not-linux' ? t.statesNotLinux : t.statesNoProc));
  } else if (o.states && marks.length === 0) notes.push(t.statesOff(t.statesNoTcp));
  else if (shown.some((r) => r.kind === 'state' && r.mark.peer !== undefined)) notes.push(t.statesKey);
  for (const n of notes) lines.push(...wrap(n, width).map((l) => s.dim(l)));
  return `${lines.join('\n')}\n`;
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
    for (const r of wireRows([e], this.t, this.prev)) out += `${drawRow(r, this.L, this.style, this.t)}\n`;
    this.prev = e;
    return out;
  }

  state(mark: StateMark): string {
    return `${drawRow({ kind: 'state', at: mark.at, mark }, this.L, this.style, this.t)}\n`;
  }
}
