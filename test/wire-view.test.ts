// The learner's wire view: the pure renderer on made-up transcripts, then the real CLI on real programs, with the
// kernel's socket states read while they run.

import { spawn } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { displayWidth, quote } from '../src/grading/quote.js';
import type { TranscriptEntry } from '../src/grading/results.js';
import { quotedSize } from '../src/grading/wire-rows.js';
import { StateAttributor, stateMarks } from '../src/grading/wire-states.js';
import { makeStyle } from '../src/ui/style.js';
import { wireText } from '../src/ui/wire-text.js';
import { arrowLabel, LiveWire, renderWire } from '../src/ui/wire-view.js';
import { freeTcpPort } from '../src/wire/ports.js';
import { parseTcpTable } from '../src/wire/socket-states.js';
import { cli, fixture, portInUse } from './helpers.js';
import { needs, PYTHON, procfs } from './needs.js';

const plain = makeStyle(false);
const at = (ms: number, who: string, kind: TranscriptEntry['kind'], text = ''): TranscriptEntry => ({
  at: ms,
  who,
  kind,
  text,
});
const widest = (s: string) => Math.max(...s.split('\n').map(displayWidth));

test('the kernel table is read for loopback sockets only, IPv4, IPv6 and mapped, with their states', () => {
  const head =
    '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode';
  const v4 = [
    '   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 111 1',
    '   1: 0100007F:1F90 0100007F:C5A2 08 00000000:00000000 00:00000000 00000000  1000        0 112 1',
    '   2: 0100007F:C5A2 0100007F:1F90 05 00000000:00000000 00:00000000 00000000  1000        0 0 1',
    '   3: 0A00020F:0016 0A000202:D3C1 01 00000000:00000000 00:00000000 00000000     0        0 113 1',
  ];
  const rows = [...parseTcpTable([head, ...v4].join('\n')).values()];
  expect(rows).toEqual([
    { localPort: 8080, remotePort: 0, state: 'LISTEN' },
    { localPort: 8080, remotePort: 50594, state: 'CLOSE_WAIT' },
    { localPort: 50594, remotePort: 8080, state: 'FIN_WAIT2' },
  ]);
  const v6 = [
    '   0: 00000000000000000000000001000000:1F91 00000000000000000000000001000000:D000 06 0:0 0:0 0 0 0 0 1',
    '   1: 0000000000000000FFFF00000100007F:1F92 0000000000000000FFFF00000100007F:D001 01 0:0 0:0 0 0 0 1 1',
    '   2: 20010DB8000000000000000000000001:1F93 00000000000000000000000001000000:D002 01 0:0 0:0 0 0 0 2 1',
  ];
  expect([...parseTcpTable([head, ...v6].join('\n')).values()].map((r) => r.state)).toEqual([
    'TIME_WAIT',
    'ESTABLISHED',
  ]);
});

