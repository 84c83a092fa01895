/**
 * Field sets as server-side apply tracks them (structured-merge-diff's fieldpath.Set), and their
 * wire form, `metadata.managedFields[].fieldsV1`:
 *   `f:<name>`         a field of a struct or a key of a map
 *   `k:{"name":"x"}`   an item of an associative list, by its key fields (sorted by name)
 *   `v:"x"`            an item of a set-like list of primitives
 *   `i:3`              an item of a list by index (not used by built-in kinds)
 *   `.`                the path itself is a member (not only its children)
 *
 * A path element is kept in its serialized form (`f:spec`), which is also how it sorts and prints.
 */
import { isObject } from '../../api/types';

export class FieldSet {
  /** Path elements at this level that are themselves members of the set. */
  readonly members = new Set<string>();
  /** Sub-sets below path elements at this level. */
  readonly children = new Map<string, FieldSet>();

  static fromPaths(paths: readonly (readonly string[])[]): FieldSet {
    const s = new FieldSet();
    for (const p of paths) s.insert(p);
    return s;
  }

  insert(path: readonly string[]): void {
    if (path.length === 0) return;
    let cur: FieldSet = this;
    for (let i = 0; i < path.length - 1; i++) cur = cur.child(path[i]);
    cur.members.add(path[path.length - 1]);
  }

  has(path: readonly string[]): boolean {
    if (path.length === 0) return false;
    let cur: FieldSet | undefined = this;
    for (let i = 0; i < path.length - 1 && cur; i++) cur = cur.children.get(path[i]);
    return !!cur && cur.members.has(path[path.length - 1]);
  }

  /** The sub-set below one path element (created when missing). */
  child(pe: string): FieldSet {
    let c = this.children.get(pe);
    if (!c) {
      c = new FieldSet();
      this.children.set(pe, c);
    }
    return c;
  }

  /** The sub-set below `pe`, or an empty set. */
  withPrefix(pe: string): FieldSet {
    return this.children.get(pe) ?? EMPTY;
  }

  isEmpty(): boolean {
    if (this.members.size) return false;
    for (const c of this.children.values()) if (!c.isEmpty()) return false;
    return true;
  }

  clone(): FieldSet {
    const s = new FieldSet();
    for (const m of this.members) s.members.add(m);
    for (const [pe, c] of this.children) s.children.set(pe, c.clone());
    return s;
  }

  union(other: FieldSet): FieldSet {
    // Sets are never changed once built, so a union with an empty set may be the other set itself.
    if (other.isEmpty()) return this;
    if (this.isEmpty()) return other;
    const s = this.clone();
    s.addAll(other);
    return s;
  }

  private addAll(other: FieldSet): void {
    for (const m of other.members) this.members.add(m);
    for (const [pe, c] of other.children) this.child(pe).addAll(c);
  }

  /** Members of this set that are not members of `other` (children compared recursively). */
  difference(other: FieldSet): FieldSet {
    const s = new FieldSet();
    for (const m of this.members) if (!other.members.has(m)) s.members.add(m);
    for (const [pe, c] of this.children) {
      const o = other.children.get(pe);
      // Sets are never changed once built (union clones before adding), so untouched sub-sets are shared.
      const d = o ? c.difference(o) : c;
      if (!d.isEmpty()) s.children.set(pe, d);
    }
    return s;
  }

  intersection(other: FieldSet): FieldSet {
    const s = new FieldSet();
    for (const m of this.members) if (other.members.has(m)) s.members.add(m);
    for (const [pe, c] of this.children) {
      const o = other.children.get(pe);
      if (!o) continue;
      const i = c.intersection(o);
      if (!i.isEmpty()) s.children.set(pe, i);
    }
    return s;
  }

  /** Removes every path at or below the given top-level path elements. */
  withoutTop(pes: readonly string[]): FieldSet {
    const s = new FieldSet();
    for (const m of this.members) if (!pes.includes(m)) s.members.add(m);
    for (const [pe, c] of this.children) if (!pes.includes(pe)) s.children.set(pe, c);
    return s;
  }

