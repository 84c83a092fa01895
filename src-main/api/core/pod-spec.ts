/**
 * PodSpec and PodTemplateSpec: defaulting (pkg/apis/core/v1/defaults.go) and validation
 * (pkg/apis/core/validation), shared by Pods, ReplicationControllers, PodTemplates and the
 * workload kinds of other groups (apps, batch), which embed a PodTemplateSpec.
 */
import { fe, type FieldError } from '../field-errors';
import { asArray, isObject } from '../types';
import { canonicalizeResourceList, isQuantity, parseQuantity, QUANTITY_REGEX_ERR, formatQuantity } from './quantity';
import { validateAnnotations, validateLabels, validateLabelName } from './validation/meta';
import {
  isConfigMapKey,
  isDNS1123Label,
  isDNS1123Subdomain,
  isEnvVarName,
  isQualifiedName,
  isValidLabelValue,
  isValidPortName,
  isValidPortNum,
  inclusiveRangeError,
} from './validation/names';

type Obj = Record<string, unknown>;

function obj(v: unknown): Obj {
  return isObject(v) ? v : {};
}

function objs(v: unknown): Obj[] {
  return asArray(v).filter(isObject);
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

// ---------------------------------------------------------------------------------------------
// Defaulting
// ---------------------------------------------------------------------------------------------

export interface PodSpecDefaultOptions {
  /** True inside a PodTemplateSpec: Pod-only defaults (requests from limits, enableServiceLinks) are skipped. */
  template: boolean;
}

/** Upstream's imagePullPolicy rule: Always for `:latest` or an untagged, undigested image. */
export function defaultImagePullPolicy(image: string): 'Always' | 'IfNotPresent' {
  if (image.includes('@')) return 'IfNotPresent';
  const lastSlash = image.lastIndexOf('/');
  const tail = image.slice(lastSlash + 1);
  const colon = tail.lastIndexOf(':');
  if (colon < 0) return 'Always';
  return tail.slice(colon + 1) === 'latest' ? 'Always' : 'IfNotPresent';
}

export function defaultProbe(p: unknown): void {
  if (!isObject(p)) return;
  p.timeoutSeconds ??= 1;
  p.periodSeconds ??= 10;
  p.successThreshold ??= 1;
  p.failureThreshold ??= 3;
  defaultHandler(p);
}

function defaultHandler(h: Obj): void {
  if (isObject(h.httpGet)) {
    if (h.httpGet.path === undefined || h.httpGet.path === '') h.httpGet.path = '/';
    if (h.httpGet.scheme === undefined || h.httpGet.scheme === '') h.httpGet.scheme = 'HTTP';
  }
}

function defaultResources(r: unknown): void {
  if (!isObject(r)) return;
  canonicalizeResourceList(r.limits);
  canonicalizeResourceList(r.requests);
}

function defaultEnv(env: unknown): void {
  for (const e of objs(env)) {
    const vf = obj(e.valueFrom);
    if (isObject(vf.fieldRef) && !vf.fieldRef.apiVersion) vf.fieldRef.apiVersion = 'v1';
  }
}

/** SetDefaults_Container (also used for init and ephemeral containers). */
export function defaultContainer(c: Obj): void {
  const image = str(c.image);
  if (!c.imagePullPolicy) c.imagePullPolicy = defaultImagePullPolicy(image);
  if (!c.terminationMessagePath) c.terminationMessagePath = '/dev/termination-log';
  if (!c.terminationMessagePolicy) c.terminationMessagePolicy = 'File';
  for (const p of objs(c.ports)) if (!p.protocol) p.protocol = 'TCP';
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
  const lc = obj(c.lifecycle);
  for (const k of ['postStart', 'preStop']) if (isObject(lc[k])) defaultHandler(lc[k] as Obj);
  defaultResources(c.resources);
  defaultEnv(c.env);
}

function defaultKeyToPathMode(src: Obj): void {
  if (src.defaultMode === undefined) src.defaultMode = 420;
}

/** SetDefaults_Volume and the per-source defaults. */
export function defaultVolume(v: Obj): void {
  const sources = Object.keys(v).filter((k) => k !== 'name');
  if (sources.length === 0) v.emptyDir = {};
  if (isObject(v.secret)) defaultKeyToPathMode(v.secret);
  if (isObject(v.configMap)) defaultKeyToPathMode(v.configMap);
  if (isObject(v.downwardAPI)) {
    defaultKeyToPathMode(v.downwardAPI);
    for (const it of objs(v.downwardAPI.items)) if (isObject(it.fieldRef) && !it.fieldRef.apiVersion) it.fieldRef.apiVersion = 'v1';
  }
  if (isObject(v.projected)) {
    defaultKeyToPathMode(v.projected);
    for (const s of objs(v.projected.sources)) {
      if (isObject(s.serviceAccountToken) && s.serviceAccountToken.expirationSeconds === undefined) s.serviceAccountToken.expirationSeconds = 3600;
      if (isObject(s.downwardAPI)) for (const it of objs(s.downwardAPI.items)) if (isObject(it.fieldRef) && !it.fieldRef.apiVersion) it.fieldRef.apiVersion = 'v1';
    }
  }
  if (isObject(v.hostPath) && v.hostPath.type === undefined) v.hostPath.type = '';
  if (isObject(v.iscsi)) v.iscsi.iscsiInterface ??= 'default';
  if (isObject(v.emptyDir) && v.emptyDir.sizeLimit !== undefined) v.emptyDir.sizeLimit = formatMaybeQuantity(v.emptyDir.sizeLimit);
  if (isObject(v.ephemeral) && isObject(v.ephemeral.volumeClaimTemplate)) {
    const spec = obj(v.ephemeral.volumeClaimTemplate.spec);
    if (!spec.volumeMode) spec.volumeMode = 'Filesystem';
  }
}

function formatMaybeQuantity(v: unknown): unknown {
  if (typeof v !== 'string' && typeof v !== 'number') return v;
  try {
    return formatQuantity(parseQuantity(v));
  } catch {
    return v;
  }
}

function defaultHostNetworkPorts(containers: unknown): void {
  for (const c of objs(containers)) {
    for (const p of objs(c.ports)) if (!p.hostPort) p.hostPort = p.containerPort;
  }
}

/** SetDefaults_PodSpec (+ SetDefaults_Pod's container parts when not a template). */
export function defaultPodSpec(spec: Obj, opts: PodSpecDefaultOptions): void {
  if (!spec.dnsPolicy) spec.dnsPolicy = 'ClusterFirst';
  if (!spec.restartPolicy) spec.restartPolicy = 'Always';
  if (spec.hostNetwork === true) {
    defaultHostNetworkPorts(spec.containers);
    defaultHostNetworkPorts(spec.initContainers);
  }
  if (spec.securityContext === undefined || spec.securityContext === null) spec.securityContext = {};
  if (spec.terminationGracePeriodSeconds === undefined || spec.terminationGracePeriodSeconds === null) spec.terminationGracePeriodSeconds = 30;
  if (!spec.schedulerName) spec.schedulerName = 'default-scheduler';
  // v1 conversion keeps the deprecated serviceAccount mirror of serviceAccountName.
  if (!spec.serviceAccountName && typeof spec.serviceAccount === 'string' && spec.serviceAccount) spec.serviceAccountName = spec.serviceAccount;
  if (spec.serviceAccountName) spec.serviceAccount = spec.serviceAccountName;
  for (const c of objs(spec.initContainers)) defaultContainer(c);
  for (const c of objs(spec.containers)) defaultContainer(c);
  for (const c of objs(spec.ephemeralContainers)) defaultContainer(c);
  for (const v of objs(spec.volumes)) defaultVolume(v);
  if (!opts.template) {
    // SetDefaults_Pod: requests default to limits for each resource that only has a limit.
    for (const c of [...objs(spec.containers), ...objs(spec.initContainers)]) {
      const r = obj(c.resources);
      if (isObject(r.limits)) {
        const req: Obj = isObject(r.requests) ? r.requests : {};
        for (const [k, v] of Object.entries(r.limits)) if (req[k] === undefined) req[k] = v;
        if (Object.keys(req).length) r.requests = req;
      }
    }
    if (spec.enableServiceLinks === undefined || spec.enableServiceLinks === null) spec.enableServiceLinks = true;
  }
}

/** Defaults a PodTemplateSpec in place (`spec.template` of workloads). */
export function defaultPodTemplateSpec(tmpl: unknown): void {
  if (!isObject(tmpl)) return;
  if (!isObject(tmpl.spec)) tmpl.spec = {};
  defaultPodSpec(tmpl.spec as Obj, { template: true });
}

// ---------------------------------------------------------------------------------------------
// QoS
// ---------------------------------------------------------------------------------------------

/** GetPodQOS: BestEffort, Burstable or Guaranteed from the containers' cpu/memory requests and limits. */
export function podQOSClass(spec: unknown): 'BestEffort' | 'Burstable' | 'Guaranteed' {
  const s = obj(spec);
  const requests = new Map<string, bigint>();
  const limits = new Map<string, bigint>();
  let guaranteed = true;
  const qosNames = ['cpu', 'memory'];
  const add = (m: Map<string, bigint>, k: string, v: bigint) => m.set(k, (m.get(k) ?? 0n) + v);
  for (const c of [...objs(s.containers), ...objs(s.initContainers)]) {
    const r = obj(c.resources);
    for (const [k, v] of Object.entries(obj(r.requests))) {
      if (!qosNames.includes(k)) continue;
      const q = safeNano(v);
      if (q > 0n) add(requests, k, q);
    }
    let found = 0;
    for (const [k, v] of Object.entries(obj(r.limits))) {
      if (!qosNames.includes(k)) continue;
      const q = safeNano(v);
      if (q > 0n) {
        add(limits, k, q);
        found++;
      }
    }
    if (found !== qosNames.length) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (guaranteed) {
    for (const [k, v] of requests) if (limits.get(k) !== v) guaranteed = false;
  }
  if (guaranteed && requests.size === limits.size) return 'Guaranteed';
  return 'Burstable';
}

function safeNano(v: unknown): bigint {
  try {
    return parseQuantity(v as string).nano;
  } catch {
    return 0n;
  }
}

// ---------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------

const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];
const DNS_POLICIES = ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];
const TERMINATION_MESSAGE_POLICIES = ['FallbackToLogsOnError', 'File'];
const VOLUME_SOURCES = [
  'hostPath', 'emptyDir', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'secret', 'nfs', 'iscsi', 'glusterfs',
  'persistentVolumeClaim', 'rbd', 'flexVolume', 'cinder', 'cephfs', 'flocker', 'downwardAPI', 'fc', 'azureFile', 'configMap',
  'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'projected', 'portworxVolume', 'scaleIO', 'storageos', 'csi',
  'ephemeral', 'image',
];

