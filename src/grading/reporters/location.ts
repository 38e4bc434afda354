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

/**
 * The learner's file, and the line a traceback names in it, if any. The traceback is the program's output, which it
 * may have written itself: a line is kept only when it is a line of the file as it was graded (1..fileLines), so an
 * annotation never points past the file's end, at line 0, or at a number no viewer can take.
 */
export function learnerLocation(result: ExerciseResult, c: CheckResult): Location | undefined {
  const file = result.file;
  if (!file) return undefined;
  const text = [c.message, ...c.transcript.filter((e) => e.kind === 'stderr').map((e) => e.text)].join('\n');
  let line: number | undefined;
  for (const m of text.matchAll(FRAME)) if (sameFile(m[1] ?? '', file)) line = Number(m[2]);
  if (line === undefined || !Number.isSafeInteger(line) || line < 1 || line > (result.fileLines ?? 0))
    return { file };
  return { file, line };
}
