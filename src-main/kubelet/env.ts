/**
 * A container's environment as the kubelet builds it (kubelet_pods.go makeEnvironmentVariables):
 * service variables of the pod's namespace (and `kubernetes`), then `envFrom`, then `env` with
 * `$(VAR)` expansion, configMap/secret/field/resource references. A missing required configMap or
 * secret is a `CreateContainerConfigError` with upstream's message.
 */
import type { KubeObject } from '../api/types';
import type { EnvVar } from '../runtime/types';

export class ContainerConfigError extends Error {}

interface KeyRef {
  name?: string;
  key?: string;
  optional?: boolean;
}
interface EnvSpec {
  name: string;
  value?: string;
  valueFrom?: {
    configMapKeyRef?: KeyRef;
    secretKeyRef?: KeyRef;
    fieldRef?: { fieldPath?: string };
    resourceFieldRef?: { resource?: string; containerName?: string; divisor?: string };
  };
}
interface EnvFromSpec {
  prefix?: string;
  configMapRef?: { name?: string; optional?: boolean };
  secretRef?: { name?: string; optional?: boolean };
}
export interface ContainerSpec {
  name: string;
  image?: string;
  command?: string[];
  args?: string[];
  env?: EnvSpec[];
  envFrom?: EnvFromSpec[];
  workingDir?: string;
  resources?: { limits?: Record<string, string>; requests?: Record<string, string> };
}

export interface EnvSources {
  configMap(namespace: string, name: string): Promise<KubeObject | undefined>;
  secret(namespace: string, name: string): Promise<KubeObject | undefined>;
  /** Services of the namespace (plus default/kubernetes), for the service variables. */
  services?(namespace: string): KubeObject[];
}

/** `$(VAR)` → value when defined, `$$` → `$`, anything else kept as written (expansion.Expand). */
export function expand(input: string, lookup: (name: string) => string | undefined): string {
  let out = '';
  for (let i = 0; i < input.length; i++) {
    const ch = input[i];
    if (ch !== '$' || i + 1 >= input.length) {
      out += ch;
      continue;
    }
    const next = input[i + 1];
    if (next === '$') {
      out += '$';
      i++;
      continue;
    }
    if (next === '(') {
      const close = input.indexOf(')', i + 2);
      if (close < 0) {
        out += input.slice(i);
        break;
      }
      const name = input.slice(i + 2, close);
      const v = lookup(name);
      out += v === undefined ? `$(${name})` : v;
      i = close;
      continue;
    }
    out += ch;
  }
  return out;
}

function serviceEnvName(svc: string): string {
  const n = svc.toUpperCase().replace(/[-.]/g, '_');
  return /^\d/.test(n) ? `_${n}` : n;
}

/** Service variables by the services' identities: pods of a namespace share one frozen list. */
const serviceEnvCache = new Map<string, readonly EnvVar[]>();
const SERVICE_ENV_CACHE_MAX = 256;

function cachedServiceEnv(services: KubeObject[]): readonly EnvVar[] {
  const key = services.map((s) => `${s.metadata.uid}@${s.metadata.resourceVersion}`).sort().join(',');
  let v = serviceEnvCache.get(key);
  if (!v) {
    v = Object.freeze(serviceEnv(services).map((e) => Object.freeze(e)));
    if (serviceEnvCache.size >= SERVICE_ENV_CACHE_MAX) serviceEnvCache.delete(serviceEnvCache.keys().next().value!);
    serviceEnvCache.set(key, v);
  }
  return v;
}

