// Course packs: a valid one loads; each kind of broken one is refused with a message that names the file, the
// place in it, and the fix.
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { builtinCourseDir, loadCourse } from '../src/app/course.js';
import { courseDigest } from '../src/app/digest.js';
import { formatFileError } from '../src/grading/schema/load.js';
import { cli, fixture, ROOT } from './helpers.js';
import { needs, posixFiles } from './needs.js';

const made: string[] = [];
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

/** A fresh copy of the minimal pack, changed by `mutate`. */
function pack(mutate: (dir: string) => void = () => {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'sl-pack-'));
  made.push(dir);
  cpSync(fixture('packs', 'minimal'), dir, { recursive: true });
  mutate(dir);
  return dir;
}

function edit(file: string, from: string, to: string): void {
  const text = readFileSync(file, 'utf8');
  if (!text.includes(from)) throw new Error(`test setup: "${from}" not in ${file}`);
  writeFileSync(file, text.replace(from, to));
}

function errorsOf(dir: string): string[] {
  const r = loadCourse(dir, dir, { graders: true });
  if (r.ok) throw new Error('expected the pack to be refused');
  return r.errors.map(formatFileError);
}

const manifest = (d: string) => join(d, 'lessons', 'course.yaml');

test('the minimal pack and the built-in course load', () => {
  const r = loadCourse(pack());
  expect(r.ok).toBe(true);
  const b = loadCourse(builtinCourseDir(), ROOT, { graders: true });
  expect(b.ok ? b.value.lessons.length : b.errors.map(formatFileError)).toBe(19);
});

test("a pack's digest follows its content, not the folder it is in (shards installed in different places agree)", () => {
  const digest = (dir: string) => {
    const r = loadCourse(dir, dir, { graders: true });
    if (!r.ok) throw new Error(r.errors.map(formatFileError).join('\n'));
    return courseDigest(r.value);
  };
  const here = pack();
  const there = pack();
  expect(digest(there)).toBe(digest(here));
  const grader = join(there, 'graders', 'ping.yaml');
  writeFileSync(grader, `${readFileSync(grader, 'utf8')}\n# a changed grader\n`);
  expect(digest(there)).not.toBe(digest(here));
});

