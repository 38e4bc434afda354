// `grade merge`: the outputs of shards graded on different machines combined into one, as if one machine had
// graded the class: per-student folders (report.json, results.json, junit.xml), the gradebook, the HTML report.
// Everything read is checked before anything is written: shards of different assignments, course versions or
// splits of the class are refused, and so is a report that breaks a rule (report-rules.ts), names a student the
// class or its shard does not have, or comes through a link. Students no shard graded are named.
import { existsSync, mkdirSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Lang } from '../grading/lang.js';
import { MERGEABLE, type ReporterName, reporterSpec } from '../grading/reporters/registry.js';
import { shownName } from '../grading/safe-text.js';
import type { Assignment } from '../grading/schema/assignment.js';
import { loadJsonFile } from '../grading/schema/load.js';
import { SavedReport } from '../grading/schema/report.js';
import { reportProblems } from '../grading/schema/report-rules.js';
import { ShardManifest } from '../grading/schema/shard.js';
import type { GradeReport } from '../grading/score.js';
import { type BatchEntry, checkSubmissionsFolder, gradebookCsv, studentsIn } from './batch.js';
import { folderDigest } from './digest.js';
import { UserError } from './errors.js';
import { writeAtomic } from './files.js';
import { appText } from './messages.js';
import { copyFolder, copyProblem, entryKind } from './out-folders.js';

export const SHARD_FILE = 'shard.json';

export function writeShardManifest(out: string, m: ShardManifest): void {
  mkdirSync(out, { recursive: true });
  writeAtomic(join(out, SHARD_FILE), `${JSON.stringify(m, null, 2)}\n`);
}

export interface MergeRequest {
  shards: string[];
  out: string;
  /** The class's submissions folder: its student folders are the class list. */
  submissions?: string | undefined;
  /** Reporters whose class view to write (each also written when any shard has its files). */
  reporters: ReporterName[];
  lang: Lang;
}

export interface MergeResult {
  entries: BatchEntry[];
  /** Students of the class that no shard graded. */
  missing: string[];
  /** Shards (like "3/4") that the manifests say exist and were not given. */
  missingShards: string[];
  gradebook: string;
}

interface Shard {
  dir: string;
  manifest: ShardManifest | undefined;
  reports: Map<string, SavedReport>;
}

function readShard(dir: string, lang: Lang): Shard {
  const t = appText(lang);
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new UserError(t.mergeNoFolder(dir), t.mergeNoShardNext);
  const load = <T>(file: string, schema: Parameters<typeof loadJsonFile>[1]): T => {
    const r = loadJsonFile(file, schema);
    if (!r.ok)
      throw new UserError(
        t.mergeBadFile(file, r.errors.map((e) => e.message).join('; ')),
        t.mergeBadFileNext,
      );
    return r.value as T;
  };
  const manifestFile = join(dir, SHARD_FILE);
  const manifest = existsSync(manifestFile) ? load<ShardManifest>(manifestFile, ShardManifest) : undefined;
  const reports = new Map<string, SavedReport>();
  for (const name of readdirSync(dir).sort()) {
    const file = join(dir, name, 'report.json');
    if (name.startsWith('.') || !existsSync(file)) continue;
    // A student's folder, or its report, reached through a link is not the shard's own.
    for (const path of [join(dir, name), file])
      if (entryKind(path) === 'link') throw new UserError(t.shardEntryNotPlain(path), t.shardEntryNext);
    reports.set(name, load<SavedReport>(file, SavedReport));
  }
  if (!manifest && reports.size === 0) throw new UserError(t.mergeNoShard(dir), t.mergeNoShardNext);
  return { dir, manifest, reports };
}

function shownNumber(n: number | undefined): string | undefined {
  return n === undefined ? undefined : String(n);
}

/** What a shard says about how it graded: compared field by field between shards. */
function identity(s: Shard): Record<string, string | undefined> {
  const first = s.reports.values().next().value as SavedReport | undefined;
  const m = s.manifest;
  return {
    assignment: m?.assignment ?? first?.assignment,
    'assignment digest': m?.assignmentDigest ?? first?.assignmentDigest,
    'course version': m?.courseVersion ?? first?.courseVersion,
    exercises: m
      ? m.exercises.map((e) => `${e.id}:${e.points}`).join(',')
      : first?.exercises.map((e) => `${e.id}:${e.maxPoints}`).join(','),
    threshold: shownNumber(m?.threshold ?? first?.threshold),
    // A shard given --seed and one not, or two seeds, graded with other inputs.
    seed: m ? (m.seed === undefined ? 'none' : String(m.seed)) : undefined,
    // Whom programs ran as and within which limits (the resume digest's sandbox setting): one class, one sandbox.
    sandbox: first?.digests?.isolation,
  };
}

