// The course's exercises, judged as the course's quality gate demands: every stub fails and every reference
// solution passes (dev check). Every wrong program a grader author foresaw fails and every other correct style
// passes: test/programs-*.test.ts, a third of the exercises each, so that they run side by side.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { cli, fixture, ROOT } from './helpers.js';
import { needs, posixSockets } from './needs.js';

test('dev check: the built-in course is sound', { timeout: 180_000, ...needs(posixSockets()) }, async () => {
  const r = await cli(['dev', 'check', '--json'], { timeoutMs: 170_000 });
  const report = JSON.parse(r.stdout);
  const bad = report.exercises.filter((e: { problems: string[] }) => e.problems.length);
  expect(bad, JSON.stringify(bad, null, 1)).toEqual([]);
  expect(r.code).toBe(0);
  expect(report.exercises.length).toBeGreaterThanOrEqual(4);
});

// recvfrom(4) on a longer datagram: POSIX truncates it; Winsock raises WSAEMSGSIZE instead.
test(
  "the seed's own programs pass their exercises, except its one-recv() TCP server and recvfrom(4) UDP server, which show why they are wrong",
  needs(posixSockets()),
  async () => {
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
  },
);

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
