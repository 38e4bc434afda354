// Socket states sampled from the kernel while a run goes on, for the wire view: started before the run, fed the
// transcript as it happens, and turned into marks on the program's lane at the end (or live, in peer mode).
import type { TranscriptEntry } from '../grading/results.js';
import { StateAttributor, type StateMark, stateMarks, type WireStates } from '../grading/wire-states.js';
import { canSampleStates, StateSampler } from '../wire/socket-states.js';

export interface StateWatch {
  /** Pass every transcript line, as it happens. */
  onEvent: (e: TranscriptEntry) => void;
  /** Stop sampling; the marks for the finished run's transcript. */
  finish: (transcript: TranscriptEntry[]) => Promise<WireStates>;
}

/**
 * A retried run starts its clock again; a line whose clock points at a start more than this much later than
 * the known one belongs to the new run.
 */
const NEW_RUN_MS = 100;

/** Transcript lines after which a socket may be in another state: the sampler then looks (data moves none). */
const CHANGES_STATE = new Set<TranscriptEntry['kind']>([
  'connect',
  'accept',
  'eof',
  'shutdown',
  'close',
  'error',
  'note',
]);

export function watchStates(live?: (m: StateMark) => void): StateWatch {
  const can = canSampleStates();
  if (!can.ok) return { onEvent: () => {}, finish: async () => ({ off: can.why }) };
  // The transcript counts ms from its run's start; the sampler keeps wall-clock times. A line's arrival tells when
  // the run started, to within a millisecond or so.
  let t0: number | undefined;
  const attributor = new StateAttributor(Date.now());
  const sampler = new StateSampler(
    live
      ? (c) => {
          for (const m of attributor.add(c, Date.now())) live(m);
        }
      : undefined,
  );
  let saw6 = false;
  return {
    onEvent: (e) => {
      const start = Date.now() - e.at;
      t0 = t0 === undefined || start > t0 + NEW_RUN_MS ? start : Math.min(t0, start);
      attributor.t0 = t0;
      if (!saw6 && (e.kind === 'connect' || e.kind === 'accept') && e.text.includes('::')) {
        saw6 = true;
        sampler.want6();
      }
      if (CHANGES_STATE.has(e.kind)) sampler.poke();
      if (live) for (const m of attributor.learn(e)) live(m);
    },
    finish: async (transcript) => {
      const changes = await sampler.stop();
      return { marks: stateMarks(transcript, changes, t0 ?? Date.now()) };
    },
  };
}
