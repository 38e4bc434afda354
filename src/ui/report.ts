// The learner-facing view of a result: one line per check, and for a failure the story of what happened on the
// wire, compressed for a screen: runs of small pieces fold into one line each, lines the message already shows
// are not repeated, long lines wrap under their own indentation. The whole transcript is in --json and
// --verbose. Pure: result in, text out.
import { arrow, type CheckResult, type ExerciseResult, type TranscriptEntry } from '../grading/results.js';
import { safeText } from '../grading/safe-text.js';
import type { Lang } from '../grading/schema/course.js';
import { uiText } from './i18n.js';
import { cutTo, loadGraphemeWidths, needsGraphemes, width, wrapIndented } from './layout.js';
import type { Style } from './style.js';

const MAX_TRANSCRIPT = 30;
/** Pieces this small come from a peer that splits its writes (or a program that prints each recv). */
const SMALL = 16;
/** Shorter runs read fine line by line. */
const MIN_FOLD = 6;

export interface ReportOptions {
  /** Wrap lines to this many columns (no wrapping when left out). */
  width?: number | undefined;
  /** Every transcript line, nothing folded or left out. */
  verbose?: boolean | undefined;
  /** At most this many transcript lines per check (default 30). */
  transcriptLines?: number | undefined;
  /** Leave the replay line out (a screen too small for everything). */
  noReplay?: boolean | undefined;
  /**
   * For a small screen that already names the exercise: no title line, and passed and skipped checks only in
   * the closing count; expected and actual values cut to one screen line each.
   */
  compact?: boolean | undefined;
}

export function transcriptLine(e: TranscriptEntry, s: Style, lang: Lang): string {
  const t = uiText(lang);
  const text = safeText(e.text);
  if (e.who === 'program') return `${s.cyan(`[${t.yourProgram}]`)} ${e.kind}: ${text}`;
  if (e.who === 'grader') return s.dim(`[grader] ${text}`);
  const what = e.kind === 'send' || e.kind === 'recv' ? text : `${e.kind}${text ? ` ${text}` : ''}`;
  return `${s.yellow(`[${e.who}]`)} ${arrow(e)} ${what}`;
}

function isSmall(e: TranscriptEntry): boolean {
  if (e.kind === 'send' || e.kind === 'recv') return (e.bytes ?? SMALL + 1) <= SMALL;
  return e.who === 'program' && e.kind === 'stdout' && width(safeText(e.text)) <= SMALL;
}

/** One line for a run of small pieces from one side: how many, how many bytes, the first and the last. */
function foldedLine(run: TranscriptEntry[], s: Style, lang: Lang): string {
  const t = uiText(lang);
  const first = run[0] as TranscriptEntry;
  const last = run.at(-1) as TranscriptEntry;
  if (first.who === 'program') {
    const bytes = run.reduce((a, e) => a + Buffer.byteLength(e.text) + 1, 0);
    return `${s.cyan(`[${t.yourProgram}]`)} ${first.kind}: ${s.dim(t.foldedLines(run.length, bytes))} ${safeText(first.text)} … ${safeText(last.text)}`;
  }
  const bytes = run.reduce((a, e) => a + (e.bytes ?? 0), 0);
  return `${s.yellow(`[${first.who}]`)} ${arrow(first)} ${s.dim(t.foldedPieces(run.length, bytes))} ${safeText(first.text)} … ${safeText(last.text)}`;
}

/**
 * The transcript as screen lines: runs of small pieces folded, one line per side in the order they first spoke;
 * stderr lines the message already quotes said once.
 */
export function transcriptLines(c: CheckResult, s: Style, lang: Lang, verbose = false): string[] {
  const t = uiText(lang);
  if (verbose) return c.transcript.map((e) => transcriptLine(e, s, lang));
  const quoted = new Set(c.message.split('\n').map((l) => l.trim()));
  const out: string[] = [];
  const entries = c.transcript;
  for (let i = 0; i < entries.length; ) {
    const e = entries[i] as TranscriptEntry;
    if (e.who === 'program' && e.kind === 'stderr' && quoted.has(e.text.trim())) {
      let j = i;
      while (j < entries.length && entries[j]?.kind === 'stderr' && quoted.has(entries[j]?.text.trim() ?? ''))
        j++;
      out.push(`${s.cyan(`[${t.yourProgram}]`)} stderr: ${s.dim(t.stderrAbove(j - i))}`);
      i = j;
      continue;
    }
    let j = i;
    while (j < entries.length && isSmall(entries[j] as TranscriptEntry)) j++;
    if (j - i >= MIN_FOLD) {
      const sides = new Map<string, TranscriptEntry[]>();
      for (const x of entries.slice(i, j)) {
        const key = `${x.who}\u0000${x.kind}`;
        sides.set(key, [...(sides.get(key) ?? []), x]);
      }
      for (const run of sides.values())
        out.push(
          run.length === 1 ? transcriptLine(run[0] as TranscriptEntry, s, lang) : foldedLine(run, s, lang),
        );
      i = j;
      continue;
    }
    out.push(transcriptLine(e, s, lang));
    i++;
  }
  return out;
}

