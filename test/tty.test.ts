// Screens seen in a real pseudo-terminal (tmux), as a learner sees them: colour, symbols, and the pager.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { CLI, fixture } from './helpers.js';
import { HAS_TMUX, Terminal } from './tmux.js';

let dir = '';
const terms: Terminal[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sl-tty-'));
});
afterAll(() => {
  for (const t of terms) t.kill();
  rmSync(dir, { recursive: true, force: true });
});

/** Run a shell command in a fresh terminal, with colour; resolve with the screen (escapes kept) once it is done. */
async function inTerminal(command: string, done: RegExp): Promise<string> {
  const t = Terminal.start(`sl-tty-${process.pid}-${terms.length}`, dir, command, { NO_COLOR: '' });
  terms.push(t);
  return t.waitFor(done, 20_000, true);
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

test.skipIf(!HAS_TMUX)(
  'Ctrl+C at the menu leaves cleanly: exit 130 as for any Ctrl+C, no stack trace, the cursor back',
  async () => {
    const ws = join(dir, 'ctrl-c');
    const t = Terminal.start(
      `sl-tty-${process.pid}-cc`,
      dir,
      `node ${CLI} init ctrl-c >/dev/null && cd ctrl-c && node ${CLI}`,
      {
        NO_COLOR: '1',
      },
    );
    terms.push(t);
    await t.waitFor(/What next\?/);
    t.keys('C-c');
    const screen = await t.waitFor(/EXIT=\d+/);
    expect(screen).toContain('EXIT=130');
    expect(screen).not.toMatch(/\n\s+at /);
    expect(screen).not.toContain('ExitPromptError');
    expect(ws).toBeTruthy();
  },
);
