#!/usr/bin/env node
/**
 * Generates the OpenAPI schema definitions kubesim serves (at /openapi/v2 and /openapi/v3, and
 * uses for fieldValidation) from the model metadata shipped in `@kubernetes/client-node`:
 *  - `attributeTypeMap` of each generated model class gives property names, types and formats;
 *  - the `.d.ts` next to each model carries the upstream doc comments (-> `description`) and marks
 *    required properties (no `?`).
 * Definitions are named as upstream (`io.k8s.api.core.v1.Pod`,
 * `io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta`, ...).
 *
 * Output: src-main/apiserver/openapi/generated/definitions.ts (gitignored), holding the definitions
 * as one brotli-compressed JSON text (a ~90 KiB base64 string: cheap to load, decompressed and parsed
 * on the first OpenAPI request only) plus a small index from group/version/kind to definition name.
 *
 * Strategic-merge-patch extensions (x-kubernetes-patch-merge-key, -patch-strategy, -list-type,
 * -list-map-keys) come from src-main/api/patch-meta.ts when it exists (bundled with esbuild here);
 * see loadPatchMeta() below.
 *
 * Runs in `npm run build` (and so in `npm ci`'s prepare). Build time only: client-node is a
 * devDependency and is never loaded at run time.
 */
import { readFileSync, writeFileSync, mkdirSync, existsSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import { brotliCompressSync, constants as zlibConstants } from 'node:zlib';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const clientNodeDir = dirname(require.resolve('@kubernetes/client-node/package.json'));
const modelsDir = join(clientNodeDir, 'dist', 'gen', 'models');
const outDir = join(root, 'src-main', 'apiserver', 'openapi', 'generated');
const outFile = join(outDir, 'definitions.ts');

// The models' index (not the package index: that pulls in undici, which does not load on Node 20).
const models = await import(pathToFileURL(join(modelsDir, 'all.js')).href);

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
const REF = '#/components/schemas/';

/** Top-level kinds per API package. `gv` is the group/version of x-kubernetes-group-version-kind. */
const PACKAGES = [
  {
    pkg: 'io.k8s.api.core.v1', group: '', version: 'v1',
    kinds: ['V1Namespace', 'V1Pod', 'V1Service', 'V1Endpoints', 'V1ConfigMap', 'V1Secret', 'V1ServiceAccount', 'V1Node',
      'V1PersistentVolume', 'V1PersistentVolumeClaim', 'CoreV1Event', 'V1LimitRange', 'V1ResourceQuota',
      'V1ReplicationController', 'V1PodTemplate'],
    extra: ['V1Binding'],
  },
  { pkg: 'io.k8s.api.apps.v1', group: 'apps', version: 'v1', kinds: ['V1Deployment', 'V1ReplicaSet', 'V1StatefulSet', 'V1DaemonSet', 'V1ControllerRevision'] },
  { pkg: 'io.k8s.api.batch.v1', group: 'batch', version: 'v1', kinds: ['V1Job', 'V1CronJob'] },
  { pkg: 'io.k8s.api.discovery.v1', group: 'discovery.k8s.io', version: 'v1', kinds: ['V1EndpointSlice'] },
  { pkg: 'io.k8s.api.storage.v1', group: 'storage.k8s.io', version: 'v1', kinds: ['V1StorageClass'] },
  { pkg: 'io.k8s.api.coordination.v1', group: 'coordination.k8s.io', version: 'v1', kinds: ['V1Lease'] },
  { pkg: 'io.k8s.api.events.v1', group: 'events.k8s.io', version: 'v1', kinds: ['EventsV1Event'] },
  { pkg: 'io.k8s.api.policy.v1', group: 'policy', version: 'v1', kinds: ['V1PodDisruptionBudget'], extra: ['V1Eviction'] },
  { pkg: 'io.k8s.api.networking.v1', group: 'networking.k8s.io', version: 'v1', kinds: ['V1Ingress', 'V1NetworkPolicy', 'V1IngressClass'] },
  { pkg: 'io.k8s.api.autoscaling.v1', group: 'autoscaling', version: 'v1', kinds: ['V1HorizontalPodAutoscaler'], extra: ['V1Scale'] },
  { pkg: 'io.k8s.api.autoscaling.v2', group: 'autoscaling', version: 'v2', kinds: ['V2HorizontalPodAutoscaler'] },
  { pkg: 'io.k8s.api.rbac.v1', group: 'rbac.authorization.k8s.io', version: 'v1', kinds: ['V1Role', 'V1RoleBinding', 'V1ClusterRole', 'V1ClusterRoleBinding'] },
  { pkg: 'io.k8s.api.scheduling.v1', group: 'scheduling.k8s.io', version: 'v1', kinds: ['V1PriorityClass'] },
];

/** meta/v1 models (io.k8s.apimachinery.pkg.apis.meta.v1), whichever package reaches them first. */
const META_MODELS = ['V1ObjectMeta', 'V1OwnerReference', 'V1ManagedFieldsEntry', 'V1LabelSelector', 'V1LabelSelectorRequirement',
  'V1Condition', 'V1ListMeta', 'V1ShardInfo', 'V1WatchEvent', 'V1DeleteOptions', 'V1Preconditions', 'V1Status', 'V1StatusDetails',
  'V1StatusCause', 'V1APIVersions', 'V1ServerAddressByClientCIDR', 'V1APIGroupList', 'V1APIGroup', 'V1GroupVersionForDiscovery',
  'V1APIResourceList', 'V1APIResource'];

/** Models reached first from another package but defined in core/v1 upstream. */
const CORE_OVERRIDES = ['V1TopologySelectorTerm', 'V1TopologySelectorLabelRequirement'];

/** Properties that are resource.Quantity upstream (client-node types them as plain strings). */
const QUANTITY = new Set([
  'V1ResourceRequirements.limits', 'V1ResourceRequirements.requests', 'V1VolumeResourceRequirements.limits',
  'V1VolumeResourceRequirements.requests', 'V1EmptyDirVolumeSource.sizeLimit', 'V1ResourceFieldSelector.divisor',
  'V1LimitRangeItem.default', 'V1LimitRangeItem.defaultRequest', 'V1LimitRangeItem.max', 'V1LimitRangeItem.min',
  'V1LimitRangeItem.maxLimitRequestRatio', 'V1ResourceQuotaSpec.hard', 'V1ResourceQuotaStatus.hard', 'V1ResourceQuotaStatus.used',
  'V1NodeStatus.allocatable', 'V1NodeStatus.capacity', 'V1PersistentVolumeSpec.capacity', 'V1PersistentVolumeClaimStatus.capacity',
  'V1PersistentVolumeClaimStatus.allocatedResources', 'V1PodSpec.overhead', 'V1ContainerStatus.allocatedResources',
  'V1PodStatus.allocatedResources', 'V1NodeAllocatableResourceClaimStatus.resources', 'V2MetricTarget.averageValue',
  'V2MetricTarget.value', 'V2MetricValueStatus.averageValue', 'V2MetricValueStatus.value',
]);

/** Properties that are meta/v1 MicroTime upstream (client-node: Date). Other Dates are meta/v1 Time. */
const MICROTIME = new Set(['V1LeaseSpec.acquireTime', 'V1LeaseSpec.renewTime', 'EventsV1Event.eventTime', 'CoreV1Event.eventTime',
  'EventsV1EventSeries.lastObservedTime']);

/** Properties of client-node type `any`. */
const ANY_TYPES = { 'V1ControllerRevision.data': 'io.k8s.apimachinery.pkg.runtime.RawExtension', 'V1WatchEvent.object': 'io.k8s.apimachinery.pkg.runtime.RawExtension', 'V1ManagedFieldsEntry.fieldsV1': `${META}.FieldsV1` };

/** Definitions client-node has no model for (descriptions in our own words). */
const SYNTHETIC = {
  'io.k8s.apimachinery.pkg.api.resource.Quantity': {
    description: 'Quantity is a fixed-point representation of a number, written as a string with an optional suffix: binary SI (Ki, Mi, Gi, Ti, Pi, Ei), decimal SI (m, "" , k, M, G, T, P, E) or a decimal exponent (e3, E6). Examples: "100m" (0.1 of a CPU), "128Mi", "1.5Gi", "2".',
    oneOf: [{ type: 'string' }, { type: 'number' }],
  },
  'io.k8s.apimachinery.pkg.util.intstr.IntOrString': {
    description: 'IntOrString is a type that can hold an int32 or a string. When used in JSON or YAML marshalling and unmarshalling, it produces or consumes the inner type.  This allows you to have, for example, a JSON field that can accept a name or number.',
    format: 'int-or-string',
    oneOf: [{ type: 'integer' }, { type: 'string' }],
  },
  [`${META}.Time`]: {
    description: 'Time is a wrapper around time.Time which supports correct marshaling to YAML and JSON.  Wrappers are provided for many of the factory methods that the time package offers.',
    type: 'string', format: 'date-time',
  },
  [`${META}.MicroTime`]: {
    description: 'MicroTime is version of Time with microsecond level precision.',
    type: 'string', format: 'date-time',
  },
  [`${META}.FieldsV1`]: {
    description: "FieldsV1 stores a set of fields in a data structure like a Trie, in JSON format.\n\nEach key is either a '.' representing the field itself, and will always map to an empty set, or a string representing a sub-field or item. The string will follow one of these four formats: 'f:<name>', where <name> is the name of a field in a struct, or key in a map 'v:<value>', where <value> is the exact json formatted value of a list item 'i:<index>', where <index> is position of a item in a list 'k:<keys>', where <keys> is a map of  a list item's key fields to their unique values If a key maps to an empty Fields value, the field that key represents is part of the set.\n\nThe exact format is defined in sigs.k8s.io/structured-merge-diff",
    type: 'object',
  },
  [`${META}.Patch`]: {
    description: 'Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.',
    type: 'object',
  },
  'io.k8s.apimachinery.pkg.runtime.RawExtension': {
    description: 'RawExtension holds an embedded object of any kind, as JSON. Its apiVersion and kind fields say what it is.',
    type: 'object',
  },
};

/** Field descriptions for the standard top-level fields (client-node drops descriptions of $ref fields). */
const API_CONVENTIONS = 'https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md';
function standardFieldDescription(modelName, field, kindName, isList) {
  const noun = kindName.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  if (field === 'metadata') {
    return isList
      ? `Standard list metadata. More info: ${API_CONVENTIONS}#types-kinds`
      : `Standard object's metadata. More info: ${API_CONVENTIONS}#metadata`;
  }
  if (field === 'spec') return `Spec defines the desired behavior of the ${noun}. More info: ${API_CONVENTIONS}#spec-and-status`;
  if (field === 'status') return `Status is the most recently observed status of the ${noun}. This data may not be up to date. Populated by the system. Read-only. More info: ${API_CONVENTIONS}#spec-and-status`;
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Reading client-node models

function modelClass(name) {
  const c = models[name];
  return typeof c === 'function' && Array.isArray(c.attributeTypeMap) ? c : undefined;
}

/** Strips Array<...> and map types down to the element type. */
function elementType(t) {
  let m = /^Array<(.*)>$/.exec(t);
  if (m) return elementType(m[1]);
  m = /^\{ \[key: string\]: (.*); \}$/.exec(t);
  if (m) return elementType(m[1]);
  return t;
}

function refsOf(name) {
  const c = modelClass(name);
  if (!c) return [];
  return c.attributeTypeMap.map((a) => elementType(a.type)).filter((t) => modelClass(t));
}

function unescapeDoc(s) {
  return s.replace(/\\(.)/g, '$1');
}

/** Class and property doc comments and required flags, from the model's .d.ts. */
function readDocs(name) {
  const file = join(modelsDir, `${name}.d.ts`);
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const docs = { description: undefined, props: new Map(), required: new Set() };
  const classIdx = text.indexOf('export declare class');
  const before = text.slice(0, classIdx);
  const classDoc = /\/\*\*\n((?:\s*\*.*\n)*?)\s*\*\/\s*$/.exec(before);
  if (classDoc) docs.description = cleanComment(classDoc[1]);
  const body = text.slice(classIdx);
  const re = /(?:\/\*\*\n((?:\s*\*.*\n)*?)\s*\*\/\s*\n)?\s*'([^']+)'(\??):/g;
  let m;
  while ((m = re.exec(body))) {
    if (m[1] !== undefined) docs.props.set(m[2], cleanComment(m[1]));
    if (m[3] !== '?') docs.required.add(m[2]);
  }
  return docs;
}

