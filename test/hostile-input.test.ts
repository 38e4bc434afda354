// Hostile and broken input, through the real CLI: every family gives a clear message naming the file, the place
// and the fix, exit 2, no stack trace and no hang; a student's bad files cost that exercise only; learner text
// cannot inject into a gradebook or a CI log.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { validateXML } from 'xmllint-wasm';
import { freeTcpPort } from '../src/wire/ports.js';
import { CLI, type CliRun, cli, portInUse, ROOT } from './helpers.js';
import { anyByteNames, needs, posixFiles, RUNUSER, rootWithRunuser, sandbox, tmux } from './needs.js';

const dir = mkdtempSync(join(tmpdir(), 'sl-hostile-'));

// Paths shown with "/", FIFOs, links and modes; a batch takes the sandbox; grading as nobody takes root.
const posix = needs(posixFiles());
const batch = needs(posixFiles(), sandbox());
const hostileClass = needs(posixFiles(), anyByteNames(), sandbox());
const unreadable = { timeout: 150_000, ...needs(rootWithRunuser(), sandbox()) };
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
function fresh(name: string): string {
  const d = join(dir, `${name}-${++n}`);
  mkdirSync(d, { recursive: true });
  return d;
}

const SOLUTION = join(ROOT, 'lessons/01-sockets/first-contact/solution/first_contact.py');

/** Exit 2, a message that names `file`, a next step, and nothing that looks like a crash. */
function clearRefusal(r: CliRun, file: string | RegExp): void {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr).toMatch(
    typeof file === 'string' ? new RegExp(file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : file,
  );
  expect(r.stderr).toContain('→');
  expect(r.stderr).not.toMatch(/internal error|\n\s+at |This is a bug/);
}

/** Well-formed XML with a testsuites root is all this asks (the JUnit format itself is tested in reporters). */
const ANY_XSD = `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
<xs:element name="testsuites"><xs:complexType><xs:sequence>
<xs:any processContents="skip" minOccurs="0" maxOccurs="unbounded"/></xs:sequence>
<xs:anyAttribute processContents="skip"/></xs:complexType></xs:element></xs:schema>`;

/** Three anchors, each repeated nine times by the next: a billion nodes if expanded. */
function aliasBomb(): string {
  let s = 'bomb0: &b0 [x, x, x, x, x, x, x, x, x]\n';
  for (let i = 1; i < 10; i++)
    s += `bomb${i}: &b${i} [${Array(9)
      .fill(`*b${i - 1}`)
      .join(', ')}]\n`;
  return s;
}

function pack(): string {
  const d = fresh('pack');
  execFileSync(process.execPath, [join(ROOT, 'dist/cli/main.js'), 'dev', 'new', d], { stdio: 'ignore' });
  return d;
}

describe('YAML alias bombs and deep nesting are refused before they are expanded', posix, () => {
  test('in an assignment', async () => {
    const d = fresh('bomb');
    writeFileSync(
      join(d, 'a.yaml'),
      `format: 1\ntitle: w\nexercises: [{ id: first-contact }]\n${aliasBomb()}`,
    );
    const r = await cli(['grade', '--assignment', 'a.yaml'], { cwd: d, timeoutMs: 20_000 });
    clearRefusal(r, 'a.yaml (line');
    expect(r.stderr).toMatch(/aliases/);
  });

  test('in course.yaml, a grader and a hints file (dev check names each file)', async () => {
    for (const file of [
      'lessons/course.yaml',
      'graders/greeter.yaml',
      'lessons/01-greetings/greeter/hints.yaml',
    ]) {
      const p = pack();
      writeFileSync(join(p, file), `${readFileSync(join(p, file), 'utf8')}\n${aliasBomb()}`);
      const r = await cli(['--course', p, 'dev', 'check'], { cwd: p, timeoutMs: 30_000 });
      clearRefusal(r, file);
      expect(r.stderr).toMatch(/YAML aliases/);
    }
  });

  test('an alias inside its own anchor, and brackets nested thousands deep', async () => {
    const d = fresh('loop');
    writeFileSync(
      join(d, 'loop.yaml'),
      'format: 1\ntitle: w\nexercises: &e [{ id: first-contact, x: *e }]\n',
    );
    writeFileSync(
      join(d, 'deep.yaml'),
      `format: 1\ntitle: w\nexercises: ${'['.repeat(5000)}${']'.repeat(5000)}\n`,
    );
    const loop = await cli(['grade', '--assignment', 'loop.yaml'], { cwd: d, timeoutMs: 20_000 });
    clearRefusal(loop, 'loop.yaml (line 3');
    const deep = await cli(['grade', '--assignment', 'deep.yaml'], { cwd: d, timeoutMs: 20_000 });
    clearRefusal(deep, 'deep.yaml (line 3)');
    expect(deep.stderr).toMatch(/nesting is deeper/);
  });
});

