// The wire view as verify shows it: the whole run with --wire, else the last steps up to the failure.
import { watchStates } from '../app/wire-watch.js';
import type { ExerciseResult } from '../grading/results.js';
import type { Lang } from '../grading/schema/course.js';
import type { WireStates } from '../grading/wire-states.js';
import { columnsOf } from './markdown.js';
import { type Style, styleFor } from './style.js';
import { wireText } from './wire-text.js';
import { LiveWire, renderWire, wireSections } from './wire-view.js';

/** Rows of the compact view: enough for the steps that led to a failure, short enough not to bury the message. */
const COMPACT_ROWS = 14;
/** The widest diagram: lanes further apart than this read no better. */
const MAX_WIDTH = 100;

/** The terminal's width, else $COLUMNS when piped, else 80; at most MAX_WIDTH. */
function widthFor(out: { isTTY?: boolean; columns?: number }): number {
  return Math.min(MAX_WIDTH, columnsOf(out));
}

export function wireView(
  r: ExerciseResult,
  states: WireStates,
  full: boolean,
  ctx: { out: NodeJS.WritableStream & { isTTY?: boolean; columns?: number }; lang: Lang },
  /** How the learner ran verify (--file, --run), so the command that shows everything is theirs. */
  how = '',
): string {
  const s = styleFor(ctx.out);
  const width = widthFor(ctx.out);
  const command = `socketlings verify ${r.exercise}${how} --seed ${r.seed} --wire`;
  const body = renderWire(wireSections(r), {
    style: s,
    lang: ctx.lang,
    width,
    states,
    ...(full ? {} : { compact: { rows: COMPACT_ROWS, command } }),
  });
  return `\n${s.bold(wireText(ctx.lang).wireTitle)}\n${body}`;
}

/** peer --wire: the diagram as it happens, the header first, then a row per line and per state change. */
export function liveWire(
  out: NodeJS.WritableStream & { isTTY?: boolean; columns?: number },
  s: Style,
  lang: Lang,
) {
  const view = new LiveWire(s, lang, widthFor(out));
  out.write(view.start());
  const states = watchStates((m) => out.write(view.state(m)));
  // A state waiting for the line that causes it is drawn anyway after a moment (the line may never come).
  const timer = setInterval(() => out.write(view.flush()), 250);
  timer.unref();
  return {
    view,
    states,
    stop: () => {
      clearInterval(timer);
      out.write(view.flush(0));
    },
  };
}
