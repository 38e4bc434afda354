// The macOS and Windows code paths, with the platform injected: what cannot run on this Linux machine is checked
// by its decisions and by parsing real-shaped tool output. A learner file saved with CRLF (and Notepad's BOM) is
// graded for real.
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { parseSource } from '../src/app/ci.js';
import { relativeTraceback } from '../src/grading/hints.js';
import { signalsCapability } from '../src/wire/caps.js';
import { cliCommand } from '../src/wire/invocation.js';
import { parseReport } from '../src/wire/launcher.js';
import { parseLsof, parseNetstat } from '../src/wire/ostools.js';
import { isPortable, methodsFor } from '../src/wire/platform.js';
import { findPython, onPath } from '../src/wire/python.js';
import { editorCommand, quoteArg, shellCommand } from '../src/wire/shell.js';
import { pidsWithMarker, taskkillArgs } from '../src/wire/tree.js';
import { cli, MODES, ROOT } from './helpers.js';
import { needs, shell } from './needs.js';

const tmp = mkdtempSync(join(tmpdir(), 'sl-platforms-'));
const sh = needs(shell());
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('which way this machine grades', () => {
  test.each([
    ['linux', {}, true, false],
    ['linux', { SOCKETLINGS_PORTABLE: '1' }, true, true],
    ['linux', {}, false, true],
    ['darwin', {}, false, true],
    ['win32', {}, false, true],
  ] as const)('%s %j /proc=%s → portable %s', (platform, env, proc, portable) => {
    expect(isPortable(env, platform, () => proc)).toBe(portable);
  });

  test('methods per platform', () => {
    expect(methodsFor(false, 'linux')).toEqual({ readiness: 'proc', runReadiness: 'proc', cleanup: 'proc' });
    expect(methodsFor(true, 'linux')).toEqual({
      readiness: 'launcher',
      runReadiness: 'probe',
      cleanup: 'group',
    });
    expect(methodsFor(true, 'darwin')).toEqual({
      readiness: 'launcher',
      runReadiness: 'lsof',
      cleanup: 'group',
    });
    expect(methodsFor(true, 'win32')).toEqual({
      readiness: 'launcher',
      runReadiness: 'netstat',
      cleanup: 'tree',
    });
  });

  test('exercises that send POSIX signals are skipped on Windows, with the reason', () => {
    const r = signalsCapability('win32');
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : r.reason).toMatch(/Windows has no POSIX signals/);
    expect(signalsCapability('darwin').ok).toBe(true);
  });
});