export interface PodSpecValidationOptions {
  /** Validating a template (RC/Deployment): a few Pod-only rules are skipped. */
  template?: boolean;
}

function validateNonnegative(v: unknown, path: string): FieldError[] {
  if (v === undefined || v === null) return [];
  return typeof v === 'number' && v >= 0 ? [] : [fe.invalid(path, v, 'must be greater than or equal to 0')];
}

function validatePositive(v: unknown, path: string): FieldError[] {
  if (v === undefined || v === null) return [];
  return typeof v === 'number' && v > 0 ? [] : [fe.invalid(path, v, 'must be greater than 0')];
}

/** A port given as a number or an IANA name (probe ports, service targetPort). */
export function validatePortNumOrName(port: unknown, path: string): FieldError[] {
  if (typeof port === 'number') return isValidPortNum(port).map((m) => fe.invalid(path, port, m));
  if (typeof port === 'string') {
    if (port === '') return [fe.required(path, '')];
    if (/^\d+$/.test(port)) return isValidPortNum(Number(port)).map((m) => fe.invalid(path, port, m));
    return isValidPortName(port).map((m) => fe.invalid(path, port, m));
  }
  return [fe.invalid(path, port, 'must contain an int or string')];
}

function validateHandler(h: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const kinds = ['exec', 'httpGet', 'tcpSocket', 'grpc', 'sleep'].filter((k) => h[k] !== undefined && h[k] !== null);
  if (kinds.length === 0) return [fe.required(path, 'must specify a handler type')];
  for (const k of kinds.slice(1)) errs.push(fe.forbidden(`${path}.${k}`, 'may not specify more than 1 handler type'));
  const k = kinds[0];
  const v = obj(h[k]);
  if (k === 'exec' && asArray(v.command).length === 0) errs.push(fe.required(`${path}.exec.command`, ''));
  if (k === 'httpGet') {
    errs.push(...validatePortNumOrName(v.port, `${path}.httpGet.port`));
    if (v.scheme !== undefined && v.scheme !== 'HTTP' && v.scheme !== 'HTTPS') errs.push(fe.notSupported(`${path}.httpGet.scheme`, v.scheme, ['HTTP', 'HTTPS']));
  }
  if (k === 'tcpSocket') errs.push(...validatePortNumOrName(v.port, `${path}.tcpSocket.port`));
  if (k === 'grpc' && typeof v.port === 'number') errs.push(...isValidPortNum(v.port).map((m) => fe.invalid(`${path}.grpc.port`, v.port, m)));
  return errs;
}

