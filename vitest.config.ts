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
    projects: [
      { test: { ...shared, name: 'fast', include: FAST } },
      { test: { ...shared, name: 'full', include: ['test/**/*.test.ts'], exclude: FAST } },
    ],
  },
});