/** Docker-link style variables of the services (envvars.FromServices). */
export function serviceEnv(services: KubeObject[]): EnvVar[] {
  const out: EnvVar[] = [];
  const sorted = [...services].sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
  for (const s of sorted) {
    const spec = (s.spec ?? {}) as { clusterIP?: string; ports?: { name?: string; port: number; protocol?: string }[] };
    const ip = spec.clusterIP;
    if (!ip || ip === 'None') continue;
    const ports = spec.ports ?? [];
    if (ports.length === 0) continue;
    const n = serviceEnvName(s.metadata.name ?? '');
    out.push({ name: `${n}_SERVICE_HOST`, value: ip });
    out.push({ name: `${n}_SERVICE_PORT`, value: String(ports[0].port) });
    for (const p of ports) if (p.name) out.push({ name: `${n}_SERVICE_PORT_${serviceEnvName(p.name)}`, value: String(p.port) });
    const first = ports[0];
    out.push({ name: `${n}_PORT`, value: `${(first.protocol ?? 'TCP').toLowerCase()}://${ip}:${first.port}` });
    for (const p of ports) {
      const proto = (p.protocol ?? 'TCP').toUpperCase();
      const base = `${n}_PORT_${p.port}_${proto}`;
      out.push({ name: base, value: `${proto.toLowerCase()}://${ip}:${p.port}` });
      out.push({ name: `${base}_PROTO`, value: proto.toLowerCase() });
      out.push({ name: `${base}_PORT`, value: String(p.port) });
      out.push({ name: `${base}_ADDR`, value: ip });
    }
  }
  return out;
}

function dataOf(obj: KubeObject, secret: boolean): Record<string, string> {
  const o = obj as unknown as { data?: Record<string, string>; binaryData?: Record<string, string>; stringData?: Record<string, string> };
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(o.data ?? {})) out[k] = secret ? Buffer.from(v, 'base64').toString('utf8') : v;
  return out;
}

/** The value of a downward-API fieldRef. */
export function fieldRefValue(pod: KubeObject, path: string, podIP: string | undefined, hostIP: string): string | undefined {
  const spec = (pod.spec ?? {}) as { nodeName?: string; serviceAccountName?: string };
  const m = /^metadata\.(labels|annotations)\['(.*)'\]$/.exec(path);
  if (m) return (m[1] === 'labels' ? pod.metadata.labels : pod.metadata.annotations)?.[m[2]] ?? '';
  switch (path) {
    case 'metadata.name':
      return pod.metadata.name ?? '';
    case 'metadata.namespace':
      return pod.metadata.namespace ?? '';
    case 'metadata.uid':
      return pod.metadata.uid ?? '';
    case 'spec.nodeName':
      return spec.nodeName ?? '';
    case 'spec.serviceAccountName':
      return spec.serviceAccountName ?? '';
    case 'status.hostIP':
    case 'status.hostIPs':
      return hostIP;
    case 'status.podIP':
    case 'status.podIPs':
      return podIP ?? '';
    default:
      return undefined;
  }
}

const NODE_CPU_CORES = 4;
const NODE_MEMORY_BYTES = 8145280 * 1024;

