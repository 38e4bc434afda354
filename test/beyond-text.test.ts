// Beyond the text: links to the Python documentation every lesson and exercise relies on (OSC 8 where the
// terminal opens them, plain addresses elsewhere), check-yourself answers hidden until asked, and progress per
// lesson with the time since the last pass.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { loadCourse } from '../src/app/course.js';
import { emptyProgress, markDone, markQuiz } from '../src/app/progress.js';
import { uiText } from '../src/ui/i18n.js';
import { width } from '../src/ui/layout.js';
import { bodyOf, renderTokens } from '../src/ui/markdown.js';
import { lexMarkdown } from '../src/ui/markdown-lex.js';
import { ago, progressJson, renderProgress } from '../src/ui/progress-view.js';
import { quizOf, withoutAnswers } from '../src/ui/quiz.js';
import { makeStyle, wantsHyperlinks } from '../src/ui/style.js';
import { cli, fixture, ROOT } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'sl-beyond-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const COURSE = (() => {
  const c = loadCourse(ROOT, ROOT);
  if (!c.ok) throw new Error('the built-in course does not load');
  return c.value;
})();

describe('documentation links', () => {
  test('every lesson and exercise text, in both languages, links the Python documentation it relies on', () => {
    for (const item of [...COURSE.lessons, ...COURSE.exercises])
      for (const lang of ['en', 'zh-CN'] as const) {
        const docs = item.docs[lang] ?? [];
        expect(docs.length, `${item.id} ${lang}`).toBeGreaterThan(0);
        const base = lang === 'en' ? 'https://docs.python.org/3/' : 'https://docs.python.org/zh-cn/3/';
        for (const d of docs) expect(d.url.startsWith(base), `${item.id} ${lang}: ${d.url}`).toBe(true);
      }
  });

  test('a link that is not https is refused when the pack loads, with the file and the place in it', () => {
    const pack = join(dir, 'bad-link');
    cpSync(fixture('packs', 'minimal'), pack, { recursive: true });
    const text = join(pack, 'lessons', '01-hello', 'en.md');
    writeFileSync(
      text,
      readFileSync(text, 'utf8').replace(
        /^---\n/,
        '---\ndocs:\n  - { title: x, url: "javascript:alert(1)" }\n',
      ),
    );
    const r = loadCourse(pack, pack);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors[0]?.file).toBe('lessons/01-hello/en.md');
      expect(r.errors[0]?.where).toContain('docs.0.url');
      expect(r.errors[0]?.message).toContain('https://');
    }
  });

  test('read ends with the links: plain addresses when piped, OSC 8 only where the terminal opens them', async () => {
    const piped = await cli(['read', '3']);
    expect(piped.stdout).toContain('## Python documentation');
    expect(piped.stdout).toMatch(
      /• socket\.sendall\(\)\n {2}https:\/\/docs\.python\.org\/3\/library\/socket\.html#socket\.socket\.sendall/,
    );
    expect(piped.stdout).not.toContain('\x1b]8;');
    const zh = await cli(['read', '3', '--lang', 'zh-CN']);
    expect(zh.stdout).toContain('## Python 文档');
    expect(zh.stdout).toContain('https://docs.python.org/zh-cn/3/library/socket.html#socket.socket.sendall');
    // Asked for, and colour allowed: links instead of addresses.
    const linked = await cli(['read', '3'], {
      env: { FORCE_HYPERLINK: '1', FORCE_COLOR: '1', NO_COLOR: undefined },
    });
    expect(linked.stdout).toContain(
      '\x1b]8;;https://docs.python.org/3/library/socket.html#socket.socket.sendall\x1b\\',
    );
    expect(linked.stdout).not.toMatch(/^ {2}https:/m);
  });

  test.each([
    [{ isTTY: true }, { TERM_PROGRAM: 'WezTerm' }, true],
    [{ isTTY: true }, { VTE_VERSION: '7200' }, true],
    [{ isTTY: true }, { TERM: 'xterm-kitty' }, true],
    [{ isTTY: true }, { WT_SESSION: 'x' }, true],
    [{ isTTY: true }, { TERM_PROGRAM: 'iTerm.app', TERM_PROGRAM_VERSION: '3.0.0' }, false],
    [{ isTTY: true }, { TERM: 'xterm-256color' }, false], // unknown: the address, not an escape it may print
    [{ isTTY: true }, { TERM_PROGRAM: 'WezTerm', TMUX: '/tmp/t' }, false],
    [{ isTTY: true }, { TERM_PROGRAM: 'WezTerm', NO_COLOR: '1' }, false],
    [{ isTTY: true }, { TERM_PROGRAM: 'WezTerm', TERM: 'dumb' }, false],
    [{ isTTY: false }, { TERM_PROGRAM: 'WezTerm' }, false],
    [{ isTTY: false }, { FORCE_HYPERLINK: '1' }, false], // piped: never, even when asked
    [{ isTTY: true }, { FORCE_HYPERLINK: '1' }, true],
    [{ isTTY: true }, { TERM_PROGRAM: 'WezTerm', FORCE_HYPERLINK: '0' }, false],
  ])('hyperlinks on %j with %j: %s', (stream, env, want) => {
    expect(wantsHyperlinks(stream, env)).toBe(want);
  });
});

