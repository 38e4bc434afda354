// Small pure pieces, checked by truth tables.
import { describe, expect, test, vi } from 'vitest';
import { resolveLang } from '../src/app/lang.js';
import { starvation } from '../src/grading/fairness.js';
import { diffLines, displayWidth, quote } from '../src/grading/quote.js';
import { rngFor } from '../src/grading/rng.js';
import { scoreExercise } from '../src/grading/score.js';
import { makeVar } from '../src/grading/vars.js';
import { scrubbedEnv } from '../src/wire/env.js';
import { childLists, needs, PYTHON, procNet, python } from './needs.js';

describe('quote', () => {
  test.each([
    ['PING\n', '"PING\\n"'],
    ['a\r\nb', '"a\\r\\nb"'],
    ['tab\there', '"tab\\there"'],
    ['say "hi"\\', '"say \\"hi\\"\\\\"'],
    [Buffer.from([0, 1, 255]), '"\\0\\x01\\xff"'],
    ['你好', '"你好"'],
    [Buffer.from([0xe4, 0xbd]), '"\\xe4\\xbd"'],
    [Buffer.from([0xc0, 0x80]), '"\\xc0\\x80"'],
    ['\u200b', '"\\xe2\\x80\\x8b"'],
  ])('%j', (input, shown) => expect(quote(input)).toBe(shown));

  test('long data is cut with its size', () => {
    expect(quote(Buffer.alloc(200, 97), 4)).toBe('"aaaa" … (200 bytes in all)');
  });
});

describe('diffLines puts the caret under the first differing byte', () => {
  const labels = { expected: 'expected:', actual: 'actual:' };
  test.each([
    ['PONG\n', 'PONG\r\n', 4],
    ['hello', 'jello', 0],
    ['abc', 'ab', 2],
    ['a\tb', 'a b', 1],
    ['你好吗', '你好嗎', 7],
  ])('%j vs %j', (want, got, at) => {
    const [e, a, caret] = diffLines(Buffer.from(want), Buffer.from(got), labels);
    expect(e?.startsWith('expected:')).toBe(true);
    expect(a?.startsWith('actual:')).toBe(true);
    expect(caret).toContain(`^ byte ${at}`);
    // The caret stands exactly under the first character that renders the differing byte.
    const labelWidth = 'expected:'.length + 2;
    // opening quote + the rendered characters before the one holding the differing byte
    const charStart = Buffer.from(got)
      .subarray(0, at)
      .toString('utf8')
      .replace(/\uFFFD$/, '');
    const prefix = displayWidth(quote(charStart)) - 1;
    expect((caret as string).indexOf('^')).toBe(labelWidth + prefix);
    expect(a?.slice(0, labelWidth)).toBe('actual:'.padEnd(labelWidth));
  });

  test('equal values get no caret', () => {
    expect(diffLines(Buffer.from('x'), Buffer.from('x'), labels)).toHaveLength(2);
  });

  test('a difference deep in a big payload is shown with its neighbourhood', () => {
    const want = Buffer.alloc(5000, 120);
    const got = Buffer.from(want);
    got[4321] = 121;
    const [, a, caret] = diffLines(want, got, labels);
    expect(caret).toContain('^ byte 4321');
    expect(a).toContain('…');
  });
});

describe('seeded randomness', () => {
  test('one stream per name, the same for the same seed', () => {
    const a = rngFor(7, 'var:x');
    const b = rngFor(7, 'var:x');
    const c = rngFor(7, 'var:y');
    const xs = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(xs);
    expect([c(), c(), c()]).not.toEqual(xs);
    for (const x of xs) expect(x >= 0 && x < 1).toBe(true);
  });

  test('vars are reproducible and vary with the seed', () => {
    const v = { kind: 'words', count: 3 } as const;
    expect(makeVar(1, 'm', v)).toBe(makeVar(1, 'm', v));
    expect(makeVar(1, 'm', v)).not.toBe(makeVar(2, 'm', v));
    const bytes = makeVar(3, 'b', { kind: 'bytes', size: 1025 });
    expect(Buffer.isBuffer(bytes) && bytes.length).toBe(1025);
    const n = Number(makeVar(3, 'n', { kind: 'int', min: 5, max: 6 }));
    expect([5, 6]).toContain(n);
  });

  test('every round of a grader takes another choice; bytes can begin and end with given bytes', () => {
    const v = { kind: 'choice' as const, of: ['0.5', '1.2', '1.9'] };
    for (let seed = 0; seed < 50; seed++) {
      const rounds = [1, 2, 3].map((r) => makeVar(seed, 't', v, {}, r));
      expect(new Set(rounds).size).toBe(3);
      expect(rounds[0]).toBe(makeVar(seed, 't', v));
    }
    const b = makeVar(7, 'b', { kind: 'bytes', size: 100, start: '0a20', end: '00ff' }) as Buffer;
    expect([b.length, b[0], b[1], b[98], b[99]]).toEqual([100, 0x0a, 0x20, 0x00, 0xff]);
  });
});

