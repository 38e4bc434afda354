// The learner's small commands: init, progress, hint, solution, reset.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { checkCiFree, parseSource, type Source, workflowPlace, writeCi } from '../../app/ci.js';
import { pick } from '../../app/course.js';
import { EXIT, UserError } from '../../app/errors.js';
import { checkInitTarget, GUIDE_BESIDE_README, initWorkspace } from '../../app/init.js';
import { workspaceRootOf } from '../../app/locate.js';
import { isDone } from '../../app/progress.js';
import { packageRoot, packSelf, provenance } from '../../app/release.js';
import { mustFindExercise, mustLoadHints, openCourse } from '../../app/select.js';
import { current, fileOf, nextHint, resetExercise, type Session, solutionText } from '../../app/session.js';
import { confirm } from '../../ui/ask.js';
import { say, widthOf } from '../../ui/fit.js';
import { hintLines } from '../../ui/hint-view.js';
import { uiText } from '../../ui/i18n.js';
import { progressJson, renderProgress } from '../../ui/progress-view.js';
import { styleFor } from '../../ui/style.js';
import { cliCommand } from '../../wire/invocation.js';
import type { CommandContext } from '../context.js';
import { sessionFor } from '../session.js';
import { version } from '../version.js';

/**
 * Where the CI workflow gets socketlings when `--from` does not say: this version from the registry when it is
 * published there, else a packed copy of this build (in `tmp`, copied into the repository by writeCi). Decided
 * before anything is written, so a failure leaves nothing half made.
 */
function ciSource(
  ctx: CommandContext,
  tmp: () => string,
): { source: Source; note: (files: string[]) => string } {
  const t = uiText(ctx.lang);
  const root = packageRoot();
  const p = provenance(root, version());
  if (p.published)
    return { source: { kind: 'npm', spec: `socketlings@${p.version}` }, note: () => t.ciPinned(p.version) };
  const packed = packSelf(root, tmp());
  if ('error' in packed) throw new UserError(t.ciPackFailed(packed.error), t.ciPackNext);
  const source = parseSource(packed.file, ctx.cwd) as Source;
  const why =
    p.why === 'source'
      ? t.ciWhy.source(p.detail)
      : p.why === 'tarball'
        ? t.ciWhy.tarball(p.detail)
        : p.why === 'no-answer'
          ? t.ciWhy.noAnswer(p.detail)
          : t.ciWhy.notOnRegistry;
  const kib = Math.round(statSync(packed.file).size / 1024);
  return {
    source,
    note: (files) =>
      t.ciVendored(p.version, why, files.find((f) => f.endsWith(basename(packed.file))) ?? packed.file, kib),
  };
}

export async function init(
  ctx: CommandContext,
  dir: string | undefined,
  o: { ci?: string | undefined; from?: string | undefined } = {},
): Promise<number> {
  const t = uiText(ctx.lang);
  if (o.ci !== undefined && o.ci !== 'github') throw new UserError(t.badCi(o.ci));
  if (o.from !== undefined && !o.ci) throw new UserError(t.fromWithoutCi, t.fromNext);
  const given = o.from === undefined ? undefined : parseSource(o.from, ctx.cwd);
  if (o.from !== undefined && !given) throw new UserError(t.badFrom(o.from), t.fromNext);
  const course = openCourse(ctx);
  // Where the files go, checked before anything is packed or written.
  const here = workspaceRootOf(ctx.cwd);
  const onlyCi = Boolean(o.ci && !dir && here);
  if (onlyCi) checkCiFree(here as string);
  else checkInitTarget({ cwd: ctx.cwd, dir: dir ?? 'socketlings', lang: ctx.lang });
  let tmp: string | undefined;
  try {
    const chosen =
      o.ci && !given ? ciSource(ctx, () => (tmp ??= mkdtempSync(join(tmpdir(), 'sl-pack-')))) : undefined;
    const source = given ?? chosen?.source;
    // Paths as seen from where the command runs.
    const tell = (root: string, files: string[]) => {
      const shown = files.map((f) => relative(ctx.cwd, join(root, f)));
      for (const f of shown) say(ctx.out, t.wrote(f));
      if (chosen) say(ctx.out, chosen.note(shown));
      const place = workflowPlace(root);
      if (place.folder) say(ctx.out, t.ciAtRepoRoot(relative(ctx.cwd, join(root, place.rel)), place.folder));
    };
    // In an existing workspace, --ci only adds the CI files.
    if (onlyCi) {
      tell(here as string, writeCi(here as string, course, version(), source));
      return EXIT.ok;
    }
    const target = dir ?? 'socketlings';
    const r = initWorkspace({ course, coursePath: ctx.course, dir: target, cwd: ctx.cwd, lang: ctx.lang });
    say(ctx.out, t.initDone(relative(ctx.cwd, r.workspace.root) || '.', course.exercises.length));
    for (const f of r.kept) say(ctx.out, t.kept(f, f === 'README.md' ? GUIDE_BESIDE_README : undefined));
    if (o.ci) tell(r.workspace.root, writeCi(r.workspace.root, course, version(), source));
    say(ctx.out, t.initNext(target, cliCommand()));
    return EXIT.ok;
  } finally {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  }
}

