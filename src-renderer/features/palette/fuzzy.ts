/**
 * Fuzzy matching for the command palette: the query's characters in order within the text
 * (case-insensitive), scored so that prefixes, word starts and runs of consecutive characters
 * win and long gaps lose; ranking keeps the best few.
 */

export interface Match {
  score: number;
  /** Indexes of the matched characters in the text (for highlighting). */
  positions: number[];
}

const isWordStart = (text: string, i: number): boolean => {
  if (i === 0) return true;
  const prev = text[i - 1];
  const cur = text[i];
  if (/[\s\-_/.:]/.test(prev)) return true;
  // camelCase boundary: "ReplicaSets" → S
  return prev === prev.toLowerCase() && cur !== cur.toLowerCase();
};

/**
 * Scores `query` against `text`; undefined when the query's characters are not all there in
 * order. Greedy per character but prefers a word start or a continuation over the first hit.
 */
export function fuzzyMatch(query: string, text: string): Match | undefined {
  const q = query.trim().toLowerCase();
  if (!q) return { score: 0, positions: [] };
  const t = text.toLowerCase();
  // An exact substring is the strongest signal: score it directly.
  const sub = t.indexOf(q);
  if (sub >= 0) {
    const positions = Array.from({ length: q.length }, (_, k) => sub + k);
    let score = 100 + q.length * 10;
    if (sub === 0) score += 60;
    else if (isWordStart(text, sub)) score += 35;
    score -= Math.min(sub, 30);
    score -= Math.min(text.length - q.length, 40) * 0.5;
    return { score, positions };
  }
  const positions: number[] = [];
  let score = 0;
  let from = 0;
  for (let qi = 0; qi < q.length; qi++) {
    const c = q[qi];
    if (c === ' ') continue;
    let best = -1;
    // Prefer continuing the previous run, then a word start, then the first occurrence.
    const last = positions[positions.length - 1];
    if (last !== undefined && t[last + 1] === c && last + 1 >= from) best = last + 1;
    if (best < 0) {
      for (let i = from; i < t.length; i++) {
        if (t[i] !== c) continue;
        if (isWordStart(text, i)) {
          best = i;
          break;
        }
        if (best < 0) best = i;
      }
    }
    if (best < 0) return undefined;
    const gap = last === undefined ? best : best - last - 1;
    score += 10;
    if (last !== undefined && gap === 0) score += 12;
    if (isWordStart(text, best)) score += 15;
    score -= Math.min(gap, 10);
    positions.push(best);
    from = best + 1;
  }
  if (positions[0] === 0) score += 20;
  score -= Math.min(text.length - positions.length, 40) * 0.5;
  return { score, positions };
}

export interface Ranked<T> {
  item: T;
  match: Match;
}

/**
 * The items whose text matches, best first (ties: the item's weight, then the input order);
 * `texts` gives the label first and optional extra keywords (matched with a penalty).
 */
export function rank<T>(query: string, items: readonly T[], texts: (item: T) => string[], weight: (item: T) => number = () => 0, limit = 50): Ranked<T>[] {
  const out: (Ranked<T> & { i: number; w: number })[] = [];
  items.forEach((item, i) => {
    const [label, ...extra] = texts(item);
    let match = fuzzyMatch(query, label);
    if (!match) {
      for (const k of extra) {
        const m = fuzzyMatch(query, k);
        if (m && (!match || m.score - 25 > match.score)) match = { score: m.score - 25, positions: [] };
      }
    }
    if (match) out.push({ item, match, i, w: weight(item) });
  });
  out.sort((a, b) => b.match.score + b.w - (a.match.score + a.w) || a.i - b.i);
  return out.slice(0, limit).map(({ item, match }) => ({ item, match }));
}

/** Splits `text` into runs marked as matched or not (for <mark> highlighting). */
export function highlight(text: string, positions: readonly number[]): { text: string; hit: boolean }[] {
  const set = new Set(positions);
  const parts: { text: string; hit: boolean }[] = [];
  for (let i = 0; i < text.length; i++) {
    const hit = set.has(i);
    const last = parts[parts.length - 1];
    if (last && last.hit === hit) last.text += text[i];
    else parts.push({ text: text[i], hit });
  }
  return parts;
}
