// One reader of /proc/<pid>/stat for the modules that need a field of it (Linux only; callers check first).
import { readFileSync } from 'node:fs';

/**
 * The fields of /proc/<pid>/stat after the command name, so that index 0 is the state (field 3 of proc(5)),
 * 1 the parent, 2 the process group, 3 the session, 11 and 12 user and system time, 19 the start time.
 * Undefined when the process is gone or /proc cannot be read.
 */
export function statFields(pid: number | string): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may contain spaces and parentheses; the fields start after the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}
