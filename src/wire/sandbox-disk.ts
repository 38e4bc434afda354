// Whether a sandboxed program ran out of disk. Its writable folders (run folder, /tmp, /dev/shm) are folders on
// its worker's /tmp, a tmpfs of `--disk` bytes (see sandbox.ts), so what it wrote is still there to be measured
// when its grading judges it, and whether that disk is full is the filesystem's own answer.
import { lstatSync, readdirSync, statfsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Free space below which the disk counts as full: less than a write of any size could still use. */
const NEARLY_FULL = 1024 ** 2;
/** A program may have made any number of files; counting stops here (their size is information, not evidence). */
const MAX_ENTRIES = 100_000;

/** Bytes the files under `dir` take on their filesystem (blocks, not lengths: a sparse file takes little). */
function held(dir: string, budget: { left: number }): number {
  let total = 0;
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return 0;
  }
  for (const name of entries) {
    if (budget.left-- <= 0) break;
    const p = join(dir, name);
    try {
      const st = lstatSync(p);
      total += st.blocks * 512;
      if (st.isDirectory()) total += held(p, budget);
    } catch {
      // Removed meanwhile.
    }
  }
  return total;
}

/**
 * The disk of these folders (all on one filesystem) is full, and how much the files in them hold. A program that
 * filled it and then deleted what it wrote leaves no evidence, and is not said to have filled it.
 */
export function diskEvidence(dirs: (string | undefined)[]): { full: boolean; held: number } {
  const present = dirs.filter((d): d is string => d !== undefined);
  const first = present[0];
  if (!first) return { full: false, held: 0 };
  let free = Number.POSITIVE_INFINITY;
  try {
    const s = statfsSync(dirname(first));
    free = s.bavail * s.bsize;
  } catch {
    // No answer: no evidence.
  }
  const budget = { left: MAX_ENTRIES };
  const bytes = present.reduce((sum, d) => sum + held(d, budget), 0);
  return { full: free < NEARLY_FULL, held: bytes };
}
