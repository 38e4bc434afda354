// `socketlings watch`: verify the current exercise whenever its file is saved, on one redrawn screen.

import { relative } from 'node:path';
import { emitKeypressEvents } from 'node:readline';
import type { Exercise } from '../../app/course.js';
import { pick } from '../../app/course.js';
import { EXIT, UserError } from '../../app/errors.js';
import { unsupportedPython } from '../../app/grade.js';
import { doneCount, isDone, nextAfter } from '../../app/progress.js';
import {
  current,
  fileOf,
  nextHint,
  resetExercise,
  type Session,
  setCurrent,
  verifyInSession,
} from '../../app/session.js';
import { watchSaves } from '../../app/watcher.js';
import { safeText } from '../../grading/safe-text.js';
import { canAsk } from '../../ui/ask.js';
import { hintLines } from '../../ui/hint-view.js';
import { uiText } from '../../ui/i18n.js';
import { columnsOf } from '../../ui/markdown.js';
import { bar, renderProgress } from '../../ui/progress-view.js';
import { prepareWidths } from '../../ui/report.js';
import { styleFor } from '../../ui/style.js';
import { renderWatch, type WatchState } from '../../ui/watch-screen.js';
import { cliCommand } from '../../wire/invocation.js';
import { OLDEST_PYTHON_TEXT } from '../../wire/python.js';
import type { CommandContext } from '../context.js';
import { sessionFor } from '../session.js';

export async function watch(ctx: CommandContext, o: { poll?: boolean | undefined }): Promise<number> {
  const t = uiText(ctx.lang);
  if (!canAsk()) {
    const cli = cliCommand();
    throw new UserError(
      `${t.needsTerminal}\n  ${cli} verify <exercise>\n  ${cli} hint <exercise>\n  ${cli} progress`,
    );
  }
  const session = sessionFor(ctx);
  return new Promise<number>((resolve) => new WatchLoop(ctx, session, Boolean(o.poll), resolve).start());
}

class WatchLoop {
  private exercise: Exercise | undefined;
  private state!: WatchState;
  private running = false;
  private again = false;
  private confirmingReset = false;
  /** Said above every other note while it holds: the interpreter is older than socketlings supports. */
  private pythonNote: string | undefined;
  private watcher: { close(): void } | undefined;
  private readonly st;
  private readonly t;

  constructor(
    private readonly ctx: CommandContext,
    private readonly session: Session,
    private readonly poll: boolean,
    private readonly finish: (code: number) => void,
  ) {
    this.st = styleFor(ctx.out);
    this.t = uiText(ctx.lang);
  }

  start(): void {
    emitKeypressEvents(process.stdin);
    process.stdin.setRawMode(true);
    process.stdin.on('keypress', this.onKey);
    // A prompt that ran before (the menu) leaves stdin paused; keys would never arrive.
    process.stdin.resume();
    // The screen is redrawn whole, so a line on stderr would be wiped: the warning is part of the screen.
    void unsupportedPython({ cwd: this.session.ws.root, lang: this.ctx.lang }).then(
      (old) => {
        if (!old) return;
        this.pythonNote = this.st.yellow(this.t.pythonTooOld(old, OLDEST_PYTHON_TEXT));
        this.draw();
      },
      // An interpreter that is no Python 3: said on the screen, where the failures it causes are shown.
      (err: unknown) => {
        this.pythonNote = this.st.red(err instanceof UserError ? err.message : String(err));
        this.draw();
      },
    );
    const ex = current(this.session);
    if (ex) this.open(ex);
    else void this.recheckAll();
  }

  private progressLine(): string {
    const done = doneCount(this.session.course, this.session.progress);
    return `${bar(done, this.session.course.exercises.length, 20)} ${this.t.progressTitle(done, this.session.course.exercises.length)}`;
  }

  private open(ex: Exercise): void {
    this.exercise = ex;
    setCurrent(this.session, ex);
    const file = fileOf(this.session, ex);
    this.state = {
      exercise: ex.id,
      title: pick(ex.titles, this.ctx.lang, this.session.course.languages) ?? ex.id,
      file: relative(this.ctx.cwd, file) || file,
      phase: 'waiting',
      notes: [],
      progress: this.progressLine(),
    };
    this.watcher?.close();
    this.watcher = watchSaves(
      file,
      () => void this.verify(),
      (err) => {
        this.state.notes = [this.st.red(`${err.code ?? err.message}: ${file}`), this.t.watchPollHint];
        this.draw();
      },
      this.poll,
      () => {
        this.state.result = undefined;
        this.state.phase = 'waiting';
        this.state.notes = [this.st.red(this.t.watchDeleted(this.state.file)), this.t.watchDeletedNext];
        this.draw();
      },
    );
    void this.verify();
  }

