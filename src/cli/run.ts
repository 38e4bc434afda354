// The command table, the top-level catch, and what happens on Ctrl+C.
import { Command, CommanderError, Option } from 'commander';
import { EXIT, PromptInterrupted, UserError } from '../app/errors.js';
import { haltWrites, unsavedNote } from '../app/files.js';
import { markStopping } from '../app/interrupt.js';
import { resolveLang } from '../app/lang.js';
import { learnerWorkspaceRoot } from '../app/locate.js';
import { appText } from '../app/messages.js';
import { closest } from '../app/suggest.js';
import { MERGEABLE, REPORTERS } from '../grading/reporters/registry.js';
import { safeText } from '../grading/safe-text.js';
import type { Lang } from '../grading/schema/course.js';
import { fileLang, setFileLang } from '../grading/schema/load-text.js';
import { fitText, widthOf } from '../ui/fit.js';
import { width as displayWidth, layout } from '../ui/layout.js';
import { killAllNow, stopAll } from '../wire/program.js';
import { removeAllCgroups } from '../wire/sandbox-cgroup.js';
import { removeAllScratch } from '../wire/scratch.js';
import { killAllWorkersNow, stopAllWorkers } from '../wire/worker.js';
import type { CommandContext } from './context.js';
import { earlyLang, type HelpText, helpText } from './help.js';

export interface GlobalOptions {
  course?: string;
  lang?: string;
}

const ISSUES_URL = 'https://github.com/socketlings/socketlings/issues';

async function contextOf(program: Command): Promise<CommandContext> {
  const g = program.opts<GlobalOptions>();
  const cwd = process.cwd();
  // The workspace's language counts only inside one; finding out costs a file read only there.
  let wsLang: Lang | undefined;
  if (!g.lang && !process.env.SOCKETLINGS_LANG && learnerWorkspaceRoot(cwd)) {
    const { findWorkspace } = await import('../app/workspace.js');
    wsLang = findWorkspace(cwd, { below: true })?.manifest.lang;
  }
  const lang = resolveLang(g.lang, process.env, wsLang);
  setFileLang(lang);
  return { cwd, lang, course: g.course, out: process.stdout, err: process.stderr };
}

let interrupted: number | undefined;

/**
 * On Ctrl+C or SIGTERM: write nothing more, stop every learner program (whole process groups), remove every run
 * folder, then leave with 130 or 143.
 */
