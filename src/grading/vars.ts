// Seeded values a grader asks for. Hard-coded answers fail because the values change from run to run.
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

function bytes(r: Random, size: number): Buffer {
  const out = Buffer.allocUnsafe(size);
  let i = 0;
  for (; i + 4 <= size; i += 4) out.writeUInt32LE(Math.floor(r() * 4294967296), i);
  for (; i < size; i++) out[i] = intIn(r, 0, 255);
  return out;
}

export function makeVar(
  seed: number,
  name: string,
  v: Var,
  earlier: Record<string, string | Buffer> = {},
): string | Buffer {
  const r = rngFor(seed, `var:${name}`);
  switch (v.kind) {
    case 'word':
      return word(r, v.length);
    case 'hex':
      return Array.from({ length: v.length }, () => '0123456789abcdef'[intIn(r, 0, 15)]).join('');
    case 'int':
      return String(intIn(r, v.min, v.max));
    case 'words':
      return Array.from({ length: v.count }, () => word(r, intIn(r, 3, 7))).join(' ');
    case 'choice':
      return v.of[intIn(r, 0, v.of.length - 1)] as string;
    case 'sum':
      return String(
        v.of.reduce((total, n) => {
          const x = earlier[n];
          if (typeof x !== 'string' || !/^-?\d+$/.test(x))
            throw new Error(`var "${name}": "${n}" is not a whole-number var named before it`);
          return total + BigInt(x);
        }, 0n),
      );
    case 'bytes':
      return bytes(
        r,
        typeof v.size === 'number' ? v.size : intIn(r, v.size.min, Math.max(v.size.min, v.size.max)),
      );
    default: {
      const never: never = v;
      throw new Error(`unknown var kind ${JSON.stringify(never)}`);
    }
  }
}