function checkSame(shards: Shard[], lang: Lang): void {
  const t = appText(lang);
  const ref = shards[0] as Shard;
  const want = identity(ref);
  for (const s of shards.slice(1)) {
    const got = identity(s);
    for (const [what, v] of Object.entries(got))
      if (v !== undefined && want[what] !== undefined && v !== want[what])
        throw new UserError(
          t.mergeMismatch(ref.dir, s.dir, `${what}: ${want[what]} ≠ ${v}`),
          what === 'seed' ? t.mergeSeedNext : t.mergeMismatchNext,
        );
  }
  // Every report must belong to the same grading as its shard, or a stray folder copied in would slip through.
  for (const s of shards)
    for (const [student, r] of s.reports)
      for (const [what, v] of Object.entries({
        assignment: r.assignment,
        'assignment digest': r.assignmentDigest,
        'course version': r.courseVersion,
        threshold: shownNumber(r.threshold),
        sandbox: r.digests?.isolation,
      }))
        if (v !== undefined && want[what] !== undefined && v !== want[what])
          throw new UserError(
            t.mergeMismatch(ref.dir, join(s.dir, student), `${what}: ${want[what]} ≠ ${v}`),
            t.mergeMismatchNext,
          );
}

/** One split of the class: every manifest that says which part it is gives the same count. */
function checkShardCounts(shards: Shard[], lang: Lang): void {
  const t = appText(lang);
  // A manifest without a part graded the whole class: one part of one.
  const split = shards.flatMap((s) =>
    s.manifest
      ? [{ dir: s.dir, count: s.manifest.shard?.count ?? 1, index: s.manifest.shard?.index ?? 1 }]
      : [],
  );
  if (new Set(split.map((s) => s.count)).size > 1)
    throw new UserError(
      t.mergeShardCounts(split.map((s) => `${s.dir}: ${s.index}/${s.count}`).join(', ')),
      t.mergeShardCountsNext,
    );
}

/** The class's exercises and threshold, as the first shard (its manifest, else its first report) gives them. */
function classRules(shards: Shard[]): { exercises: { id: string; points: number }[]; threshold?: number } {
  const m = shards.find((s) => s.manifest)?.manifest;
  const first = shards.flatMap((s) => [...s.reports.values()])[0];
  const exercises = m?.exercises ?? (first?.exercises ?? []).map((e) => ({ id: e.id, points: e.maxPoints }));
  const threshold = m?.threshold ?? first?.threshold;
  return threshold === undefined ? { exercises } : { exercises, threshold };
}

/**
 * Every report follows the rules of a report, for this class; belongs to its shard (its manifest lists it as
 * graded); and to the class (a folder of --submissions, when given).
 */
function checkReports(
  shards: Shard[],
  classList: Set<string> | undefined,
  submissions: string,
  lang: Lang,
): void {
  const t = appText(lang);
  const rules = classRules(shards);
  for (const s of shards)
    for (const [student, report] of s.reports) {
      const file = join(s.dir, student, 'report.json');
      const problems = reportProblems(report, { ...rules, folder: student }, lang);
      if (problems.length)
        throw new UserError(
          t.reportRefused(
            file,
            problems.map((p) => `${p.where}: ${p.message}`),
          ),
          t.mergeRefusedNext,
        );
      if (s.manifest && !s.manifest.graded.includes(student))
        throw new UserError(t.mergeNotInManifest(file, join(s.dir, SHARD_FILE)), t.mergeNotInManifestNext);
      if (classList && !classList.has(student))
        throw new UserError(t.mergeNotInClass(file, shownName(student), submissions), t.mergeNotInClassNext);
      // Graded on the files the class has now, as a resumed run would require: a shard graded on an older or
      // another copy of a student's folder is not this class's grade.
      if (classList) {
        const graded = report.digests?.files;
        if (graded === undefined)
          throw new UserError(t.mergeNoDigest(file, shownName(student)), t.mergeOtherFilesNext);
        if (graded !== folderDigest(join(submissions, student)))
          throw new UserError(
            t.mergeOtherFiles(file, shownName(student), submissions),
            t.mergeOtherFilesNext,
          );
      }
    }
}

