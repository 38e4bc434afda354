// Watch mode: saves are noticed however the editor writes them, and the last exercise ends in a congratulation.
import { copyFileSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { watchSaves } from '../src/app/watcher.js';
import { CLI, fixture } from './helpers.js';
import { needs, tmux } from './needs.js';

const inTerminal = { timeout: 60_000, ...needs(tmux()) };

import { Terminal } from './tmux.js';

const dir = mkdtempSync(join(tmpdir(), 'sl-watch-'));
const terms: Terminal[] = [];
afterAll(() => {
  for (const t of terms) t.kill();
  rmSync(dir, { recursive: true, force: true });
});

function saves(file: string, poll: boolean) {
  let n = 0;
  const errors: Error[] = [];
  const w = watchSaves(
    file,
    () => n++,
    (e) => errors.push(e),
    poll,
  );
  return { count: () => n, errors, close: () => w.close() };
}

const until = async (cond: () => boolean, ms = 5000) => {
  const t = Date.now();
  while (!cond()) {
    if (Date.now() - t > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe.each([false, true])('saves are noticed (poll: %s)', (poll) => {
  test('written in place, and by writing a new file and renaming it over the old one; bursts count once', async () => {
    const file = join(dir, `ex-${poll}.py`);
    writeFileSync(file, 'one\n');
    const w = saves(file, poll);
    try {
      // Let the watcher settle before the first save.
      await new Promise((r) => setTimeout(r, poll ? 600 : 50));
      writeFileSync(file, 'two\n');
      await until(() => w.count() === 1);
      const tmp = join(dir, `.ex-${poll}.py.swp`);
      writeFileSync(tmp, 'three, longer\n');
      renameSync(tmp, file);
      await until(() => w.count() === 2);
      // A burst (truncate, write, write) is one save.
      writeFileSync(file, '');
      writeFileSync(file, 'four');
      writeFileSync(file, 'four, done\n');
      await until(() => w.count() === 3);
      await new Promise((r) => setTimeout(r, poll ? 1200 : 400));
      expect(w.count()).toBe(3);
      expect(w.errors).toEqual([]);
    } finally {
      w.close();
    }
  });
});

test('a folder that cannot be watched is reported as an error, not a crash', async () => {
  const w = saves(join(dir, 'no-such-folder', 'x.py'), false);
  expect((w.errors[0] as NodeJS.ErrnoException | undefined)?.code).toBe('ENOENT');
  w.close();
});

test('after the last exercise, watch re-checks everything and congratulates', inTerminal, async () => {
  const pack = fixture('packs', 'minimal');
  const t = Terminal.start(
    `sl-watch-${process.pid}`,
    dir,
    `node ${CLI} --course ${pack} init last >/dev/null && cd last && node ${CLI} watch`,
    {
      NO_COLOR: '1',
    },
  );
  terms.push(t);
  await t.waitFor(/ping — [\s\S]*failed ·/);
  t.keys('n');
  await t.waitFor(/Pass this exercise first/);
  copyFileSync(
    join(pack, 'lessons/01-hello/ping/solution/ping.py'),
    join(dir, 'last', '01-hello', 'ping.py'),
  );
  await t.waitFor(/ping is done\./);
  t.keys('n');
  await t.waitFor(/All exercises pass\. .*Congratulations!/);
  t.keys('q');
  await t.waitFor(/EXIT=0/);
});
