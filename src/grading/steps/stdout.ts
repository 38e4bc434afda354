// The `expect_stdout` step: a line on the program's standard output, where it is expected, and when.

import { udpUnread } from '../../wire/listening.js';
import { GraderError, type RunContext, StepFail } from '../context.js';
import { graderWasQuiet, lineTiming, starvation } from '../fairness.js';
import { peerMessages } from '../messages-peers.js';
import { quote } from '../quote.js';
import { type AnyStep, type Family, type StepEnv, type StepOf, undecidable, within } from './common.js';

async function expectStdout(env: StepEnv, step: StepOf<'expect_stdout'>): Promise<void> {
  const { ctx, local } = env;
  const prog = ctx.program;
  if (!prog) throw new GraderError('no program');
  const from = step.since ? ctx.marks.get(step.since) : Date.now();
  const schedFrom = step.since
    ? ctx.fair.atMark.get(step.since)
    : step.not_after !== undefined
      ? ctx.fair.snapshot()
      : undefined;
  if (from === undefined) throw new GraderError(`no mark named "${step.since}"`);
  const deadline = ctx.deadline(step.within, from);
  const want = step.line !== undefined ? ctx.template(step.line, local) : undefined;
  const re = step.regex !== undefined ? new RegExp(ctx.template(step.regex, local)) : undefined;
  const matches = (text: string) => (want !== undefined ? text === want : (re as RegExp).test(text));
  // Lines are searched from the cursor on, so a learner's own extra prints (a banner, debug output) do no harm.
  // With `next`, the first unread line (or the first one matching its pattern) must be the one; otherwise the
  // search goes on past other lines.
  const held =
    step.next === false
      ? undefined
      : step.next === true
        ? /(?:)/
        : new RegExp(ctx.template(step.next, local));
  const firstHeld = () =>
    prog.stdout().findIndex((l, i) => i >= ctx.stdoutCursor && (held as RegExp).test(l.text));
  const find = () => {
    const lines = prog.stdout();
    if (held) {
      const i = firstHeld();
      return i >= 0 && matches((lines[i] as { text: string }).text) ? i : -1;
    }
    for (let i = ctx.stdoutCursor; i < lines.length; i++)
      if (matches((lines[i] as { text: string }).text)) return i;
    return -1;
  };
  let at = find();
  // Whether the program works while its line is due (rule 7), seen while it runs: once it has ended, the kernel
  // no longer says what it and its children used.
  const workFrom =
    step.not_after === undefined
      ? undefined
      : step.not_after_since === undefined
        ? schedFrom
        : ctx.fair.atMark.get(step.not_after_since);
  let worked = false;
  // Each look reads the whole process table (the program's children included); none once the program has been
  // seen working.
  const watchWork = workFrom
    ? setInterval(() => {
        if (!ctx.fair.workedSince(workFrom)) return;
        worked = true;
        clearInterval(watchWork);
      }, 100)
    : undefined;
  // Wait while the program can still print. Its exit is not enough: the kernel reports it before the last lines
  // are out of the pipe, so the wait goes on until its output is complete.
  if (at < 0 && !prog.outputComplete) {
    let stop = () => {};
    const seen = new Promise<void>((resolve) => {
      const onLine = () => {
        if (find() >= 0) resolve();
      };
      prog.on('line', onLine);
      prog.on('exit', resolve);
      stop = () => {
        prog.off('line', onLine);
        prog.off('exit', resolve);
      };
    });
    await within(seen, deadline);
    stop();
    at = find();
  }
  if (watchWork) clearInterval(watchWork);
  if (workFrom && !worked && ctx.fair.workedSince(workFrom)) worked = true;
  const what = want !== undefined ? quote(want) : `/${re?.source}/`;
  if (at < 0) {
    const seen = prog
      .stdout()
      .slice(ctx.stdoutCursor)
      .map((l) => l.text);
    const earlier = prog
      .stdout()
      .slice(0, ctx.stdoutCursor)
      .some((l) => matches(l.text));
    if (!prog.running) await prog.exited;
    const instead = held ? prog.stdout()[firstHeld()]?.text : undefined;
    // A line still waiting for its newline (the program runs on): show it, and say what is missing.
    const partial = prog.running ? prog.partialStdout : '';
    const partialMatches = partial !== '' && matches(partial);
    const message =
      instead !== undefined
        ? ctx.msg.stdoutNotNext(quote(instead), what)
        : earlier
          ? ctx.msg.stdoutEarlier(what)
          : partialMatches
            ? ctx.msg.noNewlineStdout(what) + (ctx.python ? ctx.msg.printNewlineNote : '')
            : !prog.running
              ? ctx.msg.exitedWithoutPrinting(ctx.exitText() ?? '', what)
              : ctx.msg.noStdout(what, step.within);
    // Out of order: every line so far, in the order printed, so the learner sees which came first.
    const shown = (earlier ? prog.stdout().map((l) => l.text) : seen).slice(-8).map((l) => quote(l));
    if (partial) shown.push(ctx.msg.partialLine(quote(partial)));
    throw new StepFail({
      message,
      expected: what,
      actual: shown.length ? shown.join('\n') : ctx.msg.nothingShown,
      ...(seen.some((l) => l === "b''" || l === '')
        ? Object.values(ctx.grader.endpoints).every((e) => e.transport === 'udp')
          ? { emptyDatagram: true }
          : { peerClosed: true }
        : {}),
      toldExit: instead === undefined && !earlier && !partialMatches && !prog.running,
    });
  }
  const line = prog.stdout()[at] as { at: number; text: string };
  ctx.stdoutCursor = at + 1;
  // As it was when the line arrived (a guess may read its datagram afterwards), judged after the timing: a line
  // printed before the cause is that first.
  const unread =
    step.drained === undefined
      ? undefined
      : (ctx.unreadAtLine.get(line)?.get(step.drained) ?? unreadAt(ctx, step.drained));
  const judgeUnread = () => {
    if (unread && unread.bytes > 0)
      throw new StepFail({ message: ctx.msg.printedUnread(quote(line.text), unread.where) });
  };
  if (step.not_before === undefined && step.not_after === undefined) return judgeUnread();
  // From a second mark, later than `since`: the program's clock started somewhere between the two.
  const lateFrom = step.not_after_since === undefined ? from : ctx.marks.get(step.not_after_since);
  if (lateFrom === undefined) throw new GraderError(`no mark named "${step.not_after_since}"`);
  const seenAt = prog.startedAt + line.at;
  // Late may be the machine's doing: what the program waited for a CPU from the later mark on, as far as it was
  // not of its own making, is forgiven (fairness.ts, rule 7).
  const starvedMs =
    // Read now, never from an earlier look while it waited: the work it did since (children spinning to make
    // their own starvation) would not show, and its waits would excuse it. Once it has ended there are none.
    step.not_after === undefined ? 0 : starvation(workFrom, ctx.fair.snapshot());
  const t = lineTiming({
    seenAt,
    from,
    lateFrom,
    min: step.not_before === undefined ? undefined : ctx.seconds(step.not_before, local),
    max: step.not_after === undefined ? undefined : ctx.seconds(step.not_after, local),
    slack: step.slack * ctx.timeScale,
    starvedMs,
    ...(worked ? { programWorked: true } : {}),
  });
  if (t?.wrong === 'before-cause') throw new StepFail({ message: ctx.msg.stdoutBeforeCause });
  if (t?.wrong === 'early')
    throw new StepFail({ message: ctx.msg.stdoutTooEarly(t.printedAt, t.min, t.slack) });
  if (t?.wrong === 'undecidable') undecidable(env, ctx.msg.timingUndecidable(t.spread));
  if (t?.wrong === 'early-undecidable')
    undecidable(env, peerMessages(ctx.lang).earlyLineUndecidable(t.printedAt, t.hidden, t.min));
  if (t?.wrong === 'late-undecidable')
    undecidable(env, peerMessages(ctx.lang).lateLineUndecidable(t.printedAt, t.max, t.stalled));
  if (t?.wrong === 'late')
    throw new StepFail({ message: ctx.msg.stdoutTooLate(t.printedAt, t.max, t.allowed) });
  judgeUnread();
}

