// Ctrl+C and SIGTERM at several moments of verify and of an unsandboxed grade: exit 130 / 143, and nothing left:
// no run folder in $TMPDIR (each case has its own), no program, no report saved as the student's failure.
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { cli, processesMentioning, ROOT } from './helpers.js';
import { needs, signals, unixSockets } from './needs.js';

const dir = mkdtempSync(join(tmpdir(), 'sl-intr-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const EXERCISES = {
  'send-all': { lesson: '05-receiving', file: 'send_all.py' },
  'unix-echo': { lesson: '09-beyond-ipv4', file: 'unix_echo.py' },
} as const;
type Id = keyof typeof EXERCISES;

/** When to signal: right after start-up, as soon as the run folder exists (the program is starting), and later. */
const MOMENTS = [
  { name: 'early', afterSpawnMs: 250 },
  { name: 'during readiness', afterFolderMs: 0 },
  { name: 'mid-run', afterFolderMs: 100 },
] as const;
type Moment = (typeof MOMENTS)[number];

let n = 0;

/** A private TMPDIR and a private copy of the reference solution (so its processes can be told apart). */
function setup(id: Id): { tmp: string; work: string; file: string } {
  const work = join(dir, `case-${++n}`);
  const tmp = join(work, 'tmp');
  mkdirSync(tmp, { recursive: true });
  const { lesson, file } = EXERCISES[id];
  const mine = join(work, file);
  copyFileSync(join(ROOT, 'lessons', lesson, id, 'solution', file), mine);
  return { tmp, work, file: mine };
}

/** Sends `sig` at `moment`; resolves with the run. */
async function interruptOnce(args: string[], cwd: string, tmp: string, sig: NodeJS.Signals, moment: Moment) {
  let timer: NodeJS.Timeout | undefined;
  let sent = false;
  let missed = false;
  const runFolder = () => readdirSync(tmp).some((f) => f.startsWith('sl-'));
  const r = await cli(args, {
    cwd,
    env: { TMPDIR: tmp },
    timeoutMs: 60_000,
    onSpawn: (pid) => {
      const fire = () => {
        sent = true;
        process.kill(pid, sig);
      };
      if ('afterSpawnMs' in moment) {
        timer = setTimeout(fire, moment.afterSpawnMs);
        return;
      }
      timer = setInterval(() => {
        if (runFolder()) {
          clearInterval(timer);
          // The run must still be going when the signal goes: on a busy machine this timer can fire after the
          // run has removed its folder and is leaving, and a signal then is not one sent mid-run.
          timer = setTimeout(() => {
            if (runFolder()) fire();
            else missed = true;
          }, moment.afterFolderMs);
        }
      }, 5);
    },
  });
  clearInterval(timer);
  clearTimeout(timer);
  return { ...r, sent, missed };
}

/**
 * `interruptOnce`, run again (on a fresh case from `fresh`) when this machine made it miss its moment: the run had
 * ended before the signal could be sent within it. Three misses in a row fail the test.
 */
async function interrupt(
  fresh: () => { args: string[]; cwd: string; tmp: string },
  sig: NodeJS.Signals,
  moment: Moment,
) {
  for (let attempt = 1; ; attempt++) {
    const c = fresh();
    const r = await interruptOnce(c.args, c.cwd, c.tmp, sig, moment);
    if (!r.missed || attempt === 3) return { ...r, tmp: c.tmp };
  }
}

describe.each(['SIGINT', 'SIGTERM'] as const)('%s', needs(signals(), unixSockets()), (sig) => {
  const code = sig === 'SIGINT' ? 130 : 143;

  test.each((Object.keys(EXERCISES) as Id[]).flatMap((id) => MOMENTS.map((m) => [id, m.name, m] as const)))(
    'verify %s, %s: exit code, no run folder, no process',
    async (id, _name, moment) => {
      let file = '';
      const r = await interrupt(
        () => {
          const c = setup(id);
          file = c.file;
          return { args: ['verify', id, '--file', c.file], cwd: c.work, tmp: c.tmp };
        },
        sig,
        moment,
      );
      const tmp = r.tmp;
      expect(r.sent, `the run ended before the signal, three times: ${r.stdout}`).toBe(true);
      // Signalled before socketlings had its handlers (possible only at the early moment), the default action
      // ends it: the same status for a shell, and nothing was started. Once the run folder exists the handlers
      // are in place (they come first), and the exit code is the contract.
      if (moment.name === 'early' && r.signal !== null) expect(r.signal).toBe(sig);
      else expect([r.code, r.signal], r.stderr).toEqual([code, null]);
      expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
      expect(readdirSync(tmp)).toEqual([]);
      expect(processesMentioning(file)).toEqual([]);
    },
  );

  test.each(MOMENTS.slice(1).map((m) => [m.name, m] as const))(
    'grade (unsandboxed), %s: no report is written for the interrupted student',
    async (_name, moment) => {
      let work = '';
      const r = await interrupt(
        () => {
          const c = setup('send-all');
          work = c.work;
          mkdirSync(join(c.work, '05-receiving'));
          copyFileSync(c.file, join(c.work, '05-receiving', 'send_all.py'));
          writeFileSync(
            join(c.work, 'a.yaml'),
            'format: 1\ntitle: w\nexercises: [{ id: send-all }, { id: unix-echo }]\n',
          );
          const args = ['grade', '--no-sandbox', '--assignment', 'a.yaml'];
          return {
            args: [...args, '--reporter', 'json,junit,classroom', '--out', 'out'],
            cwd: c.work,
            tmp: c.tmp,
          };
        },
        sig,
        moment,
      );
      const tmp = r.tmp;
      expect(r.sent, `the run ended before the signal, three times: ${r.stdout}`).toBe(true);
      expect(r.code, r.stderr).toBe(code);
      expect(readdirSync(tmp)).toEqual([]);
      expect(existsSync(join(work, 'out'))).toBe(false);
      expect(r.stdout).not.toMatch(/points=|result=/);
      expect(processesMentioning(join(work, '05-receiving'))).toEqual([]);
    },
  );
});
