// The package's own files (the Python launcher, the schema modules, the build's checked cache), found the same way
// whichever form of the code is running: the compiled modules (dist/<layer>/…), the bundle that `npm run build`
// makes of them (dist/cli/, where every module's import.meta.url is the bundle's), or the sources (src/<layer>/…,
// under vitest). A path relative to this module would differ between the three; the package's root does not.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Running the TypeScript sources (the tests): there is no dist/ to trust, it may be stale or missing. */
export const FROM_SOURCES = import.meta.url.endsWith('.ts');

// Set by the bundler (src/cli/build-bundle.ts): undeclared anywhere else, so `typeof` finds them undefined.
declare const __SOCKETLINGS_BUNDLE__: boolean | undefined;
declare const __SOCKETLINGS_RULES__: string | undefined;

/** Running the bundle (dist/cli/), not the modules tsc wrote. */
export const IN_BUNDLE = typeof __SOCKETLINGS_BUNDLE__ !== 'undefined' && __SOCKETLINGS_BUNDLE__;

/**
 * In the bundle, the fingerprint of the checks bundled into it (grading/schema/checked-cache.ts), taken when it was
 * made: the bundle carries its own copy of the schemas and of zod, so the modules tsc wrote are not read for it.
 */
export const BUNDLED_RULES = typeof __SOCKETLINGS_RULES__ === 'string' ? __SOCKETLINGS_RULES__ : undefined;

function packageRoot(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (let dir = here; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return join(here, '..', '..');
  }
}

/** The folder with the package's package.json. */
export const PACKAGE_ROOT = packageRoot();

/** A file of the compiled package, by its path under dist/ (as tsc writes it). */
export function distFile(path: string): string {
  return join(PACKAGE_ROOT, 'dist', path);
}
