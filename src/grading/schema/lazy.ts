// The schemas, each loaded on first use. zod and a schema module cost more to load than most commands spend on
// their work, and most commands need no schema at all: the package's own course comes checked from the build
// (checked-cache.ts), and a learner's workspace files are read only where there is a workspace. Loaded
// synchronously, since every reader is (Node >= 20.19 loads an ES module through require).
import { createRequire } from 'node:module';
import { distFile, FROM_SOURCES, IN_BUNDLE } from '../../wire/package-files.js';

type Modules = {
  course: typeof import('./course.js');
  grader: typeof import('./grader.js');
  workspace: typeof import('./workspace.js');
  progress: typeof import('./progress.js');
};

const req = createRequire(import.meta.url);

// Run from the TypeScript sources (the tests, tsx), a module cannot be required: there they are loaded up front.
const fromSources: Modules | undefined = FROM_SOURCES
  ? {
      course: await import('./course.js'),
      grader: await import('./grader.js'),
      workspace: await import('./workspace.js'),
      progress: await import('./progress.js'),
    }
  : undefined;

function load<K extends keyof Modules>(name: K): Modules[K] {
  // By the package's path, not this module's: in the bundle (dist/cli/) this module is not beside them. The
  // bundle has its own entry for each (build-bundle.ts), sharing the bundle's zod.
  const file = IN_BUNDLE ? `cli/schema-${name}.js` : `grading/schema/${name}.js`;
  return fromSources?.[name] ?? (req(distFile(file)) as Modules[K]);
}

export const schemas = {
  course: () => load('course').CourseManifest,
  frontMatter: () => load('course').FrontMatter,
  hints: () => load('course').Hints,
  grader: () => load('grader').Grader,
  workspace: () => load('workspace').WorkspaceManifest,
  progress: () => load('progress').Progress,
};