describe('files that are not regular files, or too big, are refused without being opened', posix, () => {
  test('a FIFO as the assignment, as course.yaml, as a lesson and as --file: no hang', async () => {
    const d = fresh('fifo');
    execFileSync('mkfifo', [join(d, 'a.yaml'), join(d, 'prog.py')]);
    clearRefusal(await cli(['grade', '--assignment', 'a.yaml'], { cwd: d, timeoutMs: 20_000 }), 'a.yaml');
    const v = await cli(['verify', 'first-contact', '--file', 'prog.py'], { cwd: d, timeoutMs: 20_000 });
    clearRefusal(v, 'prog.py');
    expect(v.stderr).toMatch(/FIFO/);
    for (const file of ['lessons/course.yaml', 'lessons/01-greetings/en.md']) {
      const p = pack();
      rmSync(join(p, file));
      execFileSync('mkfifo', [join(p, file)]);
      const r = await cli(['--course', p, 'list'], { cwd: p, timeoutMs: 20_000 });
      clearRefusal(r, file);
    }
  });

  test('a 50 MB lesson, and one nested too deeply to render, are refused by read and dev check', async () => {
    const big = pack();
    const lesson = join(big, 'lessons/01-greetings/en.md');
    writeFileSync(lesson, `---\ntitle: Big\n---\n${'> '.repeat(25 * 1024 * 1024)}\n`);
    const r = await cli(['--course', big, 'read', '1'], { cwd: big, timeoutMs: 30_000 });
    clearRefusal(r, 'lessons/01-greetings/en.md');
    expect(r.stderr).toMatch(/too big/);
    const deep = pack();
    const nested = Array.from({ length: 30 }, (_, i) => `${'  '.repeat(i)}- item`).join('\n');
    writeFileSync(join(deep, 'lessons/01-greetings/en.md'), `---\ntitle: Deep\n---\n${nested}\n`);
    const d = await cli(['--course', deep, 'dev', 'check'], { cwd: deep, timeoutMs: 30_000 });
    clearRefusal(d, 'lessons/01-greetings/en.md (line');
  });

  test('progress.json being a folder', async () => {
    const d = fresh('ws');
    expect((await cli(['init', 'ws'], { cwd: d })).code).toBe(0);
    const ws = join(d, 'ws');
    rmSync(join(ws, '.socketlings/progress.json'));
    mkdirSync(join(ws, '.socketlings/progress.json'));
    const r = await cli(['progress'], { cwd: ws });
    clearRefusal(r, '.socketlings/progress.json');
    expect(r.stderr).toMatch(/folder/);
  });
});

describe('batch paths of the wrong kind are refused before grading', batch, () => {
  test('--submissions a file or missing, --out a file, --csv a folder or below a file', async () => {
    const d = fresh('paths');
    mkdirSync(join(d, 'class/alice'), { recursive: true });
    writeFileSync(join(d, 'afile'), 'x');
    mkdirSync(join(d, 'afolder'));
    const base = ['grade', '--assignment', 'a.yaml'];
    writeFileSync(join(d, 'a.yaml'), 'format: 1\ntitle: w\nexercises: [{ id: first-contact }]\n');
    const cases: [string[], string][] = [
      [['--submissions', 'afile'], 'afile'],
      [['--submissions', 'nowhere'], 'nowhere'],
      [['--submissions', 'class', '--out', 'afile'], 'afile'],
      [['--submissions', 'class', '--csv', 'afolder'], 'afolder'],
      [['--submissions', 'class', '--csv', 'afile/g.csv'], 'afile/g.csv'],
      [['--submissions', 'class', '--out', 'class/alice/out'], 'class/alice/out'],
    ];
    for (const [args, named] of cases) {
      const r = await cli([...base, ...args], { cwd: d, timeoutMs: 20_000 });
      clearRefusal(r, named);
    }
    expect(readdirSync(join(d, 'class/alice'))).toEqual([]);
  });
});

