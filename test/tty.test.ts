// Screens seen in a real pseudo-terminal (tmux), as a learner sees them: colour, symbols, and the pager.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { CLI, fixture } from './helpers.js';
import { needs, tmux } from './needs.js';
import { Terminal } from './tmux.js';

let dir = '';
const terms: Terminal[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sl-tty-'));
});
afterAll(() => {
  for (const t of terms) t.kill();
  rmSync(dir, { recursive: true, force: true });
});

/**
 * Run a shell command in a fresh terminal, with colour; resolve with the screen (escapes kept) once it is done:
 * the terminal then prints "EXIT=" and the command's exit code.
 */
async function inTerminal(command: string, done: RegExp): Promise<string> {
  const t = Terminal.start(`sl-tty-${process.pid}-${terms.length}`, dir, command, { NO_COLOR: '' });
  terms.push(t);
  return t.waitFor(done, 20_000, true);
}

test('verify on a terminal: coloured marks, transcript, hint and replay line', needs(tmux()), async () => {
  const pane = await inTerminal(
    `node ${CLI} verify echo-server --seed 3 --file ${fixture('programs', 'echo-server', 'wrong_bytes.py')}`,
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

test(
  'read on a terminal goes through the pager when the lesson is longer than the screen',
  needs(tmux()),
  async () => {
    const seen = join(dir, 'paged.txt');
    const pane = await inTerminal(`PAGER='cat > ${seen}; echo PAGED' node ${CLI} read 4`, /EXIT=\d+/);
    expect(pane).toContain('PAGED');
    expect(pane).toContain('EXIT=0');
    const text = readFileSync(seen, 'utf8');
    expect(text).toMatch(/\x1b\[/); // colour, since this is a terminal
    expect(text).toContain('listen');
  },
);

test(
  'Ctrl+C at the menu leaves cleanly: exit 130 as for any Ctrl+C, no stack trace, the cursor back',
  needs(tmux()),
  async () => {
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
    // The menu hides the cursor while it draws (at the end of what it writes); leaving must show it again.
    for (let i = 0; i < 50 && t.cursorVisible(); i++) await new Promise((r) => setTimeout(r, 100));
    expect(t.cursorVisible()).toBe(false);
    t.keys('C-c');
    const screen = await t.waitFor(/EXIT=\d+/);
    expect(screen).toContain('EXIT=130');
    expect(screen).not.toMatch(/\n\s+at /);
    expect(screen).not.toContain('ExitPromptError');
    expect(t.cursorVisible()).toBe(true);
  },
);
