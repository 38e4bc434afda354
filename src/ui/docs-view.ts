// The documentation a lesson or exercise relies on, listed under its text: each title a link the terminal opens
// (OSC 8) where it can, else the title with its address on a line of its own, never wrapped (a cut address is
// another address; the pager scrolls it). Pure.
import type { DocLink, Lang } from '../grading/schema/course.js';
import { hyperlink, layout } from './layout.js';
import type { Style } from './style.js';

const HEADING: Record<Lang, string> = { en: 'Python documentation', 'zh-CN': 'Python 文档' };

export interface DocsOptions {
  width: number;
  style: Style;
  /** The terminal opens OSC 8 links (see wantsHyperlinks). */
  links: boolean;
  lang: Lang;
}

export function renderDocs(docs: DocLink[] | undefined, o: DocsOptions): string {
  if (!docs?.length) return '';
  const s = o.style;
  const lines = [s.bold(s.cyan(`## ${HEADING[o.lang]}`)), ''];
  for (const d of docs) {
    const paint = (x: string) => (o.links ? hyperlink(d.url, s.cyan(x)) : s.cyan(x));
    lines.push(
      ...layout(
        [
          { text: '• ', paint: s.dim },
          { text: d.title, paint },
        ],
        o.width,
      ),
    );
    if (!o.links) lines.push(`  ${s.dim(d.url)}`);
  }
  return `${lines.join('\n')}\n`;
}
