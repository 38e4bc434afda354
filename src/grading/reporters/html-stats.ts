// What the class report counts: the score distribution and the checks that failed most, with their most common
// messages. Pure functions over the students' reports.
import type { GradeReport, ScoredExercise } from '../score.js';

/** A student's report as the HTML view reads it; reports read back from disk may lack transcripts. */
export interface HtmlStudent {
  student: string;
  report: GradeReport;
}

/** A grid cell's colour: all points, half or more, under half, none, grader error, the unchanged stub. */
export type Band = 'c4' | 'c3' | 'c2' | 'c0' | 'ce' | 'cs';

export function band(
  e: Pick<ScoredExercise, 'points' | 'maxPoints'> & { stub?: boolean; result?: { status?: string } },
): Band {
  if (e.result?.status === 'error') return 'ce';
  if (e.stub) return 'cs';
  if (e.maxPoints > 0 && e.points >= e.maxPoints) return 'c4';
  if (e.points <= 0) return 'c0';
  return e.points * 2 >= e.maxPoints ? 'c3' : 'c2';
}

export const SYMBOL: Record<Band, string> = { c4: '✓', c3: '◐', c2: '◔', c0: '✗', ce: '!', cs: '○' };

export function fmt(n: number): string {
  return String(Math.round(n * 100) / 100);
}

/** Eleven bins of the total as a share of the maximum: 0–9 %, …, 90–99 %, and 100 %. */
export function distribution(students: HtmlStudent[]): number[] {
  const bins = new Array<number>(11).fill(0);
  for (const s of students) {
    const share = s.report.maxPoints > 0 ? s.report.points / s.report.maxPoints : 0;
    const i = share >= 1 ? 10 : Math.max(0, Math.floor(share * 10));
    bins[i] = (bins[i] ?? 0) + 1;
  }
  return bins;
}

export interface Reteach {
  exercise: string;
  check: string;
  title: string;
  /** Students whose run failed this check. */
  students: number;
  /** The most common messages, as first written, with how many students got each. */
  messages: { text: string; count: number }[];
}

/**
 * Messages differ by seed (the random payloads, the ports), so they are grouped by their first line with quoted
 * text and numbers blanked out; the first one seen stands for its group.
 */
export function messageKey(message: string): string {
  const first = message.split('\n', 1)[0] ?? '';
  return first
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '"…"')
    .replace(/\d+(?:\.\d+)?/g, '#')
    .trim();
}

/**
 * The fewest students who must have failed a check for it to be a teaching matter rather than a student's: a fifth
 * of the class and at least two; in a class of one or two, any failure.
 */
export function reteachThreshold(students: number): number {
  return students <= 2 ? 1 : Math.max(2, Math.ceil(students / 5));
}

/**
 * Every check any student failed, most students first, then in assignment order. An exercise handed in as the
 * unchanged stub is left out: its student did not get the check wrong, they did not begin.
 */
export function failedChecks(students: HtmlStudent[]): Reteach[] {
  const by = new Map<
    string,
    Reteach & { order: number; groups: Map<string, { text: string; count: number }> }
  >();
  for (const s of students)
    (s.report.exercises ?? []).forEach((e, i) => {
      if (e.stub) return;
      (e.checks ?? []).forEach((c, j) => {
        if (c.status !== 'fail') return;
        const key = `${e.id}\u0000${c.id}`;
        let r = by.get(key);
        if (!r) {
          const order = i * 1000 + j;
          r = {
            exercise: e.id,
            check: c.id,
            title: c.title,
            students: 0,
            messages: [],
            order,
            groups: new Map(),
          };
          by.set(key, r);
        }
        r.students++;
        const mk = messageKey(c.message);
        const g = r.groups.get(mk);
        if (g) g.count++;
        else r.groups.set(mk, { text: c.message.split('\n', 1)[0] ?? '', count: 1 });
      });
    });
  return [...by.values()]
    .sort((a, b) => b.students - a.students || a.order - b.order)
    .map(({ groups, order: _, ...r }) => ({
      ...r,
      messages: [...groups.values()].sort((a, b) => b.count - a.count).slice(0, 3),
    }));
}

/** The checks failed by at least `min` students (see reteachThreshold), at most `limit` of them. */
export function reteach(
  students: HtmlStudent[],
  limit = 12,
  min = reteachThreshold(students.length),
): Reteach[] {
  return failedChecks(students)
    .filter((r) => r.students >= min)
    .slice(0, limit);
}
