// How a step fails: the learner's program did not do what it expects (StepFail), the grader itself is wrong
// (GraderError), or the scenario must run again (Retry). Kept apart from context.ts so that any grading module can
// throw them without importing the run's context.
import type { WrongAt } from './results.js';

export interface Failure {
  message: string;
  expected?: string;
  actual?: string;
  diff?: string[];
  hint?: string;
  /** The learner's program seems to have treated a closed connection as data. */
  peerClosed?: boolean;
  /** The program printed an empty line where its only sockets are UDP ones: nothing arrived, no close. */
  emptyDatagram?: boolean;
  /** Where the first wrong byte the program sent is: on which peer connection, at which offset of its stream. */
  wrongAt?: WrongAt;
  /** A step's explanation was added already (a group member's, before the group's own). */
  explained?: boolean;
  /** The message already says how the program ended (so no note about its exit is added). */
  toldExit?: boolean;
  /**
   * The program's end of this connection closed after sending this many bytes on it, where more was expected.
   * If the program ended meanwhile, that is the story: the message then says it ended, and how.
   */
  closedAfter?: { conn: string; bytes: number };
  /** A write of the grader's failed: the program's end of the connection was gone (closed or reset). */
  writeRefused?: boolean;
  /** The failing step's own explanation, added after the message once it is final (see Run.failure). */
  reason?: string;
  /**
   * Not a verdict on the program: the machine was too busy to judge, in two runs (the message says so). Callers
   * that may grade again (dev check, the test suite) do; a learner is told to.
   */
  undecidable?: boolean;
}

/** The learner's program did not do what the step expects. */
export class StepFail extends Error {
  constructor(readonly failure: Failure) {
    super(failure.message);
  }
}

/** The grader file or the engine is wrong: never the learner's fault. */
export class GraderError extends Error {}

/**
 * Run the whole scenario again, once for each reason: the port handed to the program was taken by someone else
 * before it could bind (`port`), or the machine was too busy to judge (`timing`: a timing that could not be
 * decided, or a failure while the machine took much of the time from the program or the grader).
 */
export class Retry extends Error {
  constructor(readonly reason: 'port' | 'timing') {
    super(reason);
  }
}
