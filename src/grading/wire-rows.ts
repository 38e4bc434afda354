// A transcript as the rows of a sequence diagram, for the terminal (src/ui/wire-view.ts) and the HTML class report
// (reporters/html-seq.ts): which lane, which way, what label. The transcript is the peers' view, so a peer's
// `send` is an arrow into the program and its `recv` one out of it. Every text of a row has been through
// safeText: a row is one line of a diagram, and the program's output is on it.
import type { TranscriptEntry } from './results.js';
import { safeText } from './safe-text.js';

export type WireRow =
  | {
      kind: 'arrow';
      at: number;
      peer: string;
      dir: 'in' | 'out';
      label: string;
      lost?: boolean;
      /** For data on a stream: the quoted bytes and how many there were (the quote may be cut). */
      data?: { quoted: string; bytes: number; udp: boolean };
    }
  /** A line on a lane: the program's output (peer undefined), or something a peer saw. */
  | { kind: 'note'; at: number; peer: string | undefined; text: string }
  | { kind: 'grader'; at: number; text: string };

/** The few words a diagram writes on arrows, in the reader's language. */
export interface WireWords {
  connect: string;
  refused: string;
  lost: string;
  dup: string;
}

/** Bytes in a quoted transcript text ("PING\n" is 5), or the total a cut quote states. */
export function quotedSize(q: string): number | undefined {
  const total = / … \((\d+) bytes in all\)$/.exec(q);
  if (total) return Number(total[1]);
  const m = /^"(.*)"$/s.exec(q);
  if (!m) return undefined;
  const body = (m[1] as string).replace(/\\x[0-9a-f]{2}|\\./g, 'x');
  return Buffer.byteLength(body);
}

/** A transcript text without the UDP address note, and whether it had one. */
function splitAddr(text: string): { text: string; udp: boolean } {
  const m = /^(.*) \((?:to|from) [^ ()]+\)$/s.exec(text);
  return m ? { text: m[1] as string, udp: true } : { text, udp: false };
}

/** The rows of a sequence diagram for these transcript lines; `before` is the line just before them, if any. */
export function wireRows(entries: TranscriptEntry[], t: WireWords, before?: TranscriptEntry): WireRow[] {
  return rawRows(entries, t, before).map((r) =>
    r.kind === 'arrow' ? { ...r, label: oneLine(r.label) } : { ...r, text: oneLine(r.text) },
  );
}

function oneLine(s: string): string {
  return safeText(s, { oneLine: true });
}

function rawRows(entries: TranscriptEntry[], t: WireWords, before?: TranscriptEntry): WireRow[] {
  const rows: WireRow[] = [];
  for (const [i, e] of entries.entries()) {
    const at = e.at;
    if (e.who === 'program') {
      rows.push({ kind: 'note', at, peer: undefined, text: `${e.kind}: ${e.text}` });
      continue;
    }
    if (!e.who.startsWith('peer:')) {
      rows.push({ kind: 'grader', at, text: e.text });
      continue;
    }
    const peer = e.who.slice(5);
    switch (e.kind) {
      case 'send':
      case 'recv': {
        const { text, udp } = splitAddr(e.text);
        const size = udp ? quotedSize(text) : undefined;
        const prev = i === 0 ? before : entries[i - 1];
        const dup =
          udp && e.kind === 'send' && prev?.who === e.who && prev.kind === 'send' && prev.text === e.text;
        const label = `${size !== undefined ? `${size} B ` : ''}${text}${dup ? ` ${t.dup}` : ''}`;
        const data = { quoted: text, bytes: e.bytes ?? quotedSize(text) ?? 0, udp };
        rows.push({ kind: 'arrow', at, peer, dir: e.kind === 'send' ? 'in' : 'out', label, data });
        continue;
      }
      case 'connect':
        rows.push({ kind: 'arrow', at, peer, dir: 'in', label: t.connect });
        continue;
      case 'accept':
        rows.push({ kind: 'arrow', at, peer, dir: 'out', label: t.connect });
        continue;
      case 'eof':
        rows.push({ kind: 'arrow', at, peer, dir: 'out', label: 'FIN' });
        continue;
      case 'shutdown':
        rows.push({ kind: 'arrow', at, peer, dir: 'in', label: 'FIN' });
        continue;
      case 'close':
        rows.push({ kind: 'arrow', at, peer, dir: 'in', label: 'FIN close' });
        continue;
      case 'error':
        if (e.text === 'ECONNRESET') rows.push({ kind: 'arrow', at, peer, dir: 'out', label: 'RST' });
        else if (e.text === 'ECONNREFUSED')
          rows.push({ kind: 'arrow', at, peer, dir: 'in', label: `${t.connect} ${t.refused}`, lost: true });
        else rows.push({ kind: 'note', at, peer, text: e.text });
        continue;
      case 'note': {
        const lost = /dropped an? (outgoing|incoming) datagram \((\d+) bytes\)/.exec(e.text);
        if (lost)
          rows.push({
            kind: 'arrow',
            at,
            peer,
            dir: lost[1] === 'outgoing' ? 'in' : 'out',
            label: `${lost[2]} B ${t.lost}`,
            lost: true,
          });
        else rows.push({ kind: 'note', at, peer, text: e.text });
        continue;
      }
      case 'stdout':
      case 'stderr':
        rows.push({ kind: 'note', at, peer, text: `${e.kind}: ${e.text}` });
        continue;
      default: {
        const never: never = e.kind;
        throw new Error(`unknown kind ${String(never)}`);
      }
    }
  }
  return rows;
}

/** One character of a quoted payload as shown (`a`, `\\n`, `\\x00`, `好`), and how many bytes it stands for. */
export interface QuotedUnit {
  text: string;
  bytes: number;
}

/**
 * A quote made by quote() (grading/quote.ts) taken apart into what it shows, unit by unit: `"PING\\n"` is P, I,
 * N, G, \\n. `total` is the size the quote states when it was cut (` … (N bytes in all)`), else its own.
 */
export function quotedUnits(q: string): { units: QuotedUnit[]; total: number; cut: boolean } | undefined {
  const m = /^"(.*)"( … \((\d+) bytes in all\))?$/s.exec(q);
  if (!m) return undefined;
  const body = m[1] as string;
  const units: QuotedUnit[] = [];
  for (let i = 0; i < body.length; ) {
    if (body[i] === '\\') {
      const hex = /^\\x[0-9a-f]{2}/.exec(body.slice(i));
      const len = hex ? 4 : 2;
      units.push({ text: body.slice(i, i + len), bytes: 1 });
      i += len;
      continue;
    }
    const ch = String.fromCodePoint(body.codePointAt(i) as number);
    units.push({ text: ch, bytes: Buffer.byteLength(ch) });
    i += ch.length;
  }
  const shown = units.reduce((a, u) => a + u.bytes, 0);
  return { units, total: m[3] ? Number(m[3]) : shown, cut: m[3] !== undefined };
}