describe('a class of hostile students', hostileClass, () => {
  test('bad entries are skipped with a reason, bad files refused per exercise, the rest graded safely', async () => {
    const d = fresh('class');
    const c = join(d, 'class');
    const put = (student: string, file = SOLUTION) => {
      mkdirSync(join(c, student, '01-sockets'), { recursive: true });
      copyFileSync(file, join(c, student, '01-sockets', 'first_contact.py'));
    };
    const names = [
      'alice',
      '::error::x',
      '=HYPERLINK("http:x")',
      '+1+2',
      '@SUM(A1)',
      '-rf',
      'tab\tname',
      'new\nline',
      'esc\x1b[2J\x1b]8;;http:evil\x07name',
      'rlo\u202etxt.exe',
      'eve\nhonest9,10,10,10,pass',
      '::error title=x::forged',
    ];
    for (const s of names) put(s);
    // A broken socketlings.json never stops the batch: the folder layout decides.
    put('bob');
    writeFileSync(join(c, 'bob/socketlings.json'), '{ not json');
    // Links out of the folder (to the reference solution, to any file), a FIFO, a device: refused.
    for (const s of ['carol', 'dave', 'erin', 'frank'])
      mkdirSync(join(c, s, '01-sockets'), { recursive: true });
    symlinkSync(SOLUTION, join(c, 'carol/01-sockets/first_contact.py'));
    symlinkSync('/etc/passwd', join(c, 'dave/01-sockets/first_contact.py'));
    execFileSync('mkfifo', [join(c, 'erin/01-sockets/first_contact.py')]);
    const device =
      spawnSync('mknod', [join(c, 'frank/01-sockets/first_contact.py'), 'c', '1', '3']).status === 0;
    // A link inside the folder is fine.
    mkdirSync(join(c, 'grace/01-sockets'), { recursive: true });
    copyFileSync(SOLUTION, join(c, 'grace/mine.py'));
    symlinkSync('../mine.py', join(c, 'grace/01-sockets/first_contact.py'));
    // Not gradeable at all: skipped with a reason, the batch goes on.
    mkdirSync(join(c, 'gradebook.csv'));
    symlinkSync('/nonexistent', join(c, 'ghost'));
    symlinkSync('no-such-student', join(c, 'lost'));
    // Links are never students. Out of the folder (to /etc, to a file, a relative one above it): refused, each
    // with why. To another entry (a student, a file): left out, said once.
    symlinkSync('/etc', join(c, 'etc'));
    symlinkSync('/etc/passwd', join(c, 'passwd'));
    symlinkSync('../..', join(c, 'up'));
    symlinkSync('alice', join(c, 'alice-again'));
    writeFileSync(join(c, 'notes.txt'), 'not a student\n');
    symlinkSync('notes.txt', join(c, 'notes-link'));
    mkdirSync(Buffer.from([...Buffer.from(join(c, 'bad')), 0xff, 0xfe]));
    // Dot folders are never students: left out, and said so once, counted.
    put('.hidden-student');
    mkdirSync(join(c, '.git'));
    writeFileSync(join(d, 'a.yaml'), 'format: 1\ntitle: w\nexercises: [{ id: first-contact, points: 10 }]\n');
    const r = await cli(
      ['grade', '--assignment', 'a.yaml', '--submissions', 'class', '--out', 'out', '--reporter', 'json'],
      { cwd: d, timeoutMs: 120_000 },
    );
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
    expect(r.stderr).toMatch(/skipped lost in the submissions folder: it is a link that leads nowhere/);
    for (const s of ['ghost', 'etc', 'passwd', 'up'])
      expect(r.stderr).toContain(
        `skipped ${s} in the submissions folder: it is a link that leads outside the submissions folder`,
      );
    const links = r.stderr.split('\n').filter((l) => l.includes('link') && l.includes('left out'));
    expect(links, r.stderr).toEqual([
      "socketlings: left out 2 links of the submissions folder to another of its entries (alice-again, notes-link): a student's folder is a folder, never a link; whom it leads to is graded under their own name",
    ]);
    expect(r.stderr).toMatch(/skipped gradebook\.csv .*name of an output file/);
    expect(r.stderr).toMatch(/skipped "bad\\xff\\xfe" .*not valid UTF-8/);
    const hidden = r.stderr.split('\n').filter((l) => l.includes('whose name starts with "."'));
    expect(hidden, r.stderr).toEqual([
      'socketlings: left out 2 folders of the submissions folder whose name starts with "." (.git, .hidden-student): such a folder is never a student\'s',
    ]);
    // No stderr line starts a workflow command, whatever the names.
    for (const line of r.stderr.split(/\r?\n|\r/)) expect(line.trimStart()).not.toMatch(/^::|##\[/);
    expect(r.stderr).toContain('"::error::x": 10/10');
    expect(r.stderr).toContain('"new\\nline": 10/10');
    expect(r.stderr).toContain('"esc\\x1b[2J\\x1b]8;;http:evil\\x07name": 10/10');
    expect(r.stderr).toContain('"rlo\\u202etxt.exe": 10/10');
    expect(r.stderr).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f\u202e]/);

    const rows = readFileSync(join(d, 'out/gradebook.csv'), 'utf8');
    expect(rows).toContain(`"'=HYPERLINK(""http:x"")",10,10,10,pass`);
    expect(rows).toContain(`"'+1+2",10`);
    expect(rows).toContain(`"'@SUM(A1)",10`);
    expect(rows).toContain(`"'-rf",10`);
    // Names are shown on one line, escaped: `cat`, `grep` and `cut` (in a CI log, say) see no forged row, no
    // terminal sequence and no workflow command.
    expect(rows).toContain(`"new\\nline",10`);
    expect(rows).toContain(`"tab\\tname",10`);
    expect(rows).toContain(`"esc\\x1b[2J\\x1b]8;;http:evil\\x07name",10`);
    expect(rows).toContain(`"rlo\\u202etxt.exe",10`);
    expect(rows).toContain(`"eve\\nhonest9,10,10,10,pass",10,10,10,pass`);
    expect(rows).toContain(`"\\x3a:error::x",10`);
    expect(rows).toContain(`"\\x3a:error title=x::forged",10`);
    expect(rows).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f\u202e]/);
    const lines = rows.trimEnd().split('\n');
    expect(lines).toHaveLength(1 + names.length + 5 + (device ? 1 : 0));
    expect(lines.filter((l) => l.startsWith('honest9,'))).toEqual([]);
    // Every line that starts a record starts with a name that cannot be a formula or a command.
    for (const line of lines.slice(1)) expect(line).not.toMatch(/^[=+\-@\t\r]|^\s*::|##\[/);
    const score = (s: string) => JSON.parse(readFileSync(join(d, 'out', s, 'report.json'), 'utf8'));
    expect(score('alice').points).toBe(10);
    expect(score('bob').points).toBe(10);
    expect(score('grace').points).toBe(10);
    for (const [s, why] of [
      ['carol', /link to a file outside the submission folder/],
      ['dave', /link to a file outside the submission folder/],
      ['erin', /named pipe/],
      ...(device ? [['frank', /a device/] as const] : []),
    ] as const) {
      const rep = score(s);
      expect(rep.points, s).toBe(0);
      expect(rep.exercises[0].checks[0].message).toMatch(why);
      // Nothing of the file it points at reaches the report.
      expect(JSON.stringify(rep)).not.toMatch(/root:x:0|SOCKETLINGS_HOST/);
    }
    // Every report stayed inside --out, and the class folder was not written to.
    expect(readdirSync(join(d, 'out')).sort()).toEqual(
      [
        ...names,
        'bob',
        'carol',
        'dave',
        'erin',
        'grace',
        'gradebook.csv',
        'shard.json',
        ...(device ? ['frank'] : []),
      ].sort(),
    );
    expect(readdirSync(d).sort()).toEqual(['a.yaml', 'class', 'out']);
    expect(existsSync(join(c, 'alice/report.json'))).toBe(false);
    // report.json stores a name escaped, as every view shows it: `jq -r .student` prints no escape sequence (JSON
    // itself would keep \u202e raw, and write ESC as \u001b, which jq turns back into ESC).
    for (const [name, stored] of [
      ['esc\x1b[2J\x1b]8;;http:evil\x07name', 'esc\\x1b[2J\\x1b]8;;http:evil\\x07name'],
      ['rlo\u202etxt.exe', 'rlo\\u202etxt.exe'],
      ['new\nline', 'new\\nline'],
      ['::error title=x::forged', '\\x3a:error title=x::forged'],
    ] as const) {
      const raw = readFileSync(join(d, 'out', name, 'report.json'), 'utf8');
      expect(raw, name).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f\u202e]/);
      // What `jq -r` would print of any string in it: no control character, no override.
      const strings: string[] = [];
      JSON.parse(raw, (_k, v: unknown) => {
        if (typeof v === 'string') strings.push(v);
        return v;
      });
      for (const text of strings) expect(text, name).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f\u202e]/);
      expect(JSON.parse(raw).student, name).toBe(stored);
    }
    // And a resumed run trusts those reports: the name it holds is the folder's, as stored.
    const again = await cli(
      ['grade', '--assignment', 'a.yaml', '--submissions', 'class', '--out', 'out', '--reporter', 'json'],
      { cwd: d, timeoutMs: 120_000 },
    );
    expect(again.code, again.stderr).toBe(2);
    expect(again.stderr).toContain('"esc\\x1b[2J\\x1b]8;;http:evil\\x07name": 10/10 (from the earlier run)');
    expect(again.stderr).toContain('"rlo\\u202etxt.exe": 10/10 (from the earlier run)');
  }, 180_000);
});

