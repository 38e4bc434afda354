// Build step (npm run build): parse every YAML file of the package's own course (lessons/, graders/) with every
// check, and write the values that pass to dist/yaml-cache.json (see yaml-cache.ts). Only values that JSON keeps
// exactly are cached.
import { readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { parseYaml } from './load.js';
import { YAML_CACHE, yamlKey } from './yaml-cache.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));

function filesEnding(dir: string, ext: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return filesEnding(path, ext);
    return e.isFile() && e.name.endsWith(ext) ? [path] : [];
  });
}

/** The YAML texts: whole files, and the front matter of lessons and exercise texts (as parseFrontMatter cuts it). */
function yamlTexts(): [string, string][] {
  const files = [
    ...filesEnding(join(root, 'lessons'), '.yaml'),
    ...filesEnding(join(root, 'graders'), '.yaml'),
  ];
  const texts: [string, string][] = files.map((f) => [f, readFileSync(f, 'utf8')]);
  for (const f of filesEnding(join(root, 'lessons'), '.md')) {
    const m = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/.exec(readFileSync(f, 'utf8'));
    if (m?.[1] !== undefined) texts.push([f, m[1]]);
  }
  return texts;
}

const out: Record<string, unknown> = {};
for (const [file, text] of yamlTexts()) {
  const parsed = parseYaml(file, text, { cache: false });
  if (!parsed.ok) continue; // reported where it is used, with the file's name
  if (isDeepStrictEqual(JSON.parse(JSON.stringify(parsed.value ?? null)), parsed.value ?? null))
    out[yamlKey(text)] = parsed.value ?? null;
}
writeFileSync(`${YAML_CACHE}.tmp`, JSON.stringify(out));
renameSync(`${YAML_CACHE}.tmp`, YAML_CACHE);
