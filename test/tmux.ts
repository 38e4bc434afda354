// Driving the real CLI in a real pseudo-terminal: a tmux session we type into and read the screen of. Tests that
// use it need tmux (needs.ts).
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export class Terminal {
  private constructor(readonly name: string) {}

  /** Start `command` (a shell line) in a fresh terminal (100×40 unless told). Colour stays off: plain screens. */
  static start(
    name: string,
    dir: string,
    command: string,
    env: Record<string, string> = {},
    size: { cols: number; rows: number } = { cols: 100, rows: 40 },
  ): Terminal {
    spawnSync('tmux', ['kill-session', '-t', name]);
    const script = join(dir, `${name}.sh`);
    const exports = Object.entries({ SOCKETLINGS_LANG: 'en', TERM: 'xterm-256color', ...env })
      .map(([k, v]) => `export ${k}='${v}'`)
      .join('\n');
    writeFileSync(
      script,
      `unset FORCE_COLOR CI\ncd '${dir}'\n${exports}\n${command}\necho "EXIT=$?"\nsleep 120\n`,
    );
    execFileSync('tmux', [
      'new-session',
      '-d',
      '-s',
      name,
      '-x',
      String(size.cols),
      '-y',
      String(size.rows),
      `bash ${script}`,
    ]);
    return new Terminal(name);
  }

  /** The scrollback and screen; lines the terminal wrapped are joined again (-J), so overlong lines show. */
  screen(escapes = false): string {
    return execFileSync(
      'tmux',
      ['capture-pane', '-p', '-J', ...(escapes ? ['-e'] : []), '-t', this.name, '-S', '-3000'],
      {
        encoding: 'utf8',
      },
    );
  }

  /** Only what is on the screen now, as the learner sees it (wrapped lines joined). */
  visible(): string {
    return execFileSync('tmux', ['capture-pane', '-p', '-J', '-t', this.name], {
      encoding: 'utf8',
    }).trimEnd();
  }

  /** Whether the terminal shows its cursor now (a prompt hides it while it draws). */
  cursorVisible(): boolean {
    return (
      execFileSync('tmux', ['display', '-p', '-t', this.name, '#{cursor_flag}'], {
        encoding: 'utf8',
      }).trim() === '1'
    );
  }

  keys(...keys: string[]): void {
    execFileSync('tmux', ['send-keys', '-t', this.name, ...keys]);
  }

  /** Wait until the screen matches; fail with the screen when it does not within the time. */
  async waitFor(pattern: RegExp, timeoutMs = 20_000, escapes = false): Promise<string> {
    const t = Date.now();
    for (;;) {
      const s = this.screen(escapes);
      if (pattern.test(s)) return s;
      if (Date.now() - t > timeoutMs)
        throw new Error(`timed out waiting for ${pattern}; the screen shows:\n${s}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** How many times the pattern shows in the scrollback: to wait for the next occurrence, not an old one. */
  count(pattern: RegExp): number {
    return (this.screen().match(new RegExp(pattern.source, 'g')) ?? []).length;
  }

  async waitForMore(pattern: RegExp, than: number, timeoutMs = 20_000): Promise<void> {
    const t = Date.now();
    while (this.count(pattern) <= than) {
      if (Date.now() - t > timeoutMs)
        throw new Error(`timed out waiting for another ${pattern}:\n${this.screen()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  kill(): void {
    spawnSync('tmux', ['kill-session', '-t', this.name]);
  }
}
