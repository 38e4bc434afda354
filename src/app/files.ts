// Files socketlings writes that someone may read at the same moment (a resumed batch, a second terminal).
import { renameSync, writeFileSync } from 'node:fs';

/** Write atomically: a reader sees the old file or the new one, never half of one. */
export function writeAtomic(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}
