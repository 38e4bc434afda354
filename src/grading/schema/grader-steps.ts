// The grader language's other steps (see grader.ts): datagrams, the program's output, exit, signals and files,
// TLS, exchanges, marks, pauses, barriers and groups; and the union of every step.
import * as z from 'zod';
import {
  Matchers,
  oneMatcher,
  StepAccept,
  StepClose,
  StepConnect,
  StepExpect,
  StepHold,
  StepRelease,
  StepReset,
  StepSend,
  StepShutdown,
  StepStart,
  StepWaitSent,
} from './grader-stream.js';
import { Base, Data, Name, Seconds, SecondsOrTemplate } from './grader-values.js';

const StepSendto = z.strictObject({
  do: z.literal('sendto'),
  ...Base,
  /** Name of the peer's UDP socket; created on first use, bound to a fresh port. */
  from: Name,
  /** Endpoint to send to (owned by the program). */
  to: Name.default('main'),
  data: Data,
  after_ms: z.int().min(0).max(60_000).default(0),
  /**
   * This datagram must leave within this many ms of the previous `sendto` (after its `after_ms`): datagrams whose
   * pace is the evidence, such as a stream that keeps a wait that starts again with every datagram from ever
   * ending. Later (the grader held back by a busy machine), the pace is lost and proves nothing either way: the
   * run is repeated once, then failed as undecidable, never passed.
   */
  paced_ms: z.int().min(1).max(60_000).optional(),
});
const StepExpectDatagram = z
  .strictObject({
    do: z.literal('expect_datagram'),
    ...Base,
    /** A peer UDP socket name, or an endpoint owned by a peer. */
    on: Name.default('main'),
    within: Seconds.default(3),
    ...Matchers,
  })
  .superRefine(oneMatcher);