describe('reporters that may run in CI escape or fence learner text', posix, () => {
  test('pretty, github, junit and json with a program that prints escapes and workflow commands', async () => {
    const d = fresh('inject');
    mkdirSync(join(d, '01-sockets'));
    writeFileSync(
      join(d, '01-sockets/first_contact.py'),
      [
        'import sys',
        'print("\\r::error::forged from stdout\\x1b[2J")',
        'print("\\x1b]8;;http://evil.example/\\x07CLICK-ME\\x1b]8;;\\x07 \\x1b]52;c;cHduZWQ=\\x07", file=sys.stderr)',
        'print("##[error]legacy \\u202eevil ]]> <x/> \\x00\\x01", file=sys.stderr)',
        'print("::warning file=a::forged", file=sys.stderr)',
        'print("ok\\rpartial", file=sys.stderr)',
        'sys.exit(3)',
      ].join('\n'),
    );
    writeFileSync(join(d, 'a.yaml'), 'format: 1\ntitle: w\nexercises: [{ id: first-contact }]\n');
    const r = await cli(
      [
        'grade',
        '--assignment',
        'a.yaml',
        '--student',
        '::error::x',
        '--reporter',
        'pretty,github,junit,json',
        '--out',
        'out',
      ],
      {
        cwd: d,
        timeoutMs: 60_000,
        env: { GITHUB_STEP_SUMMARY: join(d, 'step-summary.md'), GITHUB_OUTPUT: undefined },
      },
    );
    expect(r.code, r.stderr).toBe(1);
    const [pretty = '', github = ''] = r.stdout.split(/(?=^::stop-commands::)/m);
    // The pretty part: no raw control character but newlines, no line a runner would read as a command.
    expect(pretty).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f\u202e]/);
    for (const line of pretty.split('\n')) expect(line.trimStart()).not.toMatch(/^::/);
    expect(pretty).not.toContain('##[');
    expect(pretty).toContain('stdout: \\r::error::forged from stdout\\x1b[2J');
    expect(pretty).toContain('\\x3a:warning file=a::forged');
    expect(pretty).toContain('#\\x23[error]legacy \\u202eevil');
    expect(pretty).toContain('ok\\rpartial');
    // The github part: the fence holds, and the only command lines are ours.
    const token = /^::stop-commands::([0-9a-f]{32})$/m.exec(github)?.[1];
    expect(token).toBeDefined();
    const after = github.slice(github.indexOf(`::${token}::`));
    const commands = after
      .split(/\r?\n|\r/)
      .slice(1)
      .filter((line) => line.trim());
    // The failing check is reported, after the fence is lifted; nothing else is a command.
    expect(commands.length).toBeGreaterThan(0);
    for (const line of commands) expect(line).toMatch(/^::error (file=[^\n,]*,(line=\d+,)?)?title=[^\n]*::/);
    expect(after).not.toMatch(/\r/);
    // The annotation, outside the fence, shows the program's escapes, never carries them.
    expect(github).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f\u202e]/);
    expect(after).toContain(
      '%0A  \\x1b]8;;http://evil.example/\\x07CLICK-ME\\x1b]8;;\\x07 \\x1b]52;c;cHduZWQ=\\x07',
    );
    const summary = readFileSync(join(d, 'step-summary.md'), 'utf8');
    expect(summary).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f\u202e]/);
    expect(summary).toContain('\\\\x1b\\]52;c;cHduZWQ=\\\\x07');
    const junit = readFileSync(join(d, 'out/junit.xml'), 'utf8');
    const xml = await validateXML({
      xml: [{ fileName: 'junit.xml', contents: junit }],
      schema: [{ fileName: 'any.xsd', contents: ANY_XSD }],
    });
    expect(xml.valid, xml.rawOutput).toBe(true);
    expect(junit).toContain('\\x1b]52;c;cHduZWQ=\\x07');
    const json = JSON.parse(readFileSync(join(d, 'out/results.json'), 'utf8'));
    // JSON carries the text as every view shows it: `jq -r` prints no escape sequence.
    expect(json.tests[0].output).toBe('\\r::error::forged from stdout\\x1b[2J');
  });
});

