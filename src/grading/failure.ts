// A failure's explanation, in one place. A step says what it expected and what it saw (a StepFail with its
// facts: did it already tell how the program ended, did the program's end close a connection short, did the peer
// find a close); the step's own hint and explanation are added to it here (`explainStep`); and once the check has
// failed, what is known about the program (how it ended, its last words, the limits it ran into, the round) turns it
// into the learner's message, hint and replay line (`explainFailure`). Every decision is made on those facts, never
// on text already put into words; the words come from the message tables.
import { GraderError, type Local, type RunContext, StepFail } from './context.js';
import { EMPTY_DATAGRAM_HINT, PEER_CLOSED_HINT } from './hints.js';
import type { Messages } from './messages.js';
import type { CheckResult } from './results.js';
import type { Lang } from './schema/course.js';
import type { MemberStep, Step } from './schema/grader.js';
import { sizeText, textIn } from './text.js';

/** Give a failing step's own hint and explanation to its failure (templated, in the learner's language). */
export function explainStep(ctx: RunContext, err: unknown, step: Step | MemberStep, local: Local = {}): void {
  if (!(err instanceof StepFail)) return;
  // A program in another language gets the same advice without Python's names, where the grader gives it.
  const other = ctx.python ? undefined : step.other_languages;
  const hint = textIn(other?.hint ?? step.hint, ctx.lang);
  if (hint && !err.failure.hint) err.failure.hint = ctx.template(hint, local);
  // The first explanation only: a group member's, not the group's own after it.
  const why = textIn(other?.explain ?? step.explain, ctx.lang);
  if (why && err.failure.reason === undefined) err.failure.reason = ctx.template(why, local);
}

/** The sandbox's limits the program ran into, as the kernel shows them (never from what the program printed). */
export interface LimitsReached {
  /** Its memory cgroup counted an OOM kill. */
  memory?: { limit: number; peak?: number | undefined };
  /** The disk its own files are on is full, and they hold this much of it. */
  disk?: { limit: number; held: number };
  /** A grader's file could not be written: the student's disk was full before the program started. */
  filesLost?: { limit: number };
}

/** What is known about the program and the run when a check has failed. */
export interface FailureFacts {
  /** The program has ended, and how, in words (undefined: it runs on, or there is none). */
  ended: boolean;
  exitText: string;
  /** It ended other than with status 0: a crash or a kill, not a decision of its own. */
  died: boolean;
  /** It ended on its own with status 0, not signalled by the grader. */
  endedCleanly: boolean;
  running: boolean;
  /** Its last lines on stderr, as the transcript shows them. */
  stderr: string[];
  limits: LimitsReached;
  round: number;
  rounds: number;
  role: 'client' | 'server';
  /** Peer mode: the learner runs the program by hand (no replay line). */
  external: boolean;
  /** A hint its output calls for (a Python error the hints know), if any. */
  outputHint?: string | undefined;
  /** The check's own hint, used when nothing more specific is known. */
  checkHint?: string | undefined;
  /** How to replay it: the exercise, seed, the learner's command and how socketlings is run. */
  replay: { exercise: string; seed: number; shown: string; cli: string };
  /** The peer a connection that closed short belongs to, as the learner knows it. */
  who: (conn: string) => string;
}

/** Still running, but a thread of it died with a traceback (a server's handler, say). */
function crashedMeanwhile(stderr: string[]): boolean {
  return stderr.some((l) =>
    /^Traceback \(most recent call last\)|^Exception in thread|^[\w.]*(Error|Exception)(:|$)/.test(l),
  );
}

function limitNote(msg: Messages, l: LimitsReached): string | undefined {
  const notes: string[] = [];
  if (l.memory)
    notes.push(
      msg.usedTooMuchMemory(sizeText(l.memory.limit), l.memory.peak ? sizeText(l.memory.peak) : undefined),
    );
  if (l.disk) notes.push(msg.filledDisk(sizeText(l.disk.limit), sizeText(l.disk.held)));
  if (l.filesLost) notes.push(msg.filesNotWritten(sizeText(l.filesLost.limit)));
  return notes.length ? notes.join(' ') : undefined;
}

