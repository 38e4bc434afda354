// Once for the whole run: where `python3` on PATH is a launcher script (a pyenv or asdf shim), put a `python3` that
// is the interpreter it starts ahead of it on PATH. The suite starts Python a few thousand times, and each shim
// start runs a shell and dozens of helper processes first (about a third of the suite's CPU on a 2-core machine).
// Learner programs still run as `python3 file.py`; how a real shim is found and pinned is tested on its own
// (grade.test.ts, platforms.test.ts), with a PATH of its own.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

let dir: string | undefined;

function onPath(cmd: string): string | undefined {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

export function setup(): void {
  if (process.platform === 'win32' || process.env.SOCKETLINGS_PYTHON) return;
  const found = onPath('python3');
  if (!found || !readFileSync(found).subarray(0, 2).equals(Buffer.from('#!'))) return;
  const r = spawnSync(found, ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' });
  const real = r.status === 0 ? r.stdout.trim() : '';
  if (!real) return;
  dir = mkdtempSync(join(tmpdir(), 'sl-python-'));
  symlinkSync(real, join(dir, 'python3'));
  process.env.PATH = `${dir}${delimiter}${process.env.PATH ?? ''}`;
}

export function teardown(): void {
  if (dir) rmSync(dir, { recursive: true, force: true });
}