function validateProbe(p: unknown, path: string, kind: 'liveness' | 'readiness' | 'startup'): FieldError[] {
  if (p === undefined || p === null) return [];
  const probe = obj(p);
  const errs = validateHandler(probe, path);
  errs.push(...validateNonnegative(probe.initialDelaySeconds, `${path}.initialDelaySeconds`));
  errs.push(...validateNonnegative(probe.timeoutSeconds, `${path}.timeoutSeconds`));
  errs.push(...validateNonnegative(probe.periodSeconds, `${path}.periodSeconds`));
  errs.push(...validateNonnegative(probe.successThreshold, `${path}.successThreshold`));
  errs.push(...validateNonnegative(probe.failureThreshold, `${path}.failureThreshold`));
  if (kind !== 'readiness' && probe.successThreshold !== undefined && probe.successThreshold !== 1) {
    errs.push(fe.invalid(`${path}.successThreshold`, probe.successThreshold, 'must be 1'));
  }
  return errs;
}

function validateContainerPorts(ports: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  objs(ports).forEach((p, i) => {
    const ip = `${path}[${i}]`;
    if (p.name !== undefined && p.name !== '') {
      const name = str(p.name);
      for (const m of isValidPortName(name)) errs.push(fe.invalid(`${ip}.name`, p.name, m));
      if (names.has(name)) errs.push(fe.duplicate(`${ip}.name`, name));
      names.add(name);
    }
    if (p.containerPort === undefined || p.containerPort === 0) errs.push(fe.required(`${ip}.containerPort`, ''));
    else errs.push(...portRange(p.containerPort, `${ip}.containerPort`));
    if (p.hostPort !== undefined && p.hostPort !== 0) errs.push(...portRange(p.hostPort, `${ip}.hostPort`));
    if (!p.protocol) errs.push(fe.required(`${ip}.protocol`, ''));
    else if (!PROTOCOLS.includes(str(p.protocol))) errs.push(fe.notSupported(`${ip}.protocol`, p.protocol, PROTOCOLS));
  });
  return errs;
}

