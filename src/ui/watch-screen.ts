// The watch screen, drawn whole after every event from its state. Pure, so it is easy to test.

import type { Lang } from '../grading/lang.js';
import type { ExerciseResult } from '../grading/results.js';
import { uiText } from './i18n.js';
import { renderResult } from './report.js';
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

export function renderWatch(s: WatchState, lang: Lang, st: Style): string {
  const t = uiText(lang);
  const lines = [
    `${st.bold(s.exercise)} ${st.dim('—')} ${s.title}`,
    `${t.editFile} ${st.cyan(s.file)}`,
    st.dim(s.progress),
    '',
  ];
  if (s.phase === 'running') lines.push(st.yellow(t.watchRunning));
  else if (s.result) lines.push(renderResult(s.result, s.title, st, lang).trimEnd());
  else lines.push(st.dim(t.watchWaiting));
  if (s.phase === 'finished') lines.push('', st.green(st.bold(t.watchCongrats)));
  if (s.notes.length) lines.push('', ...s.notes);
  lines.push('', st.dim(t.watchKeys));
  return `${lines.join('\n')}\n`;
}
