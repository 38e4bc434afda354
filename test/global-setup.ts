// Once for the whole run: where `python3` on PATH is a launcher script (a pyenv or asdf shim), put the folder of
// the interpreter it starts ahead of it on PATH. The suite starts Python a few thousand times, and each shim start
// runs a shell and dozens of helper processes first (about a third of the suite's CPU on a 2-core machine).
// Learner programs still run as `python3 file.py`; how a real shim is found and pinned is tested on its own
// (grade.test.ts, platforms.test.ts), with a PATH of its own.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, delimiter, dirname, join } from 'node:path';
import { onPath, pinPython } from '../src/wire/python.js';

export function setup(): () => void {
  // The interpreter cache (app/interpreter.ts) of this run alone: the tests start cold and leave the user's be.
  const cache = mkdtempSync(join(tmpdir(), 'sl-test-cache-'));
  process.env.XDG_CACHE_HOME = cache;
  const teardown = () => rmSync(cache, { recursive: true, force: true });
  pinRealPython();
  return teardown;
}

function pinRealPython(): void {
  if (process.platform === 'win32' || process.env.SOCKETLINGS_PYTHON) return;
  const found = onPath('python3');
  if (!found) return;
  // The grader's own rule: a launcher script is asked once which interpreter it starts.
  const pinned = pinPython({ argv: ['python3'], path: found }, process.cwd());
  const real = pinned.path === found ? undefined : pinned.path;
  // Only a folder where the interpreter answers to `python3` itself.
  if (!real || basename(real) !== 'python3') return;
  process.env.PATH = `${dirname(real)}${delimiter}${process.env.PATH ?? ''}`;
}