  /** Every member path, in upstream's iteration order (members of a level, then its children, each sorted). */
  paths(): string[][] {
    const out: string[][] = [];
    const walk = (s: FieldSet, prefix: string[]): void => {
      for (const m of sortPathElements([...s.members])) out.push([...prefix, m]);
      for (const pe of sortPathElements([...s.children.keys()])) walk(s.children.get(pe) as FieldSet, [...prefix, pe]);
    };
    walk(this, []);
    return out;
  }

  /** The wire form (`fieldsV1`). */
  toFieldsV1(): Record<string, unknown> {
    return this.emit(false) ?? {};
  }

  /** The wire form of this level, `.` first when `self`; undefined when the set is empty. */
  private emit(self: boolean): Record<string, unknown> | undefined {
    const members = this.members;
    const keys = [...members];
    if (this.children.size) for (const pe of this.children.keys()) if (!members.has(pe)) keys.push(pe);
    if (keys.length === 0) return undefined;
    if (keys.length > 1) sortPathElements(keys);
    let out: Record<string, unknown> | undefined;
    for (const pe of keys) {
      const c = this.children.get(pe);
      const isMember = members.has(pe);
      const v = c ? c.emit(isMember) : undefined;
      if (v === undefined && !isMember) continue;
      if (!out) out = self ? { '.': {} } : {};
      out[pe] = v ?? {};
    }
    return out;
  }

  /** Parses the wire form; throws on malformed input. */
  static fromFieldsV1(v: unknown): FieldSet {
    const s = new FieldSet();
    if (!isObject(v)) throw new Error('FieldsV1 must be an object');
    for (const [k, sub] of Object.entries(v)) {
      if (k === '.') continue;
      if (!/^[fkvi]:/.test(k)) throw new Error(`parsing JSON: invalid path element ${JSON.stringify(k)}`);
      if (!isObject(sub)) throw new Error('FieldsV1 must be an object');
      const keys = Object.keys(sub);
      if (keys.length === 0) {
        s.members.add(k);
        continue;
      }
      if ('.' in sub) s.members.add(k);
      const c = FieldSet.fromFieldsV1(sub);
      if (!c.isEmpty()) s.children.set(k, c);
    }
    return s;
  }
}

const EMPTY = new FieldSet();

/** Order of path elements: fields, then keys, then values, then indexes; each sorted within. */
export function sortPathElements(pes: string[]): string[] {
  return pes.sort(comparePathElements);
}

/** 'f' < 'k' < 'v' < 'i' (the first character's char code → rank; anything else ranks -1). */
function rank(c: number): number {
  return c === 102 ? 0 : c === 107 ? 1 : c === 118 ? 2 : c === 105 ? 3 : -1;
}

function comparePathElements(a: string, b: string): number {
  const ca = a.charCodeAt(0);
  const cb = b.charCodeAt(0);
  if (ca !== cb) {
    const r = rank(ca) - rank(cb);
    if (r) return r;
  }
  if (ca === 105) return Number(a.slice(2)) - Number(b.slice(2));
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `f:name` */
export function fieldPE(name: string): string {
  return `f:${name}`;
}

/** `k:{"containerPort":80,"protocol":"TCP"}`: key fields sorted by name. */
export function keyPE(fields: Record<string, unknown>): string {
  const sorted: Record<string, unknown> = {};
  for (const k of Object.keys(fields).sort()) sorted[k] = fields[k];
  return `k:${JSON.stringify(sorted)}`;
}

/** `v:"x"` */
export function valuePE(v: unknown): string {
  return `v:${JSON.stringify(v)}`;
}

/** Renders a path as upstream prints it in conflicts: `.spec.template.spec.containers[name="nginx"].image`. */
export function pathString(path: readonly string[]): string {
  return path
    .map((pe) => {
      const body = pe.slice(2);
      switch (pe[0]) {
        case 'f':
          return `.${body}`;
        case 'k': {
          const o = JSON.parse(body) as Record<string, unknown>;
          return `[${Object.keys(o)
            .map((k) => `${k}=${valueString(o[k])}`)
            .join(',')}]`;
        }
        case 'v':
          return `[=${valueString(JSON.parse(body))}]`;
        default:
          return `[${body}]`;
      }
    })
    .join('');
}

/** structured-merge-diff's value.ToString: strings quoted, numbers and booleans bare. */
function valueString(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(valueString).join(',')}]`;
  if (isObject(v)) return Object.keys(v).map((k) => `${k}=${valueString(v[k])}`).join('');
  return String(v);
}