function cleanComment(block) {
  const lines = block.split('\n').map((l) => l.replace(/^\s*\* ?/, ''));
  while (lines.length && lines[lines.length - 1].trim() === '') lines.pop();
  const s = unescapeDoc(lines.join('\n').trim());
  return s || undefined;
}

// ---------------------------------------------------------------------------------------------
// Naming: client-node model name -> upstream definition name

const modelPackage = new Map(); // model -> package
for (const m of META_MODELS) modelPackage.set(m, META);
for (const m of CORE_OVERRIDES) modelPackage.set(m, 'io.k8s.api.core.v1');
const rootsOf = (p) => [...p.kinds, ...p.kinds.map((k) => `${k}List`), ...(p.extra ?? [])];
for (const p of PACKAGES) {
  const stack = [...rootsOf(p)];
  while (stack.length) {
    const n = stack.pop();
    if (!modelClass(n)) throw new Error(`gen-openapi: @kubernetes/client-node has no model ${n}`);
    if (!modelPackage.has(n)) modelPackage.set(n, p.pkg);
    else if (p.kinds.includes(n) || rootsOf(p).includes(n)) modelPackage.set(n, p.pkg);
    for (const r of refsOf(n)) if (!modelPackage.has(r)) stack.push(r);
  }
}
// meta models reachable only from meta roots
for (const m of META_MODELS) for (const r of refsOf(m)) if (!modelPackage.has(r)) modelPackage.set(r, META);