function quantityNumber(q: string | undefined): number | undefined {
  if (q === undefined) return undefined;
  const m = /^([0-9.]+)(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/.exec(q);
  if (!m) return undefined;
  const n = Number(m[1]);
  const mult: Record<string, number> = { m: 0.001, k: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4 };
  return n * (m[2] ? mult[m[2]] : 1);
}

/** resourceFieldRef: the limit (node allocatable when unset) or request, divided and rounded up. */
export function resourceFieldValue(c: ContainerSpec, resource: string, divisor: string | undefined): string {
  const [kind, name] = resource.split('.', 2);
  const raw = kind === 'limits' ? c.resources?.limits?.[name] : c.resources?.requests?.[name];
  let v = quantityNumber(raw);
  if (v === undefined) v = kind === 'limits' ? (name === 'cpu' ? NODE_CPU_CORES : name === 'memory' ? NODE_MEMORY_BYTES : 0) : 0;
  const d = quantityNumber(divisor) ?? 1;
  return String(Math.ceil(v / d));
}

export interface EnvContext {
  pod: KubeObject;
  podIP?: string;
  hostIP: string;
  containers: ContainerSpec[];
  /** A pod event (the InvalidEnvironmentVariableNames warning). */
  warn?(reason: string, message: string): void;
}

/**
 * Whether an envFrom key (with its prefix) may be a variable name: since 1.32
 * (RelaxedEnvironmentVariableValidation on by default) any printable ASCII except `=`.
 */
export function validEnvName(name: string): boolean {
  return name.length > 0 && /^[\x20-\x3c\x3e-\x7e]+$/.test(name);
}

/** The resolved environment of one container. Throws ContainerConfigError for missing references. */
export async function resolveEnv(c: ContainerSpec, ctx: EnvContext, src: EnvSources): Promise<EnvVar[]> {
  const ns = ctx.pod.metadata.namespace ?? 'default';
  const enableLinks = ((ctx.pod.spec ?? {}) as { enableServiceLinks?: boolean }).enableServiceLinks !== false;
  const services = src.services
    ? src.services(ns).filter((s) => enableLinks || (s.metadata.namespace === 'default' && s.metadata.name === 'kubernetes'))
    : [];
  const svcEnv = cachedServiceEnv(services);
  const svcMap = new Map(svcEnv.map((e) => [e.name, e.value]));
  const values = new Map<string, string>();
  const lookup = (name: string) => values.get(name) ?? svcMap.get(name);

  const configMaps = new Map<string, Record<string, string> | undefined>();
  const secrets = new Map<string, Record<string, string> | undefined>();
  const getData = async (secret: boolean, name: string): Promise<Record<string, string> | undefined> => {
    const cache = secret ? secrets : configMaps;
    if (!cache.has(name)) {
      const obj = secret ? await src.secret(ns, name) : await src.configMap(ns, name);
      cache.set(name, obj ? dataOf(obj, secret) : undefined);
    }
    return cache.get(name);
  };

  for (const from of c.envFrom ?? []) {
    const secret = !!from.secretRef;
    const ref = from.secretRef ?? from.configMapRef;
    if (!ref?.name) continue;
    const data = await getData(secret, ref.name);
    if (!data) {
      if (ref.optional) continue;
      throw new ContainerConfigError(`${secret ? 'secret' : 'configmap'} "${ref.name}" not found`);
    }
    const invalid: string[] = [];
    for (const [k, v] of Object.entries(data)) {
      const name = `${from.prefix ?? ''}${k}`;
      if (!validEnvName(name)) invalid.push(name);
      else values.set(name, v);
    }
    if (invalid.length) {
      ctx.warn?.(
        'InvalidEnvironmentVariableNames',
        `Keys [${invalid.sort().join(', ')}] from the EnvFrom ${secret ? 'secret' : 'configMap'} ${ns}/${ref.name} were skipped since they are considered invalid environment variable names.`,
      );
    }
  }

  for (const e of c.env ?? []) {
    let v: string | undefined;
    const from = e.valueFrom;
    if (!from) v = expand(e.value ?? '', lookup);
    else if (from.configMapKeyRef || from.secretKeyRef) {
      const secret = !!from.secretKeyRef;
      const ref = (from.secretKeyRef ?? from.configMapKeyRef)!;
      const data = await getData(secret, ref.name ?? '');
      if (!data) {
        if (ref.optional) continue;
        throw new ContainerConfigError(`${secret ? 'secret' : 'configmap'} "${ref.name ?? ''}" not found`);
      }
      if (!(String(ref.key) in data)) {
        if (ref.optional) continue;
        throw new ContainerConfigError(`couldn't find key ${ref.key} in ${secret ? 'Secret' : 'ConfigMap'} ${ns}/${ref.name}`);
      }
      v = data[String(ref.key)];
    } else if (from.fieldRef?.fieldPath) {
      v = fieldRefValue(ctx.pod, from.fieldRef.fieldPath, ctx.podIP, ctx.hostIP);
      if (v === undefined) throw new ContainerConfigError(`unsupported fieldPath: ${from.fieldRef.fieldPath}`);
    } else if (from.resourceFieldRef?.resource) {
      const target = from.resourceFieldRef.containerName ? ctx.containers.find((x) => x.name === from.resourceFieldRef!.containerName) ?? c : c;
      v = resourceFieldValue(target, from.resourceFieldRef.resource, from.resourceFieldRef.divisor);
    }
    values.set(e.name, v ?? '');
  }

  const out: EnvVar[] = [...values].map(([name, value]) => ({ name, value }));
  for (const s of svcEnv) if (!values.has(s.name)) out.push(s);
  return out;
}

/** command/args with `$(VAR)` expanded from the container's environment. */
export function expandCommand(words: string[] | undefined, env: EnvVar[]): string[] | undefined {
  if (!words) return undefined;
  const m = new Map(env.map((e) => [e.name, e.value]));
  return words.map((w) => expand(w, (n) => m.get(n)));
}
