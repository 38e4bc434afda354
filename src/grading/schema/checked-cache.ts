// The package's own course as validated at build time (npm run build, see build-checked-cache.ts): for each of
// its files that passed every check (course.yaml, graders, hints, the front matter of every text), the value the
// checks gave, keyed by the sha256 of the kind of file and its text. A command that reads those files takes the
// value from here, so neither the YAML parser nor zod is loaded, and no schema is compiled or run. A text that
// is not in the cache (edited since the build, an instructor's pack) is checked as usual, every check included.
// The cache also records the modules that make up the checks: built under other checks, it is not used at all.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type * as z from 'zod';
import { BUNDLED_RULES, distFile, FROM_SOURCES } from '../../wire/package-files.js';
import { schemas } from './lazy.js';

/** dist/checked-cache.json, beside the compiled modules (absent when running from the sources). */
export const CHECKED_CACHE = distFile('checked-cache.json');

/** The kinds of file the cache holds, each with its schema. */
export type CheckedKind = 'course' | 'grader' | 'hints' | 'front-matter';

export interface CheckedCacheFile {
  /** `rulesFingerprint()` when the cache was written. */
  rules: string;
  entries: Record<string, unknown>;
}

/** The schema of a kind of file: only a text the cache does not hold needs it, and with it zod. */
export function schemaOf(kind: CheckedKind): z.ZodType {
  switch (kind) {
    case 'course':
      return schemas.course();
    case 'front-matter':
      return schemas.frontMatter();
    case 'hints':
      return schemas.hints();
    case 'grader':
      return schemas.grader();
    default: {
      const never: never = kind;
      return never;
    }
  }
}

export function checkedKey(kind: CheckedKind, text: string): string {
  return createHash('sha256').update(kind).update('\0').update(text).digest('hex');
}

/** The compiled modules whose rules decide what passes (the parser's limits, the schemas), and zod's version. */
const RULES = [
  'grading/schema/load.js',
  'grading/schema/course.js',
  'grading/schema/grader.js',
  'grading/schema/grader-values.js',
  'grading/schema/grader-stream.js',
  'grading/schema/grader-steps.js',
  'grading/lang.js',
];

export function rulesFingerprint(): string {
  if (BUNDLED_RULES !== undefined) return BUNDLED_RULES;
  const h = createHash('sha256');
  for (const m of RULES) h.update(readFileSync(distFile(m))).update('\0');
  h.update(zodVersion());
  return h.digest('hex');
}

/**
 * The version of the zod that would check a file, found as Node finds the package (node_modules folders from here
 * upward) but without starting its resolver, which costs more than the rest of a command's course loading.
 */
function zodVersion(): string {
  for (let dir = distFile('grading/schema'); ; dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'node_modules', 'zod', 'package.json'), 'utf8'));
      return String((pkg as { version?: unknown }).version);
    } catch {
      if (dirname(dir) === dir) return 'no zod';
    }
  }
}

let cache: Map<string, unknown> | null | undefined;

function entries(): Map<string, unknown> | null {
  if (cache !== undefined) return cache;
  // The sources (the tests) are checked as written: a cache built from other sources would vouch for them.
  if (FROM_SOURCES) {
    cache = null;
    return cache;
  }
  try {
    const file = JSON.parse(readFileSync(CHECKED_CACHE, 'utf8')) as CheckedCacheFile;
    cache = file.rules === rulesFingerprint() ? new Map(Object.entries(file.entries)) : null;
  } catch {
    cache = null;
  }
  return cache;
}

/** The checked value of a text of this kind, if the build checked this very text under these rules. */
export function cachedChecked(kind: CheckedKind, text: string): { value: unknown } | undefined {
  const all = entries();
  if (!all) return undefined;
  const key = checkedKey(kind, text);
  return all.has(key) ? { value: all.get(key) } : undefined;
}
