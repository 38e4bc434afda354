// Running the learner's program: its own session and process group, closed stdin, scrubbed environment,
// capped output captured as it arrives, and a teardown that leaves nothing behind.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { sleep, deadline as timer } from './events.js';
import { anyAlive, groupAlive, signalAll, startTicks } from './group.js';

export interface ProgramSpec {
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  /** Bytes kept per stream; the rest is read and dropped so the program never blocks on a full pipe. */
  outputCap: number;
  /**
   * Signals go to the whole process group, not the first process alone: the command is a shell running a
   * compound command line, and the program is one of its children.
   */
  signalGroup?: boolean;
}

export type Exit = { code: number | null; signal: NodeJS.Signals | null };

export interface OutputLine {
  stream: 'stdout' | 'stderr';
  text: string;
  /** ms since the program started */
  at: number;
}

/** Time between SIGTERM and SIGKILL: long enough for a `finally:` that closes sockets, short for a hung one. */
export const GRACE_MS = 1000;

/** How long output may still drain after the program exited while a descendant holds its pipes. */
const DRAIN_MS = 200;

const live = new Set<Program>();

export class Program extends EventEmitter {
  readonly startedAt = Date.now();
  readonly lines: OutputLine[] = [];
  readonly kept = { stdout: 0, stderr: 0 };
  readonly dropped = { stdout: 0, stderr: 0 };
  exit: Exit | undefined;
  /** The program has exited and all its output has been read (or the drain budget ran out). */
  outputComplete = false;
  spawnError: Error | undefined;
  readonly exited: Promise<Exit>;
  private readonly child: ChildProcess;
  /** When the program started (clock ticks after boot): anything older cannot be one of its descendants. */
  private startTicks = 0;
  /** `SOCKETLINGS_RUN=<id>`: inherited by every descendant, so even a daemon is found and stopped. */
  readonly marker = `SOCKETLINGS_RUN=${randomUUID()}`;
  private readonly partial = { stdout: '', stderr: '' };

