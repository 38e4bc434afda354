// The course's texts as the tests read them: every lesson and exercise text, their fenced blocks with line
// numbers, and the demos among them. The demo convention is documented in README.md ("Lesson demos").
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT } from './helpers.js';

export const LANGS = ['en', 'zh-CN'] as const;
export type Lang = (typeof LANGS)[number];

export interface Fence {
  /** The info string's first word (`python`, `text`, ...). */
  lang: string;
  /** The info string's other words (`manual`, `needs=ss`, `varies=port`). */
  words: string[];
  /** 1-based line of the opening fence. */
  line: number;
  /** The content lines, the fence's own indentation removed, each with its 1-based line. */
  lines: { text: string; line: number }[];
  /** The line after the closing fence (0-based index into the file's lines). */
  after: number;
}

/** Fenced code blocks (``` or ~~~), in a list item too; an unclosed fence runs to the end, as CommonMark says. */
export function fences(md: string): Fence[] {
  const src = md.split('\n');
  const out: Fence[] = [];
  for (let i = 0; i < src.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})(.*)$/.exec(src[i] ?? '');
    if (!open) continue;
    const [, indent = '', mark = '', info = ''] = open;
    const closing = new RegExp(`^\\s*${mark[0] === '`' ? '`' : '~'}{${mark.length},}\\s*$`);
    const [lang = '', ...words] = info.trim().split(/\s+/).filter(Boolean);
    const lines: Fence['lines'] = [];
    let j = i + 1;
    for (; j < src.length && !closing.test(src[j] ?? ''); j++) {
      const text = src[j] ?? '';
      lines.push({
        text: text.startsWith(indent) ? text.slice(indent.length) : text.trimStart(),
        line: j + 1,
      });
    }
    out.push({ lang, words, line: i + 1, lines, after: j + 1 });
    i = j;
  }
  return out;
}

export interface Text {
  /** Relative to the repository, e.g. lessons/13-errors/en.md. */
  file: string;
  lang: Lang;
  /** The lesson folder, e.g. 13-errors. */
  lesson: string;
  /** The exercise folder, for an exercise text. */
  exercise?: string;
  md: string;
}

function isDir(p: string): boolean {
  return statSync(p).isDirectory();
}

/** Every lesson text and exercise text of the built-in course, found by walking lessons/ (nothing listed). */
export function courseTexts(): Text[] {
  const out: Text[] = [];
  const base = join(ROOT, 'lessons');
  for (const lesson of readdirSync(base).sort()) {
    const dir = join(base, lesson);
    if (!isDir(dir)) continue;
    const add = (folder: string, exercise?: string) => {
      for (const lang of LANGS) {
        const path = join(folder, `${lang}.md`);
        try {
          const md = readFileSync(path, 'utf8');
          out.push({ file: relative(ROOT, path), lang, lesson, ...(exercise ? { exercise } : {}), md });
        } catch {
          // a language missing here is the course loader's error to report, not this list's
        }
      }
    };
    add(dir);
    for (const ex of readdirSync(dir).sort()) {
      const exDir = join(dir, ex);
      if (isDir(exDir)) add(exDir, ex);
    }
  }
  return out;
}

/** What a ```python block may say after `python`. */
export const NOT_RUN = ['manual', 'fragment', 'quoted'] as const;

export interface Demo {
  file: string;
  lang: Lang;
  lesson: string;
  /** Line of the ```python fence. */
  line: number;
  code: string;
  /** What the lesson shows the program printing. */
  output: string;
  /** Capabilities the demo needs (`needs=ss,ipv6` on the python fence). */
  needs: string[];
  /** Named normalisers for output that legitimately varies (`varies=port` on the text fence). */
  varies: string[];
}

export interface LessonDemos {
  demos: Demo[];
  /** ```python blocks marked as not run unattended, with their mark. */
  notRun: { file: string; line: number; mark: string }[];
  /** Blocks that break the convention: neither a demo nor marked. */
  problems: string[];
}

function listAttr(words: string[], name: string, problems: string[], where: string): string[] {
  const found = words.filter((w) => w.startsWith(`${name}=`));
  return found.flatMap((w) => {
    const values = w
      .slice(name.length + 1)
      .split(',')
      .filter(Boolean);
    if (values.length === 0) problems.push(`${where}: ${w} names nothing`);
    return values;
  });
}

/**
 * The demos of a lesson text: a ```python block followed, with only blank lines between, by a ```text block
 * holding what it prints. Any other ```python block must say why it is not run (`manual`: it needs a person, a
 * second terminal or Ctrl+C; `fragment`: not a program on its own, or the notes' code quoted to be corrected).
 */
export function demosOf(t: Text): LessonDemos {
  const src = t.md.split('\n');
  const all = fences(t.md);
  const out: LessonDemos = { demos: [], notRun: [], problems: [] };
  all.forEach((f, i) => {
    if (f.lang !== 'python') return;
    const where = `${t.file}:${f.line}`;
    const next = all[i + 1];
    const adjacent =
      next !== undefined &&
      src.slice(f.after, next.line - 1).every((l) => l.trim() === '') &&
      next.lang === 'text';
    const marks = f.words.filter((w) => !w.includes('='));
    const unknown = [
      ...marks.filter((m) => !(NOT_RUN as readonly string[]).includes(m)),
      ...f.words.filter((w) => w.includes('=') && !w.startsWith('needs=')),
    ];
    if (unknown.length) out.problems.push(`${where}: unknown word(s) after python: ${unknown.join(' ')}`);
    const [mark] = marks;
    if (mark) {
      out.notRun.push({ file: t.file, line: f.line, mark });
      return;
    }
    if (!adjacent || !next) {
      out.problems.push(
        `${where}: a python block with no printed output right after it; follow it with a \`\`\`text block ` +
          'of what it prints, or mark it `python manual` or `python fragment`',
      );
      return;
    }
    const badText = next.words.filter((w) => !w.startsWith('varies='));
    if (badText.length)
      out.problems.push(`${t.file}:${next.line}: unknown word(s) after text: ${badText.join(' ')}`);
    const join = (ls: Fence['lines']) => ls.map((l) => `${l.text}\n`).join('');
    out.demos.push({
      file: t.file,
      lang: t.lang,
      lesson: t.lesson,
      line: f.line,
      code: join(f.lines),
      output: join(next.lines),
      needs: listAttr(f.words, 'needs', out.problems, where),
      varies: listAttr(next.words, 'varies', out.problems, `${t.file}:${next.line}`),
    });
  });
  return out;
}
