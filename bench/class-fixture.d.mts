// Types of class-fixture.mjs for the TypeScript tests that use it.
import type { HtmlInput } from '../src/grading/reporters/html.js';

export function syntheticClass(
  students?: number,
  exercises?: number,
  seed?: number,
): {
  assignment: HtmlInput['assignment'] & { exercises: { id: string; points: number }[] };
  students: HtmlInput['students'];
};
