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

/**
 * Whether this stream's terminal opens OSC 8 hyperlinks. Never when colour is off (a pipe, NO_COLOR, TERM=dumb),
 * where the escape would be noise; else only terminals known to understand them, since an unknown one may show
 * the escape as text. FORCE_HYPERLINK=1 or 0 decides outright.
 */
export function wantsHyperlinks(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.FORCE_HYPERLINK !== undefined && env.FORCE_HYPERLINK !== '')
    return env.FORCE_HYPERLINK !== '0' && wantsColor(stream, env);
  if (!wantsColor(stream, env) || !stream.isTTY || env.CI) return false;
  // Inside tmux or screen the outer terminal is unknown, and tmux passes links on only when told to.
  if (env.TMUX || /^(screen|tmux)/.test(env.TERM ?? '')) return false;
  const program = env.TERM_PROGRAM ?? '';
  const version = (v: string | undefined) => v?.split('.').map(Number) ?? [];
  const [major = 0, minor = 0] = version(env.TERM_PROGRAM_VERSION);
  if (program === 'iTerm.app') return major > 3 || (major === 3 && minor >= 1);
  if (program === 'vscode') return major > 1 || (major === 1 && minor >= 72);
  if (['WezTerm', 'ghostty', 'Hyper', 'rio'].includes(program)) return true;
  if (env.WT_SESSION || env.KONSOLE_VERSION || env.DOMTERM) return true;
  if (Number(env.VTE_VERSION) >= 5000) return true; // GNOME Terminal and other VTE terminals
  return /^(xterm-kitty|xterm-ghostty|alacritty|foot|wezterm)/.test(env.TERM ?? '');
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
