// `socketlings init --ci github`: a starter repository's GitHub Actions workflow and assignment. The workflow runs
// `socketlings grade` with the classroom and github reporters; GitHub Classroom's grading reporter then reads the
// step's `result` output (env var <STEP ID>_RESULTS, with `runners: <step id>`), so the step id must stay
// `socketlings`.
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { type Course, pick } from './course.js';
import { UserError } from './errors.js';

export const WORKFLOW = join('.github', 'workflows', 'socketlings.yml');
export const ASSIGNMENT = 'socketlings-assignment.yaml';

/** Where a tarball given to `--from` is kept in the repository, so the workflow can install it. */
export const VENDOR_DIR = join('.github', 'socketlings');

/**
 * Where the workflow gets socketlings (`init --ci github --from <spec>`):
 * - an npm version, `0.2.0` or `socketlings@0.2.0`: from the registry (the default: this version);
 * - a tarball, a local `.tgz` (copied into the repository) or an https URL to one;
 * - a git URL (`git+https://…`, `https://….git`, `github:owner/repo`, each with an optional `#ref`): cloned and
 *   packed on the runner, since a git install does not build the CLI.
 */
export type Source =
  | { kind: 'npm'; spec: string }
  | { kind: 'tarball'; spec: string; copyFrom?: string }
  | { kind: 'git'; url: string; ref?: string };

export function parseSource(from: string, cwd: string): Source | undefined {
  const spec = from.trim();
  if (/^(socketlings@)?\d+\.\d+\.\d+(-[\w.]+)?$/.test(spec))
    return { kind: 'npm', spec: spec.startsWith('socketlings@') ? spec : `socketlings@${spec}` };
  const [base = '', ref] = spec.split('#', 2);
  const gh = /^github:([\w.-]+\/[\w.-]+)$/.exec(base);
  if (gh) return { kind: 'git', url: `https://github.com/${gh[1]}.git`, ...(ref ? { ref } : {}) };
  if (
    /^git\+(https|ssh):\/\//.test(base) ||
    /^https:\/\/\S+\.git$/.test(base) ||
    /^git@[\w.-]+:\S+$/.test(base)
  )
    return { kind: 'git', url: base.replace(/^git\+/, ''), ...(ref ? { ref } : {}) };
  if (/^https:\/\/\S+\.(tgz|tar\.gz)$/.test(spec)) return { kind: 'tarball', spec };
  if (/\.(tgz|tar\.gz)$/.test(spec)) {
    const file = resolve(cwd, spec);
    if (!existsSync(file)) return undefined;
    return {
      kind: 'tarball',
      spec: `./${join(VENDOR_DIR, basename(file)).replace(/\\/g, '/')}`,
      copyFrom: file,
    };
  }
  return undefined;
}

/** The workflow step that puts `socketlings` on the runner's PATH. */
function installStep(source: Source): string {
  const step = (run: string) => `      - name: Install socketlings
        run: ${run}`;
  switch (source.kind) {
    case 'npm':
    case 'tarball':
      return step(`npm install --global --no-audit --no-fund ${source.spec}`);
    case 'git':
      return step(`|
          git clone --depth 1 ${source.ref ? `--branch ${source.ref} ` : ''}${source.url} "$RUNNER_TEMP/socketlings"
          cd "$RUNNER_TEMP/socketlings"
          npm ci --no-audit --no-fund
          npm pack --pack-destination "$RUNNER_TEMP"
          npm install --global --no-audit --no-fund "$RUNNER_TEMP"/socketlings-*.tgz`);
    default:
      return source satisfies never;
  }
}

/**
 * The actions the workflow uses, at their current major versions (checked against each action's releases in
 * 2026-12: checkout, setup-node, setup-python and upload-artifact are at v7, all on the node24 runtime; the
 * Classroom grading reporter has only v1). A major tag takes every fix of that major without a new workflow.
 */
export const ACTIONS = {
  checkout: 'actions/checkout@v7',
  setupNode: 'actions/setup-node@v7',
  setupPython: 'actions/setup-python@v7',
  uploadArtifact: 'actions/upload-artifact@v7',
  classroomReporter: 'classroom-resources/autograding-grading-reporter@v1',
} as const;

/** Node 24: the maintained line with the longest support left (to April 2028); Node 20 ended in April 2026. */
export const CI_NODE = '24';
/** A Python of the supported range (3.11 and newer), with years of support left. */
export const CI_PYTHON = '3.13';

function installNote(source: Source): string {
  switch (source.kind) {
    case 'npm':
      return `# socketlings comes from the npm registry (${source.spec}).`;
    case 'tarball':
      return source.copyFrom
        ? '# socketlings comes from the packed copy kept in .github/socketlings/, so the workflow needs nothing\n# from a registry but its dependencies. To move to a published version: socketlings init --ci github --from <version>.'
        : `# socketlings comes from ${source.spec}.`;
    case 'git':
      return `# socketlings is built from ${source.url}${source.ref ? ` (${source.ref})` : ''}.`;
    default:
      return source satisfies never;
  }
}

