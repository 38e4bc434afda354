// How the learner started socketlings, so that every command we suggest works where they are: `socketlings` when
// it is installed (globally, or linked from a clone), `npx socketlings` when npx ran it (a project's own copy, or
// the registry's). A suggested `npx socketlings` in a folder without socketlings would ask the registry instead.

export function cliCommand(
  env: NodeJS.ProcessEnv = process.env,
  script: string = process.argv[1] ?? '',
): string {
  const viaNpx = env.npm_command === 'exec' || /[\\/]_npx[\\/]/.test(script);
  return viaNpx ? 'npx socketlings' : 'socketlings';
}
