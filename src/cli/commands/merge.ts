// `socketlings grade merge OUT1 OUT2 … --out DIR`: shards graded on several machines, combined into one output.
import { resolve } from 'node:path';
import { EXIT, UserError } from '../../app/errors.js';
import { mergeShards } from '../../app/merge.js';
import { appText } from '../../app/messages.js';
import { checkOutFolder } from '../../app/out-folders.js';
import { MERGEABLE, REPORTERS, reporterNames } from '../../grading/reporters/registry.js';
import { shownName } from '../../grading/safe-text.js';
import { uiText } from '../../ui/i18n.js';
import type { CommandContext } from '../context.js';

export interface MergeOptions {
  out?: string;
  submissions?: string;
  reporter?: string[];
}

export async function merge(ctx: CommandContext, shards: string[], o: MergeOptions): Promise<number> {
  const t = appText(ctx.lang);
  if (!o.out) throw new UserError(t.mergeNeedsOut);
  const { known: reporters, bad } = reporterNames(o.reporter ?? [], MERGEABLE);
  // A reporter known elsewhere is not a typo: say why merge has no use for it.
  const elsewhere = bad.filter((b) => (REPORTERS as readonly string[]).includes(b));
  if (elsewhere.length)
    throw new UserError(
      t.mergeReporterNotHere(elsewhere.join(', '), MERGEABLE.join(', ')),
      t.mergeReporterNotHereNext,
    );
  if (bad.length) throw new UserError(uiText(ctx.lang).badReporter(bad.join(', '), MERGEABLE.join(', ')));
  checkOutFolder(resolve(ctx.cwd, o.out), ctx.lang);
  const r = await mergeShards({
    shards: shards.map((d) => resolve(ctx.cwd, d)),
    out: resolve(ctx.cwd, o.out),
    submissions: o.submissions === undefined ? undefined : resolve(ctx.cwd, o.submissions),
    reporters,
    lang: ctx.lang,
  });
  const passed = r.entries.filter((e) => e.report.status === 'pass').length;
  ctx.out.write(`${t.mergeDone(r.entries.length, shards.length, passed, r.gradebook)}\n`);
  if (r.missingShards.length) ctx.err.write(`${t.mergeMissingShards(r.missingShards.join(', '))}\n`);
  // Names come from the manifests and the class folder: shown escaped, as everywhere.
  if (r.missing.length) ctx.err.write(`${t.mergeMissing(r.missing.map(shownName).join(', '))}\n`);
  if (r.entries.some((e) => e.report.status === 'error')) return EXIT.internal;
  return passed === r.entries.length && r.missing.length === 0 ? EXIT.ok : EXIT.failed;
}
