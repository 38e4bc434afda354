// Opening the learner's workspace for a command, and what the learner is told on the way. Kept apart from the
// commands, so that verify and watch open a session without loading the learner's other commands.
import { isAbsolute, relative } from 'node:path';
import { openSession, type Session } from '../app/session.js';
import { say } from '../ui/fit.js';
import { uiText } from '../ui/i18n.js';
import type { CommandContext } from './run.js';

export function sessionFor(ctx: CommandContext, o: { quiet?: boolean } = {}): Session {
  const s = openSession(ctx);
  if (s.recovered) say(ctx.err, uiText(ctx.lang).progressRecovered(s.recovered.backup, s.recovered.reason));
  if (!o.quiet) noteWorkspaceBelow(ctx, s);
  return s;
}

/** Commands run from the folder `init` ran in use the workspace below it; say so, and how to step in. */
export function noteWorkspaceBelow(ctx: CommandContext, s: Session): void {
  const rel = relative(ctx.cwd, s.ws.root);
  if (rel && !rel.startsWith('..') && !isAbsolute(rel)) say(ctx.err, uiText(ctx.lang).usingWorkspace(rel));
}