/** The program's UDP endpoints that some `expect_stdout` wants drained when its line comes. */
export function drainedEndpoints(checks: { steps: AnyStep[] }[]): string[] {
  const names = new Set<string>();
  const walk = (steps: AnyStep[]) => {
    for (const s of steps) {
      if (s.do === 'expect_stdout' && s.drained) names.add(s.drained);
      if (s.do === 'group') walk(s.steps);
    }
  };
  for (const c of checks) walk(c.steps);
  return [...names];
}

/** What the program's UDP socket at endpoint `name` holds unread now; undefined where that cannot be read. */
export function unreadAt(ctx: RunContext, name: string): { bytes: number; where: string } | undefined {
  const ep = ctx.endpoint(name);
  if (ep.def.transport !== 'udp' || ep.def.owner !== 'program' || ep.port === undefined)
    throw new GraderError(`drained: "${name}" is not a UDP endpoint of the program's`);
  const bytes = udpUnread(ep.port);
  return bytes === undefined ? undefined : { bytes, where: ctx.describe(ep) };
}

/**
 * A step failed whose program may rightly have acted because the grader went quiet (`grader_quiet`): if, before
 * its silence on purpose began (the step's `since` mark: a server that stops answering) and before the connection
 * ended, the grader had gone that long without writing there, the failure proves nothing (fairness.ts, rule 9).
 */
function excuseQuietGrader(
  env: StepEnv,
  quiet: { conn: string; for: number | string },
  since?: string,
): void {
  const { ctx } = env;
  const c = ctx.conn(quiet.conn, env.local);
  const until = Math.min(
    c.endedAt ?? Number.POSITIVE_INFINITY,
    (since === undefined ? undefined : ctx.marks.get(since)) ?? Number.POSITIVE_INFINITY,
    Date.now(),
  );
  const limit = ctx.seconds(quiet.for, env.local);
  const longest = graderWasQuiet(c, until, limit);
  if (longest !== undefined) undecidable(env, peerMessages(ctx.lang).quietGraderUndecidable(longest, limit));
}

export const stdoutSteps = {
  expect_stdout: {
    async run(env, step) {
      try {
        return await expectStdout(env, step);
      } catch (err) {
        if (err instanceof StepFail && step.grader_quiet)
          excuseQuietGrader(env, step.grader_quiet, step.since);
        throw err;
      }
    },
    evidence: { wire: false, byHand: 'unseen', behaviour: true },
  },
} satisfies Family;
