// The one results model. Every reporter (pretty, JSON, JUnit, GitHub, Classroom) is a view of it.
import type { WireEvent } from '../wire/events.js';

export type Status = 'pass' | 'fail' | 'error' | 'skip';

export interface TranscriptEntry {
  /** ms since the run started */
  at: number;
  /** `peer:<name>`, `program`, or `grader` */
  who: string;
  kind: WireEvent['kind'];
  /** Rendered text: quoted bytes for data, plain text otherwise. */
  text: string;
  /** For data (send, recv): how many bytes, since the quoted text does not say. */
  bytes?: number;
}

/** The first wrong byte a program sent: to which peer connection, at which offset of all it sent there. */
export interface WrongAt {
  peer: string;
  offset: number;
}

export interface CheckResult {
  id: string;
  title: string;
  /** `fail` is the learner's; `error` is the grader's own fault; `skip` says why it did not run. */
  status: Status;
  message: string;
  expected?: string;
  actual?: string;
  /** Lines showing the first differing byte, when there is one. */
  diff?: string[];
  /** Where that byte is in what the program sent, so the wire view can draw it. */
  wrongAt?: WrongAt;
  transcript: TranscriptEntry[];
  hint?: string;
  /** A command to replay the failing step by hand. */
  replay?: string;
  /** ms */
  duration: number;
  /**
   * With status `skip`: peer mode could not see what this check judges (the program's output, its exit, its
   * files), so it is not checked, neither passed nor failed.
   */
  unobserved?: boolean;
  /**
   * With status `fail`: not a verdict on the program. The machine was too busy to judge this check, in two runs;
   * grading again may decide it.
   */
  undecidable?: boolean;
  /**
   * false: the check has no step that shows behaviour of the program's own (it only starts it, waits, sends, or
   * expects silence or that it still runs), so a program that does nothing passes it too. It earns no points.
   */
  scored?: boolean;
}

export interface ExerciseResult {
  exercise: string;
  status: Status;
  seed: number;
  checks: CheckResult[];
  /** ms */
  duration: number;
  /** The command that ran the learner's program, as shown to the learner. */
  command: string;
  /** The learner's file, relative to the folder graded, with `/` separators (for CI annotations). */
  file?: string;
  /**
   * How many lines that file has, counted when it was graded: a line number read from the program's own output (a
   * traceback it may have printed itself) is used only within it.
   */
  fileLines?: number;
  /** Output beyond the cap, per stream, in bytes. */
  dropped?: { stdout: number; stderr: number };
  /**
   * Why the scenario was run again from the start (each reason at most once per round): `port`, a stranger took
   * the program's port first; `timing`, the machine was too busy to judge. The result is the last run's.
   */
  rerun?: ('port' | 'timing')[];
  /** How much later than their budgets the budgets that ran out ended, in all (ms; see RunContext.deadline). */
  stretched?: number;
  /** Set when the program ran in the sandbox (`grade`, `verify --sandbox`): whom as, and within which limits. */
  sandbox?: SandboxInfo;
  /** Limits of the sandbox the program ran into, as the kernel or its filesystems tell (see SandboxInfo). */
  stoppedBy?: ('memory' | 'disk')[];
  /** What every time budget was multiplied by (SOCKETLINGS_TIME_SCALE, an assignment's time_scale), when not 1. */
  timeScale?: number;
}

/** The sandbox a program ran in: the user it ran as, and the limits in force (README, "Sandbox"). */
export interface SandboxInfo {
  /** The user graded programs ran as: `nobody (65534:65534)`. Never root, whoever grades. */
  user: string;
  /** Bytes of memory for the program's whole process tree (`--memory`). */
  memory: number;
  /**
   * What holds it there: a cgroup of the program's own (`cgroup v1`, `cgroup v2`), or, where no cgroup can be
   * made, nothing for the tree (`per process`): then each process has `addressSpace` and there are at most
   * `processes` of them, and the disk's size bounds its files.
   */
  memoryBy: 'cgroup v1' | 'cgroup v2' | 'per process';
  /** Bytes a student's programs may write at once, in their run folders, /tmp and /dev/shm (`--disk`). */
  disk: number;
  /** Processes and threads per program. */
  processes: number;
  /** Address space per process, bytes. */
  addressSpace: number;
  /**
   * Whether a program may make user namespaces of its own (`open`), where it would hold every capability again,
   * or bubblewrap keeps it from doing so (`closed`, bubblewrap 0.8 and newer).
   */
  userns?: 'closed' | 'open';
  /** The seccomp filter in force (wire/seccomp.ts): the architecture it was made for, or `none`. */
  seccomp?: string;
}

/** An exercise passes only if every check passed; an engine error outranks a learner failure. */
/** Failed on a check the machine left undecidable: no verdict, and grading again may give one. */
export function undecided(r: {
  status: string;
  checks: { status: string; undecidable?: boolean }[];
}): boolean {
  return r.status === 'fail' && r.checks.some((c) => c.status === 'fail' && c.undecidable === true);
}

export function overallStatus(checks: CheckResult[]): Status {
  if (checks.some((c) => c.status === 'error')) return 'error';
  if (checks.some((c) => c.status === 'fail')) return 'fail';
  if (checks.length > 0 && checks.every((c) => c.status === 'skip')) return 'skip';
  if (checks.some((c) => c.status === 'pass')) return 'pass';
  return 'fail';
}

/** The arrow a transcript line shows: → what a peer sent, ← what it received, · anything else. */
export function arrow(e: Pick<TranscriptEntry, 'kind'>): string {
  return e.kind === 'send' ? '→' : e.kind === 'recv' ? '←' : '·';
}
