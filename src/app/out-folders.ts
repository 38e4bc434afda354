// The students' folders under --out, which a batch writes into and `grade merge` fills from the shards. None is
// ever followed when it is a link: `<out>/<student>` leading elsewhere (left by hand, or copied in with a shard)
// would make a regrade or a merge write wherever it leads, and a link inside a shard's folder would make merge
// copy whatever it leads to. socketlings itself never makes a link there, so one is refused, never used.
import { lstatSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Lang } from '../grading/lang.js';
import { writeAtomic } from './files.js';
import { appText } from './messages.js';

export type EntryKind = 'none' | 'folder' | 'file' | 'link' | 'other';

/** What is at `path` itself (a link is a link, wherever it leads). */
export function entryKind(path: string): EntryKind {
  try {
    const st = lstatSync(path);
    if (st.isSymbolicLink()) return 'link';
    if (st.isDirectory()) return 'folder';
    return st.isFile() ? 'file' : 'other';
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'none';
    throw err;
  }
}

/** Why reports cannot be written into `dir` (a student's folder under --out), or undefined: missing, or a folder. */
export function outFolderProblem(dir: string, lang: Lang): string | undefined {
  const t = appText(lang);
  const kind = entryKind(dir);
  if (kind === 'link') return t.outLink(dir);
  if (kind === 'file' || kind === 'other') return t.outNotFolderEntry(dir);
  return undefined;
}

/**
 * Why the folder `from` (a student's, in a shard) cannot be copied to `to`: a link or a special file in it, or in
 * `to` where it would go. Undefined when it can.
 */
export function copyProblem(from: string, to: string, lang: Lang): string | undefined {
  const t = appText(lang);
  const top = outFolderProblem(to, lang);
  if (top) return top;
  for (const name of readdirSync(from)) {
    const src = join(from, name);
    const dest = join(to, name);
    const kind = entryKind(src);
    if (kind === 'link' || kind === 'other') return t.shardEntryNotPlain(src);
    const there = entryKind(dest);
    if (kind === 'folder') {
      if (there !== 'none' && there !== 'folder') return t.outLink(dest);
      const inner = copyProblem(src, dest, lang);
      if (inner) return inner;
    } else if (there === 'folder') return t.outNotFolderEntry(dest);
  }
  return undefined;
}

/**
 * Copy a folder that copyProblem passed. Each file is written atomically: the rename replaces whatever stands at
 * its place, a link included, and never writes through it.
 */
export function copyFolder(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const name of readdirSync(from)) {
    const src = join(from, name);
    if (entryKind(src) === 'folder') copyFolder(src, join(to, name));
    else writeAtomic(join(to, name), readFileSync(src));
  }
}
