// A program that floods its grader: with lines, with bytes on a connection, with datagrams. What the grader keeps
// of it is bounded (a transcript per check, a connection's unread bytes, a datagram queue), and what was left out
// is said, so a flooding student cannot grow the grading worker's memory, nor the report, without bound.
import { createSocket } from 'node:dgram';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { TRANSCRIPT_HEAD, TRANSCRIPT_TAIL } from '../src/grading/context.js';
import type { WireEvent } from '../src/wire/events.js';
import { WINDOW } from '../src/wire/stream.js';
import { MAX_QUEUED, PeerUdp } from '../src/wire/udp.js';
import { fixture } from './helpers.js';
import { makeRoot, processesWith, removeRoots, runCli } from './hostile-class.js';
import { needs, rootWithRunuser, sandbox } from './needs.js';

afterAll(removeRoots);

const MiB = 1024 ** 2;

interface Result {
  status: string;
  checks: { title: string; transcript: { who: string; kind: string; text: string }[] }[];
}

/** A folder with one hostile program as the exercise's file, anyone may read. */
function handIn(lesson: string, file: string, program: string): string {
  const { cls } = makeRoot('format: 1\ntitle: Flood\nexercises: [{ id: tcp-client }]\n');
  mkdirSync(join(cls, 'x', lesson), { recursive: true, mode: 0o755 });
  copyFileSync(fixture('hostile', program), join(cls, 'x', lesson, file));
  copyFileSync(fixture('hostile', '_wire.py'), join(cls, 'x', lesson, '_wire.py'));
  return join(cls, 'x');
}

for (const user of [undefined, 'nobody'] as const) {
  const who = user ?? 'the current user';
  describe(
    `a flooding program, graded as ${who}`,
    needs(sandbox(), ...(user ? [rootWithRunuser()] : [])),
    () => {
      test.concurrent('3000 lines: each check keeps its first and last ones, the rest counted', {
        timeout: 60_000,
      }, async () => {
        const d = handIn('03-tcp-clients', 'tcp_client.py', 'chatter.py');
        const r = await runCli(
          [
            'verify',
            'tcp-client',
            '--file',
            '03-tcp-clients/tcp_client.py',
            '--sandbox',
            '--json',
            '--no-wire',
          ],
          { cwd: d, ...(user ? { user } : {}) },
        );
        expect(r.code, r.stderr).toBe(0);
        const result = JSON.parse(r.stdout) as Result;
        expect(result.status).toBe('pass');
        for (const c of result.checks)
          expect(c.transcript.length, c.title).toBeLessThanOrEqual(TRANSCRIPT_HEAD + 1 + TRANSCRIPT_TAIL);
        const lines = result.checks.flatMap((c) => c.transcript.map((e) => e.text));
        const folded = lines.filter((t) => /more lines left out here/.test(t));
        expect(folded.length, 'said where lines were left out').toBeGreaterThan(0);
        const left = folded.map((t) => Number(/… (\d+) more lines/.exec(t)?.[1]));
        const kept = lines.filter((t) => t.startsWith('PROBE line ')).length;
        // Nothing lost without a word: what was kept and what was counted (lines of every kind) cover all 3000.
        expect(kept).toBeLessThan(3000);
        expect(kept + left.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(3000);
        // The last lines are kept: they are what shows how a program ended.
        expect(lines).toContain('PROBE line 2999');
        expect(processesWith(d)).toEqual([]);
      });

      test.concurrent('bytes on a connection: the peer stops reading past its window, the sends block', {
        timeout: 60_000,
      }, async () => {
        const d = handIn('06-timeouts', 'timeout_client.py', 'flood.py');
        const r = await runCli(
          [
            'verify',
            'timeout-client',
            '--file',
            '06-timeouts/timeout_client.py',
            '--sandbox',
            '--json',
            '--no-wire',
          ],
          { cwd: d, ...(user ? { user } : {}) },
        );
        expect(r.code, r.stderr).toBe(1);
        const all = (JSON.parse(r.stdout) as Result).checks.flatMap((c) => c.transcript.map((e) => e.text));
        const held = all
          .map((t) => /^stops reading: holds (\d+) bytes not asked for yet$/.exec(t)?.[1])
          .find(Boolean);
        expect(held, all.join('\n')).toBeDefined();
        expect(Number(held)).toBeGreaterThanOrEqual(WINDOW);
        expect(Number(held)).toBeLessThan(WINDOW + MiB);
        // The program's own word that its sends stopped going through: the window, the kernel's socket buffers on
        // both sides (Linux's defaults allow at most 6 MiB to receive and 4 MiB to send) and its 1 MiB piece.
        const stalled = all.map((t) => /^PROBE stalled after (\d+) bytes$/.exec(t)?.[1]).find(Boolean);
        expect(stalled, all.join('\n')).toBeDefined();
        expect(Number(stalled)).toBeLessThanOrEqual(WINDOW + 6 * MiB + 4 * MiB + MiB);
        // The flood ends with its grading: nothing of it is left running.
        expect(processesWith(d)).toEqual([]);
      });
    },
  );
}

describe('datagrams nobody reads', () => {
  test('a peer keeps at most MAX_QUEUED of them, drops the rest, and says so once', async () => {
    const events: WireEvent[] = [];
    let wake: (() => void) | undefined;
    const peer = await PeerUdp.open('server', 'ipv4', (e) => {
      events.push(e);
      wake?.();
    });
    const sender = createSocket('udp4');
    const received = () => events.filter((e) => e.kind === 'recv').length;
    const arrived = (n: number) =>
      new Promise<void>((resolve) => {
        wake = () => received() >= n && resolve();
        wake();
      });
    try {
      const piece = Buffer.alloc(1000, 0x61);
      const total = MAX_QUEUED.datagrams + 200;
      // In small batches, each waited for: the kernel's own buffer never fills, so every datagram arrives.
      for (let sent = 0; sent < total; ) {
        for (let i = 0; i < 20 && sent < total; i++, sent++)
          await new Promise<void>((resolve, reject) =>
            sender.send(piece, peer.port, '127.0.0.1', (err) => (err ? reject(err) : resolve())),
          );
        await arrived(sent);
      }
      expect(received()).toBe(total);
      expect(peer.queue.length).toBe(MAX_QUEUED.datagrams);
      const notes = events.filter((e) => e.kind === 'note').map((e) => e.text);
      expect(notes).toEqual([
        `drops datagrams: holds ${MAX_QUEUED.datagrams} (${MAX_QUEUED.datagrams * 1000} bytes) not read yet`,
      ]);
      // Read one: there is room for one more, and a flood after it is said again.
      expect(peer.shift()?.data.length).toBe(1000);
      for (let i = 0; i < 2; i++)
        await new Promise<void>((resolve) => sender.send(piece, peer.port, '127.0.0.1', () => resolve()));
      await arrived(total + 2);
      expect(peer.queue.length).toBe(MAX_QUEUED.datagrams);
      expect(events.filter((e) => e.kind === 'note')).toHaveLength(2);
    } finally {
      sender.close();
      await peer.close();
    }
  });
});
