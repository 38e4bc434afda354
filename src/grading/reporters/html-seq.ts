// A failing check's transcript as an SVG sequence diagram for the HTML class report: the program's lane on the
// left, one per peer (folded by family past six), arrows with the bytes, the failure marked with a red rule and
// words, so nothing depends on colour. Plain SVG, no script. It is drawn at its own size, in 13 px type, and scrolls
// sideways in its box where the screen is narrower, rather than shrinking until nobody can read it; the failure's
// message is the page's text above it, so the diagram only marks where, in words that fit.
import type { TranscriptEntry } from '../results.js';
import { safeText } from '../safe-text.js';
import { type WireRow, type WireWords, wireRows } from '../wire-rows.js';

const ROW = 22;
const TOP = 34;
const LEFT = 62;
const LANE = 180;
const MAX_LANES = 6;
/**
 * Rows drawn per diagram: the last ones before the failure. A class of a hundred has about a thousand diagrams,
 * and the browser's time to open the report grows with their elements.
 */
export const MAX_ROWS = 14;
const LABEL = 22;
/** Wide enough for the failure's words with one lane. */
const MIN_WIDTH = 480;

/**
 * Text for the page: control characters through safeText first (a browser ignores them, but the page is also read
 * as a file, and copied from), then entities.
 */
