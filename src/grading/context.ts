// The state of one grading run: endpoints, peer sockets, the program, seeded values, and the transcript.
import { constants } from 'node:os';
import type { Deadline, Log, WireEvent } from '../wire/events.js';
import type { Program } from '../wire/program.js';
import { watchStalls } from '../wire/stalls.js';
import type { StreamConn } from '../wire/stream.js';
import type { PeerListener } from '../wire/stream-open.js';
import type { PeerUdp } from '../wire/udp.js';
import { GraderError } from './errors.js';
import { Fairness } from './fairness.js';
import { encodeChunked } from './http.js';
import { type Messages, messages } from './messages.js';
import { packFrame, packStruct, wholeNumber } from './pack.js';
import { quote } from './quote.js';
import type { TranscriptEntry } from './results.js';
import { safeText } from './safe-text.js';
import type { Lang } from './schema/course.js';
import type { Data, DataPart, Endpoint, Grader } from './schema/grader.js';

// Thrown by steps, and by pack.ts, which this module needs: kept in errors.ts so the two need not import each other.
export { type Failure, GraderError, Retry, StepFail } from './errors.js';

export interface EndpointState {
  name: string;
  def: Endpoint;
  host: string;
  port?: number;
  path?: string;
  listener?: PeerListener;
  udp?: PeerUdp;
  /** A peer endpoint left out of its `open_if` var this run: nobody listens there. */
  closed?: boolean;
}

/** Within a group member: its number and the connection name that `conn: <as>` stands for. */
export interface Local {
  i?: number;
  as?: string;
  /** Inside an `exchange`: this round's seeded token, {{token}}. */
  token?: string;
}

/**
 * Transcript lines a check keeps: its first TRANSCRIPT_HEAD and its last TRANSCRIPT_TAIL, the others counted in one
 * line between them. A program that floods (a line per byte, a datagram per microsecond) makes a transcript no
 * reader would page through, and a report that grows with it; what shows a failure is at its start and its end.
 */
export const TRANSCRIPT_HEAD = 400;
export const TRANSCRIPT_TAIL = 100;

export class RunContext {
  readonly t0 = Date.now();
  readonly events: TranscriptEntry[] = [];
  readonly msg: Messages;
  readonly endpoints = new Map<string, EndpointState>();
  readonly conns = new Map<string, StreamConn>();
  readonly udps = new Map<string, PeerUdp>();
  readonly marks = new Map<string, number>();
  /** What a busy machine is forgiven, and what it took (fairness.ts). */
  readonly fair = new Fairness(
    () => this.program,
    (s) => this.ms(s),
  );
  vars: Record<string, string | Buffer> = {};
  program: Program | undefined;
  stdoutCursor = 0;
  /** For each stdout line, what the program's drained UDP endpoints held unread when it arrived (by endpoint). */
  readonly unreadAtLine = new WeakMap<object, Map<string, { bytes: number; where: string }>>();
  /** A `signal` step has signalled the program: from then on, its ending is expected. */
  signalled = false;
  /** The program runs on Python (hints may name Python's errors); false for a --run command in another language. */
  python = true;
  /** The grader has reset a connection on purpose (a `reset` step): a reset the program meets is no accident. */
  graderReset = false;
  /** The grader's TLS client refused the program's handshake and dropped the connection. */
  tlsRefused = false;

  constructor(
    readonly grader: Grader,
    readonly seed: number,
    readonly lang: Lang,
    readonly timeScale: number,
    private readonly onEvent?: (e: TranscriptEntry) => void,
  ) {
    this.msg = messages(lang);
    // Timing judgements need to know how busy our own event loop was while they measured.
    watchStalls();
  }

  /** Budgets from the grader file, scaled for slow machines. */
  ms(seconds: number): number {
    return Math.round(seconds * 1000 * this.timeScale);
  }

  /** A budget as a deadline that forgives what a busy machine took meanwhile (fairness.ts, rule 1). */
  deadline(seconds: number, start?: number): Deadline {
    return this.fair.deadline(seconds, start);
  }

