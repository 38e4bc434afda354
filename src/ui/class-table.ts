// The end of a batch on the terminal: a table of the class (failures first) laid out at the terminal's width, and
// the files the run wrote. Names and titles may be Chinese, so every width is in display columns. Pure.
import type { ClassRow } from '../grading/class-rows.js';
import type { Lang } from '../grading/lang.js';
import { firstSentence } from '../grading/reporters/json.js';
import { safeText } from '../grading/safe-text.js';
import { type ClassText, classText } from './class-text.js';
import { cutTo, layout, padEnd, width } from './layout.js';
import type { Style } from './style.js';

const GAP = '  ';
/** Below this many columns for the last one, each student takes two lines instead. */
const MIN_LAST = 18;

function fmt(n: number): string {
  return String(Math.round(n * 100) / 100);
}

function firstText(r: ClassRow, n: number, t: ClassText): string {
  if (!r.first) return t.none;
  if (n > 0 && r.stubs === n) return t.allStubs;
  if (r.first.stub) return t.stub(r.first.exercise);
  // The failure's reason: a check's title says what was checked, the opposite of what happened.
  const text = t.first(r.first.exercise, firstSentence(r.first.message) || r.first.check);
  return r.first.status === 'error' ? `${text} (${t.graderError})` : text;
}

function cutName(s: string, w: number): string {
  return width(s) <= w ? s : `${cutTo(s, w - 1)}…`;
}

export interface ClassTableOptions {
  /** Display columns available. */
  width: number;
  style: Style;
  lang: Lang;
  /** How many exercises the assignment has (to tell "every file is the stub"). */
  exercises: number;
}

export function renderClassTable(rows: ClassRow[], o: ClassTableOptions): string {
  const t = classText(o.lang);
  const s = o.style;
  const cells = rows.map((r) => ({
    name: safeText(r.student),
    points: `${fmt(r.points)}/${fmt(r.maxPoints)}`,
    status: t.status[r.status],
    first: safeText(firstText(r, o.exercises, t)),
    row: r,
  }));
  const paint = (r: ClassRow, text: string) =>
    r.status === 'pass' ? s.green(text) : r.status === 'error' ? s.yellow(text) : s.red(text);
  const colOf = (head: string, xs: string[]) => Math.max(width(head), ...xs.map(width));
  const pointsW = colOf(
    t.head.points,
    cells.map((c) => c.points),
  );
  const statusW = colOf(
    t.head.status,
    cells.map((c) => c.status),
  );
  const nameCap = Math.max(10, Math.floor(o.width * 0.3));
  const nameW = Math.min(
    nameCap,
    colOf(
      t.head.student,
      cells.map((c) => c.name),
    ),
  );
  const lead = nameW + pointsW + statusW + 3 * GAP.length;
  const last = o.width - lead;
  const lines: string[] = [];
  if (last >= MIN_LAST) {
    const left = (name: string, points: string, status: string, r?: ClassRow) =>
      [
        padEnd(cutName(name, nameW), nameW),
        points.padStart(pointsW),
        r ? paint(r, padEnd(status, statusW)) : padEnd(status, statusW),
      ].join(GAP);
    const [head = '', ...more] = layout([{ text: t.head.first }], last);
    lines.push(
      s.bold(`${left(t.head.student, t.head.points.padStart(pointsW), t.head.status)}${GAP}${head}`),
    );
    for (const l of more) lines.push(s.bold(`${' '.repeat(lead)}${l}`));
    for (const c of cells) {
      const [first = '', ...rest] = layout([{ text: c.first }], last);
      lines.push(`${left(c.name, c.points, c.status, c.row)}${GAP}${first}`);
      for (const l of rest) lines.push(`${' '.repeat(lead)}${l}`);
    }
  } else {
    // Too narrow for four columns: the student's line, then what failed under it.
    for (const c of cells) {
      const head = `${c.points}  ${c.status}`;
      const nameRoom = Math.max(4, o.width - width(head) - GAP.length);
      lines.push(`${cutName(c.name, nameRoom)}${GAP}${paint(c.row, head)}`);
      if (c.first !== t.none) for (const l of layout([{ text: c.first }], o.width - 2)) lines.push(`  ${l}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export interface WrittenFile {
  /** As shown: relative to the folder the command ran in when below it. */
  path: string;
  what: string;
}

/** The files a run wrote, one a line, each with what it is. */
export function renderWritten(files: WrittenFile[], o: { lang: Lang; style: Style; width: number }): string {
  if (files.length === 0) return '';
  const t = classText(o.lang);
  // Paths line up where they are short enough to leave room beside them; a longer one stands alone.
  const fits = files.map((f) => width(f.path)).filter((w) => w <= Math.floor(o.width * 0.6));
  const pathW = Math.max(0, ...fits);
  const lines = files.map((f) => {
    const path = safeText(f.path);
    const room = o.width - 2 - Math.max(pathW, width(path)) - GAP.length;
    // A path is never cut: a reader copies it. What it is goes beside it when there is room, else below.
    if (room >= width(f.what)) return `  ${padEnd(path, pathW)}${GAP}${o.style.dim(f.what)}`;
    return `  ${path}\n    ${o.style.dim(f.what)}`;
  });
  return `${[t.written, ...lines].join('\n')}\n`;
}
