// The one line that says whom graded programs ran as and within which limits (README, "Sandbox"), shown under a
// grade and under `verify --sandbox`.
import type { Lang } from '../grading/lang.js';
import type { SandboxInfo } from '../grading/results.js';
import { sizeText } from '../grading/text.js';
import { uiText } from './i18n.js';

export function sandboxLine(info: SandboxInfo, lang: Lang): string {
  return uiText(lang).sandboxed(
    info.user,
    sizeText(info.memory),
    info.memoryBy === 'per process' ? undefined : info.memoryBy,
    sizeText(info.addressSpace),
    sizeText(info.disk),
    info.processes,
  );
}
