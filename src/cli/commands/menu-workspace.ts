// The menu's way to a workspace for a learner who has none here: found, proposed, or made where they say.
import { homedir } from 'node:os';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { PromptInterrupted, UserError } from '../../app/errors.js';
import { initWorkspace } from '../../app/init.js';
import { DEFAULT_WORKSPACE_DIR, insidePackage, workspaceRootOf } from '../../app/locate.js';
import { openCourse } from '../../app/select.js';
import { askText, confirm } from '../../ui/ask.js';
import { fitText, say, widthOf } from '../../ui/fit.js';
import { uiText } from '../../ui/i18n.js';
import { styleFor } from '../../ui/style.js';
import { cliCommand } from '../../wire/invocation.js';
import type { CommandContext } from '../context.js';

/** `~/x` for a folder in the home folder: shorter, and what the learner would type. */
export function shown(dir: string): string {
  const home = homedir();
  const rel = relative(home, dir);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? `~${sep}${rel}` : dir;
}

function expandHome(typed: string): string {
  return typed === '~' ? homedir() : typed.startsWith('~/') ? join(homedir(), typed.slice(2)) : typed;
}

/**
 * A workspace for a learner who has none here: ./socketlings as proposed, or, inside socketlings' own folder
 * (a clone after `npm link`), ~/socketlings, outside the repository. Saying no asks for another folder; Enter
 * alone leaves without one. The root of the workspace, or undefined when the learner chose none.
 */
export async function findOrMakeWorkspace(c: CommandContext): Promise<string | undefined> {
  const t = uiText(c.lang);
  const inClone = insidePackage(c.cwd);
  const proposal = inClone ? join(homedir(), DEFAULT_WORKSPACE_DIR) : resolve(c.cwd, DEFAULT_WORKSPACE_DIR);
  const existing = workspaceRootOf(proposal) === proposal ? proposal : undefined;
  if (existing) {
    if (await confirm(t.openHomeWorkspace(shown(existing)), true)) return existing;
  } else if (await confirm(inClone ? t.cloneNoWorkspace(shown(proposal)) : t.noWorkspaceHere, true)) {
    const made = makeWorkspace(c, proposal, inClone ? shown(proposal) : DEFAULT_WORKSPACE_DIR);
    if (made) return made;
  }
  for (;;) {
    const typed = await askText(t.whereWorkspace);
    if (!typed) {
      say(c.out, t.noWorkspaceMade(cliCommand()));
      return undefined;
    }
    const dir = resolve(c.cwd, expandHome(typed));
    if (workspaceRootOf(dir) === dir) {
      say(c.out, t.workspaceOpened(shown(dir)));
      return dir;
    }
    const made = makeWorkspace(c, dir, typed);
    if (made) return made;
  }
}

/** init in `dir`; a folder that cannot take a workspace is said, with why, and the learner asked again. */
function makeWorkspace(c: CommandContext, dir: string, typed: string): string | undefined {
  const t = uiText(c.lang);
  try {
    const course = openCourse(c);
    const r = initWorkspace({ course, coursePath: c.course, dir, cwd: c.cwd, lang: c.lang });
    say(c.out, t.initDone(typed, course.exercises.length));
    return r.workspace.root;
  } catch (err) {
    if (!(err instanceof UserError) || err instanceof PromptInterrupted) throw err;
    tell(c, err);
    return undefined;
  }
}

/** A problem with one action, said as the top level would say it; the menu goes on. */
export function tell(c: CommandContext, err: UserError): void {
  const w = widthOf(c.out);
  const st = styleFor(c.out);
  c.out.write(`${st.red(fitText(err.message, w))}\n`);
  if (err.next) c.out.write(`${fitText(`  → ${err.next}`, w)}\n`);
}