const StepLossy = z.strictObject({
  do: z.literal('lossy'),
  ...Base,
  /** Peer UDP socket or peer-owned endpoint whose traffic (both ways) is disturbed. */
  on: Name.default('main'),
  drop: z.number().min(0).max(0.9).default(0),
  duplicate: z.number().min(0).max(0.9).default(0),
  /** Share of datagrams held back and delivered after the next one. */
  reorder: z.number().min(0).max(0.9).default(0),
});
const StepRespond = z.strictObject({
  do: z.literal('respond'),
  ...Base,
  /** Peer-owned UDP endpoint that answers every datagram matching `match` by itself from now on. */
  on: Name.default('main'),
  /** Regular expression over the datagram as text. */
  match: z.string(),
  /** Reply template; $1, $2 … are the match's groups. */
  reply: z.string(),
  /**
   * Hold back the first copy of every new value (group 1): it is not counted, and instead of its own reply it
   * gets the previous reply again, a late duplicate as a real network delivers them (this text before there was
   * any reply). Only a copy sent again is answered and counted, so a sender that takes any answer for its
   * acknowledgement moves on before its message was accepted, however fast or slow the machine is. The late
   * duplicate is never lost or doubled by a lossy rule.
   */
  stale_first: z.string().optional(),
});
const StepExpectReceived = z.strictObject({
  do: z.literal('expect_received'),
  ...Base,
  /** Peer-owned UDP endpoint with a `respond` rule. */
  on: Name.default('main'),
  /** The distinct values of group 1 of the respond rule's match (the whole match without groups), in the order first answered. */
  values: z.array(z.string()),
  /** Wait this long for all of them to arrive. */
  within: Seconds.default(3),
  /** The values are the first ones accepted so far; more may follow (a check in the middle of a run). */
  prefix: z.boolean().optional(),
  /** A mark set to the moment the last of `values` was first accepted, for an `expect_stdout` `since`. */
  mark: Name.optional(),
});
const StepExpectStdout = z
  .strictObject({
    do: z.literal('expect_stdout'),
    ...Base,
    /** Exact line (template). */
    line: z.string().optional(),
    /** Regular expression the line matches. */
    regex: z.string().optional(),
    within: Seconds.default(3),
    /** The line must not come earlier than this many seconds after the mark (or the step's start). */
    not_before: SecondsOrTemplate.optional(),
    /** The line must not come later than this many seconds after the mark (or `not_after_since`). */
    not_after: SecondsOrTemplate.optional(),
    /**
     * Measure `not_after` from this mark instead. When the program's clock starts at a moment the grader cannot
     * see, `since` should be a mark just before it (the grader sent what the program reads first) and this one a
     * mark just after (the grader received what the program sends right before waiting). If the two are too far
     * apart to tell a wait from none (a very busy machine), the run is repeated once, and then failed as
     * undecidable with a message that says so.
     */
    not_after_since: Name.optional(),
    /**
     * Tolerance for not_before and not_after, in seconds: scheduling is never exact. The two times themselves are
     * not scaled by a time scale, since they describe the program (often a value it was handed); the scale
     * multiplies this slack instead, and the worst stall of the grader's own event loop while it measured is
     * added. `not_before: 0` is a matter of cause and gets no slack: the line must come after the mark.
     */
    slack: z.number().min(0).max(5).default(0.15),
    /** A `mark` step to measure `within` and `not_before` from. */
    since: Name.optional(),
    /**
     * Without it, other lines before the expected one are passed over (a banner, debug prints). `true`: the very
     * next line must be this one. A regular expression: the next line *matching it* must be this one, so a
     * repeated result line fails while a banner still does not.
     */
    next: z.union([z.boolean(), z.string()]).default(false),
    /**
     * A UDP endpoint of the program's: when the line is seen, its socket must hold nothing unread, so that the
     * line answers datagrams the program read rather than guesses at them (where the kernel's tables can be read).
     */
    drained: Name.optional(),
    /**
     * The program may rightly act (print this line, give up) once the grader has sent nothing on connection
     * `conn` for `for` seconds: a heartbeat the grader owed it came late. If the step fails and, before the
     * connection ended and before `since` (where the grader's silence on purpose begins, if it is one), the
     * grader had gone that long without writing there (a busy machine held it back), the run is repeated once,
     * then failed as undecidable, never passed.
     */
    grader_quiet: z.strictObject({ conn: Name, for: SecondsOrTemplate }).optional(),
  })
  .superRefine((v, ctx) => {
    if ((v.line === undefined) === (v.regex === undefined))
      ctx.addIssue({ code: 'custom', message: 'give exactly one of line, regex' });
  });
const StepExpectExit = z.strictObject({
  do: z.literal('expect_exit'),
  ...Base,
  /** Required exit code; leave out to accept any normal exit. */
  code: z.int().min(0).max(255).optional(),
  /** No line beyond those earlier steps expected (`true`), or none matching this regular expression. */
  no_more_stdout: z.union([z.boolean(), z.string()]).default(false),
  within: Seconds.default(3),
});
const StepExpectRunning = z.strictObject({
  do: z.literal('expect_running'),
  ...Base,
  /** Keep watching this long; the program must not exit meanwhile. */
  for: z.number().min(0).max(60).default(0),
});
const StepSignal = z.strictObject({
  do: z.literal('signal'),
  ...Base,
  signal: z.enum(['SIGINT', 'SIGTERM', 'SIGHUP']),
});
const StepExpectPath = z.strictObject({
  do: z.literal('expect_path'),
  ...Base,
  /** Template, usually {{main.path}}. */
  path: z.string(),
  exists: z.boolean(),
});
/**
 * On a peer-owned `tls` endpoint: the program must start a TLS handshake there and break it off (it refused the
 * certificate). Fails if it completes a handshake instead, or tries nothing within the budget.
 */
