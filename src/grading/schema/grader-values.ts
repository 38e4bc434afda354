// The grader language's values (see grader.ts): times, names, texts in several languages, data, seeded vars,
// endpoints, and the fields every step has.
import * as z from 'zod';
import { Lang } from './course.js';

export const Seconds = z.number().positive().max(600);
/** Seconds, or a template that gives seconds, such as "{{timeout}}": a time that follows a seeded value. */
export const SecondsOrTemplate = z.union([
  z.number().min(0).max(600),
  z.string().regex(/\{\{/, 'a number, or a template like "{{timeout}}"'),
]);
export const Name = z.string().regex(/^[a-z][a-z0-9_-]*$/, 'use a lowercase name such as "c1" or "client"');

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
export const IntOrTemplate = z.union([
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

/** Common to every step: why it exists, shown when it fails. */
export const Base = {
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
