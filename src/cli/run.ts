// The command table, the top-level catch, and what happens on Ctrl+C.
import { Command, CommanderError, Option } from 'commander';
import { EXIT, UserError } from '../app/errors.js';
import { resolveLang } from '../app/lang.js';
import { workspaceRootOf } from '../app/locate.js';
import type { Lang } from '../grading/schema/course.js';
import { killAllNow, stopAll } from '../wire/program.js';

export interface GlobalOptions {
  course?: string;
  lang?: string;
}

export interface CommandContext {
  cwd: string;
  lang: Lang;
  course: string | undefined;
  out: NodeJS.WriteStream;
  err: NodeJS.WriteStream;
}

const ISSUES_URL = 'https://github.com/socketlings/socketlings/issues';

async function contextOf(program: Command): Promise<CommandContext> {
  const g = program.opts<GlobalOptions>();
  const cwd = process.cwd();
  // The workspace's language counts only inside one; finding out costs a file read only there.
  let wsLang: Lang | undefined;
  if (!g.lang && !process.env.SOCKETLINGS_LANG && workspaceRootOf(cwd)) {
    const { findWorkspace } = await import('../app/workspace.js');
    wsLang = findWorkspace(cwd)?.manifest.lang;
  }
  const lang = resolveLang(g.lang, process.env, wsLang);
  return { cwd, lang, course: g.course, out: process.stdout, err: process.stderr };
}

let interrupted: number | undefined;

/** On Ctrl+C or SIGTERM: stop every learner program (whole process groups), then leave with 130 or 143. */
function installSignalHandlers(): void {
  const onSignal = (sig: NodeJS.Signals) => {
    if (interrupted !== undefined) {
      killAllNow();
      process.exit(interrupted);
    }
    interrupted = sig === 'SIGINT' ? EXIT.interrupted : EXIT.terminated;
    void stopAll().finally(() => process.exit(interrupted));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
  process.on('exit', killAllNow);
}

export async function run(argv: string[], version: string): Promise<number> {
  installSignalHandlers();
  let code: number = EXIT.ok;
  const program = new Command('socketlings')
    .description(
      "Learn Python's socket module in the terminal, graded by what your program does on the wire.",
    )
    .version(version, '-V, --version')
    .addOption(new Option('--course <dir>', 'use the course pack in DIR instead of the built-in course'))
    .addOption(
      new Option(
        '--lang <lang>',
        'language: en or zh-CN (default: SOCKETLINGS_LANG, then the system locale)',
      ),
    )
    .exitOverride()
    .showSuggestionAfterError()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

  program
    .command('init')
    .description('create a workspace with every exercise to edit (default folder: ./socketlings)')
    .argument('[dir]', 'folder to create')
    .action(async (dir: string | undefined) => {
      const { init } = await import('./commands/learn.js');
      code = await init(await contextOf(program), dir);
    });

  program
    .command('progress')
    .description('what you have done in this workspace')
    .option('--json', 'machine-readable output')
    .action(async (o: { json?: boolean }) => {
      const { progress } = await import('./commands/learn.js');
      code = await progress(await contextOf(program), o);
    });

  program
    .command('hint')
    .description('one more hint for an exercise each time (default: the current one)')
    .argument('[exercise]', 'exercise id')
    .action(async (id: string | undefined) => {
      const { hint } = await import('./commands/learn.js');
      code = await hint(await contextOf(program), id);
    });

  program
    .command('solution')
    .description("show an exercise's reference solution (asks first if you have not passed it)")
    .argument('<exercise>', 'exercise id')
    .option('--yes', 'do not ask')
    .action(async (id: string, o: { yes?: boolean }) => {
      const { solution } = await import('./commands/learn.js');
      code = await solution(await contextOf(program), id, o);
    });

  program
    .command('reset')
    .description('put an exercise file back to its stub and mark it to do again')
    .argument('[exercise]', 'exercise id')
    .option('--all', 'every exercise')
    .option('--yes', 'do not ask')
    .action(async (id: string | undefined, o: { all?: boolean; yes?: boolean }) => {
      const { reset } = await import('./commands/learn.js');
      code = await reset(await contextOf(program), id, o);
    });

  program
    .command('watch')
    .description('verify the current exercise every time you save it')
    .option('--poll', 'check the file for changes by polling (network drives, WSL, some editors)')
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
    .description('lessons and exercises in teaching order')
    .option('--json', 'machine-readable output')
    .action(async (o: { json?: boolean }) => {
      const { list } = await import('./commands/list.js');
      code = await list(await contextOf(program), o);
    });

  program
    .command('read')
    .description('read a lesson (by id or number), or an exercise text (by id)')
    .argument('<lesson>', 'lesson id, lesson number, or exercise id')
    .action(async (key: string) => {
      const { read } = await import('./commands/read.js');
      code = await read(await contextOf(program), key);
    });

  program
    .command('verify')
    .description('grade your program for an exercise by what it does on the wire')
    .argument('<exercise>', 'exercise id')
    .option('--file <path>', 'the program to grade (default: the exercise file in this workspace)')
    .option(
      '--run <command>',
      'run this command instead of Python with the file, e.g. "./server" or "node client.js"',
    )
    .option('--seed <n>', 'seed for the random inputs; the same seed replays the same run')
    .option('--json', 'print the results as JSON')
    .action(async (id: string, o: { file?: string; run?: string; seed?: string; json?: boolean }) => {
      const { verify } = await import('./commands/verify.js');
      code = await verify(await contextOf(program), id, o);
    });

  program
    .command('peer')
    .description("run an exercise's reference peer on a fixed port and show what it sees")
    .argument('<exercise>', 'exercise id')
    .option('--port <n>', 'port of the main endpoint', '8079')
    .option('--seed <n>', 'seed for the random inputs')
    .action(async (id: string, o: { port: string; seed?: string }) => {
      const { peer } = await import('./commands/peer.js');
      code = await peer(await contextOf(program), id, o);
    });

  program
    .command('doctor')
    .description('check this machine: Node, Python, the course pack, and a live loopback self-test')
    .option('--json', 'machine-readable output')
    .action(async (o: { json?: boolean }) => {
      const { doctor } = await import('./commands/doctor.js');
      code = await doctor(await contextOf(program), o);
    });

  const dev = program.command('dev').description('tools for course authors');
  dev
    .command('check')
    .description('check a course pack: schema and rules, every stub fails, every reference solution passes')
    .option('--seed <n>', 'seed for the random inputs')
    .option('--jobs <n>', 'exercises graded at once')
    .option('--json', 'machine-readable output')
    .action(async (o: { seed?: string; jobs?: string; json?: boolean }) => {
      const { devCheckCommand } = await import('./commands/dev.js');
      code = await devCheckCommand(await contextOf(program), o);
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return interrupted ?? code;
  } catch (err) {
    return interrupted ?? report(err, version);
  }
}

function report(err: unknown, version: string): number {
  if (err instanceof CommanderError) {
    // Commander has printed its message already; --help and --version end here too.
    return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  if (err instanceof UserError) {
    process.stderr.write(`socketlings: ${err.message}\n`);
    if (err.next) process.stderr.write(`  → ${err.next}\n`);
    return err.exitCode;
  }
  const e = err as Error;
  process.stderr.write(
    [
      `socketlings: internal error: ${e?.message ?? String(err)}`,
      e?.stack ?? '',
      `socketlings ${version}, node ${process.version}, ${process.platform} ${process.arch}`,
      `This is a bug in socketlings. Please report it, with the lines above, at ${ISSUES_URL}`,
      '',
    ].join('\n'),
  );
  return EXIT.internal;
}
