/**
 * Pods (core/v1): defaults (SetDefaults_Pod/PodSpec plus what the default admission plugins add:
 * ServiceAccount token volume, DefaultTolerationSeconds, Priority), the create strategy
 * (phase Pending + QoS class), validation incl. the pod update rules, field selectors and the
 * `kubectl get pods` table.
 */
import { randomInt } from 'node:crypto';
import { fe, type FieldError } from '../field-errors';
import { translateTimestampSince } from '../printers';
import type { ResourceDef } from '../resource';
import type { KubeObject } from '../types';
import { AGE_COLUMN, NAME_COLUMN, col, list, o, s, n, specOf, type Obj } from './common';
import { defaultPodSpec, podQOSClass, validatePodSpec } from './pod-spec';
import { deepEqual, validateObjectMeta, validateObjectMetaUpdate } from './validation/meta';

export const SERVICE_ACCOUNT_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';
export const SERVICE_ACCOUNT_VOLUME_PREFIX = 'kube-api-access-';
const NAME_CHARS = 'bcdfghjklmnpqrstvwxz2456789';

function randomSuffix(len = 5): string {
  let out = '';
  for (let i = 0; i < len; i++) out += NAME_CHARS[randomInt(NAME_CHARS.length)];
  return out;
}

/** The projected volume the ServiceAccount admission plugin adds. */
export function serviceAccountTokenVolume(name: string): Obj {
  return {
    name,
    projected: {
      defaultMode: 420,
      sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
      ],
    },
  };
}

/** The ServiceAccount admission plugin: default SA name and the API access token volume and mounts. */
export function admitServiceAccount(pod: KubeObject): void {
  const spec = specOf(pod);
  if (pod.metadata.annotations?.['kubernetes.io/config.mirror'] !== undefined) return;
  if (!spec.serviceAccountName) spec.serviceAccountName = 'default';
  spec.serviceAccount = spec.serviceAccountName;
  if (spec.automountServiceAccountToken === false) return;
  const containers = [...list(spec.initContainers), ...list(spec.containers)];
  const volumes = list(spec.volumes);
  const mounted = (c: Obj) => list(c.volumeMounts).some((m) => m.mountPath === SERVICE_ACCOUNT_MOUNT_PATH);
  let volName = s(volumes.find((v) => s(v.name).startsWith(SERVICE_ACCOUNT_VOLUME_PREFIX) && o(v.projected).sources !== undefined)?.name);
  if (!volName) {
    // Someone already mounts something at the token path in every container: nothing to add.
    if (containers.length > 0 && containers.every(mounted)) return;
    volName = `${SERVICE_ACCOUNT_VOLUME_PREFIX}${randomSuffix()}`;
    spec.volumes = [...volumes, serviceAccountTokenVolume(volName)];
  }
  for (const c of containers) {
    if (mounted(c)) continue;
    c.volumeMounts = [...list(c.volumeMounts), { name: volName, readOnly: true, mountPath: SERVICE_ACCOUNT_MOUNT_PATH }];
  }
}

const SYSTEM_PRIORITIES: Record<string, number> = { 'system-node-critical': 2000001000, 'system-cluster-critical': 2000000000 };

/** Priority admission, for the classes known without a lookup (none, and the two system classes). */
export function admitPriority(pod: KubeObject): void {
  const spec = specOf(pod);
  const cls = s(spec.priorityClassName);
  if (spec.priority === undefined || spec.priority === null) {
    if (cls === '') spec.priority = 0;
    else if (cls in SYSTEM_PRIORITIES) spec.priority = SYSTEM_PRIORITIES[cls];
    else return;
  }
  if (!spec.preemptionPolicy) spec.preemptionPolicy = 'PreemptLowerPriority';
}

/** The pod's defaults; the ServiceAccount and Priority admission plugins add the rest on create. */
export function defaultPod(pod: KubeObject): void {
  defaultPodSpec(specOf(pod), { template: false });
}

// ---------------------------------------------------------------------------------------------
// Update validation
// ---------------------------------------------------------------------------------------------

export const POD_UPDATE_ALLOWED_FIELDS =
  '`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

function goFieldName(k: string): string {
  return k.charAt(0).toUpperCase() + k.slice(1);
}

