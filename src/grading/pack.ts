// Binary data from a grader's parts: numbers packed as Python's struct module packs them (big-endian only, the
// byte order of the network) and length-prefixed frames.
import { GraderError } from './errors.js';

const SIZES: Record<string, { bytes: number; signed: boolean }> = {
  B: { bytes: 1, signed: false },
  b: { bytes: 1, signed: true },
  H: { bytes: 2, signed: false },
  h: { bytes: 2, signed: true },
  I: { bytes: 4, signed: false },
  i: { bytes: 4, signed: true },
  Q: { bytes: 8, signed: false },
  q: { bytes: 8, signed: true },
};

/** struct.pack(format, *values) for a big-endian format such as ">HI". */
export function packStruct(format: string, values: bigint[]): Buffer {
  const codes = format.slice(1).split('');
  if (codes.length !== values.length)
    throw new GraderError(`struct "${format}" needs ${codes.length} values, got ${values.length}`);
  const out: Buffer[] = [];
  codes.forEach((code, k) => {
    const spec = SIZES[code];
    if (!spec) throw new GraderError(`struct code "${code}" is not supported`);
    const bits = BigInt(spec.bytes * 8);
    const v = values[k] as bigint;
    const lo = spec.signed ? -(1n << (bits - 1n)) : 0n;
    const hi = spec.signed ? (1n << (bits - 1n)) - 1n : (1n << bits) - 1n;
    if (v < lo || v > hi) throw new GraderError(`${v} does not fit struct code "${code}"`);
    const b = Buffer.alloc(spec.bytes);
    let u = v < 0n ? (1n << bits) + v : v;
    for (let i = spec.bytes - 1; i >= 0; i--) {
      b[i] = Number(u & 0xffn);
      u >>= 8n;
    }
    out.push(b);
  });
  return Buffer.concat(out);
}

/** A length prefix (big-endian B, H or I) and the payload. */
export function packFrame(prefix: '>B' | '>H' | '>I', payload: Buffer, announce?: bigint): Buffer {
  return Buffer.concat([packStruct(prefix, [announce ?? BigInt(payload.length)]), payload]);
}

/** A whole number from a grader value: a number, or a template already expanded to digits. */
export function wholeNumber(v: number | string): bigint {
  const s = String(v).trim();
  if (!/^-?\d+$/.test(s)) throw new GraderError(`"${s}" is not a whole number`);
  return BigInt(s);
}
