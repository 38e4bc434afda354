// Asking the learner. Only on a terminal: without one, prompts would hang on a silent pipe or pick a choice by
// themselves, so callers get `undefined` and print the equivalent command instead. Ctrl+C at any prompt ends the
// command with 130, as Ctrl+C does everywhere else. Questions and choices are laid out at the terminal's width
// here, by the lessons' rules: the prompt library would otherwise cut them at the last column, inside a word.
import { PromptInterrupted } from '../app/errors.js';
import { cutTo, layout, type Run, width } from './layout.js';

export function canAsk(): boolean {
  return Boolean(process.stdin.isTTY && process.stdout.isTTY);
}

function isExit(err: unknown): boolean {
  return err instanceof Error && (err.name === 'ExitPromptError' || err.name === 'AbortPromptError');
}

/** The terminal's width, for the prompt library writes to stdout. */
function columns(): number {
  return Math.max(20, process.stdout.columns || 80);
}

/**
 * A question laid out for a prompt line that starts with `? ` and ends with `room` more columns (` (Y/n) ` and
 * the answer): the question's lines fit, and its last one leaves that room.
 */
export function fitQuestion(message: string, cols: number, room: number): string {
  const runs: Run[] = [{ text: message }];
  const w = cols - 2;
  let lines = layout(runs, w);
  const last = lines.at(-1) ?? '';
  if (width(last) + room > w) {
    // Lay the whole question out narrower, so its last line leaves the room and no line ends up short and lone.
    for (let narrower = w - 1; narrower >= Math.max(10, w - room); narrower--) {
      lines = layout(runs, narrower);
      if (width(lines.at(-1) ?? '') + room <= w) break;
    }
  }
  return lines.join('\n  ');
}

/** A choice's name laid out to fit after the cursor (`❯ `), wrapped lines indented under its first word. */
export function fitChoice(name: string, cols: number): string {
  if (width(name) <= cols - 2) return name;
  const lead = /^ */.exec(name)?.[0] ?? '';
  const mark = /^ *\S+ +/.exec(name)?.[0] ?? lead;
  // A picker row (`  ✓ id  title`) continues under its text, not under its mark.
  const pad = ' '.repeat(Math.min(mark.length, Math.floor((cols - 2) / 2)));
  const [first = '', ...rest] = layout(
    [{ text: name.slice(lead.length) }],
    cols - 2 - lead.length,
    cols - 2 - pad.length,
  );
  return [lead + first, ...rest.map((l) => pad + l)].join('\n');
}

/** true / false, or undefined when there is no terminal to ask on. Ctrl+C ends the command (exit 130). */
export async function confirm(message: string, initial = false): Promise<boolean | undefined> {
  if (!canAsk()) return undefined;
  const { confirm: ask } = await import('@inquirer/prompts');
  try {
    return await ask({ message: fitQuestion(message, columns(), 9), default: initial });
  } catch (err) {
    if (isExit(err)) throw new PromptInterrupted();
    throw err;
  }
}

/** A line of text typed by the learner (trimmed), or undefined without a terminal. Ctrl+C ends the command. */
export async function askText(message: string, initial = ''): Promise<string | undefined> {
  if (!canAsk()) return undefined;
  const { input } = await import('@inquirer/prompts');
  try {
    const answer = await input({
      message: fitQuestion(message, columns(), Math.min(30, width(initial) + 24)),
      ...(initial ? { default: initial } : {}),
    });
    return answer.trim();
  } catch (err) {
    if (isExit(err)) throw new PromptInterrupted();
    throw err;
  }
}

export interface Choice<T> {
  name: string;
  value: T;
  /** What the answered question shows as the answer (default: the name, trimmed). */
  short?: string;
  description?: string;
  disabled?: boolean | string;
}

export interface AskOptions {
  /** Rows of choices shown at once (default 14). */
  pageSize?: number;
  /** The words of the key help line under a list ("↑↓ navigate • ⏎ select"), in the learner's language. */
  keys?: { navigate: string; select: string };
  /** The terminal's width (default: stdout's). */
  columns?: number;
}

/** How every list is asked: tall enough for the whole menu, not wrapping round at the ends, fitted to the width. */
export function selectConfig<T>(message: string, choices: Choice<T>[], initial?: T, o: AskOptions = {}) {
  const words = o.keys;
  const cols = o.columns ?? columns();
  const question = fitQuestion(message, cols, 1);
  // Once answered, the question's last line is followed by the answer: what fits of it there.
  const room = cols - 2 - width(question.split('\n').at(-1) ?? '') - 1;
  const short = (c: Choice<T>) => {
    const s = (c.short ?? c.name).trim().replace(/\s+/g, ' ');
    return width(s) <= room ? s : `${cutTo(s, Math.max(1, room - 1))}…`;
  };
  return {
    message: question,
    choices: choices.map((c) => ({ ...c, name: fitChoice(c.name, cols), short: short(c) })),
    pageSize: o.pageSize ?? 14,
    loop: false,
    ...(initial !== undefined ? { default: initial } : {}),
    ...(words
      ? {
          theme: {
            style: {
              keysHelpTip: (keys: [string, string][]) =>
                keys
                  .map(
                    ([key, action]) =>
                      `${key} ${action === 'navigate' ? words.navigate : action === 'select' ? words.select : action}`,
                  )
                  .join(' • '),
            },
          },
        }
      : {}),
  };
}

/** The chosen value. Ctrl+C ends the command (exit 130). */
export async function choose<T>(
  message: string,
  choices: Choice<T>[],
  initial?: T,
  o: AskOptions = {},
): Promise<T> {
  const { select } = await import('@inquirer/prompts');
  try {
    return await select<T>(selectConfig(message, choices, initial, o));
  } catch (err) {
    if (isExit(err)) throw new PromptInterrupted();
    throw err;
  }
}