/**
 * The git repository `dir` lies in, when its root is above `dir`: GitHub runs only the workflows at a
 * repository's root, so a workspace made in a subfolder has its workflow written up there.
 */
export function repositoryAbove(dir: string): string | undefined {
  for (let d = resolve(dir); ; d = dirname(d)) {
    if (existsSync(join(d, '.git'))) return d === resolve(dir) ? undefined : d;
    if (dirname(d) === d) return undefined;
  }
}

export function workflowYaml(
  version: string,
  source: Source = { kind: 'npm', spec: `socketlings@${version}` },
  /** The workspace's folder in the repository, when it is not the repository's root. */
  folder?: string,
): string {
  const sub = folder?.replace(/\\/g, '/');
  return `# Grades this repository with socketlings on every push. Made by \`socketlings init --ci github\` (socketlings ${version}).
${installNote(source)}
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
    timeout-minutes: 15${
      sub
        ? `
    # The workspace is in ${sub}/ of the repository: every command runs there.
    defaults:
      run:
        working-directory: ${JSON.stringify(sub)}`
        : ''
    }
    steps:
      - uses: ${ACTIONS.checkout}
      - uses: ${ACTIONS.setupNode}
        with:
          node-version: ${CI_NODE}
      # Any Python from 3.11 on grades the same way.
      - uses: ${ACTIONS.setupPython}
        with:
          python-version: '${CI_PYTHON}'
      # Every graded program runs in bubblewrap's sandbox; Ubuntu's AppArmor must allow its user namespaces.
      # Without it socketlings still grades, and the report says the run was not isolated.
      - name: Sandbox for graded programs
        run: |
          sudo apt-get install -y bubblewrap || { sudo apt-get update && sudo apt-get install -y bubblewrap; } ||
            echo "::warning title=socketlings::bubblewrap could not be installed: programs are graded without the sandbox"
          sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0 || true
${installStep(source)}
      # The step id is what the Classroom grading reporter reads: keep it "socketlings".
      - id: socketlings
        name: Grade with socketlings
        run: >-
          socketlings grade
          --assignment ${ASSIGNMENT}
          --reporter pretty --reporter github --reporter classroom --reporter junit --reporter html
          --out socketlings-report
      - name: Keep the reports
        if: always()
        uses: ${ACTIONS.uploadArtifact}
        with:
          name: socketlings-report
          path: ${sub ? `${sub}/` : ''}socketlings-report
      # Only when grading gave a result: otherwise the grade step's own error is the one to read.
      - name: Points for GitHub Classroom
        if: always() && steps.socketlings.outputs.result != ''
        uses: ${ACTIONS.classroomReporter}
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
title: ${JSON.stringify(pick(course.title, course.languages[0] ?? 'en', course.languages) ?? course.id)}
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

/** Where the workflow goes for a workspace at `root`, relative to `root` (up at the repository's root if any). */
export function workflowPlace(root: string): { rel: string; folder?: string } {
  const repo = repositoryAbove(root);
  if (!repo) return { rel: WORKFLOW };
  return { rel: join(relative(root, repo), WORKFLOW), folder: relative(repo, root) };
}

/** Refuses to go on when a file the CI setup writes is there already: socketlings never overwrites. */
export function checkCiFree(root: string, extra: string[] = []): void {
  for (const rel of [workflowPlace(root).rel, ASSIGNMENT, ...extra])
    if (existsSync(join(root, rel)))
      throw new UserError(
        `${rel} already exists; socketlings never overwrites files`,
        'remove it first if you want a new one',
      );
}

/** Writes the CI files; the paths written, relative to `root` (the workflow may be above it). */
export function writeCi(root: string, course: Course, version: string, source?: Source): string[] {
  const place = workflowPlace(root);
  const files = [
    [place.rel, workflowYaml(version, source, place.folder)],
    [ASSIGNMENT, assignmentYaml(course)],
  ] as const;
  const vendored =
    source?.kind === 'tarball' && source.copyFrom ? join(VENDOR_DIR, basename(source.copyFrom)) : undefined;
  checkCiFree(root, vendored ? [vendored] : []);
  for (const [rel, text] of files) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text, { flag: 'wx' });
  }
  const written = files.map(([rel]) => rel as string);
  if (vendored && source?.kind === 'tarball' && source.copyFrom) {
    mkdirSync(join(root, VENDOR_DIR), { recursive: true });
    copyFileSync(source.copyFrom, join(root, vendored));
    written.push(vendored);
  }
  return written;
}
