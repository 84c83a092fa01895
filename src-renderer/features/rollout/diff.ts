/**
 * A line diff of two revisions' template YAML (longest common subsequence; templates are a few
 * hundred lines at most): `-` lines only in the older, `+` only in the newer, ` ` in both. The
 * side-by-side view is CodeMirror's merge view; this gives the summary and the copyable text.
 */
export interface DiffLine {
  op: ' ' | '-' | '+';
  text: string;
}

function lines(text: string): string[] {
  const l = text.split('\n');
  if (l[l.length - 1] === '') l.pop();
  return l;
}

export function lineDiff(a: string, b: string): DiffLine[] {
  const x = lines(a);
  const y = lines(b);
  const n = x.length;
  const m = y.length;
  // lcs[i][j]: the LCS length of x[i..] and y[j..].
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i][j] = x[i] === y[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (x[i] === y[j]) {
      out.push({ op: ' ', text: x[i] });
      i++;
      j++;
    } else if (lcs[i + 1][j] >= lcs[i][j + 1]) out.push({ op: '-', text: x[i++] });
    else out.push({ op: '+', text: y[j++] });
  }
  while (i < n) out.push({ op: '-', text: x[i++] });
  while (j < m) out.push({ op: '+', text: y[j++] });
  return out;
}

/** Only the changed lines, each with its sign: `- image: nginx:1.25`. */
export function changedLines(a: string, b: string): string[] {
  return lineDiff(a, b)
    .filter((l) => l.op !== ' ')
    .map((l) => `${l.op} ${l.text.trim()}`);
}

/** A unified diff with `context` lines around each change (and `@@` between distant hunks). */
export function unifiedDiff(a: string, b: string, labelA: string, labelB: string, context = 3): string {
  const d = lineDiff(a, b);
  const keep = new Array<boolean>(d.length).fill(false);
  d.forEach((l, idx) => {
    if (l.op === ' ') return;
    for (let k = Math.max(0, idx - context); k <= Math.min(d.length - 1, idx + context); k++) keep[k] = true;
  });
  const out = [`--- ${labelA}`, `+++ ${labelB}`];
  let gap = true;
  d.forEach((l, idx) => {
    if (!keep[idx]) {
      gap = true;
      return;
    }
    if (gap) out.push('@@');
    gap = false;
    out.push(`${l.op}${l.text}`);
  });
  return out.join('\n') + '\n';
}
