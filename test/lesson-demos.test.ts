// Every lesson demo, found in the lesson texts (nothing is listed here), run with real Python on loopback: on the
// oldest and the newest supported CPython present, in both languages, its output compared with what the lesson
// prints. A lesson whose claim stops being true on some Python, or whose code and output drift apart, fails here.
//
// The convention (README.md, "Lesson demos"): a ```python block followed, with only blank lines between, by a
// ```text block is a demo, and the text block is what it prints. Other python blocks say why they are not run
// (`python manual`, `python fragment`). The python fence may list what the demo needs (`needs=ss,ipv6`); the text
// fence may name the normalisers for output that legitimately varies (`varies=port,timer`), each one narrow and
// applied alike to the lesson's output and the run's. The outputs were recorded on Linux: elsewhere the runs are
// skipped.
//
// Each run: the course's fixed ports 8079 and 8078 become free ports and `/tmp/` the run's own folder (both
// mapped back in what it prints), the working folder is a workspace made by `socketlings init` (the TLS demo reads
// its certificates from there), no SOCKETLINGS_* or PYTHON* variable is passed on, Python starts without its site
// module (-S), and it must exit 0 with nothing on stderr.
import { spawn, spawnSync } from 'node:child_process';
import { lookup } from 'node:dns/promises';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freeTcpPort, portIsFree, releasePorts } from '../src/wire/ports.js';
import { TEST_CERTS_DIR } from '../src/wire/tls.js';
import { cli } from './helpers.js';
import { courseTexts, type Demo, demosOf, LANGS } from './lesson-text.js';
import { linuxSockets, needs, python } from './needs.js';
import { type FoundPython, oldestAndNewest } from './pythons.js';

const lessons = courseTexts().filter((t) => !t.exercise);
const parsed = lessons.map((t) => ({ text: t, ...demosOf(t) }));
const demos = parsed.flatMap((p) => p.demos);
const pythons = oldestAndNewest();

// --- what a demo may need ---------------------------------------------------------------------------------

function ipv6Loopback(): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen({ host: '::1', port: 0 }, () => srv.close(() => resolve(true)));
  });
}

async function localhostIpv4Only(): Promise<boolean> {
  try {
    const all = await lookup('localhost', { all: true, verbatim: true });
    return all.length === 1 && all[0]?.address === '127.0.0.1';
  } catch {
    return false;
  }
}

const CAPS: Record<string, () => boolean | Promise<boolean>> = {
  /** iproute2's `ss`, which the demos run to show the kernel's sockets. */
  ss: () => spawnSync('ss', ['-V']).status === 0,
  /** An IPv6 loopback (`::1`). */
  ipv6: ipv6Loopback,
  /** `localhost` resolves to 127.0.0.1 only, as on the machine the lessons were written on. */
  'localhost-ipv4-only': localhostIpv4Only,
};

// --- output that legitimately varies: each normaliser narrow, applied to both sides ------------------------

/**
 * Port numbers of 1024 and up where a socket address shows them (`('127.0.0.1', 43850` and `127.0.0.1:43850`),
 * each distinct one replaced by a numbered label in order of first appearance: the run must show the same port
 * in the same places, whatever number the kernel gave it.
 */
