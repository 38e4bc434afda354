// The instructor's class report: one self-contained HTML file (no script, no network: it works opened from disk
// and printed). A heatmap of points per student and exercise, the score distribution, the checks that failed most
// with their commonest messages (what to re-teach), and a section per student with each failing check's
// transcript drawn as a sequence diagram. Every colour comes with a symbol or a word.

import type { TranscriptEntry } from '../results.js';
import { sandboxLine } from '../sandbox-text.js';
import type { Lang } from '../schema/course.js';
import type { ScoredExercise } from '../score.js';
import { esc, MAX_ROWS, type SeqText, seqSvg } from './html-seq.js';
import { distribution, type HtmlStudent, reteach } from './html-stats.js';
import { htmlText } from './html-text.js';

export type { HtmlStudent } from './html-stats.js';

export interface HtmlInput {
  /** The assignment: its title and exercises, in gradebook order. */
  assignment: { title: string; exercises: { id: string }[] };
  students: HtmlStudent[];
  lang?: Lang;
  /** ISO time shown as when the report was made (fixed in tests). */
  generatedAt?: string;
}

const CSS = `
:root{font:15px/1.45 system-ui,sans-serif;color:#1b1b1b;background:#fff}
body{margin:0 auto;max-width:1200px;padding:1rem 1.5rem}
h1{font-size:1.5rem}h2{font-size:1.25rem;margin-top:2rem;border-bottom:1px solid #bbb}
nav a{margin-right:1rem}
table{border-collapse:collapse;margin:.5rem 0}
th,td{border:1px solid #999;padding:.15rem .4rem;text-align:left;vertical-align:top}
thead th{background:#eee}
.scroll{overflow-x:auto}
.heat td{text-align:center;white-space:nowrap;min-width:2.6rem}
.heat thead th.ex{writing-mode:vertical-rl;transform:rotate(180deg);font-weight:normal;font-size:.85rem}
.heat td a{color:inherit;text-decoration:none;display:block}
.heat td a:hover,.heat td a:focus{text-decoration:underline}
.c4{background:#bfe5c8}.c3{background:#f7e7a1}.c2{background:#f9c98f}.c0{background:#f3b0b0}.ce{background:#d6ccf3}
.key span{display:inline-block;padding:0 .4rem;margin-right:.4rem;border:1px solid #999}
.bars rect{fill:#5a7fb5}.bars text{font-size:11px;text-anchor:middle}
.student{border-top:2px solid #444;margin-top:2rem;content-visibility:auto;contain-intrinsic-size:auto 1200px}
.back{font-size:.9rem}
.msg{white-space:pre-wrap;font-family:ui-monospace,monospace;font-size:.85rem;background:#f6f6f6;padding:.3rem;margin:.2rem 0}
.seq{max-width:100%;height:auto;display:block;margin:.4rem 0 1rem;font:11px ui-monospace,monospace}
.seq text{text-anchor:middle}.seq .t,.seq .n,.seq .g,.seq .p,.seq .fx{text-anchor:start}
.seq .ln{font-weight:bold}.seq .ll{stroke:#aaa;stroke-dasharray:3 3}
.seq .t{fill:#666;font-size:10px}.seq path{stroke-width:1.4;fill:none}.seq .i{stroke:#8a5a00}.seq .o{stroke:#00668a}
.seq .h{fill:#333;stroke:none}.seq .x{stroke:#b00;stroke-dasharray:4 2}.seq .lx{fill:#b00;font-weight:bold}
.seq .n,.seq .g{fill:#555}.seq .p{fill:#00668a}
.seq .fl{stroke:#b00;stroke-width:2}.seq .fx{fill:#b00;font-weight:bold}
@media print{nav,.back{display:none}.student{break-before:page}
.c4,.c3,.c2,.c0,.ce,.bars rect{print-color-adjust:exact;-webkit-print-color-adjust:exact}a{color:inherit;text-decoration:none}}
`;

type Band = 'c4' | 'c3' | 'c2' | 'c0' | 'ce';

function band(e: Pick<ScoredExercise, 'points' | 'maxPoints'> & { result?: { status?: string } }): Band {
  if (e.result?.status === 'error') return 'ce';
  if (e.maxPoints > 0 && e.points >= e.maxPoints) return 'c4';
  if (e.points <= 0) return 'c0';
  return e.points * 2 >= e.maxPoints ? 'c3' : 'c2';
}

const SYMBOL: Record<Band, string> = { c4: '✓', c3: '◐', c2: '◔', c0: '✗', ce: '!' };

function fmt(n: number): string {
  return String(Math.round(n * 100) / 100);
}

