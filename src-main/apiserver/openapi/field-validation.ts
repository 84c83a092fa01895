/**
 * Server-side field validation (`?fieldValidation=Strict|Warn|Ignore`), as kube-apiserver does it
 * when decoding a request body into a typed object:
 *  - unknown fields are found by walking the object against the OpenAPI definition of its kind;
 *  - duplicate fields are found in the raw JSON text (JSON.parse keeps the last one silently);
 *  - both are reported in the decoder's words: `unknown field "spec.containers[0].imagePullPolicyX"`,
 *    `duplicate field "metadata.name"` (paths: fields joined with '.', list items as `[i]`, no leading dot).
 *
 * What the router does with them (upstream endpoints/handlers):
 *  - create/update (POST/PUT): Strict -> 400 BadRequest
 *      `Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.foo", unknown field "spec.bar"`
 *    (see `strictDecodingCreateMessage`); Warn (the default when the parameter is absent) -> one
 *    `Warning: 299 - "unknown field \"spec.foo\""` header per problem (see `warningHeaderValue`),
 *    request proceeds; Ignore -> nothing.
 *  - merge/strategic-merge/JSON patch: Strict -> 422 Invalid with cause field `patch` whose message
 *    ends with `strict decoding error: unknown field "spec.foo"` (see `strictDecodingPatchCause`);
 *    Warn -> warnings as above.
 *  - apply patch (server-side apply): duplicates with Strict -> 400 `error strict decoding patch: <errors>`;
 *    unknown fields -> see `typedPatchErrorMessage`.
 * kubectl sends Strict for `--validate=true|strict` (its default once /openapi/v3 shows that PATCH
 * accepts `fieldValidation`), Warn for `--validate=warn`, Ignore for `--validate=false`.
 */
import { definitionFor, refName, definitions, type Schema } from './schemas';

export type FieldValidationDirective = 'Strict' | 'Warn' | 'Ignore';

/** Cap on reported problems, as upstream's decoder. */
const MAX_ERRORS = 100;

/**
 * Reads the `fieldValidation` query parameter. Empty/absent means Warn (upstream default). Returns
 * an error message (for a 422 Invalid on `<Verb>Options.meta.k8s.io`) for anything else.
 */
export function parseFieldValidation(value: string | null | undefined): { directive: FieldValidationDirective } | { error: string } {
  if (value === null || value === undefined || value === '') return { directive: 'Warn' };
  if (value === 'Strict' || value === 'Warn' || value === 'Ignore') return { directive: value };
  return { error: `fieldValidation: Unsupported value: ${JSON.stringify(value)}: supported values: "", "Ignore", "Strict", "Warn"` };
}

/**
 * Field paths in `obj` that the kind's schema does not know, in document order:
 * `spec.foo`, `spec.containers[0].imagePullPolicyX`. Kinds without a generated definition
 * (custom resources) have no unknown fields.
 */
export function unknownFields(group: string, version: string, kind: string, obj: unknown): string[] {
  const def = definitionFor(group, version, kind);
  if (!def) return [];
  const out: string[] = [];
  walk(def, obj, '', out);
  return out;
}

/** The same, as decoder error strings: `unknown field "spec.foo"`. */
export function unknownFieldErrors(group: string, version: string, kind: string, obj: unknown): string[] {
  return unknownFields(group, version, kind, obj).map((p) => `unknown field ${goQuote(p)}`);
}

function walk(schema: Schema, value: unknown, path: string, out: string[]): void {
  if (out.length >= MAX_ERRORS || value === null || value === undefined) return;
  const s = resolveSchema(schema);
  if (!s || s['x-kubernetes-preserve-unknown-fields']) return;
  if (Array.isArray(value)) {
    if (s.items) value.forEach((v, i) => walk(s.items as Schema, v, `${path}[${i}]`, out));
    return;
  }
  if (typeof value !== 'object') return;
  const obj = value as Record<string, unknown>;
  if (s.properties) {
    for (const [k, v] of Object.entries(obj)) {
      const p = path ? `${path}.${k}` : k;
      const prop = s.properties[k];
      if (!prop) {
        if (!out.includes(p)) out.push(p);
        if (out.length >= MAX_ERRORS) return;
        continue;
      }
      walk(prop, v, p, out);
    }
    return;
  }
  if (s.additionalProperties && typeof s.additionalProperties === 'object') {
    for (const [k, v] of Object.entries(obj)) walk(s.additionalProperties, v, path ? `${path}.${k}` : k, out);
  }
}

