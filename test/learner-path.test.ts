// A learner's whole first session, in a real terminal: no workspace → the menu creates one → read a lesson →
// verify the stub (fails) → a hint → put the solution in → verify passes → the picker shows it → watch mode notices
// a save of the next exercise and passes it → back to the menu → quit.
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { CLI, ROOT } from './helpers.js';
import { HAS_TMUX, Terminal } from './tmux.js';

const dir = mkdtempSync(join(tmpdir(), 'sl-path-'));
let term: Terminal | undefined;
afterAll(() => {
  term?.kill();
  rmSync(dir, { recursive: true, force: true });
});

// The menu's entries while an exercise is current, top to bottom.
const MENU = [
  'continue',
  'lessons',
  'read',
  'quiz',
  'verify',
  'watch',
  'hint',
  'solution',
  'reset',
  'editor',
  'lang',
  'quit',
];

test.skipIf(!HAS_TMUX)(
  'init → menu → read → verify → hint → solution → pass → picker → watch → quit',
  { timeout: 120_000 },
  async () => {
    const t = Terminal.start(`sl-path-${process.pid}`, dir, `node ${CLI}`, { NO_COLOR: '1', PAGER: 'cat' });
    term = t;
    const pick = async (entry: string) => {
      await t.waitFor(/What next\?[\s\S]*navigate/);
      const before = t.count(/What next\?/);
      t.keys(...Array(MENU.indexOf(entry)).fill('Down'), 'Enter');
      return before;
    };
    const ws = join(dir, 'socketlings');

    await t.waitFor(/Create one in \.\/socketlings\?/);
    t.keys('Enter');
    await t.waitFor(/Created socketlings with \d+ exercises/);

    // Read the current lesson (the list opens on it).
    await pick('read');
    await t.waitFor(/Read a lesson[\s\S]*1\. Sockets/);
    t.keys('Enter');
    await t.waitFor(/Lesson 1: Sockets[\s\S]*Check yourself/);
    // The answers stay hidden in the lesson; the quiz asks, then shows each answer after the learner's.
    expect(t.screen()).toContain('The answers are hidden');
    expect(t.screen()).not.toContain('its address is a file');
    await t.waitFor(/Check yourself now\? 4 questions/);
    t.keys('Enter');
    await t.waitFor(/Question 1 of 4[\s\S]*Your answer \(Enter to skip\)/);
    t.keys('one host only, a path', 'Enter');
    await t.waitFor(/The answer:\n.*its address is a file[\s\S]*Did you have it right\?/);
    t.keys('y', 'Enter');
    for (const n of [2, 3, 4]) {
      await t.waitFor(new RegExp(`Question ${n} of 4[\\s\\S]*Your answer`));
      t.keys('Enter'); // skipped: the answer is shown all the same
    }
    await t.waitFor(/Skipped: counted as not yet known\.[\s\S]*You had 1 of 4 right\. Kept in your progress/);

    // Verify the untouched stub: it fails, with the reason.
    let before = await pick('verify');
    await t.waitForMore(/What next\?/, before);
    expect(t.screen()).toMatch(/✗ connects to the server[\s\S]*failed · 0 of \d+ checks passed/);

    before = await pick('hint');
    await t.waitFor(/hint 1 of 3:/);

    // The learner writes a working program; verify passes and says what is next.
    copyFileSync(
      join(ROOT, 'lessons/01-sockets/first-contact/solution/first_contact.py'),
      join(ws, '01-sockets', 'first_contact.py'),
    );
    before = await pick('verify');
    await t.waitFor(/first-contact is done\. Next: socketlings verify stream-vs-dgram/);

    // The picker shows the marks and opens on the current exercise; Enter shows it, fitted to the screen.
    await pick('lessons');
    await t.waitFor(
      /1 of \d+ exercises done\. Pick a lesson[\s\S]*✓ first-contact[\s\S]*❯ +▶ stream-vs-dgram/,
    );
    t.keys('Enter');
    await t.waitFor(
      /stream-vs-dgram — [\s\S]*Edit this file: socketlings\/02-types\/stream_vs_dgram\.py[\s\S]*Verify it now/,
    );

    // Watch mode from there: it verifies the current exercise at once (the stub fails), then again on a save.
    t.keys('Down', 'Enter');
    await t.waitFor(/stream-vs-dgram — [\s\S]*failed ·[\s\S]*n next · h hint/);
    copyFileSync(
      join(ROOT, 'lessons/02-types/stream-vs-dgram/solution/stream_vs_dgram.py'),
      join(ws, '02-types', 'stream_vs_dgram.py'),
    );
    await t.waitFor(/stream-vs-dgram is done\./);
    t.keys('q');
    await pick('quit');
    await t.waitFor(/EXIT=0/);

    const progress = JSON.parse(readFileSync(join(ws, '.socketlings', 'progress.json'), 'utf8'));
    expect(Object.keys(progress.exercises).sort()).toEqual(['first-contact', 'stream-vs-dgram']);
    expect(progress.hints['first-contact']).toBe(1);
    expect(progress.quiz.sockets).toMatchObject({ right: [1], total: 4 });
  },
);
