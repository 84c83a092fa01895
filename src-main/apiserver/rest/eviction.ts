/**
 * POST pods/{name}/eviction (policy/v1 Eviction), as upstream's EvictionREST:
 *
 * - pods that are terminal, Pending or already being deleted are deleted without asking any
 *   budget;
 * - otherwise the one PodDisruptionBudget selecting the pod (more than one → 500) must allow it:
 *   a budget the disruption controller has not processed yet, or with `disruptionsAllowed: 0`,
 *   answers 429 `Cannot evict pod as it would violate the pod's disruption budget.` (kubectl drain
 *   retries); an allowed eviction decrements `disruptionsAllowed` and records the pod in
 *   `disruptedPods` in the same step, so two evictions never spend one disruption;
 * - an unhealthy (not Ready) pod may go when the budget is met (IfHealthyBudget, the default) or
 *   always (AlwaysAllow);
 * - the pod gets the `DisruptionTarget` condition, then is deleted with the Eviction's
 *   deleteOptions.
 */
import type { ResourceDef } from '../../api/resource';
import type { KubeObject } from '../../api/types';
import { isObject } from '../../api/types';
import { StatusError, badRequest, notFound } from '../../api/errors';
import { labelSelectorFromObject } from '../../api/selectors/labels';
import type { ServerContext } from '../context';
import { readCurrent, updateObject, deleteObject, type DeleteOptions } from './write';
import type { WriteOptions } from './options';
import { rfc3339 } from './meta';
import { listObjects } from './read';

/** Evictions recorded but not yet confirmed by the disruption controller, at most. */
const MAX_DISRUPTED_PODS = 2000;

interface PdbStatus {
  observedGeneration?: number;
  disruptionsAllowed?: number;
  currentHealthy?: number;
  desiredHealthy?: number;
  disruptedPods?: Record<string, string>;
  conditions?: Record<string, unknown>[];
}

function violation(causeMessage: string): StatusError {
  return new StatusError(429, 'TooManyRequests', "Cannot evict pod as it would violate the pod's disruption budget.", {
    causes: [{ reason: 'DisruptionBudget', message: causeMessage }],
  });
}

function podReady(pod: KubeObject): boolean {
  const conds = ((pod.status ?? {}) as { conditions?: { type: string; status: string }[] }).conditions ?? [];
  return conds.some((c) => c.type === 'Ready' && c.status === 'True');
}

function canIgnorePDB(pod: KubeObject): boolean {
  const phase = ((pod.status ?? {}) as { phase?: string }).phase;
  return phase === 'Succeeded' || phase === 'Failed' || phase === 'Pending' || !!pod.metadata.deletionTimestamp;
}

function deleteOptionsOf(body: unknown): DeleteOptions {
  if (!isObject(body) || !isObject(body.deleteOptions)) return {};
  const d = body.deleteOptions as Record<string, unknown>;
  const out: DeleteOptions = {};
  if (typeof d.gracePeriodSeconds === 'number') out.gracePeriodSeconds = d.gracePeriodSeconds;
  if (isObject(d.preconditions)) out.preconditions = d.preconditions as DeleteOptions['preconditions'];
  if (d.propagationPolicy === 'Orphan' || d.propagationPolicy === 'Background' || d.propagationPolicy === 'Foreground') out.propagationPolicy = d.propagationPolicy;
  return out;
}

/** The budgets whose selector matches the pod (a budget without selector matches nothing; an empty one everything). */
function budgetsFor(ctx: ServerContext, pod: KubeObject, ns: string): { def: ResourceDef; pdb: KubeObject }[] {
  const def = ctx.registry.get('policy', 'v1', 'poddisruptionbudgets');
  if (!def) return [];
  const labels = pod.metadata.labels ?? {};
  return listObjects(ctx, def, ns, new URLSearchParams())
    .items.filter((pdb) => {
      const sel = ((pdb.spec ?? {}) as { selector?: unknown }).selector;
      return sel !== undefined && sel !== null && labelSelectorFromObject(sel).matches(labels);
    })
    .map((pdb) => ({ def, pdb }));
}