export async function progress(ctx: CommandContext, o: { json?: boolean | undefined }): Promise<number> {
  const s = sessionFor(ctx);
  const cur = current(s);
  const questions = await questionCounts(ctx, s);
  if (o.json)
    ctx.out.write(
      `${JSON.stringify(progressJson(s.course, s.progress, cur?.id, ctx.lang, questions), null, 2)}\n`,
    );
  else
    ctx.out.write(
      renderProgress(s.course, s.progress, cur?.id, ctx.lang, styleFor(ctx.out), {
        width: widthOf(ctx.out),
        questions,
      }),
    );
  return EXIT.ok;
}

/** How many check-yourself questions each lesson has (a lesson whose text cannot be read counts none). */
export async function questionCounts(ctx: CommandContext, s: Session): Promise<Record<string, number>> {
  const { questionCount } = await import('./quiz.js');
  const out: Record<string, number> = {};
  for (const l of s.course.lessons) out[l.id] = await questionCount(ctx, s.course, l).catch(() => 0);
  return out;
}

export async function hint(ctx: CommandContext, id: string | undefined): Promise<number> {
  const t = uiText(ctx.lang);
  const st = styleFor(ctx.out);
  const inWorkspace = (() => {
    try {
      return sessionFor(ctx);
    } catch (err) {
      if (err instanceof UserError) return undefined;
      throw err;
    }
  })();
  const course = inWorkspace?.course ?? openCourse(ctx);
  const key = id ?? (inWorkspace ? current(inWorkspace)?.id : undefined);
  if (!key) throw new UserError(t.whichExercise('hint'));
  const ex = mustFindExercise(course, key, ctx.lang);
  if (!inWorkspace) {
    const all = mustLoadHints(ex, course, ctx.lang, ctx.cwd);
    const hints = all[ctx.lang] ?? pick(all, ctx.lang, course.languages) ?? [];
    say(ctx.out, `${st.bold(t.hintOf(1, hints.length))}${t.colon}${hints[0] ?? ''}`);
    say(ctx.out, st.dim(t.hintOutside(hints.length)));
    return EXIT.ok;
  }
  const { shown, total } = nextHint(inWorkspace, ex, ctx.lang);
  for (const line of hintLines(shown, total, ex.id, t, st)) say(ctx.out, line);
  return EXIT.ok;
}

export async function solution(
  ctx: CommandContext,
  id: string,
  o: { yes?: boolean | undefined },
): Promise<number> {
  const t = uiText(ctx.lang);
  const s = sessionFor(ctx);
  const ex = mustFindExercise(s.course, id, ctx.lang);
  if (!isDone(s.progress, ex.id) && !o.yes) {
    const ok = await confirm(t.solutionNotYet);
    if (ok === undefined) throw new UserError(t.solutionNeedsYes);
    if (!ok) {
      say(ctx.out, t.cancelled);
      return EXIT.ok;
    }
  }
  // The code as it is: a wrapped line of code is another program.
  ctx.out.write(`${styleFor(ctx.out).dim(`# ${relative(ctx.cwd, ex.solutionPath)}`)}\n${solutionText(ex)}`);
  return EXIT.ok;
}

export async function reset(
  ctx: CommandContext,
  id: string | undefined,
  o: { all?: boolean; yes?: boolean },
): Promise<number> {
  const t = uiText(ctx.lang);
  const s = sessionFor(ctx);
  // Without an id: the current exercise, as for verify and hint.
  const key = id ?? current(s)?.id;
  if (!key && !o.all) throw new UserError(t.whichExercise('reset'), t.orAll);
  const targets = o.all ? s.course.exercises : [mustFindExercise(s.course, key as string, ctx.lang)];
  const what = o.all ? t.resetAllWhat : relative(ctx.cwd, fileOf(s, targets[0] as (typeof targets)[number]));
  if (!o.yes) {
    const ok = await confirm(t.resetConfirm(what));
    if (ok === undefined) throw new UserError(t.resetNeedsYes);
    if (!ok) {
      say(ctx.out, t.cancelled);
      return EXIT.ok;
    }
  }
  for (const ex of targets) resetExercise(s, ex);
  say(ctx.out, t.resetDone(what));
  return EXIT.ok;
}