test('the environment handed to a program keeps what it needs and drops secrets', () => {
  const env = scrubbedEnv(
    {
      PATH: '/bin',
      HOME: '/root',
      GITHUB_TOKEN: 't',
      NPM_TOKEN: 't',
      AWS_SECRET_ACCESS_KEY: 's',
      SOCKETLINGS_API_KEY: 'k',
      SOCKETLINGS_PYTHON: 'python3',
      RANDOM_OTHER: 'x',
    },
    { SOCKETLINGS_PORT: '1234' },
  );
  expect(env).toEqual({
    PATH: '/bin',
    HOME: '/root',
    SOCKETLINGS_PYTHON: 'python3',
    SOCKETLINGS_PORT: '1234',
    PYTHONUNBUFFERED: '1',
    PYTHONIOENCODING: 'utf-8',
    PYTHONDONTWRITEBYTECODE: '1',
  });
});

describe('language: --lang, then SOCKETLINGS_LANG, then the locale, else English', () => {
  test.each([
    ['zh-CN', {}, 'zh-CN'],
    ['en', { SOCKETLINGS_LANG: 'zh-CN' }, 'en'],
    [undefined, { SOCKETLINGS_LANG: 'zh_CN' }, 'zh-CN'],
    [undefined, { SOCKETLINGS_LANG: 'en', LANG: 'zh_CN.UTF-8' }, 'en'],
    [undefined, { LANG: 'zh_CN.UTF-8' }, 'zh-CN'],
    [undefined, { LC_ALL: 'zh_TW.UTF-8' }, 'zh-CN'],
    [undefined, { LANG: 'de_DE.UTF-8' }, 'en'],
    [undefined, { LANG: 'C' }, 'en'],
  ] as const)('flag %s, env %j → %s', (flag, env, want) => {
    expect(resolveLang(flag, env as NodeJS.ProcessEnv)).toBe(want);
  });
});

describe('scores: partial credit per check, and full marks add up to the points', () => {
  const result = (statuses: ('pass' | 'fail' | 'skip')[], overall: 'pass' | 'fail' | 'skip') =>
    ({
      exercise: 'x',
      status: overall,
      seed: 1,
      command: '',
      duration: 0,
      checks: statuses.map((status, i) => ({
        id: `c${i}`,
        title: 't',
        status,
        message: '',
        transcript: [],
        duration: 0,
      })),
    }) as const;
  test.each([
    [['pass', 'pass', 'pass'], 'pass', 10, 10],
    [['pass', 'fail', 'skip'], 'fail', 10, 3.33],
    [['pass', 'pass', 'fail'], 'fail', 10, 6.67],
    [['fail', 'skip', 'skip'], 'fail', 10, 0],
    [['skip', 'skip', 'skip'], 'skip', 10, 10],
    [['pass', 'pass', 'pass', 'pass', 'pass', 'pass', 'pass'], 'pass', 1, 1],
  ] as const)('%j (%s) of %d points → %d', (statuses, overall, max, want) => {
    expect(scoreExercise(result([...statuses], overall), 't', max).points).toBe(want);
  });

  test('a check that shows no behaviour (scored: false) is worth nothing; the others share the points', () => {
    const r = result(['pass', 'pass', 'fail'], 'fail');
    const noBehaviour = { ...r, checks: r.checks.map((c, i) => (i === 0 ? { ...c, scored: false } : c)) };
    const s = scoreExercise(noBehaviour, 't', 10);
    expect(s.checks.map((c) => [c.points, c.maxPoints])).toEqual([
      [0, 0],
      [5, 5],
      [0, 5],
    ]);
    expect(s.points).toBe(5);
  });

  test('a failed check that shows no behaviour when passed takes its share: a failing program never has full marks', () => {
    // udp-client's "nothing more": a program that sends an extra datagram where there should be silence.
    const r = result(['pass', 'pass', 'fail'], 'fail');
    const extra = { ...r, checks: r.checks.map((c, i) => (i === 2 ? { ...c, scored: false } : c)) };
    const s = scoreExercise(extra, 't', 10);
    expect(s.checks.map((c) => [c.points, c.maxPoints])).toEqual([
      [3.33, 3.33],
      [3.33, 3.33],
      [0, 3.33],
    ]);
    expect(s.points).toBe(6.67);
    expect(s.points).toBeLessThan(s.maxPoints);
  });
});

