import type { Lang } from './lang.js';
import type { Text } from './schema/grader.js';

/** A grader text in the learner's language, else English, else whatever language it has. */
export function textIn(t: Text | undefined, lang: Lang): string | undefined {
  if (t === undefined) return undefined;
  return typeof t === 'string' ? t : (t[lang] ?? t.en ?? Object.values(t)[0]);
}
