// What every command is given: where it runs, in which language, with which course pack, and where it writes.
// Its own module, so the commands need not import run.ts, which imports them all.
import type { Lang } from '../grading/lang.js';

export interface CommandContext {
  cwd: string;
  lang: Lang;
  /** --course as typed. */
  course: string | undefined;
  out: NodeJS.WriteStream;
  err: NodeJS.WriteStream;
}
