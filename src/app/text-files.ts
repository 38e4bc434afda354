// Reading a text file a command shows whole (a lesson, an exercise text), through the one capped, checked reader.
import { formatFileError, readText } from '../grading/schema/load.js';
import { shownPath } from './course.js';
import { UserError } from './errors.js';

/** The file's text, or a UserError naming the file, what is wrong and the fix. */
export function mustReadText(file: string, cwd = process.cwd()): string {
  const r = readText(file, shownPath(file, cwd));
  if (r.ok) return r.value;
  throw new UserError(r.errors.map(formatFileError).join('\n'));
}