/** A failed check's result: a grader's bug as an error, the program's failure with all that is known of it. */
export function explainFailure(
  err: unknown,
  facts: FailureFacts,
  check: { id: string; title: string },
  msg: Messages,
  lang: Lang,
): CheckResult {
  const { id, title } = check;
  if (!(err instanceof StepFail)) {
    const why = err instanceof GraderError ? err.message : String((err as Error)?.stack ?? err);
    return { id, title, status: 'error', message: msg.graderBug(why), transcript: [], duration: 0 };
  }
  const f = err.failure;
  let message = f.message;
  const { ended, stderr } = facts;
  // A connection that closed short because the program ended: the ending is the story, said first.
  const toldExit = f.toldExit === true || (ended && f.closedAfter !== undefined);
  if (ended && f.closedAfter)
    message = msg.endedAfterSending(facts.exitText, facts.who(f.closedAfter.conn), f.closedAfter.bytes);
  if (f.reason !== undefined) message = msg.withReason(message, f.reason);
  // If the program died meanwhile, that is usually the real story: say so, with its last words.
  if (ended && !toldExit) message += ` ${msg.programExitedNote(facts.exitText)}`;
  // A limit of the sandbox it ran into is the cause of what follows: said before its last words.
  const limit = limitNote(msg, facts.limits);
  if (limit) message += `\n${limit}`;
  if (ended && stderr.length) message += `\n${msg.stderrTail}\n${stderr.map((l) => `  ${l}`).join('\n')}`;
  // Still running, but a thread of it died: that is the cause, and what the grader saw only its consequence.
  const crashed = facts.running && crashedMeanwhile(stderr);
  if (crashed) message += `\n${msg.stderrMeanwhile}\n${stderr.map((l) => `  ${l}`).join('\n')}`;
  if (facts.round > 1 || facts.rounds > 1) message += ` ${msg.inRound(facts.round, facts.rounds)}`;
  // A server that ended on its own, cleanly, and a client of the grader found the connection closed (read to its
  // end, or refusing a write): it stopped serving, and whatever that client missed follows from that.
  const serverEnded =
    facts.role === 'server' &&
    (f.peerClosed === true || f.closedAfter !== undefined || f.writeRefused === true) &&
    facts.endedCleanly;
  // "recv() returned b''" is advice for a program that read the close as data or stopped at it, never for one
  // that crashed: its traceback (or the check) says what went wrong.
  const hint =
    f.hint ??
    facts.outputHint ??
    (serverEnded ? msg.keepAcceptingHint : undefined) ??
    (f.peerClosed && !facts.died && !crashed ? PEER_CLOSED_HINT[lang] : undefined) ??
    (f.emptyDatagram && !facts.died && !crashed ? EMPTY_DATAGRAM_HINT[lang] : undefined) ??
    facts.checkHint;
  const r = facts.replay;
  const replay =
    facts.role === 'client'
      ? msg.replayClient(r.exercise, r.seed, r.shown, r.cli)
      : `${msg.replayServer(r.shown)} ${r.cli} peer ${r.exercise} --seed ${r.seed}`;
  return {
    id,
    title,
    status: 'fail',
    message,
    ...(f.expected !== undefined ? { expected: f.expected } : {}),
    ...(f.actual !== undefined ? { actual: f.actual } : {}),
    ...(f.diff ? { diff: f.diff } : {}),
    ...(f.wrongAt ? { wrongAt: f.wrongAt } : {}),
    ...(hint ? { hint } : {}),
    ...(facts.external ? {} : { replay }),
    ...(f.undecidable ? { undecidable: true } : {}),
    transcript: [],
    duration: 0,
  };
}