export function htmlReport(input: HtmlInput): string {
  const t = htmlText(input.lang ?? 'en');
  const { students } = input;
  const ids = input.assignment.exercises.map((e) => e.id);
  const out: string[] = [];
  out.push(
    `<!doctype html><html lang="${input.lang ?? 'en'}"><head><meta charset="utf-8">`,
    '<meta name="viewport" content="width=device-width,initial-scale=1">',
    `<title>${esc(input.assignment.title)} — ${esc(t.report)}</title><style>${CSS}</style></head><body>`,
    `<header id="class"><h1>${esc(input.assignment.title)}</h1>`,
    `<p>${esc(t.summary(students.length, students.filter((s) => s.report.status === 'pass').length))} · ${esc(
      t.generated,
    )} ${esc(input.generatedAt ?? new Date().toISOString())}</p>`,
    // Whom the programs ran as and within which limits: the same for the whole class, said once.
    ...students
      .flatMap((s) => (s.report.sandbox ? [s.report.sandbox] : []))
      .slice(0, 1)
      .map((info) => `<p>${esc(sandboxLine(info, input.lang ?? 'en'))}</p>`),
    `<nav><a href="#heatmap">${t.heatmap}</a><a href="#distribution">${t.distribution}</a><a href="#reteach">${t.reteach}</a><a href="#students">${t.students}</a></nav></header><main>`,
  );
  out.push(heatmap(input, ids, t), histogram(input, t), reteachTable(input, t));
  out.push(`<section id="students"><h2>${t.students}</h2>`);
  students.forEach((s, i) => {
    out.push(studentSection(s, i, ids, t));
  });
  out.push('</section></main></body></html>\n');
  return out.join('\n');
}

function heatmap(input: HtmlInput, ids: string[], t: ReturnType<typeof htmlText>): string {
  const titles = new Map<string, string>();
  for (const s of input.students) for (const e of s.report.exercises ?? []) titles.set(e.id, e.title ?? e.id);
  const head = ids
    .map(
      (id) => `<th scope="col" class="ex"><abbr title="${esc(titles.get(id) ?? id)}">${esc(id)}</abbr></th>`,
    )
    .join('');
  const rows = input.students.map((s, i) => {
    const by = new Map((s.report.exercises ?? []).map((e) => [e.id, e]));
    const cells = ids.map((id, j) => {
      const e = by.get(id);
      if (!e)
        return `<td class="c0" data-points="0" title="${esc(`${s.student} · ${id}: ${t.missing}`)}">0 —</td>`;
      const b = band(e);
      const tip = `${s.student} · ${id}: ${fmt(e.points)} / ${fmt(e.maxPoints)} (${t.band[b]})`;
      return `<td class="${b}" data-points="${fmt(e.points)}" title="${esc(tip)}"><a href="#s${i}-e${j}">${fmt(e.points)} ${SYMBOL[b]}</a></td>`;
    });
    const st = s.report.status;
    return `<tr id="r${i}"><th scope="row"><a href="#s${i}">${esc(s.student)}</a></th>${cells.join('')}<td data-points="${fmt(
      s.report.points,
    )}">${fmt(s.report.points)} / ${fmt(s.report.maxPoints)}</td><td>${esc(t.status[st] ?? st)}</td></tr>`;
  });
  const key = (['c4', 'c3', 'c2', 'c0', 'ce'] as Band[])
    .map((b) => `<span class="${b}">${SYMBOL[b]} ${t.band[b]}</span>`)
    .join('');
  return `<section id="heatmap"><h2>${t.heatmap}</h2><p class="key">${key}</p><div class="scroll"><table class="heat"><caption>${esc(
    t.heatmapCaption,
  )}</caption><thead><tr><th scope="col">${t.student}</th>${head}<th scope="col">${t.total}</th><th scope="col">${t.statusHead}</th></tr></thead><tbody>${rows.join(
    '\n',
  )}</tbody></table></div></section>`;
}

function histogram(input: HtmlInput, t: ReturnType<typeof htmlText>): string {
  const bins = distribution(input.students);
  const labels = bins.map((_, i) => (i === 10 ? '100%' : `${i * 10}–${i * 10 + 9}%`));
  const top = Math.max(1, ...bins);
  const bw = 44;
  const h = 140;
  const bars = bins
    .map((n, i) => {
      const bh = Math.round((n / top) * (h - 40));
      const x = 10 + i * bw;
      return `<rect x="${x}" y="${h - 20 - bh}" width="${bw - 6}" height="${bh}"/><text x="${x + (bw - 6) / 2}" y="${h - 24 - bh}">${n}</text><text x="${x + (bw - 6) / 2}" y="${h - 6}">${i === 10 ? '100' : i * 10}</text>`;
    })
    .join('');
  const table = `<table><caption>${esc(t.distributionCaption)}</caption><thead><tr><th scope="col">${t.score}</th><th scope="col">${t.studentsCount}</th></tr></thead><tbody>${bins
    .map((n, i) => `<tr><td>${labels[i]}</td><td>${n}</td></tr>`)
    .join('')}</tbody></table>`;
  return `<section id="distribution"><h2>${t.distribution}</h2><svg class="bars" viewBox="0 0 ${10 + 11 * bw} ${h}" width="${10 + 11 * bw}" height="${h}" role="img" aria-label="${esc(
    t.distributionCaption,
  )}">${bars}</svg>${table}</section>`;
}

