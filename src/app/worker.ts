// A grading worker: grades one student's exercises as the parent asks, and answers with the scored results. It
// writes nothing to disk but the run folders of its programs; the parent alone writes reports. In `grade` it runs
// inside its own network namespace (wire/sandbox.ts), so the reference peers it starts are reachable only by
// the programs it starts.
import { createInterface } from 'node:readline';
import { validate } from '../grading/schema/load.js';
import { WorkerSession as SessionSchema, WorkerJob, type WorkerSession } from '../grading/schema/worker.js';
import type { Course } from './course.js';
import { openCourse } from './select.js';
import { gradeOneExercise } from './submission.js';

function parse(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}

/** Serve jobs from `input` until it ends and every job is answered. */
export async function serveWorker(
  input: NodeJS.ReadableStream,
  output: NodeJS.WritableStream,
): Promise<void> {
  let session: WorkerSession | undefined;
  let course: Course | undefined;
  const running: Promise<void>[] = [];
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of lines) {
    if (!line.trim()) continue;
    const raw = parse(line);
    if (!session) {
      const s = validate('worker session', raw, SessionSchema);
      if (!s.ok) throw new Error(`bad session: ${JSON.stringify(s.errors)}`);
      session = s.value;
      course = openCourse({ cwd: process.cwd(), lang: session.lang, course: session.course });
      continue;
    }
    const j = validate('worker job', raw, WorkerJob);
    if (!j.ok) throw new Error(`bad job: ${JSON.stringify(j.errors)}`);
    const job = j.value;
    const s = session;
    const c = course as Course;
    running.push(
      (async () => {
        const entry = s.assignment.exercises[job.index];
        if (!entry) throw new Error(`no exercise ${job.index} in the assignment`);
        const scored = await gradeOneExercise(
          {
            course: c,
            coursePath: s.course,
            assignment: s.assignment,
            folder: job.folder,
            student: job.student,
            lang: s.lang,
            seed: s.seed,
            timeScale: s.timeScale,
            interpreter: s.interpreter,
            sandbox: s.sandbox,
            file: job.file,
          },
          entry,
        );
        output.write(`${JSON.stringify({ type: 'result', n: job.n, scored })}\n`);
      })(),
    );
  }
  await Promise.all(running);
}
