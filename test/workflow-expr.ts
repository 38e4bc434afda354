// GitHub Actions expressions (`${{ … }}` and `if:`), evaluated as the runner does for what workflows here use:
// literals, contexts with `.` and `[]`, `!`, comparisons, `&&` / `||` (which yield an operand, not a boolean),
// and the functions below. Anything else (an unknown context, step, matrix key or function) is refused with an
// error naming the expression, so a workflow this harness cannot read fails its test instead of passing by luck.

export type Value = null | boolean | number | string | Value[] | { [k: string]: Value };

export interface Scope {
  /** Top-level contexts: github, env, steps, matrix, runner, job, … A missing one is refused. */
  contexts: Record<string, Value>;
  /** Status functions: success(), failure(), always(), cancelled(). */
  status: { failed: boolean; cancelled?: boolean };
  /** Names whose members must exist (a typo in `steps.x` or `matrix.y` is an error, not an empty string). */
  strict?: string[];
  /** hashFiles(patterns): refused when the scope has no files to hash. */
  hashFiles?: (patterns: string[]) => string;
}

type Token =
  | { t: 'num'; v: number }
  | { t: 'str'; v: string }
  | { t: 'id'; v: string }
  | { t: 'op'; v: string };

function tokens(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const ch = src[i] as string;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === "'") {
      let v = '';
      i++;
      for (;;) {
        if (i >= src.length) throw new Error(`unterminated string in expression: ${src}`);
        if (src[i] === "'") {
          if (src[i + 1] === "'") {
            v += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        v += src[i];
        i++;
      }
      out.push({ t: 'str', v });
      continue;
    }
    const num = /^(0x[0-9a-f]+|-?\d+(\.\d+)?(e[+-]?\d+)?)/i.exec(src.slice(i));
    if (num && !/[\w.]/.test(src[i - 1] ?? ' ')) {
      out.push({ t: 'num', v: Number(num[0]) });
      i += num[0].length;
      continue;
    }
    const op = /^(==|!=|<=|>=|&&|\|\||[!<>()[\].,*])/.exec(src.slice(i));
    if (op) {
      out.push({ t: 'op', v: op[0] });
      i += op[0].length;
      continue;
    }
    const id = /^[A-Za-z_][\w-]*/.exec(src.slice(i));
    if (id) {
      out.push({ t: 'id', v: id[0] });
      i += id[0].length;
      continue;
    }
    throw new Error(`cannot read "${src.slice(i)}" in expression: ${src}`);
  }
  return out;
}

export function truthy(v: Value): boolean {
  return !(v === null || v === false || v === 0 || v === '' || Number.isNaN(v));
}

function toNumber(v: Value): number {
  if (v === null) return 0;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return v.trim() === '' ? 0 : Number(v);
  return Number.NaN;
}

