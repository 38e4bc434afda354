// Running a `--run` command line through the system's shell, with file names quoted for that shell.
import type { Platform } from './platform.js';

export interface ShellCommand {
  argv: string[];
  /** Pass the arguments on as they are: cmd.exe parses its own command line, not as C programs do. */
  verbatim: boolean;
}

/**
 * POSIX: `/bin/sh -c CMD`. Windows: `cmd.exe /d /s /c "CMD"`, as Node's own `shell: true` does: /s makes cmd.exe
 * strip exactly the outer quotes and keep the rest of the line as written, so quotes inside CMD survive.
 */
export function shellCommand(cmd: string, platform: Platform = process.platform): ShellCommand {
  if (platform === 'win32') return { argv: ['cmd.exe', '/d', '/s', '/c', `"${cmd}"`], verbatim: true };
  return { argv: ['/bin/sh', '-c', cmd], verbatim: false };
}

/**
 * One argument (a file path) quoted for the shell. Windows paths may hold spaces, backslashes, `&` or `^`, never a
 * double quote: inside double quotes cmd.exe takes all of them literally, and a C program's argument parser keeps
 * backslashes unless they come before a quote, so trailing ones are doubled.
 */
export function quoteArg(arg: string, platform: Platform = process.platform): string {
  if (platform === 'win32') return `"${arg.replace(/(\\+)$/, '$1$1')}"`;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/**
 * How to open `file` in the learner's editor: $VISUAL, else $EDITOR (either may carry arguments, such as
 * `code --wait`), else Notepad on Windows and vi elsewhere. Through the shell, so an editor command works as it
 * would typed; the file name is passed as an argument ($1) on POSIX, quoted on Windows.
 */
export function editorCommand(
  file: string,
  env: NodeJS.ProcessEnv = process.env,
  platform: Platform = process.platform,
): ShellCommand & { editor: string } {
  const editor = env.VISUAL || env.EDITOR || (platform === 'win32' ? 'notepad' : 'vi');
  if (platform === 'win32')
    return { ...shellCommand(`${editor} ${quoteArg(file, platform)}`, platform), editor };
  return { argv: ['/bin/sh', '-c', `${editor} "$1"`, 'editor', file], verbatim: false, editor };
}
