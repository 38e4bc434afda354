// Which language the learner reads.
import { LANGS, type Lang } from '../grading/lang.js';
import { UserError } from './errors.js';

export function parseLang(value: string, from: string): Lang {
  const norm = value.trim().replace('_', '-');
  const direct = LANGS.find((l) => l.toLowerCase() === norm.toLowerCase());
  if (direct) return direct;
  if (/^zh(-(cn|hans|sg))?$/i.test(norm)) return 'zh-CN';
  // Said in both languages: which one the user reads is exactly what is unknown here.
  throw new UserError(
    `${from}: unknown language "${value}" / 未知的语言“${value}”`,
    `use one of / 可选：${LANGS.join(', ')}`,
  );
}

/** --lang, then SOCKETLINGS_LANG, then the workspace's chosen language, then the locale, else English. */
export function resolveLang(
  flag: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
  workspaceLang?: Lang,
): Lang {
  if (flag) return parseLang(flag, '--lang');
  if (env.SOCKETLINGS_LANG) return parseLang(env.SOCKETLINGS_LANG, 'SOCKETLINGS_LANG');
  if (workspaceLang) return workspaceLang;
  const locale =
    env.LC_ALL || env.LC_MESSAGES || env.LANG || Intl.DateTimeFormat().resolvedOptions().locale || '';
  return /^zh/i.test(locale) ? 'zh-CN' : 'en';
}
