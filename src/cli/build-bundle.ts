// Build step (npm run build, after tsc): the command line's two entry points, main.js and worker.js, each made
// into one module with the code it loads at start, and every lazily loaded command into a chunk of its own, all in
// dist/cli/. Node 20 has no compile cache for ES modules, and resolving and reading a hundred small modules was a
// third of a verify's own time (`npm run bench` measures it). Paths to the package's own files are found from its
// root (src/wire/package-files.ts), so they hold in the bundle, where every module's import.meta.url is the
// chunk's. The other modules tsc wrote under dist/ stay (bench/ imports some), unused by the entries.
//
// The packages a command loads are bundled too, tree-shaken: zod as a package is about a hundred files (its
// locales among them) and took 90 ms to load where a schema is needed (grade, init, a workspace's files), against
// 20 ms bundled. The four schema modules that grading/schema/lazy.ts loads on first use are entries of the same
// build, so they share the one bundled zod with the rest. The packages of interactive screens (marked, the
// prompts) stay outside: they load once per screen. The bundled packages' licences are written beside the bundle.
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { rulesFingerprint } from '../grading/schema/checked-cache.js';

const dist = fileURLToPath(new URL('..', import.meta.url));
const cli = join(dist, 'cli');
const root = join(dist, '..');
/** Loaded by the command line as packages, from node_modules (see above). */
const EXTERNAL = ['marked', '@inquirer/prompts', 'esbuild'];
/** The schema modules lazy.ts requires, by the name of their entry in dist/cli/ (`schema-<name>.js`). */
const SCHEMAS = ['course', 'grader', 'workspace', 'progress'];

// The entries are tsc's modules, and the bundle takes their place: once made, it cannot be made again from itself.
if (/from "\.\/chunk-/.test(readFileSync(join(cli, 'main.js'), 'utf8'))) {
  console.error('dist/cli/main.js is a bundle already: run the whole build again (npm run build).');
  process.exit(1);
}

// Chunks of an earlier build would linger under other hashes.
for (const f of readdirSync(cli)) if (/^chunk-.*\.js$/.test(f)) rmSync(join(cli, f));

const result = await build({
  entryPoints: {
    main: join(cli, 'main.js'),
    worker: join(cli, 'worker.js'),
    ...Object.fromEntries(SCHEMAS.map((s) => [`schema-${s}`, join(dist, 'grading', 'schema', `${s}.js`)])),
  },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: EXTERNAL,
  outdir: cli,
  allowOverwrite: true,
  chunkNames: 'chunk-[hash]',
  logLevel: 'warning',
  // The metafile's paths (below) are relative to the package's root, wherever the build is started from.
  absWorkingDir: root,
  metafile: true,
  // Bundled CommonJS packages (commander) require Node's own modules: an ES module has no `require` of its own.
  banner: {
    js: "import { createRequire as __slRequire } from 'node:module'; const require = __slRequire(import.meta.url);",
  },
  // What the bundle's code asks to know it is the bundle, and the fingerprint of the checks it carries (the same
  // modules and zod that wrote dist/checked-cache.json a step before).
  define: { __SOCKETLINGS_BUNDLE__: 'true', __SOCKETLINGS_RULES__: JSON.stringify(rulesFingerprint()) },
});

// The licences of the packages now inside the bundle: their MIT and ISC terms ask for the notice to go with
// every copy.
// A package's folder is the input's path up to its last node_modules/<name>/ (a nested copy is a package too).
const bundled = new Set<string>();
for (const input of Object.keys(result.metafile.inputs)) {
  const m = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
  if (m?.[1]) bundled.add(m[1]);
}
const notices = [...bundled].sort().map((folder) => {
  const dir = join(root, folder);
  const name = folder.replace(/^.*node_modules\//, '');
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
    version: string;
    license?: string;
  };
  const file = readdirSync(dir).find((f) => /^licen[cs]e/i.test(f));
  if (!file) throw new Error(`${name}: bundled into dist/cli/ but has no licence file to ship with it`);
  const text = readFileSync(join(dir, file), 'utf8').trim();
  return `${name} ${pkg.version} (${pkg.license ?? 'see below'})\n\n${text}\n`;
});
writeFileSync(
  join(cli, 'THIRD-PARTY-LICENSES.txt'),
  `Packages bundled into this folder's modules by the build, with their licences.\n\n${notices.join(`\n${'-'.repeat(78)}\n\n`)}`,
);
