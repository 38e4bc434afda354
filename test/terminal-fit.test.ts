// The terminal fits the learner, seen in real terminals (tmux) as a learner sees them: lessons and the menu's
// exercise screen at 60, 80 and 100 columns in English and Chinese never print a line wider than the screen
// (display columns: a Chinese character takes two), tables stay readable, and at 80×24 the picker, the
// workspace found from its parent folder, typo suggestions and the folded transcript of the watch screen.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Lexer } from 'marked';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadCourse } from '../src/app/course.js';
import { width } from '../src/ui/layout.js';
import { CLI, fixture, ROOT } from './helpers.js';
import { needs, tmux } from './needs.js';
import { Terminal } from './tmux.js';

let dir = '';
const terms: Terminal[] = [];
const WIDTHS = [60, 80, 100];
const LANGS = ['en', 'zh-CN'] as const;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sl-fit-'));
});
afterAll(() => {
  for (const t of terms) t.kill();
  rmSync(dir, { recursive: true, force: true });
});

function term(tag: string, command: string, cols: number, rows: number, env: Record<string, string> = {}) {
  const t = Terminal.start(
    `sl-fit-${process.pid}-${tag}`,
    dir,
    command,
    { NO_COLOR: '1', ...env },
    { cols, rows },
  );
  terms.push(t);
  return t;
}

/** Lines wider than the screen, in display columns. */
const tooWide = (text: string, cols: number) => text.split('\n').filter((l) => width(l) > cols);

const course = (() => {
  const c = loadCourse(ROOT, ROOT);
  if (!c.ok) throw new Error('the built-in course does not load');
  return c.value;
})();

/** Every line of every code block in a Markdown text: the only lines allowed to be wider (the pager scrolls). */
function codeLines(markdown: string): Set<string> {
  const lines = new Set<string>();
  const walk = (tokens: unknown[]) => {
    for (const t of tokens as { type: string; text?: string; tokens?: unknown[]; items?: unknown[] }[]) {
      if (t.type === 'code') for (const l of (t.text ?? '').split('\n')) lines.add(`  ${l}`.trimEnd());
      if (t.tokens) walk(t.tokens);
      if (t.items) walk(t.items);
    }
  };
  walk(Lexer.lex(markdown));
  return lines;
}

describe('at 60, 80 and 100 columns, in English and Chinese', needs(tmux()), () => {
  test.concurrent.each(WIDTHS.flatMap((w) => LANGS.map((lang) => [w, lang] as const)))(
    'read of every lesson at %i columns (%s): no line of prose wider than the terminal',
    { timeout: 120_000 },
    async (cols, lang) => {
      const out = join(dir, `read-${cols}-${lang}`);
      mkdirSync(out);
      const keys = course.lessons.map((l) => l.id);
      const t = term(
        `read-${cols}-${lang}`,
        `for k in ${keys.join(' ')}; do PAGER="cat > ${out}/$k.txt" node ${CLI} read $k --lang ${lang} || exit 9; done`,
        cols,
        24,
      );
      await t.waitFor(/EXIT=\d+/, 90_000);
      expect(t.screen()).toContain('EXIT=0');
      for (const l of course.lessons) {
        const text = readFileSync(join(out, `${l.id}.txt`), 'utf8');
        const code = codeLines(readFileSync(join(l.dir, `${lang}.md`), 'utf8'));
        // Code and web addresses are never wrapped (a cut line is another program, a cut address another page).
        const wide = tooWide(text, cols).filter(
          (line) => !code.has(line.trimEnd()) && !/^\s*https:\/\/\S+$/.test(line),
        );
        expect(wide, `${l.id} (${lang}) at ${cols} columns`).toEqual([]);
      }
    },
  );

  test.concurrent.each(WIDTHS)(
    'read in the real pager at %i columns: the screen holds no wider line (code scrolls sideways)',
    { timeout: 60_000 },
    async (cols) => {
      const t = term(`less-${cols}`, `unset PAGER; node ${CLI} read 8`, cols, 24);
      const screen = await t.waitFor(/Lesson 8/);
      expect(tooWide(screen, cols)).toEqual([]);
      t.keys('q');
      await t.waitFor(/EXIT=0/);
    },
  );

  test.concurrent.each(WIDTHS.flatMap((w) => LANGS.map((lang) => [w, lang] as const)))(
    "the menu's exercise screen at %i columns (%s) fits, and its table stays readable",
    { timeout: 60_000 },
    async (cols, lang) => {
      const ws = `menu-${cols}-${lang}`;
      const t = term(
        ws,
        `node ${CLI} init ${ws} --lang ${lang} >/dev/null && cd ${ws} && node ${CLI}`,
        cols,
        40,
        { SOCKETLINGS_LANG: lang },
      );
      await t.waitFor(lang === 'en' ? /What next\?/ : /接下来做什么？/);
      t.keys('Enter');
      const screen = await t.waitFor(
        lang === 'en' ? /Edit this file:[\s\S]*Verify it now/ : /编辑这个文件：[\s\S]*现在检查/,
      );
      expect(tooWide(screen, cols)).toEqual([]);
      expect(screen).toContain('first-contact —');
      // A row of the variables table: the name and its default on one line, the meaning between them.
      expect(screen).toMatch(/^SOCKETLINGS_HOST +\S.* localhost$/m);
      expect(screen).not.toContain('| variable');
      t.keys('C-c');
      await t.waitFor(/EXIT=130/);
    },
  );
});

