// Noticing that the learner saved their file. Editors save in different ways: in place, or by writing a new file
// and renaming it over the old one (which replaces the inode a plain file watch was on). Watching the folder and
// filtering by name sees both; polling is the fallback where change events do not arrive (network drives, WSL).
import { existsSync, type FSWatcher, statSync, unwatchFile, watch, watchFile } from 'node:fs';
import { basename, dirname } from 'node:path';

/** Saves often come as several events in a burst (truncate, write, rename): wait for quiet before acting. */
export const DEBOUNCE_MS = 120;
export const POLL_MS = 500;

export interface FileWatch {
  close(): void;
}

export function watchSaves(
  file: string,
  onSave: () => void,
  onError: (err: NodeJS.ErrnoException) => void,
  poll = false,
  onDelete: () => void = () => {},
): FileWatch {
  let timer: NodeJS.Timeout | undefined;
  let last = signature(file);
  const changed = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      const now = signature(file);
      // Only real content changes count: some editors touch files on focus. A file gone for the whole quiet
      // period was deleted (an editor's save-by-rename is over by then); its return counts as a save.
      if (now === last) return;
      last = now;
      if (now === 'missing') onDelete();
      else onSave();
    }, DEBOUNCE_MS);
  };
  if (poll) {
    watchFile(file, { interval: POLL_MS }, changed);
    return {
      close: () => {
        if (timer) clearTimeout(timer);
        unwatchFile(file, changed);
      },
    };
  }
  let w: FSWatcher;
  try {
    w = watch(dirname(file), (_event, name) => {
      if (!name || name === basename(file)) changed();
    });
  } catch (err) {
    onError(err as NodeJS.ErrnoException);
    return { close: () => {} };
  }
  w.on('error', (err) => onError(err as NodeJS.ErrnoException));
  return {
    close: () => {
      if (timer) clearTimeout(timer);
      w.close();
    },
  };
}

function signature(file: string): string {
  if (!existsSync(file)) return 'missing';
  const st = statSync(file);
  return `${st.size}:${st.mtimeMs}:${st.ino}`;
}
