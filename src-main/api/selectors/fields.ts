/**
 * Field selectors as k8s.io/apimachinery/pkg/fields parses them: comma-joined terms
 * `field=value`, `field==value`, `field!=value`; in values `\,` `\=` `\\` are escapes and a bare
 * `,` or `=` is an error. Matching asks a resolver for an object's field as a string (a missing
 * field is ""), as upstream's fields.Set does.
 *
 * Which fields a kind supports is the API server's business (ResourceDef.fieldSelectors); this
 * file only gives it the upstream error messages for an unsupported one.
 *
 * Imports: api/errors only.
 */
import { badRequest, type StatusError } from '../errors';

export type FieldOperator = '=' | '==' | '!=';

export interface FieldRequirement {
  readonly field: string;
  readonly operator: FieldOperator;
  /** The unescaped value. */
  readonly value: string;
}

/** Resolves a field name to its string value for one object (undefined = absent = ""). */
export type FieldResolver = (field: string) => string | undefined;

export interface FieldSelector {
  /** Requirements in upstream's order (terms sorted as strings before parsing). */
  readonly requirements: readonly FieldRequirement[];
  matches(resolve: FieldResolver | Readonly<Record<string, string>>): boolean;
  empty(): boolean;
  /** `a=b,c!=d` with values escaped again. */
  toString(): string;
  /** The value `field` must equal (`=`/`==`), if any. */
  requiresExactMatch(field: string): string | undefined;
  /**
   * fields.Selector.Transform: maps every (field, value); the callback may throw (the API server
   * throws the "not supported" StatusError from here).
   */
  transform(fn: (field: string, value: string) => [string, string]): FieldSelector;
}

class TermsSelector implements FieldSelector {
  readonly requirements: readonly FieldRequirement[];
  constructor(reqs: FieldRequirement[]) {
    this.requirements = Object.freeze(reqs);
  }
  matches(resolve: FieldResolver | Readonly<Record<string, string>>): boolean {
    const get: FieldResolver = typeof resolve === 'function' ? resolve : (f) => (Object.prototype.hasOwnProperty.call(resolve, f) ? resolve[f] : undefined);
    for (const r of this.requirements) {
      const v = get(r.field) ?? '';
      if (r.operator === '!=' ? v === r.value : v !== r.value) return false;
    }
    return true;
  }
  empty(): boolean {
    return this.requirements.length === 0;
  }
  toString(): string {
    return this.requirements.map((r) => `${r.field}${r.operator === '!=' ? '!=' : '='}${escapeFieldValue(r.value)}`).join(',');
  }
  requiresExactMatch(field: string): string | undefined {
    for (const r of this.requirements) if (r.field === field && r.operator !== '!=') return r.value;
    return undefined;
  }
  transform(fn: (field: string, value: string) => [string, string]): FieldSelector {
    return new TermsSelector(
      this.requirements.map((r) => {
        const [field, value] = fn(r.field, r.value);
        return { field, operator: r.operator, value };
      }),
    );
  }
}

const EVERYTHING: FieldSelector = new TermsSelector([]);

/** fields.Everything(). */
export function everythingFieldSelector(): FieldSelector {
  return EVERYTHING;
}

/** fields.SelectorFromSet: `field=value` for each entry. */
export function fieldSelectorFromSet(set: Readonly<Record<string, string>> | undefined): FieldSelector {
  if (!set) return EVERYTHING;
  return new TermsSelector(Object.entries(set).map(([field, value]) => ({ field, operator: '=' as const, value })));
}

/** fields.EscapeValue: `\` → `\\`, `,` → `\,`, `=` → `\=`. */
export function escapeFieldValue(s: string): string {
  return s.replace(/[\\,=]/g, (c) => `\\${c}`);
}

/**
 * fields.UnescapeValue. Throws a 400 StatusError: `invalid field selector: invalid escape
 * sequence: \x`, or `invalid field selector: unescaped character in value: 61` (upstream prints
 * the rune as a number).
 */
export function unescapeFieldValue(s: string): string {
  if (!/[\\,=]/.test(s)) return s;
  let out = '';
  let inSlash = false;
  for (const c of s) {
    if (inSlash) {
      if (c === '\\' || c === ',' || c === '=') out += c;
      else throw badRequest(`invalid field selector: invalid escape sequence: \\${c}`);
      inSlash = false;
      continue;
    }
    if (c === '\\') inSlash = true;
    else if (c === ',' || c === '=') throw badRequest(`invalid field selector: unescaped character in value: ${c.codePointAt(0)}`);
    else out += c;
  }
  if (inSlash) throw badRequest('invalid field selector: invalid escape sequence: \\');
  return out;
}