describe('renderWire', () => {
  const echo: TranscriptEntry[] = [
    at(10, 'peer:client-1', 'connect', '127.0.0.1:40000 from port 51000'),
    at(12, 'peer:client-1', 'send', '"PING\\n"'),
    at(13, 'peer:client-1', 'recv', '"PONG\\n"'),
    at(20, 'peer:client-1', 'shutdown'),
    at(21, 'program', 'stdout', 'served one'),
  ];

  test('arrows point the way the bytes went, with the bytes on them, and the failure is marked', () => {
    const out = renderWire(
      [{ transcript: echo, failure: 'your program did not close client-1 within 3 s' }],
      {
        style: plain,
        lang: 'en',
      },
    );
    const lines = out.split('\n');
    expect(lines[0]).toMatch(/^time s your program +client-1$/);
    expect(out).toMatch(/0\.010 │◄─+ connect ─+┤/);
    expect(out).toMatch(/0\.012 │◄─+ "PING\\n" ─+┤/);
    expect(out).toMatch(/0\.013 ├─+ "PONG\\n" ─+►│/);
    expect(out).toMatch(/0\.020 │◄─+ FIN ─+┤/);
    expect(out).toContain('│ stdout: served one');
    expect(out).toContain('✗ the check failed here: your program did not close client-1 within 3 s');
    expect(out).not.toContain('\x1b[');
    expect(widest(out)).toBeLessThanOrEqual(80);
  });

  test('colour only when the style has it', () => {
    const out = renderWire([{ transcript: echo }], { style: makeStyle(true), lang: 'en' });
    expect(out).toContain('\x1b[');
  });

  test('ten concurrent clients fold into one lane that fits 80 columns, each arrow numbered', () => {
    const many: TranscriptEntry[] = [];
    for (let i = 1; i <= 10; i++)
      many.push(at(i, `peer:client-${i}`, 'connect', `127.0.0.1:4000 from port ${5000 + i}`));
    for (let i = 10; i >= 1; i--) many.push(at(20 + i, `peer:client-${i}`, 'send', `"client ${i}\\n"`));
    const out = renderWire([{ transcript: many }], { style: plain, lang: 'en' });
    expect(widest(out)).toBeLessThanOrEqual(80);
    expect(out.split('\n')[0]).toContain('client-*');
    expect(out).toContain('#10 connect');
    expect(out).toMatch(/#7 "client 7\\n"/);
    expect(out).toContain('Lanes folded: client-* (10)');
    // Five peers still get a lane each.
    const six = many.filter((e) => Number(e.who.split('-')[1]) <= 5);
    const lanes = renderWire([{ transcript: six }], { style: plain, lang: 'en' }).split('\n')[0] ?? '';
    expect(lanes).toMatch(/client-1 .*client-5$/);
    expect(lanes).not.toContain('client-*');
  });

  test('datagrams show their sizes; lost ones stop short with ✗; a duplicate is marked; a reset is RST', () => {
    const udp: TranscriptEntry[] = [
      at(5, 'peer:main', 'recv', `${quote('SEQ 1 hello')} (from 127.0.0.1:6000)`),
      at(6, 'peer:main', 'note', 'dropped an outgoing datagram (5 bytes) (to 127.0.0.1:6000)'),
      at(7, 'peer:main', 'send', `${quote('ACK 1')} (to 127.0.0.1:6000)`),
      at(7, 'peer:main', 'send', `${quote('ACK 1')} (to 127.0.0.1:6000)`),
      at(9, 'peer:other', 'error', 'ECONNRESET'),
    ];
    const out = renderWire([{ transcript: udp }], { style: plain, lang: 'en' });
    expect(out).toMatch(/├─+ 11 B "SEQ 1 hello" ─+►│/);
    expect(out).toMatch(/│ +5 B lost +✗─+┤/);
    expect(out).toMatch(/"ACK 1" dup/);
    expect(out).toMatch(/├─+ RST ─+►│/);
    expect(quotedSize('"a\\nb\\x00"')).toBe(4);
    expect(quotedSize('"你"')).toBe(3);
    expect(quotedSize('"aaaa" … (200 bytes in all)')).toBe(200);
  });

  test('zh-CN: Chinese labels and bytes keep the columns and 80 columns', () => {
    const zh = [
      ...echo,
      at(30, 'peer:client-1', 'send', quote('你好，世界！这是一个很长的消息，用来测试宽字符截断')),
    ];
    const out = renderWire([{ transcript: zh, failure: '你的程序没有在 3 秒内关闭连接' }], {
      style: plain,
      lang: 'zh-CN',
    });
    expect(out.split('\n')[0]).toMatch(/^时间 +你的程序/);
    expect(out).toContain('检查在此处失败');
    expect(widest(out)).toBeLessThanOrEqual(80);
    // The lifeline of client-1 stays in the same column on every arrow row (wide characters count two).
    const cols = out
      .split('\n')
      .filter((l) => /^ +0\.0\d\d [│├]/.test(l))
      .map((l) => displayWidth(l.slice(0, Math.max(l.lastIndexOf('┤'), l.lastIndexOf('│')))));
    expect(new Set(cols).size).toBe(1);
  });

  test('states are put on the program lane, tied to their connection; without them the view says why', () => {
    const changes = [
      { at: 1000, localPort: 40000, remotePort: 0, state: 'LISTEN' as const },
      { at: 1011, localPort: 40000, remotePort: 51000, state: 'ESTABLISHED' as const },
      { at: 1011, localPort: 51000, remotePort: 40000, state: 'ESTABLISHED' as const }, // the peer's end
      { at: 1021, localPort: 40000, remotePort: 51000, state: 'CLOSE_WAIT' as const },
      { at: 1021, localPort: 40001, remotePort: 52000, state: 'ESTABLISHED' as const }, // someone else's
    ];
    const marks = stateMarks(echo, changes, 1000);
    expect(marks.map((m) => `${m.state}:${m.peer ?? '-'}`)).toEqual([
      'LISTEN:-',
      'ESTABLISHED:client-1',
      'CLOSE_WAIT:client-1',
    ]);
    const out = renderWire([{ transcript: echo }], { style: plain, lang: 'en', states: { marks } });
    expect(out).toMatch(/0\.000 │ LISTEN :40000/);
    expect(out).toMatch(/0\.021 │ CLOSE_WAIT ┄+│/);
    expect(out.replace(/\n/g, ' ')).toContain('CLOSE_WAIT = the peer closed and your program has not yet');
    const off = renderWire([{ transcript: echo }], {
      style: plain,
      lang: 'en',
      states: { off: 'not-linux' },
    });
    expect(off.replace(/\n/g, ' ')).toContain(
      'Socket states are not shown: the kernel tables they come from exist only on Linux',
    );
  });

  test('live: a change seen before the line that explains it waits for it; lanes are added as peers appear', () => {
    const a = new StateAttributor(0);
    expect(a.add({ at: 5, localPort: 40000, remotePort: 51000, state: 'ESTABLISHED' }, 5)).toEqual([]);
    const explained = a.learn(echo[0] as TranscriptEntry);
    expect(explained).toEqual([{ at: 5, peer: 'client-1', port: 40000, state: 'ESTABLISHED' }]);
    const live = new LiveWire(plain, 'en');
    expect(live.start()).toMatch(/^time s your program\n$/);
    const first = live.event(echo[0] as TranscriptEntry);
    expect(first.split('\n')[0]).toMatch(/client-1$/);
    expect(first).toContain('connect');
    expect(live.event(echo[1] as TranscriptEntry)).not.toContain('client-1');
    for (let i = 2; i <= 9; i++) live.event(at(i, `peer:client-${i}`, 'connect', `x:1 from port ${i}`));
    const late = live.event(at(50, 'peer:client-9', 'send', '"hi"'));
    expect(late).toContain('client-9: "hi"');
    expect(widest(late)).toBeLessThanOrEqual(80);
  });
});

describe('the bytes that matter', () => {
  const long = 'GET /index.html HTTP/1.1 with a body long enough not to fit in any lane of the diagram\n';

  test('a long payload shows its start and its end, the middle shortened', () => {
    const label = arrowLabel(
      '',
      { label: quote(long), data: { quoted: quote(long), bytes: long.length, udp: false } },
      30,
    );
    expect(displayWidth(label.text)).toBeLessThanOrEqual(30);
    expect(label.text).toMatch(/^"GET \/index/);
    expect(label.text).toMatch(/diagram\\n"$/);
    expect(label.text).toContain('…');
  });

  test('the first wrong byte is never cut: in view with what surrounds it, and pointed at on the next line', () => {
    const sent = `${long.slice(0, 40)}X${long.slice(41)}`;
    const transcript: TranscriptEntry[] = [
      at(1, 'peer:server', 'accept', 'from port 50000'),
      at(2, 'peer:server', 'recv', quote('HELLO\n')),
      { ...at(3, 'peer:server', 'recv', quote(sent)), bytes: sent.length },
    ];
    const label = arrowLabel(
      '',
      { label: quote(sent), data: { quoted: quote(sent), bytes: sent.length, udp: false }, wrong: 40 },
      24,
    );
    expect(label.mark?.text).toBe('X');
    expect(label.text.slice(label.mark?.from, (label.mark?.from ?? 0) + 1)).toBe('X');
    for (const cols of [60, 80]) {
      const out = renderWire(
        [
          {
            transcript,
            failure: 'your program sent different bytes',
            wrongAt: { peer: 'server', offset: 46 },
          },
        ],
        { style: plain, lang: 'en', width: cols },
      );
      expect(widest(out)).toBeLessThanOrEqual(cols);
      const lines = out.split('\n');
      const arrow = lines.findIndex((l) => l.includes('X'));
      expect(arrow, out).toBeGreaterThan(0);
      // The caret stands under the X, with words saying what it points at (seen without colour too).
      const caret = lines[arrow + 1] ?? '';
      expect(caret).toContain('^ the first wrong byte');
      expect(displayWidth(caret.slice(0, caret.indexOf('^')))).toBe(
        displayWidth((lines[arrow] ?? '').slice(0, (lines[arrow] ?? '').indexOf('X'))),
      );
      expect(lines[arrow]).toMatch(/"GET/); // and the start is there too
    }
    // The offset counts from the connection's first byte: HELLO\n is not the arrow it falls in.
    const first = renderWire([{ transcript, wrongAt: { peer: 'server', offset: 2 } }], {
      style: plain,
      lang: 'en',
    });
    expect(first.split('\n').findIndex((l) => l.includes('^'))).toBe(
      first.split('\n').findIndex((l) => l.includes('HELLO')) + 1,
    );
  });

  test('in colour the wrong byte is painted too; in the compact view its arrow is drawn however far back', () => {
    const transcript: TranscriptEntry[] = [at(1, 'peer:server', 'accept', 'from port 50000')];
    transcript.push({ ...at(2, 'peer:server', 'recv', quote('abcX')), bytes: 4 });
    for (let i = 0; i < 30; i++) transcript.push(at(10 + i, 'peer:server', 'send', quote(`line ${i}\n`)));
    const out = renderWire([{ transcript, failure: 'wrong', wrongAt: { peer: 'server', offset: 3 } }], {
      style: makeStyle(true),
      lang: 'en',
      compact: { rows: 5, command: 'x' },
    });
    expect(out).toContain('\x1b[7mX');
    const plainOut = out.replace(/\x1b\[[0-9;]*m/g, '');
    expect(plainOut).toContain('"abcX"');
    // The rows between it and the last steps are summed up in one line, not all drawn.
    expect(plainOut.split('\n').length).toBeLessThan(14);
    expect(plainOut).toContain('line 29');
  });

  test('the command that shows every step is never cut: on a line of its own when it does not fit', () => {
    const transcript: TranscriptEntry[] = [at(1, 'peer:server', 'accept', 'from port 50000')];
    for (let i = 0; i < 30; i++) transcript.push(at(10 + i, 'peer:server', 'send', quote(`line ${i}\n`)));
    const command = 'socketlings verify nodelay --seed 149898633 --file 18-socket-options/nodelay.py --wire';
    for (const lang of ['en', 'zh-CN'] as const)
      for (const width of [60, 80, 200]) {
        const out = renderWire([{ transcript, failure: 'wrong' }], {
          style: plain,
          lang,
          width,
          compact: { rows: 5, command },
        });
        expect(
          out.split('\n').some((l) => l.includes(command)),
          out,
        ).toBe(true);
        expect(out).toMatch(lang === 'en' ? /… \d+ earlier steps/ : /之前还有 \d+ 步/);
      }
  });

  test('a state is drawn after the event that caused it, even when the kernel was seen first', () => {
    const transcript: TranscriptEntry[] = [
      at(10, 'peer:client', 'accept', 'from port 51000'),
      { ...at(20, 'peer:client', 'recv', quote('hi\n')), bytes: 3 },
      at(30, 'peer:client', 'eof'),
    ];
    const marks = [
      { at: 25, peer: 'client', port: 51000, state: 'FIN_WAIT2' as const },
      { at: 40, peer: 'client', port: 51000, state: 'TIME_WAIT' as const },
    ];
    const out = renderWire([{ transcript }], { style: plain, lang: 'en', states: { marks } });
    const lines = out.split('\n');
    const fin = lines.findIndex((l) => /FIN ─+►│/.test(l));
    const wait = lines.findIndex((l) => l.includes('FIN_WAIT2'));
    expect(fin).toBeGreaterThan(0);
    expect(wait).toBeGreaterThan(fin);
    // Its time is not earlier than the row above it.
    expect(lines[wait]).toMatch(/^ 0\.030 /);
    // Live, the same: the state waits for its FIN, and a state whose cause never comes is drawn after a moment.
    const live = new LiveWire(plain, 'en');
    live.event(transcript[0] as TranscriptEntry);
    live.event(transcript[1] as TranscriptEntry);
    expect(live.state(marks[0] as (typeof marks)[0])).toBe('');
    const after = live.event(transcript[2] as TranscriptEntry);
    expect(after.indexOf('FIN_WAIT2')).toBeGreaterThan(after.indexOf('FIN '));
    expect(live.state({ at: 50, peer: 'client', port: 51000, state: 'CLOSE_WAIT' })).toBe('');
    expect(live.flush(0)).toContain('CLOSE_WAIT');
  });

  test('the legend says what closed, RST, EPIPE and the states mean, for the ones drawn and no others', () => {
    const transcript: TranscriptEntry[] = [
      at(10, 'peer:a', 'connect', '127.0.0.1:4000 from port 5000'),
      at(12, 'peer:a', 'error', 'ECONNRESET'),
      at(13, 'peer:b', 'connect', '127.0.0.1:4000 from port 5001'),
      at(14, 'peer:b', 'error', 'EPIPE'),
    ];
    const marks = [{ at: 15, peer: 'a', port: 4000, state: 'gone' as const }];
    for (const lang of ['en', 'zh-CN'] as const) {
      const out = renderWire([{ transcript }], { style: plain, lang, states: { marks } }).replace(/\n/g, ' ');
      expect(out).toMatch(lang === 'en' ? /closed = your program has closed the socket/ : /已关闭 = /);
      expect(out).toContain('RST = ');
      expect(out).toContain('EPIPE = ');
      expect(out).not.toContain('CLOSE_WAIT =');
    }
    const quiet = renderWire([{ transcript: transcript.slice(0, 1) }], { style: plain, lang: 'en' });
    expect(quiet).not.toContain('Read the diagram');
  });

  test('notes under the diagram wrap between words, in Chinese between characters', () => {
    const out = renderWire([{ transcript: [at(1, 'peer:a', 'error', 'EPIPE')] }], {
      style: plain,
      lang: 'en',
      width: 40,
      states: { off: 'no-proc' },
    });
    const words = out.split('\n').filter((l) => l.trim() && !/[│├┤]/.test(l) && !l.startsWith('time'));
    expect(words.length).toBeGreaterThan(1);
    expect(words.every((l) => displayWidth(l) <= 40)).toBe(true);
    // No line starts or ends inside a word: every line's words are whole words of the notes.
    const vocabulary = new Set(
      [
        wireText('en').statesOff(wireText('en').statesNoProc),
        wireText('en').legendLead,
        ...Object.values(wireText('en').legend),
      ]
        .join(' ')
        .split(/\s+/),
    );
    for (const l of words) for (const w of l.trim().split(/\s+/)) expect(vocabulary.has(w), w).toBe(true);
  });
});

describe('verify draws the wire with the kernel states of the program', needs(procfs()), () => {
  test('a server that ignores the half-close: compact diagram on failure with CLOSE_WAIT on its lane', async () => {
    const r = await cli([
      'verify',
      'echo-server',
      '--file',
      fixture('programs', 'echo-server', 'ignores_half_close.py'),
      '--seed',
      '3',
    ]);
    expect(r.code).toBe(1);
    const wire = r.stdout.slice(r.stdout.indexOf('on the wire'));
    expect(wire).toMatch(/│◄─+ FIN ─+┤/);
    expect(wire).toMatch(/│ CLOSE_WAIT ┄+│/);
    expect(wire).toContain('✗ the check failed here: your program did not close its connection');
    expect(wire).toMatch(
      /… \d+ earlier steps; to see all of them:\n {2}socketlings verify echo-server --file \S+ --seed 3/,
    );
    // Every line fits, but for the command to copy, which is never cut.
    expect(widest(wire.replace(/^ {2}socketlings verify .*$/m, ''))).toBeLessThanOrEqual(80);
    // The kernel state the learner must fix comes before the failure mark.
    expect(wire.indexOf('CLOSE_WAIT')).toBeLessThan(wire.indexOf('✗ the check failed here'));
  });

  test('a client that sends one newline too many: the hint speaks of it, not of close(); the wire shows it', async () => {
    for (const lang of ['en', 'zh-CN']) {
      const file = fixture('exercises', 'tcp-client', 'fail_extra_newline.py');
      const r = await cli(['verify', 'tcp-client', '--file', file, '--seed', '5', '--lang', lang]);
      expect(r.code).toBe(1);
      const result = r.stdout.slice(0, r.stdout.indexOf(lang === 'en' ? 'on the wire' : '线路上发生了什么'));
      expect(result).toMatch(lang === 'en' ? /hint: .*line ending/ : /提示：.*换行/);
      expect(result).not.toContain('close()');
      const wire = r.stdout.slice(result.length);
      const lines = wire.split('\n');
      const arrow = lines.findIndex((l) => /├─+ ".*\\n" ─+►│/.test(l));
      expect(arrow, wire).toBeGreaterThan(0);
      expect(lines[arrow + 1]).toMatch(lang === 'en' ? /\^\^ the first wrong byte/ : /\^\^ 第一个错误的字节/);
      // Under the \n, not anywhere.
      expect(lines[arrow + 1]?.indexOf('^')).toBe(lines[arrow]?.lastIndexOf('\\n'));
      // FIN_WAIT comes after the program's FIN, never before it.
      const fin = lines.findIndex((l) => /├─+ FIN ─+►│/.test(l));
      const waits = lines.flatMap((l, i) => (/FIN_WAIT|TIME_WAIT/.test(l) ? [i] : []));
      for (const w of waits) expect(w).toBeGreaterThan(fin);
    }
  });

  test('--wire draws a passing run whole, with LISTEN; --no-wire draws nothing', async () => {
    const file = fixture('programs', 'echo-server', 'passes.py');
    const r = await cli(['verify', 'echo-server', '--file', file, '--seed', '3', '--wire']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/── listens on the given port ✓/);
    expect(r.stdout).toMatch(/│ LISTEN :\d+/);
    const none = await cli([
      'verify',
      'echo-server',
      '--file',
      fixture('programs', 'echo-server', 'ignores_half_close.py'),
      '--no-wire',
    ]);
    expect(none.code).toBe(1);
    expect(none.stdout).not.toContain('on the wire');
  });

  test.each(['en', 'zh-CN'])(
    'peer at $COLUMNS when piped (%s): the live diagram and the verdict fit it, words whole',
    async (lang) => {
      // A port nobody holds (a random one may be taken, and the program then never listens).
      const port = await freeTcpPort('ipv4');
      const program = spawn(PYTHON, [fixture('programs', 'echo-server', 'ignores_half_close.py')], {
        env: { ...process.env, SOCKETLINGS_PORT: String(port) },
        stdio: 'ignore',
      });
      try {
        const t = Date.now();
        while (!portInUse(port) && Date.now() - t < 5000) await new Promise((r) => setTimeout(r, 20));
        const r = await cli(
          ['peer', 'echo-server', '--port', String(port), '--seed', '3', '--wire', '--lang', lang],
          {
            timeoutMs: 30_000,
            env: { COLUMNS: '60' },
          },
        );
        expect(r.code).toBe(1);
        expect(r.stdout.split('\n').filter((l) => displayWidth(l) > 60)).toEqual([]);
        // Wrapped between words (and between Chinese characters): the message reads whole without the breaks.
        const message =
          lang === 'en'
            ? "your program did not close its connection to the grader's first client within 3 s"
            : '你的程序没有在 3 秒内关闭与评分器的第 1 个客户端的连接';
        if (lang === 'en') expect(r.stdout.replace(/\s*\n\s*/g, ' ')).toContain(message);
        else expect(r.stdout.replace(/\s+/g, '')).toContain(message.replace(/\s+/g, ''));
      } finally {
        program.kill('SIGKILL');
      }
    },
  );

  test('peer --wire draws live what a program run by hand does, with its socket states', async () => {
    // A port nobody holds (a random one may be taken, and the program then never listens).
    const port = await freeTcpPort('ipv4');
    const program = spawn(PYTHON, [fixture('programs', 'echo-server', 'ignores_half_close.py')], {
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
      const lines = r.stdout.split('\n');
      expect(r.stdout).toMatch(new RegExp(`│ LISTEN :${port}`));
      expect(r.stdout).toMatch(/│◄─+ connect ─+┤/);
      expect(r.stdout).toMatch(/│◄─+ FIN ─+┤/);
      expect(r.stdout).toMatch(/│ CLOSE_WAIT ┄+│/);
      // Live rows come before the verdict, and the lane was announced before its first arrow.
      const firstArrow = lines.findIndex((l) => /│◄─+ connect/.test(l));
      expect(lines.slice(0, firstArrow).some((l) => /your program +client-1$/.test(l))).toBe(true);
      const live = r.stdout.slice(r.stdout.indexOf('\n') + 1, r.stdout.indexOf('checks passed'));
      expect(live).toContain('CLOSE_WAIT');
      expect(widest(live.slice(0, live.lastIndexOf('time s')))).toBeLessThanOrEqual(80);
    } finally {
      program.kill('SIGKILL');
    }
  });
});