/** A short cmp.Diff-like rendering of the top-level spec fields that differ. */
function specDiff(oldSpec: Obj, newSpec: Obj): string {
  const keys = [...new Set([...Object.keys(oldSpec), ...Object.keys(newSpec)])].sort();
  const lines = ['  core.PodSpec{'];
  for (const k of keys) {
    if (deepEqual(oldSpec[k], newSpec[k])) continue;
    if (oldSpec[k] !== undefined) lines.push(`- \t${goFieldName(k)}: ${JSON.stringify(oldSpec[k])},`);
    if (newSpec[k] !== undefined) lines.push(`+ \t${goFieldName(k)}: ${JSON.stringify(newSpec[k])},`);
  }
  lines.push('  }');
  return lines.join('\n');
}

export function validatePodUpdate(pod: KubeObject, old: KubeObject): FieldError[] {
  const errs = validateObjectMetaUpdate(pod.metadata, old.metadata);
  const spec = o(pod.spec);
  const oldSpec = o(old.spec);
  for (const k of ['containers', 'initContainers'] as const) {
    if (list(spec[k]).length !== list(oldSpec[k]).length) {
      errs.push(fe.forbidden(`spec.${k}`, 'pod updates may not add or remove containers'));
      return errs;
    }
  }
  errs.push(...validatePodSpec(spec, 'spec'));
  const ads = spec.activeDeadlineSeconds;
  const oldAds = oldSpec.activeDeadlineSeconds;
  if (typeof oldAds === 'number' && (ads === undefined || ads === null)) {
    errs.push(fe.invalid('spec.activeDeadlineSeconds', null, 'must not update from a positive integer to nil value'));
  } else if (typeof oldAds === 'number' && typeof ads === 'number' && ads > oldAds) {
    errs.push(fe.invalid('spec.activeDeadlineSeconds', ads, 'must be less than or equal to previous value'));
  }
  // Everything but the mutable fields must be as before.
  const munged: Obj = structuredClone(spec);
  const oldContainers = list(oldSpec.containers);
  const oldInit = list(oldSpec.initContainers);
  list(munged.containers).forEach((c, i) => (c.image = oldContainers[i]?.image));
  list(munged.initContainers).forEach((c, i) => (c.image = oldInit[i]?.image));
  munged.activeDeadlineSeconds = oldSpec.activeDeadlineSeconds;
  const oldTols = list(oldSpec.tolerations);
  const newTols = list(spec.tolerations);
  if (oldTols.every((t) => newTols.some((x) => deepEqual(x, t)))) munged.tolerations = oldSpec.tolerations;
  if (typeof oldSpec.terminationGracePeriodSeconds === 'number' && oldSpec.terminationGracePeriodSeconds < 0 && spec.terminationGracePeriodSeconds === 1) {
    munged.terminationGracePeriodSeconds = oldSpec.terminationGracePeriodSeconds;
  }
  // Scheduling gates may only be removed; node selector/affinity may be added while gated.
  const oldGates = list(oldSpec.schedulingGates);
  if (list(spec.schedulingGates).every((g) => oldGates.some((x) => deepEqual(x, g)))) munged.schedulingGates = oldSpec.schedulingGates;
  if (!deepEqual(munged, oldSpec)) {
    errs.push(fe.forbidden('spec', `pod updates may not change fields other than ${POD_UPDATE_ALLOWED_FIELDS}\n${specDiff(oldSpec, munged)}`));
  }
  return errs;
}

// ---------------------------------------------------------------------------------------------
// Table
// ---------------------------------------------------------------------------------------------

function isRestartableInit(c: Obj | undefined): boolean {
  return c?.restartPolicy === 'Always';
}

function hasCondition(status: Obj, type: string): boolean {
  return list(status.conditions).some((c) => c.type === type && c.status === 'True');
}

function later(a: string | undefined, b: unknown): string | undefined {
  if (typeof b !== 'string' || !b) return a;
  if (!a) return b;
  return Date.parse(b) > Date.parse(a) ? b : a;
}

