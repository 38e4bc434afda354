// Part 3 of the other programs for each exercise, in the portable mode (see other-programs.ts). Off Linux the
// plain files already run that way.
import { test } from 'vitest';
import { MODES } from './helpers.js';
import { needs } from './needs.js';
import { otherPrograms } from './other-programs.js';

const portable = MODES.find((m) => m.name === 'portable');
if (portable && portable !== MODES[0]) otherPrograms(2, portable);
else
  test(
    'in the portable mode too',
    needs({
      name: 'a second way of grading',
      missing: 'the portable way is the only one here, and programs-3 runs it',
      inCi: false,
    }),
    () => {},
  );
