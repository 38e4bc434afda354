// The only place that turns bytes on disk into typed values. Every reader goes through here, so every error
// names the file, the path inside it, and what to do.
import { isUtf8 } from 'node:buffer';
import { closeSync, constants, fstatSync, openSync, readSync, type Stats, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';
import type * as z from 'zod';
import { type CheckedKind, cachedChecked, schemaOf } from './checked-cache.js';
import type { CourseManifest, FrontMatter, Hints } from './course.js';
import type { Grader } from './grader.js';
import { fileLang, KIND, loadText } from './load-text.js';

/** The YAML parser, loaded only when a text is not in the build's cache (see checked-cache.ts). */
let yamlModule: typeof Yaml | undefined;
function yaml(): typeof Yaml {
  yamlModule ??= createRequire(import.meta.url)('yaml') as typeof Yaml;
  return yamlModule;
}

/**
 * The most bytes read from a file of each kind. Every file socketlings reads is small; the caps keep a huge or
 * endless file (a 50 MB lesson, /dev/zero behind a link) from exhausting memory or the stack.
 */
export const LIMITS = {
  /** course.yaml, graders, hints, assignments: the biggest shipped one is about 10 KiB. */
  yaml: 256 * 1024,
  /** Stubs and solutions. */
  text: 1024 * 1024,
  /** Lessons and exercise texts: the biggest shipped one is about 15 KiB; rendering takes about 1 s per 256 KiB. */
  lesson: 256 * 1024,
  /** progress.json, socketlings.json and a batch's report.json (which carries transcripts). */
  json: 16 * 1024 * 1024,
} as const;

/** YAML anchors are handy for a few repeated values; more aliases than this is an attack, not a course. */
export const MAX_ALIASES = 32;

/** Flow brackets and block indentation deeper than this are refused before the YAML parser sees them. */
export const MAX_DEPTH = 64;

export interface FileError {
  /** The file, as the user should see it (relative where possible). */
  file: string;
  /** Where inside the file, like `lessons.2.exercises.0.id`, or a line number; empty for the whole file. */
  where: string;
  message: string;
  /** The next thing to do. */
  fix: string;
}

export type Loaded<T> = { ok: true; value: T } | { ok: false; errors: FileError[] };

export function formatFileError(e: FileError): string {
  const at = e.where ? `${e.file} (${e.where})` : e.file;
  return `${at}: ${e.message}\n  → ${e.fix}`;
}

/** Whether `raw` has a value at `path`: a field left out has none (zod's issue leaves the value out). */
function present(raw: unknown, path: PropertyKey[]): boolean {
  let v = raw;
  for (const key of path) {
    if (v === null || typeof v !== 'object' || !Object.hasOwn(v, key)) return false;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v !== undefined;
}

function fixFor(issue: z.core.$ZodIssue, raw: unknown): string {
  switch (issue.code) {
    case 'unrecognized_keys':
      return 'remove it, or check its spelling against the format in the README';
    case 'invalid_type':
      return present(raw, issue.path) ? `give a ${issue.expected} here` : 'add this field';
    case 'invalid_value':
      return 'use one of the allowed values';
    default:
      return 'correct the value as the message says';
  }
}

/** Validate an already-parsed value against a schema, turning zod issues into file errors. */
export function validate<S extends z.ZodType>(file: string, raw: unknown, schema: S): Loaded<z.output<S>> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { ok: true, value: parsed.data };
  const errors = parsed.error.issues.map((issue) => {
    const keys = issue.code === 'unrecognized_keys' ? ` (unknown field: ${issue.keys.join(', ')})` : '';
    return {
      file,
      where: issue.path.map(String).join('.'),
      message: `${issue.message}${keys}`,
      fix: fixFor(issue, raw),
    };
  });
  return { ok: false, errors };
}

/**
 * The first line nested deeper than MAX_DEPTH, by a cheap scan: flow brackets, and the run of indentation and
 * `- ` / `? ` / `: ` indicators a line starts with. The YAML parser recurses per level, and a stack overflow inside
 * it is caught there but leaves V8's regular expression engine unusable, so deep input must never reach it.
 * Brackets inside quoted strings count too: no socketlings file has dozens of them unclosed.
 */
export function tooDeepAt(text: string): number | undefined {
  let flow = 0;
  const lines = text.split('\n');
  for (const [i, line] of lines.entries()) {
    const lead = /^[ \t?:-]*/.exec(line)?.[0].length ?? 0;
    if (lead > MAX_DEPTH * 4) return i + 1;
    for (const ch of line) {
      if (ch === '[' || ch === '{') {
        if (++flow > MAX_DEPTH) return i + 1;
      } else if ((ch === ']' || ch === '}') && flow > 0) flow--;
    }
  }
  return undefined;
}

/** The widest run of indentation, `>` and list markers a Markdown line may start with (outside code fences). */
export const MAX_MARKDOWN_LEAD = 24;

/**
 * The first line of a Markdown text nested deeper than MAX_MARKDOWN_LEAD allows. The terminal renderer's time
 * grows exponentially with list nesting (20 levels took 10 s, 24 more than a minute), and deep block quotes
 * overflow the stack, so such a lesson is refused when the course is loaded, never rendered.
 */
export function markdownTooDeepAt(text: string): number | undefined {
  let fence: string | undefined;
  for (const [i, line] of text.split('\n').entries()) {
    const f = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (f && (fence === undefined || f[0] === fence[0])) {
      fence = fence === undefined ? f : undefined;
      continue;
    }
    if (fence !== undefined) continue;
    const lead = /^(?:[ \t>]|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t]))*/.exec(line)?.[0] ?? '';
    if (lead.replace(/\t/g, '    ').length > MAX_MARKDOWN_LEAD) return i + 1;
  }
  return undefined;
}

