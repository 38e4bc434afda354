// `socketlings init --ci github`: a starter repository's GitHub Actions workflow and assignment. The workflow runs
// `socketlings grade` with the classroom and github reporters; GitHub Classroom's grading reporter then reads the
// step's `result` output (env var <STEP ID>_RESULTS, with `runners: <step id>`), so the step id must stay
// `socketlings`.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Course } from './course.js';
import { UserError } from './errors.js';

export const WORKFLOW = join('.github', 'workflows', 'socketlings.yml');
export const ASSIGNMENT = 'socketlings-assignment.yaml';

export function workflowYaml(version: string): string {
  return `# Grades this repository with socketlings on every push. Made by \`socketlings init --ci github\`.
name: socketlings
on:
  push:
  workflow_dispatch:
permissions:
  checks: write
  actions: read
  contents: read
jobs:
  grade:
    runs-on: ubuntu-latest
    timeout-minutes: 15
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: 20
      - uses: actions/setup-python@v5
        with:
          python-version: '3.12'
      # The step id is what the Classroom grading reporter reads: keep it "socketlings".
      - id: socketlings
        name: Grade with socketlings
        run: >-
          npx --yes socketlings@${version} grade
          --assignment ${ASSIGNMENT}
          --reporter pretty --reporter github --reporter classroom --reporter junit
          --out socketlings-report
      - name: Keep the reports
        if: always()
        uses: actions/upload-artifact@v4
        with:
          name: socketlings-report
          path: socketlings-report
      - name: Points for GitHub Classroom
        if: always()
        uses: classroom-resources/autograding-grading-reporter@v1
        env:
          SOCKETLINGS_RESULTS: \${{ steps.socketlings.outputs.result }}
        with:
          runners: socketlings
`;
}

export function assignmentYaml(course: Course): string {
  const lines = course.exercises.map((e) => `  - { id: ${e.id}, points: 10 }`);
  return `# What is graded, for how many points. The format is in socketlings' README ("Assignments").
format: 1
title: ${course.id}
exercises:
${lines.join('\n')}
# Students see full transcripts and hints; "summary" shows only which checks passed.
feedback: full
# Each student gets inputs of their own, the same on every rerun.
seed: { policy: per-student }
# Pass at 60 % of all points.
pass: { percent: 60 }
# Raise on slow CI machines.
time_scale: 1.5
`;
}

export function writeCi(root: string, course: Course, version: string): string[] {
  const files = [
    [WORKFLOW, workflowYaml(version)],
    [ASSIGNMENT, assignmentYaml(course)],
  ] as const;
  for (const [rel] of files)
    if (existsSync(join(root, rel)))
      throw new UserError(
        `${rel} already exists; socketlings never overwrites files`,
        'remove it first if you want a new one',
      );
  for (const [rel, text] of files) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  return files.map(([rel]) => rel);
}
