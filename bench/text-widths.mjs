// npm run bench:widths — for every lesson and exercise text in both languages, the widest line `read` prints at
// 60 and at 80 columns (display columns: a Chinese character counts two), and the widest of each kind: prose
// (laid out to fit), code (never wrapped: the pager scrolls it) and web addresses (never cut). Piped, as
// `COLUMNS=60 socketlings read <text> | cat` would print it. A line of prose wider than the terminal is a bug.
import { builtinCourseDir, loadCourse } from '../dist/app/course.js';
import { courseText, renderText } from '../dist/cli/commands/read.js';
import { width } from '../dist/ui/layout.js';
import { lexMarkdown } from '../dist/ui/markdown-lex.js';

const root = builtinCourseDir();
const loaded = loadCourse(root, root);
if (!loaded.ok) throw new Error('the built-in course does not load');
const course = loaded.value;

/** Every line of every code block of a text, as `read` prints them (indented two columns). */
function codeLines(tokens) {
  const lines = new Set();
  const walk = (ts) => {
    for (const t of ts) {
      if (t.type === 'code') for (const l of t.text.split('\n')) lines.add(`  ${l}`.trimEnd());
      if (t.tokens) walk(t.tokens);
      if (t.items) walk(t.items);
    }
  };
  walk(tokens);
  return lines;
}

const rows = [];
for (const [kind, items] of [
  ['lesson', course.lessons],
  ['exercise', course.exercises],
]) {
  for (const item of items) {
    for (const lang of ['en', 'zh-CN']) {
      const key = kind === 'lesson' ? String(item.index + 1) : item.id;
      const row = { text: kind === 'lesson' ? `${key}. ${item.id}` : item.id, lang };
      for (const cols of [60, 80]) {
        process.env.COLUMNS = String(cols);
        const ctx = { cwd: root, lang, course: undefined, out: { isTTY: false }, err: process.stderr };
        const text = await courseText(ctx, key);
        const code = codeLines(lexMarkdown(text.markdown));
        const out = renderText(ctx, key, text);
        let prose = 0;
        let pre = 0;
        let url = 0;
        for (const line of out.split('\n')) {
          const w = width(line);
          if (code.has(line.trimEnd())) pre = Math.max(pre, w);
          else if (/^\s*https:\/\/\S+$/.test(line)) url = Math.max(url, w);
          else prose = Math.max(prose, w);
        }
        row[cols] = { all: Math.max(prose, pre, url), prose, code: pre, url };
      }
      rows.push(row);
    }
  }
}

const pad = (s, n) => String(s).padEnd(n);
const num = (n) => String(n).padStart(4);
console.log(
  `${pad('text', 26)} ${pad('lang', 5)}  ${'@60'.padStart(4)} ${'prose'.padStart(5)} ${'code'.padStart(4)} ${'url'.padStart(4)}   ${'@80'.padStart(4)} ${'prose'.padStart(5)} ${'code'.padStart(4)} ${'url'.padStart(4)}`,
);
for (const r of rows)
  console.log(
    `${pad(r.text, 26)} ${pad(r.lang, 5)}  ${num(r[60].all)} ${num(r[60].prose).padStart(5)} ${num(r[60].code)} ${num(r[60].url)}   ${num(r[80].all)} ${num(r[80].prose).padStart(5)} ${num(r[80].code)} ${num(r[80].url)}`,
  );
const worst = (cols, k) => Math.max(...rows.map((r) => r[cols][k]));
console.log(
  `\nwidest at 60: ${worst(60, 'all')} (prose ${worst(60, 'prose')}, code ${worst(60, 'code')}, addresses ${worst(60, 'url')}); at 80: ${worst(80, 'all')} (prose ${worst(80, 'prose')}, code ${worst(80, 'code')}, addresses ${worst(80, 'url')})`,
);
const over = rows.filter((r) => r[60].prose > 60 || r[80].prose > 80);
console.log(
  over.length
    ? `prose wider than the terminal: ${over.map((r) => `${r.text} ${r.lang}`).join(', ')}`
    : 'no line of prose is wider than the terminal',
);