describe('socket tables', () => {
  test(
    'a listener opened after hundreds of connections is still found (listening rows come first)',
    needs(procNet()),
    async () => {
      const { createServer, connect } = await import('node:net');
      const { listeners } = await import('../src/wire/listening.js');
      const hub = createServer((s) => s.on('error', () => {}));
      await new Promise<void>((r) => hub.listen(0, '127.0.0.1', r));
      const port = (hub.address() as { port: number }).port;
      const clients = await Promise.all(
        Array.from(
          { length: 300 },
          () =>
            new Promise<import('node:net').Socket>((r) => {
              const c = connect(port, '127.0.0.1', () => r(c));
            }),
        ),
      );
      const late = createServer();
      await new Promise<void>((r) => late.listen(0, '127.0.0.1', r));
      const latePort = String((late.address() as { port: number }).port);
      await new Promise((r) => setTimeout(r, 20)); // past the table cache
      const found = listeners('tcp');
      for (const c of clients) c.destroy();
      late.close();
      hub.close();
      expect(found.some((l) => l.where === latePort && l.host === '127.0.0.1')).toBe(true);
      expect(found.some((l) => l.where === String(port))).toBe(true);
      // Only listening sockets: none of the 600 connected ends.
      expect(found.length).toBeLessThan(300);
    },
  );
});

describe('process trees', () => {
  // Each process says what it is once it exists; the thread that forks stays alive, so its child is listed under
  // the thread, not the process's first thread.
  const TREE = `
import os, threading, time
def say(what, pid):
    os.write(1, ("%s %d\\n" % (what, pid)).encode())
z = os.fork()
if z == 0:
    os._exit(0)
def forker():
    c = os.fork()
    if c == 0:
        g = os.fork()
        if g == 0:
            time.sleep(30)
            os._exit(0)
        say("grandchild", g)
        time.sleep(30)
        os._exit(0)
    say("child", c)
    time.sleep(30)
threading.Thread(target=forker, daemon=True).start()
say("zombie", z)
time.sleep(30)
`;

  test(
    "are read from the kernel's children lists: a thread's child, a grandchild, a zombie; members leave the zombie out",
    needs(childLists(), python()),
    async () => {
      const { spawn } = await import('node:child_process');
      const { descendantsOf, statFields } = await import('../src/wire/procstat.js');
      const { treeMembers } = await import('../src/wire/group.js');
      const top = spawn(PYTHON, ['-c', TREE], { detached: true, stdio: ['ignore', 'pipe', 'inherit'] });
      const pid = top.pid as number;
      try {
        const seen = new Map<string, number>();
        let text = '';
        await new Promise<void>((resolve, reject) => {
          top.stdout.on('data', (b: Buffer) => {
            text += b.toString();
            for (const m of text.matchAll(/(\w+) (\d+)\n/g)) seen.set(m[1] as string, Number(m[2]));
            if (seen.size === 3) resolve();
          });
          top.once('exit', () => reject(new Error(`the tree's top exited: ${text}`)));
        });
        const zombie = seen.get('zombie') as number;
        for (let i = 0; i < 200 && statFields(zombie)?.[0] !== 'Z'; i++)
          await new Promise((r) => setTimeout(r, 10));
        expect(statFields(zombie)?.[0]).toBe('Z');
        const byNumber = (a: number, b: number) => a - b;
        expect(descendantsOf(pid).sort(byNumber)).toEqual([...seen.values()].sort(byNumber));
        const members = treeMembers([pid]);
        expect(members.sort(byNumber)).toEqual(
          [pid, seen.get('child') as number, seen.get('grandchild') as number].sort(byNumber),
        );
      } finally {
        process.kill(-pid, 'SIGKILL');
      }
    },
  );
});