function equal(a: Value, b: Value): boolean {
  if (typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase();
  // Arrays and objects are equal only to themselves; null, like a boolean, is compared as a number (0).
  const composite = (v: Value) => v !== null && typeof v === 'object';
  if (composite(a) || composite(b)) return a === b;
  if (typeof a === typeof b) return a === b;
  return toNumber(a) === toNumber(b);
}

/** A value as `${{ }}` puts it into text. */
export function asText(v: Value): string {
  if (v === null) return '';
  if (typeof v === 'object') return JSON.stringify(v, null, 2);
  return String(v);
}

class Parser {
  private i = 0;
  readonly usedStatus: { any: boolean } = { any: false };
  constructor(
    private readonly src: string,
    private readonly toks: Token[],
    private readonly scope: Scope,
  ) {}

  private peek(): Token | undefined {
    return this.toks[this.i];
  }
  private isOp(v: string): boolean {
    const t = this.peek();
    return t?.t === 'op' && t.v === v;
  }
  private expect(v: string): void {
    if (!this.isOp(v)) throw new Error(`expected "${v}" in expression: ${this.src}`);
    this.i++;
  }

  parse(): Value {
    const v = this.or();
    if (this.i < this.toks.length)
      throw new Error(`unexpected "${this.peek()?.v}" in expression: ${this.src}`);
    return v;
  }
  private or(): Value {
    let v = this.and();
    while (this.isOp('||')) {
      this.i++;
      const r = this.and();
      v = truthy(v) ? v : r;
    }
    return v;
  }
  private and(): Value {
    let v = this.cmp();
    while (this.isOp('&&')) {
      this.i++;
      const r = this.cmp();
      v = truthy(v) ? r : v;
    }
    return v;
  }
  private cmp(): Value {
    let v = this.unary();
    for (;;) {
      const t = this.peek();
      if (t?.t !== 'op' || !['==', '!=', '<', '<=', '>', '>='].includes(t.v)) return v;
      this.i++;
      const r = this.unary();
      switch (t.v) {
        case '==':
          v = equal(v, r);
          break;
        case '!=':
          v = !equal(v, r);
          break;
        case '<':
          v = toNumber(v) < toNumber(r);
          break;
        case '<=':
          v = toNumber(v) <= toNumber(r);
          break;
        case '>':
          v = toNumber(v) > toNumber(r);
          break;
        default:
          v = toNumber(v) >= toNumber(r);
      }
    }
  }
  private unary(): Value {
    if (this.isOp('!')) {
      this.i++;
      return !truthy(this.unary());
    }
    return this.postfix();
  }
  private postfix(): Value {
    let { value, path } = this.primary();
    for (;;) {
      if (this.isOp('.')) {
        this.i++;
        const id = this.peek();
        if (id?.t !== 'id') throw new Error(`expected a name after "." in expression: ${this.src}`);
        this.i++;
        value = this.member(value, id.v, path);
        path = `${path}.${id.v}`;
      } else if (this.isOp('[')) {
        this.i++;
        const key = this.or();
        this.expect(']');
        value = this.member(value, asText(key), path);
        path = `${path}[${asText(key)}]`;
      } else return value;
    }
  }
  private member(v: Value, key: string, path: string): Value {
    if (v === null || typeof v !== 'object') return null;
    if (Array.isArray(v)) return v[Number(key)] ?? null;
    const found = Object.keys(v).find((k) => k.toLowerCase() === key.toLowerCase());
    // A strict context's members must exist one level down (steps.<id>, matrix.<key>).
    if (found === undefined && this.scope.strict?.includes(path))
      throw new Error(`${path}.${key} does not exist (expression: ${this.src})`);
    return found === undefined ? null : (v[found] as Value);
  }
  private primary(): { value: Value; path: string } {
    const t = this.peek();
    if (!t) throw new Error(`expression ends too soon: ${this.src}`);
    this.i++;
    if (t.t === 'num' || t.t === 'str') return { value: t.v, path: '' };
    if (t.t === 'op' && t.v === '(') {
      const value = this.or();
      this.expect(')');
      return { value, path: '' };
    }
    if (t.t !== 'id') throw new Error(`unexpected "${t.v}" in expression: ${this.src}`);
    if (t.v === 'true' || t.v === 'false') return { value: t.v === 'true', path: '' };
    if (t.v === 'null') return { value: null, path: '' };
    if (this.isOp('(')) {
      this.i++;
      const args: Value[] = [];
      while (!this.isOp(')')) {
        args.push(this.or());
        if (!this.isOp(')')) this.expect(',');
      }
      this.i++;
      return { value: this.call(t.v, args), path: '' };
    }
    const ctx = Object.keys(this.scope.contexts).find((k) => k.toLowerCase() === t.v.toLowerCase());
    if (ctx === undefined) throw new Error(`unknown context "${t.v}" in expression: ${this.src}`);
    return { value: this.scope.contexts[ctx] as Value, path: ctx };
  }
  private call(name: string, args: Value[]): Value {
    const s = (i: number) => asText(args[i] ?? null);
    switch (name.toLowerCase()) {
      case 'success':
        this.usedStatus.any = true;
        return !this.scope.status.failed && !this.scope.status.cancelled;
      case 'failure':
        this.usedStatus.any = true;
        return this.scope.status.failed;
      case 'always':
        this.usedStatus.any = true;
        return true;
      case 'cancelled':
        this.usedStatus.any = true;
        return Boolean(this.scope.status.cancelled);
      case 'contains': {
        const hay = args[0] ?? null;
        if (Array.isArray(hay)) return hay.some((x) => equal(x, args[1] ?? null));
        return s(0).toLowerCase().includes(s(1).toLowerCase());
      }
      case 'startswith':
        return s(0).toLowerCase().startsWith(s(1).toLowerCase());
      case 'endswith':
        return s(0).toLowerCase().endsWith(s(1).toLowerCase());
      case 'format':
        return s(0).replace(/\{(\d+)\}/g, (_, n: string) => asText(args[Number(n) + 1] ?? null));
      case 'join': {
        const a = args[0] ?? null;
        return Array.isArray(a) ? a.map(asText).join(args.length > 1 ? s(1) : ',') : asText(a);
      }
      case 'tojson':
        return JSON.stringify(args[0] ?? null, null, 2);
      case 'fromjson':
        return JSON.parse(s(0)) as Value;
      case 'hashfiles':
        if (!this.scope.hashFiles) throw new Error(`hashFiles() has no files here: ${this.src}`);
        return this.scope.hashFiles(args.map(asText));
      default:
        throw new Error(`unknown function ${name}() in expression: ${this.src}`);
    }
  }
}

export function evaluate(src: string, scope: Scope): Value {
  return new Parser(src, tokens(src), scope).parse();
}

/** An `if:` as the runner reads it: bare or in `${{ }}`, and `success() && (…)` unless it asks for a status. */
export function condition(src: string | boolean | undefined, scope: Scope): boolean {
  if (src === undefined) return !scope.status.failed;
  if (typeof src === 'boolean') return src && !scope.status.failed;
  const m = /^\s*\$\{\{(.*)\}\}\s*$/s.exec(src);
  const expr = m ? (m[1] as string) : src;
  const p = new Parser(expr, tokens(expr), scope);
  const v = truthy(p.parse());
  return p.usedStatus.any ? v : v && !scope.status.failed;
}

/** Text with every `${{ … }}` replaced by its value. */
export function interpolate(text: string, scope: Scope): string {
  return text.replace(/\$\{\{(.*?)\}\}/gs, (_, expr: string) => asText(evaluate(expr, scope)));
}
