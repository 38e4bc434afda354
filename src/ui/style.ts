// Colour and symbols, decided once per output stream. NO_COLOR, a pipe or TERM=dumb mean plain text.

export interface Style {
  color: boolean;
  bold: (s: string) => string;
  dim: (s: string) => string;
  red: (s: string) => string;
  green: (s: string) => string;
  yellow: (s: string) => string;
  cyan: (s: string) => string;
  ok: string;
  bad: string;
  skip: string;
  error: string;
}

export function wantsColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return Boolean(stream.isTTY) && env.TERM !== 'dumb';
}

/** Old Windows consoles cannot draw ✓ and ✗; Windows Terminal and every Unix terminal can. */
function unicodeOk(env: NodeJS.ProcessEnv): boolean {
  return process.platform !== 'win32' || Boolean(env.WT_SESSION) || env.TERM_PROGRAM === 'vscode';
}

export function makeStyle(color: boolean, env: NodeJS.ProcessEnv = process.env): Style {
  const paint = (open: number, close: number) => (s: string) =>
    color ? `\x1b[${open}m${s}\x1b[${close}m` : s;
  const uni = unicodeOk(env);
  const green = paint(32, 39);
  const red = paint(31, 39);
  const yellow = paint(33, 39);
  return {
    color,
    bold: paint(1, 22),
    dim: paint(2, 22),
    red,
    green,
    yellow,
    cyan: paint(36, 39),
    ok: green(uni ? '✓' : 'v'),
    bad: red(uni ? '✗' : 'x'),
    skip: yellow(uni ? '–' : '-'),
    error: red('!'),
  };
}

export function styleFor(stream: { isTTY?: boolean }): Style {
  return makeStyle(wantsColor(stream));
}
