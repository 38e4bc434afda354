// Text laid out in terminal columns: wide characters count two, lines break where a reader expects, tables fit
// or become lists, code is never wrapped, and failures fold their small pieces.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { loadCourse } from '../src/app/course.js';
import type { CheckResult, TranscriptEntry } from '../src/grading/results.js';
import { renderExerciseScreen } from '../src/ui/exercise-view.js';
import { uiText } from '../src/ui/i18n.js';
import { layout, width, wrapIndented } from '../src/ui/layout.js';
import { bodyOf, renderMarkdown } from '../src/ui/markdown.js';
import { lexMarkdown } from '../src/ui/markdown-lex.js';
import { transcriptLines } from '../src/ui/report.js';
import { makeStyle } from '../src/ui/style.js';
import { renderWatch } from '../src/ui/watch-screen.js';
import { ROOT } from './helpers.js';

const widest = (text: string) => Math.max(...text.split('\n').map(width));

test('a Chinese character takes two columns, and Chinese text breaks between characters', () => {
  expect(width('套接字')).toBe(6);
  const lines = layout([{ text: '套接字是网络通信的端点，它由地址族和类型决定。' }], 10);
  expect(lines.every((l) => width(l) <= 10)).toBe(true);
  expect(lines.join('')).toBe('套接字是网络通信的端点，它由地址族和类型决定。');
});

test.each([
  ['connect()。', 'a', 'connect()。'], // no break before closing punctuation
  ['（UDP/IP）', 'b', 'UDP/IP'], // a word never breaks inside
])('%s stays together', (piece, _, whole) => {
  const text = `调用 ${piece} 之后再发送数据包${piece}然后结束连接过程`;
  for (let w = 14; w <= 30; w++) {
    const lines = layout([{ text }], w);
    expect(
      lines.some((l) => l.includes(whole)),
      `width ${w}: ${lines.join(' | ')}`,
    ).toBe(true);
    expect(lines.every((l) => !l.startsWith('。') && !l.startsWith('）'))).toBe(true);
  }
});

test('a source line break between Chinese characters adds no space; between English words it does', async () => {
  const md = '第一行的文字\n第二行的文字\n\nfirst line\nsecond line\n';
  const out = await renderMarkdown(md, { width: 80, color: false });
  expect(out).toContain('第一行的文字第二行的文字');
  expect(out).toContain('first line second line');
});

const TABLE = [
  '| variable | meaning | default when you run it by hand |',
  '|---|---|---|',
  '| `SOCKETLINGS_HOST` | the host of the server that the grader starts | `localhost` |',
  '| `SOCKETLINGS_PORT` | the port of that server | `8079` |',
  '',
].join('\n');

test('a table fits at its natural width, wraps its cells when narrower, and becomes a list when too narrow', async () => {
  const wide = await renderMarkdown(TABLE, { width: 100, color: false });
  expect(wide).toMatch(/^SOCKETLINGS_HOST +the host of the server that the grader starts +localhost$/m);
  const mid = await renderMarkdown(TABLE, { width: 60, color: false });
  expect(widest(mid)).toBeLessThanOrEqual(60);
  expect(mid).toMatch(/^SOCKETLINGS_HOST +the host of the .* localhost$/m);
  const narrow = await renderMarkdown(TABLE, { width: 30, color: false });
  expect(widest(narrow)).toBeLessThanOrEqual(30);
  expect(narrow).toContain('• SOCKETLINGS_HOST');
  expect(narrow).toMatch(/^ {2}default when you run it by\n? *hand: localhost$/m);
});

test('code blocks are never wrapped; prose around them is', async () => {
  const long = `print("${'x'.repeat(90)}")`;
  const md = `Some prose that is long enough to be wrapped at forty columns for sure.\n\n\`\`\`python\n${long}\n\`\`\`\n`;
  const out = await renderMarkdown(md, { width: 40, color: false });
  expect(out).toContain(`  ${long}\n`);
  expect(out.split('\n').filter((l) => width(l) > 40)).toEqual([`  ${long}`]);
});