/** Splits on commas not escaped by a backslash (the backslash stays in the term). */
function splitTerms(s: string): string[] {
  if (!s) return [];
  const terms: string[] = [];
  let start = 0;
  let inSlash = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (inSlash) inSlash = false;
    else if (c === '\\') inSlash = true;
    else if (c === ',') {
      terms.push(s.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(s.slice(start));
  return terms;
}

const TERM_OPERATORS: FieldOperator[] = ['!=', '==', '='];

/** The first operator occurrence splits the term; the field part has no escaping. */
function splitTerm(term: string): { lhs: string; op: FieldOperator; rhs: string } | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of TERM_OPERATORS) {
      if (term.startsWith(op, i)) return { lhs: term.slice(0, i), op, rhs: term.slice(i + op.length) };
    }
  }
  return undefined;
}

/** Go's sort.Strings order (byte-wise). */
function byteCompare(a: string, b: string): number {
  const ba = Buffer.from(a);
  const bb = Buffer.from(b);
  return Buffer.compare(ba, bb);
}

/**
 * fields.ParseSelector. An empty string selects everything. Throws a 400 StatusError
 * (`invalid selector: 'a'; can't understand 'a'`) on a term without an operator.
 */
export function parseFieldSelector(selector: string): FieldSelector {
  const parts = splitTerms(selector).sort(byteCompare);
  const reqs: FieldRequirement[] = [];
  for (const part of parts) {
    if (part === '') continue;
    const t = splitTerm(part);
    if (!t) throw badRequest(`invalid selector: '${selector}'; can't understand '${part}'`);
    reqs.push({ field: t.lhs, operator: t.op, value: unescapeFieldValue(t.rhs) });
  }
  return reqs.length ? new TermsSelector(reqs) : EVERYTHING;
}

// ---------------------------------------------------------------------------------------------
// Unsupported fields: the API server's 400s

/** The fields every kind supports (runtime.DefaultMetaV1FieldSelectorConversion). */
export const DEFAULT_SELECTABLE_FIELDS: readonly string[] = Object.freeze(['metadata.name', 'metadata.namespace']);

/** `"spec.foo" is not a known field selector: only "metadata.name", "metadata.namespace"` (most kinds). */
export function unknownFieldSelectorMessage(field: string): string {
  return `${JSON.stringify(field)} is not a known field selector: only "metadata.name", "metadata.namespace"`;
}

/** `field label not supported: spec.foo` (core/v1 kinds with their own conversion: pods, nodes, services, …). */
export function fieldLabelNotSupportedMessage(field: string): string {
  return `field label not supported: ${field}`;
}

/**
 * Kinds whose upstream field-label conversion says `field label not supported: <f>`
 * (pkg/apis/core/v1 and apps/v1 ReplicaSet); everything else uses the default wording.
 */
const FIELD_LABEL_NOT_SUPPORTED_KINDS = new Set(['/Pod', '/Node', '/ReplicationController', '/Event', '/Namespace', '/Secret', '/Service', 'apps/ReplicaSet']);

/** The upstream message for selecting on an unsupported field of `group`/`kind`. */
export function unsupportedFieldSelectorMessage(group: string, kind: string, field: string): string {
  if (group === 'batch' && kind === 'Job') return `field label ${JSON.stringify(field)} not supported for batchv1.Job`;
  if (FIELD_LABEL_NOT_SUPPORTED_KINDS.has(`${group}/${kind}`)) return fieldLabelNotSupportedMessage(field);
  return unknownFieldSelectorMessage(field);
}

/** The 400 BadRequest for an unsupported field, worded as upstream words it for that kind. */
export function unsupportedFieldSelector(group: string, kind: string, field: string): StatusError {
  return badRequest(unsupportedFieldSelectorMessage(group, kind, field));
}

/**
 * Checks every field of `sel` against `supported` (plus metadata.name, and metadata.namespace except
 * for nodes and namespaces) and
 * throws the kind's 400 for the first unsupported one.
 */
export function checkFieldSelector(sel: FieldSelector, group: string, kind: string, supported: Iterable<string> = []): void {
  // Upstream's Node and Namespace conversions do not accept metadata.namespace.
  const defaults = group === '' && (kind === 'Node' || kind === 'Namespace') ? ['metadata.name'] : DEFAULT_SELECTABLE_FIELDS;
  const ok = new Set([...defaults, ...supported]);
  for (const r of sel.requirements) if (!ok.has(r.field)) throw unsupportedFieldSelector(group, kind, r.field);
}