  constructor(readonly spec: ProgramSpec) {
    super();
    this.child = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: { ...spec.env, SOCKETLINGS_RUN: this.marker.slice('SOCKETLINGS_RUN='.length) },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
      windowsHide: true,
    });
    live.add(this);
    // Read just after spawning: still the new process itself (a clock tick is 10 ms; descendants start later).
    if (this.child.pid) this.startTicks = startTicks(this.child.pid);
    this.exited = new Promise((resolve) => {
      this.child.on('error', (err) => {
        this.spawnError = err;
        this.exit = { code: null, signal: null };
        this.outputComplete = true;
        this.finishLines();
        live.delete(this);
        resolve(this.exit);
        this.emit('exit', this.exit);
      });
      let done = false;
      const finish = () => {
        if (done || !this.exit) return;
        done = true;
        this.outputComplete = true;
        this.finishLines();
        resolve(this.exit);
        this.emit('exit', this.exit);
      };
      // 'close' comes after both pipes drained, so every line is in before anyone hears of the exit. A
      // descendant that inherited the pipes can hold them open forever, so after 'exit' the drain has a budget.
      // When the budget ends, output already in the pipe must still win: on a busy event loop the timer can fire
      // in the same turn as the pipe becomes readable, and timers run before I/O. An immediate runs after the
      // turn's I/O, so every line the program wrote before exiting is read first.
      this.child.on('exit', (code, signal) => {
        this.exit = { code, signal };
        setTimeout(() => setImmediate(finish), DRAIN_MS).unref();
      });
      this.child.on('close', (code, signal) => {
        this.exit ??= { code, signal };
        finish();
      });
    });
    this.child.stdout?.on('data', (b: Buffer) => this.take('stdout', b));
    this.child.stderr?.on('data', (b: Buffer) => this.take('stderr', b));
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.exit === undefined;
  }

  private take(stream: 'stdout' | 'stderr', chunk: Buffer): void {
    const room = this.spec.outputCap - this.kept[stream];
    if (room <= 0) {
      this.dropped[stream] += chunk.length;
      return;
    }
    const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
    this.kept[stream] += part.length;
    this.dropped[stream] += chunk.length - part.length;
    const text = this.partial[stream] + part.toString('utf8');
    const pieces = text.split('\n');
    this.partial[stream] = pieces.pop() ?? '';
    for (const piece of pieces) this.addLine(stream, piece.replace(/\r$/, ''));
  }

  private addLine(stream: 'stdout' | 'stderr', text: string): void {
    const line = { stream, text, at: Date.now() - this.startedAt };
    this.lines.push(line);
    this.emit('line', line);
  }

  private finishLines(): void {
    for (const stream of ['stdout', 'stderr'] as const) {
      if (this.partial[stream]) this.addLine(stream, this.partial[stream]);
      this.partial[stream] = '';
    }
  }

  /**
   * Wait while the program is still writing to stderr (a thread dying with a traceback writes it line by line,
   * just after the connection it held was closed), up to `maxMs`; resolves at once if nothing comes in `quietMs`.
   */
  async stderrSettled(quietMs: number, maxMs: number): Promise<void> {
    const until = Date.now() + maxMs;
    while (this.running && Date.now() < until) {
      const got = await new Promise<boolean>((resolve) => {
        let timer: NodeJS.Timeout | undefined;
        const onLine = (l: OutputLine) => {
          if (l.stream !== 'stderr') return;
          clearTimeout(timer);
          this.off('line', onLine);
          resolve(true);
        };
        timer = setTimeout(
          () => {
            this.off('line', onLine);
            resolve(false);
          },
          Math.min(quietMs, Math.max(0, until - Date.now())),
        );
        this.on('line', onLine);
      });
      if (!got) return;
    }
  }

  /** What the program printed on stdout after its last newline, while it runs. */
  get partialStdout(): string {
    return this.partial.stdout;
  }

  stdout(): OutputLine[] {
    return this.lines.filter((l) => l.stream === 'stdout');
  }

  stderrTail(n: number): string[] {
    return this.lines
      .filter((l) => l.stream === 'stderr')
      .slice(-n)
      .map((l) => l.text);
  }

  /** Send a signal to the program alone (not its children), as a user pressing Ctrl+C at it would. */
  signal(sig: NodeJS.Signals): void {
    if (this.child.pid && this.running) {
      try {
        process.kill(this.spec.signalGroup ? -this.child.pid : this.child.pid, sig);
      } catch {
        // Already gone.
      }
    }
  }

  /**
   * SIGTERM to every member, a grace period, then SIGKILL, and wait until none is left. Resolves only when the
   * whole tree is gone, so the caller may rely on every port being free.
   */
  async stop(): Promise<void> {
    const pid = this.child.pid;
    if (pid === undefined) {
      live.delete(this);
      return;
    }
    // SIGTERM to the group, then wait for the exit by its event, not by polling; what is left of the group is one
    // system call away. Only at the end one full look (every newer process's environment) finds a daemon that
    // left the session, since a teardown runs thousands of times in a batch and /proc is not free.
    try {
      process.kill(-pid, 'SIGTERM');
    } catch {
      // The group is gone already.
    }
    const deadline = Date.now() + GRACE_MS;
    if (this.running) {
      // A timer left running would hold the process open for the whole grace period after a quick exit.
      const grace = timer(GRACE_MS);
      await Promise.race([this.exited, grace.promise]);
      grace.cancel();
    }
    let delay = 2;
    while (groupAlive(pid) && Date.now() < deadline) {
      await sleep(delay);
      delay = Math.min(delay * 2, 50);
    }
    if (groupAlive(pid) || this.running) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // Gone meanwhile.
      }
    }
    // Bounded: a process stuck in the kernel cannot be killed at all, and we must not wait for it forever.
    for (let round = 0; round < 100 && anyAlive(pid, this.marker, true, this.startTicks); round++) {
      signalAll(pid, this.marker, 'SIGKILL', this.startTicks);
      await sleep(Math.min(5 * 2 ** round, 50));
    }
    await this.exited;
    this.child.stdout?.destroy();
    this.child.stderr?.destroy();
    live.delete(this);
  }

  /** Last resort, synchronous: used from process 'exit', where no waiting is possible. */
  killNow(): void {
    const pid = this.child.pid;
    if (pid !== undefined) signalAll(pid, this.marker, 'SIGKILL');
  }
}

export function startProgram(spec: ProgramSpec): Program {
  return new Program(spec);
}

/**
 * Starting a process blocks the event loop until the child has called exec, which on a loaded machine waits for
 * the child to be scheduled: milliseconds each. Dozens at once (a batch starting up, or many budgets running out
 * together) stalled every grading in the process for most of a second, long enough for a correct program's own
 * timeout to expire before its connection was even seen. So starts take turns, one at a time, and the loop is
 * free for a while after each.
 */
const START_GAP_MS = 10;
let turns: Promise<unknown> = Promise.resolve();

/** Run `start` (which starts a process) in its turn: at once when no other start is recent. */
export function paced<T>(start: () => T): Promise<T> {
  const turn = turns.then(start);
  const gap = () => sleep(START_GAP_MS);
  turns = turn.then(gap, gap);
  return turn;
}

/** Stop every program still running, e.g. when socketlings itself is interrupted. */
export async function stopAll(): Promise<void> {
  await Promise.all([...live].map((p) => p.stop()));
}

export function killAllNow(): void {
  for (const p of live) p.killNow();
}