describe('the exercise screen of every exercise at 24 rows', needs(tmux()), () => {
  // One menu session per size and language, walking the picker from the first exercise to the last.
  test.concurrent.each([
    [60, 'en'],
    [60, 'zh-CN'],
    [80, 'en'],
    [80, 'zh-CN'],
  ] as const)(
    '%i×24, %s: what to build, every variable, how to try it by hand, nothing off the screen',
    {
      timeout: 300_000,
    },
    async (cols, lang) => {
      const ws = `every-${cols}-${lang}`;
      const t = term(
        ws,
        `node ${CLI} init ${ws} --lang ${lang} >/dev/null && cd ${ws} && node ${CLI}`,
        cols,
        24,
        {
          SOCKETLINGS_LANG: lang,
        },
      );
      // Prompts being asked (a question starting with "?", a cursor on an entry) are redrawn in place and gone once
      // answered: waiting for one is waiting for it to be there now.
      const menu = lang === 'en' ? /❯ Continue: / : /❯ 继续：/;
      const picker = lang === 'en' ? /\? \d+ of \d+ exercises done\. Pick/ : /\? 已完成 \d+\/\d+ 个练习/;
      const screenDone = lang === 'en' ? /❯ Verify it now/ : /❯ 现在检查/;
      const back = lang === 'en' ? /✔ What next\? ← Back/ : /✔ 接下来做什么？ ← 返回/;
      let previous: string | undefined;
      for (const ex of course.exercises) {
        await t.waitFor(menu);
        t.keys('Down', 'Enter'); // "Lessons and exercises"
        await t.waitFor(picker);
        // The list opens on the exercise seen last; the next one is a row below it, or two past a lesson's title.
        const prevLesson = course.exercises.find((e) => e.id === previous)?.lessonId;
        const downs = previous === undefined ? 0 : prevLesson === ex.lessonId ? 1 : 2;
        t.keys(...Array(downs).fill('Down'), 'Enter');
        await t.waitFor(screenDone);
        const screen = t.visible();
        const lines = screen.split('\n');
        expect(lines.length, ex.id).toBeLessThanOrEqual(24);
        expect(tooWide(screen, cols), ex.id).toEqual([]);
        // Its first line is still on the screen: nothing scrolled away.
        expect(screen, ex.id).toContain(`${ex.id} — `);
        const md = readFileSync(join(ex.dir, `${lang}.md`), 'utf8');
        for (const v of new Set([...md.matchAll(/`(SOCKETLINGS_[A-Z_]+)`/g)].map((m) => m[1] as string)))
          expect(screen, `${ex.id}: ${v}`).toMatch(new RegExp(`(?<![A-Z_])${v}(?![A-Z_])`));
        expect(screen.replace(/\s+/g, ' '), ex.id).toContain(`socketlings peer ${ex.id}`);
        previous = ex.id;
        const backs = t.count(back);
        t.keys('Down', 'Down', 'Down', 'Down', 'Enter'); // Back
        await t.waitForMore(back, backs);
      }
      t.keys('C-c');
      await t.waitFor(/EXIT=130/);
    },
  );
});