  /** Where the current check's transcript begins in `events`, and what of it is not kept there (see TRANSCRIPT_HEAD). */
  private checkFrom = 0;
  private tail: TranscriptEntry[] = [];
  private folded = { lines: 0, bytes: 0 };

  /** A check begins: its transcript is what is logged from now on. */
  beginCheck(): void {
    this.checkFrom = this.events.length;
    this.tail = [];
    this.folded = { lines: 0, bytes: 0 };
  }

  /** The current check's transcript, its left-out lines counted in one line before its last ones. */
  endCheck(): TranscriptEntry[] {
    if (this.tail.length) {
      const last = this.tail[0] as TranscriptEntry;
      const late: TranscriptEntry[] = [];
      if (this.folded.lines)
        late.push({
          at: last.at,
          who: 'grader',
          kind: 'note',
          text: this.msg.transcriptFolded(
            this.folded.lines,
            this.folded.bytes,
            TRANSCRIPT_HEAD,
            TRANSCRIPT_TAIL,
          ),
        });
      late.push(...this.tail);
      for (const entry of late) {
        this.events.push(entry);
        this.onEvent?.(entry);
      }
    }
    const transcript = this.events.slice(this.checkFrom);
    this.beginCheck();
    return transcript;
  }

  readonly log: Log = (e: WireEvent) => {
    // Bytes are quoted; every other text (the program's output lines above all) is made safe to show here, once,
    // so the transcript of every result (saved, sent by a worker, shown live) holds no raw control character.
    const text = e.data !== undefined ? quote(e.data) : safeText(e.text ?? '');
    const entry: TranscriptEntry = {
      at: Date.now() - this.t0,
      who: e.who,
      kind: e.kind,
      text: e.addr ? `${text} (${e.kind === 'send' ? 'to' : 'from'} ${e.addr})` : text,
      ...(e.data !== undefined ? { bytes: e.data.length } : {}),
    };
    if (this.events.length - this.checkFrom < TRANSCRIPT_HEAD) {
      this.events.push(entry);
      this.onEvent?.(entry);
      return;
    }
    // Past the head: the last ones wait in the tail (shown when the check ends), the older ones are counted.
    this.tail.push(entry);
    if (this.tail.length > TRANSCRIPT_TAIL) {
      const out = this.tail.shift() as TranscriptEntry;
      this.folded.lines++;
      this.folded.bytes += out.bytes ?? 0;
    }
  };

  note(text: string): void {
    this.log({ who: 'grader', kind: 'note', text });
  }

  /** Expand {{...}} placeholders. An unknown one is a grader bug, reported as such. */
  template(s: string, local: Local = {}): string {
    return s.replace(/\{\{\s*([a-zA-Z0-9_.-]+)\s*\}\}/g, (_, key: string) => this.lookup(key, local));
  }

  private lookup(key: string, local: Local): string {
    if (key === 'i' && local.i !== undefined) return String(local.i);
    if (key === 'token' && local.token !== undefined) return local.token;
    const [head = '', field] = key.split('.', 2);
    if (head === 'errno' && field) {
      const n = (constants.errno as Record<string, number>)[field];
      if (n !== undefined) return String(n);
    }
    if (head in this.vars) {
      const v = this.vars[head];
      if (field === 'length') return String(typeof v === 'string' ? Buffer.byteLength(v) : (v?.length ?? 0));
      if (field === undefined) return typeof v === 'string' ? v : (v?.toString('latin1') ?? '');
    }
    const ep = this.endpoints.get(head);
    if (ep) {
      if (field === 'host') return ep.host;
      // The loopback address a tcp/udp endpoint really uses (for one_family: the family the seed chose).
      if (field === 'address' && ep.path === undefined) return ep.def.family === 'ipv6' ? '::1' : '127.0.0.1';
      if (field === 'port' && ep.port !== undefined) return String(ep.port);
      if (field === 'path' && ep.path !== undefined) return ep.path;
      if (field === 'connect_ex')
        return ep.closed || ep.def.owner === 'closed' ? String(constants.errno.ECONNREFUSED) : '0';
    }
    const conn = this.conns.get(local.as && head === local.as ? `${head}-${local.i}` : head);
    if (conn) {
      if (field === 'local_port') return String(conn.localPort);
      if (field === 'remote_port') return String(conn.remotePort);
    }
    throw new GraderError(`unknown placeholder {{${key}}}`);
  }

