// Every temporary folder socketlings makes (a run's AF_UNIX paths and grader files, probes), in one register, so
// the signal path can remove them too: on Ctrl+C or SIGTERM the process exits without running the teardowns in
// flight, and their folders would stay behind in $TMPDIR.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const live = new Set<string>();

/** A new private folder `$TMPDIR/sl-XXXXXX`, registered until `removeScratch`. Short: AF_UNIX paths are limited. */
export function makeScratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sl-'));
  live.add(dir);
  return dir;
}

export function removeScratch(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  live.delete(dir);
}

/** Synchronous, for the signal path and process 'exit': every folder still registered, best effort. */
export function removeAllScratch(): void {
  for (const dir of live) {
    try {
      removeScratch(dir);
    } catch {
      // Nothing more can be done on the way out.
    }
  }
}
