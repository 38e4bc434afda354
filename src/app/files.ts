// Files socketlings writes that someone may read at the same moment (a resumed batch, a second terminal).
import { renameSync, writeFileSync } from 'node:fs';

/** Thrown by a write after the command was interrupted. */
export class WritesHalted extends Error {}

let halted = false;

/**
 * From now on nothing is written: called on Ctrl+C or SIGTERM. The gradings in flight still finish while their
 * programs are being stopped, and what they found (a program killed by our own signal) is no result to keep.
 */
export function haltWrites(): void {
  halted = true;
}

export function writesHalted(): boolean {
  return halted;
}

/** Write atomically: a reader sees the old file or the new one, never half of one. */
export function writeAtomic(file: string, text: string | Uint8Array): void {
  if (halted) throw new WritesHalted(file);
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
