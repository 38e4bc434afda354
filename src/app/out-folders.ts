// --out, checked before grading, and the students' folders under it, which a batch writes into and `grade merge`
// fills from the shards. None is ever followed when it is a link: `<out>/<student>` leading elsewhere (left by
// hand, or copied in with a shard) would make a regrade or a merge write wherever it leads, and a link inside a
// shard's folder would make merge copy whatever it leads to. socketlings itself never makes a link there, so one
// is refused, never used.
import { accessSync, constants, lstatSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Lang } from '../grading/lang.js';
import { UserError } from './errors.js';
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

/** What `p` leads to (a link is followed). */
export function pathKind(p: string): 'none' | 'dir' | 'file' {
  try {
    return statSync(p).isDirectory() ? 'dir' : 'file';
  } catch {
    return 'none';
  }
}

/** The nearest existing ancestor is a file: nothing can be created below it. */
export function blockedByFile(p: string): boolean {
  for (let d = resolve(p, '..'); ; d = resolve(d, '..')) {
    const k = pathKind(d);
    if (k !== 'none') return k === 'file';
    if (d === resolve(d, '..')) return false;
  }
}

/** The folder `p` is, or the nearest existing one above it: where writing `p` is decided. */
function nearestExisting(p: string): string {
  for (let d = resolve(p); ; d = resolve(d, '..'))
    if (pathKind(d) !== 'none' || d === resolve(d, '..')) return d;
}

/**
 * --out must be a folder, or a path where one can be made, by this user: known before any grading, so that a
 * class is not graded for reports that cannot be written.
 */
export function checkOutFolder(out: string, lang: Lang): void {
  const t = appText(lang);
  if (pathKind(out) === 'file' || blockedByFile(out))
    throw new UserError(t.outNotFolder(out), t.outNotFolderNext);
  try {
    accessSync(nearestExisting(out), constants.W_OK | constants.X_OK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    throw new UserError(`--out ${out}: ${t.outUnwritable(code)}`, t.outUnwritableNext);
  }
}
