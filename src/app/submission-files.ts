// What may be graded from a student's folder, and how student names are shown. A submission is a stranger's
// folder: a file in it may be a link to the reference solution or to anything else on the machine (whose lines a
// traceback would print), a FIFO that blocks whoever opens it, a device, or unreadable. Such a file is refused for
// its exercise, with the reason, and the rest of the student's work is graded as usual.
import { closeSync, constants, lstatSync, openSync, realpathSync, type Stats, statSync } from 'node:fs';
import { sep } from 'node:path';
import type { Lang } from '../grading/lang.js';
import { appText } from './messages.js';

export type FileVerdict = { ok: true; path: string } | { ok: false; reason: string };

function kindOf(st: Stats, lang: Lang): string | undefined {
  const t = appText(lang);
  if (st.isFile()) return undefined;
  if (st.isDirectory()) return t.refusedFolder;
  if (st.isFIFO()) return t.refusedFifo;
  if (st.isSocket()) return t.refusedSocket;
  if (st.isCharacterDevice() || st.isBlockDevice()) return t.refusedDevice;
  return t.refusedSpecial;
}

function inside(real: string, root: string): boolean {
  return real === root || real.startsWith(root.endsWith(sep) ? root : root + sep);
}

/**
 * Whether `candidate` may be graded as a file of the submission in `folder`: undefined when there is nothing
 * there at all, else the verdict. Never opens anything but a regular file inside the folder, and that one
 * non-blocking, so no check can hang.
 */
export function checkSubmissionFile(folder: string, candidate: string, lang: Lang): FileVerdict | undefined {
  const t = appText(lang);
  try {
    lstatSync(candidate);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    return { ok: false, reason: t.refusedUnreadable(code ?? String(err)) };
  }
  let real: string;
  let root: string;
  try {
    root = realpathSync(folder);
    real = realpathSync(candidate);
  } catch {
    return { ok: false, reason: t.refusedDangling };
  }
  // Links are fine while they stay in the folder (a student may keep one file under two names).
  if (!inside(real, root)) return { ok: false, reason: t.refusedOutside };
  try {
    const kind = kindOf(statSync(real), lang);
    if (kind) return { ok: false, reason: t.refusedKind(kind) };
    closeSync(openSync(real, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0)));
  } catch (err) {
    return { ok: false, reason: t.refusedUnreadable((err as NodeJS.ErrnoException).code ?? String(err)) };
  }
  return { ok: true, path: real };
}

/** The first candidate present decides: graded if safe, else refused. Undefined when none is present. */
export function firstSubmissionFile(
  folder: string,
  candidates: string[],
  lang: Lang,
): FileVerdict | undefined {
  for (const c of candidates) {
    const v = checkSubmissionFile(folder, c, lang);
    if (v) return v;
  }
  return undefined;
}
