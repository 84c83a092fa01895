#!/usr/bin/env node
/**
 * Generates src-main/apiserver/protobuf/schema-table.ts: the field table the Kubernetes protobuf
 * request-body decoder (src-main/apiserver/protobuf/decode.ts) walks.
 *
 *   node scripts/gen-proto-table.mjs <k8s.io/api checkout> <k8s.io/apimachinery checkout> [version label]
 *
 * e.g. after `git clone --depth 1 https://github.com/kubernetes/api /tmp/api` and the same for
 * apimachinery: `node scripts/gen-proto-table.mjs /tmp/api /tmp/apimachinery`.
 *
 * Two upstream sources per package, joined on (message name, field number):
 *  - generated.proto: field numbers, proto types, repeated/map;
 *  - the Go types (types.go and friends): the JSON name, `omitempty`, whether the Go field is a
 *    pointer (so an absent field is nil rather than the zero value), and embedded structs that
 *    JSON inlines (Volume's VolumeSource, Probe's ProbeHandler, ...). Without these the decoded
 *    object would not equal what the same client sends as JSON.
 * Nothing upstream is copied into the repo but these facts; the upstream files stay out of git.
 */
import { readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const [apiDir, machineryDir, upstreamVersion] = process.argv.slice(2);
if (!apiDir || !machineryDir) {
  console.error('usage: node scripts/gen-proto-table.mjs <k8s.io/api dir> <k8s.io/apimachinery dir>');
  process.exit(2);
}

/** Group-versions of k8s.io/api that go into the table: what kubesim serves, plus what kubectl posts. */
const API_PACKAGES = [
  'core/v1', 'apps/v1', 'batch/v1', 'policy/v1', 'networking/v1', 'rbac/v1', 'autoscaling/v1', 'autoscaling/v2',
  'discovery/v1', 'storage/v1', 'coordination/v1', 'events/v1', 'scheduling/v1', 'authentication/v1',
  'authorization/v1', 'node/v1', 'certificates/v1', 'admissionregistration/v1', 'flowcontrol/v1',
];

/** Proto package → short name used in the table, with the directory holding its Go types and proto. */
const packages = [
  ...API_PACKAGES.map((p) => ({ proto: `k8s.io.api.${p.replace('/', '.')}`, short: p.replace('/', '.'), dir: join(apiDir, p) })),
  { proto: 'k8s.io.apimachinery.pkg.apis.meta.v1', short: 'meta.v1', dir: join(machineryDir, 'pkg/apis/meta/v1') },
  { proto: 'k8s.io.apimachinery.pkg.api.resource', short: 'am.resource', dir: join(machineryDir, 'pkg/api/resource') },
  { proto: 'k8s.io.apimachinery.pkg.util.intstr', short: 'am.intstr', dir: join(machineryDir, 'pkg/util/intstr') },
  { proto: 'k8s.io.apimachinery.pkg.runtime', short: 'am.runtime', dir: join(machineryDir, 'pkg/runtime') },
  { proto: 'k8s.io.apimachinery.pkg.runtime.schema', short: 'am.schema', dir: join(machineryDir, 'pkg/runtime/schema') },
];
/** Messages the decoder turns into JSON by hand (custom Go JSON marshalling): their Go structs do not mirror the proto. */
const SPECIAL = new Set(['meta.v1.Time', 'meta.v1.MicroTime', 'meta.v1.Timestamp', 'meta.v1.Duration', 'meta.v1.FieldsV1', 'am.resource.Quantity', 'am.resource.QuantityValue', 'am.intstr.IntOrString', 'am.runtime.RawExtension', 'am.runtime.Unknown']);
const shortOf = new Map(packages.map((p) => [p.proto, p.short]));

const SCALARS = new Set(['string', 'int32', 'int64', 'uint32', 'uint64', 'sint32', 'sint64', 'bool', 'double', 'float', 'bytes', 'fixed32', 'fixed64', 'sfixed32', 'sfixed64']);

function shortType(t, pkg) {
  if (SCALARS.has(t)) return t;
  const full = t.startsWith('.') ? t.slice(1) : `${pkg}.${t}`;
  const i = full.lastIndexOf('.');
  const p = full.slice(0, i);
  const s = shortOf.get(p);
  if (!s) throw new Error(`type ${t} in ${pkg}: package ${p} is not in the table's package list`);
  return `${s}.${full.slice(i + 1)}`;
}

/** Parses a generated.proto: message name → [{num, name, type, repeated, map}]. */
function parseProto(text, pkg) {
  const noComments = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
  const declared = /^\s*package\s+([\w.]+)\s*;/m.exec(noComments)?.[1];
  if (declared !== pkg) throw new Error(`expected package ${pkg}, found ${declared}`);
  const messages = new Map();
  const re = /message\s+(\w+)\s*\{([^{}]*)\}/g;
  let m;
  while ((m = re.exec(noComments))) {
    const fields = [];
    for (const line of m[2].split(';')) {
      const s = line.trim();
      if (!s) continue;
      let f = /^map\s*<\s*([\w.]+)\s*,\s*([\w.]+)\s*>\s+(\w+)\s*=\s*(\d+)$/.exec(s);
      if (f) {
        fields.push({ num: Number(f[4]), name: f[3], type: shortType(f[2], pkg), key: shortType(f[1], pkg), repeated: false });
        continue;
      }
      f = /^(optional|repeated|required)\s+([\w.]+)\s+(\w+)\s*=\s*(\d+)(\s*\[.*\])?$/.exec(s);
      if (!f) throw new Error(`${pkg}.${m[1]}: cannot parse field "${s}"`);
      fields.push({ num: Number(f[4]), name: f[3], type: shortType(f[2], pkg), repeated: f[1] === 'repeated' });
    }
    messages.set(m[1], fields);
  }
  return messages;
}

/** Reads the Go struct definitions of a package: struct name → field number → JSON facts. */
function parseGo(dir) {
  const structs = new Map();
  const sliceTypes = new Set();
  const files = readdirSync(dir).filter((f) => f.endsWith('.go') && !f.endsWith('_test.go') && !f.startsWith('zz_generated') && !f.startsWith('generated.'));
  for (const file of files) {
    const text = readFileSync(join(dir, file), 'utf8');
    for (const sm of text.matchAll(/^type\s+(\w+)\s+\[\](\w+)\s*$/gm)) sliceTypes.add(sm[1]);
    for (const sm of text.matchAll(/^type\s+(\w+)\s+struct\s*\{\n([\s\S]*?)^\}/gm)) {
      const fields = new Map();
      for (const raw of sm[2].split('\n')) {
        const line = raw.replace(/\/\/.*$/, '').trim();
        const fm = /^(?:(\w+)\s+)?([\w.*[\]]+)\s+`([^`]*)`$/.exec(line);
        if (!fm) continue;
        const [, goName, goType, tags] = fm;
        const pb = /protobuf:"([^"]*)"/.exec(tags)?.[1];
        if (!pb || pb === '-') continue;
        const num = Number(pb.split(',')[1]);
        if (!Number.isInteger(num)) continue;
        const jsonTag = /json:"([^"]*)"/.exec(tags)?.[1];
        const parts = jsonTag === undefined ? [] : jsonTag.split(',');
        const embedded = goName === undefined;
        let jsonName = parts[0] ?? '';
        if (jsonTag === undefined) jsonName = goName ?? goType.replace(/^\*/, '').split('.').pop();
        const inline = embedded && jsonName === '';
        fields.set(num, {
          jsonName,
          hidden: jsonName === '-',
          omitempty: parts.includes('omitempty'),
          pointer: goType.startsWith('*'),
          inline,
        });
      }
      structs.set(sm[1], fields);
    }
  }
  return { structs, sliceTypes };
}

const out = new Map();
const groups = {};
for (const p of packages) {
  const protoPath = join(p.dir, 'generated.proto');
  if (!existsSync(protoPath)) throw new Error(`missing ${protoPath}`);
  const messages = parseProto(readFileSync(protoPath, 'utf8'), p.proto);
  const { structs, sliceTypes } = parseGo(p.dir);
  if (!p.short.startsWith('am.')) {
    // The API group: register.go's `const GroupName = "apps"`, else doc.go's `+groupName=`.
    const read = (f) => (existsSync(join(p.dir, f)) ? readFileSync(join(p.dir, f), 'utf8') : '');
    const g = /const\s+GroupName\s*=\s*"([\w.-]*)"/.exec(read('register.go')) ?? /\+groupName=([\w.-]*)/.exec(read('doc.go'));
    if (!g) throw new Error(`${p.dir}: no group name`);
    groups[`${g[1] ? `${g[1]}/` : ''}${p.short.split('.').pop()}`] = p.short;
  }
  for (const [name, fields] of messages) {
    const go = SPECIAL.has(`${p.short}.${name}`) ? undefined : structs.get(name);
    if (!go && !SPECIAL.has(`${p.short}.${name}`) && !sliceTypes.has(name)) console.warn(`note: ${p.short}.${name} has no Go struct; proto names used as JSON names`);
    const specs = [];
    for (const f of fields) {
      const j = go?.get(f.num);
      if (go && !j) throw new Error(`${p.short}.${name}: proto field ${f.num} (${f.name}) has no Go field`);
      // Flags: r repeated, p pointer, o omitempty, i inline, h not in JSON.
      let flags = '';
      if (f.repeated) flags += 'r';
      if (j?.pointer) flags += 'p';
      if (j ? j.omitempty : true) flags += 'o';
      if (j?.inline) flags += 'i';
      if (j?.hidden) flags += 'h';
      const type = f.key ? `map<${f.key},${f.type}>` : f.type;
      const jsonName = j && !j.inline && !j.hidden ? j.jsonName : f.name;
      specs.push(`${f.num} ${jsonName} ${type}${flags ? ` ${flags}` : ''}`);
    }
    let key = `${p.short}.${name}`;
    if (sliceTypes.has(name)) key += '[]';
    out.set(key, specs.join('|'));
  }
}

const lines = [
  '/**',
  ' * GENERATED by scripts/gen-proto-table.mjs — do not edit by hand.',
  ' *',
  ' * Derived from the upstream Kubernetes `generated.proto` files and Go type definitions of',
  ` * k8s.io/api and k8s.io/apimachinery${upstreamVersion ? ` ${upstreamVersion}` : ''} (Copyright The Kubernetes Authors, Apache License 2.0):`,
  ` * packages ${packages.map((p) => p.short).join(', ')}.`,
  ' * Regenerate with: node scripts/gen-proto-table.mjs <k8s.io/api checkout> <k8s.io/apimachinery checkout> [version label]',
  ' * (e.g. `git clone -b v0.35.7 --depth 1 https://github.com/kubernetes/api` and the same for apimachinery).',
  ' *',
  ' * MESSAGES: message (short package + name; a trailing `[]` marks a Go slice type whose JSON is the',
  ' * array of its `items`) → fields joined by `|`, each `number jsonName type [flags]`. Types are proto',
  ' * scalars, message names or `map<key,value>`. Flags: r repeated, p Go pointer (absent = nil),',
  ' * o omitempty, i inlined into the parent JSON object, h not part of the JSON.',
  ' * GROUP_PACKAGES: apiVersion → package short name.',
  ' */',
  '',
  `export const GROUP_PACKAGES: Readonly<Record<string, string>> = ${JSON.stringify(groups, null, 2).replace(/"([\w.]+)":/g, (m, k) => (/^[A-Za-z_]\w*$/.test(k) ? `${k}:` : `'${k}':`)).replace(/"/g, "'")};`,
  '',
  'export const MESSAGES: Readonly<Record<string, string>> = {',
  ...[...out].map(([k, v]) => `  '${k}': '${v}',`),
  '};',
  '',
];
const target = join(root, 'src-main/apiserver/protobuf/schema-table.ts');
writeFileSync(target, lines.join('\n'));
console.log(`gen-proto-table: ${out.size} messages, ${Object.keys(groups).length} group-versions → ${target}`);
