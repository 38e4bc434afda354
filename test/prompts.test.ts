// The menu's prompts, driven key by key with @inquirer/testing.
import { confirm, select } from '@inquirer/prompts';
import { render } from '@inquirer/testing';
import { expect, test } from 'vitest';
import { menuChoices } from '../src/cli/commands/menu.js';
import { selectConfig } from '../src/ui/ask.js';
import { uiText } from '../src/ui/i18n.js';

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
  const { answer, events, getScreen } = await render(confirm, {
    message: t.resetConfirm('x.py'),
    default: false,
  });
  expect(getScreen()).toContain('Put x.py back to the stub?');
  events.keypress('enter');
  await expect(answer).resolves.toBe(false);
});
