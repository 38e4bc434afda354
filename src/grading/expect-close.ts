// When a close came, for `expect` with `eof` and `not_before` (see the schema): a program that drops a connection
// it had to keep (a client still inside its idle time). The grader hears of a close only after it happened, so a
// close heard too early came too early. One heard in time proves it came in time only if this process was not
// stalled meanwhile for long enough to hide an early one. And the other way round (`grader_quiet`): a program
// that gave up because the grader itself fell silent for its timeout cannot be blamed for it.
import { worstStall } from '../wire/stalls.js';
import { GraderError, type Local, Retry, StepFail } from './context.js';
import { peerMessages } from './messages-peers.js';
import { round } from './score.js';
import type { StepEnv } from './steps.js';

/** Scheduling is never exact: a close this much before its time (× the time scale) still counts as on time. */
const SLACK_S = 0.1;

/** Long enough to reach back past the loop's last two ticks (10 ms apart) before the close was heard. */
const RECENT_MS = 30;

export function judgeCloseTime(
  env: StepEnv,
  step: { conn: string; not_before?: number | string | undefined; since?: string | undefined },
  local: Local,
): void {
  const { ctx } = env;
  if (step.not_before === undefined || step.since === undefined) return;
  const mark = ctx.marks.get(step.since);
  if (mark === undefined) throw new GraderError(`no mark named "${step.since}"`);
  const c = ctx.conn(step.conn, local);
  const heard = c.endedAt ?? Date.now();
  const min = ctx.seconds(step.not_before, local);
  const slack = SLACK_S * ctx.timeScale;
  const at = (heard - mark) / 1000;
  const m = peerMessages(ctx.lang);
  const who = ctx.who(c.name);
  if (at < min - slack) throw new StepFail({ message: m.closedTooEarly(who, round(at), min) });
  // Heard in time, but it may have come as early as the loop's last stall before it allows: the close arrived
  // after the last poll of the loop, which can be a whole stall before the tick that came just before it was heard.
  const hidden = worstStall(heard - RECENT_MS, heard) / 1000;
  if (at - hidden < min - slack) {
    if (env.mayRetry?.('timing')) throw new Retry('timing');
    throw new StepFail({ message: m.closeUndecidable(who) });
  }
}

/**
 * A step failed whose program may rightly have acted because the grader went quiet (`grader_quiet`): if, before
 * its silence on purpose began (the step's `since` mark: a server that stops answering) and before the connection
 * ended, the grader had gone that long without writing there, the failure proves nothing.
 */
export function excuseQuietGrader(
  env: StepEnv,
  quiet: { conn: string; for: number | string },
  since: string | undefined,
): void {
  const { ctx } = env;
  const c = ctx.conn(quiet.conn, env.local);
  const until = Math.min(
    c.endedAt ?? Number.POSITIVE_INFINITY,
    (since === undefined ? undefined : ctx.marks.get(since)) ?? Number.POSITIVE_INFINITY,
    Date.now(),
  );
  const times = [c.since, ...c.sentAt.filter((t) => t <= until), until];
  let longest = 0;
  for (let i = 1; i < times.length; i++)
    longest = Math.max(longest, (times[i] as number) - (times[i - 1] as number));
  const limit = ctx.seconds(quiet.for, env.local);
  if (longest / 1000 < limit) return;
  if (env.mayRetry?.('timing')) throw new Retry('timing');
  throw new StepFail({
    message: peerMessages(ctx.lang).quietGraderUndecidable(round(longest / 1000), limit),
  });
}
