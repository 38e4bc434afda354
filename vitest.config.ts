import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { defineConfig } from 'vitest/config';

/**
 * The fast tests: in-process, no program graded, no terminal or browser started (`npm run test:fast`, well under
 * two minutes). Everything else grades real programs on real sockets, in terminals and browsers, and is the rest
 * of `npm test`. README, "Which tests to run", maps each source folder to the tests that cover it.
 */
export const FAST = [
  'test/units.test.ts',
  'test/layout.test.ts',
  'test/text-widths.test.ts',
  'test/reporters.test.ts',
  'test/report-rules.test.ts',
  'test/reporter-registry.test.ts',
  'test/house.test.ts',
  'test/safe-text.test.ts',
  'test/prompts.test.ts',
  'test/pack.test.ts',
  'test/sandbox.test.ts',
];

/**
 * The files that take longest, with their seconds in a CI run on two cores (four files at once). A fresh clone has
 * no results cache, and vitest then starts the largest files first: the fixture programs' files are small but
 * among the longest, and started last they ran alone at the end, five programs graded at a time each, on an
 * otherwise idle pool. Started longest first, the long files overlap the short ones. Update the figures when a
 * file's time changes much (`.ci/run` writes every file's time to .ci/vitest-results.json).
 */
const SECONDS: Record<string, number> = {
  'test/grade.test.ts': 133,
  'test/programs-1.test.ts': 112,
  'test/terminal-fit.test.ts': 102,
  'test/programs-2.test.ts': 90,
  'test/ci-workflow.test.ts': 89,
  'test/workspace-lock.test.ts': 83,
  'test/engine.test.ts': 79,
  'test/hostile-input.test.ts': 72,
  'test/ci-init.test.ts': 71,
  'test/programs-3.test.ts': 70,
  'test/portable.test.ts': 69,
  'test/recipes.test.ts': 68,
  'test/exercises.test.ts': 61,
  'test/package.test.ts': 57,
  'test/merge.test.ts': 56,
  'test/hostile.test.ts': 46,
  'test/battery.test.ts': 41,
  'test/hostile-limits.test.ts': 38,
  'test/programs-portable-2.test.ts': 37,
  'test/progress.test.ts': 34,
  'test/programs-portable-1.test.ts': 33,
  'test/wire-view.test.ts': 31,
  'test/html-report.test.ts': 31,
  'test/programs-portable-3.test.ts': 30,
  'test/soak.test.ts': 27,
  'test/dead-ends.test.ts': 25,
  'test/cli.test.ts': 25,
};

/** Vitest's order (the fast project first, a results cache where there is one), but the long files first. */
class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const seconds = (f: TestSpecification) => SECONDS[relative(f.project.config.root, f.moduleId)] ?? 0;
    const projects = [...new Set(sorted.map((f) => f.project.name))];
    const project = (f: TestSpecification) => projects.indexOf(f.project.name);
    // Stable: files of equal weight keep vitest's order.
    return sorted.sort((a, b) => project(a) - project(b) || seconds(b) - seconds(a));
  }
}

const shared = {
  globalSetup: ['test/global-setup.ts'],
  // A test CI must run but cannot here fails by name (test/needs.ts).
  setupFiles: ['test/setup.ts'],
  // Graders start real processes and sockets; give each test room on a shared 2-core machine.
  testTimeout: 60_000,
  hookTimeout: 60_000,
};

export default defineConfig({
  test: {
    // Every skipped test, with the reason, after the summary.
    reporters: ['default', './test/skip-reasons.ts'],
    // Most of a test's time is a grader waiting on sockets and budgets, not computing (with three files at once the
    // suite used 1.25 of two cores): four keep them busy, and the suite must be right on a busy machine anyway.
    maxWorkers: 4,
    sequence: { sequencer: LongestFirst },
    projects: [
      { test: { ...shared, name: 'fast', include: FAST } },
      { test: { ...shared, name: 'full', include: ['test/**/*.test.ts'], exclude: FAST } },
    ],
  },
});