test(
  'a course pack whose grader writes a file outside its scratch folder is refused by dev check',
  posix,
  async () => {
    for (const name of ['../escape.txt', '/tmp/abs.txt', 'a/b.txt', '..']) {
      const p = pack();
      const g = join(p, 'graders/greeter.yaml');
      writeFileSync(
        g,
        readFileSync(g, 'utf8').replace(
          /^checks:/m,
          `files:\n  - { env: SOCKETLINGS_FILE, name: ${JSON.stringify(name)}, data: "x" }\nchecks:`,
        ),
      );
      const r = await cli(['--course', p, 'dev', 'check'], { cwd: p, timeoutMs: 30_000 });
      clearRefusal(r, 'graders/greeter.yaml (files.0.name)');
      expect(r.stderr).toMatch(/plain file name/);
      expect(existsSync(join(p, 'escape.txt'))).toBe(false);
    }
  },
);

/**
 * The CLI run by user nobody in `d` (a grader without root's right to read and write anything), with a TMPDIR of its
 * own in `d/tmp` and Debian's Python (pyenv's, under root's home, is not nobody's to run).
 */
function cliAsNobody(d: string, args: string[], timeoutMs = 60_000): CliRun {
  const r = spawnSync(RUNUSER as string, ['-u', 'nobody', '--', process.execPath, CLI, ...args], {
    cwd: d,
    encoding: 'utf8',
    timeout: timeoutMs,
    env: {
      PATH: '/usr/bin:/bin',
      NO_COLOR: '1',
      SOCKETLINGS_LANG: 'en',
      SOCKETLINGS_PYTHON: '/usr/bin/python3',
      TMPDIR: join(d, 'tmp'),
    },
  });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr, ms: 0 };
}

