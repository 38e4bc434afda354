// The instructor's class report: one self-contained HTML file (nothing fetched, one tiny script for local dates,
// see html-assets.ts: it works opened from disk and printed). A grid of points per student and exercise, the score
// distribution, the checks a share of the class failed with their commonest messages (what to re-teach), and a
// section per student with each failing check's transcript drawn as a sequence diagram (html-student.ts). Every
// colour comes with a symbol or a word. It reads from a phone to a wide screen: only wide tables and diagrams
// scroll, each inside its own box, never the page.

import { sandboxLine } from '../sandbox-text.js';
import type { Lang } from '../schema/course.js';
import { CSP, CSS, SCRIPT, utcText } from './html-assets.js';
import { esc } from './html-seq.js';
import {
  type Band,
  band,
  distribution,
  failedChecks,
  fmt,
  type HtmlStudent,
  reteachThreshold,
  SYMBOL,
} from './html-stats.js';
import { studentSection } from './html-student.js';
import { type HtmlText, htmlText } from './html-text.js';

export type { HtmlStudent } from './html-stats.js';

export interface HtmlInput {
  /** The assignment: its title and exercises, in gradebook order. */
  assignment: { title: string; exercises: { id: string }[] };
  students: HtmlStudent[];
  lang?: Lang;
  /** ISO time shown as when the report was made (fixed in tests). */
  generatedAt?: string;
}

/** Past this many exercises the grid's columns are numbered, with a legend, so the grid fits a screen. */
const NAMED_COLUMNS = 6;
/** The grid's header row comes again after this many students. */
const HEAD_AGAIN = 20;
/** Students named under a check in "what to re-teach". */
const NAMED_STUDENTS = 12;

export function htmlReport(input: HtmlInput): string {
  const t = htmlText(input.lang ?? 'en');
  const { students } = input;
  const ids = input.assignment.exercises.map((e) => e.id);
  const made = input.generatedAt ?? new Date().toISOString();
  const passed = students.filter((s) => s.report.status === 'pass').length;
  const out: string[] = [
    `<!doctype html><html lang="${input.lang ?? 'en'}"><head><meta charset="utf-8">`,
    `<meta http-equiv="Content-Security-Policy" content="${CSP}">`,
    '<meta name="viewport" content="width=device-width,initial-scale=1">',
    `<title>${esc(input.assignment.title)} — ${esc(t.report)}</title><style>${CSS}</style></head><body>`,
    `<header id="class"><h1>${esc(input.assignment.title)}</h1>`,
    `<p>${esc(t.summary(students.length, passed))} · ${esc(t.generated)} <time datetime="${esc(made)}">${esc(utcText(made))}</time></p>`,
    // Whom the programs ran as and within which limits: the same for the whole class, said once.
    ...students
      .flatMap((s) => (s.report.sandbox ? [s.report.sandbox] : []))
      .slice(0, 1)
      .map((info) => `<p>${esc(sandboxLine(info, input.lang ?? 'en'))}</p>`),
    `<nav><a href="#heatmap">${t.heatmap}</a><a href="#distribution">${t.distribution}</a><a href="#reteach">${t.reteach}</a><a href="#students">${t.students}</a></nav></header><main>`,
    grid(input, ids, t),
    histogram(input, t),
    reteachList(input, t),
    `<section id="students"><h2>${t.students}</h2>`,
  ];
  students.forEach((s, i) => {
    out.push(studentSection(s, i, ids, t));
  });
  out.push(`</section></main><script>${SCRIPT}</script></body></html>\n`);
  return out.join('\n');
}

/**
 * Student, total and status come first, so a phone shows them without scrolling; the student's name stays in view
 * while the exercises scroll sideways. In a long class the header row comes again every so many students. (A
 * header that sticks needs the grid in a box that scrolls both ways, which costs chromium a seventh more time to
 * open a class of a hundred.)
 */
