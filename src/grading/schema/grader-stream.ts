// The grader language's steps on a stream connection (see grader.ts): how an `expect` judges bytes, and the
// steps that start the program, connect, accept, send, expect, shut down, close, hold, release and reset.
import * as z from 'zod';
import { Base, Data, Name, Seconds, SecondsOrTemplate } from './grader-values.js';

/** How one `expect` judges bytes. Exactly one of these keys. */
export const Matchers = {
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

export const oneMatcher = (v: Record<string, unknown>, ctx: z.core.$RefinementCtx) => {
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

export const StepStart = z.strictObject({
  do: z.literal('start'),
  ...Base,
  /** Wait until the program listens (or binds, for udp) on this endpoint before going on. */
  ready: Name.optional(),
  /** Budget for readiness. */
  within: Seconds.default(5),
});
export const StepConnect = z.strictObject({
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
export const StepAccept = z.strictObject({
  do: z.literal('accept'),
  ...Base,
  as: Name,
  /** Endpoint owned by a peer. */
  on: Name.default('main'),
  within: Seconds.default(5),
  /** On an endpoint with `open_if`: when nobody listens there this run, there is nothing to accept. */
  if_open: z.boolean().optional(),
});
export const StepSend = z.strictObject({
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
export const StepExpect = z
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
     * repeated once, then failed as undecidable, never passed. A later `send` on the connection that finds the
     * program gone is judged the same way.
     */
    fresh_for: SecondsOrTemplate.optional(),
    /**
     * With `eof`: the close must not come earlier than this many seconds after the mark `since` (give or take
     * `slack`, times the time scale): a program must keep the connection that long (a client within its idle time).
     * The grader hears of a close only after it happened, so a close heard early came early. One heard in time,
     * but after this process stalled long enough to hide an early one, cannot be judged: the run is repeated
     * once, then failed as undecidable, never passed.
     */
    not_before: SecondsOrTemplate.optional(),
    /** With `not_before`: the `mark` it counts from, taken just before the grader's last message on the connection. */
    since: Name.optional(),
    /**
     * With `not_before`: how much sooner (× the time scale) still counts as on time. A correct close comes just
     * after its time, so this is its whole margin against the grader's own stalls hiding an early one; a wider
     * one suits a check whose wrong programs close far sooner.
     */
    slack: z.number().min(0).max(5).default(0.1),
  })
  .superRefine(oneMatcher)
  .superRefine((v, ctx) => {
    if ((v.not_before === undefined) !== (v.since === undefined) || (v.not_before !== undefined && !v.eof))
      ctx.addIssue({
        code: 'custom',
        message: 'not_before and since go together, on an expect with eof: true',
      });
  });
export const StepShutdown = z.strictObject({ do: z.literal('shutdown'), ...Base, conn: Name });
export const StepClose = z.strictObject({ do: z.literal('close'), ...Base, conn: Name });
/**
 * Stop reading this connection (`hold`), so that what the program sends piles up in the kernel's buffers and
 * its sends block or return EAGAIN: a client that reads slowly or not at all. `release` reads again.
 */
export const StepHold = z.strictObject({ do: z.literal('hold'), ...Base, conn: Name });
export const StepRelease = z.strictObject({
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
export const StepReset = z.strictObject({ do: z.literal('reset'), ...Base, conn: Name });
/**
 * Wait until the program has taken what this connection sends in the `background`, or has stopped taking it,
 * at most `within`: every byte handed to the kernel, or none for a moment (the program stopped reading); then,
 * where the kernel's tables show it, read by the program (elsewhere it is given as long again as the handing over
 * took, up to a second). Never fails. So the next step comes when the program holds all it will get, whatever the
 * machine's speed: a reset then arrives while it still has lines to answer (more were sent than the kernel's
 * buffers hold, to a client that reads nothing), and room made by `release` finds it with all of them waiting.
 */
export const StepWaitSent = z.strictObject({
  do: z.literal('wait_sent'),
  ...Base,
  conn: Name,
  within: Seconds.default(5),
});