function indent(text: string, pad: string): string {
  return text
    .split('\n')
    .map((l) => pad + l)
    .join('\n');
}

function renderCheck(c: CheckResult, s: Style, lang: Lang, o: ReportOptions): string[] {
  const t = uiText(lang);
  // "hint: " in English, "提示：" in Chinese: the colon belongs to the label's language.
  const label = (word: string, paint: (x: string) => string) =>
    `${paint(`${word}${t.colon.trimEnd()}`)}${t.colon.endsWith(' ') ? ' ' : ''}`;
  const mark = { pass: s.ok, fail: s.bad, skip: s.skip, error: s.error }[c.status];
  const head = `  ${mark} ${safeText(c.title)}`;
  const message = safeText(c.message);
  if (c.status === 'pass') return o.compact ? [] : [head];
  if (c.status === 'skip') return o.compact ? [] : [`${head} ${s.dim(`(${message})`)}`];
  const out = [head, indent(c.status === 'error' ? s.red(message) : message, '      ')];
  if (c.diff) out.push(...c.diff.map((l) => `      ${safeText(l)}`));
  else {
    const value = (raw: string) => {
      const v = safeText(raw);
      if (!o.compact) return v;
      const first = v.split('\n')[0] ?? '';
      const cut = cutTo(first, (o.width ?? 80) - 20);
      return cut === v ? v : `${cut} ${s.dim('…')}`;
    };
    if (c.expected !== undefined)
      out.push(indent(`${label(t.expected, s.dim)}${value(c.expected)}`, '      '));
    if (c.actual !== undefined) out.push(indent(`${label(t.actual, s.dim)}${value(c.actual)}`, '      '));
  }
  const lines = transcriptLines(c, s, lang, o.verbose);
  if (lines.length && !o.verbose && o.transcriptLines === 0) {
    out.push(`      ${s.dim(`${t.transcript}${t.colon}${t.morePeerLines(lines.length)}`)}`);
  } else if (lines.length) {
    out.push(`      ${s.dim(`${t.transcript}${t.colon.trimEnd()}`)}`);
    const max = o.verbose ? lines.length : (o.transcriptLines ?? MAX_TRANSCRIPT);
    const shown = max > 0 ? lines.slice(-max) : [];
    if (lines.length > shown.length)
      out.push(`        ${s.dim(t.morePeerLines(lines.length - shown.length))}`);
    for (const l of shown) out.push(`        ${l}`);
  }
  if (c.hint) out.push(indent(`${label(t.hint, s.bold)}${safeText(c.hint)}`, '      '));
  if (c.replay && !o.noReplay) out.push(indent(`${label(t.replay, s.dim)}${safeText(c.replay)}`, '      '));
  return out;
}

/** Make widths exact for this result's text (learner output may hold emoji or combining marks). */
export async function prepareWidths(r: ExerciseResult): Promise<void> {
  if (needsGraphemes(JSON.stringify(r))) await loadGraphemeWidths();
}

export function renderResult(
  r: ExerciseResult,
  title: string,
  s: Style,
  lang: Lang,
  o: ReportOptions = {},
): string {
  const t = uiText(lang);
  const lines = o.compact ? [] : [`${s.bold(r.exercise)} ${s.dim('—')} ${safeText(title)}`];
  for (const c of r.checks) lines.push(...renderCheck(c, s, lang, o));
  if (r.dropped) {
    for (const stream of ['stdout', 'stderr'] as const)
      if (r.dropped[stream]) lines.push(s.dim(`  ${t.outputCut(stream, r.dropped[stream])}`));
  }
  const passed = r.checks.filter((c) => c.status === 'pass').length;
  const word = {
    pass: s.green(t.passed),
    fail: s.red(t.failed),
    skip: s.yellow(t.skipped),
    error: s.red(t.graderError),
  }[r.status];
  lines.push(
    ...(o.compact ? [] : ['']),
    `${word} · ${t.checksPassed(passed, r.checks.length)} · ${t.seed} ${r.seed}${r.timeScale ? ` · ${t.timeScale(r.timeScale)}` : ''} · ${(r.duration / 1000).toFixed(2)} s`,
  );
  const text = lines.join('\n');
  return `${o.width ? wrapIndented(text, o.width, 4).join('\n') : text}\n`;
}
