// Running a `--run` command line through the system's shell, with file names quoted for that shell.
import type { Platform } from './platform.js';

export interface ShellCommand {
  argv: string[];
  /** Pass the arguments on as they are: cmd.exe parses its own command line, not as C programs do. */
  verbatim?: boolean;
  /** Signal the whole process group: the program is a child of a shell that stays (see below). */
  signalGroup?: boolean;
}

/**
 * How to run a `--run` command line so that the grader's signals reach the program as they would reach it run
 * directly. POSIX: a simple command is exec'd by /bin/sh, so the shell becomes the program (dash does not do that
 * by itself, and a SIGTERM would end the shell and leave the program); a compound one (`cd x && ./server`)
 * keeps its shell, which waits for the program whatever signal comes (a trap with a handler is reset to the
 * default in its children), and signals go to the whole group. Windows: `cmd.exe /d /s /c "CMD"`, as Node's own
 * `shell: true` does: /s makes cmd.exe strip exactly the outer quotes and keep the rest of the line as written.
 */
export function shellCommand(cmd: string, platform: Platform = process.platform): ShellCommand {
  if (platform === 'win32') return { argv: ['cmd.exe', '/d', '/s', '/c', `"${cmd}"`], verbatim: true };
  const simple = /^[\w@%+=:,./'" -]+$/.test(cmd.trim()) && !/^\s*exec\s/.test(cmd);
  if (simple) return { argv: ['/bin/sh', '-c', `exec ${cmd.trim()}`] };
  return { argv: ['/bin/sh', '-c', `trap : TERM INT HUP\n${cmd}`], signalGroup: true };
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