  private draw(): void {
    // Clear the screen and scrollback, then draw the whole state again.
    const state = this.pythonNote
      ? { ...this.state, notes: [this.pythonNote, ...this.state.notes] }
      : this.state;
    this.ctx.out.write(
      `\x1b[2J\x1b[3J\x1b[H${renderWatch(state, this.ctx.lang, this.st, {
        columns: columnsOf(this.ctx.out),
        rows: this.ctx.out.rows || 24,
      })}`,
    );
  }

  private async verify(): Promise<void> {
    const ex = this.exercise;
    if (!ex) return;
    if (this.running) {
      this.again = true; // a save during a run: run once more after it
      return;
    }
    this.running = true;
    this.state.phase = 'running';
    this.draw();
    try {
      const result = await verifyInSession(this.session, ex, this.ctx);
      await prepareWidths(result);
      this.state.result = result;
      this.state.phase = result.status === 'pass' ? 'done' : 'waiting';
      this.state.progress = this.progressLine();
      this.state.notes = result.status === 'pass' ? [this.st.green(this.t.verified(ex.id))] : [];
    } catch (err) {
      // The old result no longer says anything about the file (it may be gone): show only what went wrong.
      this.state.result = undefined;
      this.state.phase = 'waiting';
      this.state.notes = [this.st.red(safeText(err instanceof UserError ? err.message : String(err)))];
      if (err instanceof UserError && err.next) this.state.notes.push(`  → ${safeText(err.next)}`);
    } finally {
      this.running = false;
    }
    this.draw();
    if (this.again) {
      this.again = false;
      void this.verify();
    }
  }

  private async recheckAll(): Promise<void> {
    this.watcher?.close();
    this.state = {
      exercise: '',
      title: '',
      file: '',
      phase: 'running',
      notes: [this.t.watchRechecking],
      progress: this.progressLine(),
    };
    this.draw();
    const failing: string[] = [];
    for (const ex of this.session.course.exercises) {
      const r = await verifyInSession(this.session, ex, this.ctx, { makeCurrent: false }).catch(
        () => undefined,
      );
      if (r?.status !== 'pass' && r?.status !== 'skip') failing.push(ex.id);
    }
    if (failing.length) {
      const first = this.session.course.exercises.find((e) => e.id === failing[0]);
      if (first) {
        this.open(first);
        return;
      }
    }
    this.state = { ...this.state, phase: 'finished', notes: [], progress: this.progressLine() };
    this.draw();
  }

  private readonly onKey = (str: string | undefined, key: { name?: string; ctrl?: boolean }) => {
    if (key.ctrl && key.name === 'c') return this.quit(EXIT.interrupted);
    const k = (str ?? key.name ?? '').toLowerCase();
    if (this.confirmingReset) {
      this.confirmingReset = false;
      if (k === 'y' && this.exercise) {
        resetExercise(this.session, this.exercise);
        this.state.notes = [this.t.resetDone(this.state.file)];
      } else this.state.notes = [this.t.cancelled];
      this.draw();
      return;
    }
    switch (k) {
      case 'q':
        return this.quit(EXIT.ok);
      case 'r':
        return void this.verify();
      case 'h': {
        if (!this.exercise) return;
        const { shown, total } = nextHint(this.session, this.exercise, this.ctx.lang);
        this.state.notes = hintLines(shown, total, this.exercise.id, this.t, this.st);
        return this.draw();
      }
      case 'l':
        this.state.notes = [
          renderProgress(
            this.session.course,
            this.session.progress,
            this.exercise?.id,
            this.ctx.lang,
            this.st,
            { width: columnsOf(this.ctx.out) },
          ).trimEnd(),
        ];
        return this.draw();
      case 'x':
        this.confirmingReset = true;
        this.state.notes = [`${this.t.resetConfirm(this.state.file)} (y/n)`];
        return this.draw();
      case 'n': {
        const ex = this.exercise;
        if (!ex) return;
        if (!isDone(this.session.progress, ex.id)) {
          this.state.notes = [this.t.watchNextLocked];
          return this.draw();
        }
        const next = nextAfter(this.session.course, ex.id) ?? current(this.session);
        if (next && !isDone(this.session.progress, next.id)) return this.open(next);
        const pending = current(this.session);
        if (pending) return this.open(pending);
        return void this.recheckAll();
      }
      default:
        return;
    }
  };

  /** q leaves with 0; Ctrl+C with 130, as at every other prompt (from the menu, it leaves the menu too). */
  private quit(code: number): void {
    this.watcher?.close();
    process.stdin.off('keypress', this.onKey);
    process.stdin.setRawMode(false);
    process.stdin.pause();
    this.finish(code);
  }
}
