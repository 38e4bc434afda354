// Other programs for each exercise (test/fixtures/exercises/<id>/pass_*.py and fail_*.py), graded by the CLI:
// every correct style passes, every wrong program fails with the message its "# expect:" line names, and nothing
// of it survives. The exercises are dealt into three parts, one per test file, so that three workers share them;
// on Linux each part also runs in the portable mode (macOS's and Windows' way), in files of their own: every
// correct program (one must pass everywhere), and the wrong ones whose message is about what the portable way
// finds out differently (PORTABLE_DIFFERS). The hosted workflow's macOS and Windows jobs run all of them that way.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { loadCourse } from '../src/app/course.js';
import { Grader } from '../src/grading/schema/grader.js';
import { fixture, MODES, processesMentioning, ROOT, type VerifyJson, verifyDecided } from './helpers.js';
import { fork, ipv6, type Need, needs, posixSockets, signals, unixSockets } from './needs.js';

const v6 = await ipv6();
const loaded = loadCourse(ROOT, ROOT);
if (!loaded.ok) throw new Error('the built-in course does not load');
const course = loaded.value;

/**
 * What an exercise needs from the machine, read from its grader (as the grader skips an exercise where one is
 * missing): AF_UNIX endpoints, IPv6 loopback, POSIX signals it sends.
 */
function exerciseNeeds(id: string): Need[] {
  const path = course.exercises.find((e) => e.id === id)?.graderPath;
  if (!path) throw new Error(`test/fixtures/exercises/${id}: no exercise ${id} in the course`);
  const g = Grader.parse(parse(readFileSync(path, 'utf8')));
  const eps = Object.values(g.endpoints);
  return [
    posixSockets(),
    ...(eps.some((e) => e.transport === 'unix') ? [unixSockets()] : []),
    ...(eps.some((e) => e.family === 'ipv6' || e.one_family || e.dual_stack) ? [v6] : []),
    ...(g.checks.some((c) => c.steps.some((st) => st.do === 'signal')) ? [signals()] : []),
  ];
}

export const PARTS = 3;

/**
 * A wrong program's expected message about what the portable way learns without the kernel's tables: that the
 * program listens or binds (the launcher's reports), how it ended and what it left running (the process tree, not
 * /proc), what it left unread, and the states of its sockets.
 */
const PORTABLE_DIFFERS =
  /listen|bind|exited|ended|crash|fork|still running|start|did not connect|socket file|killed|signal|unread|drain|states?|CLOSE_WAIT/i;

/** Is this fixture graded in `mode`? Linux's own way grades them all; the portable copy those it differs on. */
function gradedIn(mode: (typeof MODES)[number], path: string): boolean {
  if (mode === MODES[0] || /\/pass_[^/]*\.py$/.test(path)) return true;
  const expected = /^# expect: (.+)$/m.exec(readFileSync(path, 'utf8'))?.[1] ?? '';
  return PORTABLE_DIFFERS.test(expected);
}

/**
 * `mode`: MODES' first (Linux's own way) unless given. Another mode grades its own copy of each program, so that
 * "nothing of it survives" looks only at its own run while both modes run at once.
 */
export function otherPrograms(part: number, mode = MODES[0] as (typeof MODES)[number]): void {
  const dir = fixture('exercises');
  const all = existsSync(dir) ? readdirSync(dir).sort() : [];
  const exercises = all.filter((_, i) => i % PARTS === part);
  const own = mode === MODES[0] ? undefined : mkdtempSync(join(tmpdir(), `sl-programs-${mode.name}-`));
  if (own) afterAll(() => rmSync(own, { recursive: true, force: true }));
  describe.concurrent(`other programs for each exercise (${mode.name}, part ${part + 1} of ${PARTS})`, () => {
    for (const id of exercises) {
      const need = exerciseNeeds(id);
      for (const file of readdirSync(join(dir, id)).filter(
        (f) => /^(pass|fail)_.*\.py$/.test(f) && gradedIn(mode, join(dir, id, f)),
      )) {
        // A program that forks (a server per client, a daemon) needs fork() too.
        const forks = /\bos\.fork\(/.test(readFileSync(join(dir, id, file), 'utf8'));
        test(`${id}: ${file}`, needs(...need, ...(forks ? [fork()] : [])), async () => {
          let path = join(dir, id, file);
          if (own) {
            mkdirSync(join(own, id), { recursive: true });
            copyFileSync(path, join(own, id, file));
            path = join(own, id, file);
          }
          // A fixture whose failure depends on the seeded inputs pins its seed with a "# seed: N" line.
          const seed = /^# seed: (\d+)$/m.exec(readFileSync(path, 'utf8'))?.[1];
          const { run: r, result: json } = await verifyDecided(
            [id, '--json', '--file', path, ...(seed ? ['--seed', seed] : [])],
            { timeoutMs: 60_000, env: mode.env },
          );
          expect(r.stdout, `exit ${r.code ?? r.signal}: ${r.stderr}`).not.toBe('');
          const result = json as VerifyJson;
          const want = file.startsWith('pass_') ? 'pass' : 'fail';
          const failing = result.checks.find((c: { status: string }) => c.status === 'fail');
          expect(result.status, failing ? `${failing.id}: ${failing.message}` : r.stderr).toBe(want);
          if (want === 'fail') {
            if (!failing) throw new Error(`${file}: judged "fail" with no failing check: ${r.stdout}`);
            expect(failing.message.length).toBeGreaterThan(20);
            // The message it must get: a "# expect: <regex>" line, matched against the failing check's id,
            // message, expected/actual and hint.
            const expected = /^# expect: (.+)$/m.exec(readFileSync(path, 'utf8'))?.[1];
            expect(expected, `${file} has no "# expect:" line`).toBeDefined();
            const shown = [failing.id, failing.message, failing.expected, failing.actual, failing.hint].join(
              '\n',
            );
            expect(shown).toMatch(new RegExp(expected as string));
          }
          expect(processesMentioning(path)).toEqual([]);
        });
      }
    }
  });
}