function reteachTable(input: HtmlInput, t: ReturnType<typeof htmlText>): string {
  const list = reteach(input.students);
  if (list.length === 0)
    return `<section id="reteach"><h2>${t.reteach}</h2><p>${t.nothingFailed}</p></section>`;
  const rows = list.map(
    (r) =>
      `<tr><td>${esc(r.exercise)}</td><td>${esc(r.title)}</td><td>${r.students} / ${input.students.length}</td><td><ul>${r.messages
        .map((m) => `<li>${esc(m.text)} <small>(${t.times(m.count)})</small></li>`)
        .join('')}</ul></td></tr>`,
  );
  return `<section id="reteach"><h2>${t.reteach}</h2><table><caption>${esc(t.reteachCaption)}</caption><thead><tr><th scope="col">${t.exercise}</th><th scope="col">${t.check}</th><th scope="col">${t.failedBy}</th><th scope="col">${t.commonMessages}</th></tr></thead><tbody>${rows.join(
    '',
  )}</tbody></table></section>`;
}

function studentSection(s: HtmlStudent, i: number, ids: string[], t: ReturnType<typeof htmlText>): string {
  const r = s.report;
  const by = new Map((r.exercises ?? []).map((e) => [e.id, e]));
  const seqText: SeqText = t.seq;
  const rows: string[] = [];
  const details: string[] = [];
  ids.forEach((id, j) => {
    const e = by.get(id);
    if (!e) {
      rows.push(`<tr id="s${i}-e${j}"><th scope="row">${esc(id)}</th><td>0</td><td>${t.missing}</td></tr>`);
      return;
    }
    const checks = e.checks ?? [];
    const bad = checks.filter((c) => c.status === 'fail' || c.status === 'error');
    const passed = checks.filter((c) => c.status === 'pass').length;
    const b = band(e);
    const name = bad.length ? `<a href="#s${i}-e${j}-d">${esc(id)}</a>` : esc(id);
    rows.push(
      `<tr id="s${i}-e${j}"><th scope="row">${name}</th><td>${fmt(e.points)} / ${fmt(e.maxPoints)} ${SYMBOL[b]}</td><td>${t.checksPassed(passed, checks.length)}</td></tr>`,
    );
    if (bad.length === 0) return;
    // Each diagram shows the exercise's run up to that check: the steps before it are its context. Only the
    // tail is drawn, so only enough of the earlier checks' lines are gathered, and the rest counted.
    const upTo = (c: (typeof checks)[number]) => {
      const lines: TranscriptEntry[] = [];
      let rest = 0;
      for (let k = checks.indexOf(c); k >= 0; k--) {
        const tr = checks[k]?.transcript ?? [];
        if (lines.length > MAX_ROWS) rest += tr.length;
        else lines.unshift(...tr);
      }
      return { lines, rest };
    };
    const diagram = (c: (typeof checks)[number]) => {
      const { lines, rest } = upTo(c);
      return seqSvg(lines, c.message.split('\n', 1)[0], seqText, rest);
    };
    const parts = bad.map((c) => {
      const extra = [
        c.expected !== undefined ? `${t.expected}: ${c.expected}` : '',
        c.actual !== undefined ? `${t.actual}: ${c.actual}` : '',
      ]
        .filter(Boolean)
        .join('\n');
      const mark = c.status === 'error' ? '!' : '✗';
      return `<h4>${mark} ${esc(c.title)}${c.status === 'error' ? ` (${t.graderError})` : ''}</h4><div class="msg">${esc(
        c.message,
      )}${extra ? `\n${esc(extra)}` : ''}</div>${c.hint ? `<p>${t.hint}: ${esc(c.hint)}</p>` : ''}${diagram(c)}`;
    });
    details.push(
      `<article id="s${i}-e${j}-d"><h3>${esc(id)}: ${esc(e.title ?? id)} — ${fmt(e.points)} / ${fmt(e.maxPoints)}</h3>${parts.join('')}</article>`,
    );
  });
  return `<section class="student" id="s${i}"><h2>${esc(s.student)} — ${fmt(r.points)} / ${fmt(r.maxPoints)} · ${esc(
    t.status[r.status] ?? r.status,
  )}</h2><p class="back"><a href="#r${i}">${t.backToRow}</a> · <a href="#class">${t.backToClass}</a></p><table><caption>${esc(
    t.exercisesOf(s.student),
  )}</caption><thead><tr><th scope="col">${t.exercise}</th><th scope="col">${t.points}</th><th scope="col">${t.checks}</th></tr></thead><tbody>${rows.join(
    '',
  )}</tbody></table>${details.join('')}</section>`;
}
