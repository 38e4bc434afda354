// The grader scenario format: one YAML file per exercise under `graders/`. The engine interprets it; a pack
// runs no code of its own. Times are in seconds. Strings marked "template" may use {{...}} placeholders:
//   {{var}}                 a seeded random value from `vars`
//   {{main.host}} {{main.port}} {{main.path}}   an endpoint handed to the program
//   {{main.address}}        the loopback address it really uses (::1 or 127.0.0.1; see one_family)
//   {{c1.local_port}} {{c1.remote_port}}        a peer connection's own and far port
//   {{errno.ECONNREFUSED}}  this platform's errno number
//   {{i}}                   the member number inside a `group`
import * as z from 'zod';
import { Lang } from './course.js';

const Seconds = z.number().positive().max(600);
/** Seconds, or a template that gives seconds, such as "{{timeout}}": a time that follows a seeded value. */
const SecondsOrTemplate = z.union([
  z.number().min(0).max(600),
  z.string().regex(/\{\{/, 'a number, or a template like "{{timeout}}"'),
]);
const Name = z.string().regex(/^[a-z][a-z0-9_-]*$/, 'use a lowercase name such as "c1" or "client"');

/** Text in one language for all, or one per language. */
export const Text = z.union([z.string().min(1), z.partialRecord(Lang, z.string().min(1))]);
export type Text = z.infer<typeof Text>;

/** Bytes to send or compare: a template string, a seeded `vars` entry by name, or hex. */
const DataLeaf = z.union([
  z.string(),
  z.strictObject({ var: Name }),
  z.strictObject({ hex: z.string().regex(/^([0-9a-fA-F]{2})*$/, 'an even number of hex digits') }),
]);
/** A whole number, or a template that gives one (such as "{{n}}"). */
const IntOrTemplate = z.union([
  z.int(),
  z.string().regex(/\{\{/, 'a whole number, or a template like "{{n}}"'),
]);
/**
 * Numbers packed as Python's struct module does, big-endian: `>` (or `!`) then codes B b H h I i Q q, one value
 * per code, e.g. { struct: ">Hi", values: [2, "{{n}}"] }.
 */
const StructPart = z.strictObject({
  struct: z.string().regex(/^[>!][BbHhIiQq]+$/, 'a big-endian struct format such as ">HI"'),
  values: z.array(IntOrTemplate),
});
/** One piece of binary data built from parts. */
const Part = z.union([
  DataLeaf,
  StructPart,
  /**
   * The same bytes `times` times over: bulk data of a given shape, such as thousands of lines, without a var
   * that large.
   */
  z.strictObject({
    repeat: z.union([DataLeaf, z.array(z.union([DataLeaf, StructPart])).min(1)]),
    times: z.int().min(1).max(1_000_000),
  }),
  /**
   * A length-prefixed frame: the payload's length as `prefix` (big-endian B, H or I), then the payload (data, or
   * a list of data and struct parts). With `announce`, the prefix says that length instead (an oversized or
   * short frame on purpose).
   */
  z.strictObject({
    frame: z.union([DataLeaf, z.array(z.union([DataLeaf, StructPart])).min(1)]),
    prefix: z.enum(['>B', '>H', '>I']).default('>I'),
    announce: IntOrTemplate.optional(),
  }),
  /**
   * An HTTP/1.1 chunked body: the payload cut into chunks of `sizes` bytes (the last size repeats until the payload
   * is used up), each sent as its size in hex, CRLF, the bytes and CRLF; then the last chunk (`0`), the `trailer`
   * fields (each "Name: value") and an empty line. `extension` (such as ";x=1") follows the first chunk's size,
   * as a chunk extension a reader must skip.
   */
  z.strictObject({
    chunked: z.union([DataLeaf, z.array(z.union([DataLeaf, StructPart])).min(1)]),
    sizes: z.array(z.int().positive()).min(1),
    extension: z
      .string()
      .regex(/^;[^\r\n]*$/, 'a chunk extension starts with ";"')
      .optional(),
    trailer: z.array(z.string().regex(/^[^\r\n:]+:[^\r\n]*$/, 'a field such as "X-Count: 2"')).default([]),
  }),
]);
export const Data = z.union([
  DataLeaf,
  /** The parts one after another: binary messages with headers, several frames in one write. */
  z.strictObject({ parts: z.array(Part).min(1) }),
]);
export type Data = z.infer<typeof Data>;
export type DataPart = z.infer<typeof Part>;

export const Var = z.discriminatedUnion('kind', [
  /** A pronounceable lowercase word, e.g. "pakoti". */
  z.strictObject({ kind: z.literal('word'), length: z.int().min(2).max(64).default(6) }),
  /** Hex digits. */
  z.strictObject({ kind: z.literal('hex'), length: z.int().min(1).max(256).default(8) }),
  /** A whole number in [min, max]. */
  z.strictObject({ kind: z.literal('int'), min: z.int(), max: z.int() }),
  /** Several words joined by spaces. */
  z.strictObject({ kind: z.literal('words'), count: z.int().min(1).max(1000) }),
  /** One of the given strings. */
  z.strictObject({ kind: z.literal('choice'), of: z.array(z.string()).min(1) }),
  /** The sum of whole-number vars named earlier in `vars` (for a binary protocol's answer). */
  z.strictObject({ kind: z.literal('sum'), of: z.array(Name).min(1) }),
  /** Random bytes, for binary and large payloads; a size range is drawn per seed. {{name.length}} is the size. */
  z.strictObject({
    kind: z.literal('bytes'),
    /**
     * Hex bytes the payload begins and ends with (inside `size`), for edges a program may wrongly trim or cut:
     * whitespace, NUL, 0xff. Random bytes rarely start or end that way by chance.
     */
    start: z
      .string()
      .regex(/^([0-9a-fA-F]{2})*$/)
      .optional(),
    end: z
      .string()
      .regex(/^([0-9a-fA-F]{2})*$/)
      .optional(),
    size: z.union([
      z
        .int()
        .min(0)
        .max(64 * 1024 * 1024),
      z.strictObject({ min: z.int().min(0), max: z.int().max(64 * 1024 * 1024) }),
    ]),
  }),
]);
export type Var = z.infer<typeof Var>;

export const Endpoint = z
  .strictObject({
    /** tcp, udp or unix (a stream AF_UNIX socket). */
    transport: z.enum(['tcp', 'udp', 'unix']),
    /** Address family for tcp/udp: ipv4 is 127.0.0.1, ipv6 is ::1. */
    family: z.enum(['ipv4', 'ipv6']).default('ipv4'),
    /**
     * Who listens there. `peer`: a reference peer (the program is its client). `program`: the learner's program
     * (the grader reserves the port or path). `closed`: nobody; connections are refused.
     */
    owner: z.enum(['peer', 'program', 'closed']),
    /** Read received data slowly from accepted connections: bytes per second (for send-all). */
    read_rate: z.int().positive().optional(),
    /**
     * unix, owned by the program: before the program starts, a socket file with nobody listening is left at the
     * path, as an earlier run that crashed leaves it. bind() there fails with "Address already in use" until the
     * program removes the file. (Not in peer mode, where the learner's own server may already be there.)
     */
    stale_file: z.boolean().optional(),
    /**
     * tcp, owned by a peer: listen on one family only, so that a client must find the address that answers.
     * `seeded`: ::1 or 127.0.0.1, chosen by the seed, and the other one in the next round (so a grader with
     * `rounds: 2` meets both orders). `other`: the family a `seeded` endpoint of the same grader did not get. `family` is then ignored. The host handed to the program is a name that resolves to both
     * loopback addresses (`localhost` where it does), or an empty string where no name does: Python's
     * getaddrinfo(None, port) lists the loopback address of every family. Skipped where there is no ::1.
     */
    one_family: z.enum(['seeded', 'other']).optional(),
    /**
     * tcp, owned by the program: it must accept connections over both families on one port (a dual-stack socket
     * bound to `::`, or one socket per family). The port is free on both; the host handed is an empty string
     * (all addresses). `connect` steps say which family with `family`. Ready once an IPv6 listener on `::`, or
     * listeners on both families, are there. Skipped where there is no ::1.
     */
    dual_stack: z.boolean().optional(),
    /**
     * tcp, TLS on top, with the pack's TEST-ONLY certificates (graders/tls). Owned by a peer: it serves TLS with
     * the certificate for localhost signed by the test CA (`test`), or as an impostor a client that verifies must
     * refuse: `self-signed` (a self-signed certificate that also claims localhost: the chain fails), `wrong-name`
     * (signed by the test CA, but for impostor.localhost: only the name check fails), or `impostor`, one of the
     * two chosen by the seed, the other in the next round (so a grader with `rounds: 2` meets both). Owned by
     * the program: peer clients connect with TLS and verify its certificate against the test CA, for the name
     * localhost. The program gets the CA's path in SOCKETLINGS_CA and, for an endpoint it owns, the server
     * certificate and key in SOCKETLINGS_CERT and SOCKETLINGS_KEY (SOCKETLINGS_<NAME>_CERT / _KEY for others).
     */
    tls: z.enum(['test', 'impostor', 'self-signed', 'wrong-name']).optional(),
    /**
     * tcp, owned by a peer: the name of a `choice` var whose value lists the endpoints (by name, separated by
     * spaces) where a peer listens this run. Left out of it, the endpoint is a port nobody listens on, as with
     * owner `closed`. {{name.connect_ex}} gives what connect_ex() returns there (0, or this platform's
     * ECONNREFUSED), and `accept` steps with `if_open` do nothing there. Which port is open cannot be learned
     * from the variable names, only by trying.
     */
    open_if: Name.optional(),
    /**
     * udp, owned by a peer: reached by broadcast. Peer UDP sockets of these names all bind the loopback's
     * broadcast address, 127.255.255.255, at the endpoint's port (sharing it), so only a datagram sent to that
     * address reaches them, and it reaches every one; steps name them (`on: r1`, `from: r1`). The program is
     * handed 127.255.255.255 as the host. Skipped where the loopback delivers no broadcasts.
     */
    broadcast: z.array(Name).min(1).max(16).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.one_family && (v.transport !== 'tcp' || v.owner !== 'peer'))
      ctx.addIssue({ code: 'custom', message: 'one_family is for a tcp endpoint a peer owns' });
    if (v.tls && (v.transport !== 'tcp' || v.owner === 'closed'))
      ctx.addIssue({ code: 'custom', message: 'tls is for a tcp endpoint a peer or the program owns' });
    if (v.tls !== undefined && v.tls !== 'test' && v.owner !== 'peer')
      ctx.addIssue({ code: 'custom', message: 'an impostor certificate is for a peer-owned endpoint' });
    if (v.dual_stack && (v.transport !== 'tcp' || v.owner !== 'program'))
      ctx.addIssue({ code: 'custom', message: 'dual_stack is for a tcp endpoint the program owns' });
    if (v.stale_file && (v.transport !== 'unix' || v.owner !== 'program'))
      ctx.addIssue({ code: 'custom', message: 'stale_file is for a unix endpoint the program owns' });
    if (v.open_if && (v.transport !== 'tcp' || v.owner !== 'peer'))
      ctx.addIssue({ code: 'custom', message: 'open_if is for a tcp endpoint a peer owns' });
    if (v.broadcast && (v.transport !== 'udp' || v.owner !== 'peer' || v.family !== 'ipv4'))
      ctx.addIssue({ code: 'custom', message: 'broadcast is for an ipv4 udp endpoint a peer owns' });
  });
export type Endpoint = z.infer<typeof Endpoint>;

/** How one `expect` judges bytes. Exactly one of these keys. */
const Matchers = {
  /** Exactly these bytes next. */
  bytes: Data.optional(),
  /** The next line (up to \n, which is required) equals this template. */
  line: z.string().optional(),
  /** The next line matches this regular expression (JavaScript syntax, anchored by you). */
  regex: z.string().optional(),
  /** The next line parses as JSON equal to this value. */
  json: z.unknown().optional(),
  /** Exactly this many bytes next, any content. */
  length: z.int().positive().optional(),
  /** Everything up to the peer's close has this content, compared by length and sha256 (for big payloads). */
  sha256: Data.optional(),
  /** The far side closes (or half-closes) its writing side, with nothing more sent. */
  eof: z.literal(true).optional(),
  /**
   * The far side has closed the connection for good, not only its sending direction: the grader goes on sending
   * (1 KiB about every 50 ms) and this must meet a reset (RST) within `within`. A program that still reads, after
   * shutdown(SHUT_WR) say, takes it all in and fails.
   */
  closed: z.literal(true).optional(),
  /**
   * One HTTP/1.1 request, read as a server reads it: the request line, header fields up to the empty line (lines
   * end in CRLF), then as many body bytes as its Content-Length says (a chunked body is decoded). Exactly that
   * much is taken, so the next request on the connection is read from where this one ended.
   */
  http_request: z
    .strictObject({
      /** Template. */
      method: z.string().default('GET'),
      /** The request target, a template such as "/{{path}}". */
      target: z.string(),
      /**
       * Fields that must be there, by name in any case, each with a regular expression (JavaScript syntax,
       * matched without regard to case) its value must match: `host: ".+"`.
       */
      headers: z.record(z.string(), z.string()).default({}),
      /** The body, exactly; without it, any body (or none). */
      body: Data.optional(),
    })
    .optional(),
  /**
   * One HTTP/1.1 response, read as a client reads it: the status line, header fields up to the empty line, then
   * the body as the head says: Content-Length bytes, chunks (Transfer-Encoding: chunked), or everything up to the
   * close when it says neither (none for 1xx, 204 and 304). Exactly that much is taken, so the next response on
   * the connection is read from where this one ended.
   */
  http_response: z
    .strictObject({
      status: z.int().min(100).max(599),
      /** As for http_request. */
      headers: z.record(z.string(), z.string()).default({}),
      /** The body, exactly (decoded from chunks); without it, any body. */
      body: Data.optional(),
    })
    .optional(),
  /** Nothing at all arrives within `within`. */
  nothing: z.literal(true).optional(),
};
const MATCHER_KEYS = Object.keys(Matchers) as (keyof typeof Matchers)[];
export type MatcherKey = (typeof MATCHER_KEYS)[number];

const oneMatcher = (v: Record<string, unknown>, ctx: z.core.$RefinementCtx) => {
  const set = MATCHER_KEYS.filter((k) => v[k] !== undefined);
  if (set.length !== 1)
    ctx.addIssue({
      code: 'custom',
      message: `give exactly one of ${MATCHER_KEYS.join(', ')} (found ${set.length ? set.join(', ') : 'none'})`,
    });
};

/** Chunked, delayed writing: each write takes between min and max bytes, with a pause between writes. */
const Split = z.strictObject({
  min: z.int().positive(),
  max: z.int().positive(),
  /** Pause between writes, in milliseconds, drawn from [0] or [lo, hi]. */
  delay_ms: z.union([z.int().min(0), z.tuple([z.int().min(0), z.int().min(0)])]).default(0),
});

/** Common to every step: why it exists, shown when it fails. */
const Base = {
  /** Shown as the hint when this step fails (overrides the engine's generic hint). */
  hint: Text.optional(),
  /** Shown as the reason when this step fails, after the engine's own message. */
  explain: Text.optional(),
  /**
   * Used instead of `hint` / `explain` when the program does not run on Python (a `--run` command in another
   * language), so that the advice does not blame Python for it.
   */
  other_languages: z.strictObject({ hint: Text.optional(), explain: Text.optional() }).optional(),
  /**
   * Run this step only when the seeded var `var` is `is` this run (usually a `choice` with `rounds`), and skip it
   * otherwise: a scenario the seed turns around, such as which of two servers speaks first.
   */
  when: z.strictObject({ var: Name, is: z.string() }).optional(),
};

const StepStart = z.strictObject({
  do: z.literal('start'),
  ...Base,
  /** Wait until the program listens (or binds, for udp) on this endpoint before going on. */
  ready: Name.optional(),
  /** Budget for readiness. */
  within: Seconds.default(5),
});
const StepConnect = z.strictObject({
  do: z.literal('connect'),
  ...Base,
  /** Name of the new peer connection. */
  as: Name,
  /** Endpoint owned by the program or closed. */
  to: Name.default('main'),
  /** Connect over this family instead of the endpoint's own (for a `dual_stack` endpoint). */
  family: z.enum(['ipv4', 'ipv6']).optional(),
  /** To a `tls` endpoint: connect without TLS and speak plain bytes (a client that does not speak TLS). */
  plain: z.boolean().optional(),
  within: Seconds.default(3),
});
const StepAccept = z.strictObject({
  do: z.literal('accept'),
  ...Base,
  as: Name,
  /** Endpoint owned by a peer. */
  on: Name.default('main'),
  within: Seconds.default(5),
  /** On an endpoint with `open_if`: when nobody listens there this run, there is nothing to accept. */
  if_open: z.boolean().optional(),
});
const StepSend = z.strictObject({
  do: z.literal('send'),
  ...Base,
  conn: Name,
  data: Data,
  split: Split.optional(),
  /** Wait this long before the first byte (a late sender). */
  after_ms: z.int().min(0).max(60_000).default(0),
  /**
   * Go on with the next step at once, while the bytes are still being written: for a server that may rightly
   * stop reading this client (back-pressure) until a later step lets it go on.
   */
  background: z.boolean().optional(),
});
const StepExpect = z
  .strictObject({
    do: z.literal('expect'),
    ...Base,
    conn: Name,
    within: Seconds.default(3),
    ...Matchers,
    /**
     * The program may rightly give up on this connection when the grader greeted it late: `mark` is taken just
     * before the greeting, and `budget` is how long the program may wait for it. If the expectation fails and the
     * greeting left `budget` seconds or more after the program even started, the grader (a busy machine), not the
     * program, may be at fault: the run is repeated once, then failed as undecidable, never passed.
     */
    late_greeting: z.strictObject({ mark: Name, budget: SecondsOrTemplate }).optional(),
    /**
     * The program may rightly close this connection once the grader has sent nothing on it for this many seconds
     * (its own idle timeout). If the expectation fails because the connection was found closed, and before the
     * grader heard of the close it had at some point been that long without writing there (since the connection
     * began, or between two writes: a busy machine made it late), it proves nothing either way: the run is
     * repeated once, then failed as undecidable, never passed.
     */
    fresh_for: SecondsOrTemplate.optional(),
    /**
     * With `eof`: the close must not come earlier than this many seconds after the mark `since` (give or take
     * 0.1 s, times the time scale): a program must keep the connection that long (a client within its idle time).
     * The grader hears of a close only after it happened, so a close heard early came early. One heard in time,
     * but after this process stalled long enough to hide an early one, cannot be judged: the run is repeated
     * once, then failed as undecidable, never passed.
     */
    not_before: SecondsOrTemplate.optional(),
    /** With `not_before`: the `mark` it counts from, taken just before the grader's last message on the connection. */
    since: Name.optional(),
  })
  .superRefine(oneMatcher)
  .superRefine((v, ctx) => {
    if ((v.not_before === undefined) !== (v.since === undefined) || (v.not_before !== undefined && !v.eof))
      ctx.addIssue({
        code: 'custom',
        message: 'not_before and since go together, on an expect with eof: true',
      });
  });
const StepShutdown = z.strictObject({ do: z.literal('shutdown'), ...Base, conn: Name });
const StepClose = z.strictObject({ do: z.literal('close'), ...Base, conn: Name });
/**
 * Stop reading this connection (`hold`), so that what the program sends piles up in the kernel's buffers and
 * its sends block or return EAGAIN: a client that reads slowly or not at all. `release` reads again.
 */
const StepHold = z.strictObject({ do: z.literal('hold'), ...Base, conn: Name });
const StepRelease = z.strictObject({
  do: z.literal('release'),
  ...Base,
  conn: Name,
  /**
   * Read only this many bytes more, then stop reading again: a slow client that catches up a little. Room frees
   * in the kernel's buffers, so the program's socket becomes writable again while much is still waiting for
   * this client. Fails if they do not come within `within`.
   */
  bytes: z.int().positive().optional(),
  within: Seconds.default(3),
});
/** Abort the connection with a reset (RST), as a client that crashes mid-message does. */
const StepReset = z.strictObject({ do: z.literal('reset'), ...Base, conn: Name });
/**
 * Wait until the program has taken what this connection sends in the `background`, or has stopped taking it,
 * at most `within`: every byte handed to the kernel, or none for a moment (the program stopped reading); then,
 * where the kernel's tables show it, read by the program (elsewhere it is given as long again as the handing over
 * took, up to a second). Never fails. So the next step comes when the program holds all it will get, whatever the
 * machine's speed: a reset then arrives while it still has lines to answer (more were sent than the kernel's
 * buffers hold, to a client that reads nothing), and room made by `release` finds it with all of them waiting.
 */
const StepWaitSent = z.strictObject({
  do: z.literal('wait_sent'),
  ...Base,
  conn: Name,
  within: Seconds.default(5),
});
const StepSendto = z.strictObject({
  do: z.literal('sendto'),
  ...Base,
  /** Name of the peer's UDP socket; created on first use, bound to a fresh port. */
  from: Name,
  /** Endpoint to send to (owned by the program). */
  to: Name.default('main'),
  data: Data,
  after_ms: z.int().min(0).max(60_000).default(0),
});
const StepExpectDatagram = z
  .strictObject({
    do: z.literal('expect_datagram'),
    ...Base,
    /** A peer UDP socket name, or an endpoint owned by a peer. */
    on: Name.default('main'),
    within: Seconds.default(3),
    ...Matchers,
  })
  .superRefine(oneMatcher);
const StepLossy = z.strictObject({
  do: z.literal('lossy'),
  ...Base,
  /** Peer UDP socket or peer-owned endpoint whose traffic (both ways) is disturbed. */
  on: Name.default('main'),
  drop: z.number().min(0).max(0.9).default(0),
  duplicate: z.number().min(0).max(0.9).default(0),
  /** Share of datagrams held back and delivered after the next one. */
  reorder: z.number().min(0).max(0.9).default(0),
});
const StepRespond = z.strictObject({
  do: z.literal('respond'),
  ...Base,
  /** Peer-owned UDP endpoint that answers every datagram matching `match` by itself from now on. */
  on: Name.default('main'),
  /** Regular expression over the datagram as text. */
  match: z.string(),
  /** Reply template; $1, $2 … are the match's groups. */
  reply: z.string(),
  /**
   * Hold back the first copy of every new value (group 1): it is not counted, and instead of its own reply it
   * gets the previous reply again, a late duplicate as a real network delivers them (this text before there was
   * any reply). Only a copy sent again is answered and counted, so a sender that takes any answer for its
   * acknowledgement moves on before its message was accepted, however fast or slow the machine is. The late
   * duplicate is never lost or doubled by a lossy rule.
   */
  stale_first: z.string().optional(),
});
const StepExpectReceived = z.strictObject({
  do: z.literal('expect_received'),
  ...Base,
  /** Peer-owned UDP endpoint with a `respond` rule. */
  on: Name.default('main'),
  /** The distinct values of group 1 of the respond rule's match (the whole match without groups), in the order first answered. */
  values: z.array(z.string()),
  /** Wait this long for all of them to arrive. */
  within: Seconds.default(3),
  /** The values are the first ones accepted so far; more may follow (a check in the middle of a run). */
  prefix: z.boolean().optional(),
  /** A mark set to the moment the last of `values` was first accepted, for an `expect_stdout` `since`. */
  mark: Name.optional(),
});
const StepExpectStdout = z
  .strictObject({
    do: z.literal('expect_stdout'),
    ...Base,
    /** Exact line (template). */
    line: z.string().optional(),
    /** Regular expression the line matches. */
    regex: z.string().optional(),
    within: Seconds.default(3),
    /** The line must not come earlier than this many seconds after the mark (or the step's start). */
    not_before: SecondsOrTemplate.optional(),
    /** The line must not come later than this many seconds after the mark (or `not_after_since`). */
    not_after: SecondsOrTemplate.optional(),
    /**
     * Measure `not_after` from this mark instead. When the program's clock starts at a moment the grader cannot
     * see, `since` should be a mark just before it (the grader sent what the program reads first) and this one a
     * mark just after (the grader received what the program sends right before waiting). If the two are too far
     * apart to tell a wait from none (a very busy machine), the run is repeated once, and then failed as
     * undecidable with a message that says so.
     */
    not_after_since: Name.optional(),
    /**
     * Tolerance for not_before and not_after, in seconds: scheduling is never exact. The two times themselves are
     * not scaled by a time scale, since they describe the program (often a value it was handed); the scale
     * multiplies this slack instead, and the worst stall of the grader's own event loop while it measured is
     * added. `not_before: 0` is a matter of cause and gets no slack: the line must come after the mark.
     */
    slack: z.number().min(0).max(5).default(0.15),
    /** A `mark` step to measure `within` and `not_before` from. */
    since: Name.optional(),
    /**
     * Without it, other lines before the expected one are passed over (a banner, debug prints). `true`: the very
     * next line must be this one. A regular expression: the next line *matching it* must be this one, so a
     * repeated result line fails while a banner still does not.
     */
    next: z.union([z.boolean(), z.string()]).default(false),
    /**
     * A UDP endpoint of the program's: when the line is seen, its socket must hold nothing unread, so that the
     * line answers datagrams the program read rather than guesses at them (where the kernel's tables can be read).
     */
    drained: Name.optional(),
    /**
     * The program may rightly act (print this line, give up) once the grader has sent nothing on connection
     * `conn` for `for` seconds: a heartbeat the grader owed it came late. If the step fails and, before the
     * connection ended and before `since` (where the grader's silence on purpose begins, if it is one), the
     * grader had gone that long without writing there (a busy machine held it back), the run is repeated once,
     * then failed as undecidable, never passed.
     */
    grader_quiet: z.strictObject({ conn: Name, for: SecondsOrTemplate }).optional(),
  })
  .superRefine((v, ctx) => {
    if ((v.line === undefined) === (v.regex === undefined))
      ctx.addIssue({ code: 'custom', message: 'give exactly one of line, regex' });
  });
const StepExpectExit = z.strictObject({
  do: z.literal('expect_exit'),
  ...Base,
  /** Required exit code; leave out to accept any normal exit. */
  code: z.int().min(0).max(255).optional(),
  /** No line beyond those earlier steps expected (`true`), or none matching this regular expression. */
  no_more_stdout: z.union([z.boolean(), z.string()]).default(false),
  within: Seconds.default(3),
});
const StepExpectRunning = z.strictObject({
  do: z.literal('expect_running'),
  ...Base,
  /** Keep watching this long; the program must not exit meanwhile. */
  for: z.number().min(0).max(60).default(0),
});
const StepSignal = z.strictObject({
  do: z.literal('signal'),
  ...Base,
  signal: z.enum(['SIGINT', 'SIGTERM', 'SIGHUP']),
});
const StepExpectPath = z.strictObject({
  do: z.literal('expect_path'),
  ...Base,
  /** Template, usually {{main.path}}. */
  path: z.string(),
  exists: z.boolean(),
});
/**
 * On a peer-owned `tls` endpoint: the program must start a TLS handshake there and break it off (it refused the
 * certificate). Fails if it completes a handshake instead, or tries nothing within the budget.
 */
const StepExpectTlsRefused = z.strictObject({
  do: z.literal('expect_tls_refused'),
  ...Base,
  on: Name.default('main'),
  within: Seconds.default(5),
});
/**
 * A run of question and answer on a connection, timed: `count` times, the grader sends `ask` and expects `answer`
 * back. In both, {{token}} is a fresh seeded token each time (8 hex digits) and {{i}} the round (1, 2, …), so a
 * program cannot answer before it has read the question. An answer complete within `fast_ms` of its question is
 * fast; at least `at_least` must be. Made for Nagle's algorithm: a program that writes its answer in two small
 * pieces without TCP_NODELAY sends the second only once the first is acknowledged, and the grader's kernel delays
 * that acknowledgement (40 ms on Linux), so such an answer is never fast, however fast the machine. An answer is
 * timed as the grader sees it, which is only ever later than it came; a slow one that the grader's own stalls or
 * the program's waits for a CPU could explain counts neither way, and the grader asks again (up to `count` more
 * times) until enough answers are judged. More than `count - at_least` slow ones with no such excuse: failed;
 * still too few fast ones after that: the run is repeated once, then failed as undecidable, never passed.
 * `fast_ms` is not scaled by the time scale: the delay it catches is the same on a slow machine.
 */
const StepExchange = z
  .strictObject({
    do: z.literal('exchange'),
    ...Base,
    conn: Name,
    count: z.int().min(1).max(200),
    ask: Data,
    answer: Data,
    fast_ms: z.int().min(1).max(1000).default(20),
    at_least: z.int().min(1),
    /** Budget for each answer. */
    within: Seconds.default(3),
  })
  .refine((v) => v.at_least <= v.count, { message: 'at_least cannot be more than count' });
const StepMark = z.strictObject({ do: z.literal('mark'), ...Base, name: Name });
const StepPause = z.strictObject({
  do: z.literal('pause'),
  ...Base,
  ms: z.int().min(1).max(60_000),
  /**
   * Count the pause from this mark instead of from now (no wait if it is already over), and make it longer by
   * the time the program waited for a CPU since the mark: a pause that must outlast a timer in the program, such
   * as an idle timeout, even on a busy machine.
   */
  since: Name.optional(),
});

/** Inside a group: `conn: <as>` means the member's own connection; `barrier` waits for every member. */
const StepBarrier = z.strictObject({ do: z.literal('barrier'), ...Base, within: Seconds.default(5) });

const memberSteps = [
  StepSend,
  StepExpect,
  StepShutdown,
  StepClose,
  StepReset,
  StepHold,
  StepRelease,
  StepExpectStdout,
  StepMark,
  StepPause,
  StepBarrier,
] as const;
const MemberStep = z.discriminatedUnion('do', [...memberSteps]);

/**
 * N peer clients at once. Each connects (in order 1..N, names `<as>-1` … `<as>-N`), then all run `steps`
 * concurrently, started in `order` with `stagger_ms` between starts. {{i}} is the member number. With a
 * `barrier` inside, a server that serves one client at a time stalls, which is the point.
 */
const StepGroup = z.strictObject({
  do: z.literal('group'),
  ...Base,
  as: Name,
  count: z.int().min(1).max(64),
  to: Name.default('main'),
  order: z.enum(['forward', 'reverse', 'shuffle']).default('forward'),
  stagger_ms: z.int().min(0).max(5000).default(20),
  /** Budget for each member's connect. */
  within: Seconds.default(3),
  steps: z.array(MemberStep).min(1),
});

const StepAny = z.discriminatedUnion('do', [
  StepStart,
  StepConnect,
  StepAccept,
  StepSend,
  StepExpect,
  StepShutdown,
  StepClose,
  StepReset,
  StepHold,
  StepRelease,
  StepWaitSent,
  StepSendto,
  StepExpectDatagram,
  StepLossy,
  StepRespond,
  StepExpectReceived,
  StepExpectStdout,
  StepExpectExit,
  StepExpectRunning,
  StepSignal,
  StepExpectPath,
  StepExpectTlsRefused,
  StepExchange,
  StepMark,
  StepPause,
  StepBarrier,
  StepGroup,
]);
export const Step = StepAny;
export type Step = z.output<typeof StepAny>;
export type MemberStep = z.output<typeof MemberStep>;

export const Check = z.strictObject({
  /** Stable id, used by reporters and assignments (partial credit per check). */
  id: Name,
  title: Text,
  /** Shown when the check fails and no step gave a more specific hint. */
  hint: Text.optional(),
  steps: z.array(Step).min(1),
});
export type Check = z.infer<typeof Check>;

/**
 * A file a grader writes: a plain name inside the run's scratch folder, never a path. A course pack runs no code,
 * and this keeps it from writing anywhere else (`../x`, `/etc/x`, `a/b`).
 */
export const FileName = z
  .string()
  .min(1)
  .max(100)
  .refine((n) => !/[/\\\0]/.test(n) && n !== '.' && n !== '..', {
    message: 'a grader file name must be a plain file name: no "/", "\\", NUL, "." or ".."',
  });

const GraderFields = z.strictObject({
  format: z.literal(1),
  /** Whether the program is a client (of the peers) or a server (the peers connect to it). */
  role: z.enum(['client', 'server']),
  /**
   * Named endpoints. `main` is handed as SOCKETLINGS_HOST / SOCKETLINGS_PORT (or SOCKETLINGS_PATH for unix);
   * any other name N as SOCKETLINGS_N_HOST / SOCKETLINGS_N_PORT / SOCKETLINGS_N_PATH.
   */
  endpoints: z.record(Name, Endpoint),
  /** Seeded random values, fixed for one run by --seed. */
  vars: z.record(Name, Var).default({}),
  /** Extra environment for the program (templates). */
  env: z
    .record(z.string().regex(/^SOCKETLINGS_[A-Z0-9_]+$/, 'names start with SOCKETLINGS_'), z.string())
    .default({}),
  /** Command-line arguments for the program (templates), when the exercise text says so. */
  args: z.array(z.string()).default([]),
  /** Files written into the run's temporary folder before start; each path is handed in its env variable. */
  files: z
    .array(z.strictObject({ env: z.string().regex(/^SOCKETLINGS_[A-Z0-9_]+$/), name: FileName, data: Data }))
    .default([]),
  /** Ordered checks. After a failing check the rest are skipped. */
  checks: z.array(Check).min(1),
  /**
   * Run the whole scenario this many times, the program started afresh each time. A `choice` var takes a
   * different value each round (the seed picks the first, later rounds the next ones in the list); other vars
   * are drawn anew. The exercise passes only if every round does; a failing round's results are the ones shown.
   * For behaviour a single run cannot tell from a lucky guess: a timeout written into the program, which of two
   * ports is open.
   */
  rounds: z.int().min(1).max(4).optional(),
});
export const Grader = GraderFields.superRefine((g, ctx) => {
  // A `when` on a var that does not exist would skip its step in every run, silently.
  for (const [c, check] of g.checks.entries())
    for (const [s, step] of check.steps.entries()) {
      const inner = step.do === 'group' ? step.steps.map((m, k) => [m, ['steps', k]] as const) : [];
      for (const [st, at] of [[step, []] as const, ...inner])
        if (st.when && !(st.when.var in g.vars))
          ctx.addIssue({
            code: 'custom',
            path: ['checks', c, 'steps', s, ...at, 'when', 'var'],
            message: `"when" names "${st.when.var}", which is not in vars`,
          });
    }
});
export type Grader = z.infer<typeof Grader>;