/** Parse YAML text; syntax errors carry their line and column. Deep nesting and alias bombs are refused. */
export function parseYaml(file: string, text: string): Loaded<unknown> {
  const { LineCounter, parseDocument, visit } = yaml();
  const t = loadText();
  const deep = tooDeepAt(text);
  if (deep !== undefined)
    return {
      ok: false,
      errors: [{ file, where: `line ${deep}`, message: t.tooDeep(MAX_DEPTH), fix: t.tooDeepFix }],
    };
  const lines = new LineCounter();
  const doc = parseDocument(text, { uniqueKeys: true, lineCounter: lines });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map((err) => ({
        file,
        where: err.linePos ? `line ${err.linePos[0].line}, column ${err.linePos[0].col}` : '',
        message: `invalid YAML: ${(err.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '')}`,
        fix: 'fix the YAML syntax at that place (indentation, a missing colon, or an unclosed quote)',
      })),
    };
  }
  // Counted before expanding: each alias can double what the next one expands, so a few lines make billions.
  let aliases = 0;
  let firstExtra: number | undefined;
  let loop: number | undefined;
  visit(doc, {
    Alias(_, node, path) {
      aliases++;
      if (aliases === MAX_ALIASES + 1) firstExtra = node.range?.[0];
      // An alias inside its own anchor makes a value that contains itself: validating it would never end.
      if (path.some((p) => (p as { anchor?: string }).anchor === node.source)) loop ??= node.range?.[0];
    },
  });
  if (loop !== undefined) {
    const pos = lines.linePos(loop);
    return {
      ok: false,
      errors: [
        {
          file,
          where: `line ${pos.line}, column ${pos.col}`,
          message: t.badAlias(t.aliasLoop),
          fix: t.badAliasFix,
        },
      ],
    };
  }
  if (aliases > MAX_ALIASES) {
    const pos = firstExtra === undefined ? undefined : lines.linePos(firstExtra);
    return {
      ok: false,
      errors: [
        {
          file,
          where: pos ? `line ${pos.line}, column ${pos.col}` : '',
          message: t.tooManyAliases(aliases, MAX_ALIASES),
          fix: t.tooManyAliasesFix,
        },
      ],
    };
  }
  try {
    // The library's own guard too: it counts expanded nodes, which the alias count above bounds only loosely.
    return { ok: true, value: doc.toJS({ maxAliasCount: MAX_ALIASES }) };
  } catch (err) {
    return {
      ok: false,
      errors: [{ file, where: '', message: t.badAlias((err as Error).message), fix: t.badAliasFix }],
    };
  }
}

function kindOf(st: Stats): string {
  const k = KIND[fileLang()];
  if (st.isFIFO()) return k.fifo;
  if (st.isSocket()) return k.socket;
  if (st.isCharacterDevice() || st.isBlockDevice()) return k.device;
  return k.other;
}

/** Why a path is no file to read, or undefined when it is a regular file. Never opens it (a FIFO would block). */
export function notAFile(st: Stats): { message: string; fix: string } | undefined {
  const t = loadText();
  if (st.isFile()) return undefined;
  if (st.isDirectory()) return { message: t.isFolder, fix: t.isFolderFix };
  return { message: t.notRegular(kindOf(st)), fix: t.notRegularFix };
}

function readError(code: string | undefined, err: unknown): { message: string; fix: string } {
  const t = loadText();
  if (code === 'ENOENT' || code === 'ENOTDIR') return { message: t.notFound, fix: t.notFoundFix };
  if (code === 'EISDIR') return { message: t.isFolder, fix: t.isFolderFix };
  return { message: t.cannotRead(code ?? String(err)), fix: t.cannotReadFix };
}

/**
 * Read a text file, refusing what is not a regular file (checked before opening: opening a FIFO waits for a
 * writer), anything over `limit` bytes, and bytes that are not UTF-8. The file is opened non-blocking and checked
 * again through its descriptor, so a FIFO swapped in between cannot hang us either.
 */
