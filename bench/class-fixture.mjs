// A made-up class for the HTML report's bench and browser test: students × exercises of grade reports shaped like
// the batch's, with failing checks carrying transcripts as long as real ones (a hundred lines of a chunked echo,
// half-closes, datagrams, program output). Deterministic: the same arguments give the same class.

/** A small seeded generator (mulberry32), so the class is the same on every run. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = ['ping', 'echo', 'hello', 'chunk', 'frame', 'data', 'quit', 'bytes', '你好', 'stream'];

function transcript(r, n, udp) {
  const out = [];
  let at = 300 + Math.floor(r() * 200);
  for (let k = 1; k <= 3; k++)
    out.push({
      at: at + 2 * k,
      who: `peer:client-${k}`,
      kind: 'connect',
      text: `127.0.0.1:40000 from port ${50000 + k}`,
    });
  at += 6;
  for (let i = 0; i < n; i++) {
    const who = `peer:client-${1 + (i % 3)}`;
    const words = Array.from(
      { length: 2 + Math.floor(r() * 5) },
      () => WORDS[Math.floor(r() * WORDS.length)],
    );
    const text = JSON.stringify(`${words.join(' ')}\n`);
    at += 1 + Math.floor(r() * 30);
    const addr = udp ? ' (to 127.0.0.1:41000)' : '';
    if (i % 17 === 16) out.push({ at, who: 'program', kind: 'stdout', text: `served ${words[0]}` });
    else if (udp && i % 11 === 10)
      out.push({
        at,
        who: 'peer:main',
        kind: 'note',
        text: 'dropped an outgoing datagram (12 bytes) (to 127.0.0.1:41000)',
      });
    else out.push({ at, who, kind: i % 2 ? 'recv' : 'send', text: `${text}${addr}` });
  }
  out.push({ at: at + 3, who: 'peer:client-1', kind: 'shutdown', text: '' });
  out.push({ at: at + 9, who: 'grader', kind: 'note', text: 'your program ended: exit code 1' });
  return out;
}

/** `students` reports for `exercises` exercises, as `grade --submissions` writes them, plus the assignment. */
export function syntheticClass(students = 100, exercises = 22, seed = 1) {
  const r = rng(seed);
  const ids = Array.from({ length: exercises }, (_, i) => `exercise-${String(i + 1).padStart(2, '0')}`);
  const assignment = { title: 'Synthetic class', exercises: ids.map((id) => ({ id, points: 10 })) };
  const list = [];
  for (let s = 0; s < students; s++) {
    // Some students fail little, some a lot: about a third of all exercises in all.
    const weak = r() * 0.7;
    const ex = ids.map((id, j) => {
      const n = 3 + (j % 4);
      const failAt = r() < weak ? Math.floor(r() * n) : -1;
      const checks = Array.from({ length: n }, (_, c) => {
        const status = failAt < 0 || c < failAt ? 'pass' : c === failAt ? 'fail' : 'skip';
        return {
          id: `check-${c + 1}`,
          title: `check ${c + 1} of ${id}`,
          status,
          message:
            status === 'fail'
              ? `client-1 waited ${1 + (c % 3)} s for "${WORDS[c % WORDS.length]} ${Math.floor(r() * 1e5)}\\n", but your program sent nothing`
              : status === 'skip'
                ? 'skipped: an earlier check failed'
                : `check ${c + 1}`,
          transcript:
            status === 'fail'
              ? transcript(r, 40 + Math.floor(r() * 80), j % 5 === 4)
              : status === 'pass'
                ? transcript(r, 6, false)
                : [],
          duration: 100,
          maxPoints: 10 / n,
          points: status === 'pass' ? 10 / n : 0,
          ...(status === 'fail'
            ? { hint: 'recv() returns what has arrived so far: loop until the line ends.' }
            : {}),
        };
      });
      const earned = checks.filter((c) => c.status === 'pass').length;
      const points = Math.round(((10 * earned) / n) * 100) / 100;
      return {
        id,
        title: `Exercise ${j + 1}`,
        result: {
          exercise: id,
          status: failAt < 0 ? 'pass' : 'fail',
          seed: 7,
          checks,
          duration: 500,
          command: 'python3 x.py',
        },
        checks,
        points,
        maxPoints: 10,
      };
    });
    const points = Math.round(ex.reduce((a, e) => a + e.points, 0) * 100) / 100;
    const report = {
      student: `student-${String(s + 1).padStart(3, '0')}`,
      assignment: assignment.title,
      feedback: 'full',
      exercises: ex,
      points,
      maxPoints: 10 * exercises,
      threshold: 5 * exercises,
      status: points >= 5 * exercises ? 'pass' : 'fail',
      duration: 1000,
      startedAt: '2026-11-30T00:00:00.000Z',
    };
    list.push({ student: report.student, report });
  }
  return { assignment, students: list };
}