  /** A time given as seconds or as a template that gives seconds. */
  seconds(v: number | string, local: Local = {}): number {
    if (typeof v === 'number') return v;
    const n = Number(this.template(v, local));
    if (!Number.isFinite(n) || n < 0) throw new GraderError(`"${v}" does not give a number of seconds`);
    return n;
  }

  data(d: Data, local: Local = {}): Buffer {
    if (typeof d === 'object' && 'parts' in d) return Buffer.concat(d.parts.map((p) => this.part(p, local)));
    if (typeof d === 'string') return Buffer.from(this.template(d, local), 'utf8');
    if ('hex' in d) return Buffer.from(d.hex, 'hex');
    const v = this.vars[d.var];
    if (v === undefined) throw new GraderError(`unknown var "${d.var}"`);
    return typeof v === 'string' ? Buffer.from(v, 'utf8') : v;
  }

  private part(p: DataPart, local: Local): Buffer {
    if (typeof p === 'object' && 'struct' in p)
      return packStruct(
        p.struct,
        p.values.map((v) => wholeNumber(typeof v === 'number' ? v : this.template(v, local))),
      );
    if (typeof p === 'object' && 'repeat' in p) {
      const once = Array.isArray(p.repeat)
        ? Buffer.concat(p.repeat.map((q) => this.part(q, local)))
        : this.data(p.repeat, local);
      return Buffer.alloc(once.length * p.times, once);
    }
    if (typeof p === 'object' && 'chunked' in p) {
      const payload = Array.isArray(p.chunked)
        ? Buffer.concat(p.chunked.map((q) => this.part(q, local)))
        : this.data(p.chunked, local);
      return encodeChunked(
        payload,
        p.sizes,
        p.extension,
        p.trailer.map((t) => this.template(t, local)),
      );
    }
    if (typeof p === 'object' && 'frame' in p) {
      const a = p.announce;
      const announce =
        a === undefined ? undefined : wholeNumber(typeof a === 'number' ? a : this.template(a, local));
      const payload = Array.isArray(p.frame)
        ? Buffer.concat(p.frame.map((q) => this.part(q, local)))
        : this.data(p.frame, local);
      return packFrame(p.prefix, payload, announce);
    }
    return this.data(p, local);
  }

  connName(name: string, local: Local): string {
    return local.as && name === local.as ? `${name}-${local.i}` : name;
  }

  conn(name: string, local: Local = {}): StreamConn {
    const full = this.connName(name, local);
    const c = this.conns.get(full);
    if (!c) throw new GraderError(`no connection named "${full}" (connect or accept it first)`);
    return c;
  }

  endpoint(name: string): EndpointState {
    const ep = this.endpoints.get(name);
    if (!ep) throw new GraderError(`no endpoint named "${name}"`);
    return ep;
  }

  /** A peer socket as the learner knows it ("the grader's second client"), never its internal name. */
  who(name: string): string {
    const udp = this.udps.has(name) || this.endpoints.get(name)?.udp !== undefined;
    return this.msg.peerName(name, this.grader.role, udp);
  }

  describe(ep: EndpointState): string {
    if (ep.def.dual_stack) return `[::]:${ep.port}`;
    // The address that answers, not the name handed to the program.
    if (ep.def.one_family) return ep.def.family === 'ipv6' ? `[::1]:${ep.port}` : `127.0.0.1:${ep.port}`;
    return ep.path ?? (ep.host.includes(':') ? `[${ep.host}]:${ep.port}` : `${ep.host}:${ep.port}`);
  }

  /** How the program ended, in words, or undefined while it runs. */
  exitText(): string | undefined {
    const e = this.program?.exit;
    if (!e) return undefined;
    if (this.program?.spawnError)
      return this.msg.cannotStart(this.program.spec.command, this.program.spawnError.message);
    return e.signal ? this.msg.exitedSignal(e.signal) : this.msg.exitedCode(e.code ?? 0);
  }
}
