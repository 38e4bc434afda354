// Build step (npm run build, after tsc): the command line's two entry points, main.js and worker.js, each made
// into one module with the code it loads at start, and every lazily loaded command into a chunk of its own, all in
// dist/cli/. Node 20 has no compile cache for ES modules, and resolving and reading a hundred small modules was a
// third of a verify's own time (`npm run bench` measures it). Packages stay outside, loaded from node_modules.
// Paths to the package's own files are found from its root (src/wire/package-files.ts), so they hold in the
// bundle, where every module's import.meta.url is the chunk's. The other modules tsc wrote under dist/cli/ stay
// (bench/text-widths.mjs reads one), unused by the two entries.
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const cli = fileURLToPath(new URL('.', import.meta.url));
const entries = ['main.js', 'worker.js'];

// Chunks of an earlier build would linger under other hashes.
for (const f of readdirSync(cli)) if (/^chunk-.*\.js$/.test(f)) rmSync(join(cli, f));

await build({
  entryPoints: entries.map((e) => join(cli, e)),
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  outdir: cli,
  allowOverwrite: true,
  chunkNames: 'chunk-[hash]',
  logLevel: 'warning',
});
