// What the grader says when a program goes wrong: each message points at the program's own mistake, in the
// learner's words (no internal connection names), in both languages. Real Python, real sockets on loopback.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { isPythonCommand } from '../src/app/grade.js';
import { type ProgramToRun, runScenario } from '../src/grading/engine.js';
import { StepFail } from '../src/grading/errors.js';
import { explainFailure, type FailureFacts } from '../src/grading/failure.js';
import { messages } from '../src/grading/messages.js';
import type { CheckResult, ExerciseResult } from '../src/grading/results.js';
import type { Lang } from '../src/grading/schema/course.js';
import { Grader } from '../src/grading/schema/grader.js';
import { freeTcpPort } from '../src/wire/ports.js';
import { shellCommand } from '../src/wire/shell.js';
import { ROOT } from './helpers.js';
import { needs, PYTHON, shell, signals } from './needs.js';

const dir = mkdtempSync(join(tmpdir(), 'sl-messages-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
function file(name: string, source: string): string {
  const p = join(dir, `${n++}-${name}`);
  writeFileSync(p, source);
  return p;
}

function python(source: string): ProgramToRun {
  return {
    argv: [PYTHON, file('program.py', source)],
    shown: 'python3 program.py',
    cwd: dir,
    python: true,
  };
}

const builtin = (id: string) =>
  Grader.parse(parse(readFileSync(join(ROOT, 'graders', `${id}.yaml`), 'utf8')));

function grade(
  grader: unknown,
  program: ProgramToRun | undefined,
  lang: Lang = 'en',
  seed = 1,
  more: Partial<Parameters<typeof runScenario>[0]> = {},
) {
  return runScenario({
    ...more,
    exercise: 'test',
    grader: Grader.parse(grader),
    ...(program ? { program } : {}),
    seed,
    lang,
    basePort: 20000 + Math.floor(Math.random() * 20000),
  });
}

function failing(r: ExerciseResult): CheckResult {
  const c = r.checks.find((x) => x.status === 'fail');
  expect(c, JSON.stringify(r.checks.map((x) => [x.id, x.status, x.message]))).toBeDefined();
  return c as CheckResult;
}

const serverOf = (checks: unknown[]) => ({
  format: 1,
  role: 'server',
  endpoints: { main: { transport: 'tcp', owner: 'program' } },
  checks: [
    { id: 'listens', title: 'listens', hint: 'listen', steps: [{ do: 'start', ready: 'main' }] },
    ...checks,
  ],
});

const ECHO_ONCE = `
import os, socket
with socket.create_server((os.environ["SOCKETLINGS_HOST"], int(os.environ["SOCKETLINGS_PORT"]))) as srv:
    conn, _ = srv.accept()
    with conn:
        while data := conn.recv(4096):
            conn.sendall(data)
`;

describe.concurrent('messages that point at the bug', () => {
  test('a server that ended after its first client: said so, with its exit code and a hint to keep accepting', async () => {
    const g = serverOf([
      {
        id: 'first',
        title: 'first',
        hint: 'h',
        steps: [
          { do: 'connect', as: 'client-1' },
          { do: 'send', conn: 'client-1', data: 'hi\n' },
          { do: 'expect', conn: 'client-1', line: 'hi' },
          { do: 'close', conn: 'client-1' },
        ],
      },
      {
        id: 'second',
        title: 'second',
        hint: 'unrelated: do not decode',
        steps: [
          { do: 'connect', as: 'client-2' },
          { do: 'send', conn: 'client-2', data: 'hi\n' },
          { do: 'expect', conn: 'client-2', line: 'hi' },
        ],
      },
    ]);
    for (const lang of ['en', 'zh-CN'] as const) {
      const c = failing(await grade(g, python(ECHO_ONCE), lang));
      expect(c.id).toBe('second');
      // Refused (it had ended), or accepted into the queue of a listening socket about to close: either way,
      // the message says the program ended, with its exit code, and the hint is about accepting in a loop.
      if (lang === 'en') {
        expect(c.message).toMatch(
          /had already ended \(it exited with code 0\)|your program exited with code 0/,
        );
        expect(c.hint).toContain('accept() in a loop');
      } else {
        expect(c.message).toMatch(/已经结束了（退出了，退出码 0）|你的程序就?退出了，退出码 0/);
        expect(c.hint).toContain('在循环中调用 accept()');
      }
      expect(c.message).not.toMatch(/ECONNREFUSED|client-2/);
    }
  });

  test('a close after an earlier answer: the message counts what the program sent before, not "0 bytes"', async () => {
    const once = `
import os, socket, time
with socket.create_server((os.environ["SOCKETLINGS_HOST"], int(os.environ["SOCKETLINGS_PORT"]))) as srv:
    conn, _ = srv.accept()
    conn.recv(100)
    conn.sendall(b"one\\n")
    conn.close()
    time.sleep(30)
`;
    const g = serverOf([
      {
        id: 'two-lines',
        title: 'two lines',
        hint: 'h',
        steps: [
          { do: 'connect', as: 'client-1' },
          { do: 'send', conn: 'client-1', data: 'hi\n' },
          { do: 'expect', conn: 'client-1', line: 'one' },
          { do: 'expect', conn: 'client-1', line: 'two' },
        ],
      },
    ]);
    for (const lang of ['en', 'zh-CN'] as const) {
      const c = failing(await grade(g, python(once), lang));
      expect(c.id).toBe('two-lines');
      if (lang === 'en')
        expect(c.message).toMatch(/without sending anything more after the 4 bytes it had sent before/);
      else expect(c.message).toMatch(/此前发送的 4 个字节之后，没有再向/);
      expect(c.message).not.toMatch(/0 bytes|0 个字节/);
    }
  });

  test('a server that ended cleanly, found by a write the grader could not make: the hint is to keep accepting', () => {
    // The path the test above takes only when the reset of client-2's queued connection wins the race with its
    // read: the grader's send fails. Decided from facts, so it is shown here without the race.
    const facts: FailureFacts = {
      ended: true,
      exitText: 'exited with code 0',
      died: false,
      endedCleanly: true,
      running: false,
      stderr: [],
      limits: {},
      round: 1,
      rounds: 1,
      role: 'server',
      external: false,
      checkHint: 'unrelated: do not decode',
      replay: { exercise: 'echo-server', seed: 1, shown: 'python3 x.py', cli: 'socketlings' },
      who: (c) => c,
    };
    for (const lang of ['en', 'zh-CN'] as const) {
      const msg = messages(lang);
      const err = new StepFail({
        message: msg.exitedWhileSending('exited with code 0'),
        toldExit: true,
        writeRefused: true,
      });
      const r = explainFailure(err, facts, { id: 'second', title: 'second' }, msg, lang);
      expect(r.hint).toBe(msg.keepAcceptingHint);
      // Not a server, or not a clean end: the check's own hint stands.
      expect(explainFailure(err, { ...facts, role: 'client' }, { id: 's', title: 's' }, msg, lang).hint).toBe(
        'unrelated: do not decode',
      );
    }
  });

  test('connect-ex: ConnectionRefusedError from a plain connect() gets the hint that refusal is expected here', async () => {
    const program = python(`
import os, socket
for h, p in (("SOCKETLINGS_HOST", "SOCKETLINGS_PORT"), ("SOCKETLINGS_OTHER_HOST", "SOCKETLINGS_OTHER_PORT")):
    s = socket.socket()
    s.connect((os.environ[h], int(os.environ[p])))
    print(0)
`);
    const r = await runScenario({
      exercise: 'connect-ex',
      grader: builtin('connect-ex'),
      program,
      seed: 5,
      lang: 'en',
    });
    const c = failing(r);
    expect(c.hint).toContain('connect_ex() returns the error number instead of raising');
    expect(c.hint).not.toContain('Read the host and port');
  });

  test('lines in the wrong order: every line printed so far, in order', async () => {
    const g = {
      format: 1,
      role: 'client',
      endpoints: { main: { transport: 'tcp', owner: 'peer' } },
      checks: [
        { id: 'a', title: 'a', hint: 'h', steps: [{ do: 'start' }, { do: 'expect_stdout', line: 'first' }] },
        { id: 'b', title: 'b', hint: 'h', steps: [{ do: 'expect_stdout', line: 'second' }] },
      ],
    };
    const c = failing(await grade(g, python('print("second")\nprint("first")\n')));
    expect(c.id).toBe('b');
    expect(c.message).toContain('printed "second" too early');
    expect(c.actual).toBe('"second"\n"first"');
  });

  test('a line without its newline: shown as a partial line, and the newline named as what is missing', async () => {
    const g = {
      format: 1,
      role: 'client',
      endpoints: { main: { transport: 'tcp', owner: 'peer' } },
      checks: [
        {
          id: 'a',
          title: 'a',
          hint: 'h',
          steps: [{ do: 'start' }, { do: 'expect_stdout', line: 'hello', within: 3 }],
        },
      ],
    };
    // It runs on well past the budget, however far a busy machine stretches it.
    const c = failing(
      await grade(
        g,
        python('import sys, time\nsys.stdout.write("hello")\nsys.stdout.flush()\ntime.sleep(30)\n'),
      ),
    );
    expect(c.message).toContain('not the newline that ends the line');
    expect(c.actual).toContain('"hello"   (no newline yet)');
  });

  test('extra bytes after the message: a sending mistake, with the bytes shown', async () => {
    const g = {
      format: 1,
      role: 'client',
      endpoints: { main: { transport: 'tcp', owner: 'peer' } },
      checks: [
        {
          id: 'sends',
          title: 'sends',
          hint: 'h',
          steps: [
            { do: 'start' },
            { do: 'accept', as: 'server' },
            { do: 'expect', conn: 'server', bytes: 'HELLO' },
          ],
        },
        { id: 'closes', title: 'closes', hint: 'h', steps: [{ do: 'expect', conn: 'server', eof: true }] },
      ],
    };
    const program = python(`
import os, socket
with socket.create_connection((os.environ["SOCKETLINGS_HOST"], int(os.environ["SOCKETLINGS_PORT"]))) as s:
    s.sendall(b"HELLO\\n")
`);
    const c = failing(await grade(g, program));
    expect(c.id).toBe('closes');
    expect(c.message).toContain(
      "after the expected data your program sent 1 more byte to the grader's server",
    );
    expect(c.message).toContain('a sending mistake');
    expect(c.actual).toBe('"\\n"');
    expect(c.message).not.toMatch(/\bon server\b/);
  });

  test('an exception in a thread of a running server: its traceback, not only the reset it caused', async () => {
    const g = serverOf([
      {
        id: 'echoes',
        title: 'echoes',
        hint: 'h',
        steps: [
          { do: 'connect', as: 'client' },
          { do: 'send', conn: 'client', data: { hex: 'ff00fe0a' } },
          { do: 'expect', conn: 'client', bytes: { hex: 'ff00fe0a' } },
        ],
      },
    ]);
    const program = python(`
import os, socket, threading
def serve(conn):
    with conn:
        text = conn.recv(1024).decode("utf-8")
        conn.sendall(text.encode())
srv = socket.create_server((os.environ["SOCKETLINGS_HOST"], int(os.environ["SOCKETLINGS_PORT"])))
while True:
    c, _ = srv.accept()
    threading.Thread(target=serve, args=(c,)).start()
`);
    const c = failing(await grade(g, program));
    expect(c.message, JSON.stringify(c.transcript)).toContain('meanwhile it printed on stderr:');
    expect(c.message).toContain('UnicodeDecodeError');
  });

  test('an unclosed makefile() keeps the socket open: the message says so', async () => {
    const g = serverOf([
      {
        id: 'closes',
        title: 'closes',
        hint: 'h',
        steps: [
          { do: 'connect', as: 'client' },
          { do: 'send', conn: 'client', data: 'hi\n' },
          { do: 'expect', conn: 'client', line: 'hi' },
          { do: 'expect', conn: 'client', eof: true, within: 1 },
        ],
      },
    ]);
    const program = python(`
import os, socket, time
srv = socket.create_server((os.environ["SOCKETLINGS_HOST"], int(os.environ["SOCKETLINGS_PORT"])))
conn, _ = srv.accept()
f = conn.makefile("rwb")
f.write(f.readline())
f.flush()
conn.close()
time.sleep(30)
`);
    const c = failing(await grade(g, program));
    expect(c.message).toContain("did not close its connection to the grader's client");
    expect(c.message).toContain('makefile()');
  });

  test('an answer seen only after a stall longer than its budget forgives is never a pass; a short stall is forgiven', async () => {
    // Answers each client `delay` seconds after accepting it.
    const program = (delay: number) =>
      python(`
import os, socket, time
srv = socket.create_server((os.environ["SOCKETLINGS_HOST"], int(os.environ["SOCKETLINGS_PORT"])))
while True:
    conn, _ = srv.accept()
    time.sleep(${delay})
    conn.sendall(b"hi\\n")
    conn.close()
`);
    const g = serverOf([
      {
        id: 'answers',
        title: 'answers',
        hint: 'h',
        steps: [
          { do: 'connect', as: 'client' },
          { do: 'expect', conn: 'client', line: 'hi', within: 0.5 },
        ],
      },
    ]);
    // The grader's loop is kept busy from just after the connect, as a saturated machine would keep it.
    const stalling = (ms: number) => ({
      onEvent: (e: { who: string; kind: string }) => {
        if (e.who === 'peer:client' && e.kind === 'connect')
          setTimeout(() => {
            const t = Date.now();
            while (Date.now() - t < ms) {}
          }, 50);
      },
    });
    const late = await grade(g, program(1.5), 'en', 1, stalling(4000));
    expect(late.status).toBe('fail');
    expect(late.rerun).toEqual(['timing']);
    expect(failing(late).message).toContain('cannot tell whether your program did this in time');
    // A stall shorter than the budget is forgiven: an answer in time passes.
    expect((await grade(g, program(0), 'en', 1, stalling(300))).status).toBe('pass');
    // And without a stall, a late answer is simply late.
    const plain = failing(await grade(g, program(3)));
    expect(plain.message).toContain('within 0.5 s');
  });

  test('peer mode has no program to start again: a check the machine kept the grader from judging says so at once', async () => {
    const g = serverOf([
      {
        id: 'answers',
        title: 'answers',
        hint: 'h',
        steps: [
          { do: 'connect', as: 'client' },
          { do: 'expect', conn: 'client', line: 'hi', within: 0.5 },
        ],
      },
    ]);
    // The learner's server, run by hand on the port the peer was told: it answers 1.5 s after each connect.
    // A port nobody holds: a random one may be taken.
    const port = await freeTcpPort('ipv4');
    const server = spawn(
      'python3',
      [
        '-c',
        `
import socket, time
srv = socket.create_server(("localhost", ${port}))
while True:
    conn, _ = srv.accept()
    time.sleep(1.5)
    conn.sendall(b"hi\\n")
    conn.close()
`,
      ],
      { stdio: 'ignore' },
    );
    try {
      const r = await runScenario({
        exercise: 'test',
        grader: Grader.parse(g),
        seed: 1,
        lang: 'en',
        basePort: port,
        // The grader's loop kept busy for 4 s just after the connect, as a saturated machine would keep it.
        onEvent: (e) => {
          if (e.who === 'peer:client' && e.kind === 'connect')
            setTimeout(() => {
              const t = Date.now();
              while (Date.now() - t < 4000) {}
            }, 50);
        },
      });
      expect(r.rerun).toBeUndefined();
      expect(failing(r).message).toContain('run the peer and your program again');
    } finally {
      server.kill('SIGKILL');
    }
  });

  test('a silent client closed at the idle time: too late to judge is run again then undecidable, earlier is a failure', async () => {
    // Closes each connection `idle` seconds after accepting it, as an idle timeout would.
    const program = (idle: number) =>
      python(`
import os, socket, threading, time
srv = socket.create_server((os.environ["SOCKETLINGS_HOST"], int(os.environ["SOCKETLINGS_PORT"])))
def idle(conn):
    time.sleep(${idle})
    conn.close()
while True:
    conn, _ = srv.accept()
    threading.Thread(target=idle, args=(conn,), daemon=True).start()
`);
    const silentFor = (pauseMs: number, freshFor: number) =>
      serverOf([
        {
          id: 'silent',
          title: 'silent',
          hint: 'h',
          steps: [
            { do: 'connect', as: 'silent' },
            { do: 'pause', ms: pauseMs },
            { do: 'expect', conn: 'silent', nothing: true, within: 0.01, fresh_for: freshFor },
          ],
        },
      ]);
    // Closed at the idle time the program was given: the close may be its right, so no verdict on the silence.
    // (Heard no earlier than it happened, so this holds however busy the machine.)
    const late = await grade(silentFor(1000, 0.4), program(0.4));
    expect(late.rerun).toEqual(['timing']);
    expect(failing(late).message).toContain('cannot tell whether your program closed the grader');
    expect(failing(late).undecidable).toBe(true);
    // Closed long before the idle time it was given: that is its own mistake, a verdict rather than undecidable
    // (a busy machine may still have it judged twice, by the general rule for failures).
    const early = await grade(silentFor(1000, 5), program(0.4));
    expect(failing(early).message).toContain('closed');
    expect(failing(early).message).not.toContain('cannot tell');
    expect(failing(early).undecidable).toBeUndefined();
    // Looked at in time and still open: positive evidence.
    expect((await grade(silentFor(100, 5), program(5))).status).toBe('pass');
  });

  test('a client that gave up on a grader quiet for its idle time, found gone by a send: run again then undecidable', async () => {
    // A heartbeat client: PING, an answer, PING again, then 0.4 s of waiting for anything before it gives up. It
    // resets the connection, so the grader's send is the step that finds it gone.
    const program = python(`
import os, socket, struct
s = socket.create_connection((os.environ["SOCKETLINGS_HOST"], int(os.environ["SOCKETLINGS_PORT"])))
s.sendall(b"PING\\n")
s.recv(100)
s.sendall(b"PING\\n")
s.settimeout(0.4)
try:
    s.recv(100)
except TimeoutError:
    pass
s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
s.close()
`);
    // The grader's second answer comes only after 1 s: here a pause, on a saturated machine a stall of its loop.
    const answersLate = (freshFor: number) => ({
      format: 1,
      role: 'client',
      endpoints: { main: { transport: 'tcp', owner: 'peer' } },
      checks: [
        {
          id: 'answered',
          title: 'answered',
          hint: 'h',
          steps: [
            { do: 'start' },
            { do: 'accept', as: 'server', within: 5 },
            { do: 'expect', conn: 'server', line: 'PING', within: 2, fresh_for: freshFor },
            { do: 'send', conn: 'server', data: 'PONG\n' },
            { do: 'expect', conn: 'server', line: 'PING', within: 2, fresh_for: freshFor },
            { do: 'pause', ms: 1000 },
            { do: 'send', conn: 'server', data: 'PONG\n' },
            // (Should the reset reach the grader only after that send, this is the step that finds it gone.)
            { do: 'expect', conn: 'server', line: 'PING', within: 2, fresh_for: freshFor },
          ],
        },
      ],
    });
    // Allowed to give up after 0.4 s of silence: leaving may be its right, so no verdict.
    const quiet = await grade(answersLate(0.4), program);
    expect(quiet.rerun).toEqual(['timing']);
    expect(failing(quiet).message).toContain('cannot tell whether your program closed');
    // Allowed 5 s: it left far sooner, its own mistake.
    const early = await grade(answersLate(5), program);
    expect(failing(early).message).toContain('your program exited with code 0');
    expect(failing(early).message).not.toContain('cannot tell');
  });

  test('every check of every built-in grader has a hint', () => {
    const missing: string[] = [];
    for (const f of readdirSync(join(ROOT, 'graders')).filter((x) => x.endsWith('.yaml'))) {
      for (const check of builtin(f.replace(/\.yaml$/, '')).checks)
        if (!check.hint) missing.push(`${f}: ${check.id}`);
    }
    expect(missing).toEqual([]);
  });
});

test('peer mode: a program that crashed after connecting gets checks "not checked" and no pass', async () => {
  const g = Grader.parse({
    format: 1,
    role: 'client',
    endpoints: { main: { transport: 'tcp', owner: 'peer' } },
    checks: [
      {
        id: 'connects',
        title: 'connects',
        hint: 'h',
        steps: [{ do: 'start' }, { do: 'accept', as: 'server' }],
      },
      { id: 'prints', title: 'prints', hint: 'h', steps: [{ do: 'expect_stdout', line: 'done' }] },
      { id: 'exits', title: 'exits', hint: 'h', steps: [{ do: 'expect_exit', code: 0 }] },
    ],
  });
  const port = 30000 + Math.floor(Math.random() * 10000);
  const crash = file(
    'crash.py',
    `import socket, time\nfor _ in range(200):\n    try:\n        socket.create_connection(("127.0.0.1", ${port})); break\n    except OSError: time.sleep(0.05)\nraise SystemExit(1)\n`,
  );
  const child = spawn(PYTHON, [crash], { stdio: 'ignore' });
  const r = await runScenario({ exercise: 'test', grader: g, seed: 1, lang: 'en', basePort: port });
  await new Promise((resolve) => child.on('exit', resolve));
  expect(r.checks.map((c) => [c.id, c.status, c.unobserved ?? false])).toEqual([
    ['connects', 'pass', false],
    ['prints', 'skip', true],
    ['exits', 'skip', true],
  ]);
  expect(r.checks[1]?.message).toContain('not checked');
});

describe('--run commands', needs(shell(), signals()), () => {
  test("a simple command is exec'd, a compound one keeps its shell and is signalled as a group; Python is recognised", () => {
    expect(shellCommand('node server.js')).toEqual({ argv: ['/bin/sh', '-c', 'exec node server.js'] });
    expect(shellCommand('cd build && ./server')).toEqual({
      argv: ['/bin/sh', '-c', 'trap : TERM INT HUP\ncd build && ./server'],
      signalGroup: true,
    });
    expect(isPythonCommand('python3 -u x.py')).toBe(true);
    expect(isPythonCommand('cd x && /usr/bin/python3.11 x.py')).toBe(true);
    expect(isPythonCommand('uv run python x.py')).toBe(true);
    expect(isPythonCommand('node server.js')).toBe(false);
    expect(isPythonCommand('./pyserver')).toBe(false);
  });

  const SIGTERM_EXIT = serverOf([
    {
      id: 'exits',
      title: 'exits',
      hint: 'handle SIGTERM',
      steps: [
        { do: 'signal', signal: 'SIGTERM' },
        {
          do: 'expect_exit',
          code: 0,
          explain: "Python's default handling of SIGTERM ends the process at once",
          other_languages: { explain: 'the default action of SIGTERM ends a process at once' },
        },
      ],
    },
  ]);
  const NODE_SERVER = (handles: boolean) => `
const net = require('net');
const srv = net.createServer(() => {}).listen(Number(process.env.SOCKETLINGS_PORT), process.env.SOCKETLINGS_HOST);
${handles ? "process.on('SIGTERM', () => srv.close(() => process.exit(0)));" : ''}
`;
  for (const cmd of ['node {f}', 'cd / && node {f}']) {
    test(`SIGTERM reaches a Node server run as "${cmd}"`, async () => {
      const f = file('server.js', NODE_SERVER(true));
      const line = cmd.replace('{f}', f);
      const program: ProgramToRun = {
        ...shellCommand(line),
        shown: line,
        cwd: dir,
        python: isPythonCommand(line),
      };
      const r = await grade(SIGTERM_EXIT, program);
      expect(r.status, JSON.stringify(r.checks.map((c) => c.message))).toBe('pass');
    });
  }

  test('a Node program killed by SIGTERM is not told about Python', async () => {
    const f = file('server.js', NODE_SERVER(false));
    const line = `node ${f}`;
    const program: ProgramToRun = { ...shellCommand(line), shown: line, cwd: dir, python: false };
    const c = failing(await grade(SIGTERM_EXIT, program));
    expect(c.message).toContain('The default action of SIGTERM');
    expect(`${c.message} ${c.hint ?? ''}`).not.toContain('Python');
    expect(c.message).not.toContain('sh -c');
  });
});
