// marked's lexer, with emphasis that works in Chinese. CommonMark decides whether `*` or `**` opens or closes
// emphasis by what stands beside it ("flanking"), rules made for text with spaces between words: a closing `**`
// after punctuation must be followed by a space or punctuation, so `**每个客户端一个缓冲区。**永远` is not
// emphasis, since Chinese puts no space after `。`. Here a Chinese character beside a delimiter counts as a
// space does, so that text is bold as its author meant, while text without Chinese is lexed exactly as before.
import { Lexer, Marked, type MarkedExtension, type Token, type TokenizerExtension } from 'marked';

/** Chinese, Japanese and Korean characters and their full-width punctuation. */
const CJK =
  /[\u1100-\u115f\u2e80-\u303f\u3040-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|[\u{20000}-\u{3fffd}]/u;
const SPACE = /[\s\p{Zs}]/u;
const PUNCT = /[\p{P}\p{S}]/u;

type Side = 'space' | 'punct' | 'cjk' | 'other';

function kind(ch: string | undefined): Side {
  if (ch === undefined || ch === '' || SPACE.test(ch)) return 'space';
  if (CJK.test(ch)) return 'cjk';
  if (PUNCT.test(ch)) return 'punct';
  return 'other';
}

/**
 * CommonMark's left-flanking rule for a delimiter run between `before` and `after`. A side of kind `cjk` (only
 * when relaxed) counts as a space would: what Chinese text has where English has one.
 */
function opens(before: Side, after: Side): boolean {
  if (after === 'space') return false;
  if (after !== 'punct') return true;
  return before === 'space' || before === 'punct' || before === 'cjk';
}

/** CommonMark's right-flanking rule, the same way. */
function closes(before: Side, after: Side): boolean {
  if (before === 'space') return false;
  if (before !== 'punct') return true;
  return after === 'space' || after === 'punct' || after === 'cjk';
}

/** The character before `src` in the inline text being lexed: the end of the last token, or a line start. */
function charBefore(tokens: Token[]): string | undefined {
  const last = tokens.at(-1);
  return last?.raw?.slice(-1);
}

/** Strict CommonMark sides: a Chinese letter is a letter, a full-width mark is punctuation. */
function strict(ch: string | undefined): Side {
  const k = kind(ch);
  if (k !== 'cjk') return k;
  return PUNCT.test(ch ?? '') ? 'punct' : 'other';
}

const cjkEmphasis: TokenizerExtension = {
  name: 'cjkEmphasis',
  level: 'inline',
  start: (src) => {
    const i = src.indexOf('*');
    return i < 0 ? undefined : i;
  },
  tokenizer(src, tokens) {
    const run = /^\*{1,2}(?!\*)/.exec(src)?.[0];
    if (!run) return undefined;
    const n = run.length;
    const before = charBefore(tokens as Token[]);
    const after = src[n];
    if (!opens(kind(before), kind(after))) return undefined;
    const strictOpen = opens(strict(before), strict(after));
    // The first delimiter run of the same length that can close, skipping code spans and escapes.
    for (let i = n; i < src.length; i++) {
      const ch = src[i];
      if (ch === '\\') {
        i++;
        continue;
      }
      if (ch === '`') {
        const ticks = /^`+/.exec(src.slice(i))?.[0] ?? '`';
        const end = src.indexOf(ticks, i + ticks.length);
        if (end > 0) i = end + ticks.length - 1;
        continue;
      }
      if (ch === '\n' && src[i + 1] === '\n') return undefined;
      if (ch !== '*') continue;
      const len = /^\*+/.exec(src.slice(i))?.[0].length ?? 0;
      const prev = src[i - 1];
      const next = src[i + len];
      if (len === n && i > n && closes(kind(prev), kind(next))) {
        // Where CommonMark alone gets it right, leave it to marked.
        if (strictOpen && closes(strict(prev), strict(next))) return undefined;
        const text = src.slice(n, i);
        return {
          type: n === 2 ? 'strong' : 'em',
          raw: src.slice(0, i + n),
          text,
          tokens: this.lexer.inlineTokens(text),
        };
      }
      i += len - 1;
    }
    return undefined;
  },
};

const options = new Marked({ extensions: [cjkEmphasis] } satisfies MarkedExtension).defaults;

/** Markdown to marked's tokens, with emphasis next to Chinese punctuation as the author meant it. */
export function lexMarkdown(markdown: string): Token[] {
  return Lexer.lex(markdown, options);
}