function installSignalHandlers(): void {
  const onSignal = (sig: NodeJS.Signals) => {
    if (interrupted !== undefined) {
      killAllNow();
      killAllWorkersNow();
      removeAllScratch();
      removeAllCgroups();
      process.exit(interrupted);
    }
    interrupted = sig === 'SIGINT' ? EXIT.interrupted : EXIT.terminated;
    haltWrites();
    markStopping();
    // The run folders go only once every program is gone: one still running could write into them again.
    void Promise.all([stopAll(), stopAllWorkers()]).finally(() => {
      removeAllScratch();
      removeAllCgroups();
      process.exit(interrupted);
    });
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
  process.on('exit', () => {
    killAllNow();
    killAllWorkersNow();
    removeAllScratch();
    removeAllCgroups();
  });
}

export async function run(argv: string[], version: string): Promise<number> {
  installSignalHandlers();
  let code: number = EXIT.ok;
  const h = helpText(earlyLang(argv));
  const program = new Command('socketlings')
    .description(h.about)
    .version(version, '-V, --version', h.version)
    .helpOption('-h, --help', h.help)
    .helpCommand('help [command]', h.help)
    .addOption(new Option('--course <dir>', h.course))
    .addOption(new Option('--lang <lang>', h.lang))
    .exitOverride()
    .showSuggestionAfterError()
    // Set before the commands are added, so each of them inherits it: commander's own words in this language.
    .configureHelp({
      styleTitle: (title) => h.titles[title] ?? title,
      // Laid out like every other text: Chinese takes two columns and breaks between characters; descriptions
      // wrap even beside long option names on a 60-column terminal (commander stops wrapping below 40).
      displayWidth,
      minWidthToWrap: 16,
      boxWrap: (str, w) =>
        str
          .split('\n')
          .map((line) => layout([{ text: line }], Math.max(20, w)).join('\n'))
          .join('\n'),
    })
    .configureOutput({
      // The terminal's width, or $COLUMNS when piped, as for everything else printed.
      getOutHelpWidth: () => widthOf(process.stdout) ?? 80,
      getErrHelpWidth: () => widthOf(process.stderr) ?? 80,
      writeErr: (s) => process.stderr.write(s),
      outputError: (s, write) => write(h.errors.reduce((msg, [en, here]) => msg.replace(en, here), s)),
    });

  program
    .command('init')
    .description(h.init)
    .argument('[dir]', h.initDir)
    .option('--ci <provider>', h.ci)
    .option('--from <spec>', h.from)
    .action(async (dir: string | undefined, o: { ci?: string; from?: string }) => {
      const { init } = await import('./commands/learn.js');
      code = await init(await contextOf(program), dir, o);
    });

  program
    .command('progress')
    .description(h.progress)
    .option('--json', h.json)
    .action(async (o: { json?: boolean }) => {
      const { progress } = await import('./commands/learn.js');
      code = await progress(await contextOf(program), o);
    });

  program
    .command('hint')
    .description(h.hint)
    .argument('[exercise]', h.exerciseId)
    .action(async (id: string | undefined) => {
      const { hint } = await import('./commands/learn.js');
      code = await hint(await contextOf(program), id);
    });

  program
    .command('solution')
    .description(h.solution)
    .argument('<exercise>', h.exerciseId)
    .option('--yes', h.yes)
    .action(async (id: string, o: { yes?: boolean }) => {
      const { solution } = await import('./commands/learn.js');
      code = await solution(await contextOf(program), id, o);
    });

  program
    .command('reset')
    .description(h.reset)
    .argument('[exercise]', h.exerciseId)
    .option('--all', h.all)
    .option('--yes', h.yes)
    .action(async (id: string | undefined, o: { all?: boolean; yes?: boolean }) => {
      const { reset } = await import('./commands/learn.js');
      code = await reset(await contextOf(program), id, o);
    });

  program
    .command('watch')
    .description(h.watch)
    .option('--poll', h.poll)
    .action(async (o: { poll?: boolean }) => {
      const { watch } = await import('./commands/watch.js');
      code = await watch(await contextOf(program), o);
    });

  program.action(async () => {
    const { menu } = await import('./commands/menu.js');
    code = await menu(await contextOf(program));
  });

  program
    .command('list')
    .description(h.list)
    .option('--json', h.json)
    .action(async (o: { json?: boolean }) => {
      const { list } = await import('./commands/list.js');
      code = await list(await contextOf(program), o);
    });

  program
    .command('read')
    .description(h.read)
    .argument('<lesson>', h.readKey)
    .option('--answers', h.answers)
    .action(async (key: string, o: { answers?: boolean }) => {
      const { read } = await import('./commands/read.js');
      code = await read(await contextOf(program), key, o);
    });

  program
    .command('quiz')
    .description(h.quiz)
    .argument('[lesson]', h.quizKey)
    .action(async (key: string | undefined) => {
      const { quiz } = await import('./commands/quiz.js');
      code = await quiz(await contextOf(program), key);
    });

  program
    .command('verify')
    .description(h.verify)
    .argument('[exercise]', h.exerciseId)
    .option('--file <path>', h.file)
    .option('--run <command>', h.run)
    .option('--seed <n>', h.seedReplay)
    .option('--json', h.jsonResults)
    .option('--sandbox', h.verifySandbox)
    .option('--sandbox-user <user>', h.sandboxUser)
    .option('--memory <size>', h.memory)
    .option('--disk <size>', h.disk)
    .option('--wire', h.wire)
    .option('--no-wire', h.noWire)
    .option('--verbose', h.verbose)
    .action(async (id: string | undefined, o: import('./commands/verify.js').VerifyOptions) => {
      const { verify } = await import('./commands/verify.js');
      code = await verify(await contextOf(program), id, o);
    });

  program
    .command('peer')
    .description(h.peer)
    .argument('<exercise>', h.exerciseId)
    .option('--port <n>', h.port, '8079')
    .option('--seed <n>', h.seed)
    .option('--wire', h.peerWire)
    .action(async (id: string, o: { port: string; seed?: string; wire?: boolean }) => {
      const { peer } = await import('./commands/peer.js');
      code = await peer(await contextOf(program), id, o);
    });

  program
    .command('doctor')
    .description(h.doctor)
    .option('--json', h.json)
    .action(async (o: { json?: boolean }) => {
      const { doctor } = await import('./commands/doctor.js');
      code = await doctor(await contextOf(program), o);
    });

  const gradeCommand = program
    .command('grade')
    .description(h.grade)
    .option('--assignment <file>', h.assignment)
    .option('--reporter <name>', h.reporter(REPORTERS), (v: string, prev: string[] = []) => [...prev, v])
    .option('--out <dir>', h.out)
    .option('--seed <n>', h.seed)
    .option('--submissions <dir>', h.submissions)
    .option('--jobs <n>', h.jobs)
    .option('--csv <file>', h.csv)
    .option('--shard <i/n>', h.shard)
    .option('--force', h.force)
    .option('--sandbox', h.sandbox)
    .option('--no-sandbox', h.noSandbox)
    .option('--sandbox-user <user>', h.sandboxUser)
    .option('--memory <size>', h.memory)
    .option('--disk <size>', h.disk)
    .option('--student <name>', h.student)
    .action(async (o: import('./commands/grade.js').GradeOptions) => {
      const { grade } = await import('./commands/grade.js');
      code = await grade(await contextOf(program), o, version);
    });
  gradeCommand
    .command('merge')
    .description(h.merge)
    .argument('<shards...>', h.mergeShards)
    .option('--out <dir>', h.mergeOut)
    .option('--submissions <dir>', h.mergeSubmissions)
    .option('--reporter <name>', h.mergeReporter(MERGEABLE), (v: string, prev: string[] = []) => [...prev, v])
    .action(async (shards: string[], own: Partial<import('./commands/merge.js').MergeOptions>) => {
      // grade has options of the same names, and commander gives them to grade wherever they stand.
      const o = { ...gradeCommand.opts<Partial<import('./commands/merge.js').MergeOptions>>(), ...own };
      const { merge } = await import('./commands/merge.js');
      code = await merge(await contextOf(program), shards, o);
    });

  const dev = program.command('dev').description(h.dev);
  dev
    .command('new')
    .description(h.devNew)
    .argument('<dir>', h.initDir)
    .action(async (dir: string) => {
      const { devNew } = await import('./commands/dev.js');
      code = await devNew(await contextOf(program), dir);
    });

  dev
    .command('check')
    .description(h.devCheck)
    .option('--seed <n>', h.seed)
    .option('--jobs <n>', h.jobs)
    .option('--json', h.json)
    .action(async (o: { seed?: string; jobs?: string; json?: boolean }) => {
      const { devCheckCommand } = await import('./commands/dev.js');
      code = await devCheckCommand(await contextOf(program), o);
    });

  try {
    mustKnowCommand(program, argv, h);
    await program.parseAsync(argv, { from: 'user' });
    tellUnsaved();
    return interrupted ?? code;
  } catch (err) {
    return interrupted ?? report(err, version);
  }
}

/** One line after the command's output when progress could not be written; the command's exit code stands. */
function tellUnsaved(): void {
  const u = unsavedNote();
  if (u)
    process.stderr.write(
      `${fitText(appText(fileLang()).progressNotSaved(u.file, u.reason), widthOf(process.stderr))}\n`,
    );
}

/** The first word that is not an option (nor a global option's value): the command the user meant. */
function commandWord(argv: string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--') return undefined;
    if (a === '--course' || a === '--lang') i++;
    else if (!a.startsWith('-')) return a;
  }
  return undefined;
}

