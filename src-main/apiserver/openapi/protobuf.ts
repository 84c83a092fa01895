/**
 * Encodes a Swagger 2.0 document (as JSON-parsed objects) into the gnostic `openapi.v2.Document`
 * protobuf that kube-apiserver serves for
 * `Accept: application/com.github.proto-openapi.spec.v2@v1.0+protobuf`. kubectl 1.27 and 1.28 read
 * `/openapi/v2` only in that form (for `explain`, and for apply's strategic merge patch metadata).
 *
 * A small hand-written protobuf writer following the field numbers of gnostic-models'
 * openapiv2/OpenAPIv2.proto. Only what kubesim's documents contain is encoded. Values of
 * vendor extensions and `default`/`enum` entries go into `Any.yaml` as JSON text (valid YAML).
 */

type Json = unknown;
type Obj = Record<string, unknown>;

/** One message under construction, in a growable byte array. */
class Writer {
  private buf = new Uint8Array(64);
  private len = 0;

  private ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.len + n) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  private varint(n: number): void {
    this.ensure(10);
    let v = n;
    while (v > 0x7f) {
      this.buf[this.len++] = (v & 0x7f) | 0x80;
      v = Math.floor(v / 128);
    }
    this.buf[this.len++] = v;
  }

  private tag(field: number, wireType: number): void {
    this.varint(field * 8 + wireType);
  }

  private bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }

  private push(b: Uint8Array): void {
    this.bytes(b);
  }

  string(field: number, v: unknown): this {
    if (typeof v !== 'string' || v === '') return this;
    const b = Buffer.from(v, 'utf8');
    this.tag(field, 2);
    this.varint(b.length);
    this.push(b);
    return this;
  }

  strings(field: number, v: unknown): this {
    if (Array.isArray(v)) for (const s of v) if (typeof s === 'string') this.stringAlways(field, s);
    return this;
  }

  /** A repeated string element: written even when empty. */
  private stringAlways(field: number, s: string): void {
    const b = Buffer.from(s, 'utf8');
    this.tag(field, 2);
    this.varint(b.length);
    this.push(b);
  }

  bool(field: number, v: unknown): this {
    if (v !== true) return this;
    this.tag(field, 0);
    this.varint(1);
    return this;
  }

  /** A bool inside a oneof: written even when false. */
  boolOneof(field: number, v: boolean): this {
    this.tag(field, 0);
    this.varint(v ? 1 : 0);
    return this;
  }

  int64(field: number, v: unknown): this {
    if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) return this;
    this.tag(field, 0);
    this.varint(v);
    return this;
  }

  double(field: number, v: unknown): this {
    if (typeof v !== 'number' || v === 0) return this;
    const b = Buffer.alloc(8);
    b.writeDoubleLE(v);
    this.tag(field, 1);
    this.push(b);
    return this;
  }

  /** An embedded message (written even when empty, as proto3 does for set message fields). */
  message(field: number, m: Writer | undefined): this {
    if (!m) return this;
    const b = m.finish();
    this.tag(field, 2);
    this.varint(b.length);
    this.push(b);
    return this;
  }

  finish(): Buffer {
    return Buffer.from(this.buf.buffer, this.buf.byteOffset, this.len);
  }
}

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** openapi.v2.Any: `yaml` = 2. */
function any(v: Json): Writer {
  return new Writer().string(2, JSON.stringify(v));
}

/** repeated NamedAny for the `x-` keys of an object. */
function vendorExtensions(w: Writer, field: number, o: Obj): void {
  for (const [k, v] of Object.entries(o)) {
    if (!k.startsWith('x-')) continue;
    w.message(field, new Writer().string(1, k).message(2, any(v)));
  }
}

/** openapi.v2.Schema */
export function schema(s: Obj): Writer {
  const w = new Writer();
  w.string(1, s.$ref);
  w.string(2, s.format);
  w.string(3, s.title);
  w.string(4, s.description);
  if ('default' in s) w.message(5, any(s.default));
  w.double(6, s.multipleOf);
  w.double(7, s.maximum);
  w.bool(8, s.exclusiveMaximum);
  w.double(9, s.minimum);
  w.bool(10, s.exclusiveMinimum);
  w.int64(11, s.maxLength);
  w.int64(12, s.minLength);
  w.string(13, s.pattern);
  w.int64(14, s.maxItems);
  w.int64(15, s.minItems);
  w.bool(16, s.uniqueItems);
  w.int64(17, s.maxProperties);
  w.int64(18, s.minProperties);
  w.strings(19, s.required);
  if (Array.isArray(s.enum)) for (const e of s.enum) w.message(20, any(e));
  if (isObj(s.additionalProperties)) w.message(21, new Writer().message(1, schema(s.additionalProperties)));
  else if (typeof s.additionalProperties === 'boolean') w.message(21, new Writer().boolOneof(2, s.additionalProperties));
  if (typeof s.type === 'string') w.message(22, new Writer().strings(1, [s.type]));
  else if (Array.isArray(s.type)) w.message(22, new Writer().strings(1, s.type));
  if (isObj(s.items)) w.message(23, new Writer().message(1, schema(s.items)));
  else if (Array.isArray(s.items)) {
    const items = new Writer();
    for (const i of s.items) if (isObj(i)) items.message(1, schema(i));
    w.message(23, items);
  }
  if (Array.isArray(s.allOf)) for (const a of s.allOf) if (isObj(a)) w.message(24, schema(a));
  if (isObj(s.properties)) {
    const props = new Writer();
    for (const [name, p] of Object.entries(s.properties)) if (isObj(p)) props.message(1, new Writer().string(1, name).message(2, schema(p)));
    w.message(25, props);
  }
  w.string(26, s.discriminator);
  w.bool(27, s.readOnly);
  if (s.example !== undefined) w.message(30, any(s.example));
  vendorExtensions(w, 31, s);
  return w;
}

