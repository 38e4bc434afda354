// The lessons correct the notes with claims about real sockets on Linux (a close() with unread data resets the
// connection, a restart needs SO_REUSEADDR in both runs, ...), each shown by a program and the output it printed.
// These tests run those programs, taken from the lesson text itself, with real Python on loopback, and require the
// output the lesson shows: a lesson whose claim stops being true, or whose code and output drift apart, fails here.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freeTcpPort, freeUdpPort, releasePorts } from '../src/wire/ports.js';
import { findPython } from '../src/wire/python.js';
import { ROOT } from './helpers.js';
import { ipv6, linuxSockets, needs, python as pythonNeed, ss } from './needs.js';

const LANGS = ['en', 'zh-CN'] as const;

interface Demo {
  code: string;
  output: string;
}

/** The ```python block of a lesson that contains `marker`, and the ```text block that follows it. */
function demoIn(lesson: string, lang: string, marker: string): Demo {
  const md = readFileSync(join(ROOT, 'lessons', lesson, `${lang}.md`), 'utf8');
  const at = md.indexOf(marker);
  if (at < 0) throw new Error(`${lesson}/${lang}.md has no demo containing ${JSON.stringify(marker)}`);
  const start = md.lastIndexOf('```python\n', at) + '```python\n'.length;
  const end = md.indexOf('```\n', start);
  const outStart = md.indexOf('```text\n', end) + '```text\n'.length;
  return { code: md.slice(start, end), output: md.slice(outStart, md.indexOf('```\n', outStart)) };
}

/** The demo, the same in every language of the lesson (the translations show one program and one output). */
function demo(lesson: string, marker: string): Demo {
  const [first, ...others] = LANGS.map((lang) => demoIn(lesson, lang, marker));
  for (const other of others) expect(other).toEqual(first);
  return first as Demo;
}

const python = findPython();

function run(code: string): Promise<string> {
  if (!python.ok) throw new Error('no Python');
  const [cmd, ...args] = python.python.argv;
  return new Promise((resolve, reject) => {
    execFile(cmd as string, [...args, '-c', code], { timeout: 30_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${err.message}\n${stdout}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

/** Run a demo with its fixed port (the notes' 8079) moved to a free one, so runs at once never meet. */
async function runOnPort(d: Demo, port: number, more: Record<string, string> = {}): Promise<void> {
  const swap = (s: string) =>
    Object.entries({ '8079': String(port), ...more }).reduce((t, [from, to]) => t.replaceAll(from, to), s);
  expect(await run(swap(d.code))).toBe(swap(d.output));
}

const ports: number[] = [];
async function tcpPort(): Promise<number> {
  const p = await freeTcpPort('ipv4');
  ports.push(p);
  return p;
}
const dirs: string[] = [];
afterAll(() => {
  releasePorts(ports);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const v6 = await ipv6();

describe('lesson demos print what the lessons show', needs(pythonNeed(), linuxSockets()), () => {
  it(
    'lesson 1: IPv4 and IPv6 share a port by address; a dual-stack "::" socket collides',
    needs(v6),
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'socketlings-lesson-'));
      dirs.push(dir);
      const d = demo('01-sockets', '# AF_INET (IPv4): the address is a (host, port) tuple');
      expect(d.output).toContain("AF_INET6 on '::': [Errno 98] Address already in use");
      await runOnPort(d, await tcpPort(), { '/tmp/socketlings-demo.sock': join(dir, 'demo.sock') });
    },
  );

  it('lesson 3: close() with unread data resets the connection: ConnectionResetError, not b""', async () => {
    const d = demo('03-tcp-clients', "conn.close()                        # b'GET b\\n' is still unread");
    expect(d.output).toContain('client: ConnectionResetError [Errno 104] Connection reset by peer');
    await runOnPort(d, await tcpPort());
  });

  it("lesson 3: shutdown(SHUT_WR), then reading to b'', ends the connection cleanly", async () => {
    const d = demo('03-tcp-clients', "while chunk := conn.recv(1024):     # read to b'' before close()");
    expect(d.output).toContain("client got b''");
    await runOnPort(d, await tcpPort());
  });

  it('lesson 4: a restart during TIME_WAIT fails without SO_REUSEADDR, and works when both runs set it', async () => {
    const d = demo('04-tcp-servers', 'def run_server(port, reuse):');
    expect(d.output).toBe(
      [
        'SO_REUSEADDR False then False: [Errno 98] Address already in use',
        'SO_REUSEADDR True  then True : works',
        'SO_REUSEADDR False then True : [Errno 98] Address already in use',
        '',
      ].join('\n'),
    );
    // The demo binds port 0 and restarts on the port it got: no fixed port to move.
    expect(await run(d.code)).toBe(d.output);
  });

  it(
    'lesson 4: the port is held by a connection in TIME_WAIT after the server stopped',
    needs(ss()),
    async () => {
      const d = demo('04-tcp-servers', 'def run_server(port, reuse):');
      const upToLoop = d.code.slice(0, d.code.indexOf('\nfor first, restart'));
      const check = [
        upToLoop,
        'import subprocess',
        'port = run_server(0, False)',
        "cmd = ['ss', '-Htn', 'state', 'time-wait', f'sport = :{port}']",
        'out = subprocess.run(cmd, capture_output=True, text=True).stdout',
        "print('time-wait', len(out.splitlines()))",
        'try:',
        "    socket.socket().bind(('localhost', port))",
        'except OSError as e:',
        "    print('bind', e.errno == __import__('errno').EADDRINUSE)",
        '',
      ].join('\n');
      expect(await run(check)).toBe('time-wait 1\nbind True\n');
    },
  );

  it(
    'lesson 4: accept() takes a connection the kernel already finished off the queue',
    needs(ss()),
    async () => {
      const d = demo('04-tcp-servers', "client.sendall(b'sent before accept()')");
      const somaxconn = readFileSync('/proc/sys/net/core/somaxconn', 'utf8').trim();
      expect(d.output).toContain('LISTEN, accept queue 1 of 3');
      await runOnPort(d, await tcpPort(), { 'queue 0 of 4096': `queue 0 of ${somaxconn}` });
    },
  );

  it("lesson 5: recv(0) returns b'' on an open connection with data waiting", async () => {
    const d = demo('05-receiving', "print(conn.recv(0))                 # asks for 0 bytes: b'' at once");
    expect(d.output).toBe("b''\nb'data'\nb''\n");
    await runOnPort(d, await tcpPort());
  });

  it('lesson 8: a connected UDP socket gets ConnectionRefusedError from a closed port', async () => {
    const d = demo('08-tcp-vs-udp', 'closed = (');
    expect(d.output).toContain('connected: ConnectionRefusedError [Errno 111] Connection refused');
    const port = await freeUdpPort('ipv4');
    ports.push(port);
    await runOnPort(d, port);
  });

  it('lesson 10: broadcasting while holding the non-reentrant lock deadlocks', async () => {
    const d = demo('10-many-clients', 'def join_under_lock(name):');
    expect(d.output).toContain('carol still waiting for the lock after 1 s: True');
    expect(await run(d.code)).toBe(d.output);
  });
});
