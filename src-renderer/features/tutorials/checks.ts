/**
 * The tutorials' step checkers: pure tests over the objects of one namespace (what the shared
 * informers hold), e.g. "deployment kubia exists with image luksa/kubia:1.0", "its pods are
 * Running and ready", "service kubia is a LoadBalancer on 8080 with an external IP".
 */
import type { Check, ClusterState, Obj } from './types';

type Labels = Record<string, string>;

interface ContainerSpec {
  name?: string;
  image?: string;
  env?: { name: string; value?: string }[];
  livenessProbe?: { httpGet?: { port?: number | string; path?: string } };
}

const byName = (list: readonly Obj[], name: string) => list.find((o) => o.metadata.name === name && !o.metadata.deletionTimestamp);
const num = (v: unknown) => (typeof v === 'number' ? v : 0);

export function matches(labels: Labels | undefined, selector: Labels): boolean {
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

export function containersOf(o: Obj | undefined): ContainerSpec[] {
  const spec = o?.spec as { template?: { spec?: { containers?: ContainerSpec[] } }; containers?: ContainerSpec[] } | undefined;
  return spec?.template?.spec?.containers ?? spec?.containers ?? [];
}

/** Running, every container ready, not being deleted. */
export function podReady(p: Obj): boolean {
  if (p.metadata.deletionTimestamp) return false;
  const st = p.status as { phase?: string; conditions?: { type: string; status: string }[] } | undefined;
  return st?.phase === 'Running' && !!st.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
}

/** The pods a Deployment (or StatefulSet) selects. */
export function podsOf(s: ClusterState, workload: Obj | undefined): Obj[] {
  const sel = (workload?.spec as { selector?: { matchLabels?: Labels } } | undefined)?.selector?.matchLabels;
  if (!sel || !Object.keys(sel).length) return [];
  return s.pods.filter((p) => !p.metadata.deletionTimestamp && matches(p.metadata.labels, sel));
}

/** The Deployment has rolled out: the controller saw its last change and every replica is updated and ready. */
export function rolledOut(d: Obj): boolean {
  const spec = d.spec as { replicas?: number } | undefined;
  const st = d.status as { observedGeneration?: number; replicas?: number; updatedReplicas?: number; readyReplicas?: number; availableReplicas?: number } | undefined;
  const want = spec?.replicas ?? 1;
  return num(st?.observedGeneration) >= num(d.metadata.generation) && num(st?.updatedReplicas) === want && num(st?.readyReplicas) === want && num(st?.replicas) === want && num(st?.availableReplicas) === want;
}

export function deploymentExists(name: string, image?: string): Check {
  return {
    expect: image ? `Deployment ${name} exists, running ${image}` : `Deployment ${name} exists`,
    needs: ['deployments'],
    test: (s) => {
      const d = byName(s.deployments, name);
      return !!d && (!image || containersOf(d).some((c) => c.image === image));
    },
  };
}

/** spec.replicas is `replicas` and that many are ready and available (READY n/n). */
export function deploymentReady(name: string, replicas: number): Check {
  return {
    expect: `Deployment ${name} shows READY ${replicas}/${replicas}`,
    needs: ['deployments'],
    test: (s) => {
      const d = byName(s.deployments, name);
      return !!d && (d.spec as { replicas?: number }).replicas === replicas && rolledOut(d);
    },
  };
}

/** At least `count` pods of the Deployment are Running and ready. */
export function deploymentPodsRunning(name: string, count: number): Check {
  return {
    expect: `${count === 1 ? 'The pod' : `${count} pods`} of ${name} Running and ready`,
    needs: ['deployments', 'pods'],
    test: (s) => podsOf(s, byName(s.deployments, name)).filter(podReady).length >= count,
  };
}

/** The Deployment runs `image` everywhere: rolled out with it. */
export function deploymentImage(name: string, image: string, minRevision = 0): Check {
  return {
    expect: `Deployment ${name} rolled out with ${image}`,
    needs: ['deployments'],
    test: (s) => {
      const d = byName(s.deployments, name);
      const rev = Number(d?.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0);
      return !!d && containersOf(d).some((c) => c.image === image) && rolledOut(d) && rev >= minRevision;
    },
  };
}

/** Any condition on the Deployment object, rolled out. */
export function deploymentWhere(name: string, expect: string, pred: (d: Obj) => boolean): Check {
  return {
    expect,
    needs: ['deployments'],
    test: (s) => {
      const d = byName(s.deployments, name);
      return !!d && pred(d) && rolledOut(d);
    },
  };
}

/** Pods of the Deployment were created at least `gapMs` apart, all replicas ready: one was replaced. */
export function deploymentPodReplaced(name: string, gapMs = 5000): Check {
  return {
    expect: `A deleted pod of ${name} replaced by a new one`,
    needs: ['deployments', 'pods'],
    test: (s) => {
      const d = byName(s.deployments, name);
      if (!d || !rolledOut(d)) return false;
      const times = podsOf(s, d)
        .filter(podReady)
        .map((p) => Date.parse(p.metadata.creationTimestamp ?? ''))
        .filter((t) => !Number.isNaN(t));
      return times.length >= 2 && Math.max(...times) - Math.min(...times) >= gapMs;
    },
  };
}

/** At least `count` ReplicaSets belong to the Deployment (an old one stays after an update). */
export function replicaSetsOf(name: string, count: number): Check {
  return {
    expect: `Deployment ${name} owns ${count} ReplicaSets`,
    needs: ['replicasets'],
    test: (s) => s.replicasets.filter((r) => r.metadata.ownerReferences?.some((o) => o.kind === 'Deployment' && o.name === name)).length >= count,
  };
}

export function deploymentGone(name: string): Check {
  return { expect: `Deployment ${name} deleted`, needs: ['deployments'], test: (s) => !byName(s.deployments, name) };
}

/** The pod is Running and ready (and, when given, has these labels / this many containers). */
export function podRunning(name: string, opts: { labels?: Labels; containers?: number; pred?: (p: Obj) => boolean } = {}): Check {
  return {
    expect: `Pod ${name} Running${opts.containers ? ` with ${opts.containers} containers` : ''}`,
    needs: ['pods'],
    test: (s) => {
      const p = byName(s.pods, name);
      return !!p && podReady(p) && (!opts.labels || matches(p.metadata.labels, opts.labels)) && (!opts.containers || containersOf(p).length === opts.containers) && (!opts.pred || opts.pred(p));
    },
  };
}

export function podGone(name: string): Check {
  return { expect: `Pod ${name} deleted`, needs: ['pods'], test: (s) => !s.pods.some((p) => p.metadata.name === name) };
}

/** At least `count` pods with these labels Running and ready. */
export function labelledPodsRunning(labels: Labels, count: number): Check {
  const sel = Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  return { expect: `${count} pod${count === 1 ? '' : 's'} labelled ${sel} Running`, needs: ['pods'], test: (s) => s.pods.filter((p) => podReady(p) && matches(p.metadata.labels, labels)).length >= count };
}

interface ServiceSpec {
  type?: string;
  ports?: { port: number; targetPort?: number | string; nodePort?: number }[];
}

/** The Service exists (with this type, port, node port, target port when given). */
export function serviceExposed(name: string, want: { type?: string; port?: number; nodePort?: number; targetPort?: number | string } = {}): Check {
  const parts = [want.type ?? 'Service', name, want.port ? `on port ${want.port}` : '', want.nodePort ? `node port ${want.nodePort}` : ''].filter(Boolean);
  return {
    expect: `${parts.join(' ')} exists`,
    needs: ['services'],
    test: (s) => {
      const svc = byName(s.services, name);
      const spec = svc?.spec as ServiceSpec | undefined;
      if (!spec) return false;
      if (want.type && (spec.type ?? 'ClusterIP') !== want.type) return false;
      const ports = spec.ports ?? [];
      return ports.some((p) => (!want.port || p.port === want.port) && (!want.nodePort || p.nodePort === want.nodePort) && (want.targetPort === undefined || String(p.targetPort ?? p.port) === String(want.targetPort)));
    },
  };
}

/** A LoadBalancer Service got its external address (status.loadBalancer.ingress). */
export function serviceHasExternalIp(name: string): Check {
  return {
    expect: `Service ${name} has an EXTERNAL-IP`,
    needs: ['services'],
    test: (s) => {
      const st = byName(s.services, name)?.status as { loadBalancer?: { ingress?: unknown[] } } | undefined;
      return (st?.loadBalancer?.ingress?.length ?? 0) > 0;
    },
  };
}

export function pvcPhase(name: string, phase?: 'Bound'): Check {
  return {
    expect: phase ? `PersistentVolumeClaim ${name} Bound` : `PersistentVolumeClaim ${name} exists`,
    needs: ['persistentvolumeclaims'],
    test: (s) => {
      const c = byName(s.persistentvolumeclaims, name);
      return !!c && (!phase || (c.status as { phase?: string } | undefined)?.phase === phase);
    },
  };
}

export function statefulSetReady(name: string, replicas: number): Check {
  return {
    expect: `StatefulSet ${name} shows READY ${replicas}/${replicas}`,
    needs: ['statefulsets'],
    test: (s) => {
      const st = byName(s.statefulsets, name)?.status as { readyReplicas?: number } | undefined;
      return num(st?.readyReplicas) >= replicas;
    },
  };
}

/** Every check holds. */
export function all(...checks: Check[]): Check {
  return { expect: checks.map((c) => c.expect).join('; '), needs: [...new Set(checks.flatMap((c) => c.needs))], test: (s) => checks.every((c) => c.test(s)) };
}

export function serviceGone(name: string): Check {
  return { expect: `Service ${name} deleted`, needs: ['services'], test: (s) => !byName(s.services, name) };
}
