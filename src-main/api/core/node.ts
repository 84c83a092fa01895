/**
 * Nodes (core/v1, cluster-scoped): allocatable defaults to capacity, taint validation,
 * `spec.unschedulable` field selector, and the `kubectl get nodes` table (STATUS, ROLES, ...).
 */
import { fe, type FieldError } from '../field-errors';
import { translateTimestampSince } from '../printers';
import type { ResourceDef } from '../resource';
import type { KubeObject } from '../types';
import { isObject } from '../types';
import { AGE_COLUMN, NAME_COLUMN, col, list, o, s } from './common';
import { validateLabelName, validateObjectMeta, validateObjectMetaUpdate } from './validation/meta';
import { isValidLabelValue } from './validation/names';
import { validateResourceList } from './pod-spec';

const TAINT_EFFECTS = ['NoExecute', 'NoSchedule', 'PreferNoSchedule'];
const ROLE_PREFIX = 'node-role.kubernetes.io/';
const ROLE_LABEL = 'kubernetes.io/role';

/** Status carried from default() to prepareForCreate(): upstream keeps a node's status on create. */
const createStatus = new WeakMap<KubeObject, unknown>();

export function validateTaints(taints: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  list(taints).forEach((t, i) => {
    const ip = `${path}[${i}]`;
    errs.push(...validateLabelName(s(t.key), `${ip}.key`));
    if (t.value !== undefined) for (const m of isValidLabelValue(s(t.value))) errs.push(fe.invalid(`${ip}.value`, t.value, m));
    if (!t.effect) errs.push(fe.required(`${ip}.effect`, ''));
    else if (!TAINT_EFFECTS.includes(s(t.effect))) errs.push(fe.notSupported(`${ip}.effect`, t.effect, TAINT_EFFECTS));
    const key = `${s(t.key)}/${s(t.effect)}`;
    if (seen.has(key)) errs.push({ type: 'FieldValueDuplicate', field: ip, badValue: t, detail: 'taints must be unique by key and effect pair' });
    seen.add(key);
  });
  return errs;
}

/** STATUS: Ready / NotReady / Unknown, plus SchedulingDisabled. */
export function nodeStatusText(node: KubeObject): string {
  const out: string[] = [];
  const ready = list(o(node.status).conditions).find((c) => c.type === 'Ready');
  if (ready) out.push(ready.status === 'True' ? 'Ready' : 'NotReady');
  else out.push('Unknown');
  if (o(node.spec).unschedulable === true) out.push('SchedulingDisabled');
  return out.join(',');
}

export function nodeRoles(node: KubeObject): string[] {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(node.metadata.labels ?? {})) {
    if (k.startsWith(ROLE_PREFIX)) {
      const role = k.slice(ROLE_PREFIX.length);
      if (role) roles.add(role);
    } else if (k === ROLE_LABEL && v) roles.add(v);
  }
  return [...roles].sort();
}

function address(node: KubeObject, type: string): string {
  const a = list(o(node.status).addresses).find((x) => x.type === type);
  return a ? s(a.address) : '<none>';
}

export const nodesDef: ResourceDef = {
  group: '',
  version: 'v1',
  kind: 'Node',
  plural: 'nodes',
  singular: 'node',
  namespaced: false,
  shortNames: ['no'],
  subresources: ['status', 'proxy'],

  default(obj) {
    if (isObject(obj.status)) {
      const st = obj.status;
      if (st.allocatable === undefined && isObject(st.capacity)) st.allocatable = { ...st.capacity };
      createStatus.set(obj, structuredClone(st));
    }
  },

  prepareForCreate(obj) {
    // nodeStrategy keeps the status a kubelet registers with.
    const st = createStatus.get(obj);
    if (st !== undefined) obj.status = st;
    createStatus.delete(obj);
  },

  validate(obj, old) {
    const errs = old ? validateObjectMetaUpdate(obj.metadata, old.metadata) : validateObjectMeta(obj.metadata, { namespaced: false });
    const spec = o(obj.spec);
    errs.push(...validateTaints(spec.taints, 'spec.taints'));
    if (old) {
      const oldCIDRs = o(old.spec).podCIDRs;
      if (Array.isArray(oldCIDRs) && oldCIDRs.length > 0 && JSON.stringify(spec.podCIDRs ?? []) !== JSON.stringify(oldCIDRs)) {
        errs.push(fe.forbidden('spec.podCIDRs', 'node updates may not change podCIDR except from "" to valid'));
      }
    }
    return errs;
  },

  validateStatus(obj, old) {
    const errs = validateObjectMetaUpdate(obj.metadata, old.metadata);
    const st = o(obj.status);
    errs.push(...validateResourceList(st.capacity, 'status.capacity'));
    errs.push(...validateResourceList(st.allocatable, 'status.allocatable'));
    return errs;
  },

  fieldSelectors: {
    'spec.unschedulable': (node) => String(o(node.spec).unschedulable === true),
  },

  table: {
    columns: [
      NAME_COLUMN,
      col('Status', 'The status of the node'),
      col('Roles', 'The roles of the node'),
      AGE_COLUMN,
      col('Version', 'Kubelet Version reported by the node.'),
      col('Internal-IP', 'List of addresses reachable to the node. Queried from cloud provider, if available. More info: https://kubernetes.io/docs/reference/node/node-status/#addresses', 1),
      col('External-IP', 'List of addresses reachable to the node. Queried from cloud provider, if available. More info: https://kubernetes.io/docs/reference/node/node-status/#addresses', 1),
      col('OS-Image', 'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).', 1),
      col('Kernel-Version', "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", 1),
      col('Container-Runtime', 'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).', 1),
    ],
    row(node, now) {
      const info = o(o(node.status).nodeInfo);
      const roles = nodeRoles(node);
      return [
        node.metadata.name ?? '',
        nodeStatusText(node),
        roles.length ? roles.join(',') : '<none>',
        translateTimestampSince(node.metadata.creationTimestamp, now),
        s(info.kubeletVersion),
        address(node, 'InternalIP'),
        address(node, 'ExternalIP'),
        s(info.osImage) || '<unknown>',
        s(info.kernelVersion) || '<unknown>',
        s(info.containerRuntimeVersion) || '<unknown>',
      ];
    },
  },
};