function shortName(model) {
  return model.replace(/^(V\d+(?:(?:alpha|beta)\d+)?|CoreV1|EventsV1|DiscoveryV1|RbacV1|StorageV1|AuthenticationV1)/, '');
}
function defName(model) {
  const pkg = modelPackage.get(model);
  if (!pkg) throw new Error(`gen-openapi: no package for ${model}`);
  return `${pkg}.${shortName(model)}`;
}

// ---------------------------------------------------------------------------------------------
// Patch metadata hook (src-main/api/patch-meta.ts, written alongside)

/**
 * Returns a function (definitionName, propertyName) -> extensions object, or undefined.
 * Reads src-main/api/patch-meta.ts when it exists. Accepted export shapes (first found wins):
 *  - `openapiExtensions(defName, prop)` returning the x-kubernetes-* object or undefined;
 *  - `PATCH_META` / `patchMeta`: Record<kindOrDefName, Record<fieldPath, {mergeKey?, strategy?, listType?, listMapKeys?}>>
 *    keyed by upstream definition name (`io.k8s.api.core.v1.PodSpec`) or short type name (`PodSpec`),
 *    with property names as field keys.
 */
async function loadPatchMeta() {
  // KUBESIM_PATCH_META points at another file with the same exports (for trying the hook out).
  const src = process.env.KUBESIM_PATCH_META ? resolve(process.env.KUBESIM_PATCH_META) : join(root, 'src-main', 'api', 'patch-meta.ts');
  if (!existsSync(src)) return undefined;
  const { build } = await import('esbuild');
  const tmp = join(outDir, `.patch-meta.${process.pid}.mjs`);
  await build({ entryPoints: [src], bundle: true, format: 'esm', platform: 'node', outfile: tmp, logLevel: 'error' });
  try {
    const mod = await import(pathToFileURL(tmp).href);
    if (typeof mod.openapiExtensions === 'function') return (def, prop) => mod.openapiExtensions(def, prop);
    const table = mod.PATCH_META ?? mod.patchMeta;
    if (table && typeof table === 'object') {
      return (def, prop) => {
        const entry = table[def] ?? table[def.split('.').pop()];
        const f = entry?.[prop];
        if (!f) return undefined;
        const ext = {};
        const mergeKey = f.mergeKey ?? f.patchMergeKey;
        const strategy = f.strategy ?? f.patchStrategy;
        if (f.listMapKeys) ext['x-kubernetes-list-map-keys'] = f.listMapKeys;
        if (f.listType) ext['x-kubernetes-list-type'] = f.listType;
        if (f.mapType) ext['x-kubernetes-map-type'] = f.mapType;
        if (mergeKey) ext['x-kubernetes-patch-merge-key'] = mergeKey;
        if (strategy) ext['x-kubernetes-patch-strategy'] = strategy;
        return Object.keys(ext).length ? ext : undefined;
      };
    }
    console.warn('gen-openapi: src-main/api/patch-meta.ts has no export this generator understands; no x-kubernetes-patch-* extensions emitted');
    return undefined;
  } finally {
    rmSync(tmp, { force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Schema building (OpenAPI v3 flavour; the server derives v2 from it)

const refTo = (name) => ({ $ref: REF + name });

function primitiveSchema(type, format) {
  switch (type) {
    case 'string': return format ? { type: 'string', format } : { type: 'string' };
    case 'boolean': return { type: 'boolean' };
    case 'number':
      if (format === 'int32' || format === 'int64') return { type: 'integer', format };
      return format ? { type: 'number', format } : { type: 'number' };
    default: return undefined;
  }
}

/** Schema of one value of client-node type `t`. `typeDesc` gets the referenced type's description. */
function valueSchema(owner, prop, t, format, item) {
  const key = `${owner}.${prop}`;
  if (QUANTITY.has(key) && elementType(t) === 'string') return { ref: 'io.k8s.apimachinery.pkg.api.resource.Quantity' };
  if (t === 'V1MicroTime') return { ref: `${META}.MicroTime` };
  if (t === 'Date') return { ref: MICROTIME.has(key) ? `${META}.MicroTime` : `${META}.Time` };
  if (t === 'IntOrString') return { ref: 'io.k8s.apimachinery.pkg.util.intstr.IntOrString' };
  if (t === 'any') {
    const to = ANY_TYPES[key];
    return to ? { ref: to } : { schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } };
  }
  if (modelClass(t)) return { ref: defName(t), model: t };
  const p = primitiveSchema(t, item ? format : format);
  if (p) return { schema: p };
  throw new Error(`gen-openapi: unhandled type ${t} at ${key}`);
}

/** An array item or map value: a `$ref` is wrapped in allOf as upstream's v3 does. */
function nestedSchema(owner, prop, t, format) {
  const v = valueSchema(owner, prop, t, format, true);
  if (v.schema) {
    const s = { ...v.schema };
    if (s.type === 'string' && !s.format) s.default = '';
    return s;
  }
  return v.ref.endsWith('.Quantity') || v.ref.endsWith('.IntOrString') || v.ref.endsWith('Time') || v.ref.endsWith('RawExtension')
    ? refTo(v.ref)
    : { allOf: [refTo(v.ref)], default: {} };
}

function propertySchema(owner, a, desc, kindInfo, patchExt, ownerDef) {
  const t = a.type;
  let s;
  let arr = /^Array<(.*)>$/.exec(t);
  let map = /^\{ \[key: string\]: (.*); \}$/.exec(t);
  if (arr) {
    s = { type: 'array', items: nestedSchema(owner, a.baseName, arr[1], a.format) };
    if (desc) s = { description: desc, ...s };
  } else if (map) {
    s = { type: 'object', additionalProperties: nestedSchema(owner, a.baseName, map[1], a.format) };
    if (desc) s = { description: desc, ...s };
  } else {
    const v = valueSchema(owner, a.baseName, t, a.format, false);
    if (v.schema) {
      s = desc ? { description: desc, ...v.schema } : { ...v.schema };
    } else {
      const standard = kindInfo && standardFieldDescription(owner, a.baseName, kindInfo.kind, kindInfo.isList);
      const fieldDesc = desc ?? standard;
      if (fieldDesc) {
        // upstream v3 shape: the field's own description next to allOf[$ref]
        s = { allOf: [refTo(v.ref)], description: fieldDesc };
        if (v.model) s.default = {};
      } else {
        // client-node dropped this field's description: use the referenced type's description,
        // beside a plain $ref so `kubectl explain` does not print it twice.
        const typeDesc = v.model ? readDocsCached(v.model).description : SYNTHETIC[v.ref]?.description;
        s = typeDesc ? { $ref: REF + v.ref, description: typeDesc } : refTo(v.ref);
      }
    }
  }
  const ext = patchExt?.(ownerDef, a.baseName);
  if (ext) Object.assign(s, ext);
  return s;
}

const docsCache = new Map();
function readDocsCached(model) {
  if (!docsCache.has(model)) docsCache.set(model, readDocs(model));
  return docsCache.get(model);
}

function buildDefinition(model, gvk, patchExt) {
  const c = modelClass(model);
  const docs = readDocsCached(model);
  const name = defName(model);
  const kindInfo = gvk ? { kind: gvk.kind.replace(/List$/, ''), isList: gvk.kind.endsWith('List') } : undefined;
  const properties = {};
  for (const a of [...c.attributeTypeMap].sort((x, y) => (x.baseName < y.baseName ? -1 : x.baseName > y.baseName ? 1 : 0))) {
    properties[a.baseName] = propertySchema(model, a, docs.props.get(a.name), kindInfo, patchExt, name);
  }
  const def = {};
  if (docs.description) def.description = docs.description;
  def.type = 'object';
  if (Object.keys(properties).length) def.properties = properties;
  const required = c.attributeTypeMap.filter((a) => docs.required.has(a.name)).map((a) => a.baseName);
  if (required.length) def.required = required;
  return def;
}

// ---------------------------------------------------------------------------------------------

mkdirSync(outDir, { recursive: true });
const patchExt = await loadPatchMeta();

/** gvk list per definition name */
const gvks = new Map();
const addGVK = (def, g) => {
  const list = gvks.get(def) ?? [];
  list.push(g);
  gvks.set(def, list);
};
const kindIndex = {}; // "group/version/Kind" -> definition name
for (const p of PACKAGES) {
  for (const m of [...p.kinds, ...(p.extra ?? [])]) {
    for (const model of [m, `${m}List`]) {
      if (!modelClass(model)) continue;
      const kind = shortName(model);
      addGVK(defName(model), { group: p.group, kind, version: p.version });
      kindIndex[`${p.group}/${p.version}/${kind}`] = defName(model);
    }
  }
}
// meta kinds carried by every group-version
const allGVs = [...new Map(PACKAGES.map((p) => [`${p.group}/${p.version}`, p])).values()];
for (const kind of ['DeleteOptions', 'WatchEvent']) {
  for (const p of allGVs) addGVK(`${META}.${kind}`, { group: p.group, kind, version: p.version });
}
addGVK(`${META}.Status`, { group: '', kind: 'Status', version: 'v1' });
for (const k of ['APIGroup', 'APIGroupList', 'APIResourceList', 'APIVersions']) addGVK(`${META}.${k}`, { group: '', kind: k, version: 'v1' });

const definitions = {};
for (const [model] of [...modelPackage].sort((a, b) => (defName(a[0]) < defName(b[0]) ? -1 : 1))) {
  const name = defName(model);
  const g = gvks.get(name);
  const def = buildDefinition(model, g?.[0], patchExt);
  if (g) def['x-kubernetes-group-version-kind'] = g;
  definitions[name] = def;
}
for (const [name, def] of Object.entries(SYNTHETIC)) definitions[name] = def;

// Roots of each served group-version's document: its kinds and lists (+ subresource kinds).
const gvRoots = {};
for (const p of PACKAGES) {
  const key = p.group ? `${p.group}/${p.version}` : p.version;
  const list = (gvRoots[key] ??= []);
  for (const m of rootsOf(p)) if (modelClass(m)) list.push(defName(m));
}

const sorted = Object.fromEntries(Object.entries(definitions).sort(([a], [b]) => (a < b ? -1 : 1)));
const json = JSON.stringify(sorted);
const compressed = brotliCompressSync(Buffer.from(json), { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11, [zlibConstants.BROTLI_PARAM_SIZE_HINT]: json.length } }).toString('base64');
const banner = `// Generated by scripts/gen-openapi.mjs from @kubernetes/client-node ${JSON.parse(readFileSync(join(clientNodeDir, 'package.json'), 'utf8')).version}. Do not edit.\n`;
const ts = `${banner}/* eslint-disable */\n` +
  `/**\n * Every definition, OpenAPI v3 flavour (\`$ref\`s to #/components/schemas/...), as one JSON text,\n` +
  ` * brotli-compressed and base64-encoded: loading this module costs well under a millisecond; the\n` +
  ` * server decompresses and parses it on the first OpenAPI request or field validation.\n */\n` +
  `export const DEFINITIONS_BR_BASE64: string = ${JSON.stringify(compressed)};\n\n` +
  `/** "group/version/Kind" (group '' for core) -> definition name. */\n` +
  `export const KIND_DEFINITIONS: Record<string, string> = ${JSON.stringify(kindIndex, null, 1)};\n\n` +
  `/** Group-version ("v1", "apps/v1") -> the definitions its kinds are rooted at. */\n` +
  `export const GV_ROOTS: Record<string, string[]> = ${JSON.stringify(gvRoots, null, 1)};\n\n` +
  `/** Whether x-kubernetes-patch-* extensions came from src-main/api/patch-meta.ts. */\n` +
  `export const HAS_PATCH_META: boolean = ${patchExt ? 'true' : 'false'};\n`;
const prev = existsSync(outFile) ? readFileSync(outFile, 'utf8') : '';
if (prev !== ts) writeFileSync(outFile, ts);
console.log(`gen-openapi: ${Object.keys(sorted).length} definitions (${(json.length / 1024).toFixed(0)} KiB)${patchExt ? ', with patch metadata' : ', no patch metadata (src-main/api/patch-meta.ts absent)'} -> ${outFile.slice(root.length + 1)}`);
