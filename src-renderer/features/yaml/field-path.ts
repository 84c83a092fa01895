/**
 * API field paths (`spec.template.spec.containers[0].image`, `.spec.replicas`,
 * `metadata.labels[app.kubernetes.io/name]`) → the line of a YAML document where that field is
 * written. When the field itself is absent (a "Required value"), the line of its nearest written
 * parent; `exact` says which.
 */
import { isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';

export type PathSegment = string | number;

/** Splits a field path as the API server prints it: dots between names, `[i]` or `[key]`. */
export function parseFieldPath(field: string): PathSegment[] {
  const out: PathSegment[] = [];
  let i = field.startsWith('.') ? 1 : 0;
  let name = '';
  const flush = (): void => {
    if (name) out.push(name);
    name = '';
  };
  while (i < field.length) {
    const c = field[i];
    if (c === '.') {
      flush();
      i++;
    } else if (c === '[') {
      flush();
      const end = field.indexOf(']', i);
      const inner = end < 0 ? field.slice(i + 1) : field.slice(i + 1, end);
      out.push(/^\d+$/.test(inner) ? Number(inner) : inner);
      i = end < 0 ? field.length : end + 1;
    } else {
      name += c;
      i++;
    }
  }
  flush();
  return out;
}

export interface FieldLocation {
  /** 1-based line in the text the document was parsed from. */
  line: number;
  /** False when only a parent of the field was found. */
  exact: boolean;
}

function scalarKey(k: unknown): string | undefined {
  return isScalar(k) ? String(k.value) : undefined;
}

/** The item of a sequence: by index, or (a key in brackets) the map item whose `name` is it. */
function seqItem(node: Node, seg: PathSegment): Node | undefined {
  if (!isSeq(node)) return undefined;
  if (typeof seg === 'number') return (node.items[seg] as Node | undefined) ?? undefined;
  return node.items.find((it) => isMap(it) && it.items.some((p) => scalarKey(p.key) === 'name' && isScalar(p.value) && String(p.value.value) === seg)) as Node | undefined;
}

/**
 * Where `field` is in `doc` (parsed with `lineCounter` from the whole text, so lines are absolute).
 * Undefined when the document has no contents.
 */
export function fieldLocation(doc: Document, lineCounter: LineCounter, field: string): FieldLocation | undefined {
  let node = doc.contents as Node | null;
  if (!node?.range) return undefined;
  let offset = node.range[0];
  let exact = true;
  const path = parseFieldPath(field);
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    if (isMap(node)) {
      const pair = node.items.find((p) => scalarKey(p.key) === String(seg));
      if (!pair) {
        exact = false;
        break;
      }
      const key = pair.key as Node;
      if (key.range) offset = key.range[0];
      node = pair.value as Node | null;
    } else {
      const item: Node | undefined = node ? seqItem(node, seg) : undefined;
      if (!item) {
        exact = false;
        break;
      }
      if (item.range) offset = item.range[0];
      node = item;
    }
    // A key without a value (`image:`) is exact when the path ends there.
    if (!node) {
      exact = i === path.length - 1;
      break;
    }
  }
  return { line: lineCounter.linePos(offset).line, exact };
}

/** The lines [first, last] a top-level key's block covers (e.g. `status`, shown as read-only). */
export function topLevelBlock(doc: Document, lineCounter: LineCounter, key: string): [number, number] | undefined {
  const root = doc.contents;
  if (!isMap(root)) return undefined;
  const pair = root.items.find((p) => scalarKey(p.key) === key);
  const k = pair?.key as Node | undefined;
  const v = pair?.value as Node | undefined;
  if (!k?.range) return undefined;
  const end = v?.range ? Math.max(v.range[1] - 1, k.range[0]) : k.range[1];
  return [lineCounter.linePos(k.range[0]).line, lineCounter.linePos(end).line];
}
