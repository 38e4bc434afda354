// The one function that grades the learner's own exercise and records a pass (app/session.ts), as verify, the
// menu and watch mode all call it: the course pack it names, the time scale it reads, the pass it keeps, and a
// deleted file said with the way to put it back. Real gradings of real programs.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { UserError } from '../src/app/errors.js';
import { initWorkspace } from '../src/app/init.js';
import { openCourse } from '../src/app/select.js';
import { openSession, verifyInSession } from '../src/app/session.js';
import { cli, fixture, ROOT } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'sl-session-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A copy of the minimal pack, a workspace made from it, and the pack's grader broken afterwards. */
function brokenPack(name: string): { pack: string; ws: string } {
  const pack = join(dir, `${name}-pack`);
  cpSync(fixture('packs', 'minimal'), pack, { recursive: true });
  const course = openCourse({ course: pack, cwd: dir, lang: 'en' });
  initWorkspace({ course, coursePath: pack, dir: `${name}-ws`, cwd: dir, lang: 'en' });
  const grader = join(pack, 'graders', 'ping.yaml');
  writeFileSync(grader, readFileSync(grader, 'utf8').replace('{ do: start', '{ do: launch'));
  return { pack, ws: join(dir, `${name}-ws`) };
}

test('a broken --course pack is named as the learner named it, with the fix for a pack, not a reinstall', async () => {
  const { pack, ws } = brokenPack('course');
  for (const course of [pack, undefined]) {
    // With --course, and in a workspace that remembers the pack without it: the same words either way.
    const s = openSession({ cwd: ws, lang: 'en', course });
    const ex = s.course.exercises[0];
    if (!ex) throw new Error('the pack has no exercise');
    const err = await verifyInSession(s, ex, { lang: 'en', cwd: ws, course }).catch((e) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).message).toContain(`the course pack in ${course ?? pack} has 1 problem`);
    expect((err as UserError).next).toContain('socketlings dev check');
    expect((err as UserError).next).not.toContain('reinstall');
  }
});

test('verify on the command line says the same about a broken pack', async () => {
  const { pack, ws } = brokenPack('cli');
  const verify = await cli(['--course', pack, 'verify'], { cwd: ws });
  expect(verify.code).toBe(2);
  expect(verify.stderr).toContain(`the course pack in ${pack} has 1 problem`);
  expect(verify.stderr).not.toContain('reinstall');
});

test('SOCKETLINGS_TIME_SCALE reaches every grading the function does, the re-check of every exercise too', async () => {
  const ws = join(dir, 'scale');
  const course = openCourse({ cwd: dir, lang: 'en' });
  initWorkspace({ course, dir: 'scale', cwd: dir, lang: 'en' });
  const s = openSession({ cwd: ws, lang: 'en' });
  const ex = s.course.exercises.find((e) => e.id === 'first-contact');
  if (!ex) throw new Error('no first-contact');
  cpSync(
    join(ROOT, 'lessons/01-sockets/first-contact/solution/first_contact.py'),
    join(ws, '01-sockets/first_contact.py'),
  );
  const env = { SOCKETLINGS_TIME_SCALE: '3' };
  const current = await verifyInSession(s, ex, { lang: 'en', cwd: ws }, { env });
  expect(current.status).toBe('pass');
  expect(current.timeScale).toBe(3);
  const recheck = await verifyInSession(s, ex, { lang: 'en', cwd: ws }, { env, makeCurrent: false });
  expect(recheck.timeScale).toBe(3);
  expect((await verifyInSession(s, ex, { lang: 'en', cwd: ws }, { env: {} })).timeScale).toBeUndefined();
  await expect(
    verifyInSession(s, ex, { lang: 'en', cwd: ws }, { env: { SOCKETLINGS_TIME_SCALE: 'fast' } }),
  ).rejects.toThrow('SOCKETLINGS_TIME_SCALE must be a number');
  // The pass is kept, with when it first and last passed.
  const kept = JSON.parse(readFileSync(join(ws, '.socketlings', 'progress.json'), 'utf8'));
  expect(kept.exercises['first-contact'].status).toBe('done');
  expect(Date.parse(kept.exercises['first-contact'].last)).toBeGreaterThanOrEqual(
    Date.parse(kept.exercises['first-contact'].at),
  );
  // The pretty report says the scale it ran with.
  const r = await cli(['verify'], { cwd: ws, env: { SOCKETLINGS_TIME_SCALE: '2' } });
  expect(r.stdout).toMatch(/passed · .* · time scale 2 · /);
});

test('a deleted exercise file is said with the way to put it back', async () => {
  const ws = join(dir, 'deleted');
  const course = openCourse({ cwd: dir, lang: 'en' });
  initWorkspace({ course, dir: 'deleted', cwd: dir, lang: 'en' });
  rmSync(join(ws, '01-sockets', 'first_contact.py'));
  const s = openSession({ cwd: ws, lang: 'en' });
  const ex = s.course.exercises[0];
  if (!ex) throw new Error('no exercise');
  const err = await verifyInSession(s, ex, { lang: 'en', cwd: dir }).catch((e) => e);
  expect((err as UserError).message).toBe(
    'the file to grade does not exist: deleted/01-sockets/first_contact.py',
  );
  expect((err as UserError).next).toContain('socketlings reset first-contact');
});
