// A lesson's "Check yourself" questions, found in its Markdown as authors write them: a numbered list, each
// question followed by one bullet holding the answer in italics.
//
//   1. What does it mean when `recv()` returns `b''`?
//      - *The other side has closed the connection.*
//
// Shown in a lesson, the answers are hidden until asked for (`read --answers`, or the quiz, which asks first).
// Pure: tokens in, tokens out.
import type { Token, Tokens } from 'marked';

export interface Question {
  /** 1-based, as numbered in the lesson. */
  n: number;
  /** The question's blocks. */
  question: Token[];
  /** The answer's inline tokens, without the italics that mark it as the answer. */
  answer: Token[];
}

export interface Quiz {
  /** Where the list is among the text's blocks. */
  index: number;
  questions: Question[];
}

/** The answer of a list item: its last block is a bullet list of one item that is all italics. */
function answerOf(item: Tokens.ListItem): { question: Token[]; answer: Token[] } | undefined {
  const blocks = item.tokens.filter((t) => t.type !== 'space');
  const last = blocks.at(-1);
  if (last?.type !== 'list' || (last as Tokens.List).ordered) return undefined;
  const sub = last as Tokens.List;
  if (sub.items.length !== 1) return undefined;
  const inner = (sub.items[0]?.tokens ?? []).filter((t) => t.type !== 'space');
  if (inner.length !== 1) return undefined;
  const para = inner[0] as Tokens.Text | Tokens.Paragraph;
  const spans = (para.tokens ?? []).filter((t) => !(t.type === 'text' && t.text.trim() === ''));
  if (spans.length !== 1 || spans[0]?.type !== 'em') return undefined;
  const question = blocks.slice(0, -1);
  if (question.length === 0) return undefined;
  return { question, answer: (spans[0] as Tokens.Em).tokens };
}

/** The text's check-yourself list: the first numbered list whose every item has its answer so. */
export function quizOf(tokens: Token[]): Quiz | undefined {
  for (const [index, t] of tokens.entries()) {
    if (t.type !== 'list' || !(t as Tokens.List).ordered) continue;
    const list = t as Tokens.List;
    const start = typeof list.start === 'number' ? list.start : 1;
    const found = list.items.map(answerOf);
    if (found.length === 0 || found.some((f) => f === undefined)) continue;
    return {
      index,
      questions: found.map((f, i) => ({ n: start + i, ...(f as { question: Token[]; answer: Token[] }) })),
    };
  }
  return undefined;
}

/** The tokens with the answers taken out of the quiz list and `note` (blocks) put after it. */
export function withoutAnswers(tokens: Token[], note: Token[]): Token[] {
  const quiz = quizOf(tokens);
  if (!quiz) return tokens;
  const list = tokens[quiz.index] as Tokens.List;
  const hidden: Tokens.List = {
    ...list,
    items: list.items.map((item, i) => ({
      ...item,
      tokens: quiz.questions[i]?.question ?? item.tokens,
    })),
  };
  return [...tokens.slice(0, quiz.index), hidden, ...note, ...tokens.slice(quiz.index + 1)];
}
