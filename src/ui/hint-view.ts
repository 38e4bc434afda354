// Hints as the learner sees them, the same in the menu, `hint` and watch mode: each one labelled with its number.
import type { UiText } from './i18n.js';
import type { Style } from './style.js';

export function hintLines(shown: string[], total: number, id: string, t: UiText, st: Style): string[] {
  const lines = shown.map((h, i) => `${st.bold(t.hintOf(i + 1, total))}${t.colon}${h}`);
  if (shown.length === total) lines.push(st.dim(t.noMoreHints(id)));
  return lines;
}
