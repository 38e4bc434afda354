// Binary grader data, checked against what Python's struct module gives for the same formats.
import { execFileSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { packFrame, packStruct } from '../src/grading/pack.js';
import { makeVar } from '../src/grading/vars.js';
import { PYTHON } from './needs.js';

const cases: [string, bigint[]][] = [
  ['>I', [258n]],
  ['>Hii', [2n, -2n, 2147483647n]],
  ['>q', [-5000000000n]],
  ['>BbQ', [255n, -128n, 18446744073709551615n]],
  ['!h', [-32768n]],
];

describe('packStruct', () => {
  test('matches struct.pack byte for byte', () => {
    const script = cases.map(([f, v]) => `print(struct.pack(${JSON.stringify(f)}, ${v.join(', ')}).hex())`);
    const want = execFileSync(PYTHON, ['-c', `import struct\n${script.join('\n')}`], { encoding: 'utf8' })
      .trim()
      .split(/\r?\n/);
    expect(cases.map(([f, v]) => packStruct(f, v).toString('hex'))).toEqual(want);
  });
  test.each([
    ['>I', [-1n]],
    ['>i', [2147483648n]],
    ['>B', [256n]],
    ['>HH', [1n]],
  ])('refuses %s %s', (f, v) => {
    expect(() => packStruct(f, v)).toThrow();
  });
  test('frames: the length prefix, or an announced one', () => {
    expect(packFrame('>I', Buffer.from('hello')).toString('hex')).toBe('0000000568656c6c6f');
    expect(packFrame('>H', Buffer.alloc(0)).toString('hex')).toBe('0000');
    expect(packFrame('>I', Buffer.from('x'), 4000000000n).toString('hex')).toBe('ee6b280078');
  });
});

test('a sum var adds earlier whole-number vars, beyond 32 bits', () => {
  const earlier = { a: '2000000000', b: '1900000000', c: '-7' };
  expect(makeVar(1, 's', { kind: 'sum', of: ['a', 'b', 'c'] }, earlier)).toBe('3899999993');
  expect(() => makeVar(1, 's', { kind: 'sum', of: ['zz'] }, earlier)).toThrow(/zz/);
});
