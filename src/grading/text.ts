import type { Lang } from './lang.js';
import type { Text } from './schema/grader.js';

/** A grader text in the learner's language, else English, else whatever language it has. */
export function textIn(t: Text | undefined, lang: Lang): string | undefined {
  if (t === undefined) return undefined;
  return typeof t === 'string' ? t : (t[lang] ?? t.en ?? Object.values(t)[0]);
}

/** Bytes for people, in binary units: `512 MiB`, `1.5 GiB`, `63.9 MiB`, `900 KiB`. */
export function sizeText(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let n = bytes;
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  const shown = i === 0 || Number.isInteger(n) ? String(Math.round(n)) : n.toFixed(1).replace(/\.0$/, '');
  return `${shown} ${units[i]}`;
}
