// Every way a learner could get stuck leads on, with the next step named, seen in a real terminal (tmux) at
// 60×24 and 100×30, in English and Chinese: a deleted file verified from the menu, `reset` with no id, "no" (and
// Ctrl+C) at "create ./socketlings?", the quick start run inside socketlings' own clone, Ctrl+C at a menu, and
// a broken course pack seen from watch mode and the menu. Every line fits the terminal, never split in a word.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { width } from '../src/ui/layout.js';
import { CLI, courseOnDisk, fixture, ROOT } from './helpers.js';
import { needs, tmux } from './needs.js';
import { Terminal } from './tmux.js';

/** The course's exercises, counted by their solution folders on disk rather than by the course loader. */
const EXERCISES = courseOnDisk().exercises;

const dir = mkdtempSync(join(tmpdir(), 'sl-dead-'));
const terms: Terminal[] = [];
afterAll(() => {
  for (const t of terms) t.kill();
  rmSync(dir, { recursive: true, force: true });
});

type Lang = 'en' | 'zh-CN';
const SIZES: [number, number, Lang][] = [
  [60, 24, 'zh-CN'],
  [100, 30, 'en'],
  [60, 24, 'en'],
  [100, 30, 'zh-CN'],
];

/**
 * A pattern for words as they show on a screen where they may have been wrapped: any space may be a line break
 * (and the indentation after it), and so may the place between two Chinese characters.
 */
function loose(text: string): RegExp {
  const parts = [...text].map((ch) =>
    ch === ' '
      ? '\\s+'
      : `${ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}${/[\u2e80-\uffff]/.test(ch) ? '\\s*' : ''}`,
  );
  return new RegExp(parts.join('').replace(/(\\s\*)+(\\s\+)/g, '\\s+'));
}

/** The words each screen is recognised by, per language. */
const W = {
  en: {
    menu: loose('What next?'),
    create: loose('Create one in ./socketlings?'),
    where: loose('Then where? Type a folder'),
    created: (d: string) => loose(`Created ${d} with ${EXERCISES} exercises`),
    none: loose('No workspace made. When you are ready: `socketlings init DIR`'),
    putBack: loose('first_contact.py is not there. Put the stub back'),
    putBackDone: loose('Reset 01-sockets/first_contact.py. Edit it, then choose "Verify" again.'),
    stillMissing: loose(
      'Nothing changed. `socketlings reset first-contact` puts it back later; the menu is still here.',
    ),
    resetAsk: loose('Put 01-sockets/first_contact.py back to the stub?'),
    resetDone: loose('Reset 01-sockets/first_contact.py.'),
    clone: loose('Create your workspace in ~/socketlings instead?'),
    cloneDone: loose('Your workspace is ~/socketlings. Next time: cd ~/socketlings && socketlings'),
    cloneOpen: loose('Your workspace is in ~/socketlings: open it?'),
    packProblem: loose('the course pack in ../pack has 1 problem'),
    verifyEntry: 4,
  },
  'zh-CN': {
    menu: loose('接下来做什么？'),
    create: loose('要在 ./socketlings 中创建一个吗？'),
    where: loose('那么放在哪里？输入工作区的文件夹'),
    created: (d: string) => loose(`已创建 ${d}，其中有 ${EXERCISES} 个练习`),
    none: loose('没有创建工作区。准备好后：`socketlings init DIR`'),
    putBack: loose('first_contact.py 不见了。要放回初始模板吗'),
    putBackDone: loose('已重置 01-sockets/first_contact.py。编辑它，然后再选择“检查”。'),
    stillMissing: loose(
      '没有做任何修改。之后可以用 `socketlings reset first-contact` 放回它；菜单仍在这里。',
    ),
    resetAsk: loose('把 01-sockets/first_contact.py 恢复为初始模板？'),
    resetDone: loose('已重置 01-sockets/first_contact.py。'),
    clone: loose('改为在 ~/socketlings 中创建你的工作区吗？'),
    cloneDone: loose('你的工作区是 ~/socketlings。下次：cd ~/socketlings && socketlings'),
    cloneOpen: loose('你的工作区在 ~/socketlings：要打开它吗？'),
    packProblem: loose('../pack 中的课程包有 1 个问题'),
    verifyEntry: 4,
  },
};

