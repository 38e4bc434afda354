// What the learner's program may see of our environment. Anything that could be a credential stays out, even
// when a teacher runs socketlings inside a CI job full of tokens.

/** Variables a program needs to start and to find its tools. */
const PASS = new Set([
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'LANG',
  'LC_ALL',
  'LC_CTYPE',
  'TERM',
  'TMPDIR',
  'TEMP',
  'TMP',
  'SHELL',
  'SYSTEMROOT',
  'WINDIR',
  'COMSPEC',
  'PATHEXT',
  'PYTHONPATH',
  'PYTHONHOME',
  'VIRTUAL_ENV',
  'PYENV_ROOT',
  'PYENV_VERSION',
  'CONDA_PREFIX',
  'LD_LIBRARY_PATH',
]);
const SECRET = /TOKEN|SECRET|PASSWORD|PASSWD|KEY|CREDENTIAL|AUTH|COOKIE|SESSION/i;

export function scrubbedEnv(from: NodeJS.ProcessEnv, extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(from)) {
    if (value === undefined || SECRET.test(name)) continue;
    if (PASS.has(name) || name.startsWith('SOCKETLINGS_')) env[name] = value;
  }
  // Python block-buffers stdout into a pipe; without this a learner's prints arrive late or never.
  env.PYTHONUNBUFFERED = '1';
  env.PYTHONIOENCODING = 'utf-8';
  env.PYTHONDONTWRITEBYTECODE = '1';
  for (const [name, value] of Object.entries(extra)) env[name] = value;
  return env;
}
