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

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return yamlFiles(path);
    return e.isFile() && e.name.endsWith('.yaml') ? [path] : [];
  });
}

const out: Record<string, unknown> = {};
for (const file of [...yamlFiles(join(root, 'lessons')), ...yamlFiles(join(root, 'graders'))]) {
  const text = readFileSync(file, 'utf8');
  const parsed = parseYaml(file, text, { cache: false });
  if (!parsed.ok) continue; // reported where it is used, with the file's name
  if (isDeepStrictEqual(JSON.parse(JSON.stringify(parsed.value ?? null)), parsed.value ?? null))
    out[yamlKey(text)] = parsed.value ?? null;
}
writeFileSync(`${YAML_CACHE}.tmp`, JSON.stringify(out));
renameSync(`${YAML_CACHE}.tmp`, YAML_CACHE);