describe('check yourself', () => {
  test("every lesson's questions are found, in both languages, the same number in each", () => {
    for (const l of COURSE.lessons) {
      const count = (lang: string) =>
        quizOf(lexMarkdown(bodyOf(readFileSync(join(l.dir, `${lang}.md`), 'utf8'))))?.questions.length;
      expect(count('en'), l.id).toBeGreaterThanOrEqual(3);
      expect(count('zh-CN'), l.id).toBe(count('en'));
    }
  });

  test('answers are hidden in the text, a note says how to see them, and --answers shows them', async () => {
    const md = '## Check yourself\n\n1. Why?\n   - *Because.*\n2. How?\n   - *Like `this`.*\n';
    const tokens = lexMarkdown(md);
    const quiz = quizOf(tokens);
    expect(quiz?.questions.map((q) => q.n)).toEqual([1, 2]);
    const note = {
      type: 'paragraph',
      raw: 'note',
      text: 'note',
      tokens: [{ type: 'text', raw: 'note', text: 'note' }],
    };
    const hidden = renderTokens(withoutAnswers(tokens, [note as never]), { width: 80, color: false });
    expect(hidden).not.toContain('Because');
    expect(hidden).not.toContain('this');
    expect(hidden).toMatch(/1\. Why\?\n2\. How\?\n\nnote/);
    const shown = await cli(['read', '1']);
    expect(shown.stdout).not.toContain('its address is a file');
    const words = shown.stdout.replace(/\s+/g, ' ');
    expect(words).toContain('socketlings quiz 1');
    expect(words).toContain('socketlings read 1 --answers');
    const answers = await cli(['read', '1', '--answers']);
    expect(answers.stdout.replace(/\s+/g, ' ')).toContain('its address is a file path');
    expect(answers.stdout).not.toContain('The answers are hidden');
  });

  test('without a terminal the quiz lists the questions and names the way to the answers', async () => {
    const r = await cli(['quiz', '2']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Check yourself: 2. Socket types and protocol (5 questions)');
    expect(r.stdout).toContain('Question 5 of 5');
    expect(r.stdout).toContain('socketlings read 2 --answers');
  });
});

describe('progress', () => {
  const t = uiText('en');
  const now = new Date('2026-12-06T12:00:00Z');

  test.each([
    ['2026-12-06T11:59:40Z', 'just now'],
    ['2026-12-06T11:45:00Z', '15 min ago'],
    ['2026-12-06T09:00:00Z', '3 h ago'],
    ['2026-12-04T09:00:00Z', '2 days ago'],
  ])('%s is said as %s', (then, said) => {
    expect(ago(new Date(then), now, t).replace(/\u00a0/g, ' ')).toBe(said);
  });

  const progress = () => {
    let p = markDone(emptyProgress(COURSE.id), 'first-contact', new Date('2026-12-05T10:00:00Z'));
    p = markDone(p, 'first-contact', new Date('2026-12-06T11:00:00Z'));
    p = markDone(p, 'tcp-client', new Date('2026-12-04T10:00:00Z'));
    return markQuiz(p, 'sockets', [1, 3], 4, new Date('2026-12-06T11:30:00Z'));
  };

  test('per lesson: exercises done, questions right and the last pass; fitted to the width', () => {
    for (const [lang, cols] of [
      ['en', 60],
      ['zh-CN', 60],
      ['en', 100],
    ] as const) {
      const out = renderProgress(COURSE, progress(), 'stream-vs-dgram', lang, makeStyle(false), {
        width: cols,
        now,
        questions: { sockets: 4, 'tcp-clients': 6 },
      });
      expect(out.split('\n').filter((l) => width(l) > cols)).toEqual([]);
      // Wrapped lines keep "2 days ago" together, on one line.
      const plain = out.replace(/\u00a0/g, ' ');
      if (lang === 'en') {
        expect(plain).toMatch(/exercises 1\/1 · check yourself 2\/4 ·\s+last pass 1 h ago/);
        expect(plain).toMatch(/exercises 1\/2 · check yourself 0\/6 ·\s+last pass 2 days ago/);
      } else expect(plain).toMatch(/练习 1\/1 · 自测 2\/4 · 上次通过：1 小时前/);
    }
  });

  test('--json keeps its documented shape', () => {
    const json = progressJson(COURSE, progress(), 'stream-vs-dgram', 'en', { sockets: 4 });
    expect(Object.keys(json)).toEqual([
      'format',
      'course',
      'current',
      'done',
      'total',
      'lessons',
      'progress',
    ]);
    expect(json.lessons[0]).toEqual({
      id: 'sockets',
      number: 1,
      title: 'Sockets — Internet sockets and Unix domain sockets',
      exercises: [
        {
          id: 'first-contact',
          done: true,
          firstPass: '2026-12-05T10:00:00.000Z',
          lastPass: '2026-12-06T11:00:00.000Z',
        },
      ],
      quiz: { questions: 4, right: [1, 3], at: '2026-12-06T11:30:00.000Z' },
      lastPass: '2026-12-06T11:00:00.000Z',
    });
    expect(json.lessons[1]?.quiz).toEqual({ questions: 0, right: [], at: null });
  });
});