function labelPorts(s: string): string {
  const seen = new Map<string, string>();
  const label = (p: string) => {
    if (Number(p) < 1024) return p;
    if (!seen.has(p)) seen.set(p, `<port ${seen.size + 1}>`);
    return seen.get(p) as string;
  };
  return s.replace(
    /(\('[^']*', )(\d+)|((?:\d{1,3}\.){3}\d{1,3}|\[[0-9a-fA-F:.%\w]*\]|\*):(\d+)\b/g,
    (
      _m,
      tuple: string | undefined,
      tp: string | undefined,
      host: string | undefined,
      hp: string | undefined,
    ) => (tuple !== undefined ? `${tuple}${label(tp ?? '')}` : `${host}:${label(hp ?? '')}`),
  );
}

const somaxconn = (() => {
  try {
    return readFileSync('/proc/sys/net/core/somaxconn', 'utf8').trim();
  } catch {
    return undefined;
  }
})();

/** Lesson output, run output -> the same text when they agree. */
const VARIES: Record<string, (s: string, side: 'lesson' | 'run') => string> = {
  port: (s) => labelPorts(s),
  /**
   * ss's timer column counts down: `timer:(timewait,59sec,0)`, or as a lesson prints it, `timewait,59sec` (and
   * `1min` in its first second); its kind and retransmit count stay.
   */
  timer: (s) =>
    s
      .replace(/timer:\((\w+),[^,()]+,(\d+)\)/g, 'timer:($1,<time>,$2)')
      .replace(/\b(timewait|keepalive|on|persist),\d+(?:\.\d+)?(?:ms|sec|min)$/gm, '$1,<time>'),
  /** A measured duration printed as `1.0 s`. */
  seconds: (s) => s.replace(/\b\d+\.\d+ s\b/g, '<seconds> s'),
  /** A line printed a number of times that depends on timing (a polling loop): each run of repeats counts once. */
  repeats: (s) => s.replace(/^(.*\n)(?:\1)+/gm, '$1'),
  /** The system's cap on listen()'s backlog: 4096 where the lessons were written, net.core.somaxconn here. */
  somaxconn: (s, side) =>
    s.replace(new RegExp(`\\b${side === 'lesson' ? '4096' : somaxconn}\\b`, 'g'), '<somaxconn>'),
};

function normalise(d: Demo, s: string, side: 'lesson' | 'run'): string {
  return d.varies.reduce((t, name) => (VARIES[name] as (typeof VARIES)[string])(t, side), s);
}

// --- running ----------------------------------------------------------------------------------------------

interface Run {
  stdout: string;
  stderr: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
}

const handed: number[] = [];
let hasIpv6 = false;

/** A port nobody holds for TCP (IPv4 and, where there is one, IPv6) and UDP, kept until the file ends. */
async function freePort(): Promise<number> {
  for (;;) {
    const p = await freeTcpPort('ipv4');
    handed.push(p);
    if ((await portIsFree(p, 'ipv4', 'udp')) && (!hasIpv6 || (await portIsFree(p, 'ipv6', 'tcp')))) return p;
  }
}

const RUN_TIMEOUT_MS = 60_000;

async function runDemo(py: FoundPython, d: Demo, cwd: string): Promise<Run> {
  const fixed = new Map([
    ['8079', String(await freePort())],
    ['8078', String(await freePort())],
  ]);
  const back = new Map([...fixed].map(([a, b]) => [b, a]));
  const own = mkdtempSync(join(tmpdir(), 'sl-demo-'));
  const code = d.code.replace(/\b(8079|8078)\b/g, (m) => fixed.get(m) ?? m).replaceAll('/tmp/', `${own}/`);
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && !k.startsWith('SOCKETLINGS_') && !k.startsWith('PYTHON')) env[k] = v;
  env.PYTHONIOENCODING = 'utf-8';
  try {
    return await new Promise<Run>((resolve) => {
      // A group of its own: whatever the demo starts (lesson 13 starts a peer process) goes with it. Without the
      // site module (-S): a demo uses the standard library alone, and a machine's site hooks (.pth files that
      // import packages at every start, 40 ms on these machines) neither change nor slow its 350 runs.
      const child = spawn(py.path, ['-S', '-c', code], {
        cwd,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      });
      const killGroup = () => {
        try {
          if (child.pid) process.kill(-child.pid, 'SIGKILL');
        } catch {
          // the group is gone already
        }
      };
      let stdout = '';
      let stderr = '';
      let timedOut = false;
      child.stdout.setEncoding('utf8').on('data', (s: string) => {
        stdout += s;
      });
      child.stderr.setEncoding('utf8').on('data', (s: string) => {
        stderr += s;
      });
      const timer = setTimeout(() => {
        timedOut = true;
        killGroup();
      }, RUN_TIMEOUT_MS);
      child.on('close', (exit, signal) => {
        clearTimeout(timer);
        killGroup();
        const mapped = stdout
          .replace(new RegExp(`\\b(${[...back.keys()].join('|')})\\b`, 'g'), (m) => back.get(m) ?? m)
          .replaceAll(`${own}/`, '/tmp/');
        resolve({ stdout: mapped, stderr, code: exit, signal, timedOut });
      });
    });
  } finally {
    rmSync(own, { recursive: true, force: true });
  }
}

