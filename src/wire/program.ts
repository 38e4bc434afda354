// Running the learner's program: its own session and process group, closed stdin, scrubbed environment,
// capped output captured as it arrives, and a teardown that leaves nothing behind.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { sleep, deadline as timer } from './events.js';
import { anyAlive, groupAlive, membersOf, signalAll, startTicks, treeMembers } from './group.js';
import { parseReport, READY_FD, READY_FD_ENV } from './launcher.js';
import { type Listener, startingSockets } from './listening.js';
import { PORTABLE } from './platform.js';
import { exitOfSandbox, groupOf, SandboxInside } from './sandbox-procs.js';
import { SECCOMP_FD } from './seccomp.js';
import { signalTree, treeAlive } from './tree.js';

export interface ProgramSpec {
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  /** Bytes kept per stream; the rest is read and dropped so the program never blocks on a full pipe. */
  outputCap: number;
  /**
   * The command is bubblewrap running the program in its own PID namespace (see sandbox.ts): signals go to the
   * program inside, not to bwrap, and bwrap's exit code 128+N means the program was killed by signal N.
   */
  sandboxed?: boolean;
  /**
   * Give the program a pipe as its fd 3 (named in SOCKETLINGS_READY_FD) and read the Python launcher's reports of
   * its sockets and forks from it. Wrapping the command (a sandbox) keeps working as long as fd 3 is passed on.
   */
  readinessFd?: boolean;
  /** A seccomp filter for bwrap, handed over on a pipe as descriptor SECCOMP_FD (see seccomp.ts). */
  seccomp?: Buffer;
  /** Windows: hand the arguments to the command as they are (cmd.exe has its own quoting rules). */
  verbatimArgs?: boolean;
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
  /** Sockets the launcher reported listening (TCP, AF_UNIX) or bound (UDP), in order. */
  readonly sockets: Listener[] = [];
  /** Children the launcher reported forking: a daemon among them has left the process group. */
  readonly forks = new Set<number>();
  /** The launcher's pipe: open until every process holding it has exited. */
  reportsOpen: boolean;
  private reportRest = '';
  /** In the sandbox: its init and the program, once seen. */
  private readonly inside: SandboxInside | undefined;
  /** Its stdio and the launcher's pipe (socket pairs), which all its processes inherit (listening.ts). */
  readonly startingSockets: Set<string> = new Set();

