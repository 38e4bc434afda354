// Files socketlings writes that someone may read at the same moment (a resumed batch, a second terminal).
import { renameSync, writeFileSync } from 'node:fs';

/** Write atomically: a reader sees the old file or the new one, never half of one. */
export function writeAtomic(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

/** Why something this command meant to keep (progress) could not be saved: said once, after its output. */
let unsaved: { file: string; reason: string } | undefined;

export function noteUnsaved(file: string, reason: string): void {
  unsaved ??= { file, reason };
}

export function unsavedNote(): { file: string; reason: string } | undefined {
  return unsaved;
}