export function esc(s: string): string {
  return safeText(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Escaped for element content, where quotes may stay (transcripts are full of them). */
export function escText(s: string): string {
  return safeText(s).replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

function cut(s: string, n: number): string {
  if (s.length <= n) return s;
  const chars = [...s];
  return chars.length <= n ? s : `${chars.slice(0, n - 1).join('')}…`;
}

function lanesFor(peers: string[]): { lanes: Map<string, { x: number; prefix: string }>; heads: string[] } {
  const groups: { name: string; members: string[] }[] = [];
  const key = (p: string) => (peers.length > MAX_LANES ? p.replace(/-\d+$/, '') : p);
  for (const p of peers) {
    const g = groups.find((x) => x.name === key(p));
    if (g) g.members.push(p);
    else groups.push({ name: key(p), members: [p] });
  }
  if (groups.length > MAX_LANES) {
    const rest = groups.splice(MAX_LANES - 1);
    groups.push({ name: 'others', members: rest.flatMap((g) => g.members) });
  }
  const lanes = new Map<string, { x: number; prefix: string }>();
  groups.forEach((g, i) => {
    const shared = g.members.length > 1;
    for (const m of g.members)
      lanes.set(m, {
        x: LEFT + LANE * (i + 1),
        prefix: !shared ? '' : m.startsWith(`${g.name}-`) ? `#${m.slice(g.name.length + 1)} ` : `${m}: `,
      });
  });
  return {
    lanes,
    heads: groups.map((g) => (g.members.length > 1 && g.name !== 'others' ? `${g.name}-*` : g.name)),
  };
}

export interface SeqText extends WireWords {
  program: string;
  failedHere: string;
  earlier: (n: number) => string;
}

/**
 * The diagram, or an empty string when there is nothing on the wire to draw. `earlier`: lines before `transcript`
 * the caller left out, counted with the ones not drawn. It ends with the failure's mark.
 */
export function seqSvg(transcript: TranscriptEntry[], t: SeqText, earlier = 0): string {
  // One line makes one row: only the tail is turned into rows (with the line before it, for duplicate marks).
  const tail = transcript.slice(-MAX_ROWS);
  const rows = wireRows(tail, t, transcript[transcript.length - tail.length - 1]);
  if (rows.length === 0) return '';
  const skipped = earlier + transcript.length - tail.length;
  const peers: string[] = [];
  for (const r of rows)
    if (r.kind !== 'grader' && r.peer !== undefined && !peers.includes(r.peer)) peers.push(r.peer);
  const { lanes, heads } = lanesFor(peers);
  const lines = rows.length + (skipped ? 1 : 0) + 1;
  const height = TOP + ROW * lines + 8;
  const body: string[] = [];
  // How far right any text reaches: the diagram is made that wide, so no text is clipped at its edge.
  const reach = { x: LEFT + LANE * heads.length + 90 };
  const text = (cls: string, x: number, y: number, s: string) => {
    reach.x = Math.max(reach.x, x + textWidth(s) + 8);
    return `<text class="${cls}" x="${x}" y="${y}">${escText(s)}</text>`;
  };
  let y = TOP;
  if (skipped) {
    body.push(text('n', LEFT + 6, y + 4, t.earlier(skipped)));
    y += ROW;
  }
  // Every arrow of one kind goes into one path (heads drawn in it), so a row costs two elements: time and label.
  const paths: Paths = { i: '', o: '', x: '', h: '' };
  // Times where time passed (50 ms or more since the last one shown): the waits are what a reader looks for,
  // and a time on every row would be a third of all the report's elements.
  let shownAt = Number.NEGATIVE_INFINITY;
  for (const r of rows) {
    if (r.at - shownAt >= 50) {
      body.push(`<text class="t" x="2" y="${y + 4}">${(r.at / 1000).toFixed(3)}</text>`);
      shownAt = r.at;
    }
    body.push(drawRow(r, lanes, y, paths, text));
    y += ROW;
  }
  for (const [k, d] of Object.entries(paths)) if (d) body.push(`<path class="${k}" d="${d}"/>`);
  const failed = text('fx', LEFT + 6, y + 8, `✗ ${t.failedHere}`);
  const width = Math.max(MIN_WIDTH, reach.x);
  body.push(`<line class="fl" x1="${LEFT - 6}" y1="${y - 8}" x2="${width - 4}" y2="${y - 8}"/>`, failed);
  const head: string[] = [
    `<svg class="seq" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${esc(
      `${t.program} ↔ ${heads.join(', ')}`,
    )}">`,
    `<text class="ln" x="${LEFT}" y="16">${esc(t.program)}</text>`,
  ];
  for (const [i, h] of heads.entries())
    head.push(`<text class="ln" x="${LEFT + LANE * (i + 1)}" y="16">${esc(cut(h, 20))}</text>`);
  for (const x of [LEFT, ...heads.map((_, i) => LEFT + LANE * (i + 1))])
    head.push(`<line class="ll" x1="${x}" y1="22" x2="${x}" y2="${height - 4}"/>`);
  return `${head.join('')}${body.join('')}</svg>`;
}

/** Pixels of 13 px monospace text: 0.6 em a column, two for a wide (CJK) character. */
function textWidth(s: string): number {
  let cols = 0;
  for (const ch of s) cols += (ch.codePointAt(0) ?? 0) >= 0x1100 ? 2 : 1;
  return Math.ceil(cols * 7.8);
}

type TextAt = (cls: string, x: number, y: number, s: string) => string;

/** Path data of a diagram: arrows into the program (i), out of it (o), lost datagrams (x), arrowheads (h). */
interface Paths {
  i: string;
  o: string;
  x: string;
  h: string;
}

// Markup is kept short (one-letter classes, shared paths): a class of a hundred has about a thousand diagrams.
function drawRow(
  r: WireRow,
  lanes: Map<string, { x: number; prefix: string }>,
  y: number,
  paths: Paths,
  text: TextAt,
): string {
  if (r.kind === 'grader') return text('g', LEFT + 6, y + 4, cut(r.text, 90));
  const lane = r.peer === undefined ? { x: LEFT, prefix: '' } : lanes.get(r.peer);
  if (!lane) return '';
  if (r.kind === 'note')
    return text(r.peer === undefined ? 'p' : 'n', lane.x + 5, y + 4, cut(lane.prefix + r.text, 40));
  const [from, to] = r.dir === 'in' ? [lane.x, LEFT] : [LEFT, lane.x];
  const label = `<text x="${(LEFT + lane.x) / 2}" y="${y - 2}">${escText(cut(lane.prefix + r.label, LABEL))}</text>`;
  if (r.lost) {
    const mid = (from + to) / 2;
    paths.x += `M${from} ${y}H${mid}`;
    return `<text class="lx" x="${mid}" y="${y + 4}">✗</text>${label}`;
  }
  paths[r.dir === 'in' ? 'i' : 'o'] += `M${from} ${y}H${to}`;
  paths.h += `M${to} ${y}l${to < from ? 7 : -7} -3.5v7z`;
  return label;
}
