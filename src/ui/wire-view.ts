import type { ExerciseResult, Status, TranscriptEntry } from '../grading/results.js';
import { safeText } from '../grading/safe-text.js';
import type { Lang } from '../grading/schema/course.js';
import { wireRows } from '../grading/wire-rows.js';
import type { StateMark, WireStates } from '../grading/wire-states.js';
import { layout, width as textWidth } from './layout.js';
import type { Style } from './style.js';
import {
  drawRow,
  headerLine,
  type Lane,
  type Layout,
  layoutFor,
  MIN_LANE,
  type Row,
  usable,
} from './wire-grid.js';
import { type WireText, wireText } from './wire-text.js';

export { arrowLabel, clip, headerLine, type Layout, layoutFor } from './wire-grid.js';

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
    const earlier = Math.min(start, wrong < 0 ? start : wrong);
    if (earlier > 0) {
      // The command is copied by the reader, so it is never cut: when the line does not fit, it goes on a line of
      // its own, whole, however wide (a terminal wraps it; the copy stays right).
      const one = t.earlier(earlier, o.compact.command);
      if (textWidth(one) <= width) lines.push(s.dim(one));
      else {
        for (const l of layout([{ text: t.earlierLead(earlier) }], width)) lines.push(s.dim(l));
        lines.push(s.dim(`  ${o.compact.command}`));
      }
    }
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
