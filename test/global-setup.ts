// Once for the whole run: where `python3` on PATH is a launcher script (a pyenv or asdf shim), put the folder of
// the interpreter it starts ahead of it on PATH. The suite starts Python a few thousand times, and each shim start
// runs a shell and dozens of helper processes first (about a third of the suite's CPU on a 2-core machine).
// Learner programs still run as `python3 file.py`; how a real shim is found and pinned is tested on its own
// (grade.test.ts, platforms.test.ts), with a PATH of its own.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { basename, delimiter, dirname } from 'node:path';

export function setup(): void {
  if (process.platform === 'win32' || process.env.SOCKETLINGS_PYTHON) return;
  const which = spawnSync('sh', ['-c', 'command -v python3'], { encoding: 'utf8' });
  const found = which.status === 0 ? which.stdout.trim() : '';
  if (!found || !readFileSync(found).subarray(0, 2).equals(Buffer.from('#!'))) return;
  const r = spawnSync(found, ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' });
  const real = r.status === 0 ? r.stdout.trim() : '';
  // Only a folder where the interpreter answers to `python3` itself.
  if (!real || basename(real) !== 'python3') return;
  process.env.PATH = `${dirname(real)}${delimiter}${process.env.PATH ?? ''}`;
}