/** Run jobs, at most `limit` at a time. */
async function pool<T>(jobs: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await (jobs[i] as () => Promise<T>)();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker));
  return results;
}

// --- the tests --------------------------------------------------------------------------------------------

describe('lesson texts follow the demo convention', () => {
  it('every python block is a demo, or is marked as not run unattended', () => {
    expect(parsed.flatMap((p) => p.problems)).toEqual([]);
  });

  it('every need and normaliser a lesson names exists', () => {
    const unknown = demos.flatMap((d) => [
      ...d.needs.filter((n) => !(n in CAPS)).map((n) => `${d.file}:${d.line}: needs=${n}`),
      ...d.varies.filter((v) => !(v in VARIES)).map((v) => `${d.file}:${d.line}: varies=${v}`),
    ]);
    expect(unknown).toEqual([]);
  });

  it('each lesson shows the same programs, outputs and marks in every language', () => {
    const byLesson = new Map<string, Map<string, unknown>>();
    for (const p of parsed) {
      const shape = {
        demos: p.demos.map((d) => ({ code: d.code, output: d.output, needs: d.needs, varies: d.varies })),
        notRun: p.notRun.map((n) => n.mark),
      };
      const m = byLesson.get(p.text.lesson) ?? new Map<string, unknown>();
      m.set(p.text.lang, shape);
      byLesson.set(p.text.lesson, m);
    }
    for (const [lesson, m] of byLesson) {
      expect([...m.keys()], lesson).toEqual([...LANGS]);
      expect(m.get('zh-CN'), `${lesson}: zh-CN against en`).toEqual(m.get('en'));
    }
  });

  it('the normalisers accept only what varies', () => {
    const d = (varies: string[]) => ({ varies }) as Demo;
    const same = (v: string[], a: string, b: string) =>
      normalise(d(v), a, 'lesson') === normalise(d(v), b, 'run');
    // The same port where the lesson shows one, a different one where it shows two.
    expect(
      same(
        ['port'],
        "('127.0.0.1', 42152) == ('127.0.0.1', 42152)",
        "('127.0.0.1', 5000) == ('127.0.0.1', 5000)",
      ),
    ).toBe(true);
    expect(
      same(
        ['port'],
        "('127.0.0.1', 42152) == ('127.0.0.1', 42152)",
        "('127.0.0.1', 5000) == ('127.0.0.1', 5001)",
      ),
    ).toBe(false);
    expect(same(['port'], '127.0.0.1:32979 127.0.0.1:41850', '127.0.0.1:44039 127.0.0.1:48528')).toBe(true);
    expect(same(['port'], '127.0.0.1:32979 127.0.0.1:41850', '127.0.0.1:44039 127.0.0.1:44039')).toBe(false);
    // A privileged port, or a number that is not in an address, is never a label.
    expect(same(['port'], "('127.0.0.1', 80)", "('127.0.0.1', 81)")).toBe(false);
    expect(same(['port'], 'sent 42152 bytes', 'sent 5000 bytes')).toBe(false);
    // Without the normaliser, the exact port.
    expect(same([], "('127.0.0.1', 42152)", "('127.0.0.1', 5000)")).toBe(false);
    expect(same(['timer'], 'timer:(timewait,59sec,0)', 'timer:(timewait,1min,0)')).toBe(true);
    expect(same(['timer'], 'timer:(timewait,59sec,0)', 'timer:(keepalive,59sec,0)')).toBe(false);
    expect(same(['timer'], 'X 127.0.0.1:1 timewait,59sec', 'X 127.0.0.1:1 timewait,1min')).toBe(true);
    expect(same(['timer'], 'X 127.0.0.1:1 timewait,59sec', 'X 127.0.0.1:1 keepalive,59sec')).toBe(false);
    expect(same(['seconds'], 'after 1.0 s', 'after 1.3 s')).toBe(true);
    expect(same(['seconds'], 'after 1.0 s', 'after 1.0 ms')).toBe(false);
    expect(same(['repeats'], 'wait\nwait\nwait\ngot it\n', 'wait\ngot it\n')).toBe(true);
    expect(same(['repeats'], 'wait\nwait\ngot it\n', 'got it\n')).toBe(false);
    expect(same(['repeats'], 'wait\ngot it\n', 'wait\ngot it\ngot it\nwait\n')).toBe(false);
  });
});

