#!/usr/bin/env node
import { EXIT } from '../app/errors.js';
// Entry point of a grading worker (app/worker.ts), started by `grade`; not a command for people. On SIGINT or
// SIGTERM it stops every program it started before it exits, so a stopped grading leaves nothing behind.
import { serveWorker } from '../app/worker.js';
import { closeInheritedFds } from '../wire/fds.js';
import { killAllNow, stopAll } from '../wire/program.js';

// Started by `grade` with stdin, stdout and stderr only; should anything else come along, it stops here.
closeInheritedFds();

let stopping = false;
const onSignal = (sig: NodeJS.Signals) => {
  if (stopping) return;
  stopping = true;
  // The worker's /tmp is private to its sandbox and disappears with it: its programs are all there is to stop.
  void stopAll().finally(() => process.exit(sig === 'SIGINT' ? EXIT.interrupted : EXIT.terminated));
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
process.on('exit', killAllNow);

/**
 * Exit once everything written to stdout has gone out: stdout is a socket to the parent, where a large result (a
 * long transcript) may still be queued, and exiting at once would cut it off mid-line.
 */
function exitAfterOutput(code: number): void {
  process.stdout.write('', () => process.exit(code));
}

serveWorker(process.stdin, process.stdout).then(
  () => exitAfterOutput(0),
  (err: unknown) => {
    process.stderr.write(`socketlings worker: ${(err as Error)?.stack ?? String(err)}\n`);
    process.exit(EXIT.internal);
  },
);