describe('a process whose first thread has ended', () => {
  // A server whose main thread returned while another serves: the process shows as a zombie, its files only
  // under the thread that goes on. It still runs, and its sockets are still its own.
  test('still runs, and its sockets are still found', needs(childLists(), python()), async () => {
    const { spawn } = await import('node:child_process');
    const { holdsSocket, startingSockets } = await import('../src/wire/listening.js');
    const { runs, statFields } = await import('../src/wire/procstat.js');
    const { treeMembers } = await import('../src/wire/group.js');
    const script = `import ctypes, socket, sys, threading, time
def serve():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen()
    print("listening", flush=True)
    time.sleep(60)
threading.Thread(target=serve).start()
time.sleep(0.2)
ctypes.CDLL(None).pthread_exit(None)`;
    const top = spawn(PYTHON, ['-c', script], { detached: true, stdio: ['ignore', 'pipe', 'inherit'] });
    const pid = top.pid as number;
    // Read as the grader does, just after the start: its stdio, before any socket of its own.
    const starting = startingSockets(pid);
    try {
      await new Promise<void>((r) => top.stdout.once('data', () => r()));
      for (let i = 0; i < 200 && statFields(pid)?.[0] !== 'Z'; i++)
        await new Promise((r) => setTimeout(r, 10));
      expect(statFields(pid)?.[0], 'the first thread has ended').toBe('Z');
      expect(runs(pid)).toBe(true);
      expect(treeMembers([pid])).toEqual([pid]);
      expect(holdsSocket([pid], starting)).toBe(true);
    } finally {
      process.kill(-pid, 'SIGKILL');
    }
  });
});

describe("a program's sockets", () => {
  test(
    "those it was started with (its stdio) are not its own; those past a look's limit are not read",
    needs(procNet(), python()),
    async () => {
      const { spawn } = await import('node:child_process');
      const { DESCRIPTORS_A_LOOK, holdsSocket, startingSockets } = await import('../src/wire/listening.js');
      // Says "bare", then at a line on stdin opens `files` descriptors of /dev/null and a socket if asked, and
      // says "done".
      const script = `import os, resource, socket, sys
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
want = int(sys.argv[1]) + 64
if soft != resource.RLIM_INFINITY and soft < want:
    resource.setrlimit(resource.RLIMIT_NOFILE, (want if hard == resource.RLIM_INFINITY else min(want, hard), hard))
print("bare", flush=True); sys.stdin.readline()
fs = [os.open("/dev/null", os.O_RDONLY) for _ in range(int(sys.argv[1]))]
s = socket.socket() if sys.argv[2] == "socket" else None
print("done", flush=True); sys.stdin.readline()`;
      const start = (files: number, socket: boolean) => {
        const p = spawn(PYTHON, ['-c', script, String(files), socket ? 'socket' : '-'], {
          stdio: ['pipe', 'pipe', 'inherit'],
        });
        const said = () => new Promise<void>((r) => p.stdout.once('data', () => r()));
        return { p, pid: p.pid as number, said };
      };
      const many = start(DESCRIPTORS_A_LOOK, false);
      const one = start(0, true);
      try {
        await Promise.all([many.said(), one.said()]);
        const ignore = new Set([...startingSockets(many.pid), ...startingSockets(one.pid)]);
        // Node hands a child its stdio as socket pairs: there are sockets, but none of the program's own.
        expect(ignore.size).toBeGreaterThan(0);
        expect(holdsSocket([one.pid], ignore)).toBe(false);
        many.p.stdin.write('\n');
        one.p.stdin.write('\n');
        await Promise.all([many.said(), one.said()]);
        expect(holdsSocket([one.pid], ignore)).toBe(true);
        expect(holdsSocket([many.pid], ignore)).toBe(false);
        // The limit is for the whole look: spent on the first process, the second's socket is not read.
        expect(holdsSocket([one.pid, many.pid], ignore)).toBe(true);
        expect(holdsSocket([many.pid, one.pid], ignore)).toBe(false);
      } finally {
        many.p.kill('SIGKILL');
        one.p.kill('SIGKILL');
      }
    },
  );
});

