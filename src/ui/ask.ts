// Asking the learner. Only on a terminal: without one, prompts would hang on a silent pipe or pick a choice by
// themselves, so callers get `undefined` and print the equivalent command instead.
export function canAsk(): boolean {
  return Boolean(process.stdin.isTTY && process.stdout.isTTY);
}

function isExit(err: unknown): boolean {
  return err instanceof Error && (err.name === 'ExitPromptError' || err.name === 'AbortPromptError');
}

/** Where a prompt reads keys and draws: the process's terminal, unless a test drives it through streams. */
export interface PromptStreams {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
}

/** true / false, or undefined when there is no terminal to ask on. Ctrl+C counts as no. */
export async function confirm(
  message: string,
  initial = false,
  streams?: PromptStreams,
): Promise<boolean | undefined> {
  if (!streams && !canAsk()) return undefined;
  const { confirm: ask } = await import('@inquirer/prompts');
  try {
    return await ask({ message, default: initial }, streams);
  } catch (err) {
    if (isExit(err)) return false;
    throw err;
  }
}

export interface Choice<T> {
  name: string;
  value: T;
  description?: string;
  disabled?: boolean | string;
}

export interface AskOptions {
  /** Rows of choices shown at once (default 14). */
  pageSize?: number;
  /** The words of the key help line under a list ("↑↓ navigate • ⏎ select"), in the learner's language. */
  keys?: { navigate: string; select: string };
}

/** How every list is asked: tall enough for the whole menu, and not wrapping round at the ends. */
export function selectConfig<T>(message: string, choices: Choice<T>[], initial?: T, o: AskOptions = {}) {
  const words = o.keys;
  return {
    message,
    choices,
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

/** The chosen value, or undefined on Ctrl+C. */
export async function choose<T>(
  message: string,
  choices: Choice<T>[],
  initial?: T,
  o: AskOptions = {},
): Promise<T | undefined> {
  const { select } = await import('@inquirer/prompts');
  try {
    return await select<T>(selectConfig(message, choices, initial, o));
  } catch (err) {
    if (isExit(err)) return undefined;
    throw err;
  }
}
