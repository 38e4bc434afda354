// The menu's prompts, driven key by key with @inquirer/testing.
import { select } from '@inquirer/prompts';
import { render } from '@inquirer/testing';
import { expect, test } from 'vitest';
import { loadCourse } from '../src/app/course.js';
import { menuChoices } from '../src/cli/commands/menu.js';
import { confirm as askConfirm, type PromptStreams, selectConfig } from '../src/ui/ask.js';
import { uiText } from '../src/ui/i18n.js';
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
  events.keypress('enter');
  await expect(answer).resolves.toBe('verify');
});

test('after the last exercise the menu has no exercise actions', async () => {
  const t = uiText('en');
  const values = menuChoices(false, t).map((c) => c.value);
  expect(values).toEqual(['lessons', 'read', 'lang', 'quit']);
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
  // The application's own confirm, asked as the reset asks it (no default of its own), on test streams.
  const { answer, events, getScreen } = await render(
    (config: { message: string }, streams) =>
      askConfirm(config.message, undefined, streams as PromptStreams) as Promise<boolean | undefined>,
    { message: t.resetConfirm('x.py') },
  );
  expect(getScreen()).toContain('Put x.py back to the stub?');
  expect(getScreen()).toContain('(y/N)');
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
