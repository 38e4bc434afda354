// Where in the learner's file a failing check points: the deepest frame of a Python traceback that names the
// graded file. CI shows an annotation there, on the line in the learner's own code.
import type { CheckResult, ExerciseResult } from '../results.js';

export interface Location {
  file: string;
  line?: number;
}

const FRAME = /File "([^"]+)", line (\d+)/g;

function sameFile(named: string, file: string): boolean {
  const a = named.replace(/\\/g, '/').replace(/^\.\//, '');
  return a === file || a.endsWith(`/${file}`) || file.endsWith(`/${a}`);
}

/** The learner's file, and the line a traceback names in it, if any. */
export function learnerLocation(result: ExerciseResult, c: CheckResult): Location | undefined {
  const file = result.file;
  if (!file) return undefined;
  const text = [c.message, ...c.transcript.filter((e) => e.kind === 'stderr').map((e) => e.text)].join('\n');
  let line: number | undefined;
  for (const m of text.matchAll(FRAME)) if (sameFile(m[1] ?? '', file)) line = Number(m[2]);
  return line === undefined ? { file } : { file, line };
}