/** Follows `$ref` and single `allOf`; undefined for schemas that accept anything. */
function resolveSchema(schema: Schema): Schema | undefined {
  let s: Schema | undefined = schema;
  for (let i = 0; s && i < 8; i++) {
    if (s.$ref) s = definitions()[refName(s.$ref)];
    else if (s.allOf && s.allOf.length === 1 && !s.properties) s = s.allOf[0];
    else break;
  }
  if (!s) return undefined;
  // objects without declared properties (RawExtension, FieldsV1, Patch) accept any field
  if (s.type === 'object' && !s.properties && !s.additionalProperties) return undefined;
  return s;
}

/**
 * Duplicate keys in a JSON text, as decoder error strings (`duplicate field "metadata.name"`), in
 * document order. Returns [] for text that is not valid JSON (the parser reports that).
 */
export function duplicateFields(rawJson: string | Buffer): string[] {
  const text = typeof rawJson === 'string' ? rawJson : rawJson.toString('utf8');
  const out: string[] = [];
  try {
    new DuplicateScanner(text, out).scan();
  } catch {
    return [];
  }
  return out.map((p) => `duplicate field ${goQuote(p)}`);
}

class DuplicateScanner {
  private i = 0;
  constructor(
    private readonly s: string,
    private readonly out: string[],
  ) {}

  scan(): void {
    this.ws();
    this.value('');
  }

  private ws(): void {
    while (this.i < this.s.length && ' \t\n\r'.includes(this.s[this.i])) this.i++;
  }

