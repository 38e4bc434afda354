// Long text on a terminal goes through a pager, as `git log` does: $PAGER, else `less -RS`. Text is laid out at
// the terminal's width already; only code lines can be wider, and -S lets the reader scroll them sideways
// instead of seeing them wrapped into a different program.
import { spawn } from 'node:child_process';

/** Show `text`; on a TTY taller than the screen, page it. Resolves when the pager is closed. */
export async function page(text: string, out: NodeJS.WriteStream = process.stdout): Promise<void> {
  const rows = out.rows ?? 0;
  const lines = text.split('\n').length;
  if (!out.isTTY || !process.stdin.isTTY || rows === 0 || lines < rows) {
    // `read 1 | head` closes the pipe early: that is the reader's choice, not an error.
    out.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE') throw err;
    });
    out.write(text);
    return;
  }
  const pager = process.env.PAGER?.trim();
  const [cmd, args] = pager ? ['/bin/sh', ['-c', pager]] : ['less', ['-RS']];
  const shown = await new Promise<boolean>((resolve) => {
    const child = spawn(cmd, args, {
      stdio: ['pipe', 'inherit', 'inherit'],
      env: { ...process.env, LESSCHARSET: 'utf-8' },
    });
    child.once('error', () => resolve(false));
    child.stdin.on('error', () => {}); // the reader quit early: fine
    child.once('close', () => resolve(true));
    child.stdin.end(text);
  });
  if (!shown) out.write(text);
}
