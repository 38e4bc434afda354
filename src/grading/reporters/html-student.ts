// One student's part of the class report: their points per exercise, and for each failing check the message, the
// hint and the run drawn as a sequence diagram. An exercise handed in as the unchanged starter file says so
// instead: its "failures" are only that nothing was begun.
import type { TranscriptEntry } from '../results.js';
import { utcText } from './html-assets.js';
import { esc, MAX_ROWS, seqSvg } from './html-seq.js';
import { band, fmt, type HtmlStudent, SYMBOL } from './html-stats.js';
import type { HtmlText } from './html-text.js';

type Exercise = NonNullable<HtmlStudent['report']['exercises']>[number];
type Check = Exercise['checks'][number];

/** The exercise's run up to this check: the steps before it are its context. Only the tail is kept, the rest counted. */
function upTo(checks: Check[], c: Check): { lines: TranscriptEntry[]; rest: number } {
  const lines: TranscriptEntry[] = [];
  let rest = 0;
  for (let k = checks.indexOf(c); k >= 0; k--) {
    const tr = checks[k]?.transcript ?? [];
    if (lines.length > MAX_ROWS) rest += tr.length;
    else lines.unshift(...tr);
  }
  return { lines, rest };
}

function failingCheck(t: HtmlText, checks: Check[], c: Check): string {
  const extra = [
    c.expected !== undefined ? `${t.expected}: ${c.expected}` : '',
    c.actual !== undefined ? `${t.actual}: ${c.actual}` : '',
  ]
    .filter(Boolean)
    .join('\n');
  const mark = c.status === 'error' ? '!' : '✗';
  const { lines, rest } = upTo(checks, c);
  const svg = seqSvg(lines, t.seq, rest);
  return `<h4>${mark} ${esc(c.title)}${c.status === 'error' ? ` (${t.graderError})` : ''}</h4><div class="msg">${esc(
    c.message,
  )}${extra ? `\n${esc(extra)}` : ''}</div>${c.hint ? `<p>${t.hint}: ${esc(c.hint)}</p>` : ''}${
    svg ? `<div class="scroll seqbox">${svg}</div>` : ''
  }`;
}

export function studentSection(s: HtmlStudent, i: number, ids: string[], t: HtmlText): string {
  const r = s.report;
  const by = new Map((r.exercises ?? []).map((e) => [e.id, e]));
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
    const what = e.stub ? `<span class="stub">${t.stubCell}</span>` : t.checksPassed(passed, checks.length);
    rows.push(
      `<tr id="s${i}-e${j}"><th scope="row">${name}</th><td>${fmt(e.points)} / ${fmt(e.maxPoints)} ${SYMBOL[b]}</td><td>${what}</td></tr>`,
    );
    if (bad.length === 0) return;
    const head = `<h3>${esc(id)}: ${esc(e.title ?? id)} — ${fmt(e.points)} / ${fmt(e.maxPoints)}</h3>`;
    const body = e.stub
      ? `<p class="stub">${t.stubExercise}</p>`
      : bad.map((c) => failingCheck(t, checks, c)).join('');
    details.push(`<article id="s${i}-e${j}-d">${head}${body}</article>`);
  });
  const exercises = r.exercises ?? [];
  const allStubs = exercises.length > 0 && exercises.every((e) => e.stub);
  const when = r.startedAt
    ? ` · ${t.gradedAt} <time datetime="${esc(r.startedAt)}">${esc(utcText(r.startedAt))}</time>`
    : '';
  return `<section class="student" id="s${i}"><h2>${esc(s.student)} — ${fmt(r.points)} / ${fmt(r.maxPoints)} · ${esc(
    t.status[r.status] ?? r.status,
  )}${allStubs ? ` · <span class="stub">${t.allStubs}</span>` : ''}</h2><p class="back"><a href="#r${i}">${t.backToRow}</a> · <a href="#class">${t.backToClass}</a><span class="when">${when}</span></p><div class="scroll"><table><caption>${esc(
    t.exercisesOf(s.student),
  )}</caption><thead><tr><th scope="col">${t.exercise}</th><th scope="col">${t.points}</th><th scope="col">${t.checks}</th></tr></thead><tbody>${rows.join(
    '',
  )}</tbody></table></div>${details.join('')}</section>`;
}
