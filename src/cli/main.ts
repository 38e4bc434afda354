#!/usr/bin/env node
// Entry point. Parses argv, runs one command, and is the only place that decides the exit code. Heavy modules are
// imported inside the command that needs them, so `--help` and `--version` stay fast.
import { closeInheritedFds } from '../wire/fds.js';
import { version } from './version.js';

// Before anything can start a process: descriptors our caller left open are not for the programs we run.
closeInheritedFds();

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  // Answered before loading anything else: scripts call this often.
  process.stdout.write(`${version()}\n`);
} else {
  const { run } = await import('./run.js');
  process.exitCode = await run(argv, version());
}
