// --sandbox: grade inside a private network namespace whose only interface is loopback. The whole of socketlings
// re-runs in there, so the reference peers and the learner's program still meet on 127.0.0.1 and ::1, while the
// program can reach nothing else: no internet, no LAN, no services on the host's own addresses.
import { spawn, spawnSync } from 'node:child_process';

export const SANDBOX_ENV = 'SOCKETLINGS_SANDBOXED';

export type SandboxCheck = { ok: true } | { ok: false; reason: string };

/** Can this machine make the namespace? Asked by trying, since permission depends on kernel settings. */
export function canSandbox(): SandboxCheck {
  if (process.platform !== 'linux') return { ok: false, reason: 'not Linux' };
  const r = spawnSync('unshare', ['-rn', 'sh', '-c', 'ip link set lo up'], {
    encoding: 'utf8',
    timeout: 10_000,
  });
  if (r.error) return { ok: false, reason: `${r.error.message} (is util-linux installed?)` };
  if (r.status !== 0) return { ok: false, reason: (r.stderr || `unshare exited with ${r.status}`).trim() };
  return { ok: true };
}

/** Run this same socketlings command again inside the namespace; resolves with its exit code. */
export function runSandboxed(args: string[]): Promise<number> {
  const script = 'ip link set lo up && exec "$@"';
  return new Promise((resolve) => {
    const child = spawn(
      'unshare',
      [
        '-rn',
        'sh',
        '-c',
        script,
        'sandbox',
        process.execPath,
        ...process.execArgv,
        process.argv[1] ?? '',
        ...args,
      ],
      {
        stdio: 'inherit',
        env: { ...process.env, [SANDBOX_ENV]: '1' },
      },
    );
    // Ctrl+C reaches the child through the terminal; a SIGTERM to us is passed on.
    const forward = () => child.kill('SIGTERM');
    process.on('SIGTERM', forward);
    child.on('close', (code, signal) => {
      process.off('SIGTERM', forward);
      resolve(code ?? (signal === 'SIGINT' ? 130 : 143));
    });
  });
}