function term(
  tag: string,
  cwd: string,
  command: string,
  [cols, rows, lang]: [number, number, Lang],
  env: Record<string, string> = {},
) {
  const t = Terminal.start(
    `sl-dead-${process.pid}-${tag}-${cols}-${lang}`,
    cwd,
    command,
    // npm_command: run by `npx vitest`, the CLI would take itself for npx's and suggest `npx socketlings`.
    { NO_COLOR: '1', SOCKETLINGS_LANG: lang, npm_command: '', ...env },
    { cols, rows },
  );
  terms.push(t);
  return t;
}

/** Lines wider than the screen, and lines the terminal had to break (tmux joins them again with -J). */
function tooWide(screen: string, cols: number): string[] {
  return screen.split('\n').filter((l) => width(l) > cols);
}

describe('no dead end, in a real terminal', needs(tmux()), () => {
  test.each(SIZES)('"no" at "create ./socketlings?" asks for another folder (%i×%i, %s)', async (...size) => {
    const [cols, , lang] = size;
    const w = W[lang];
    const home = join(dir, `no-${cols}-${lang}`);
    mkdirSync(home);
    const t = term('no', home, `node ${CLI}`, size);
    const ask = await t.waitFor(w.create);
    expect(tooWide(ask, cols)).toEqual([]);
    expect(ask).toMatch(/(^|\s)\.\/socketlings[? ]/m); // the folder is never split across lines
    t.keys('n', 'Enter');
    await t.waitFor(w.where);
    t.keys('mine', 'Enter');
    await t.waitFor(w.created('mine'));
    const menu = await t.waitFor(w.menu);
    expect(tooWide(menu, cols)).toEqual([]);
    expect(existsSync(join(home, 'mine', 'socketlings.json'))).toBe(true);
    expect(existsSync(join(home, 'socketlings'))).toBe(false);
    t.keys('C-c');
    await t.waitFor(/EXIT=130/);
  });

  test.each(SIZES.slice(0, 2))(
    '"no", then Enter alone, leaves with the command for later; Ctrl+C at the question exits 130 (%i×%i, %s)',
    async (...size) => {
      const [cols, , lang] = size;
      const w = W[lang];
      const home = join(dir, `none-${cols}-${lang}`);
      mkdirSync(home);
      const t = term('none', home, `node ${CLI}; node ${CLI}`, size);
      await t.waitFor(w.create);
      t.keys('n', 'Enter');
      await t.waitFor(w.where);
      t.keys('Enter');
      const said = await t.waitFor(w.none);
      expect(said).not.toMatch(/interactive terminal|交互式终端/);
      expect(tooWide(said, cols)).toEqual([]);
      // The second run: Ctrl+C at the question leaves at once, with 130 and nothing made.
      await t.waitForMore(w.create, 1);
      t.keys('C-c');
      const end = await t.waitFor(/EXIT=\d+/);
      expect(end).toContain('EXIT=130');
      expect(end).not.toMatch(/\n\s+at /);
      expect(existsSync(join(home, 'socketlings'))).toBe(false);
    },
  );

  test.each(SIZES.slice(0, 2))(
    "inside socketlings' own clone the quick start proposes ~/socketlings, then opens it next time (%i×%i, %s)",
    async (...size) => {
      const [cols, , lang] = size;
      const w = W[lang];
      const home = join(dir, `home-${cols}-${lang}`);
      mkdirSync(home);
      // `npm link && socketlings` in the clone: the working folder is the package itself.
      const t = term('clone', home, `cd '${ROOT}' && node ${CLI}; node ${CLI}`, size, { HOME: home });
      const ask = await t.waitFor(w.clone);
      expect(tooWide(ask, cols)).toEqual([]);
      t.keys('Enter');
      await t.waitFor(w.cloneDone);
      await t.waitFor(w.menu);
      expect(existsSync(join(home, 'socketlings', 'socketlings.json'))).toBe(true);
      expect(existsSync(join(ROOT, 'socketlings'))).toBe(false);
      t.keys('C-c');
      // Run again in the clone: the workspace made there is offered, not a new one.
      await t.waitFor(w.cloneOpen);
      t.keys('Enter');
      await t.waitForMore(w.menu, 1);
      t.keys('C-c');
      await t.waitFor(/EXIT=130/);
      expect(existsSync(join(ROOT, 'socketlings'))).toBe(false);
    },
  );

  test.each(SIZES.slice(0, 2))(
    "the menu's verify on a deleted file offers the stub back and stays in the menu (%i×%i, %s)",
    async (...size) => {
      const [cols, , lang] = size;
      const w = W[lang];
      const home = join(dir, `deleted-${cols}-${lang}`);
      mkdirSync(home);
      const ws = join(home, 'socketlings');
      const t = term(
        'deleted',
        home,
        `node ${CLI} init >/dev/null && cd socketlings && rm 01-sockets/first_contact.py && node ${CLI}`,
        size,
      );
      const pick = async () => {
        await t.waitFor(w.menu);
        const before = t.count(w.menu);
        t.keys(...Array(w.verifyEntry).fill('Down'), 'Enter');
        return before;
      };
      // First "no": nothing changes, the next step is named, the menu comes back.
      let before = await pick();
      await t.waitFor(w.putBack);
      t.keys('n', 'Enter');
      await t.waitFor(w.stillMissing);
      await t.waitForMore(w.menu, before);
      expect(existsSync(join(ws, '01-sockets', 'first_contact.py'))).toBe(false);
      // Then yes: the stub is back, and verifying it now fails as a stub should.
      before = await pick();
      await t.waitFor(w.putBack);
      t.keys('Enter');
      await t.waitFor(w.putBackDone);
      expect(readFileSync(join(ws, '01-sockets', 'first_contact.py'), 'utf8')).toContain('TODO');
      await t.waitForMore(w.menu, before);
      expect(tooWide(t.screen(), cols)).toEqual([]);
      expect(t.screen()).not.toMatch(/--file PATH/);
      t.keys('C-c');
      await t.waitFor(/EXIT=130/);
    },
  );

  test.each(SIZES.slice(0, 2))(
    'reset with no id resets the current exercise (%i×%i, %s)',
    async (...size) => {
      const [cols, , lang] = size;
      const w = W[lang];
      const home = join(dir, `reset-${cols}-${lang}`);
      mkdirSync(home);
      const file = join(home, 'socketlings', '01-sockets', 'first_contact.py');
      const t = term(
        'reset',
        home,
        `node ${CLI} init >/dev/null && cd socketlings && echo '# mine' > 01-sockets/first_contact.py && node ${CLI} reset`,
        size,
      );
      const ask = await t.waitFor(w.resetAsk);
      expect(tooWide(ask, cols)).toEqual([]);
      t.keys('y', 'Enter');
      await t.waitFor(w.resetDone);
      await t.waitFor(/EXIT=0/);
      expect(readFileSync(file, 'utf8')).toContain('TODO');
    },
  );

  test.each(SIZES.slice(0, 2))(
    'a broken course pack is named as such from watch mode and from the menu (%i×%i, %s)',
    async (...size) => {
      const [cols, , lang] = size;
      const w = W[lang];
      const home = join(dir, `pack-${cols}-${lang}`);
      mkdirSync(home);
      const pack = join(home, 'pack');
      cpSync(fixture('packs', 'minimal'), pack, { recursive: true });
      // The pack's grader broken after the workspace was made, as an author editing it would.
      const t = term(
        'pack',
        home,
        `node ${CLI} --course pack init ws >/dev/null && sed -i 's/{ do: start }/{ do: launch }/' pack/graders/ping.yaml && cd ws && node ${CLI} --course ../pack watch; node ${CLI} --course ../pack`,
        size,
      );
      const watch = await t.waitFor(w.packProblem);
      expect(watch).not.toMatch(/reinstall|重新安装/);
      expect(tooWide(t.visible(), cols)).toEqual([]);
      t.keys('q');
      await t.waitFor(w.menu);
      const before = t.count(w.packProblem);
      t.keys(...Array(w.verifyEntry).fill('Down'), 'Enter');
      await t.waitForMore(w.packProblem, before);
      expect(t.screen()).not.toMatch(/reinstall|重新安装/);
      await t.waitForMore(w.menu, 1); // the menu is still there
      t.keys('C-c');
      await t.waitFor(/EXIT=130/);
    },
  );
});
