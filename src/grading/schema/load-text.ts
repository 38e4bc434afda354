// What the file loader says when a file cannot be taken in at all, per language. The loader has no language
// parameter (dozens of callers read files), so the command sets it once with `setFileLang`.
import type { Lang } from '../lang.js';

const en = {
  notFound: 'file not found',
  notFoundFix: 'create the file, or correct the path that refers to it',
  cannotRead: (code: string) => `cannot read it (${code})`,
  cannotReadFix: 'check its permissions',
  isFolder: 'this is a folder, not a file',
  isFolderFix: 'point at the file inside it, or remove the folder and put the file in its place',
  notRegular: (kind: string) => `this is a ${kind}, not a regular file; socketlings reads only regular files`,
  notRegularFix: 'replace it with an ordinary file',
  tooBig: (size: number, limit: number) =>
    `the file is too big (${size} bytes; at most ${limit} bytes are read from a file of this kind)`,
  tooBigFix: 'shorten it, or split it into several files',
  notUtf8: (offset: number) => `the file is not UTF-8 text (invalid byte at offset ${offset})`,
  notUtf8Fix: 'save it as UTF-8',
  tooDeep: (limit: number) => `nesting is deeper than ${limit} levels`,
  tooDeepFix: 'flatten the structure: no socketlings file needs more than a few levels',
  tooManyAliases: (n: number, limit: number) =>
    `the file uses ${n} YAML aliases (*name); at most ${limit} are accepted, to keep alias bombs out`,
  tooManyAliasesFix: 'write the values out instead of repeating them through anchors and aliases',
  badAlias: (why: string) => `a YAML alias cannot be expanded: ${why}`,
  badAliasFix: 'define each anchor (&name) before the alias (*name) that uses it',
  aliasLoop: 'it refers to a value that contains the alias itself',
  markdownTooDeep: (n: number) =>
    `this line starts with more than ${n} characters of indentation, list markers or ">" (outside a code block)`,
  markdownTooDeepFix: 'nest lists and quotes less deeply, or put the text in a ``` code block',
};
type LoadText = typeof en;

const zh: LoadText = {
  notFound: '文件不存在',
  notFoundFix: '请创建该文件，或更正指向它的路径',
  cannotRead: (code) => `无法读取（${code}）`,
  cannotReadFix: '请检查它的权限',
  isFolder: '这是一个文件夹，不是文件',
  isFolderFix: '请指向其中的文件，或删除该文件夹并在原处放置文件',
  notRegular: (kind) => `这是一个${kind}，不是普通文件；socketlings 只读取普通文件`,
  notRegularFix: '请换成普通文件',
  tooBig: (size, limit) => `文件过大（${size} 字节；这类文件最多读取 ${limit} 字节）`,
  tooBigFix: '请缩短它，或拆分成多个文件',
  notUtf8: (offset) => `文件不是 UTF-8 文本（偏移 ${offset} 处的字节无效）`,
  notUtf8Fix: '请以 UTF-8 编码保存',
  tooDeep: (limit) => `嵌套层数超过 ${limit} 层`,
  tooDeepFix: '请把结构改平：socketlings 的文件都只需要几层',
  tooManyAliases: (n, limit) => `文件使用了 ${n} 个 YAML 别名（*name）；为防止别名炸弹，最多接受 ${limit} 个`,
  tooManyAliasesFix: '请直接写出这些值，不要通过锚点和别名重复它们',
  badAlias: (why) => `无法展开 YAML 别名：${why}`,
  badAliasFix: '请先定义锚点（&name），再使用引用它的别名（*name）',
  aliasLoop: '它引用的值包含这个别名本身',
  markdownTooDeep: (n) => `这一行开头的缩进、列表标记或“>”超过 ${n} 个字符（代码块之外）`,
  markdownTooDeepFix: '请减少列表和引用的嵌套层数，或把这段文字放进 ``` 代码块',
};

/** What a non-regular file is, in words. */
export const KIND: Record<Lang, Record<'fifo' | 'socket' | 'device' | 'other', string>> = {
  en: { fifo: 'named pipe (FIFO)', socket: 'socket', device: 'device', other: 'special file' },
  'zh-CN': { fifo: '命名管道（FIFO）', socket: '套接字', device: '设备文件', other: '特殊文件' },
};

let current: Lang = 'en';

/** The language of file errors from now on (set once per command). */
export function setFileLang(lang: Lang): void {
  current = lang;
}

export function fileLang(): Lang {
  return current;
}

export function loadText(): LoadText {
  return current === 'zh-CN' ? zh : en;
}
