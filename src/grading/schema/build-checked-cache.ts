// Build step (npm run build): check every file of the package's own course (lessons/, graders/) as a command
// would, with every check, and write the values that pass to dist/checked-cache.json (see checked-cache.ts).
// Only values that JSON keeps exactly are cached; a file that fails is left out and reported where it is used.
import { readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import {
  CHECKED_CACHE,
  type CheckedCacheFile,
  type CheckedKind,
  checkedKey,
  rulesFingerprint,
  schemaOf,
} from './checked-cache.js';
import {
  LIMITS,
  type Loaded,
  markdownTooDeepAt,
  parseFrontMatter,
  parseYaml,
  readText,
  validate,
} from './load.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));

function files(dir: string, ext: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return files(path, ext);
    return e.isFile() && e.name.endsWith(ext) ? [path] : [];
  });
}

/** A file's text and its value, checked exactly as a command checks it when the cache does not have it. */
function check(file: string, kind: CheckedKind): { text: string; value: Loaded<unknown> } | undefined {
  const text = readText(file, file, kind === 'front-matter' ? LIMITS.lesson : LIMITS.yaml);
  if (!text.ok) return undefined;
  if (kind === 'front-matter') {
    if (markdownTooDeepAt(text.value) !== undefined) return undefined;
    const fm = parseFrontMatter(file, text.value, schemaOf(kind));
    return { text: text.value, value: fm.ok ? { ok: true, value: fm.value.meta } : fm };
  }
  const raw = parseYaml(file, text.value);
  return { text: text.value, value: raw.ok ? validate(file, raw.value, schemaOf(kind)) : raw };
}

// A cache from an earlier build must not answer for the files being checked.
rmSync(CHECKED_CACHE, { force: true });
const lessons = join(root, 'lessons');
const todo: [string, CheckedKind][] = [
  ...files(lessons, '.yaml').map((f): [string, CheckedKind] => [
    f,
    basename(f) === 'course.yaml' ? 'course' : 'hints',
  ]),
  ...files(lessons, '.md').map((f): [string, CheckedKind] => [f, 'front-matter']),
  ...files(join(root, 'graders'), '.yaml').map((f): [string, CheckedKind] => [f, 'grader']),
];
const entries: Record<string, unknown> = {};
for (const [file, kind] of todo) {
  const r = check(file, kind);
  if (!r?.value.ok) continue;
  const value = r.value.value ?? null;
  if (isDeepStrictEqual(JSON.parse(JSON.stringify(value)), value)) entries[checkedKey(kind, r.text)] = value;
}
const out: CheckedCacheFile = { rules: rulesFingerprint(), entries };
writeFileSync(`${CHECKED_CACHE}.tmp`, JSON.stringify(out));
renameSync(`${CHECKED_CACHE}.tmp`, CHECKED_CACHE);
