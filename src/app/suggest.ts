// "Did you mean …?": the known names closest to what was typed, by edit distance (a swap of two neighbouring
// letters counts as one edit, since `verfy` and `tcp-clinet` are the usual slips).

export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = d[i] as number[];
      const up = d[i - 1] as number[];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min((up[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (up[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        row[j] = Math.min(row[j] ?? 0, ((d[i - 2] as number[])[j - 2] ?? 0) + 1);
    }
  }
  return (d[a.length] as number[])[b.length] ?? 0;
}

/** Names within a third of their length in edits (at least 1, at most 3), nearest first; or containing it. */
export function closest(names: string[], typed: string): string[] {
  const key = typed.toLowerCase();
  const scored = names
    .map((name) => ({ name, d: editDistance(key, name.toLowerCase()) }))
    .filter(
      ({ name, d }) =>
        d <= Math.min(3, Math.max(1, Math.floor(name.length / 3))) || (key.length >= 3 && name.includes(key)),
    );
  return scored
    .sort((x, y) => x.d - y.d)
    .map((x) => x.name)
    .slice(0, 3);
}
