// Other programs for each exercise (test/fixtures/exercises/<id>/pass_*.py and fail_*.py), graded by the CLI:
// every correct style passes, every wrong program fails with the message its "# expect:" line names, and nothing
// of it survives. The exercises are dealt into three parts, one per test file, so that three workers share them.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { cli, fixture, processesMentioning } from './helpers.js';

export const PARTS = 3;

export function otherPrograms(part: number): void {
  const dir = fixture('exercises');
  const all = existsSync(dir) ? readdirSync(dir).sort() : [];
  const exercises = all.filter((_, i) => i % PARTS === part);
  describe.concurrent(`other programs for each exercise (part ${part + 1} of ${PARTS})`, () => {
    for (const id of exercises) {
      for (const file of readdirSync(join(dir, id)).filter((f) => /^(pass|fail)_.*\.py$/.test(f))) {
        test(`${id}: ${file}`, async () => {
          const path = join(dir, id, file);
          // A fixture whose failure depends on the seeded inputs pins its seed with a "# seed: N" line.
          const seed = /^# seed: (\d+)$/m.exec(readFileSync(path, 'utf8'))?.[1];
          const r = await cli(['verify', id, '--json', '--file', path, ...(seed ? ['--seed', seed] : [])], {
            timeoutMs: 60_000,
          });
          const result = JSON.parse(r.stdout);
          const want = file.startsWith('pass_') ? 'pass' : 'fail';
          const failing = result.checks.find((c: { status: string }) => c.status === 'fail');
          expect(result.status, failing ? `${failing.id}: ${failing.message}` : r.stderr).toBe(want);
          if (want === 'fail') {
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