/** checkAndDecrement: one disruption spent, the pod recorded; throws the 429 when none is left. */
function spendDisruption(ctx: ServerContext, def: ResourceDef, ns: string, podName: string, pdbName: string, opts: WriteOptions): void {
  updateObject(
    ctx,
    def,
    ns,
    pdbName,
    {
      subresource: 'status',
      skipFieldCheck: true,
      mutate: (pdb) => {
        const st = (pdb.status ?? {}) as PdbStatus;
        if ((st.observedGeneration ?? 0) < (pdb.metadata.generation ?? 1)) throw violation(`The disruption budget ${pdbName} is still being processed by the server.`);
        const allowed = st.disruptionsAllowed ?? 0;
        if (allowed < 0) throw new StatusError(403, 'Forbidden', 'pdb disruptions allowed is negative');
        if (Object.keys(st.disruptedPods ?? {}).length >= MAX_DISRUPTED_PODS) throw new StatusError(403, 'Forbidden', 'DisruptedPods map too big - too many evictions not confirmed by PDB controller');
        if (allowed === 0) throw violation(`The disruption budget ${pdbName} needs ${st.desiredHealthy ?? 0} healthy pods and has ${st.currentHealthy ?? 0} currently`);
        st.disruptionsAllowed = allowed - 1;
        if (st.disruptionsAllowed === 0) {
          const now = rfc3339(ctx.now());
          const prev = (st.conditions ?? []).find((c) => c.type === 'DisruptionAllowed');
          const cond = { type: 'DisruptionAllowed', status: 'False', observedGeneration: st.observedGeneration, lastTransitionTime: prev?.status === 'False' ? prev.lastTransitionTime : now, reason: 'InsufficientPods', message: '' };
          st.conditions = [...(st.conditions ?? []).filter((c) => c.type !== 'DisruptionAllowed'), cond];
        }
        st.disruptedPods = { ...(st.disruptedPods ?? {}), [podName]: rfc3339(ctx.now()) };
        pdb.status = st;
        return pdb;
      },
    },
    opts,
  );
}

/** The DisruptionTarget condition upstream puts on an evicted pod before deleting it. */
function markDisruptionTarget(ctx: ServerContext, def: ResourceDef, ns: string, name: string, opts: WriteOptions): void {
  updateObject(
    ctx,
    def,
    ns,
    name,
    {
      subresource: 'status',
      skipFieldCheck: true,
      mutate: (pod) => {
        const status = (pod.status ?? {}) as { conditions?: Record<string, unknown>[] };
        const conds = (status.conditions ?? []).filter((c) => c.type !== 'DisruptionTarget');
        conds.push({ type: 'DisruptionTarget', status: 'True', lastProbeTime: null, lastTransitionTime: rfc3339(ctx.now()), reason: 'EvictionByEvictionAPI', message: 'Eviction API: evicting' });
        status.conditions = conds;
        pod.status = status;
        return pod;
      },
    },
    opts,
  );
}

export function evictPod(ctx: ServerContext, def: ResourceDef, ns: string, name: string, body: unknown, opts: WriteOptions): unknown {
  if (body !== undefined && body !== null && !isObject(body)) throw badRequest('the body of the request is not an Eviction object');
  const cur = readCurrent(ctx, def, ns, name);
  if (!cur) throw notFound('', 'pods', name);
  const pod = cur.object;
  const dopts = deleteOptionsOf(body);
  if (!canIgnorePDB(pod)) {
    const budgets = budgetsFor(ctx, pod, ns);
    if (budgets.length > 1) throw new StatusError(500, 'InternalError', 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.');
    if (budgets.length === 1) {
      const { def: pdbDef, pdb } = budgets[0];
      const st = (pdb.status ?? {}) as PdbStatus;
      const policy = ((pdb.spec ?? {}) as { unhealthyPodEvictionPolicy?: string }).unhealthyPodEvictionPolicy;
      const unhealthyMayGo = !podReady(pod) && (policy === 'AlwaysAllow' || ((st.currentHealthy ?? 0) >= (st.desiredHealthy ?? 0) && (st.desiredHealthy ?? 0) > 0));
      if (!unhealthyMayGo) spendDisruption(ctx, pdbDef, ns, name, pdb.metadata.name!, opts);
    }
  }
  if (!opts.dryRun && !pod.metadata.deletionTimestamp) markDisruptionTarget(ctx, def, ns, name, opts);
  deleteObject(ctx, def, ns, name, dopts, opts);
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 };
}
