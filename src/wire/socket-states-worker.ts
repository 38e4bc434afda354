// The socket-state sampler's thread (see socket-states.ts): samples every SAMPLE_MS and posts what changed.
import { parentPort } from 'node:worker_threads';
import { type FromWorker, SAMPLE_MS, StateTracker, TCP4, TCP6, type ToWorker } from './socket-states.js';

const port = parentPort;
if (port) {
  const tracker = new StateTracker();
  const tables = [TCP4];
  const sample = () => {
    const changes = tracker.sample(tables);
    if (changes.length) port.postMessage({ kind: 'changes', changes } satisfies FromWorker);
  };
  sample();
  const timer = setInterval(sample, SAMPLE_MS);
  port.on('message', (m: ToWorker) => {
    if (m.kind === 'want6') {
      if (!tables.includes(TCP6)) tables.push(TCP6);
      return;
    }
    clearInterval(timer);
    sample();
    port.postMessage({ kind: 'stopped' } satisfies FromWorker);
    port.close();
  });
}
