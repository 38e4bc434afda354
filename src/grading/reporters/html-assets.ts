// What the class report carries besides its content: the style sheet, one tiny script, and the policy that pins
// both down. The file is opened from disk and may be mailed around, so it must work with nothing else and fetch
// nothing: the Content-Security-Policy forbids every request (no image, font, frame or connection can leave the
// file) and every script but the one below, named by its hash. Learner text is escaped as well; the policy is the
// second wall.
import { createHash } from 'node:crypto';

export const CSS = `
:root{font:15px/1.45 system-ui,sans-serif;color:#1b1b1b;background:#fff}
*,*::before,*::after{box-sizing:border-box}
body{margin:0 auto;max-width:110rem;padding:.75rem clamp(.6rem,3vw,2rem);overflow-wrap:anywhere}
h1{font-size:1.5rem;margin:.4rem 0}h2{font-size:1.25rem;margin-top:2rem;border-bottom:1px solid #bbb}
h3{font-size:1.05rem}h4{font-size:.95rem;margin:.8rem 0 .2rem}
[id]{scroll-margin-top:.5rem}
nav{display:flex;flex-wrap:wrap;gap:.2rem 1.2rem}
table{border-collapse:collapse;margin:.5rem 0}
caption{text-align:left;font-size:.9rem;color:#444;padding:.2rem 0}
th,td{border:1px solid #999;padding:.15rem .4rem;text-align:left;vertical-align:top}
thead th{background:#eee}
.scroll{overflow:auto;max-width:100%}
.grid{border:1px solid #999}
.grid table{margin:0;border-style:hidden}
.heat{width:100%;font-variant-numeric:tabular-nums}
.heat th,.heat td{white-space:nowrap;overflow-wrap:normal}
.heat td{text-align:center;padding:.1rem .25rem;font-size:.9rem}
.heat td.n{text-align:right}
.heat thead th,.heat tr.again th{text-align:center;vertical-align:bottom;background:#eee}
.heat thead th.w{white-space:normal;min-width:5rem}
.heat tbody th{position:sticky;left:0;z-index:1;background:#fff;max-width:11rem;overflow:hidden;text-overflow:ellipsis}
.heat thead th:first-child,.heat tr.again th:first-child{position:sticky;left:0;z-index:2}
.heat td a{color:inherit;text-decoration:none;display:block}
.heat td a:hover,.heat td a:focus{text-decoration:underline}
.heat tbody tr:hover th,.heat tbody tr:focus-within th{background:#e8eefb}
.legend{display:flex;flex-wrap:wrap;gap:0 1.5rem;list-style:none;font-size:.85rem;margin:.4rem 0;padding:0}
.legend li{min-width:15rem}
.c4{background:#bfe5c8}.c3{background:#f7e7a1}.c2{background:#f9c98f}.c0{background:#f3b0b0}.ce{background:#d6ccf3}
.cs{background:repeating-linear-gradient(135deg,#f3b0b0 0 6px,#f7d3d3 6px 12px)}
.key{display:flex;flex-wrap:wrap;gap:.3rem .4rem;margin:.4rem 0}
.key span{padding:0 .4rem;border:1px solid #999}
.dist{width:100%;max-width:44rem}
.dist th,.dist td{white-space:nowrap;overflow-wrap:normal}
.dist td.bar{width:100%;padding:.2rem .4rem}
.bar span{display:block;height:.95rem;background:#5a7fb5;min-width:1px}
.reteach>li{margin:.2rem 0 1rem}
.reteach .who{font-size:.9rem;color:#333}
.student{border-top:2px solid #444;margin-top:2rem;content-visibility:auto;contain-intrinsic-size:auto 1400px}
.back,.when{font-size:.9rem}
.stub{font-style:italic}
.msg{white-space:pre-wrap;font-family:ui-monospace,monospace;font-size:.85rem;background:#f6f6f6;padding:.3rem;margin:.2rem 0}
.seqbox{margin:.4rem 0 1rem}
.seq{display:block;max-width:none;font:13px ui-monospace,monospace}
.seq text{text-anchor:middle}.seq .t,.seq .n,.seq .g,.seq .p,.seq .fx{text-anchor:start}
.seq .ln{font-weight:bold}.seq .ll{stroke:#aaa;stroke-dasharray:3 3}
.seq .t{fill:#666;font-size:12px}.seq path{stroke-width:1.5;fill:none}.seq .i{stroke:#8a5a00}.seq .o{stroke:#00668a}
.seq .h{fill:#333;stroke:none}.seq .x{stroke:#b00;stroke-dasharray:4 2}.seq .lx{fill:#b00;font-weight:bold}
.seq .n,.seq .g{fill:#555}.seq .p{fill:#00668a}
.seq .fl{stroke:#b00;stroke-width:2}.seq .fx{fill:#b00;font-weight:bold}
@media print{nav,.back{display:none}.student{break-before:page}.scroll,.grid{overflow:visible}
.heat thead th,.heat tbody th{position:static}
.c4,.c3,.c2,.c0,.ce,.cs,.bar span{print-color-adjust:exact;-webkit-print-color-adjust:exact}a{color:inherit;text-decoration:none}}
`;

/**
 * The report's one script, a progressive enhancement: times are written in UTC, readable as they are, and this
 * rewrites them in the reader's own locale and time zone. Without scripts (or in a mail preview) the UTC text
 * stays.
 */
export const SCRIPT =
  "const f=new Intl.DateTimeFormat(undefined,{dateStyle:'medium',timeStyle:'short'});for(const t of document.querySelectorAll('time[datetime]')){const d=new Date(t.dateTime);if(!isNaN(d))t.textContent=f.format(d)}";

const SCRIPT_HASH = createHash('sha256').update(SCRIPT).digest('base64');

/** Nothing may be fetched, framed or sent; styles are inline; the one script above is the only one that runs. */
export const CSP = `default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-${SCRIPT_HASH}'; base-uri 'none'; form-action 'none'`;

/** A time as the report writes it before any script: `2026-12-06 14:03 UTC`, unambiguous in every locale. */
export function utcText(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