export async function mergeShards(r: MergeRequest): Promise<MergeResult> {
  const t = appText(r.lang);
  const out = resolve(r.out);
  if (r.shards.some((d) => resolve(d) === out)) throw new UserError(t.mergeIntoShard(r.out));
  // The same folder twice (by another path, or a link to it) would count its students twice.
  const seen = new Map<string, string>();
  for (const d of r.shards) {
    const real = existsSync(d) ? realpathSync(d) : resolve(d);
    const before = seen.get(real);
    if (before !== undefined) throw new UserError(t.mergeSameShard(before, d), t.mergeSameShardNext);
    seen.set(real, d);
  }
  const shards = r.shards.map((d) => readShard(d, r.lang));
  checkSame(shards, r.lang);
  checkShardCounts(shards, r.lang);
  if (r.submissions) checkSubmissionsFolder(r.submissions, r.lang);
  const classList = r.submissions ? new Set(studentsIn(r.submissions, out)) : undefined;
  checkReports(shards, classList, r.submissions ?? '', r.lang);

  const chosen = new Map<string, { report: SavedReport; from: string }>();
  for (const s of shards)
    for (const [student, report] of s.reports) {
      const had = chosen.get(student);
      if (!had) chosen.set(student, { report, from: s.dir });
      else if (had.report.points !== report.points || had.report.status !== report.status)
        throw new UserError(t.mergeConflict(shownName(student), had.from, s.dir), t.mergeConflictNext);
    }
  const students = [...chosen.keys()].sort();
  // Checked before the first write: a refusal leaves --out as it was.
  for (const student of students) {
    const { from } = chosen.get(student) as { from: string };
    const problem = copyProblem(join(from, student), join(out, student), r.lang);
    if (problem) throw new UserError(problem, t.outEntryNext);
  }

  mkdirSync(out, { recursive: true });
  for (const student of students) {
    const { from } = chosen.get(student) as { from: string };
    copyFolder(join(from, student), join(out, student));
  }

  const entries: BatchEntry[] = students.map((student) => ({
    student,
    report: (chosen.get(student) as { report: SavedReport }).report,
    resumed: true,
  }));
  const withManifest = shards.map((s) => s.manifest).filter((m): m is ShardManifest => m !== undefined);
  const { exercises, threshold } = classRules(shards);
  const title = withManifest[0]?.assignment ?? entries[0]?.report.assignment ?? '';
  // The gradebook reads only the exercises' ids and order from the assignment.
  const gradebook = join(out, 'gradebook.csv');
  writeAtomic(gradebook, gradebookCsv(entries, { exercises } as unknown as Assignment));

  // A class view (the HTML report, the class's JUnit file) when asked for or when a shard wrote one.
  for (const name of MERGEABLE) {
    const spec = reporterSpec(name);
    const had = shards.some((s) => (spec.files ?? []).some((f) => existsSync(join(s.dir, f))));
    if (!spec.class || !(r.reporters.includes(name) || had)) continue;
    const outputs = await spec.class({
      title,
      exercises,
      students: entries.map((e) => ({ student: e.student, report: e.report as unknown as GradeReport })),
      lang: r.lang,
    });
    for (const o of outputs) if ('file' in o) writeAtomic(join(out, o.file), o.text);
  }

  const everyone = new Set<string>(classList);
  for (const m of withManifest) for (const s of m.students) everyone.add(s);
  const missing = [...everyone].filter((s) => !chosen.has(s)).sort();

  const count = withManifest[0] ? (withManifest[0].shard?.count ?? 1) : undefined;
  const missingShards: string[] = [];
  if (count !== undefined) {
    const given = new Set(withManifest.map((m) => m.shard?.index ?? 1));
    for (let i = 1; i <= count; i++) if (!given.has(i)) missingShards.push(`${i}/${count}`);
  }

  const ref = withManifest[0];
  writeShardManifest(out, {
    format: 1,
    assignment: title,
    ...(ref?.assignmentDigest ? { assignmentDigest: ref.assignmentDigest } : {}),
    courseVersion: ref?.courseVersion ?? entries[0]?.report.courseVersion ?? '',
    exercises,
    ...(threshold !== undefined ? { threshold } : {}),
    students: [...new Set([...everyone, ...students])].sort(),
    graded: students,
    ...(ref?.seed !== undefined ? { seed: ref.seed } : {}),
  });
  return { entries, missing, missingShards, gradebook };
}
