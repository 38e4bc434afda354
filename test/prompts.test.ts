// The menu's prompts, driven key by key with @inquirer/testing.
import { confirm, select } from '@inquirer/prompts';
import { render } from '@inquirer/testing';
import { expect, test } from 'vitest';
import { loadCourse } from '../src/app/course.js';
import { menuChoices } from '../src/cli/commands/menu.js';
import { fitQuestion, selectConfig } from '../src/ui/ask.js';
import { uiText } from '../src/ui/i18n.js';
import { width } from '../src/ui/layout.js';
import { pickerChoices } from '../src/ui/picker.js';
import { ROOT } from './helpers.js';

test('the menu offers the exercise actions, in order, and arrows pick one', async () => {
  const t = uiText('en');
  const { answer, events, getScreen } = await render(
    select,
    selectConfig(t.menuQuestion, menuChoices(true, t, 'tcp-client')),
  );
  const screen = getScreen();
  for (const label of ['Continue: tcp-client', 'Verify the current exercise', 'Watch mode', 'Hint', 'Quit'])
    expect(screen).toContain(label);
  expect(screen.indexOf('Continue: tcp-client')).toBeLessThan(screen.indexOf('Quit'));
  events.keypress('down');
  events.keypress('down');
  events.keypress('down');
  events.keypress('down');
  events.keypress('enter');
  await expect(answer).resolves.toBe('verify');
});

test('after the last exercise the menu has no exercise actions', async () => {
  const t = uiText('en');
  const values = menuChoices(false, t).map((c) => c.value);
  expect(values).toEqual(['lessons', 'read', 'quiz', 'lang', 'quit']);
});

test('the menu speaks Chinese when the learner does', async () => {
  const t = uiText('zh-CN');
  const { answer, events, getScreen } = await render(
    select,
    selectConfig(t.menuQuestion, menuChoices(true, t, 'tcp-client')),
  );
  expect(getScreen()).toContain('接下来做什么？');
  expect(getScreen()).toContain('继续：tcp-client');
  events.keypress('up'); // the list does not wrap: up at the top stays on the first entry
  events.keypress('enter');
  await expect(answer).resolves.toBe('continue');
});

test('confirming a reset defaults to no: Enter alone keeps the learner’s file', async () => {
  const t = uiText('en');
  const { answer, events, getScreen } = await render(confirm, {
    message: t.resetConfirm('x.py'),
    default: false,
  });
  expect(getScreen()).toContain('Put x.py back to the stub?');
  events.keypress('enter');
  await expect(answer).resolves.toBe(false);
});

test('the picker lists every lesson and exercise with its mark, opens on the current one, in Chinese too', async () => {
  const loaded = loadCourse(ROOT, ROOT);
  if (!loaded.ok) throw new Error('the built-in course does not load');
  const course = loaded.value;
  const progress = {
    format: 1 as const,
    course: course.id,
    current: 'tcp-client',
    exercises: { 'first-contact': { status: 'done' as const, at: '2026-01-01T00:00:00.000Z' } },
    hints: {},
  };
  const t = uiText('zh-CN');
  const choices = pickerChoices(course, progress, 'tcp-client', 'zh-CN', t.menuBack);
  expect(choices).toHaveLength(course.lessons.length + course.exercises.length + 1);
  const initial = choices.find((c) => c.value.kind === 'exercise' && c.value.id === 'tcp-client')?.value;
  const { answer, events, getScreen } = await render(
    select,
    selectConfig('选一个', choices, initial, { keys: { navigate: t.keyNavigate, select: t.keySelect } }),
  );
  const screen = getScreen();
  expect(screen).toMatch(/✓ first-contact/);
  expect(screen).toMatch(/❯ +▶ tcp-client/);
  expect(screen).toMatch(/· connect-ex/);
  expect(screen).toContain('↑↓ 移动 • ⏎ 选择');
  events.keypress('down');
  events.keypress('enter');
  await expect(answer).resolves.toEqual({ kind: 'exercise', id: 'connect-ex' });
});

test.each([
  ['en', 60],
  ['zh-CN', 60],
  ['en', 40],
] as const)(
  'a question is laid out for its prompt line (%s, %i columns): no word split, room left for the answer',
  (lang, cols) => {
    const t = uiText(lang);
    for (const q of [
      t.noWorkspaceHere,
      t.cloneNoWorkspace('~/socketlings'),
      t.resetConfirm('05-receiving/recv_all.py'),
    ]) {
      const lines = fitQuestion(q, cols, 9).split('\n');
      // "? " goes before the first line; the others carry their two spaces of indentation already.
      expect(width(lines[0] ?? '')).toBeLessThanOrEqual(cols - 2);
      expect(lines.slice(1).every((l) => l.startsWith('  ') && width(l) <= cols)).toBe(true);
      expect(width(lines.length > 1 ? (lines.at(-1) ?? '') : `? ${lines[0]}`) + 9).toBeLessThanOrEqual(cols);
      // The words are the question's, in order, none cut: joined again they give it back.
      const joined = lines.map((l) => l.trim()).join(lang === 'en' ? ' ' : '');
      expect(joined.replace(/\s+/g, '')).toBe(q.replace(/\s+/g, ''));
      if (lang === 'en') expect(joined).toBe(q);
      expect(
        lines.some(
          (l) => l.includes('./socketlings') || l.includes('~/socketlings') || l.includes('recv_all.py'),
        ),
      ).toBe(true);
    }
  },
);

test('a long choice wraps under its text, and its answer is short enough for the question line', () => {
  const config = selectConfig(
    'Pick one of these, please:',
    [{ name: `      ✓ first-contact  ${'a title long enough to need two lines '.repeat(2)}`, value: 1 }],
    undefined,
    { columns: 40 },
  );
  const name = config.choices[0]?.name ?? '';
  expect(name.split('\n').length).toBeGreaterThan(1);
  expect(name.split('\n').every((l) => width(l) <= 38)).toBe(true);
  expect(name.split('\n')[1]).toMatch(/^ {8}\S/);
  expect(width(`? ${config.message} ${config.choices[0]?.short}`)).toBeLessThanOrEqual(40);
});
