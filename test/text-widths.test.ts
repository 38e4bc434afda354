// Every lesson and exercise text of the course, in every language, fits a standard 80-column terminal: no line
// is wider than 79 columns as the learner sees it. Prose is laid out at the terminal's width, so what can break
// this is a line that is never wrapped (code and diagrams) or a word too long to break. Measured on the real
// renderer's output (its indentation included), Chinese counted two columns a character (string-width). And the
// diagrams' boxes stay closed: every vertical bar has a line of its box above or below it, in the same column.
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../src/ui/markdown.js';
import { courseTexts, fences } from './lesson-text.js';

const LIMIT = 79;
const texts = courseTexts();

/** The lines of a text wider than LIMIT as shown, each traced to its line in the file where it is code. */
async function tooWide(md: string, file: string): Promise<string[]> {
  // Laid out at the limit itself: prose then never exceeds it, and only what cannot wrap can.
  const shown = (await renderMarkdown(md, { width: LIMIT, color: false })).split('\n');
  const code = fences(md).flatMap((f) => f.lines);
  const used = new Set<number>();
  const out: string[] = [];
  for (const line of shown) {
    const w = stringWidth(line);
    if (w <= LIMIT) continue;
    const src = code.find((c) => !used.has(c.line) && c.text.trim() !== '' && c.text.trim() === line.trim());
    if (src) {
      used.add(src.line);
      out.push(`${file}:${src.line}: ${w} columns as shown (${stringWidth(src.text)} in the file)`);
    } else out.push(`${file}: ${w} columns as shown: ${JSON.stringify(line.trim().slice(0, 60))}`);
  }
  return out;
}

const BOX = new Set([...'│┌┐└┘├┤┬┴┼▼▲']);

/** Vertical bars of the text blocks with no part of a box above or below them in the same display column. */
function loneBars(md: string, file: string): string[] {
  const out: string[] = [];
  for (const f of fences(md)) {
    if (f.lang !== 'text') continue;
    // Display column -> character, per line.
    const grid = f.lines.map((l) => {
      const at = new Map<number, string>();
      let x = 0;
      for (const ch of l.text) {
        at.set(x, ch);
        x += stringWidth(ch);
      }
      return at;
    });
    grid.forEach((row, i) => {
      for (const [x, ch] of row) {
        if (ch !== '│') continue;
        const near = [grid[i - 1]?.get(x), grid[i + 1]?.get(x)];
        if (!near.some((c) => c !== undefined && BOX.has(c)))
          out.push(`${file}:${f.lines[i]?.line}: the │ in column ${x} belongs to no box line`);
      }
    });
  }
  return out;
}

describe('diagrams stay aligned', () => {
  it.each(texts.map((t) => [t.file, t] as const))('%s', (file, t) => {
    expect(loneBars(t.md, file)).toEqual([]);
  });

  it('the check sees a bar one column off, Chinese counted double', () => {
    const md = ['```text', '┌────┐', '│ 汉字│', '└────┘', '│ ab │', '```', ''].join('\n');
    expect(loneBars(md, 'probe.md')).toEqual(['probe.md:3: the │ in column 6 belongs to no box line']);
  });
});

describe('every lesson and exercise text fits 80 columns', () => {
  it('finds the texts', () => {
    // 15 lessons and their exercises, two languages each; a new text is checked without being listed.
    expect(texts.filter((t) => !t.exercise).length).toBeGreaterThanOrEqual(30);
    expect(texts.filter((t) => t.exercise).length).toBeGreaterThanOrEqual(64);
  });

  it.each(texts.map((t) => [t.file, t] as const))('%s', async (file, t) => {
    expect(await tooWide(t.md, file)).toEqual([]);
  });

  it('the measure sees a wide code line, a wide diagram and Chinese counted double', async () => {
    const md = [
      '# t',
      '',
      '```python',
      `print('${'x'.repeat(70)}')`,
      '```',
      '',
      '```text',
      `┌${'─'.repeat(76)}┐`,
      `${'汉'.repeat(39)}`,
      `${'汉'.repeat(38)}`,
      '```',
      '',
    ].join('\n');
    expect(await tooWide(md, 'probe.md')).toEqual([
      'probe.md:4: 81 columns as shown (79 in the file)',
      'probe.md:8: 80 columns as shown (78 in the file)',
      'probe.md:9: 80 columns as shown (78 in the file)',
    ]);
  });
});