/** READY, STATUS and RESTARTS as printPod computes them. */
export function podSummary(pod: KubeObject, now: number): { ready: string; status: string; restarts: string } {
  const spec = o(pod.spec);
  const status = o(pod.status);
  const initSpecs = list(spec.initContainers);
  let total = list(spec.containers).length;
  const initByName = new Map<string, Obj>();
  for (const c of initSpecs) {
    initByName.set(s(c.name), c);
    if (isRestartableInit(c)) total++;
  }
  let readyCount = 0;
  let restarts = 0;
  let sidecarRestarts = 0;
  let lastRestart: string | undefined;
  let lastSidecarRestart: string | undefined;
  const phase = s(status.phase);
  let reason = s(status.reason) || phase;
  for (const c of list(status.conditions)) {
    if (c.type === 'PodScheduled' && c.reason === 'SchedulingGated') reason = 'SchedulingGated';
  }

  let initializing = false;
  const initStatuses = list(status.initContainerStatuses);
  for (let i = 0; i < initStatuses.length; i++) {
    const cs = initStatuses[i];
    const state = o(cs.state);
    const term = state.terminated === undefined ? undefined : o(state.terminated);
    const waiting = state.waiting === undefined ? undefined : o(state.waiting);
    const lastTerm = o(o(cs.lastState).terminated);
    restarts += n(cs.restartCount);
    lastRestart = later(lastRestart, lastTerm.finishedAt);
    const sidecar = isRestartableInit(initByName.get(s(cs.name)));
    if (sidecar) {
      sidecarRestarts += n(cs.restartCount);
      lastSidecarRestart = later(lastSidecarRestart, lastTerm.finishedAt);
    }
    if (term && n(term.exitCode) === 0) continue;
    if (sidecar && cs.started === true) {
      if (cs.ready === true) readyCount++;
      continue;
    }
    if (term) {
      if (!s(term.reason)) reason = n(term.signal) !== 0 ? `Init:Signal:${n(term.signal)}` : `Init:ExitCode:${n(term.exitCode)}`;
      else reason = `Init:${s(term.reason)}`;
    } else if (waiting && s(waiting.reason) && waiting.reason !== 'PodInitializing') {
      reason = `Init:${s(waiting.reason)}`;
    } else {
      reason = `Init:${i}/${initSpecs.length}`;
    }
    initializing = true;
    break;
  }

  if (!initializing || hasCondition(status, 'Initialized')) {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const statuses = list(status.containerStatuses);
    for (let i = statuses.length - 1; i >= 0; i--) {
      const cs = statuses[i];
      const state = o(cs.state);
      restarts += n(cs.restartCount);
      lastRestart = later(lastRestart, o(o(cs.lastState).terminated).finishedAt);
      const waiting = state.waiting === undefined ? undefined : o(state.waiting);
      const term = state.terminated === undefined ? undefined : o(state.terminated);
      if (waiting && s(waiting.reason)) reason = s(waiting.reason);
      else if (term && s(term.reason)) reason = s(term.reason);
      else if (term) reason = n(term.signal) !== 0 ? `Signal:${n(term.signal)}` : `ExitCode:${n(term.exitCode)}`;
      else if (cs.ready === true && state.running !== undefined) {
        hasRunning = true;
        readyCount++;
      }
    }
    if (reason === 'Completed' && hasRunning) reason = hasCondition(status, 'Ready') ? 'Running' : 'NotReady';
  }

  if (pod.metadata.deletionTimestamp && status.reason === 'NodeLost') reason = 'Unknown';
  else if (pod.metadata.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';

  let restartsText = String(restarts);
  if (restarts !== 0 && lastRestart) restartsText = `${restarts} (${translateTimestampSince(lastRestart, now)} ago)`;
  return { ready: `${readyCount}/${total}`, status: reason, restarts: restartsText };
}

function podIP(status: Obj): string {
  const ips = list(status.podIPs);
  if (ips.length > 0 && s(ips[0].ip)) return s(ips[0].ip);
  return s(status.podIP) || '<none>';
}

function readinessGates(spec: Obj, status: Obj): string {
  const gates = list(spec.readinessGates);
  if (gates.length === 0) return '<none>';
  let ok = 0;
  for (const g of gates) {
    if (list(status.conditions).some((c) => c.type === g.conditionType && c.status === 'True')) ok++;
  }
  return `${ok}/${gates.length}`;
}

export const podsDef: ResourceDef = {
  group: '',
  version: 'v1',
  kind: 'Pod',
  plural: 'pods',
  singular: 'pod',
  namespaced: true,
  shortNames: ['po'],
  categories: ['all'],
  subresources: ['status', 'binding', 'eviction', 'log', 'exec', 'attach', 'portforward', 'proxy'],

  default: defaultPod,

  prepareForCreate(obj) {
    obj.status = { phase: 'Pending', qosClass: podQOSClass(obj.spec) };
  },

  validate(obj, old) {
    if (old) return validatePodUpdate(obj, old);
    const errs = validateObjectMeta(obj.metadata, { namespaced: true });
    errs.push(...validatePodSpec(obj.spec, 'spec'));
    return errs;
  },

  validateStatus(obj, old) {
    const errs = validateObjectMetaUpdate(obj.metadata, old.metadata);
    const status = o(obj.status);
    const phases = ['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown'];
    if (status.phase !== undefined && !phases.includes(s(status.phase))) errs.push(fe.notSupported('status.phase', status.phase, phases));
    const oldPhase = s(o(old.status).phase);
    if ((oldPhase === 'Succeeded' || oldPhase === 'Failed') && status.phase !== oldPhase) {
      errs.push(fe.forbidden('status.phase', `cannot transition from terminal phase ${oldPhase} to ${s(status.phase)}`));
    }
    return errs;
  },

  fieldSelectors: {
    'spec.nodeName': (p) => s(o(p.spec).nodeName),
    'spec.restartPolicy': (p) => s(o(p.spec).restartPolicy),
    'spec.schedulerName': (p) => s(o(p.spec).schedulerName),
    'spec.serviceAccountName': (p) => s(o(p.spec).serviceAccountName),
    'spec.hostNetwork': (p) => String(o(p.spec).hostNetwork === true),
    'status.phase': (p) => s(o(p.status).phase),
    'status.podIP': (p) => {
      const st = o(p.status);
      const ips = list(st.podIPs);
      return ips.length ? s(ips[0].ip) : s(st.podIP);
    },
    'status.nominatedNodeName': (p) => s(o(p.status).nominatedNodeName),
  },

  table: {
    columns: [
      NAME_COLUMN,
      col('Ready', 'The aggregate readiness state of this pod for accepting traffic.'),
      col('Status', 'The aggregate status of the containers in this pod.'),
      col('Restarts', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
      AGE_COLUMN,
      col('IP', 'podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.', 1),
      col('Node', 'NodeName indicates in which node this pod is scheduled. If empty, this pod is a candidate for scheduling by the scheduler defined in schedulerName. Once this field is set, the kubelet for this node becomes responsible for the lifecycle of this pod. This field should not be used to express a desire for the pod to be scheduled on a specific node. https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#nodename', 1),
      col('Nominated Node', 'nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods. This field does not guarantee that the pod will be scheduled on this node. Scheduler may decide to place the pod elsewhere if other nodes become available sooner. Scheduler may also decide to give the resources on this node to a higher priority pod that is created after preemption. As a result, this field may be different than PodSpec.nodeName when the pod is scheduled.', 1),
      col('Readiness Gates', 'If specified, all readiness gates will be evaluated for pod readiness. A pod is ready when all its containers are ready AND all conditions specified in the readiness gates have status equal to "True" More info: https://git.k8s.io/enhancements/keps/sig-network/580-pod-readiness-gates', 1),
    ],
    row(pod, now) {
      const spec = o(pod.spec);
      const status = o(pod.status);
      const sum = podSummary(pod, now);
      return [
        pod.metadata.name ?? '',
        sum.ready,
        sum.status,
        sum.restarts,
        translateTimestampSince(pod.metadata.creationTimestamp, now),
        podIP(status),
        s(spec.nodeName) || '<none>',
        s(status.nominatedNodeName) || '<none>',
        readinessGates(spec, status),
      ];
    },
    conditions(pod) {
      const phase = o(pod.status).phase;
      if (phase === 'Succeeded') return [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }];
      if (phase === 'Failed') return [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }];
      return undefined;
    },
  },
};
