// Before every test: one that CI must run but cannot here (see needs.ts) fails, naming what is missing.
import { beforeEach } from 'vitest';
import './needs.js';

beforeEach(({ task }) => {
  if (task.meta.missingInCi) throw new Error(task.meta.missingInCi);
});
