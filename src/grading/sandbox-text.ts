// The one line that says whom graded programs ran as and within which limits (README, "Sandbox"): under a grade,
// under `verify --sandbox`, and in the class report.
import { messages } from './messages.js';
import type { SandboxInfo } from './results.js';
import type { Lang } from './schema/course.js';
import { sizeText } from './text.js';

export function sandboxLine(info: SandboxInfo, lang: Lang): string {
  return messages(lang).sandboxed(
    info.user,
    sizeText(info.memory),
    info.memoryBy === 'per process' ? undefined : info.memoryBy,
    sizeText(info.addressSpace),
    sizeText(info.disk),
    info.processes,
    info.userns,
  );
}