/**
 * The corrections rest on claims that the demos print. The runs above hold each printed output to the truth; these
 * hold the lessons to the claims, so that no edit of a demo and its output together can drop one unnoticed.
 */
const CLAIMS: [lesson: string, printed: string][] = [
  ['01-sockets', "AF_INET6 on '::', IPV6_V6ONLY 0: [Errno 98] Address already in use"],
  ['01-sockets', "AF_INET6 on '::', IPV6_V6ONLY 1: bound"],
  ['03-tcp-clients', 'client: ConnectionResetError [Errno 104] Connection reset by peer'],
  ['03-tcp-clients', "client got b''"],
  ['04-tcp-servers', 'SO_REUSEADDR False then True : [Errno 98] Address already in use'],
  ['04-tcp-servers', 'LISTEN, accept queue 1 of 3'],
  ['05-receiving', "b''\nb'data'\nb''\n"],
  ['08-tcp-vs-udp', 'connected: ConnectionRefusedError [Errno 111] Connection refused'],
  ['10-many-clients', 'carol still waiting for the lock after 1 s: True'],
  ['13-errors', "after kill -9, recv -> b''"],
  ['13-errors', 'slow reader: sendall() TimeoutError'],
  ['13-errors', 'drain=False: ConnectionResetError [Errno 104] Connection reset by peer'],
  ['14-event-loops', "buffered after write(b'hello'): 0"],
  ['14-event-loops', 'sendall(), non-blocking: BlockingIOError'],
  ['15-watching-the-wire', '  server side: SSLV3_ALERT_BAD_CERTIFICATE'],
];

describe('the lessons still print the claims their corrections rest on', () => {
  it.each(CLAIMS)('%s: %j', (lesson, printed) => {
    for (const lang of LANGS) {
      const mine = demos.filter((d) => d.lesson === lesson && d.lang === lang);
      expect(
        mine.some((d) => d.output.includes(printed)),
        `${lesson}/${lang}.md`,
      ).toBe(true);
    }
  });
});

const _onLinux = process.platform === 'linux';