describe('event loop stalls', () => {
  // The clock and the ticker's timers are fake: a blocked loop is the clock moving while no timer runs, so the
  // spans are exact whatever the machine's load (the ticker's module is loaded afresh, under the fake timers).
  test('a blocked loop shows as a stall over the span it blocked, and a quiet span does not', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'], now: 1_000_000 });
    try {
      vi.resetModules();
      const { watchStalls, worstStall } = await import('../src/wire/stalls.js');
      watchStalls();
      vi.advanceTimersByTime(60);
      const quietFrom = Date.now();
      vi.advanceTimersByTime(60);
      const quietTo = Date.now();
      // 300 ms pass with the loop busy: no tick runs, then the loop is free again.
      const blockedFrom = Date.now();
      vi.setSystemTime(blockedFrom + 300);
      vi.advanceTimersByTime(30);
      expect(worstStall(blockedFrom - 5, Date.now())).toBeGreaterThanOrEqual(300);
      // One tick apart, no more: the stall after the quiet span is not counted in it.
      expect(worstStall(quietFrom, quietTo)).toBe(10);
    } finally {
      vi.useRealTimers();
    }
  });
});

/**
 * The fairness rules over a fake clock and ticker, as above: the stalls are exact whatever the machine's load. The
 * caller restores real timers (vi.useRealTimers) when done.
 */
async function stalls(now = 2_000_000) {
  vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'], now });
  vi.resetModules();
  const stallsMod = await import('../src/wire/stalls.js');
  const fairness = await import('../src/grading/fairness.js');
  stallsMod.watchStalls();
  vi.advanceTimersByTime(100);
  return fairness;
}

describe('a stalled grader neither hides an early line nor a late answer (fairness.ts, rules 1 and 7)', () => {
  test('a budget after a stall between steps starts when the step before ended', async () => {
    try {
      const { Fairness } = await stalls();
      const f = new Fairness(
        () => undefined,
        (s) => s * 1000,
      );
      f.handedOverAt = Date.now();
      vi.advanceTimersByTime(20);
      expect(f.budgetStart()).toBe(Date.now());
      // The loop blocked for 4 s between two steps, and is still blocked when the next budget begins.
      const ended = Date.now();
      f.handedOverAt = ended;
      vi.setSystemTime(ended + 4000);
      expect(f.budgetStart()).toBe(ended);
      // Taken once: a second budget of the same step starts now.
      expect(f.budgetStart()).toBe(Date.now());
    } finally {
      vi.useRealTimers();
    }
  });
  test('a line seen in time, after a stall that could hide an early one, is undecidable; without one it is on time', async () => {
    try {
      const { lineTiming } = await stalls();
      const from = Date.now();
      vi.advanceTimersByTime(1600);
      const ok = lineTiming({
        seenAt: Date.now(),
        from,
        lateFrom: from,
        min: 1.5,
        slack: 0.15,
        starvedMs: 0,
      });
      expect(ok).toBeUndefined();
      // Printed at 1.0 s, but the grader's loop was blocked from 0.9 s to 1.6 s: seen at 1.6 s.
      const mark = Date.now();
      vi.advanceTimersByTime(900);
      vi.setSystemTime(Date.now() + 700);
      const seenAt = Date.now();
      expect(
        lineTiming({ seenAt, from: mark, lateFrom: mark, min: 1.5, slack: 0.15, starvedMs: 0 }),
      ).toMatchObject({
        wrong: 'early-undecidable',
      });
    } finally {
      vi.useRealTimers();
    }
  });
});

