// The only place that turns bytes on disk into typed values. Every reader goes through here, so every error
// names the file, the path inside it, and what to do.
import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import type * as z from 'zod';

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

function fixFor(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'unrecognized_keys':
      return 'remove it, or check its spelling against the format in the README';
    case 'invalid_type':
      return issue.input === undefined ? 'add this field' : `give a ${issue.expected} here`;
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
      fix: fixFor(issue),
    };
  });
  return { ok: false, errors };
}

/** Parse YAML text; syntax errors carry their line and column. */
export function parseYaml(file: string, text: string): Loaded<unknown> {
  const doc = parseDocument(text, { uniqueKeys: true });
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
  return { ok: true, value: doc.toJS() };
}

export function readText(file: string, shown = file): Loaded<string> {
  try {
    return { ok: true, value: readFileSync(file, 'utf8') };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return {
      ok: false,
      errors: [
        {
          file: shown,
          where: '',
          message: code === 'ENOENT' ? 'file not found' : `cannot read it (${code ?? String(err)})`,
          fix:
            code === 'ENOENT'
              ? 'create the file, or correct the path that refers to it'
              : 'check its permissions',
        },
      ],
    };
  }
}

/** Read a YAML file and validate it. */
export function loadYamlFile<S extends z.ZodType>(
  file: string,
  schema: S,
  shown = file,
): Loaded<z.output<S>> {
  const text = readText(file, shown);
  if (!text.ok) return text;
  const raw = parseYaml(shown, text.value);
  if (!raw.ok) return raw;
  return validate(shown, raw.value, schema);
}

/** Read a JSON file and validate it. */
export function loadJsonFile<S extends z.ZodType>(
  file: string,
  schema: S,
  shown = file,
): Loaded<z.output<S>> {
  const text = readText(file, shown);
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
  const raw = parseYaml(file, m[1] ?? '');
  if (!raw.ok) return raw;
  const meta = validate(file, raw.value ?? {}, schema);
  if (!meta.ok) return meta;
  return { ok: true, value: { meta: meta.value, body: text.slice(m[0].length) } };
}