/** A folder user nobody can enter, with a class of these students handing in first-contact's solution. */
function nobodysClass(name: string, students: string[]): string {
  const d = fresh(name);
  chmodSync(dir, 0o755);
  for (const s of students) {
    mkdirSync(join(d, 'class', s, '01-sockets'), { recursive: true });
    copyFileSync(SOLUTION, join(d, 'class', s, '01-sockets/first_contact.py'));
  }
  writeFileSync(join(d, 'a.yaml'), 'format: 1\ntitle: w\nexercises: [{ id: first-contact, points: 10 }]\n');
  return d;
}

// Root reads every file whatever its mode: an unreadable file exists only for an unprivileged grader.
test(
  'an unreadable file (grading as user nobody) is refused for its exercise; the batch goes on',
  unreadable,
  async () => {
    const d = nobodysClass('unreadable', ['alice', 'mallory']);
    chmodSync(join(d, 'class/mallory/01-sockets/first_contact.py'), 0o000);
    mkdirSync(join(d, 'out'));
    mkdirSync(join(d, 'tmp'));
    chmodSync(join(d, 'out'), 0o777);
    chmodSync(join(d, 'tmp'), 0o1777);
    const r = cliAsNobody(
      d,
      ['grade', '--assignment', 'a.yaml', '--submissions', 'class', '--out', 'out'],
      120_000,
    );
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stderr).toContain('alice: 10/10');
    expect(r.stderr).toContain('mallory: 0/10');
    const rep = JSON.parse(readFileSync(join(d, 'out/mallory/report.json'), 'utf8'));
    expect(rep.exercises[0].checks[0].message).toMatch(/cannot be read \(EACCES\)/);
    expect(readdirSync(join(d, 'tmp'))).toEqual([]);
  },
);