describe('at 80×24', needs(tmux()), () => {
  test('the picker shows every exercise with its mark and opens the one picked', {
    timeout: 60_000,
  }, async () => {
    const solution = join(ROOT, 'lessons', '01-sockets', 'first-contact', 'solution', 'first_contact.py');
    const t = term(
      'picker',
      `node ${CLI} init picker >/dev/null && cd picker && cp ${solution} 01-sockets/ && node ${CLI} verify first-contact >/dev/null && node ${CLI}`,
      80,
      24,
    );
    await t.waitFor(/Continue: stream-vs-dgram/);
    t.keys('Down', 'Enter');
    const list = await t.waitFor(/1 of \d+ exercises done\. Pick a lesson/);
    expect(list).toMatch(/✓ first-contact/);
    expect(list).toMatch(/❯ +▶ stream-vs-dgram/); // the current exercise is where the list opens
    expect(list).toMatch(/· tcp-client/);
    expect(list).toContain('↑↓ navigate • ⏎ select');
    t.keys('Down', 'Down', 'Enter'); // past "3. TCP clients" to tcp-client
    const screen = await t.waitFor(/tcp-client — [\s\S]*Verify it now/);
    expect(tooWide(screen, 80)).toEqual([]);
    // The whole screen fits: its first line, the title, has not scrolled out of the 24 rows.
    expect(t.visible()).toContain('tcp-client —');
    t.keys('C-c');
    await t.waitFor(/EXIT=130/);
  });

  test("the menu's verify and solution keep their result in view: the menu waits to be drawn again", {
    timeout: 60_000,
  }, async () => {
    const t = term('held', `node ${CLI} init held >/dev/null && cd held && node ${CLI}`, 80, 24);
    await t.waitFor(/❯ Continue: first-contact/);
    t.keys('Down', 'Down', 'Down', 'Down', 'Enter'); // Verify the current exercise: the unchanged stub fails
    const held = await t.waitFor(/Read it\? Then:/);
    // The verdict's head is still on the screen, with its first failing check, above the one-line prompt.
    expect(held).toContain('first-contact — First contact');
    expect(held).toMatch(/✗ /);
    expect(tooWide(held, 80)).toEqual([]);
    t.keys('Enter');
    await t.waitFor(/✔ Read it\? Then: ← Back to the menu[\s\S]*❯ Continue: first-contact/);
    t.keys('C-c');
    await t.waitFor(/EXIT=130/);
  });

  test('from the folder init ran in: the workspace is found, paths are from there, typos get suggestions', {
    timeout: 60_000,
  }, async () => {
    mkdirSync(join(dir, 'parent'));
    const t = term(
      'parent',
      `cd parent && node ${CLI} init >/dev/null && node ${CLI} verify; node ${CLI} verfy tcp-client; node ${CLI} verify tcp-clinet; node ${CLI}`,
      80,
      24,
    );
    const screen = await t.waitFor(/What next\?/);
    expect(screen).toContain('Using the workspace in socketlings (`cd socketlings` to work inside it).');
    expect(screen).toContain('first-contact — First contact');
    expect(screen).toContain('python3 socketlings/01-sockets/first_contact.py');
    expect(screen).toContain('unknown command "verfy"');
    expect(screen).toContain('did you mean verify?');
    expect(screen).toContain('no exercise "tcp-clinet"');
    expect(screen).toContain('did you mean tcp-client');
    expect(screen).toContain('Continue: first-contact');
    expect(screen).not.toContain('Create one');
    t.keys('C-c');
    await t.waitFor(/EXIT=130/);
  });

  test('the watch screen folds the transcript and keeps the reason and hint in view; it sees a deletion and the return', {
    timeout: 90_000,
  }, async () => {
    const t = term(
      'watch',
      `node ${CLI} init w >/dev/null && cd w && cp ${fixture('exercises', 'recv-all', 'fail_reads_once_late.py')} 05-receiving/recv_all.py && node ${CLI} verify recv-all >/dev/null; node ${CLI} watch`,
      80,
      24,
    );
    await t.waitFor(/failed ·/, 40_000);
    const screen = t.visible();
    expect(screen).toContain('recv-all — ');
    // The 46 or so one-to-eight-byte pieces never take a line each: folded into one, or given way entirely to
    // the reason and the hint when the message is long (the seed decides).
    expect(screen).toMatch(/\[peer:server\] → \d+ pieces, \d+ bytes in all:|earlier lines not shown/);
    expect(screen.split('\n').filter((l) => /\[peer:server\] → "/.test(l)).length).toBeLessThanOrEqual(2);
    expect(screen).toContain('without printing');
    expect(screen).toContain('hint:');
    expect(screen).toContain('n next · h hint');
    expect(tooWide(screen, 80)).toEqual([]);
    const file = join(dir, 'w', '05-receiving', 'recv_all.py');
    rmSync(file);
    await t.waitFor(/recv_all\.py was deleted\./);
    expect(t.visible()).not.toContain('failed ·');
    copyFileSync(fixture('exercises', 'recv-all', 'fail_reads_once_late.py'), file);
    await t.waitFor(/failed ·/, 40_000);
    t.keys('q');
    await t.waitFor(/EXIT=0/);
  });
});