describe('Windows: the process tree, cmd.exe, py -3', () => {
  test('the whole tree is ended with taskkill /T /F', () => {
    expect(taskkillArgs(4242)).toEqual(['/T', '/F', '/PID', '4242']);
  });

  test('--run goes through cmd.exe with its own quoting, passed on verbatim', () => {
    const file = 'C:\\Users\\Ada Lovelace\\socket lings\\04-tcp-servers\\echo_server.py';
    const cmd = `py -3 ${quoteArg(file, 'win32')}`;
    expect(cmd).toBe('py -3 "C:\\Users\\Ada Lovelace\\socket lings\\04-tcp-servers\\echo_server.py"');
    expect(shellCommand(cmd, 'win32')).toEqual({
      argv: ['cmd.exe', '/d', '/s', '/c', `"${cmd}"`],
      verbatim: true,
    });
    // A trailing backslash would escape the closing quote for a C program's argument parser.
    expect(quoteArg('C:\\dir with space\\', 'win32')).toBe('"C:\\dir with space\\\\"');
    expect(quoteArg('R&D ^x', 'win32')).toBe('"R&D ^x"');
    expect(shellCommand("node 'a b.js'", 'linux')).toEqual({ argv: ['/bin/sh', '-c', "exec node 'a b.js'"] });
    expect(quoteArg("it's", 'linux')).toBe("'it'\\''s'");
  });

  test('the editor: $VISUAL, $EDITOR with arguments, else Notepad through cmd.exe', () => {
    const file = 'C:\\ws\\my exercises\\x.py';
    expect(editorCommand(file, {}, 'win32')).toEqual({
      argv: ['cmd.exe', '/d', '/s', '/c', `"notepad "${file}""`],
      verbatim: true,
      editor: 'notepad',
    });
    expect(editorCommand(file, { EDITOR: 'code --wait' }, 'win32').argv[4]).toBe(`"code --wait "${file}""`);
    expect(editorCommand('/a b/x.py', { VISUAL: 'nano', EDITOR: 'vim' }, 'linux').argv).toEqual([
      '/bin/sh',
      '-c',
      'nano "$1"',
      'editor',
      '/a b/x.py',
    ]);
    expect(editorCommand('/x.py', {}, 'darwin').editor).toBe('vi');
  });

  // The stand-ins for py.EXE and python3.EXE are shell scripts, run for real.
  test(
    'py -3 is preferred on Windows (python3 there may be the Store placeholder), and found by PATHEXT',
    sh,
    () => {
      const bin = join(tmp, 'win bin');
      mkdirSync(bin, { recursive: true });
      const script = (name: string, body: string) => {
        writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`);
        chmodSync(join(bin, name), 0o755);
      };
      // The placeholder prints nothing useful and fails, as the Store alias does without the Store app.
      script('python3.EXE', 'exit 9009');
      script('py.EXE', '[ "$1" = "-3" ] || exit 3\nprintf "3.12.4\\nC:\\\\Python312\\\\python.exe\\n"');
      const env = { PATH: bin, PATHEXT: '.COM;.EXE;.BAT' };
      expect(onPath('py', env, 'win32')).toBe(join(bin, 'py.EXE'));
      expect(onPath('py', env, 'linux')).toBeUndefined();
      const found = findPython(env, 'win32');
      expect(found).toEqual({
        ok: true,
        python: { argv: ['py', '-3'], version: '3.12.4', path: 'C:\\Python312\\python.exe' },
      });
      // Elsewhere python3 comes first and is taken without asking.
      script('python3', 'exit 0');
      expect(findPython({ PATH: bin }, 'linux')).toEqual({
        ok: true,
        python: { argv: ['python3'], path: join(bin, 'python3') },
      });
    },
  );

  test('netstat -ano: listening TCP and bound UDP sockets, IPv4 and IPv6', () => {
    const text = [
      '',
      'Active Connections',
      '',
      '  Proto  Local Address          Foreign Address        State           PID',
      '  TCP    0.0.0.0:135            0.0.0.0:0              LISTENING       1000',
      '  TCP    127.0.0.1:17001        0.0.0.0:0              LISTENING       4242',
      '  TCP    127.0.0.1:17001        127.0.0.1:50123        ESTABLISHED     4242',
      '  TCP    [::1]:17002            [::]:0                 LISTENING       4242',
      '  UDP    127.0.0.1:17003        *:*                                    4242',
      '  UDP    [::]:17004             *:*                                    4242',
    ].join('\r\n');
    expect(parseNetstat(text).map((l) => `${l.transport} ${l.host} ${l.where}`)).toEqual([
      'tcp 0.0.0.0 135',
      'tcp 127.0.0.1 17001',
      'tcp ::1 17002',
      'udp 127.0.0.1 17003',
      'udp :: 17004',
    ]);
  });
});

describe('macOS: lsof and the run marker', () => {
  test('lsof -F pftPnT: listening TCP and unconnected UDP sockets only', () => {
    const text = [
      'p4242',
      'f3',
      'tIPv4',
      'PTCP',
      'n127.0.0.1:17001',
      'TST=LISTEN',
      'TQR=0',
      'f4',
      'tIPv4',
      'PTCP',
      'n127.0.0.1:17001->127.0.0.1:50123',
      'TST=ESTABLISHED',
      'f5',
      'tIPv6',
      'PUDP',
      'n*:17004',
      'f6',
      'tIPv4',
      'PUDP',
      'n127.0.0.1:17003',
      'p4243',
      'f3',
      'tIPv6',
      'PTCP',
      'n[::1]:17002',
      'TST=LISTEN',
    ].join('\n');
    expect(parseLsof(text).map((l) => `${l.transport} ${l.host} ${l.where}`)).toEqual([
      'tcp 127.0.0.1 17001',
      'udp :: 17004',
      'udp 127.0.0.1 17003',
      'tcp ::1 17002',
    ]);
  });

  test('ps -E: the processes whose environment carries the run marker', () => {
    const marker = 'SOCKETLINGS_RUN=1b2c';
    const text = [
      '  501 /usr/bin/python3 server.py PATH=/usr/bin SOCKETLINGS_RUN=1b2c HOME=/Users/ada',
      '  502 /usr/bin/python3 other.py SOCKETLINGS_RUN=1b2cd',
      '  503 python3 -c pass SOCKETLINGS_RUN=1b2c',
    ].join('\n');
    expect(pidsWithMarker(text, marker)).toEqual([501, 503]);
  });
});

test('tracebacks name the file relative to the workspace, with Windows paths too', () => {
  const ws = 'C:\\Users\\Ada Lovelace\\socketlings';
  expect(relativeTraceback(`  File "${ws}\\04-tcp-servers\\echo_server.py", line 4, in <module>`, ws)).toBe(
    '  File "04-tcp-servers\\echo_server.py", line 4, in <module>',
  );
  expect(relativeTraceback('  File "/home/ada/ws/a.py", line 1', '/home/ada/ws/')).toBe(
    '  File "a.py", line 1',
  );
});

test('launcher reports: only well-formed lines count', () => {
  expect(parseReport('listen tcp 127.0.0.1 17001')).toEqual({
    kind: 'socket',
    socket: { transport: 'tcp', host: '127.0.0.1', where: '17001', inode: '' },
  });
  expect(parseReport('bind udp :: 17004')).toMatchObject({ socket: { transport: 'udp', host: '::' } });
  expect(parseReport('listen unix - /tmp/sl-x/a b.sock')).toMatchObject({
    socket: { where: '/tmp/sl-x/a b.sock' },
  });
  expect(parseReport('fork 77')).toEqual({ kind: 'fork', pid: 77 });
  for (const bad of ['listen udp 127.0.0.1 1', 'bind tcp 127.0.0.1 1', 'listen tcp h x', 'ready', ''])
    expect(parseReport(bad)).toBeUndefined();
});

describe.concurrent('a learner file saved with CRLF line endings (and a BOM, as Notepad writes) passes', () => {
  const src = readFileSync(
    join(ROOT, 'lessons', '04-tcp-servers', 'echo-server', 'solution', 'echo_server.py'),
  );
  const dir = join(tmp, 'crlf');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'echo_server.py');
  writeFileSync(
    file,
    Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from(src.toString('utf8').replace(/\n/g, '\r\n')),
    ]),
  );
  for (const mode of MODES)
    test(mode.name, async () => {
      const r = await cli(['verify', 'echo-server', '--file', file, '--json'], { env: mode.env });
      expect(JSON.parse(r.stdout).status, r.stdout).toBe('pass');
    });
});

describe('where the starter workflow installs socketlings from (--from)', () => {
  test.each([
    ['0.2.0', { kind: 'npm', spec: 'socketlings@0.2.0' }],
    ['socketlings@1.0.0-beta.1', { kind: 'npm', spec: 'socketlings@1.0.0-beta.1' }],
    [
      'https://example.org/dl/socketlings-0.2.0.tgz',
      { kind: 'tarball', spec: 'https://example.org/dl/socketlings-0.2.0.tgz' },
    ],
    ['github:ada/socketlings#v1', { kind: 'git', url: 'https://github.com/ada/socketlings.git', ref: 'v1' }],
    [
      'git+https://git.example.org/socketlings.git',
      { kind: 'git', url: 'https://git.example.org/socketlings.git' },
    ],
    [
      'git@github.com:ada/socketlings.git#main',
      { kind: 'git', url: 'git@github.com:ada/socketlings.git', ref: 'main' },
    ],
    ['latest', undefined],
    ['./missing.tgz', undefined],
  ] as const)('%s', (from, want) => expect(parseSource(from, tmp)).toEqual(want));

  test('a local tarball is kept in the repository, where the runner finds it', () => {
    writeFileSync(join(tmp, 'socketlings-9.9.9.tgz'), 'x');
    expect(parseSource('socketlings-9.9.9.tgz', tmp)).toEqual({
      kind: 'tarball',
      spec: './.github/socketlings/socketlings-9.9.9.tgz',
      copyFrom: join(tmp, 'socketlings-9.9.9.tgz'),
    });
  });
});

test.each([
  [{}, '/usr/lib/node_modules/socketlings/dist/cli/main.js', 'socketlings'],
  [{ npm_command: 'exec' }, '/home/ada/app/node_modules/socketlings/dist/cli/main.js', 'npx socketlings'],
  [{}, '/home/ada/.npm/_npx/1a2b/node_modules/socketlings/dist/cli/main.js', 'npx socketlings'],
  [
    {},
    'C:\\Users\\Ada\\AppData\\Local\\npm-cache\\_npx\\1a2b\\node_modules\\socketlings\\dist\\cli\\main.js',
    'npx socketlings',
  ],
  [{ npm_command: 'run-script' }, '/home/ada/socketlings/dist/cli/main.js', 'socketlings'],
])('suggested commands: %j %s → %s', (env, script, want) => expect(cliCommand(env, script)).toBe(want));

test('doctor says which readiness and cleanup method this machine uses, and why', async () => {
  const [linux, portable] = await Promise.all([
    cli(['doctor', '--json'], { env: { SOCKETLINGS_PORTABLE: undefined } }),
    cli(['doctor', '--json'], { env: { SOCKETLINGS_PORTABLE: '1' } }),
  ]);
  if (process.platform === 'linux')
    expect(JSON.parse(linux.stdout).methods).toEqual({
      readiness: 'proc',
      runReadiness: 'proc',
      cleanup: 'proc',
      portable: false,
      why: 'Linux',
    });
  expect(JSON.parse(portable.stdout).methods).toMatchObject({ readiness: 'launcher', portable: true });
  const text = await cli(['doctor'], { env: { SOCKETLINGS_PORTABLE: '1' } });
  expect(text.stdout).toMatch(/readiness +the Python launcher reports each bind and listen over a pipe/);
  // Windows ends a program with its process tree; everywhere else the portable way uses its process group.
  expect(text.stdout).toMatch(
    process.platform === 'win32'
      ? /cleanup +its process tree \(taskkill/
      : /cleanup +its process group, reported forks/,
  );
});
