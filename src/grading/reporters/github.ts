// GitHub Actions: a step log with one error annotation per failing check, and Markdown for $GITHUB_STEP_SUMMARY.
//
// The runner reads every stdout line of a step as a possible workflow command (`::cmd::` at the start of a line,
// and the legacy `##[cmd]` anywhere in one), and a student controls some of what we print. So the log is built in
// two parts: our annotations, each one escaped line, and everything else between `::stop-commands::<token>` and
// `::<token>::`. The token is random per run and never derived from the report, so the student cannot end the fence.
import { randomBytes } from 'node:crypto';
import type { Status } from '../results.js';
import { safeText } from '../safe-text.js';
import type { GradeReport, ScoredCheck, ScoredExercise } from '../score.js';
import { firstSentence } from './json.js';
import { plainBytes, plainCheckDetails } from './junit.js';
import { learnerLocation } from './location.js';

/**
 * Error annotations GitHub shows per step (and as many notices); it drops the rest without a word, so a report
 * carries at most this many and then a notice that counts the others.
 */
export const MAX_ANNOTATIONS = 10;

/** A token the runner will accept and a student cannot guess: 128 random bits in hex. */
export function newStopToken(): string {
  return randomBytes(16).toString('hex');
}

/** Workflow-command data: the runner unescapes exactly these. */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Property values are also split on `,` and end at `::`. */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

const WORD: Record<Status, string> = { pass: 'PASS', fail: 'FAIL', error: 'ERROR', skip: 'SKIP' };
const EMOJI: Record<Status, string> = {
  pass: '✅ pass',
  fail: '❌ fail',
  error: '⚠️ error',
  skip: '⏭️ skipped',
};

function failing(c: ScoredCheck): boolean {
  return c.status === 'fail' || c.status === 'error';
}

function who(r: GradeReport): string {
  const w = r.student !== undefined ? `${r.assignment} — ${r.student}` : r.assignment;
  return safeText(w, { oneLine: true });
}

function annotation(r: GradeReport, e: ScoredExercise, c: ScoredCheck): string {
  // The transcript stays in the fenced log: an annotation is meant to be read at a glance.
  // Outside the fence, and the runner's escapes cover only `%`, CR and LF: the program's stderr in the message
  // must not carry terminal sequences into the log viewer.
  const message = safeText(
    r.feedback === 'full' ? [c.message, ...plainBytes(c)].join('\n') : firstSentence(c.message),
  );
  // file= and line= put the annotation on the learner's own code (where a traceback points into it).
  const at = learnerLocation(e.result, c);
  const where = at
    ? `file=${escapeProperty(safeText(at.file, { oneLine: true }))},${at.line !== undefined ? `line=${at.line},` : ''}`
    : '';
  return `::error ${where}title=${escapeProperty(safeText(`${e.id}: ${c.title}`, { oneLine: true }))}::${escapeData(message)}`;
}

/** The readable report: it goes inside the fence, so it may say anything. */
function logBody(r: GradeReport): string[] {
  const lines = [
    `socketlings: ${who(r)}: ${r.points}/${r.maxPoints} points, ${r.status} (needs ${r.threshold})`,
  ];
  for (const e of r.exercises) {
    lines.push('', `${e.id} — ${e.title}: ${e.points}/${e.maxPoints} points, ${e.result.status}`);
    for (const c of e.checks) {
      lines.push(`  ${WORD[c.status]} ${c.title}`);
      if (c.status === 'pass') continue;
      const details = r.feedback === 'full' && failing(c) ? plainCheckDetails(c) : [firstSentence(c.message)];
      for (const d of details) for (const l of d.split('\n')) lines.push(`      ${l}`);
    }
  }
  return lines.map((l) => safeText(l, { oneLine: true }));
}

export function mdEscape(s: string): string {
  // Any ASCII punctuation may be backslash-escaped in CommonMark, and entities keep `<` from opening HTML: no link,
  // image, tag or table cell can leak out of learner text; control characters are shown as escapes first.
  return (
    safeText(s)
      .replace(/[\\`*_{}[\]()#+\-.!|~:"'$]/g, '\\$&')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .split(/\r\n|\r|\n/)
      .map((l) => l.trimEnd())
      .filter((l) => l !== '')
      // Markdown drops leading spaces, and a traceback's indentation is what shows its frames.
      .map((l) => l.replace(/^ +/, (pad) => '&nbsp;'.repeat(pad.length)))
      .join('<br>')
  );
}

function summaryMarkdown(r: GradeReport): string {
  const out = [
    `## socketlings: ${mdEscape(who(r))}`,
    '',
    '| exercise | points | result |',
    '| --- | ---: | --- |',
    ...r.exercises.map(
      (e) =>
        `| ${mdEscape(`${e.id} — ${e.title}`)} | ${e.points} / ${e.maxPoints} | ${EMOJI[e.result.status]} |`,
    ),
    `| **total** | **${r.points} / ${r.maxPoints}** | ${EMOJI[r.status]} (needs ${r.threshold}) |`,
  ];
  const failed = r.exercises.flatMap((e) => e.checks.filter(failing).map((c) => ({ e, c })));
  if (failed.length) {
    out.push('', '### Failing checks', '');
    for (const { e, c } of failed) {
      const message = r.feedback === 'full' ? c.message : firstSentence(c.message);
      out.push(`- **${mdEscape(`${e.id}: ${c.title}`)}**: ${mdEscape(message)}`);
    }
  }
  return `${out.join('\n')}\n`;
}

export function githubReport(r: GradeReport, token: string): { log: string; summary: string } {
  if (!/^[0-9a-f]{16,}$/i.test(token))
    throw new Error('githubReport needs a random hex token (see newStopToken)');
  const body = logBody(r);
  // Only a guessed token could end the fence early; refuse rather than print a fence that does not hold.
  const lowered = token.toLowerCase();
  if (body.some((l) => l.toLowerCase().includes(lowered)))
    throw new Error('the stop-commands token occurs in the log');
  const all = r.exercises.flatMap((e) => e.checks.filter(failing).map((c) => annotation(r, e, c)));
  const annotations = all.slice(0, MAX_ANNOTATIONS);
  if (all.length > MAX_ANNOTATIONS)
    annotations.push(
      `::notice title=${escapeProperty(`socketlings: ${who(r)}`)}::${escapeData(
        `${all.length - MAX_ANNOTATIONS} more failing checks; the log above and the step summary list every one.`,
      )}`,
    );
  const log = [`::stop-commands::${token}`, ...body, `::${token}::`, ...annotations, ''].join('\n');
  return { log, summary: summaryMarkdown(r) };
}
