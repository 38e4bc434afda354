// `socketlings peer <exercise>`: the exercise's reference peer on fixed ports, printing what it sees, so a learner
// can run their program by hand against it.
import { pick } from '../../app/course.js';
import { UserError } from '../../app/errors.js';
import { parseSeed } from '../../app/grade.js';
import { appText } from '../../app/messages.js';
import { mustFindExercise, mustLoadGrader, openCourse } from '../../app/select.js';
import { runScenario } from '../../grading/engine.js';
import { freshSeed } from '../../grading/rng.js';
import { makeVar } from '../../grading/vars.js';
import { fitText, say, widthOf } from '../../ui/fit.js';
import { uiText } from '../../ui/i18n.js';
import { renderResult, transcriptLine } from '../../ui/report.js';
import { styleFor } from '../../ui/style.js';
import { liveWire } from '../../ui/wire-call.js';
import { LOOPBACK_BROADCAST } from '../../wire/caps.js';
import { portIsFree } from '../../wire/ports.js';
import type { CommandContext } from '../context.js';
import { exitFor } from './verify.js';

export async function peer(
  ctx: CommandContext,
  id: string,
  o: { port: string; seed?: string | undefined; wire?: boolean | undefined },
): Promise<number> {
  const t = appText(ctx.lang);
  if (!/^\d+$/.test(o.port) || Number(o.port) < 1 || Number(o.port) > 65535)
    throw new UserError(t.badPort(o.port));
  const port = Number(o.port);
  const course = openCourse(ctx);
  const exercise = mustFindExercise(course, id, ctx.lang);
  const s = styleFor(ctx.out);
  const ui = uiText(ctx.lang);
  const grader = mustLoadGrader(exercise, ctx, course.root);
  const seed = parseSeed(o.seed, ctx.lang) ?? freshSeed();
  // An endpoint whose `open_if` var leaves it out this seed has nobody listening, as the run will have it.
  const closedThisRun = (ep: (typeof grader.endpoints)[string], name: string) => {
    const v = ep.open_if === undefined ? undefined : grader.vars[ep.open_if];
    return (
      v !== undefined &&
      !String(makeVar(seed, ep.open_if as string, v))
        .split(/\s+/)
        .includes(name)
    );
  };
  // Every endpoint on its own fixed port (main first), as runScenario assigns them in peer mode.
  const where = Object.entries(grader.endpoints).map(([name, ep], i) => {
    const host = ep.broadcast ? LOOPBACK_BROADCAST : ep.family === 'ipv6' ? '[::1]' : 'localhost';
    const at =
      ep.transport === 'unix'
        ? name === 'main'
          ? 'socketlings.sock'
          : `${name}.sock`
        : `${host}:${port + i}`;
    const env = name === 'main' ? 'SOCKETLINGS' : `SOCKETLINGS_${name.toUpperCase().replace(/-/g, '_')}`;
    const what =
      ep.owner === 'peer' && !closedThisRun(ep, name)
        ? ui.peerListening(at)
        : ep.owner === 'program'
          ? ui.peerConnecting(at)
          : `${at}: closed`;
    return `${what} (${ep.transport}${ep.family === 'ipv6' ? ' ipv6' : ''}, ${env}_${ep.transport === 'unix' ? 'PATH' : 'PORT'})`;
  });
  // A busy port is said alone, before "ready … start your program now" could tell the learner to go ahead.
  const ours = Object.entries(grader.endpoints).map(([name, ep], i) => ({ name, ep, at: port + i }));
  for (const { name, ep, at } of ours) {
    if (ep.owner !== 'peer' || ep.transport === 'unix' || closedThisRun(ep, name)) continue;
    const family = ep.family === 'ipv6' ? 'ipv6' : 'ipv4';
    if (!(await portIsFree(at, family, ep.transport)))
      throw new UserError(t.portBusy(at), t.portBusyNext(at));
  }
  say(ctx.out, `${s.bold(exercise.id)} ${s.dim('—')} ${ui.peerWaiting(where.join('; '))}`);
  // --wire: the diagram drawn live, with the kernel's states of the learner's sockets as they change.
  const live = o.wire ? liveWire(ctx.out, s, ctx.lang) : undefined;
  let result: Awaited<ReturnType<typeof runScenario>>;
  try {
    result = await runScenario({
      exercise: exercise.id,
      grader,
      seed,
      lang: ctx.lang,
      basePort: port,
      onEvent: live
        ? (e) => {
            // The row first: a state it explains goes on the lane this row adds.
            ctx.out.write(live.view.event(e));
            live.states.onEvent(e);
          }
        : (e) => ctx.out.write(`${fitText(`  ${transcriptLine(e, s, ctx.lang)}`, widthOf(ctx.out), 4)}\n`),
    });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new UserError(t.portBusy(port), t.portBusyNext(port));
    throw err;
  } finally {
    await live?.states.finish([]);
    live?.stop();
  }
  ctx.out.write(
    `\n${renderResult(result, pick(exercise.titles, ctx.lang, course.languages) ?? id, s, ctx.lang, { width: widthOf(ctx.out) })}`,
  );
  // What could not be seen by hand is no pass: a program that crashed after its last byte looks the same here.
  const unseen = result.checks.filter((c) => c.unobserved).length;
  if (unseen && result.status !== 'fail' && result.status !== 'error') {
    say(ctx.out, ui.peerUnobserved(unseen, exercise.id));
    return exitFor('fail');
  }
  return exitFor(result.status);
}
