// The watch screen, drawn whole after every event from its state. Pure, so it is easy to test. It fits the
// terminal: the transcript gives up lines first, so the reason and the hint always stay on screen.

import type { Lang } from '../grading/lang.js';
import type { ExerciseResult } from '../grading/results.js';
import { uiText } from './i18n.js';
import { wrapIndented } from './layout.js';
import { type ReportOptions, renderResult } from './report.js';
import type { Style } from './style.js';

export interface WatchState {
  exercise: string;
  title: string;
  /** Path of the file, as the learner should open it. */
  file: string;
  phase: 'waiting' | 'running' | 'done' | 'finished';
  result?: ExerciseResult | undefined;
  /** A line under the result: a hint, a note, an error. */
  notes: string[];
  /** Progress bar text. */
  progress: string;
}

export interface ScreenSize {
  columns: number;
  rows: number;
}

export function renderWatch(s: WatchState, lang: Lang, st: Style, size?: ScreenSize): string {
  const t = uiText(lang);
  const fit = (text: string) => (size ? wrapIndented(text, size.columns, 4) : text.split('\n'));
  const head = [
    `${st.bold(s.exercise)} ${st.dim('—')} ${s.title}`,
    `${t.editFile}${t.colon}${st.cyan(s.file)}`,
  ].flatMap(fit);
  const status = [st.dim(s.progress), ''].flatMap(fit);
  const bottom: string[] = [];
  if (s.phase === 'finished') bottom.push('', st.green(st.bold(t.watchCongrats)));
  if (s.notes.length) bottom.push('', ...s.notes);
  bottom.push('', st.dim(t.watchKeys));
  const below = bottom.flatMap(fit);
  let top = [...head, ...status];
  let middle: string[];
  if (s.phase === 'running') middle = [st.yellow(t.watchRunning)];
  else if (s.result) {
    const result = s.result;
    const render = (o: ReportOptions) =>
      renderResult(result, s.title, st, lang, { width: size?.columns, ...o })
        .trimEnd()
        .split('\n');
    middle = render({ transcriptLines: 30 });
    if (size) {
      // Leave one row for the cursor line under the last one. What gives way, in order: the repeated title,
      // passed and skipped checks (the count says them), the replay line and long values; then the progress
      // bar; then transcript lines, oldest first.
      const room = () => size.rows - 1 - top.length - below.length;
      const small: ReportOptions = { transcriptLines: 30, noReplay: true, compact: true };
      if (middle.length > room()) middle = render(small);
      if (middle.length > room()) top = [...head, ''];
      for (let n = 30; middle.length > room() && n > 0; ) {
        n = Math.max(0, n - (middle.length - room()));
        middle = render({ ...small, transcriptLines: n });
      }
    }
  } else middle = [st.dim(t.watchWaiting)];
  return `${[...top, ...middle, ...below].join('\n')}\n`;
}