test('colour codes do not count as columns', async () => {
  const out = await renderMarkdown('Some **bold** and `code` words, again and again and again.\n', {
    width: 24,
    color: true,
  });
  expect(out).toMatch(/\x1b\[/);
  expect(widest(out)).toBeLessThanOrEqual(24);
});

const piece = (
  who: string,
  kind: TranscriptEntry['kind'],
  text: string,
  bytes?: number,
): TranscriptEntry => ({
  at: 0,
  who,
  kind,
  text,
  ...(bytes !== undefined ? { bytes } : {}),
});

function chunked(): CheckResult {
  const transcript: TranscriptEntry[] = [piece('peer:server', 'accept', '')];
  for (let i = 0; i < 40; i++) {
    transcript.push(piece('peer:server', 'send', `"ab${i % 10}"`, 3));
    transcript.push(piece('program', 'stdout', `ab${i % 10}`));
  }
  transcript.push(
    piece('peer:server', 'close', ''),
    piece('grader', 'note', 'your program exited with code 0'),
  );
  return {
    id: 'whole',
    title: 'prints the whole message',
    status: 'fail',
    message: 'your program printed the message in pieces, one line each',
    transcript,
    hint: 'Join all pieces first, then print once.',
    duration: 1,
  };
}

test('runs of small pieces fold into one line per side with count and bytes; verbose keeps them all', () => {
  const s = makeStyle(false);
  const lines = transcriptLines(chunked(), s, 'en');
  expect(lines).toHaveLength(5);
  expect(lines[1]).toBe('[peer:server] → 40 pieces, 120 bytes in all: "ab0" … "ab9"');
  expect(lines[2]).toBe('[your program] stdout: 40 lines, 160 bytes in all: ab0 … ab9');
  expect(transcriptLines(chunked(), s, 'en', true)).toHaveLength(83);
  expect(transcriptLines(chunked(), s, 'zh-CN')[1]).toContain('40 块，共 120 字节');
});

test('stderr the message already quotes is said once', () => {
  const c: CheckResult = {
    ...chunked(),
    message:
      'your program exited with code 1\nits last lines on stderr:\n  Traceback (most recent call last):\n  ValueError: x',
    transcript: [
      piece('program', 'stderr', 'Traceback (most recent call last):'),
      piece('program', 'stderr', 'ValueError: x'),
      piece('grader', 'note', 'your program exited with code 1'),
    ],
  };
  expect(transcriptLines(c, makeStyle(false), 'en')).toEqual([
    '[your program] stderr: 2 lines, shown above',
    '[grader] your program exited with code 1',
  ]);
});

test('the watch screen fits 80×24 with the reason and the hint, even with a long transcript', () => {
  const check = chunked();
  // Not foldable: pieces too big, so only the line budget can make it fit.
  check.transcript = check.transcript.map((e) => (e.kind === 'send' ? { ...e, bytes: 100 } : e));
  for (const lang of ['en', 'zh-CN'] as const) {
    const screen = renderWatch(
      {
        exercise: 'recv-all',
        title: 'Receive it all',
        file: '05-receiving/recv_all.py',
        phase: 'waiting',
        notes: [],
        progress: '[----] 0 of 22',
        result: {
          exercise: 'recv-all',
          status: 'fail',
          seed: 1,
          checks: [check],
          duration: 1000,
          command: 'python3 recv_all.py',
        },
      },
      lang,
      makeStyle(false),
      { columns: 80, rows: 24 },
    );
    const lines = screen.trimEnd().split('\n');
    expect(lines.length).toBeLessThanOrEqual(23);
    expect(widest(screen)).toBeLessThanOrEqual(80);
    expect(screen).toContain(check.message);
    expect(screen).toContain(check.hint);
    expect(lines[0]).toContain('recv-all');
  }
});

test('long report lines wrap under their indentation, Chinese between characters, colour kept per piece', () => {
  const zh = `      你的程序没有打印完整的消息就退出了，退出码 0。消息以每块 1 到 8 个字节的方式到达，评分器关闭连接时消息结束。`;
  const lines = wrapIndented(zh, 40, 4);
  expect(lines.length).toBeGreaterThan(2);
  expect(lines.every((l) => width(l) <= 40)).toBe(true);
  expect(lines.slice(1).every((l) => l.startsWith('          '))).toBe(true);
  expect(
    lines
      .map((l) => l.trim())
      .join('')
      .replace(/ /g, ''),
  ).toBe(zh.trim().replace(/ /g, ''));
  const painted = wrapIndented(`  \x1b[1mbold words that carry on\x1b[22m and plain ones after them`, 20);
  expect(painted[1]).toMatch(/^ {4}\x1b\[1m/);
  expect(painted.at(-1)).not.toContain('\x1b[1m');
});

const COURSE = (() => {
  const c = loadCourse(ROOT, ROOT);
  if (!c.ok) throw new Error('the built-in course does not load');
  return c.value;
})();

/** The screen the menu shows for an exercise, with `rows` rows above the prompt. */
async function exerciseScreen(id: string, lang: 'en' | 'zh-CN', cols: number, rows: number) {
  const ex = COURSE.exercises.find((e) => e.id === id);
  if (!ex) throw new Error(id);
  const md = readFileSync(join(ex.dir, `${lang}.md`), 'utf8');
  const t = uiText(lang);
  const screen = await renderExerciseScreen(md, {
    header: `${id} — ${ex.titles[lang]}`,
    fileLine: `${t.editFile}${t.colon}socketlings/${ex.file}`,
    more: t.exMoreLines,
    byHandDefault: t.byHandDefault,
    width: cols,
    rows,
    color: false,
  });
  return { md, screen };
}

// 24 rows less the prompt under the screen: its question, five choices, the key help and the cursor's row.
const PREVIEW_ROWS = 24 - 8;

test.each(
  COURSE.exercises.flatMap((e) =>
    (['en', 'zh-CN'] as const).flatMap((lang) => [60, 80].map((cols) => [e.id, lang, cols] as const)),
  ),
)(
  'the exercise screen of %s (%s) at %i×24: what to build, every variable and how to try it by hand',
  async (id, lang, cols) => {
    const { md, screen } = await exerciseScreen(id, lang, cols, PREVIEW_ROWS);
    const lines = screen.trimEnd().split('\n');
    expect(lines.length).toBeLessThanOrEqual(PREVIEW_ROWS);
    expect(lines.filter((l) => width(l) > cols)).toEqual([]);
    expect(lines[0]).toContain(`${id} — `);
    // Every variable the text names, and the peer command (its words may wrap, never break).
    const names = new Set([...md.matchAll(/`(SOCKETLINGS_[A-Z_]+)`/g)].map((m) => m[1] as string));
    for (const v of names) expect(screen, v).toMatch(new RegExp(`(?<![A-Z_])${v}(?![A-Z_])`));
    expect(screen.replace(/\s+/g, ' ')).toContain(`socketlings peer ${id}`);
    // What to build comes first: the first words of the text under its title.
    const first = lexMarkdown(bodyOf(md)).find((t) => t.type === 'paragraph') as { text: string };
    expect(lines[2]?.replace(/\s+/g, '')).toBe(
      first.text.replace(/[`*]/g, '').replace(/\s+/g, '').slice(0, lines[2]?.replace(/\s+/g, '').length),
    );
  },
);

test('on a tall screen the exercise screen shows all of what to build and no "read more" line', async () => {
  const { screen } = await exerciseScreen('tcp-client', 'en', 100, 60);
  expect(screen).toContain('Try it by hand: socketlings peer tcp-client');
  expect(screen).toContain('Send exactly the bytes of the message');
  expect(screen).not.toContain('What the grader does');
  expect(screen).not.toContain('# tcp-client');
  expect(screen).not.toContain('more lines');
  expect(screen).toMatch(/^SOCKETLINGS_PORT +the server's port +8079$/m);
});

test('a source line break between Chinese and Latin text keeps a space; next to full-width punctuation none', async () => {
  const md =
    '配置按\n/etc/nsswitch.conf 的顺序\n查找，这里\ngethostbyname 和\nAF_INET 套接字。\nSOCK_STREAM 是流\n';
  const out = await renderMarkdown(md, { width: 100, color: false });
  expect(out).toContain(
    '按 /etc/nsswitch.conf 的顺序查找，这里 gethostbyname 和 AF_INET 套接字。SOCK_STREAM 是流',
  );
});

// Emphasis examples of the CommonMark spec (0.31, "Emphasis and strong emphasis"): without Chinese, the lexer
// must read them exactly as marked alone does.
const COMMONMARK = [
  '*foo bar*',
  'a * foo bar*',
  'a*"foo"*',
  '* a *',
  'foo*bar*',
  '5*6*78',
  '_foo bar_',
  'foo_bar_',
  '*foo*bar',
  '_foo_bar',
  '*(*foo*)*',
  '**foo bar**',
  '** foo bar**',
  'a**"foo"**',
  'foo**bar**',
  '**foo "*bar*" foo**',
  '**foo**bar',
  '*foo**bar**baz*',
  '***foo** bar*',
  '*foo **bar***',
  'foo***bar***baz',
  '**foo*',
  '*foo**',
  '*foo`*`',
  '**a<http://foo.bar/?q=**>',
  '*foo *bar**',
  '\\*not emphasized*',
];

test.each(COMMONMARK)('CommonMark emphasis without Chinese is unchanged: %s', async (md) => {
  const { Lexer } = await import('marked');
  const { lexMarkdown } = await import('../src/ui/markdown-lex.js');
  expect(lexMarkdown(md)).toEqual(Lexer.lex(md));
});

test.each([
  ['**每个客户端一个待发缓冲区。**永远不要 sendall()', '每个客户端一个待发缓冲区。', 'strong'],
  ['先看**“三次握手”**的过程', '“三次握手”', 'strong'],
  ['这是*重要。*然后', '重要。', 'em'],
  ['**重要：**Python 之后', '重要：', 'strong'],
])('emphasis next to Chinese punctuation is emphasis: %s', async (md, inner, type) => {
  const { lexMarkdown } = await import('../src/ui/markdown-lex.js');
  const para = lexMarkdown(md)[0] as { tokens: { type: string; text: string }[] };
  expect(para.tokens.find((t) => t.type === type)?.text).toBe(inner);
  const out = await renderMarkdown(md, { width: 80, color: false });
  expect(out).not.toContain('*');
  const bold = await renderMarkdown(md, { width: 80, color: true });
  expect(bold).toContain(type === 'strong' ? `\x1b[1m${inner.slice(0, 1)}` : `\x1b[3m${inner.slice(0, 1)}`);
});

test('no lesson or exercise text shows a raw emphasis mark', async () => {
  const { loadCourse } = await import('../src/app/course.js');
  const c = loadCourse(ROOT, ROOT);
  if (!c.ok) throw new Error('the built-in course does not load');
  for (const dir of [...c.value.lessons.map((l) => l.dir), ...c.value.exercises.map((e) => e.dir)])
    for (const lang of ['en', 'zh-CN']) {
      const md = readFileSync(join(dir, `${lang}.md`), 'utf8');
      const out = await renderMarkdown(md, { width: 100, color: false });
      // Code blocks keep their `**` (Python's power operator, say): only prose lines are looked at.
      const prose = out.split('\n').filter((l) => !l.startsWith('  '));
      expect(
        prose.filter((l) => /\*\*\S|\S\*\*/.test(l)),
        `${dir} ${lang}`,
      ).toEqual([]);
    }
});
