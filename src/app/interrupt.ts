// Whether socketlings is being stopped (Ctrl+C, SIGTERM). Results that arrive while it stops come from programs
// it is killing: they are never saved as a student's grade.
let stopping = false;

export function markStopping(): void {
  stopping = true;
}

export function isStopping(): boolean {
  return stopping;
}

/** Thrown where a grading was cut short by the instructor; the top level exits with 130 or 143. */
export class Interrupted extends Error {
  constructor() {
    super('interrupted');
  }
}