test('a line seen late within a stall of its span is undecidable, never on time; without one it is late', async () => {
  try {
    const { lineTiming } = await stalls(3_000_000);
    // Due by 0.5 s (give or take 0.2 s), printed at 1.2 s: a wait written into the program.
    const timing = (from: number) =>
      lineTiming({ seenAt: Date.now(), from, lateFrom: from, max: 0.5, slack: 0.2, starvedMs: 0 });
    // The grader's loop blocked for 0.6 s in the middle of the wait, and ran again long before the line.
    let from = Date.now();
    vi.advanceTimersByTime(200);
    vi.setSystemTime(Date.now() + 600);
    vi.advanceTimersByTime(400);
    expect(timing(from)).toMatchObject({ wrong: 'late-undecidable', printedAt: 1.2, max: 0.5 });
    // No stall at all: late.
    from = Date.now();
    vi.advanceTimersByTime(1200);
    expect(timing(from)).toMatchObject({ wrong: 'late', max: 0.5 });
    // The loop was blocked from 0.5 s until it saw the line at 1.2 s: printed at 0.55 s or at 1.2 s, it cannot say.
    from = Date.now();
    vi.advanceTimersByTime(500);
    vi.setSystemTime(Date.now() + 700);
    expect(timing(from)).toMatchObject({ wrong: 'late-undecidable', stalled: 0.7 });
    // Seen by 0.7 s, after the same kind of stall: on time, whenever it was printed.
    from = Date.now();
    vi.advanceTimersByTime(100);
    vi.setSystemTime(Date.now() + 550);
    expect(timing(from)).toBeUndefined();
    // The loop was blocked for 0.6 s until the mark (it saw the request late): that made the mark late, never the
    // line, and the stall is not in the span. Late.
    vi.advanceTimersByTime(10);
    vi.setSystemTime(Date.now() + 600);
    from = Date.now();
    vi.advanceTimersByTime(1200);
    expect(timing(from)).toMatchObject({ wrong: 'late', max: 0.5 });
  } finally {
    vi.useRealTimers();
  }
});

test('a line early by the later mark is undecidable however the grader stalled elsewhere in the span', async () => {
  try {
    const { lineTiming } = await stalls(4_000_000);
    // Greeted, then the request 1 s later; due 1.9 s after it (give or take 0.2 s), printed after 1.672 s (a
    // program that waits 0.88 of its timeout), with the grader's loop blocked 0.6 s in between.
    const from = Date.now();
    vi.advanceTimersByTime(1000);
    const lateFrom = Date.now();
    vi.advanceTimersByTime(300);
    vi.setSystemTime(Date.now() + 600);
    vi.advanceTimersByTime(772);
    const t = lineTiming({ seenAt: Date.now(), from, lateFrom, min: 1.9, slack: 0.2, starvedMs: 0 });
    expect(t).toMatchObject({ wrong: 'undecidable' });
  } finally {
    vi.useRealTimers();
  }
});

describe('starvation that excuses a late answer (fairness.ts, rule 7)', () => {
  // Scheduler facts as the kernel gives them: per thread, its wait for a CPU (ms) and how often it got one.
  const sched = (cpu: number, threads: [string, number, number][]) => ({
    cpu,
    threads: new Map(threads.map(([tid, wait, slices]) => [tid, { wait, slices }])),
  });
  test('one waiting thread: its whole wait since the mark', () => {
    expect(starvation(sched(50, [['1', 10, 5]]), sched(60, [['1', 410, 7]]))).toBe(400);
  });
  test('waits side by side do not add up: the longest of them', () => {
    const from = sched(0, [['1', 0, 1]]);
    const to = sched(40, [
      ['1', 300, 3],
      ['2', 250, 2],
      ['3', 200, 2],
    ]);
    expect(starvation(from, to)).toBe(300);
  });
  test('a thread that kept waking (a nap loop) was not waiting: its wait excuses nothing', () => {
    const to = sched(30, [
      ['1', 5, 2],
      ['2', 900, 38],
    ]);
    expect(starvation(sched(0, [['1', 0, 1]]), to)).toBe(5);
  });
  test("the program's own work, its children's included, cancels the excuse", () => {
    expect(starvation(sched(0, [['1', 0, 1]]), sched(1400, [['1', 300, 3]]))).toBe(0);
  });
  test('without the facts (no /proc) nothing is excused', () => {
    expect(starvation(undefined, sched(0, [['1', 300, 3]]))).toBe(0);
  });
});

