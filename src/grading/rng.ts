// Seeded randomness. Every random decision draws from a stream named for where it is made (a var, a step, a
// group member), so one decision never shifts another and the same seed replays the same bytes.
import { createHash } from 'node:crypto';

export type Random = () => number;

/** Small fast generator (four 32-bit words of state, add-rotate-xor), seeded from a hash of the stream name. */
export function rngFor(seed: number, stream: string): Random {
  const h = createHash('sha256').update(`${seed}\0${stream}`).digest();
  let a = h.readUInt32LE(0);
  let b = h.readUInt32LE(4);
  let c = h.readUInt32LE(8);
  let d = h.readUInt32LE(12);
  return () => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    const t = (a + b + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}

export function intIn(r: Random, min: number, max: number): number {
  return min + Math.floor(r() * (max - min + 1));
}

export function shuffle<T>(r: Random, items: T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** A seed for runs that were not given one; printed with every failure so the run can be replayed. */
export function freshSeed(): number {
  return Math.floor(Math.random() * 1_000_000_000);
}
