// npm's hidden lockfile, `node_modules/.package-lock.json`, which npm writes next to what it installed (a project's
// dependencies, an `npx` cache). socketlings reads one entry of it: where its own package came from, to tell a
// copy fetched from the registry from one installed out of a tarball (see app/release.ts). Everything else in the
// file is left as npm wrote it.
import * as z from 'zod';

export const NpmHiddenLock = z.looseObject({
  /** Installed packages by their path below the project, `node_modules/<name>`. */
  packages: z
    .record(
      z.string(),
      z.looseObject({
        version: z.string().optional(),
        /** Where npm got it: a registry tarball URL, `file:…` for a local tarball or folder, a git URL. */
        resolved: z.string().optional(),
      }),
    )
    .optional(),
});
export type NpmHiddenLock = z.infer<typeof NpmHiddenLock>;
