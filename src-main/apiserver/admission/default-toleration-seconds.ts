/**
 * DefaultTolerationSeconds admission (plugin/pkg/admission/defaulttolerationseconds): a new pod
 * that does not tolerate the `node.kubernetes.io/not-ready` and `node.kubernetes.io/unreachable`
 * NoExecute taints gets tolerations for them (operator Exists, tolerationSeconds 300), so its
 * pods are evicted five minutes after their node goes NotReady or unreachable.
 */
import type { AdmissionPlugin } from '../context';

export const NOT_READY_TAINT = 'node.kubernetes.io/not-ready';
export const UNREACHABLE_TAINT = 'node.kubernetes.io/unreachable';
export const DEFAULT_TOLERATION_SECONDS = 300;

interface Toleration {
  key?: string;
  effect?: string;
}

/** A toleration covering the key's NoExecute taint: same key or no key, NoExecute or no effect. */
function tolerates(tolerations: Toleration[], key: string): boolean {
  return tolerations.some((t) => (t.key === key || !t.key) && (t.effect === 'NoExecute' || !t.effect));
}

export const defaultTolerationSeconds: AdmissionPlugin = {
  name: 'DefaultTolerationSeconds',
  admit(a) {
    if (a.operation !== 'CREATE' || a.subresource !== '' || a.def.group !== '' || a.def.plural !== 'pods' || !a.object) return;
    const spec = (a.object.spec ?? {}) as { tolerations?: Toleration[] | null };
    if (typeof spec !== 'object') return;
    const tolerations = Array.isArray(spec.tolerations) ? [...spec.tolerations] : [];
    const add = (key: string) => tolerations.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: DEFAULT_TOLERATION_SECONDS } as Toleration);
    let changed = false;
    if (!tolerates(tolerations, NOT_READY_TAINT)) {
      add(NOT_READY_TAINT);
      changed = true;
    }
    if (!tolerates(tolerations, UNREACHABLE_TAINT)) {
      add(UNREACHABLE_TAINT);
      changed = true;
    }
    if (changed) {
      spec.tolerations = tolerations;
      a.object.spec = spec;
    }
  },
};