/** openapi.v2.ParametersItem for a parameter object. */
function parameter(p: Obj): Writer {
  const param = new Writer();
  if (typeof p.$ref === 'string') {
    return new Writer().message(2, new Writer().string(1, p.$ref).string(2, p.description));
  }
  if (p.in === 'body') {
    const body = new Writer().string(1, p.description).string(2, p.name).string(3, p.in).bool(4, p.required);
    if (isObj(p.schema)) body.message(5, schema(p.schema));
    vendorExtensions(body, 6, p);
    param.message(1, body);
  } else {
    // Query (3) and path (4) sub-schemas; header (1) laid out like path.
    const sub = new Writer();
    if (p.in === 'query') {
      sub.bool(1, p.required).string(2, p.in).string(3, p.description).string(4, p.name).bool(5, p.allowEmptyValue).string(6, p.type).string(7, p.format);
      sub.bool(20, p.uniqueItems);
      vendorExtensions(sub, 23, p);
      param.message(2, new Writer().message(3, sub));
    } else {
      sub.bool(1, p.required).string(2, p.in).string(3, p.description).string(4, p.name).string(5, p.type).string(6, p.format);
      sub.bool(19, p.uniqueItems);
      vendorExtensions(sub, 22, p);
      param.message(2, new Writer().message(p.in === 'header' ? 1 : 4, sub));
    }
  }
  return new Writer().message(1, param);
}

/** openapi.v2.Operation */
function operation(o: Obj): Writer {
  const w = new Writer();
  w.strings(1, o.tags);
  w.string(2, o.summary);
  w.string(3, o.description);
  w.string(5, o.operationId);
  w.strings(6, o.produces);
  w.strings(7, o.consumes);
  if (Array.isArray(o.parameters)) for (const p of o.parameters) if (isObj(p)) w.message(8, parameter(p));
  if (isObj(o.responses)) {
    const rs = new Writer();
    for (const [code, r] of Object.entries(o.responses)) {
      if (code.startsWith('x-') || !isObj(r)) continue;
      const resp = new Writer().string(1, r.description);
      if (isObj(r.schema)) resp.message(2, new Writer().message(1, schema(r.schema)));
      rs.message(1, new Writer().string(1, code).message(2, new Writer().message(1, resp)));
    }
    vendorExtensions(rs, 2, o.responses);
    w.message(9, rs);
  }
  w.strings(10, o.schemes);
  w.bool(11, o.deprecated);
  vendorExtensions(w, 13, o);
  return w;
}

const METHOD_FIELDS: Record<string, number> = { get: 2, put: 3, post: 4, delete: 5, options: 6, head: 7, patch: 8 };

/** openapi.v2.PathItem */
function pathItem(p: Obj): Writer {
  const w = new Writer();
  w.string(1, p.$ref);
  for (const [method, field] of Object.entries(METHOD_FIELDS)) if (isObj(p[method])) w.message(field, operation(p[method] as Obj));
  if (Array.isArray(p.parameters)) for (const x of p.parameters) if (isObj(x)) w.message(9, parameter(x));
  vendorExtensions(w, 10, p);
  return w;
}

/** Encodes a Swagger 2.0 document as gnostic's openapi.v2.Document. */
export function encodeOpenAPIv2Protobuf(doc: Obj): Buffer {
  const w = new Writer();
  w.string(1, doc.swagger);
  if (isObj(doc.info)) {
    const info = new Writer().string(1, doc.info.title).string(2, doc.info.version).string(3, doc.info.description);
    vendorExtensions(info, 7, doc.info);
    w.message(2, info);
  }
  w.string(3, doc.host);
  w.string(4, doc.basePath);
  w.strings(5, doc.schemes);
  w.strings(6, doc.consumes);
  w.strings(7, doc.produces);
  if (isObj(doc.paths)) {
    const paths = new Writer();
    for (const [name, item] of Object.entries(doc.paths)) if (isObj(item)) paths.message(2, new Writer().string(1, name).message(2, pathItem(item)));
    w.message(8, paths);
  }
  if (isObj(doc.definitions)) {
    const defs = new Writer();
    for (const [name, s] of Object.entries(doc.definitions)) if (isObj(s)) defs.message(1, new Writer().string(1, name).message(2, schema(s)));
    w.message(9, defs);
  }
  if (Array.isArray(doc.security)) {
    for (const req of doc.security) {
      if (!isObj(req)) continue;
      const r = new Writer();
      for (const [name, scopes] of Object.entries(req)) r.message(1, new Writer().string(1, name).message(2, new Writer().strings(1, scopes)));
      w.message(12, r);
    }
  }
  if (isObj(doc.securityDefinitions)) {
    const sd = new Writer();
    for (const [name, d] of Object.entries(doc.securityDefinitions)) {
      if (!isObj(d) || d.type !== 'apiKey') continue;
      const key = new Writer().string(1, d.type).string(2, d.name).string(3, d.in).string(4, d.description);
      vendorExtensions(key, 5, d);
      sd.message(1, new Writer().string(1, name).message(2, new Writer().message(2, key)));
    }
    w.message(13, sd);
  }
  vendorExtensions(w, 16, doc);
  return w.finish();
}
