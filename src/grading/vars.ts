// Seeded values a grader asks for. Hard-coded answers fail because the values change from run to run.
import { createCipheriv } from 'node:crypto';
import { intIn, type Random, rngFor } from './rng.js';
import type { Var } from './schema/grader.js';

const CONSONANTS = 'bdfgklmnprstvz';
const VOWELS = 'aeiou';

function word(r: Random, length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) {
    const set = i % 2 === 0 ? CONSONANTS : VOWELS;
    s += set[intIn(r, 0, set.length - 1)];
  }
  return s;
}

/**
 * Seeded random bytes: AES-128 in counter mode, keyed from the var's stream, is a keystream of any length at the
 * speed of the CPU's AES instructions (megabytes per millisecond), where drawing payloads of 12 MiB word by word
 * cost a grader 50-100 ms of its loop per run.
 */
function bytes(r: Random, size: number): Buffer {
  const key = Buffer.allocUnsafe(32);
  for (let i = 0; i < 32; i += 4) key.writeUInt32LE(Math.floor(r() * 4294967296), i);
  const stream = createCipheriv('aes-128-ctr', key.subarray(0, 16), key.subarray(16));
  return Buffer.concat([stream.update(Buffer.alloc(size)), stream.final()]);
}

/** `round` (1, 2, …): a grader with several rounds gets other values in each; see `rounds` in the schema. */
export function makeVar(
  seed: number,
  name: string,
  v: Var,
  earlier: Record<string, string | Buffer> = {},
  round = 1,
): string | Buffer {
  const r = rngFor(seed, round === 1 ? `var:${name}` : `var:${name}#${round}`);
  switch (v.kind) {
    case 'word':
      return word(r, v.length);
    case 'hex':
      return Array.from({ length: v.length }, () => '0123456789abcdef'[intIn(r, 0, 15)]).join('');
    case 'int':
      return String(intIn(r, v.min, v.max));
    case 'words':
      return Array.from({ length: v.count }, () => word(r, intIn(r, 3, 7))).join(' ');
    case 'choice': {
      // Every round takes the next value after the seed's pick, so rounds never repeat one another.
      const first = intIn(rngFor(seed, `var:${name}`), 0, v.of.length - 1);
      return v.of[(first + round - 1) % v.of.length] as string;
    }
    case 'sum':
      return String(
        v.of.reduce((total, n) => {
          const x = earlier[n];
          if (typeof x !== 'string' || !/^-?\d+$/.test(x))
            throw new Error(`var "${name}": "${n}" is not a whole-number var named before it`);
          return total + BigInt(x);
        }, 0n),
      );
    case 'bytes': {
      const out = bytes(
        r,
        typeof v.size === 'number' ? v.size : intIn(r, v.size.min, Math.max(v.size.min, v.size.max)),
      );
      const start = Buffer.from(v.start ?? '', 'hex');
      const end = Buffer.from(v.end ?? '', 'hex');
      start.copy(out, 0, 0, Math.min(start.length, out.length));
      if (end.length <= out.length) end.copy(out, out.length - end.length);
      return out;
    }
    default: {
      const never: never = v;
      throw new Error(`unknown var kind ${JSON.stringify(never)}`);
    }
  }
}
