// A child process that speaks JSON lines: requests on its stdin, answers on its stdout. Used for grading workers,
// which may run inside a bubblewrap sandbox (sandbox.ts). Stopping one stops everything it started: its own signal
// handler stops its programs, and a worker that does not answer is killed with everything under it.
import { type ChildProcess, spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { createInterface } from 'node:readline';
import { deadline } from './events.js';
import { sandboxPids } from './sandbox-procs.js';

export interface WorkerSpec {
  /** Command and arguments, e.g. [bwrap, ...options, '--', node, worker.js]. */
  argv: string[];
  env: Record<string, string>;
  cwd: string;
  /** The command is bwrap: the worker itself is bwrap's child. */
  sandboxed: boolean;
}

/** How long a worker may take to stop its programs (each has a 1 s grace) before it is killed. */
const STOP_MS = 5000;
const STDERR_KEPT = 8 * 1024;

const live = new Set<WorkerProcess>();

export class WorkerProcess extends EventEmitter {
  private readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  running = true;
  stderr = '';

  constructor(readonly spec: WorkerSpec) {
    super();
    const [command = '', ...args] = spec.argv;
    this.child = spawn(command, args, {
      cwd: spec.cwd,
      env: spec.env,
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });
    live.add(this);
    this.exited = new Promise((resolve) => {
      this.child.on('error', (err) => {
        this.stderr += err.message;
        this.running = false;
        live.delete(this);
        resolve({ code: null, signal: null });
      });
      this.child.on('close', (code, signal) => {
        this.running = false;
        live.delete(this);
        resolve({ code, signal });
      });
    });
    this.child.stdin?.on('error', () => {}); // a worker that died is reported by its exit
    this.child.stderr?.on('data', (b: Buffer) => {
      if (this.stderr.length < STDERR_KEPT) this.stderr += b.toString('utf8').slice(0, STDERR_KEPT);
    });
    if (this.child.stdout) {
      const lines = createInterface({ input: this.child.stdout, crlfDelay: Number.POSITIVE_INFINITY });
      lines.on('line', (line) => {
        let value: unknown;
        try {
          value = JSON.parse(line);
        } catch {
          this.emit('garbage', line.slice(0, 200));
          return;
        }
        this.emit('message', value);
      });
    }
  }

  send(message: object): void {
    this.child.stdin?.write(`${JSON.stringify(message)}\n`);
  }

  /** No more requests: the worker finishes what it has and exits. */
  end(): void {
    this.child.stdin?.end();
  }

  /** The worker's own process: bwrap's child in the sandbox. */
  private workerPid(): number | undefined {
    const pid = this.child.pid;
    if (pid === undefined || !this.spec.sandboxed) return pid;
    return sandboxPids(pid)?.init;
  }

  /** SIGTERM to the worker (it stops its programs and exits), then SIGKILL to all of it if it does not. */
  async stop(): Promise<void> {
    if (!this.running) return;
    const pid = this.workerPid();
    try {
      if (pid !== undefined) process.kill(pid, 'SIGTERM');
    } catch {
      // Gone already.
    }
    const d = deadline(STOP_MS);
    await Promise.race([this.exited, d.promise]);
    d.cancel();
    if (this.running) this.killNow();
    await this.exited;
  }

  /** Synchronous last resort: the worker's group, and in the sandbox everything under it through bwrap. */
  killNow(): void {
    const pid = this.child.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // Gone already.
    }
  }
}

export function stopAllWorkers(): Promise<void> {
  return Promise.all([...live].map((w) => w.stop())).then(() => undefined);
}

export function killAllWorkersNow(): void {
  for (const w of live) w.killNow();
}