test(
  'as user nobody, an --out it cannot write is refused before grading, for grade and grade merge: no stack trace',
  unreadable,
  async () => {
    const d = nobodysClass('unwritable', ['alice']);
    // Root's, as made: nobody may enter and read it, not write in it.
    mkdirSync(join(d, 'locked'));
    mkdirSync(join(d, 'tmp'));
    chmodSync(join(d, 'tmp'), 0o1777);
    for (const out of ['locked', 'locked/reports']) {
      const g = cliAsNobody(d, ['grade', '--assignment', 'a.yaml', '--submissions', 'class', '--out', out]);
      clearRefusal(g, out);
      expect(g.stderr).toMatch(/cannot be written there \(EACCES\)/);
      // Refused before grading: no program ran, nothing was written.
      expect(g.stdout + g.stderr).not.toContain('alice');
      clearRefusal(cliAsNobody(d, ['grade', 'merge', 'class', '--out', out]), out);
    }
    expect(readdirSync(join(d, 'locked'))).toEqual([]);
    expect(readdirSync(join(d, 'tmp'))).toEqual([]);
  },
);

// Under a real terminal: tmux with clipboard writes on, its own server so its paste buffers are this test's. A
// control shows the terminal obeys the raw sequences (OSC 52 makes a buffer, ESC[2J clears the screen); then verify
// shows a program that prints them, with its failure picture, and the terminal must obey none.
describe("a program's escapes never act on the terminal", needs(tmux()), () => {
  const server = `sl-esc-${process.pid}`;
  const conf = join(dir, 'tmux.conf');
  const tmux = (...args: string[]) =>
    execFileSync('tmux', ['-L', server, '-f', conf, ...args], { encoding: 'utf8' });
  afterAll(() => {
    // tmux leaves its socket file behind when its server is killed.
    const socket = spawnSync('tmux', ['-L', server, 'display-message', '-p', '#{socket_path}'], {
      encoding: 'utf8',
    }).stdout.trim();
    spawnSync('tmux', ['-L', server, 'kill-server']);
    if (socket) rmSync(socket, { force: true });
  });

  /** Run `script` in a new session of the private server until it prints EXIT=; the visible screen. */
  async function screenOf(name: string, script: string): Promise<string> {
    const file = join(dir, `${name}.sh`);
    writeFileSync(
      file,
      `unset FORCE_COLOR CI\nexport NO_COLOR=1 SOCKETLINGS_LANG=en TERM=xterm-256color\n${script}\necho "EXIT=$?"\nsleep 120\n`,
    );
    tmux('new-session', '-d', '-s', name, '-x', '100', '-y', '150', `bash ${file}`);
    const t = Date.now();
    for (;;) {
      const screen = tmux('capture-pane', '-p', '-J', '-t', name);
      if (/EXIT=\d+/.test(screen)) return screen;
      if (Date.now() - t > 60_000) throw new Error(`no EXIT= on the screen:\n${screen}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const buffers = () =>
    spawnSync('tmux', ['-L', server, 'list-buffers', '-F', '#{buffer_sample}'], { encoding: 'utf8' }).stdout;

  test('verify, with and without the sandbox: the raw sequences are shown, not obeyed', async () => {
    writeFileSync(conf, 'set -s set-clipboard on\nset -g history-limit 5000\n');
    const control = `control-${process.pid}`;
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    const before = await screenOf(
      'control',
      `printf 'before the clear\\n\\033]52;c;${b64(control)}\\a\\033[2J\\033[Hafter the clear\\n'`,
    );
    expect(before).toContain('after the clear');
    expect(before).not.toContain('before the clear');
    expect(buffers()).toContain(control);

    const d = fresh('pty');
    mkdirSync(join(d, '01-sockets'));
    const prog = join(d, '01-sockets/first_contact.py');
    const stolen = `stolen-${process.pid}`;
    writeFileSync(
      prog,
      [
        'import sys',
        `print("\\x1b]52;c;${b64(stolen)}\\x07")`,
        'print("\\x1b]8;;http://evil.example/\\x07CLICK-ME\\x1b]8;;\\x07")',
        'print("\\x1b[2J\\x1b[H")',
        `print("\\x1b]52;c;${b64(stolen)}\\x07 \\x1b[2J\\x1b[H", file=sys.stderr)`,
        'sys.exit(1)',
      ].join('\n'),
    );
    for (const [name, extra] of [
      ['plain', ''],
      ['sandboxed', ' --sandbox'],
    ] as const) {
      const screen = await screenOf(
        name,
        `cd '${d}' && '${process.execPath}' '${CLI}' verify first-contact --file 01-sockets/first_contact.py --seed 1${extra}`,
      );
      // Not cleared: the report's first line is still on the screen, and so is everything after it.
      expect(screen, name).toMatch(/^first-contact — /m);
      expect(screen, name).toContain('EXIT=1');
      expect(screen, name).toContain(`[your program] stdout: \\x1b]52;c;${b64(stolen)}\\x07`);
      expect(screen, name).toContain('\\x1b]8;;http://evil.example/\\x07CLICK-ME\\x1b]8;;\\x07');
      // The failure picture shows the program's stderr as it ended, escaped too.
      expect(screen, name).toContain('on the wire');
      expect(screen, name).toContain(`stderr: \\x1b]52;c;${b64(stolen)}\\x07 \\x1b[2J\\x1b[H`);
      expect(buffers(), name).not.toContain(stolen);
    }
  }, 120_000);
});

test('peer --wire: what a program run by hand sends is shown escaped, live', async () => {
  const d = fresh('peer');
  // A port nobody holds: a random one may be taken.
  const port = await freeTcpPort('ipv4');
  const server = join(d, 'server.py');
  writeFileSync(
    server,
    [
      'import os, socket',
      's = socket.create_server(("localhost", int(os.environ["SOCKETLINGS_PORT"])))',
      'c, _ = s.accept()',
      'c.recv(1024)',
      'c.sendall(b"\\x1b]52;c;cHduZWQ=\\x07\\x1b[2J\\x1b[H::error::x\\r\\xe2\\x80\\xae\\n")',
      'c.close()',
    ].join('\n'),
  );
  const program = spawn('python3', [server], {
    env: { ...process.env, SOCKETLINGS_PORT: String(port) },
    stdio: 'ignore',
  });
  try {
    const t = Date.now();
    while (!portInUse(port) && Date.now() - t < 5000) await new Promise((r) => setTimeout(r, 20));
    const r = await cli(['peer', 'echo-server', '--port', String(port), '--seed', '3', '--wire'], {
      timeoutMs: 30_000,
    });
    expect(r.code).toBe(1);
    expect(r.stdout).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f\u202e]/);
    expect(r.stdout).toContain('"\\x1b]52;c;cHduZWQ=\\x07');
    for (const line of r.stdout.split('\n')) expect(line).not.toMatch(/^\s*::|##\[/);
  } finally {
    program.kill('SIGKILL');
  }
});

test("a batch saves the program's output escaped: report.json holds no raw control character", async () => {
  const d = fresh('saved');
  mkdirSync(join(d, 'class/mallory/01-sockets'), { recursive: true });
  writeFileSync(
    join(d, 'class/mallory/01-sockets/first_contact.py'),
    [
      'import sys',
      'print("\\x1b]52;c;cHduZWQ=\\x07 \\u202eexe.txt \\x9b2J")',
      'print("\\x1b[2J\\x1b[H", file=sys.stderr)',
      'sys.exit(1)',
    ].join('\n'),
  );
  writeFileSync(join(d, 'a.yaml'), 'format: 1\ntitle: w\nexercises: [{ id: first-contact, points: 10 }]\n');
  const r = await cli(['grade', '--assignment', 'a.yaml', '--submissions', 'class', '--out', 'out'], {
    cwd: d,
    timeoutMs: 120_000,
  });
  expect(r.code, r.stderr).toBe(1);
  const saved = readFileSync(join(d, 'out/mallory/report.json'), 'utf8');
  // JSON would escape C0 itself (as \u001b), but not C1 or bidi: the text itself must be shown.
  expect(saved).not.toMatch(/\\u00[01][0-9a-f]|\\u007f|[\u0080-\u009f\u202a-\u202e]/);
  const transcript = JSON.parse(saved).exercises[0].checks.flatMap(
    (c: { transcript: unknown[] }) => c.transcript,
  );
  expect(transcript).toContainEqual(
    expect.objectContaining({
      who: 'program',
      kind: 'stdout',
      text: '\\x1b]52;c;cHduZWQ=\\x07 \\u202eexe.txt \\x9b2J',
    }),
  );
  expect(transcript).toContainEqual(
    expect.objectContaining({ who: 'program', kind: 'stderr', text: '\\x1b[2J\\x1b[H' }),
  );
}, 150_000);
