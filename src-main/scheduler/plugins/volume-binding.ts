/**
 * VolumeBinding: a pod's PersistentVolumeClaims must exist; a bound claim's PV node affinity
 * must match the node; an unbound claim is fine when its StorageClass binds WaitForFirstConsumer
 * (the scheduler then writes `volume.kubernetes.io/selected-node` on it before binding the pod,
 * and the volume controller provisions for that node), and rejects the pod otherwise (`pod has
 * unbound immediate PersistentVolumeClaims`).
 */
import type { KubeObject } from '../../api/types';
import { asArray, asObject, isObject } from '../../api/types';
import { unresolvable, type CycleState, type FilterPlugin } from '../framework';
import { nodeSelectorMatches } from './node-selector';

export const VOLUME_BINDING = 'VolumeBinding';
export const ERR_UNBOUND_IMMEDIATE = 'pod has unbound immediate PersistentVolumeClaims';
export const ERR_NODE_CONFLICT = 'node(s) had volume node affinity conflict';
export const ERR_BIND_CONFLICT = "node(s) didn't find available persistent volumes to bind";
export const ERR_PV_NOT_EXIST = 'node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)';
export const SELECTED_NODE_ANNOTATION = 'volume.kubernetes.io/selected-node';

interface VolumeState {
  /** PV names of bound claims. */
  bound: string[];
  /** Unbound WaitForFirstConsumer claims (names) and their classes. */
  delayed: { claim: string; storageClass?: KubeObject }[];
}

const KEY = VOLUME_BINDING;

/** The claims the scheduler must mark with the selected node before binding the pod. */
export function claimsToProvision(state: CycleState): string[] {
  const s = state.data.get(KEY) as VolumeState | undefined;
  return s ? s.delayed.map((d) => d.claim) : [];
}

function topologyAllows(sc: KubeObject | undefined, labels: Record<string, string>): boolean {
  const terms = asArray(sc?.allowedTopologies);
  if (!terms.length) return true;
  return terms.some((t) =>
    asArray(asObject(t).matchLabelExpressions).every((e) => {
      const o = asObject(e);
      const v = labels[String(o.key ?? '')];
      return v !== undefined && asArray(o.values).map(String).includes(v);
    }),
  );
}

export const volumeBinding: FilterPlugin = {
  name: VOLUME_BINDING,
  preFilter(state) {
    const { pod, view } = state;
    if (!pod.pvcNames.length) return 'skip';
    const s: VolumeState = { bound: [], delayed: [] };
    for (const name of pod.pvcNames) {
      const pvc = view.pvc(pod.namespace, name);
      if (!pvc) return unresolvable(VOLUME_BINDING, `persistentvolumeclaim "${name}" not found`);
      if (pvc.metadata.deletionTimestamp) return unresolvable(VOLUME_BINDING, `persistentvolumeclaim "${name}" is being deleted`);
      const spec = asObject(pvc.spec);
      if (typeof spec.volumeName === 'string' && spec.volumeName) {
        s.bound.push(spec.volumeName);
        continue;
      }
      const className = typeof spec.storageClassName === 'string' ? spec.storageClassName : '';
      const sc = className ? view.storageClass(className) : undefined;
      if (sc?.volumeBindingMode === 'WaitForFirstConsumer') s.delayed.push({ claim: name, storageClass: sc });
      else return unresolvable(VOLUME_BINDING, ERR_UNBOUND_IMMEDIATE);
    }
    state.data.set(KEY, s);
    return undefined;
  },
  filter(state, node) {
    const s = state.data.get(KEY) as VolumeState;
    for (const pvName of s.bound) {
      const pv = state.view.pv(pvName);
      if (!pv) return unresolvable(VOLUME_BINDING, ERR_PV_NOT_EXIST);
      const required = asObject(asObject(pv.spec).nodeAffinity).required;
      if (isObject(required) && !nodeSelectorMatches(required, node)) return unresolvable(VOLUME_BINDING, ERR_NODE_CONFLICT);
    }
    for (const d of s.delayed) if (!topologyAllows(d.storageClass, node.labels)) return unresolvable(VOLUME_BINDING, ERR_BIND_CONFLICT);
    return undefined;
  },
};
