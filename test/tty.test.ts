// Screens seen in a real pseudo-terminal (tmux), as a learner sees them: colour, symbols, and the pager.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { CLI, fixture } from './helpers.js';

const HAS_TMUX = spawnSync('tmux', ['-V']).status === 0;
const session = `sl-test-${process.pid}`;
let dir = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sl-tty-'));
});
afterAll(() => {
  spawnSync('tmux', ['kill-session', '-t', session]);
  rmSync(dir, { recursive: true, force: true });
});

/** Run a shell command in a fresh 100×30 tmux pane; resolve with the pane's text (with escapes) once `done` shows. */
async function inTerminal(command: string, done: RegExp, timeoutMs = 20_000): Promise<string> {
  spawnSync('tmux', ['kill-session', '-t', session]);
  const script = join(dir, 'run.sh');
  writeFileSync(
    script,
    `unset NO_COLOR FORCE_COLOR CI\nexport SOCKETLINGS_LANG=en TERM=xterm-256color\n${command}\n`,
  );
  execFileSync('tmux', [
    'new-session',
    '-d',
    '-s',
    session,
    '-x',
    '100',
    '-y',
    '30',
    `bash ${script}; sleep 30`,
  ]);
  const t = Date.now();
  for (;;) {
    const pane = execFileSync('tmux', ['capture-pane', '-p', '-e', '-t', session, '-S', '-200'], {
      encoding: 'utf8',
    });
    if (done.test(pane)) return pane;
    if (Date.now() - t > timeoutMs)
      throw new Error(`timed out waiting for ${done}; the pane shows:\n${pane}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test.skipIf(!HAS_TMUX)('verify on a terminal: coloured marks, transcript, hint and replay line', async () => {
  const pane = await inTerminal(
    `node ${CLI} verify echo-server --seed 3 --file ${fixture('programs', 'echo-server', 'wrong_bytes.py')}; echo "EXIT=$?"`,
    /EXIT=\d+/,
  );
  expect(pane).toContain('EXIT=1');
  expect(pane).toMatch(/\x1b\[32m✓/); // green tick for the passing check
  expect(pane).toMatch(/\x1b\[31m✗/); // red cross for the failing one
  const plain = pane.replace(/\x1b\[[0-9;]*m/g, '');
  expect(plain).toContain('^ byte 0');
  expect(plain).toContain('[peer:client-1] →');
  expect(plain).toContain('socketlings peer echo-server --seed 3');
});

test.skipIf(!HAS_TMUX)(
  'read on a terminal goes through the pager when the lesson is longer than the screen',
  async () => {
    const seen = join(dir, 'paged.txt');
    const pane = await inTerminal(
      `PAGER='cat > ${seen}; echo PAGED' node ${CLI} read 4; echo "EXIT=$?"`,
      /EXIT=\d+/,
    );
    expect(pane).toContain('PAGED');
    expect(pane).toContain('EXIT=0');
    const text = readFileSync(seen, 'utf8');
    expect(text).toMatch(/\x1b\[/); // colour, since this is a terminal
    expect(text).toContain('listen');
  },
);