describe('every lesson demo prints what the lesson shows', needs(linuxSockets(), python()), () => {
  let workspace = '';
  let ran = 0;
  let before: string[] = [];
  const have = new Map<string, boolean>();
  const results = new Map<string, Run>();
  // The two languages show the same programs (checked above): one run per program and Python serves both.
  const key = (py: FoundPython, d: Demo) => `${py.path}\0${d.needs.join()}\0${d.code}`;

  const listing = (dir: string): string[] =>
    readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .map((f) => relative(dir, join(dir, f)))
      .sort();

  beforeAll(async () => {
    hasIpv6 = await ipv6Loopback();
    for (const [name, probe] of Object.entries(CAPS)) have.set(name, await probe());
    const base = mkdtempSync(join(tmpdir(), 'sl-demos-'));
    const made = await cli(['init', 'ws'], { cwd: base });
    expect(made.code, made.stderr).toBe(0);
    workspace = join(base, 'ws');
    before = listing(workspace);
    const programs = new Map<string, [FoundPython, Demo]>();
    for (const py of pythons)
      for (const d of demos) if (d.needs.every((n) => have.get(n))) programs.set(key(py, d), [py, d]);
    const jobs = [...programs].map(([k, [py, d]]) => async () => {
      results.set(k, await runDemo(py, d, workspace));
    });
    // Most demos wait on sockets and sleeps rather than compute: many more at once than cores.
    await pool(jobs, Math.max(8, availableParallelism() * 4));
    ran = jobs.length;
  }, 240_000);

  afterAll(() => {
    releasePorts(handed);
    const tally = pythons.flatMap((py) =>
      LANGS.map((lang) => {
        const mine = demos.filter((d) => d.lang === lang);
        const ran = mine.filter((d) => results.has(key(py, d)));
        const passed = ran.filter((d) => matches(d, results.get(key(py, d)) as Run));
        return `  Python ${py.version} ${lang}: ${passed.length}/${ran.length} passed, ${mine.length - ran.length} skipped`;
      }),
    );
    tally.push(`  (${ran} programs run: a program shown in both languages runs once per Python)`);
    const notRun = parsed.flatMap((p) => p.notRun.map((n) => `  ${n.file}:${n.line} (${n.mark})`));
    console.log(`lesson demos\n${tally.join('\n')}\nnot run unattended:\n${notRun.join('\n')}`);
    if (workspace) rmSync(join(workspace, '..'), { recursive: true, force: true });
  });

  function matches(d: Demo, r: Run): boolean {
    return (
      r.code === 0 && r.stderr === '' && normalise(d, r.stdout, 'run') === normalise(d, d.output, 'lesson')
    );
  }

  for (const py of pythons)
    for (const d of demos)
      it(`Python ${py.version} ${d.file}:${d.line}`, (ctx) => {
        const missing = d.needs.filter((n) => !have.get(n));
        if (missing.length) return ctx.skip(`needs ${missing.join(', ')}`);
        const r = results.get(key(py, d));
        if (!r) throw new Error('not run');
        const what = `${d.file}:${d.line} on Python ${py.version} (${py.path})`;
        expect(r.timedOut, `${what} still running after ${RUN_TIMEOUT_MS} ms`).toBe(false);
        expect({ code: r.code, stderr: r.stderr }, what).toEqual({ code: 0, stderr: '' });
        expect(normalise(d, r.stdout, 'run'), what).toBe(normalise(d, d.output, 'lesson'));
      });

  it("init's workspace holds every certificate the pack ships, marked as test-only, for lesson 15", () => {
    const shipped = readdirSync(TEST_CERTS_DIR).filter((f) => /\.(pem|key)$/.test(f));
    expect(shipped).toContain('test-ca.pem');
    for (const f of shipped)
      expect(readFileSync(join(workspace, 'tls', f)), f).toEqual(readFileSync(join(TEST_CERTS_DIR, f)));
    expect(readFileSync(join(workspace, 'tls', 'README.md'), 'utf8')).toMatch(/TEST-ONLY/);
    // The lesson's program names the folder init made.
    const tlsDemo = demos.filter((d) => d.code.includes('ssl.'));
    expect(tlsDemo.length).toBeGreaterThan(0);
    for (const d of tlsDemo) expect(d.code).toContain("CERTS = 'tls/'");
  });

  it('lesson 4: the port is held by a connection in TIME_WAIT after the server stopped', async (ctx) => {
    if (!have.get('ss')) return ctx.skip('needs ss');
    const d = demos.find(
      (x) => x.lesson === '04-tcp-servers' && x.code.includes('def run_server(port, reuse):'),
    );
    if (!d) throw new Error('lesson 4 has no run_server demo');
    const upToLoop = d.code.slice(0, d.code.indexOf('\nfor first, restart'));
    const check = [
      upToLoop,
      'import errno, subprocess',
      'port = run_server(0, False)',
      "cmd = ['ss', '-Htn', 'state', 'time-wait', f'sport = :{port}']",
      'out = subprocess.run(cmd, capture_output=True, text=True).stdout',
      "print('time-wait', len(out.splitlines()))",
      'try:',
      "    socket.socket().bind(('localhost', port))",
      'except OSError as e:',
      "    print('bind', e.errno == errno.EADDRINUSE)",
      '',
    ].join('\n');
    const r = await runDemo(pythons[0] as FoundPython, { ...d, code: check }, workspace);
    expect(r.stdout).toBe('time-wait 1\nbind True\n');
  });

  it('the demos leave nothing in the workspace they ran in', () => {
    expect(listing(workspace)).toEqual(before);
  });
});