  constructor(readonly spec: ProgramSpec) {
    super();
    this.reportsOpen = spec.readinessFd === true;
    this.child = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: {
        ...spec.env,
        SOCKETLINGS_RUN: this.marker.slice('SOCKETLINGS_RUN='.length),
        ...(spec.readinessFd ? { [READY_FD_ENV]: String(READY_FD) } : {}),
      },
      stdio: [
        'ignore',
        'pipe',
        'pipe',
        ...(spec.readinessFd || spec.seccomp
          ? [spec.readinessFd ? ('pipe' as const) : ('ignore' as const)]
          : []),
        ...(spec.seccomp ? ['pipe' as const] : []),
      ],
      detached: true,
      windowsHide: true,
      ...(spec.verbatimArgs ? { windowsVerbatimArguments: true } : {}),
    });
    live.add(this);
    // bwrap reads the filter to its end before it starts the program; a pipe holds far more than a filter.
    const filter = spec.seccomp ? this.child.stdio[SECCOMP_FD] : undefined;
    if (filter && 'end' in filter) {
      filter.on('error', () => undefined);
      filter.end(spec.seccomp);
    }
    // Read just after spawning: still the new process itself (a clock tick is 10 ms; descendants start later).
    if (this.child.pid) this.startTicks = startTicks(this.child.pid);
    if (this.child.pid && spec.sandboxed) this.inside = new SandboxInside(this.child.pid);
    if (this.child.pid && !PORTABLE) this.startingSockets = startingSockets(this.child.pid);
    this.exited = new Promise((resolve) => {
      this.child.on('error', (err) => {
        this.inside?.reaped();
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
        this.inside?.reaped();
        this.exit = spec.sandboxed ? exitOfSandbox(code, signal) : { code, signal };
        setTimeout(() => setImmediate(finish), DRAIN_MS).unref();
      });
      this.child.on('close', (code, signal) => {
        this.exit ??= spec.sandboxed ? exitOfSandbox(code, signal) : { code, signal };
        finish();
      });
    });
    this.child.stdout?.on('data', (b: Buffer) => this.take('stdout', b));
    this.child.stderr?.on('data', (b: Buffer) => this.take('stderr', b));
    const reports = spec.readinessFd ? this.child.stdio[READY_FD] : undefined;
    if (reports && 'on' in reports) {
      reports.on('data', (b: Buffer) => this.takeReports(b));
      reports.on('error', () => undefined);
      reports.on('close', () => {
        this.reportsOpen = false;
      });
    } else this.reportsOpen = false;
  }

  private takeReports(chunk: Buffer): void {
    const lines = (this.reportRest + chunk.toString('utf8')).split('\n');
    this.reportRest = lines.pop() ?? '';
    // A program could write anything to the pipe; a flood is cut off rather than kept.
    if (this.reportRest.length > 4096) this.reportRest = '';
    for (const line of lines) {
      const r = parseReport(line);
      if (r?.kind === 'fork') this.forks.add(r.pid);
      else if (r?.kind === 'socket' && this.sockets.length < 1000) {
        this.sockets.push(r.socket);
        this.emit('socket', r.socket);
      }
    }
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** The process that runs the learner's code: inside the sandbox, bwrap's grandchild; else the child itself. */
  get programPid(): number | undefined {
    const pid = this.child.pid;
    if (pid === undefined || !this.spec.sandboxed) return pid;
    // Checked by its start time: once the program has exited, its pid may be another process's.
    return this.running ? this.inside?.liveProgram() : undefined;
  }

  /**
   * The program's live processes; `deep` also finds a daemon by the run's marker, reading every process on the
   * machine. In the sandbox its tree holds them all (SandboxInside.members).
   */
  members(deep: boolean): number[] {
    const pid = this.child.pid;
    if (pid === undefined) return [];
    if (!this.inside) return membersOf(pid, this.marker, deep, this.startTicks);
    if (this.inside.look()) return this.inside.members();
    // Its init never seen: while bwrap runs, its tree; once bwrap is reaped its pid may be a stranger's, and an
    // init it forked is found by the run's marker alone (a fork of bwrap, it carries bwrap's environment).
    if (this.running) return treeMembers([pid]);
    return deep ? membersOf(undefined, this.marker, true, this.startTicks) : [];
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
    const pid = this.programPid;
    if (pid && this.running) {
      try {
        // In the sandbox the program's group is the one its init leads (see groupOf).
        const group = this.spec.sandboxed ? groupOf(pid) : pid;
        process.kill(this.spec.signalGroup && group !== undefined ? -group : pid, sig);
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
    if (PORTABLE) await this.stopPortable(pid);
    else await this.stopLinux(pid);
    await this.exited;
    this.child.stdout?.destroy();
    this.child.stderr?.destroy();
    this.reportStream()?.destroy();
    live.delete(this);
  }

  private reportStream() {
    const s = this.spec.readinessFd ? this.child.stdio[READY_FD] : undefined;
    return s && 'destroy' in s ? s : undefined;
  }

  /** Wait for the exit by its event, up to the grace period; a timer left running would hold the process open. */
  private async graceForExit(): Promise<void> {
    if (!this.running) return;
    const grace = timer(GRACE_MS);
    await Promise.race([this.exited, grace.promise]);
    grace.cancel();
  }

  private async stopLinux(pid: number): Promise<void> {
    // SIGTERM to the group, then wait for the exit by its event, not by polling; what is left of the group is one
    // system call away. Only at the end one full look (every newer process's environment) finds a daemon that
    // left the session, since a teardown runs thousands of times in a batch and /proc is not free.
    // In the sandbox, bwrap passes no signal on: the program's own group gets SIGTERM, and killing the sandbox's
    // first process (its PID namespace's init) after the grace period ends everything inside, daemons included.
    // Once bwrap is reaped its pid (its group's number) may be a stranger's: the sandbox's init is what is left.
    const outerAlive = () => (this.spec.sandboxed ? this.running : groupAlive(pid));
    const program = this.inside?.liveProgram();
    const group = program !== undefined ? groupOf(program) : outerAlive() ? pid : undefined;
    try {
      if (group !== undefined) process.kill(-group, 'SIGTERM');
    } catch {
      // The group is gone already.
    }
    const deadline = Date.now() + GRACE_MS;
    await this.graceForExit();
    let delay = 2;
    while (outerAlive() && Date.now() < deadline) {
      await sleep(delay);
      delay = Math.min(delay * 2, 50);
    }
    if (outerAlive() || this.running) {
      try {
        const init = this.inside?.liveInit();
        if (init !== undefined) process.kill(init, 'SIGKILL');
      } catch {
        // Gone meanwhile.
      }
      try {
        if (outerAlive()) process.kill(-pid, 'SIGKILL');
      } catch {
        // Gone meanwhile.
      }
    }
    // Bounded: a process stuck in the kernel cannot be killed at all, and we must not wait for it forever.
    // In the sandbox what is left is its tree (members): no look at every process, and nothing by bwrap's pid
    // once bwrap is reaped.
    for (let round = 0; round < 100; round++) {
      if (this.inside) {
        const left = this.members(true);
        if (left.length === 0) break;
        for (const p of left) kill(p);
      } else {
        if (!anyAlive(pid, this.marker, true, this.startTicks)) break;
        signalAll(pid, this.marker, 'SIGKILL', this.startTicks);
      }
      await sleep(Math.min(5 * 2 ** round, 50));
    }
  }

  /**
   * Without /proc: SIGTERM to the group and to every reported fork, the grace period, then SIGKILL to all of
   * them and (macOS) to whatever carries the run's marker. On Windows the whole tree is ended at once: a program
   * there gets no SIGTERM to clean up on. The launcher's pipe closes only when the last process holding it is
   * gone, so a forked daemon is waited for until then, within the same bounded rounds.
   */
  private async stopPortable(pid: number): Promise<void> {
    const deadline = Date.now() + GRACE_MS;
    if (process.platform !== 'win32') {
      signalTree(pid, this.forks, this.marker, 'SIGTERM', false);
      await this.graceForExit();
      let delay = 2;
      while (treeAlive(pid, this.forks) && Date.now() < deadline) {
        await sleep(delay);
        delay = Math.min(delay * 2, 50);
      }
    }
    signalTree(pid, this.forks, this.marker, 'SIGKILL', true);
    for (let round = 0; round < 100 && (treeAlive(pid, this.forks) || this.reportsOpen); round++) {
      // taskkill has ended the tree already; on Windows what is left is only waiting for it to be gone.
      if (process.platform !== 'win32') signalTree(pid, this.forks, this.marker, 'SIGKILL', false);
      await sleep(Math.min(5 * 2 ** round, 50));
    }
  }

  /** Last resort, synchronous: used from process 'exit', where no waiting is possible. */
  killNow(): void {
    const pid = this.child.pid;
    if (pid === undefined) return;
    if (PORTABLE) signalTree(pid, this.forks, this.marker, 'SIGKILL', true);
    else if (!this.inside) signalAll(pid, this.marker, 'SIGKILL');
    else {
      // Not by bwrap's pid once it is reaped: that may be a stranger's (members() knows).
      if (this.running) kill(-pid);
      for (const p of this.members(true)) kill(p);
    }
  }
}

/** SIGKILL to a process (a group, given -pgid) that may be gone already. */
function kill(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Gone meanwhile.
  }
}

export function startProgram(spec: ProgramSpec): Program {
  return new Program(spec);
}

/** Stop every program still running, e.g. when socketlings itself is interrupted. */
export async function stopAll(): Promise<void> {
  await Promise.all([...live].map((p) => p.stop()));
}

export function killAllNow(): void {
  for (const p of live) p.killNow();
}