/**
 * `socketlings verfy tcp-client` would reach the menu's action as two stray arguments ("too many arguments"):
 * an unknown first word is a mistyped command, so say which ones are close.
 */
function mustKnowCommand(program: Command, argv: string[], h: HelpText): void {
  const word = commandWord(argv);
  if (word === undefined) return;
  const names = [...program.commands.flatMap((c) => [c.name(), ...c.aliases()]), 'help'];
  if (names.includes(word)) return;
  const close = closest(names, word);
  throw new UserError(h.unknownCommand(word), close.length ? h.didYouMean(close.join(' / ')) : h.seeHelp);
}

function report(err: unknown, version: string): number {
  if (err instanceof CommanderError) {
    // Commander has printed its message already; --help and --version end here too.
    return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  if (err instanceof PromptInterrupted) return err.exitCode;
  // A message may name what a student or a shard chose (a folder name, a path inside a submission).
  if (err instanceof UserError) {
    const w = widthOf(process.stderr);
    process.stderr.write(`${fitText(`socketlings: ${safeText(err.message)}`, w)}\n`);
    if (err.next) process.stderr.write(`${fitText(`  → ${safeText(err.next)}`, w)}\n`);
    return err.exitCode;
  }
  const e = err as Error;
  process.stderr.write(
    [
      `socketlings: internal error: ${safeText(e?.message ?? String(err))}`,
      safeText(e?.stack ?? ''),
      `socketlings ${version}, node ${process.version}, ${process.platform} ${process.arch}`,
      `This is a bug in socketlings. Please report it, with the lines above, at ${ISSUES_URL}`,
      '',
    ].join('\n'),
  );
  return EXIT.internal;
}
