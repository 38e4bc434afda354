// What decides a grade, as digests: a resumed batch trusts a saved grade only while every one of them is the same.
// Change the assignment, the course pack, a student's files, socketlings itself or the sandbox setting, and that
// student is graded again.
import { createHash } from 'node:crypto';
import {
  closeSync,
  lstatSync,
  openSync,
  readdirSync,
  readlinkSync,
  readSync,
  realpathSync,
  statSync,
} from 'node:fs';
import { join, sep } from 'node:path';
import type { Assignment } from '../grading/schema/assignment.js';
import type { Course } from './course.js';

export interface Digests {
  version: string;
  assignment: string;
  course: string;
  files: string;
  isolation: string;
}

function sha(parts: (string | Buffer)[]): string {
  const h = createHash('sha256');
  for (const p of parts) {
    h.update(String(Buffer.byteLength(p)));
    h.update('\0');
    h.update(p);
  }
  return h.digest('hex');
}

const CHUNK = Buffer.alloc(64 * 1024);

/** A file's content digest, read in chunks; undefined when it cannot be read (then its size and time count). */
export function fileSha(path: string): string | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const h = createHash('sha256');
    for (;;) {
      const n = readSync(fd, CHUNK, 0, CHUNK.length, null);
      if (n === 0) break;
      h.update(CHUNK.subarray(0, n));
    }
    return h.digest('hex');
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Folders that never hold what is graded: version control and socketlings' own progress. */
const SKIP = new Set(['.git', '.socketlings', 'node_modules', '__pycache__']);
/** Past this many bytes or files, sizes and times stand in for content, so a huge folder cannot stall a batch. */
const MAX_BYTES = 64 * 1024 * 1024;
const MAX_FILES = 5000;

/**
 * Every file under a student's folder: names, kinds and contents. A link counts by its target, and, when it leads
 * to a file or folder inside the student's folder, by what it leads to as well: a link into a folder this digest
 * skips (`tcp_client.py -> .git/x`, a `lib -> .socketlings/lib`) would otherwise let the program change while its
 * digest stays the same, and a resumed run trust a grade of other code. (A hard link is a file: its content counts.)
 */
export function folderDigest(root: string): string {
  const parts: string[] = [];
  let bytes = 0;
  let files = 0;
  let top: string;
  try {
    top = realpathSync(root);
  } catch {
    top = root;
  }
  const inside = (p: string) => p === top || p.startsWith(top.endsWith(sep) ? top : `${top}${sep}`);
  // Folders walked through links, by real path: a link loop is walked once.
  const walked = new Set<string>([top]);
  const file = (path: string, r: string, size: number, mtimeMs: number, kind: string) => {
    files++;
    bytes += size;
    const content = files <= MAX_FILES && bytes <= MAX_BYTES ? fileSha(path) : undefined;
    parts.push(`${kind}:${r}:${content ?? `${size}:${mtimeMs}`}`);
  };
  const followed = (path: string, r: string) => {
    let real: string;
    let st: ReturnType<typeof statSync>;
    try {
      real = realpathSync(path);
      st = statSync(real);
    } catch {
      return; // dangling or unreadable: its target's name counted already
    }
    if (!inside(real)) return;
    if (st.isFile()) file(real, r, st.size, st.mtimeMs, 'linked');
    else if (st.isDirectory() && !walked.has(real)) {
      walked.add(real);
      walk(real, r);
    }
  };
  const walk = (dir: string, rel: string) => {
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      parts.push(`unreadable:${rel}`);
      return;
    }
    for (const name of names) {
      if (SKIP.has(name)) continue;
      const path = join(dir, name);
      const r = rel ? `${rel}/${name}` : name;
      let st: ReturnType<typeof lstatSync>;
      try {
        st = lstatSync(path);
      } catch {
        continue;
      }
      if (st.isDirectory()) walk(path, r);
      else if (st.isSymbolicLink()) {
        let target = '';
        try {
          target = readlinkSync(path);
        } catch {
          // unreadable link: its name still counts
        }
        parts.push(`link:${r}:${target}`);
        followed(path, r);
      } else if (st.isFile()) file(path, r, st.size, st.mtimeMs, 'file');
      else parts.push(`other:${r}`);
    }
  };
  walk(root, '');
  return sha(parts);
}

/**
 * The course pack's manifest and graders: everything that decides how an exercise is judged. By content only, not
 * by where the pack is: the shards of one class are graded on machines that install socketlings in different
 * places (a runner's tool cache, an image's /opt), and they must still agree.
 */
export function courseDigest(course: Course): string {
  const parts: string[] = [course.id, course.version];
  parts.push(fileSha(join(course.root, 'lessons', 'course.yaml')) ?? 'missing');
  for (const ex of course.exercises) parts.push(ex.id, fileSha(ex.graderPath) ?? 'missing');
  return sha(parts);
}

export function assignmentDigest(a: Assignment): string {
  return sha([JSON.stringify(a)]);
}

/** Which parts differ, in the order they are worth naming. */
export function changedParts(saved: Partial<Digests> | undefined, now: Digests): (keyof Digests)[] {
  const keys: (keyof Digests)[] = ['version', 'assignment', 'course', 'files', 'isolation'];
  if (!saved) return keys;
  return keys.filter((k) => saved[k] !== now[k]);
}

/** One digest of the assignment and the course pack: shards of one grading share it (`grade merge` checks). */
export function classDigest(a: Assignment, course: Course): string {
  return sha([assignmentDigest(a), courseDigest(course)]);
}