function grid(input: HtmlInput, ids: string[], t: HtmlText): string {
  const titles = new Map<string, string>();
  for (const s of input.students) for (const e of s.report.exercises ?? []) titles.set(e.id, e.title ?? e.id);
  const numbered = ids.length > NAMED_COLUMNS;
  const head = ids
    .map((id, j) => {
      const full = `${id}: ${titles.get(id) ?? id}`;
      return numbered
        ? `<th scope="col"><abbr title="${esc(full)}">${j + 1}</abbr></th>`
        : `<th scope="col" class="w"><abbr title="${esc(full)}">${esc(id)}</abbr></th>`;
    })
    .join('');
  const headRow = (attrs: string) =>
    `<tr${attrs}><th scope="col">${t.student}</th><th scope="col">${t.total}</th><th scope="col">${t.statusHead}</th>${head}</tr>`;
  const legend = numbered
    ? `<details open><summary>${t.legend}</summary><ol class="legend">${ids
        .map((id, j) => `<li>${j + 1}. <b>${esc(id)}</b> ${esc(titles.get(id) ?? '')}</li>`)
        .join('')}</ol></details>`
    : '';
  const rows = input.students.map((s, i) => {
    const by = new Map((s.report.exercises ?? []).map((e) => [e.id, e]));
    const cells = ids.map((id, j) => {
      const e = by.get(id);
      if (!e) return `<td class="c0" data-points="0" title="${esc(`${id}: ${t.missing}`)}">0 —</td>`;
      const b = band(e);
      const tip = `${id}: ${fmt(e.points)} / ${fmt(e.maxPoints)} (${b === 'cs' ? t.stubCell : t.band[b]})`;
      return `<td class="${b}" data-points="${fmt(e.points)}" title="${esc(tip)}"><a href="#s${i}-e${j}">${fmt(e.points)}&#8201;${SYMBOL[b]}</a></td>`;
    });
    const st = s.report.status;
    return `<tr id="r${i}"><th scope="row" title="${esc(s.student)}"><a href="#s${i}">${esc(s.student)}</a></th><td class="n" data-total="${fmt(
      s.report.points,
    )}">${fmt(s.report.points)} / ${fmt(s.report.maxPoints)}</td><td>${esc(t.status[st] ?? st)}</td>${cells.join('')}</tr>`;
  });
  const key = (['c4', 'c3', 'c2', 'c0', 'cs', 'ce'] as Band[])
    .map((b) => `<span class="${b}">${SYMBOL[b]} ${b === 'cs' ? t.stubKey : t.band[b]}</span>`)
    .join('');
  return `<section id="heatmap"><h2>${t.heatmap}</h2><p class="key">${key}</p><p>${esc(t.heatmapCaption)}</p><div class="scroll grid"><table class="heat" aria-label="${esc(
    t.heatmap,
  )}"><thead>${headRow('')}</thead><tbody>${rows
    .map((r, i) =>
      i > 0 && i % HEAD_AGAIN === 0 ? `${headRow(' class="again" aria-hidden="true"')}${r}` : r,
    )
    .join('\n')}</tbody></table></div>${legend}</section>`;
}

/** The distribution as a table whose last column is the bar: numbers and chart in one, at any width. */
function histogram(input: HtmlInput, t: HtmlText): string {
  const bins = distribution(input.students);
  const top = Math.max(1, ...bins);
  const rows = bins
    .map((n, i) => {
      const label = i === 10 ? '100 %' : `${i * 10}–${i * 10 + 9} %`;
      const bar = n > 0 ? `<span style="width:${((100 * n) / top).toFixed(1)}%"></span>` : '';
      return `<tr><td>${label}</td><td class="n">${n}</td><td class="bar">${bar}</td></tr>`;
    })
    .join('');
  return `<section id="distribution"><h2>${t.distribution}</h2><table class="dist"><caption>${esc(
    t.distributionCaption,
  )}</caption><thead><tr><th scope="col">${t.score}</th><th scope="col">${t.studentsCount}</th><th scope="col"></th></tr></thead><tbody>${rows}</tbody></table></section>`;
}

/** The checks a share of the class failed (html-stats.ts reteachThreshold), ranked, with who failed them. */
function reteachList(input: HtmlInput, t: HtmlText): string {
  const n = input.students.length;
  const all = failedChecks(input.students);
  const head = `<section id="reteach"><h2>${t.reteach}</h2>`;
  if (all.length === 0) return `${head}<p>${t.nothingFailed}</p></section>`;
  const min = reteachThreshold(n);
  const above = all.filter((r) => r.students >= min);
  const shown = above.slice(0, 12);
  const below = all.length - above.length;
  const index = new Map(input.students.map((s, i) => [s, i]));
  const items = shown.map((r) => {
    const who = input.students.filter((s) =>
      (s.report.exercises ?? []).some(
        (e) => e.id === r.exercise && (e.checks ?? []).some((c) => c.id === r.check && c.status === 'fail'),
      ),
    );
    const named = who
      .slice(0, NAMED_STUDENTS)
      .map((s) => `<a href="#s${index.get(s)}">${esc(s.student)}</a>`)
      .join(', ');
    const more = who.length > NAMED_STUDENTS ? `, ${t.andMore(who.length - NAMED_STUDENTS)}` : '';
    return `<li><p><b>${esc(r.exercise)}</b>: ${esc(r.title)} — <strong>${t.failedByOf(r.students, n)}</strong></p><ul>${r.messages
      .map((m) => `<li>${esc(m.text)} <small>(${t.times(m.count)})</small></li>`)
      .join('')}</ul><p class="who">${named}${more}</p></li>`;
  });
  const notes = [
    above.length > shown.length ? `<p>${t.reteachCut(above.length - shown.length)}</p>` : '',
    below > 0 ? `<p>${t.reteachBelow(below)}</p>` : '',
  ].join('');
  if (shown.length === 0) return `${head}<p>${t.nothingCommon(min)}</p>${notes}</section>`;
  return `${head}<p>${t.reteachRule(min, n)}</p><ol class="reteach">${items.join('')}</ol>${notes}</section>`;
}