const StepExpectTlsRefused = z.strictObject({
  do: z.literal('expect_tls_refused'),
  ...Base,
  on: Name.default('main'),
  within: Seconds.default(5),
});
/**
 * A run of question and answer on a connection, timed: `count` times, the grader sends `ask` and expects `answer`
 * back. In both, {{token}} is a fresh seeded token each time (8 hex digits) and {{i}} the round (1, 2, …), so a
 * program cannot answer before it has read the question. An answer complete within `fast_ms` of its question is
 * fast; at least `at_least` must be. Made for Nagle's algorithm: a program that writes its answer in two small
 * pieces without TCP_NODELAY sends the second only once the first is acknowledged, and the grader's kernel delays
 * that acknowledgement (40 ms on Linux), so such an answer is never fast, however fast the machine. An answer is
 * timed as the grader sees it, which is only ever later than it came; a slow one that the grader's own stalls or
 * the program's waits for a CPU could explain counts neither way, and the grader asks again (up to `count` more
 * times) until enough answers are judged. More than `count - at_least` slow ones with no such excuse: failed;
 * still too few fast ones after that: the run is repeated once, then failed as undecidable, never passed.
 * `fast_ms` is not scaled by the time scale: the delay it catches is the same on a slow machine.
 */
const StepExchange = z
  .strictObject({
    do: z.literal('exchange'),
    ...Base,
    conn: Name,
    count: z.int().min(1).max(200),
    ask: Data,
    answer: Data,
    fast_ms: z.int().min(1).max(1000).default(20),
    at_least: z.int().min(1),
    /** Budget for each answer. */
    within: Seconds.default(3),
  })
  .refine((v) => v.at_least <= v.count, { message: 'at_least cannot be more than count' });
const StepMark = z.strictObject({ do: z.literal('mark'), ...Base, name: Name });
const StepPause = z.strictObject({
  do: z.literal('pause'),
  ...Base,
  ms: z.int().min(1).max(60_000),
  /**
   * Count the pause from this mark instead of from now (no wait if it is already over), and make it longer by
   * the time the program waited for a CPU since the mark: a pause that must outlast a timer in the program, such
   * as an idle timeout, even on a busy machine.
   */
  since: Name.optional(),
});

/** Inside a group: `conn: <as>` means the member's own connection; `barrier` waits for every member. */
const StepBarrier = z.strictObject({ do: z.literal('barrier'), ...Base, within: Seconds.default(5) });

const memberSteps = [
  StepSend,
  StepExpect,
  StepShutdown,
  StepClose,
  StepReset,
  StepHold,
  StepRelease,
  StepExpectStdout,
  StepMark,
  StepPause,
  StepBarrier,
] as const;
const MemberStep = z.discriminatedUnion('do', [...memberSteps]);

/**
 * N peer clients at once. Each connects (in order 1..N, names `<as>-1` … `<as>-N`), then all run `steps`
 * concurrently, started in `order` with `stagger_ms` between starts. {{i}} is the member number. With a
 * `barrier` inside, a server that serves one client at a time stalls, which is the point.
 */
const StepGroup = z.strictObject({
  do: z.literal('group'),
  ...Base,
  as: Name,
  count: z.int().min(1).max(64),
  to: Name.default('main'),
  order: z.enum(['forward', 'reverse', 'shuffle']).default('forward'),
  stagger_ms: z.int().min(0).max(5000).default(20),
  /** Budget for each member's connect. */
  within: Seconds.default(3),
  steps: z.array(MemberStep).min(1),
});

const StepAny = z.discriminatedUnion('do', [
  StepStart,
  StepConnect,
  StepAccept,
  StepSend,
  StepExpect,
  StepShutdown,
  StepClose,
  StepReset,
  StepHold,
  StepRelease,
  StepWaitSent,
  StepSendto,
  StepExpectDatagram,
  StepLossy,
  StepRespond,
  StepExpectReceived,
  StepExpectStdout,
  StepExpectExit,
  StepExpectRunning,
  StepSignal,
  StepExpectPath,
  StepExpectTlsRefused,
  StepExchange,
  StepMark,
  StepPause,
  StepBarrier,
  StepGroup,
]);
export const Step = StepAny;
export type Step = z.output<typeof StepAny>;
export type MemberStep = z.output<typeof MemberStep>;
