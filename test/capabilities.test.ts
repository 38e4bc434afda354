// Machines without a capability, made for real in a network namespace of their own (`unshare -rn`): a loopback
// with IPv6 turned off, as on a host booted with ipv6.disable=1 or a container without it; a loopback holding only
// 127.0.0.1/32, which has no broadcast address to deliver to (as macOS's lo0 has none). An exercise that needs what
// is missing must then be skipped with the reason the probe found, never failed, and its program never started.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { CLI } from './helpers.js';
import { needs, netns } from './needs.js';

const dir = mkdtempSync(join(tmpdir(), 'sl-caps-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const NO_IPV6 = 'ip link set lo up && echo 1 > /proc/sys/net/ipv6/conf/lo/disable_ipv6 && exec "$@"';
const NO_BROADCAST =
  'ip link set lo up && ip addr del 127.0.0.1/8 dev lo && ip addr add 127.0.0.1/32 dev lo && exec "$@"';

/** Run a command in a fresh network namespace whose loopback is set up by `setup` first. */
function inNamespace(setup: string, argv: string[]) {
  return spawnSync('unshare', ['-rn', 'sh', '-c', setup, 'sh', ...argv], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, NO_COLOR: '1', SOCKETLINGS_LANG: 'en' },
  });
}

/** Run a command in a fresh network namespace whose only loopback is 127.0.0.1. */
const withoutIpv6 = (argv: string[]) => inNamespace(NO_IPV6, argv);

/** A program that leaves a mark the moment it starts, so "never started" can be seen. */
function marking(name: string): { file: string; mark: string } {
  const mark = join(dir, `${name}.started`);
  const file = join(dir, `${name}.py`);
  writeFileSync(file, `open(${JSON.stringify(mark)}, "w").close()\n`);
  return { file, mark };
}

describe('on a machine without ::1', needs(netns()), () => {
  test('the machine is what it claims: 127.0.0.1 listens, ::1 cannot be bound', () => {
    const probe = (host: string) =>
      `require('net').createServer().once('error', (e) => { console.log(e.code); process.exit(0) }).listen(0, '${host}', () => { console.log('listening'); process.exit(0) })`;
    expect(withoutIpv6([process.execPath, '-e', probe('127.0.0.1')]).stdout.trim()).toBe('listening');
    expect(withoutIpv6([process.execPath, '-e', probe('::1')]).stdout.trim()).toBe('EADDRNOTAVAIL');
  });

  test.each(['ipv6-server', 'either-family', 'dual-stack'])(
    '%s is skipped with the reason, exit 0, and its program never starts',
    (id) => {
      const { file, mark } = marking(id);
      const r = withoutIpv6([process.execPath, CLI, 'verify', id, '--json', '--seed', '1', '--file', file]);
      expect(r.status, r.stderr).toBe(0);
      const result = JSON.parse(r.stdout);
      expect(result.status).toBe('skip');
      expect(result.checks.length).toBeGreaterThan(0);
      for (const c of result.checks) {
        expect(c.status).toBe('skip');
        expect(c.message).toBe('skipped: this machine has no IPv6 loopback (::1): EADDRNOTAVAIL');
      }
      expect(existsSync(mark)).toBe(false);
    },
  );

  test('an IPv4 exercise there is graded as usual: its program starts and fails', () => {
    const { file, mark } = marking('tcp-server');
    const r = withoutIpv6([process.execPath, CLI, 'verify', 'tcp-server', '--json', '--file', file]);
    expect(r.status, r.stderr).toBe(1);
    expect(JSON.parse(r.stdout).status).toBe('fail');
    expect(existsSync(mark)).toBe(true);
  });
});

describe('on a machine whose loopback delivers no broadcasts', needs(netns()), () => {
  const run = (argv: string[]) => inNamespace(NO_BROADCAST, argv);

  test('the machine is what it claims: 127.0.0.1 listens, the broadcast address cannot be bound', () => {
    const probe = (host: string) =>
      `require('dgram').createSocket('udp4').once('error', (e) => { console.log(e.code); process.exit(0) }).bind(0, '${host}', () => { console.log('bound'); process.exit(0) })`;
    expect(run([process.execPath, '-e', probe('127.0.0.1')]).stdout.trim()).toBe('bound');
    expect(run([process.execPath, '-e', probe('127.255.255.255')]).stdout.trim()).toBe('EADDRNOTAVAIL');
  });

  test('discover is skipped with the reason, exit 0, and its program never starts', () => {
    const { file, mark } = marking('discover');
    const r = run([process.execPath, CLI, 'verify', 'discover', '--json', '--seed', '1', '--file', file]);
    expect(r.status, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.status).toBe('skip');
    for (const c of result.checks) {
      expect(c.status).toBe('skip');
      expect(c.message).toMatch(
        /^skipped: this machine's loopback does not deliver broadcasts to 127\.255\.255\.255/,
      );
    }
    expect(existsSync(mark)).toBe(false);
  });
});
