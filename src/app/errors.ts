// Two kinds of failure. A UserError has been explained in words the user can act on; the top level prints it
// without a stack trace and exits with its code. Anything else is a bug.

/** Exit codes, documented in README.md. */
export const EXIT = {
  ok: 0,
  /** A check failed, or a grade is below its threshold. */
  failed: 1,
  /** Bad usage, a bad file, or something missing on this machine. */
  usage: 2,
  /** A bug in socketlings or in a grader file. */
  internal: 3,
  /** Interrupted by Ctrl+C (SIGINT). */
  interrupted: 130,
  /** Stopped by SIGTERM. */
  terminated: 143,
} as const;

export class UserError extends Error {
  constructor(
    message: string,
    /** What to do next, one line. */
    readonly next?: string,
    readonly exitCode: number = EXIT.usage,
  ) {
    super(message);
  }
}

/** Ctrl+C at a prompt: nothing more to say, the command ends with 130 as it would on SIGINT. */
export class PromptInterrupted extends UserError {
  constructor() {
    super('', undefined, EXIT.interrupted);
  }
}