describe('ports', () => {
  test('ports handed out at once are all different until given back', async () => {
    const { freeTcpPort, releasePorts } = await import('../src/wire/ports.js');
    // 300 picks from about 22,000 ports: without the record of handed-out ports, a repeat is all but certain.
    const ports = await Promise.all(Array.from({ length: 300 }, () => freeTcpPort('ipv4')));
    releasePorts(ports);
    expect(new Set(ports).size).toBe(ports.length);
  });
});

describe('program starts', () => {
  // Fake timers: a start waits for the timer of the gap after the previous one, so the gap is exact and the
  // event loop runs between two starts, however busy the machine.
  test('starts asked for at once take turns, with the event loop free between two', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      vi.resetModules();
      const { paced } = await import('../src/wire/pace.js');
      let started = 0;
      const all = Promise.all(Array.from({ length: 6 }, () => paced(() => started++)));
      await vi.advanceTimersByTimeAsync(0);
      expect(started).toBe(1);
      for (let n = 2; n <= 6; n++) {
        await vi.advanceTimersByTimeAsync(9);
        expect(started, 'before the gap has passed').toBe(n - 1);
        await vi.advanceTimersByTimeAsync(1);
        expect(started, 'once the gap has passed').toBe(n);
      }
      await all;
    } finally {
      vi.useRealTimers();
    }
  });
});

test("a file's error says to add a field left out, and to change a field of the wrong type", async () => {
  const { validate } = await import('../src/grading/schema/load.js');
  const { WorkspaceManifest } = await import('../src/grading/schema/workspace.js');
  const fixes = (raw: unknown) => {
    const r = validate('socketlings.json', raw, WorkspaceManifest);
    return r.ok ? [] : r.errors.map((e) => `${e.where}: ${e.fix}`);
  };
  expect(fixes({ format: 1 })).toContain('course: add this field');
  expect(fixes({ format: 1, course: { id: 5 } })).toContain('course.id: give a string here');
  expect(fixes({ format: 1, course: {} })).toContain('course.id: add this field');
});

describe('the build-time cache of the checked course', () => {
  test("the package's own files come from the cache exactly as the checks give them; an edited text is checked again", async () => {
    const { readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    // The built modules: the cache sits beside them in dist/ (a source checkout has none before the build).
    const dist = '../dist/grading/schema/';
    const built = (await import(`${dist}load.js`)) as typeof import('../src/grading/schema/load.js');
    const { cachedChecked } = (await import(
      `${dist}checked-cache.js`
    )) as typeof import('../src/grading/schema/checked-cache.js');
    const { Grader } = await import('../src/grading/schema/grader.js');
    const { parse } = await import('yaml');
    const file = join(__dirname, '..', 'graders', 'echo-server.yaml');
    const text = readFileSync(file, 'utf8');
    const checked = Grader.parse(parse(text));
    expect(cachedChecked('grader', text)).toEqual({ value: checked });
    // Keyed by kind too: the same text is not a valid course manifest.
    expect(cachedChecked('course', text)).toBeUndefined();
    expect(built.loadChecked(file, 'grader')).toEqual({ ok: true, value: checked });
    const edited = text.replace('format: 1', 'format: 2');
    expect(cachedChecked('grader', edited)).toBeUndefined();
    const live = built.parseYaml('echo-server.yaml', edited);
    expect(live.ok && (live.value as { format: number }).format).toBe(2);
    // An alias bomb is never in the cache: it is refused by the parser's checks.
    const bomb = `a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\n${Array.from({ length: 40 }, (_, i) => `k${i}: *c`).join('\n')}\n`;
    expect(built.parseYaml('bomb.yaml', bomb).ok).toBe(false);
    expect(cachedChecked('grader', bomb)).toBeUndefined();
  });
});
