// The course's exercises, judged as the course's quality gate demands: every stub fails and every reference
// solution passes (dev check). Every wrong program a grader author foresaw fails and every other correct style
// passes: test/programs-*.test.ts, a third of the exercises each, so that they run side by side.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { displayWidth } from '../src/grading/quote.js';
import { cli, fixture, ROOT } from './helpers.js';

test('dev check: the built-in course is sound', { timeout: 180_000 }, async () => {
  const r = await cli(['dev', 'check', '--json'], { timeoutMs: 170_000 });
  const report = JSON.parse(r.stdout);
  const bad = report.exercises.filter((e: { problems: string[] }) => e.problems.length);
  expect(bad).toEqual([]);
  expect(r.code).toBe(0);
  expect(report.exercises.length).toBeGreaterThanOrEqual(4);
});

test("the seed's own programs pass their exercises, except its one-recv() TCP server and recvfrom(4) UDP server, which show why they are wrong", async () => {
  const seed = (f: string) => fixture('seed', f);
  const runs = await Promise.all([
    cli(['verify', 'tcp-client', '--file', seed('tcp_client.py')]),
    cli(['verify', 'udp-server', '--file', seed('udp_server.py')]),
    cli(['verify', 'udp-client', '--file', seed('udp_client.py')]),
    cli(['verify', 'udp-server', '--file', seed('udp_server_recvfrom4.py')]),
    cli(['verify', 'tcp-server', '--file', seed('tcp_server.py')]),
  ]);
  for (const r of runs.slice(0, 3)) expect(r.code, r.stdout).toBe(0);
  const cut = runs[3];
  expect(cut?.code).toBe(1);
  expect(cut?.stdout).toContain('recvfrom(65535)');
  // The notes' server takes one recv() for the whole message; the grader sends it a few bytes at a time.
  const once = runs[4];
  expect(once?.code).toBe(1);
  expect(once?.stdout).toContain('a few bytes at a time');
});

/** The numbered steps under an exercise text's "What the grader does" heading, as written. */
function graderSteps(file: string): string {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const heading = /^## (What the grader does|评分器会做什么)$/m.exec(text);
  expect(heading, `${file} has no "What the grader does" section`).not.toBeNull();
  const section = text.slice((heading?.index ?? 0) + (heading?.[0].length ?? 0));
  const from = section.search(/^1\. /m);
  // The steps, and what follows them up to the "try it by hand" paragraph.
  const to = section.search(/^(Try it by hand|手动试一试)/m);
  return section.slice(from, to).trim();
}

test("async-chat announces exactly the steps of chat-server's grader, which it uses, in both languages", () => {
  for (const lang of ['en', 'zh-CN']) {
    const chat = graderSteps(`lessons/10-many-clients/chat-server/${lang}.md`);
    expect(chat.length).toBeGreaterThan(500);
    expect(graderSteps(`lessons/14-event-loops/async-chat/${lang}.md`)).toBe(chat);
  }
});

test('code blocks and diagrams in the exercise texts of lessons 11-15 fit 79 columns (CJK counts two)', () => {
  const lessons = readdirSync(join(ROOT, 'lessons')).filter((d) => /^1[1-5]-/.test(d));
  const wide: string[] = [];
  for (const lesson of lessons)
    for (const exercise of readdirSync(join(ROOT, 'lessons', lesson), { withFileTypes: true })) {
      if (!exercise.isDirectory()) continue;
      for (const lang of ['en', 'zh-CN']) {
        const file = join('lessons', lesson, exercise.name, `${lang}.md`);
        let inBlock = false;
        readFileSync(join(ROOT, file), 'utf8')
          .split('\n')
          .forEach((line, i) => {
            if (line.startsWith('```')) inBlock = !inBlock;
            else if (inBlock && displayWidth(line) > 79) wide.push(`${file}:${i + 1}`);
          });
      }
    }
  expect(lessons.length).toBe(5);
  expect(wide).toEqual([]);
});
