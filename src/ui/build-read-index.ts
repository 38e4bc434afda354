// Build step (npm run build): write dist/read-index.json for the built-in course (see read-index.ts).
import { rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { builtinCourseDir, loadCourse } from '../app/course.js';
import { formatFileError } from '../grading/schema/load.js';
import { READ_INDEX, type ReadIndex } from './read-index.js';

const root = builtinCourseDir();
rmSync(READ_INDEX, { force: true });
const course = loadCourse(root, root);
if (!course.ok) {
  // Do not fail the install over it: `read` then loads the course, and the tests report its problems.
  console.warn(
    `read index skipped, the built-in course has problems:\n${course.errors.map(formatFileError).join('\n')}`,
  );
} else {
  const sources = (dir: string) =>
    Object.fromEntries(course.value.languages.map((lang) => [lang, relative(root, join(dir, `${lang}.md`))]));
  const index: ReadIndex = {
    course: course.value.id,
    lessons: course.value.lessons.map((l) => ({ id: l.id, sources: sources(l.dir) })),
    exercises: course.value.exercises.map((e) => ({ id: e.id, sources: sources(e.dir) })),
  };
  writeFileSync(READ_INDEX, `${JSON.stringify(index, null, 1)}\n`);
}