export function readText(file: string, shown = file, limit: number = LIMITS.text): Loaded<string> {
  const t = loadText();
  const fail = (e: { message: string; fix: string }): Loaded<string> => ({
    ok: false,
    errors: [{ file: shown, where: '', ...e }],
  });
  let fd: number | undefined;
  try {
    const before = notAFile(statSync(file));
    if (before) return fail(before);
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    const st = fstatSync(fd);
    const bad = notAFile(st);
    if (bad) return fail(bad);
    if (st.size > limit) return fail({ message: t.tooBig(st.size, limit), fix: t.tooBigFix });
    // One byte more than the cap tells a file that grew since fstat.
    const buf = Buffer.alloc(Math.min(limit, st.size) + 1);
    let n = 0;
    for (let got = -1; got !== 0 && n < buf.length; n += got)
      got = readSync(fd, buf, n, buf.length - n, null);
    if (n > limit) return fail({ message: t.tooBig(n, limit), fix: t.tooBigFix });
    const bytes = buf.subarray(0, n);
    if (isUtf8(bytes)) {
      // As a UTF-8 decoder reads it: a byte order mark is not part of the text.
      const text = bytes.toString('utf8');
      return { ok: true, value: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
    }
    const lossy = bytes.toString('utf8');
    const at = Buffer.byteLength(lossy.slice(0, Math.max(0, lossy.indexOf('\uFFFD'))));
    return fail({ message: t.notUtf8(at), fix: t.notUtf8Fix });
  } catch (err) {
    return fail(readError((err as NodeJS.ErrnoException).code, err));
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Read a YAML file and validate it. */
export function loadYamlFile<S extends z.ZodType>(
  file: string,
  schema: S,
  shown = file,
): Loaded<z.output<S>> {
  const text = readText(file, shown, LIMITS.yaml);
  if (!text.ok) return text;
  const raw = parseYaml(shown, text.value);
  if (!raw.ok) return raw;
  return validate(shown, raw.value, schema);
}

/** What each kind of file of a course pack is once checked. */
export interface Checked {
  course: CourseManifest;
  grader: Grader;
  hints: Hints;
  'front-matter': FrontMatter;
}

/**
 * Read a course pack's YAML file and check it against the schema of its kind; the value comes from the build's
 * cache when the build checked this very text (see checked-cache.ts).
 */
export function loadChecked<K extends Exclude<CheckedKind, 'front-matter'>>(
  file: string,
  kind: K,
  shown = file,
): Loaded<Checked[K]> {
  const text = readText(file, shown, LIMITS.yaml);
  if (!text.ok) return text;
  const hit = cachedChecked(kind, text.value);
  if (hit) return { ok: true, value: hit.value as Checked[K] };
  const raw = parseYaml(shown, text.value);
  if (!raw.ok) return raw;
  return validate(shown, raw.value, schemaOf(kind)) as Loaded<Checked[K]>;
}

/** Read a JSON file and validate it. */
export function loadJsonFile<S extends z.ZodType>(
  file: string,
  schema: S,
  shown = file,
): Loaded<z.output<S>> {
  const text = readText(file, shown, LIMITS.json);
  if (!text.ok) return text;
  let raw: unknown;
  try {
    raw = JSON.parse(text.value);
  } catch (err) {
    return {
      ok: false,
      errors: [
        {
          file: shown,
          where: '',
          message: `invalid JSON: ${(err as Error).message}`,
          fix: 'fix the JSON syntax',
        },
      ],
    };
  }
  return validate(shown, raw, schema);
}

/** Split `---\nfront matter\n---\nbody` and validate the front matter. */
/**
 * Front matter that is only `key: text` lines, where YAML would read each text as that same string, without the
 * YAML parser: every command reads the titles of the whole course, and parsing each block costs a millisecond or
 * more. Anything else (quotes, flow or block values, comments, anchors, a value YAML would read as a number, a
 * boolean or null) is left to the parser: undefined.
 */
function plainMap(text: string): { ok: true; value: Record<string, string> } | undefined {
  const value: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const m = /^([A-Za-z_][\w-]*):[ \t]+(\S.*)$/.exec(line);
    if (!m) return undefined;
    const [, key = '', v = ''] = m;
    const text = v.trimEnd();
    if (!/^[^\s'"#&*!|>%@`[\]{},?:-]/.test(text) || /: |\s#|[\t]/.test(text) || /:$/.test(text))
      return undefined;
    if (
      /^(?:[-+]?(?:\d[\d_]*(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?|0x[\da-fA-F]+|0o[0-7]+|true|false|True|False|TRUE|FALSE|yes|no|on|off|null|Null|NULL|~|\.inf|\.nan)$/i.test(
        text,
      )
    )
      return undefined;
    if (key in value) return undefined;
    value[key] = text;
  }
  return { ok: true, value };
}

export function parseFrontMatter<S extends z.ZodType>(
  file: string,
  text: string,
  schema: S,
): Loaded<{ meta: z.output<S>; body: string }> {
  const m = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/.exec(text);
  if (!m) {
    return {
      ok: false,
      errors: [
        {
          file,
          where: 'line 1',
          message: 'no front matter',
          fix: 'start the file with a block like:\n---\ntitle: My lesson\n---',
        },
      ],
    };
  }
  const raw = plainMap(m[1] ?? '') ?? parseYaml(file, m[1] ?? '');
  if (!raw.ok) return raw;
  const meta = validate(file, raw.value ?? {}, schema);
  if (!meta.ok) return meta;
  return { ok: true, value: { meta: meta.value, body: text.slice(m[0].length) } };
}
