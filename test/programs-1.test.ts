// Part 1 of the other programs for each exercise (see other-programs.ts).
import { otherPrograms } from './other-programs.js';

otherPrograms(0);