describe('broken packs, each with its exact message', needs(posixFiles()), () => {
  test('missing file', () => {
    const d = pack((d) => rmSync(join(d, 'lessons/01-hello/ping/solution/ping.py')));
    expect(errorsOf(d)).toEqual([
      'lessons/01-hello/ping/solution/ping.py: missing reference solution (required by lessons/course.yaml at lessons.0.exercises.0.file)\n  → create lessons/01-hello/ping/solution/ping.py',
    ]);
  });

  test('a ../ path', () => {
    const d = pack((d) => edit(manifest(d), 'dir: lessons/01-hello/ping,', 'dir: ../elsewhere/ping,'));
    expect(errorsOf(d)).toEqual([
      'lessons/course.yaml (lessons.0.exercises.0.dir): "../elsewhere/ping" points outside the pack\n  → use a path relative to the pack folder, without ".." and not starting with "/"',
    ]);
  });

  test('an absolute path', () => {
    const d = pack((d) => edit(manifest(d), 'dir: lessons/01-hello\n', 'dir: /etc\n'));
    expect(errorsOf(d)[0]).toContain('(lessons.0.dir): "/etc" points outside the pack');
  });

  test('a link out of the pack', () => {
    const d = pack((d) => {
      rmSync(join(d, 'graders/ping.yaml'));
      symlinkSync(fixture('packs', 'minimal', 'graders', 'ping.yaml'), join(d, 'graders/ping.yaml'));
    });
    expect(errorsOf(d)).toEqual([
      'lessons/course.yaml (lessons.0.exercises.0.grader): "graders/ping.yaml" is a link to a place outside the pack\n  → copy the file into the pack instead of linking to it',
    ]);
  });

  test('missing translation', () => {
    const d = pack((d) => rmSync(join(d, 'lessons/01-hello/zh-CN.md')));
    expect(errorsOf(d)).toEqual([
      'lessons/01-hello/zh-CN.md: missing zh-CN lesson text (required by lessons/course.yaml at lessons.0.dir)\n  → create lessons/01-hello/zh-CN.md',
    ]);
  });

  test('missing hints in one language', () => {
    const d = pack((d) => writeFileSync(join(d, 'lessons/01-hello/ping/hints.yaml'), 'en: [one]\n'));
    expect(errorsOf(d)).toEqual([
      'lessons/01-hello/ping/hints.yaml (zh-CN): no zh-CN hints\n  → add a list of at least one hint under "zh-CN:"',
    ]);
  });

  test('duplicate id', () => {
    const d = pack((d) =>
      edit(
        manifest(d),
        '    dir: lessons/01-hello\n',
        '    dir: lessons/01-hello\n  - id: hello\n    dir: lessons/01-hello\n',
      ),
    );
    expect(errorsOf(d)).toEqual([
      'lessons/course.yaml (lessons.1.id): duplicate lesson id "hello" (first used at lessons.0)\n  → give each lesson its own id',
    ]);
  });

  test('invalid YAML', () => {
    const d = pack((d) => edit(manifest(d), 'languages: [en, zh-CN]', 'languages: [en, zh-CN'));
    const errors = errorsOf(d);
    expect(errors[0]).toMatch(/^lessons\/course\.yaml \(line \d+, column \d+\): invalid YAML: /);
    expect(errors[0]).toContain('→ fix the YAML syntax at that place');
  });

  test('unknown field', () => {
    const d = pack((d) => edit(manifest(d), 'version: 1.0.0', 'version: 1.0.0\nauthor: someone'));
    expect(errorsOf(d)).toEqual([
      'lessons/course.yaml: Unrecognized key: "author" (unknown field: author)\n  → remove it, or check its spelling against the format in the README',
    ]);
  });

  test('an unknown step in a grader names the file and the step', () => {
    const d = pack((d) => edit(join(d, 'graders/ping.yaml'), '{ do: start }', '{ do: launch }'));
    expect(errorsOf(d)[0]).toMatch(
      /^graders\/ping\.yaml \(checks\.0\.steps\.0\.do\): Invalid discriminator value\. Expected 'start' \| 'connect'/,
    );
  });

  test('a step whose "when" names a var the grader does not have', () => {
    const d = pack((d) =>
      edit(
        join(d, 'graders/ping.yaml'),
        '{ do: accept, as: c }',
        '{ do: accept, as: c, when: { var: who, is: a } }',
      ),
    );
    expect(errorsOf(d)[0]).toMatch(
      /^graders\/ping\.yaml \(checks\.0\.steps\.1\.when\.var\): "when" names "who", which is not in vars/,
    );
  });

  test('a stale socket file only for a unix endpoint the program owns', () => {
    const d = pack((d) =>
      edit(
        join(d, 'graders/ping.yaml'),
        '{ transport: tcp, owner: peer }',
        '{ transport: tcp, owner: peer, stale_file: true }',
      ),
    );
    expect(errorsOf(d)[0]).toMatch(
      /^graders\/ping\.yaml \(endpoints\.main\): stale_file is for a unix endpoint the program owns/,
    );
  });

  test('a stub without a TODO', () => {
    const d = pack((d) => writeFileSync(join(d, 'lessons/01-hello/ping/ping.py'), 'pass\n'));
    expect(errorsOf(d)).toEqual([
      'lessons/01-hello/ping/ping.py: the stub has no TODO marker\n  → mark the place the learner must change with a "# TODO" comment',
    ]);
  });
});

test('the CLI refuses a broken pack with exit code 2 and no stack trace', async () => {
  const d = pack((d) => edit(manifest(d), 'version: 1.0.0', 'version: 1.0.0\nauthor: someone'));
  const r = await cli(['--course', d, 'list']);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('Unrecognized key: "author"');
  expect(r.stderr).not.toMatch(/\n\s+at /);
});

