// Readiness of a program that is not run through the Python launcher (`--run`), where /proc cannot be read: ask
// the OS's own tools which sockets exist. macOS: `lsof` for the program's process group. Windows: `netstat -ano`
// (every process: a port the grader picked as free and now in use is taken to be the program's). Elsewhere, or
// when the tool is missing, the caller falls back to probing (see steps' waitReady and the README).
import { spawn } from 'node:child_process';
import type { Listener } from './listening.js';
import type { Platform } from './platform.js';

/** Run a tool and give its output, or undefined if it cannot be run. */
function output(cmd: string, args: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    let out = '';
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'ignore'], windowsHide: true });
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString('utf8');
    });
    child.on('error', () => resolve(undefined));
    // lsof exits 1 when nothing matched, which is an answer too.
    child.on('close', (code) => resolve(code === 0 || code === 1 ? out : undefined));
  });
}

function hostPort(addr: string): { host: string; port: string } | undefined {
  const m = /^\[?([^\]]*?)\]?:(\d+|\*)$/.exec(addr);
  if (!m?.[1] || !m[2] || m[2] === '*') return undefined;
  return { host: m[1] === '*' ? '0.0.0.0' : m[1], port: m[2] };
}

/** `lsof -F pftPnT` output: listening TCP and bound (unconnected) UDP sockets. */
export function parseLsof(text: string): Listener[] {
  const out: Listener[] = [];
  let proto = '';
  let type = '';
  let name = '';
  let state = '';
  const flush = () => {
    const hp = name && !name.includes('->') ? hostPort(name) : undefined;
    if (hp && ((proto === 'TCP' && state === 'LISTEN') || proto === 'UDP')) {
      // lsof writes a wildcard address as "*".
      const host = hp.host === '0.0.0.0' && type === 'IPv6' ? '::' : hp.host;
      out.push({ transport: proto === 'TCP' ? 'tcp' : 'udp', host, where: hp.port, inode: '' });
    }
    proto = '';
    type = '';
    name = '';
    state = '';
  };
  for (const line of text.split(/\r?\n/)) {
    const tag = line[0];
    const value = line.slice(1);
    if (tag === 'f' || tag === 'p') flush();
    else if (tag === 't') type = value;
    else if (tag === 'P') proto = value;
    else if (tag === 'n') name = value;
    else if (tag === 'T' && value.startsWith('ST=')) state = value.slice(3);
  }
  flush();
  return out;
}

/** `netstat -ano` output (Windows): listening TCP and bound UDP sockets. */
export function parseNetstat(text: string): Listener[] {
  const out: Listener[] = [];
  for (const line of text.split(/\r?\n/)) {
    const f = line.trim().split(/\s+/);
    const proto = f[0]?.toUpperCase();
    const hp = hostPort(f[1] ?? '');
    if (!hp) continue;
    if (proto === 'TCP' && f[3] === 'LISTENING') out.push({ transport: 'tcp', ...at(hp) });
    else if (proto === 'UDP') out.push({ transport: 'udp', ...at(hp) });
  }
  return out;
}

function at(hp: { host: string; port: string }) {
  return { host: hp.host, where: hp.port, inode: '' };
}

/** The sockets the OS's tool shows for this program, or undefined when no tool can be asked here. */
export async function toolListeners(group: number, platform: Platform = process.platform) {
  if (platform === 'darwin') {
    const text = await output('lsof', ['-nP', '-a', '-g', String(group), '-i', '-F', 'pftPnT']);
    return text === undefined ? undefined : parseLsof(text);
  }
  if (platform === 'win32') {
    const text = await output('netstat', ['-ano']);
    return text === undefined ? undefined : parseNetstat(text);
  }
  return undefined;
}