  private value(path: string): void {
    this.ws();
    const c = this.s[this.i];
    if (c === '{') this.object(path);
    else if (c === '[') this.array(path);
    else if (c === '"') this.string();
    else {
      const m = /^(?:true|false|null|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(this.s.slice(this.i, this.i + 64));
      if (!m) throw new Error('bad json');
      this.i += m[0].length;
    }
  }

  private object(path: string): void {
    this.i++; // {
    const seen = new Set<string>();
    this.ws();
    if (this.s[this.i] === '}') {
      this.i++;
      return;
    }
    for (;;) {
      this.ws();
      const key = this.string();
      const p = path ? `${path}.${key}` : key;
      if (seen.has(key)) {
        if (this.out.length < MAX_ERRORS && !this.out.includes(p)) this.out.push(p);
      } else seen.add(key);
      this.ws();
      if (this.s[this.i++] !== ':') throw new Error('bad json');
      this.value(p);
      this.ws();
      const c = this.s[this.i++];
      if (c === '}') return;
      if (c !== ',') throw new Error('bad json');
    }
  }

  private array(path: string): void {
    this.i++; // [
    this.ws();
    if (this.s[this.i] === ']') {
      this.i++;
      return;
    }
    for (let n = 0; ; n++) {
      this.value(`${path}[${n}]`);
      this.ws();
      const c = this.s[this.i++];
      if (c === ']') return;
      if (c !== ',') throw new Error('bad json');
    }
  }

  private string(): string {
    if (this.s[this.i] !== '"') throw new Error('bad json');
    const start = this.i;
    this.i++;
    while (this.i < this.s.length) {
      const c = this.s[this.i];
      if (c === '\\') this.i += 2;
      else if (c === '"') {
        this.i++;
        return JSON.parse(this.s.slice(start, this.i)) as string;
      } else this.i++;
    }
    throw new Error('bad json');
  }
}

/** Go's strconv.Quote, for the printable strings field paths are made of (JSON escaping agrees there). */
function goQuote(s: string): string {
  return JSON.stringify(s);
}

/** `strict decoding error: unknown field "spec.foo", duplicate field "metadata.name"` */
export function strictDecodingError(errors: string[]): string {
  return `strict decoding error: ${errors.join(', ')}`;
}

/**
 * The 400 BadRequest message for create/update with fieldValidation=Strict:
 * `Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.foo"`.
 */
export function strictDecodingCreateMessage(kind: string, version: string, errors: string[]): string {
  return `${kind} in version ${goQuote(version)} cannot be handled as a ${kind}: ${strictDecodingError(errors)}`;
}

/**
 * The cause of the 422 Invalid that merge/strategic-merge/JSON patches get with Strict
 * (upstream: field.Invalid(field.NewPath("patch"), <patched object>, <strict decoding error>),
 * returned as NewInvalid(schema.GroupKind{}, "", ...), i.e. the message
 * ` "" is invalid: patch: Invalid value: "<value>": strict decoding error: ...`).
 * `patchedValue` is upstream's rendering of the patched object: Go's %+v of the map for strategic
 * merge (see `goMapString`) or the patched JSON text for merge/JSON patches.
 */
export function strictDecodingPatchCause(patchedValue: string, errors: string[]): { field: string; reason: 'FieldValueInvalid'; message: string } {
  return { field: 'patch', reason: 'FieldValueInvalid', message: `Invalid value: ${goQuote(patchedValue)}: ${strictDecodingError(errors)}` };
}

/**
 * The 400 message server-side apply gets with Strict for duplicate fields in the applied
 * configuration (upstream decodes it into a plain map, so only duplicates show here):
 * `error strict decoding patch: json: duplicate field "metadata.name"`.
 */
export function strictDecodingApplyMessage(errors: string[]): string {
  return `error strict decoding patch: json: ${errors.join(', ')}`;
}

/**
 * Unknown fields in a server-side apply configuration are reported by structured-merge-diff, not
 * by the decoder, whatever fieldValidation says, with paths in its own notation: a leading dot
 * and list-map items by key (`.spec.containers[name="c"].imagePullPolicyX`). Message:
 * `failed to create typed patch object (/v1, Kind=Pod): .spec.foo: field not declared in schema`
 * (several: `errors:\n  .spec.foo: field not declared in schema\n  .spec.bar: ...`).
 */
export function typedPatchErrorMessage(group: string, version: string, kind: string, obj: unknown): string | undefined {
  const def = definitionFor(group, version, kind);
  if (!def) return undefined;
  const paths: string[] = [];
  walkSMD(def, obj, '', paths);
  if (!paths.length) return undefined;
  const errs = paths.map((p) => `${p}: field not declared in schema`);
  const gvk = `${group}/${version}, Kind=${kind}`;
  return `failed to create typed patch object (${gvk}): ${errs.length === 1 ? errs[0] : `errors:\n  ${errs.join('\n  ')}`}`;
}

function walkSMD(schema: Schema, value: unknown, path: string, out: string[]): void {
  if (out.length >= MAX_ERRORS || value === null || value === undefined) return;
  const field = schema;
  const s = resolveSchema(schema);
  if (!s || s['x-kubernetes-preserve-unknown-fields']) return;
  if (Array.isArray(value)) {
    const keys = (field['x-kubernetes-list-map-keys'] ?? s['x-kubernetes-list-map-keys']) as string[] | undefined;
    const listType = (field['x-kubernetes-list-type'] ?? s['x-kubernetes-list-type']) as string | undefined;
    if (!s.items) return;
    value.forEach((v, i) => {
      let seg = `[${i}]`;
      if (listType === 'map' && keys?.length && v && typeof v === 'object') {
        const item = v as Record<string, unknown>;
        seg = `[${keys.filter((k) => item[k] !== undefined).map((k) => `${k}=${JSON.stringify(item[k])}`).join(',')}]`;
      } else if (listType === 'set') {
        seg = `[${JSON.stringify(v)}]`;
      }
      walkSMD(s.items as Schema, v, `${path}${seg}`, out);
    });
    return;
  }
  if (typeof value !== 'object') return;
  const obj = value as Record<string, unknown>;
  if (s.properties) {
    for (const [k, v] of Object.entries(obj)) {
      const prop = s.properties[k];
      if (!prop) {
        out.push(`${path}.${k}`);
        continue;
      }
      walkSMD(prop, v, `${path}.${k}`, out);
    }
  } else if (s.additionalProperties && typeof s.additionalProperties === 'object') {
    for (const [k, v] of Object.entries(obj)) walkSMD(s.additionalProperties, v, `${path}.${k}`, out);
  }
}

/**
 * One `Warning` response header value per problem, as upstream's warning recorder writes them:
 * `299 - "unknown field \"spec.foo\""`. kubectl prints `Warning: unknown field "spec.foo"`.
 */
export function warningHeaderValue(message: string): string {
  return `299 - ${JSON.stringify(message)}`;
}

/** Go's %+v of a JSON value as it comes out of a map[string]interface{} (sorted keys). */
export function goMapString(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(goMapString).join(' ')}]`;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `map[${Object.keys(o)
      .sort()
      .map((k) => `${k}:${goMapString(o[k])}`)
      .join(' ')}]`;
  }
  return String(v);
}

/**
 * Removes, in place, every field the kind's schema does not know — what upstream's decoder does
 * when fieldValidation is Warn or Ignore: unknown fields are never stored or served.
 */
export function pruneUnknownFields(group: string, version: string, kind: string, obj: unknown): void {
  const def = definitionFor(group, version, kind);
  if (def) prune(def, obj);
}

function prune(schema: Schema, value: unknown): void {
  if (value === null || value === undefined || typeof value !== 'object') return;
  const s = resolveSchema(schema);
  if (!s || s['x-kubernetes-preserve-unknown-fields']) return;
  if (Array.isArray(value)) {
    if (s.items) for (const v of value) prune(s.items as Schema, v);
    return;
  }
  const obj = value as Record<string, unknown>;
  if (s.properties) {
    for (const k of Object.keys(obj)) {
      const prop = s.properties[k];
      if (!prop) delete obj[k];
      else prune(prop, obj[k]);
    }
    return;
  }
  if (s.additionalProperties && typeof s.additionalProperties === 'object') {
    for (const v of Object.values(obj)) prune(s.additionalProperties, v);
  }
}