test('a pack from --course is listed and graded with the same pipeline', async () => {
  const d = pack();
  const list = await cli(['--course', d, 'list', '--json']);
  expect(JSON.parse(list.stdout).lessons[0].exercises[0].id).toBe('ping');
  const pass = await cli([
    '--course',
    d,
    'verify',
    'ping',
    '--file',
    join(d, 'lessons/01-hello/ping/solution/ping.py'),
  ]);
  expect(pass.code).toBe(0);
  const fail = await cli([
    '--course',
    d,
    'verify',
    'ping',
    '--file',
    join(d, 'lessons/01-hello/ping/ping.py'),
  ]);
  expect(fail.code).toBe(1);
});

test("dev check on an instructor's pack: a check a do-nothing program or a printed constant passes is a problem", async () => {
  const sound = await cli(['--course', pack(), 'dev', 'check', '--json']);
  expect(JSON.parse(sound.stdout).exercises[0].problems).toEqual([]);
  // "exits" first, with any exit code: a program that does nothing passes it, and so does one that only prints.
  const weak = pack((d) =>
    edit(
      join(d, 'graders/ping.yaml'),
      'checks:\n',
      'checks:\n  - id: exits-first\n    title: exits\n    steps:\n      - { do: start }\n      - { do: expect_exit }\n',
    ),
  );
  const r = await cli(['--course', weak, 'dev', 'check', '--json']);
  const problems: string[] = JSON.parse(r.stdout).exercises[0].problems;
  expect(r.code).toBe(1);
  expect(problems.join('\n')).toContain('a program that does nothing scores 50 of 100 (checks exits-first)');
  expect(problems.join('\n')).toContain('a program that prints what the solution printed for seed');
});

// Dev check grades five programs per exercise at once, and on a busy machine a reference solution can be judged
// undecidable (run again for timing, then still not judged): that is the machine, not the grader. Here the solution
// gives up on the grader's quiet in its first four runs (the check and its rerun, for the solution and for the run
// whose output the replayed program prints), as it rightly may; the fifth and later runs wait and answer.
test('dev check grades a reference solution again after a grading the machine left undecidable', async () => {
  const d = pack((d) => {
    writeFileSync(
      join(d, 'graders/ping.yaml'),
      `format: 1
role: client
endpoints:
  main: { transport: tcp, owner: peer }
checks:
  - id: answers
    title: answers after a pause
    steps:
      - { do: start }
      - { do: accept, as: c }
      - { do: expect, conn: c, line: HELLO, fresh_for: 0.3 }
      - { do: pause, ms: 800 }
      - { do: send, conn: c, data: "ping\\n" }
      - { do: expect, conn: c, line: PONG, within: 2, fresh_for: 0.3 }
`,
    );
    writeFileSync(
      join(d, 'lessons/01-hello/ping/solution/ping.py'),
      `import os, socket
runs = os.path.join(os.path.dirname(os.path.abspath(__file__)), "runs")
with open(runs, "a") as f:
    f.write("x\\n")
    f.flush()
    n = f.tell() // 2  # appends are atomic: this run's place among all
with socket.create_connection((os.environ["SOCKETLINGS_HOST"], int(os.environ["SOCKETLINGS_PORT"]))) as s:
    s.sendall(b"HELLO\\n")
    s.settimeout(None if n > 4 else 0.3)
    try:
        if s.recv(100):
            s.sendall(b"PONG\\n")
    except TimeoutError:
        pass
`,
    );
  });
  const r = await cli(['--course', d, 'dev', 'check', '--json']);
  const runs = readFileSync(join(d, 'lessons/01-hello/ping/solution/runs'), 'utf8').length / 2;
  expect(runs, r.stdout).toBeGreaterThan(4);
  expect(JSON.parse(r.stdout).exercises[0].problems, r.stdout).toEqual([]);
  expect(r.code).toBe(0);
});
