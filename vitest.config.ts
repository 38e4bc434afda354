import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // A test CI must run but cannot here fails by name (test/needs.ts).
    setupFiles: ['test/setup.ts'],
    // Every skipped test, with the reason, after the summary.
    reporters: ['default', './test/skip-reasons.ts'],
    // Graders start real processes and sockets; give each test room on a shared 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Most of a test's time is a grader waiting on sockets and budgets, not computing: three files at once keep
    // two cores busy, and the suite must be right on a busy machine anyway.
    maxWorkers: 3,
  },
});