function portRange(v: unknown, path: string): FieldError[] {
  if (typeof v !== 'number' || isValidPortNum(v).length) return [fe.invalid(path, v, inclusiveRangeError(1, 65535))];
  return [];
}

function validateEnv(env: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  objs(env).forEach((e, i) => {
    const ip = `${path}[${i}]`;
    const name = str(e.name);
    if (!name) errs.push(fe.required(`${ip}.name`, ''));
    else for (const m of isEnvVarName(name)) errs.push(fe.invalid(`${ip}.name`, name, m));
    if (e.valueFrom !== undefined && e.valueFrom !== null) {
      const vf = obj(e.valueFrom);
      const kinds = ['fieldRef', 'resourceFieldRef', 'configMapKeyRef', 'secretKeyRef', 'fileKeyRef'].filter((k) => vf[k] !== undefined && vf[k] !== null);
      if (str(e.value) !== '' && kinds.length) errs.push(fe.invalid(`${ip}.valueFrom`, '', 'may not be specified when `value` is not empty'));
      if (kinds.length === 0) errs.push(fe.invalid(`${ip}.valueFrom`, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
      else if (kinds.length > 1) errs.push(fe.invalid(`${ip}.valueFrom`, '', 'may not have more than one field specified at a time'));
      for (const k of ['configMapKeyRef', 'secretKeyRef']) {
        if (!isObject(vf[k])) continue;
        const ref = vf[k] as Obj;
        const kp = `${ip}.valueFrom.${k}`;
        if (!ref.key) errs.push(fe.required(`${kp}.key`, ''));
        else for (const m of isConfigMapKey(str(ref.key))) errs.push(fe.invalid(`${kp}.key`, ref.key, m));
        if (!ref.name) errs.push(fe.required(`${kp}.name`, ''));
      }
      if (isObject(vf.fieldRef)) {
        if (!vf.fieldRef.fieldPath) errs.push(fe.required(`${ip}.valueFrom.fieldRef.fieldPath`, ''));
      }
    }
  });
  return errs;
}

const STANDARD_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage', 'storage', 'pods', 'services']);

function validateResourceName(name: string, path: string): FieldError[] {
  const errs = isQualifiedName(name).map((m) => fe.invalid(path, name, m));
  if (errs.length) return errs;
  if (!name.includes('/') && !STANDARD_RESOURCES.has(name) && !name.startsWith('hugepages-') && !name.startsWith('requests.') && !name.startsWith('limits.')) {
    return [fe.invalid(path, name, 'must be a standard resource type or fully qualified')];
  }
  return [];
}

/** A ResourceList at `path`: names, quantities (valid and non-negative). */
export function validateResourceList(list: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (list === undefined || list === null) return errs;
  for (const [k, v] of Object.entries(obj(list))) {
    const kp = `${path}[${k}]`;
    errs.push(...validateResourceName(k, kp));
    if (!isQuantity(v)) {
      errs.push(fe.invalid(kp, v, QUANTITY_REGEX_ERR));
      continue;
    }
    if (parseQuantity(v as string).nano < 0n) errs.push(fe.invalid(kp, v, 'must be greater than or equal to 0'));
  }
  return errs;
}

/** ResourceRequirements: valid lists and each request no greater than its limit. */
export function validateResourceRequirements(res: unknown, path: string): FieldError[] {
  const r = obj(res);
  const errs = [...validateResourceList(r.limits, `${path}.limits`), ...validateResourceList(r.requests, `${path}.requests`)];
  if (errs.length) return errs;
  const limits = obj(r.limits);
  for (const [k, v] of Object.entries(obj(r.requests))) {
    const lim = limits[k];
    if (lim === undefined) continue;
    const q = parseQuantity(v as string);
    const l = parseQuantity(lim as string);
    if (q.nano > l.nano) {
      errs.push(fe.invalid(`${path}.requests[${k}]`, formatQuantity(q), `must be less than or equal to ${k} limit of ${formatQuantity(l)}`));
    }
  }
  return errs;
}

function validateVolumeMounts(mounts: unknown, volumes: Set<string>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const paths = new Set<string>();
  objs(mounts).forEach((m, i) => {
    const ip = `${path}[${i}]`;
    const name = str(m.name);
    if (!name) errs.push(fe.required(`${ip}.name`, ''));
    else if (!volumes.has(name)) errs.push(fe.notFound(`${ip}.name`, name));
    const mp = str(m.mountPath);
    if (!mp) errs.push(fe.required(`${ip}.mountPath`, ''));
    else if (paths.has(mp)) errs.push(fe.invalid(`${ip}.mountPath`, mp, 'must be unique'));
    paths.add(mp);
    const sub = str(m.subPath);
    if (sub) {
      if (sub.startsWith('/')) errs.push(fe.invalid(`${ip}.subPath`, sub, 'must be a relative path'));
      else if (sub.split('/').includes('..')) errs.push(fe.invalid(`${ip}.subPath`, sub, "must not contain '..'"));
    }
  });
  return errs;
}

interface ContainerCheckContext {
  volumes: Set<string>;
  names: Set<string>;
  /** The whitespace check on images is for Pods only (validateContainersOnlyForPod). */
  template: boolean;
}

function validateContainer(c: Obj, path: string, ctx: ContainerCheckContext, init: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const name = str(c.name);
  if (!name) errs.push(fe.required(`${path}.name`, ''));
  else {
    for (const m of isDNS1123Label(name)) errs.push(fe.invalid(`${path}.name`, name, m));
    if (ctx.names.has(name)) errs.push(fe.duplicate(`${path}.name`, name));
    ctx.names.add(name);
  }
  const image = str(c.image);
  if (!image) errs.push(fe.required(`${path}.image`, ''));
  else if (!ctx.template && image.trim() !== image) errs.push(fe.invalid(`${path}.image`, image, 'must not have leading or trailing whitespace'));
  if (!c.imagePullPolicy) errs.push(fe.required(`${path}.imagePullPolicy`, ''));
  else if (!PULL_POLICIES.includes(str(c.imagePullPolicy))) errs.push(fe.notSupported(`${path}.imagePullPolicy`, c.imagePullPolicy, PULL_POLICIES));
  if (c.terminationMessagePolicy && !TERMINATION_MESSAGE_POLICIES.includes(str(c.terminationMessagePolicy))) {
    errs.push(fe.notSupported(`${path}.terminationMessagePolicy`, c.terminationMessagePolicy, TERMINATION_MESSAGE_POLICIES));
  }
  if (c.restartPolicy !== undefined && c.restartPolicy !== null) {
    if (!init) errs.push(fe.forbidden(`${path}.restartPolicy`, 'may not be set for non-init containers'));
    else if (c.restartPolicy !== 'Always') errs.push(fe.notSupported(`${path}.restartPolicy`, c.restartPolicy, ['Always']));
  }
  errs.push(...validateContainerPorts(c.ports, `${path}.ports`));
  errs.push(...validateEnv(c.env, `${path}.env`));
  errs.push(...validateVolumeMounts(c.volumeMounts, ctx.volumes, `${path}.volumeMounts`));
  errs.push(...validateResourceRequirements(c.resources, `${path}.resources`));
  const sidecar = init && c.restartPolicy === 'Always';
  if (init && !sidecar) {
    for (const p of ['lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe']) {
      if (c[p] !== undefined && c[p] !== null) errs.push(fe.forbidden(`${path}.${p}`, `may not be set for init containers without restartPolicy=Always`));
    }
  } else {
    errs.push(...validateProbe(c.livenessProbe, `${path}.livenessProbe`, 'liveness'));
    errs.push(...validateProbe(c.readinessProbe, `${path}.readinessProbe`, 'readiness'));
    errs.push(...validateProbe(c.startupProbe, `${path}.startupProbe`, 'startup'));
    const lc = obj(c.lifecycle);
    for (const k of ['postStart', 'preStop']) if (isObject(lc[k])) errs.push(...validateHandler(lc[k] as Obj, `${path}.lifecycle.${k}`));
  }
  return errs;
}

function validateKeyToPaths(items: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  objs(items).forEach((it, i) => {
    const ip = `${path}[${i}]`;
    if (!it.key) errs.push(fe.required(`${ip}.key`, ''));
    const p = str(it.path);
    if (!p) errs.push(fe.required(`${ip}.path`, ''));
    else if (p.startsWith('/')) errs.push(fe.invalid(`${ip}.path`, p, 'must be a relative path'));
    else if (p.split('/').includes('..')) errs.push(fe.invalid(`${ip}.path`, p, "must not contain '..'"));
  });
  return errs;
}

/** ValidateVolumes: unique DNS-label names and exactly one well-formed source each. */
export function validateVolumes(volumes: unknown, path: string): { errs: FieldError[]; names: Set<string> } {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  objs(volumes).forEach((v, i) => {
    const ip = `${path}[${i}]`;
    const name = str(v.name);
    if (!name) errs.push(fe.required(`${ip}.name`, ''));
    else {
      for (const m of isDNS1123Label(name)) errs.push(fe.invalid(`${ip}.name`, name, m));
      if (names.has(name)) errs.push(fe.duplicate(`${ip}.name`, name));
    }
    if (name) names.add(name);
    const sources = VOLUME_SOURCES.filter((k) => v[k] !== undefined && v[k] !== null);
    if (sources.length === 0) {
      errs.push(fe.required(ip, 'must specify a volume type'));
      return;
    }
    for (const k of sources.slice(1)) errs.push(fe.forbidden(`${ip}.${k}`, 'may not specify more than 1 volume type'));
    const k = sources[0];
    const s = obj(v[k]);
    const sp = `${ip}.${k}`;
    switch (k) {
      case 'configMap':
        if (!s.name) errs.push(fe.required(`${sp}.name`, ''));
        errs.push(...validateKeyToPaths(s.items, `${sp}.items`));
        break;
      case 'secret':
        if (!s.secretName) errs.push(fe.required(`${sp}.secretName`, ''));
        errs.push(...validateKeyToPaths(s.items, `${sp}.items`));
        break;
      case 'persistentVolumeClaim':
        if (!s.claimName) errs.push(fe.required(`${sp}.claimName`, ''));
        break;
      case 'hostPath':
        if (!s.path) errs.push(fe.required(`${sp}.path`, ''));
        break;
      case 'nfs':
        if (!s.server) errs.push(fe.required(`${sp}.server`, ''));
        if (!s.path) errs.push(fe.required(`${sp}.path`, ''));
        break;
      case 'emptyDir':
        if (s.medium !== undefined && !['', 'Memory', 'HugePages'].includes(str(s.medium)) && !str(s.medium).startsWith('HugePages-')) {
          errs.push(fe.notSupported(`${sp}.medium`, s.medium, ['', 'Memory', 'HugePages']));
        }
        if (s.sizeLimit !== undefined && !isQuantity(s.sizeLimit)) errs.push(fe.invalid(`${sp}.sizeLimit`, s.sizeLimit, QUANTITY_REGEX_ERR));
        break;
      case 'csi':
        if (!s.driver) errs.push(fe.required(`${sp}.driver`, ''));
        break;
      default:
        break;
    }
  });
  return { errs, names };
}

const TOLERATION_OPERATORS = ['Equal', 'Exists'];
const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

export function validateTolerations(tols: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  objs(tols).forEach((t, i) => {
    const ip = `${path}[${i}]`;
    const key = str(t.key);
    if (key) errs.push(...validateLabelName(key, `${ip}.key`));
    if (!key && t.operator !== 'Exists') {
      errs.push(fe.invalid(`${ip}.operator`, t.operator ?? '', 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    }
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null && t.effect !== 'NoExecute') {
      errs.push(fe.invalid(`${ip}.effect`, t.effect ?? '', "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    }
    const op = str(t.operator);
    if (op === '' || op === 'Equal') {
      for (const m of isValidLabelValueLocal(str(t.value))) errs.push(fe.invalid(`${ip}.value`, t.value, m));
    } else if (op === 'Exists') {
      if (str(t.value) !== '') errs.push(fe.invalid(`${ip}.operator`, t.value, "value must be empty when `operator` is 'Exists'"));
    } else {
      errs.push(fe.notSupported(`${ip}.operator`, t.operator, TOLERATION_OPERATORS));
    }
    if (t.effect !== undefined && t.effect !== '' && !TAINT_EFFECTS.includes(str(t.effect))) {
      errs.push(fe.notSupported(`${ip}.effect`, t.effect, TAINT_EFFECTS));
    }
  });
  return errs;
}

function isValidLabelValueLocal(v: string): string[] {
  // Toleration values follow label-value syntax.
  return isValidLabelValue(v);
}

/** ValidatePodSpec at `path` (`spec`, `spec.template.spec`). */
export function validatePodSpec(specIn: unknown, path: string, opts: PodSpecValidationOptions = {}): FieldError[] {
  const spec = obj(specIn);
  const errs: FieldError[] = [];
  const { errs: volErrs, names: volumes } = validateVolumes(spec.volumes, `${path}.volumes`);
  errs.push(...volErrs);
  const ctx: ContainerCheckContext = { volumes, names: new Set(), template: opts.template === true };
  objs(spec.initContainers).forEach((c, i) => errs.push(...validateContainer(c, `${path}.initContainers[${i}]`, ctx, true)));
  const containers = objs(spec.containers);
  if (containers.length === 0) errs.push(fe.required(`${path}.containers`, ''));
  containers.forEach((c, i) => errs.push(...validateContainer(c, `${path}.containers[${i}]`, ctx, false)));
  objs(spec.ephemeralContainers).forEach((c, i) => {
    const p = `${path}.ephemeralContainers[${i}]`;
    const name = str(c.name);
    if (!name) errs.push(fe.required(`${p}.name`, ''));
    else if (ctx.names.has(name)) errs.push(fe.duplicate(`${p}.name`, name));
    if (!c.image) errs.push(fe.required(`${p}.image`, ''));
  });

  const rp = spec.restartPolicy;
  if (rp === undefined || rp === '') errs.push(fe.required(`${path}.restartPolicy`, ''));
  else if (!RESTART_POLICIES.includes(str(rp))) errs.push(fe.notSupported(`${path}.restartPolicy`, rp, RESTART_POLICIES));
  const dp = spec.dnsPolicy;
  if (dp === undefined || dp === '') errs.push(fe.required(`${path}.dnsPolicy`, ''));
  else if (!DNS_POLICIES.includes(str(dp))) errs.push(fe.notSupported(`${path}.dnsPolicy`, dp, DNS_POLICIES));
  if (dp === 'None' && !isObject(spec.dnsConfig)) errs.push(fe.required(`${path}.dnsConfig`, 'must provide `dnsConfig` when `dnsPolicy` is None'));

  errs.push(...validateLabels(spec.nodeSelector, `${path}.nodeSelector`));
  if (spec.serviceAccountName) {
    for (const m of isDNS1123Subdomain(str(spec.serviceAccountName))) errs.push(fe.invalid(`${path}.serviceAccountName`, spec.serviceAccountName, m));
  }
  if (spec.nodeName) {
    for (const m of isDNS1123Subdomain(str(spec.nodeName))) errs.push(fe.invalid(`${path}.nodeName`, spec.nodeName, m));
  }
  if (spec.hostname) for (const m of isDNS1123Label(str(spec.hostname))) errs.push(fe.invalid(`${path}.hostname`, spec.hostname, m));
  if (spec.subdomain) for (const m of isDNS1123Label(str(spec.subdomain))) errs.push(fe.invalid(`${path}.subdomain`, spec.subdomain, m));
  if (spec.activeDeadlineSeconds !== undefined && spec.activeDeadlineSeconds !== null) {
    const v = spec.activeDeadlineSeconds;
    if (typeof v !== 'number' || v < 1 || v > 2147483647) errs.push(fe.invalid(`${path}.activeDeadlineSeconds`, v, inclusiveRangeError(1, 2147483647)));
  }
  errs.push(...validateTolerations(spec.tolerations, `${path}.tolerations`));
  if (spec.priorityClassName) {
    for (const m of isDNS1123Subdomain(str(spec.priorityClassName))) errs.push(fe.invalid(`${path}.priorityClassName`, spec.priorityClassName, m));
  }
  if (spec.hostNetwork === true) {
    containers.forEach((c, i) =>
      objs(c.ports).forEach((p, j) => {
        if (p.hostPort !== undefined && p.hostPort !== p.containerPort) {
          errs.push(fe.invalid(`${path}.containers[${i}].ports[${j}].containerPort`, p.containerPort, 'must match `hostPort` when `hostNetwork` is true'));
        }
      }),
    );
  }
  objs(spec.readinessGates).forEach((g, i) => {
    for (const m of isQualifiedName(str(g.conditionType))) errs.push(fe.invalid(`${path}.readinessGates[${i}].conditionType`, g.conditionType, m));
  });
  return errs;
}

/** ValidatePodTemplateSpec: template labels/annotations and the pod spec. */
export function validatePodTemplateSpec(tmplIn: unknown, path: string): FieldError[] {
  if (tmplIn === undefined || tmplIn === null) return [fe.required(path, '')];
  const tmpl = obj(tmplIn);
  const meta = obj(tmpl.metadata);
  const errs: FieldError[] = [];
  errs.push(...validateLabels(meta.labels, `${path}.metadata.labels`));
  errs.push(...validateAnnotations(meta.annotations, `${path}.metadata.annotations`));
  errs.push(...validatePodSpec(tmpl.spec, `${path}.spec`, { template: true }));
  return errs;
}
