// A machine without IPv6, AF_UNIX or loopback broadcasts (macOS) cannot be made here, so the capability probe is
// replaced: the exercise must then be skipped with the reason, never failed, and nothing may be started.
import { expect, test, vi } from 'vitest';

vi.mock('../src/wire/caps.js', () => ({
  LOOPBACK_BROADCAST: '127.255.255.255',
  hasCapability: async (cap: string) =>
    cap === 'ipv6'
      ? { ok: false, reason: 'this machine has no IPv6 loopback (::1): EADDRNOTAVAIL' }
      : cap === 'broadcast'
        ? {
            ok: false,
            reason: "this machine's loopback does not deliver broadcasts to 127.255.255.255: EADDRNOTAVAIL",
          }
        : { ok: true },
}));

const { runScenario } = await import('../src/grading/engine.js');

test('an IPv6 exercise on a machine without ::1 is skipped with the reason', async () => {
  const r = await runScenario({
    exercise: 'v6',
    grader: {
      format: 1,
      role: 'server',
      endpoints: { main: { transport: 'tcp', family: 'ipv6', owner: 'program' } },
      vars: {},
      env: {},
      args: [],
      files: [],
      checks: [{ id: 'listens', title: 'listens', steps: [{ do: 'start', ready: 'main', within: 5 }] }],
    },
    program: { argv: ['/nonexistent/never-started'], shown: 'x', cwd: '/' },
    seed: 1,
    lang: 'en',
  });
  expect(r.status).toBe('skip');
  expect(r.checks[0]?.status).toBe('skip');
  expect(r.checks[0]?.message).toBe('skipped: this machine has no IPv6 loopback (::1): EADDRNOTAVAIL');
});

test('the built-in discover exercise is skipped where the loopback delivers no broadcasts', async () => {
  const { loadYamlFile } = await import('../src/grading/schema/load.js');
  const { Grader } = await import('../src/grading/schema/grader.js');
  const loaded = loadYamlFile(new URL('../graders/discover.yaml', import.meta.url).pathname, Grader);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  const r = await runScenario({
    exercise: 'discover',
    grader: loaded.value,
    program: { argv: ['/nonexistent/never-started'], shown: 'x', cwd: '/' },
    seed: 1,
    lang: 'en',
  });
  expect(r.status).toBe('skip');
  expect(r.checks.every((c) => c.status === 'skip')).toBe(true);
  expect(r.checks[0]?.message).toContain('does not deliver broadcasts');
});

test.each(['either-family', 'dual-stack'])(
  'the built-in %s exercise (one family only, both families) is skipped without ::1',
  async (id) => {
    const { loadYamlFile } = await import('../src/grading/schema/load.js');
    const { Grader } = await import('../src/grading/schema/grader.js');
    const loaded = loadYamlFile(new URL(`../graders/${id}.yaml`, import.meta.url).pathname, Grader);
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
    const r = await runScenario({
      exercise: id,
      grader: loaded.value,
      program: { argv: ['/nonexistent/never-started'], shown: 'x', cwd: '/' },
      seed: 1,
      lang: 'en',
    });
    expect(r.status).toBe('skip');
    expect(r.checks.every((c) => c.status === 'skip')).toBe(true);
    expect(r.checks[0]?.message).toContain('no IPv6 loopback');
  },
);
