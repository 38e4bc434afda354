// The parsed YAML of the package's own files (course.yaml, graders, hints), written at build time (npm run build)
// and keyed by the sha256 of each file's text: every command reads a few of them, and the YAML parser is the
// largest part of a command's start-up. A file whose text is not in the cache (an edited one, an instructor's
// pack, a development checkout before the build) is parsed as usual, with every check.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** dist/yaml-cache.json, next to the compiled modules (absent when running from the sources). */
export const YAML_CACHE = fileURLToPath(new URL('../../yaml-cache.json', import.meta.url));

export function yamlKey(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

let cache: Map<string, unknown> | null | undefined;

/** The value of a YAML text that was parsed and checked at build time, if it was. */
export function cachedYaml(text: string): { value: unknown } | undefined {
  if (cache === undefined) {
    try {
      cache = new Map(
        Object.entries(JSON.parse(readFileSync(YAML_CACHE, 'utf8')) as Record<string, unknown>),
      );
    } catch {
      cache = null;
    }
  }
  if (!cache) return undefined;
  const key = yamlKey(text);
  return cache.has(key) ? { value: cache.get(key) } : undefined;
}
