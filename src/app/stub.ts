// Whether a student handed in an exercise's starter file as it was given out. The grade says only that the program
// did nothing; an instructor reading a class report wants to know that the student never started, which is a
// different conversation. Judged by content, never by a guess from the verdict: the file must be the stub itself,
// allowing only what an editor or git does on its own (CRLF line endings, a byte-order mark, white space at the
// very end). Read by the grading process, not the graded program, like every other file of the submission.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { Exercise } from './course.js';

const stubs = new Map<string, string | undefined>();

function normal(text: string): string {
  return text
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .trimEnd();
}

/** The file's text, or undefined when it cannot be read or is far larger than `limit` bytes. */
function readUpTo(path: string, limit: number): string | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const size = fstatSync(fd).size;
    if (size > limit) return undefined;
    const buf = Buffer.alloc(size);
    let at = 0;
    while (at < size) {
      const n = readSync(fd, buf, at, size - at, at);
      if (n === 0) break;
      at += n;
    }
    return buf.subarray(0, at).toString('utf8');
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function stubText(ex: Exercise): string | undefined {
  if (!stubs.has(ex.stubPath)) {
    const text = readUpTo(ex.stubPath, 1024 * 1024);
    stubs.set(ex.stubPath, text === undefined ? undefined : normal(text));
  }
  return stubs.get(ex.stubPath);
}

/**
 * The student's file `file` (already found safe to read, see submission-files.ts) is the exercise's stub. A file
 * more than twice the stub's size (plus room for CRLF) is not read at all.
 */
export function isStub(ex: Exercise, file: string): boolean {
  const stub = stubText(ex);
  if (stub === undefined) return false;
  const text = readUpTo(file, 2 * Buffer.byteLength(stub) + 64);
  return text !== undefined && normal(text) === stub;
}
