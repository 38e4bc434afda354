// A reporter that lists every test skipped for a reason (see needs.ts) after vitest's own summary, so a run on a
// machine without tmux or the sandbox says what it did not test, and why. Tests left out by a filter (-t) or
// marked `.skip` have no reason and are only counted.
import type { Reporter, TestModule } from 'vitest/node';

export default class SkipReasons implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const lines: string[] = [];
    let unexplained = 0;
    for (const m of modules)
      for (const t of m.children.allTests('skipped')) {
        const why = t.meta().skipped;
        if (why) lines.push(`  ${m.relativeModuleId} › ${t.fullName}: ${why}`);
        else unexplained++;
      }
    if (lines.length) console.log(`\nskipped, and why:\n${lines.join('\n')}`);
    if (unexplained) console.log(`\n${unexplained} more skipped by a filter or .skip, with no reason given`);
  }
}
