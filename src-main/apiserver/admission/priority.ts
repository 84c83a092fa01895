/**
 * Priority admission (plugin/pkg/admission/priority): a new pod's spec.priorityClassName is
 * resolved to spec.priority and spec.preemptionPolicy (a pod without a class gets the global
 * default class, the one with the lowest value if several claim it); an unknown class is
 * Forbidden. For PriorityClasses: only one may be the global default, and the built-in system
 * classes cannot be deleted.
 */
import { forbidden } from '../../api/errors';
import type { KubeObject } from '../../api/types';
import { admitPriority } from '../../api/core/pod';
import { isObject } from '../../api/types';
import { SYSTEM_PRIORITY_CLASSES } from '../../api/scheduling/priorityclass';
import type { AdmissionAttributes, AdmissionPlugin, ServerContext } from '../context';
import { keyFor, prefixFor } from '../storage-keys';

const GROUP = 'scheduling.k8s.io';
const PLURAL = 'priorityclasses';

function classDef(ctx: ServerContext) {
  return ctx.registry.get(GROUP, 'v1', PLURAL);
}

function getClass(ctx: ServerContext, name: string): KubeObject | undefined {
  const def = classDef(ctx);
  return def ? ctx.store.get(keyFor(def, '', name))?.object : undefined;
}

/** The default class found per store, valid while nothing under the classes' prefix was written. */
const defaultCache = new WeakMap<object, { rev: number; pc: KubeObject | undefined }>();

/** The global default class: the lowest value among those marked globalDefault. */
export function defaultPriorityClass(ctx: ServerContext): KubeObject | undefined {
  const def = classDef(ctx);
  if (!def) return undefined;
  // Every pod create asks; the classes rarely change.
  const rev = ctx.store.lastWriteUnder?.(prefixFor(def, ''));
  const cached = defaultCache.get(ctx.store);
  if (rev !== undefined && cached?.rev === rev) return cached.pc;
  const pc = findDefaultClass(ctx, def);
  if (rev !== undefined) defaultCache.set(ctx.store, { rev, pc });
  return pc;
}

function findDefaultClass(ctx: ServerContext, def: NonNullable<ReturnType<typeof classDef>>): KubeObject | undefined {
  let best: KubeObject | undefined;
  for (const s of ctx.store.list(prefixFor(def, '')).items) {
    const pc = s.object;
    if (pc.globalDefault !== true) continue;
    if (!best || num(pc.value) < num(best.value)) best = pc;
  }
  return best;
}

function num(v: unknown): number {
  return typeof v === 'number' ? v : 0;
}

function admitPod(a: AdmissionAttributes, ctx: ServerContext): void {
  const pod = a.object;
  if (!pod || a.subresource !== '') return;
  const spec = (isObject(pod.spec) ? pod.spec : (pod.spec = {})) as Record<string, unknown>;
  if (a.operation === 'UPDATE') {
    const oldSpec = (a.old?.spec ?? {}) as Record<string, unknown>;
    if (spec.priority === undefined && oldSpec.priority !== undefined) spec.priority = oldSpec.priority;
    if (spec.preemptionPolicy === undefined && oldSpec.preemptionPolicy !== undefined) spec.preemptionPolicy = oldSpec.preemptionPolicy;
    return;
  }
  if (a.operation !== 'CREATE') return;
  // No class or a system class: known without a lookup (priority 0 / the system values).
  admitPriority(pod);
  const className = typeof spec.priorityClassName === 'string' ? spec.priorityClassName : '';
  let priority = 0;
  let policy: unknown;
  if (className === '') {
    const dpc = defaultPriorityClass(ctx);
    if (!dpc) return; // priority 0, PreemptLowerPriority: set just above
    // admitPriority filled in priority 0 and PreemptLowerPriority; the default class decides.
    if (spec.priority === 0) delete spec.priority;
    if (spec.preemptionPolicy === 'PreemptLowerPriority') delete spec.preemptionPolicy;
    spec.priorityClassName = dpc.metadata.name;
    priority = num(dpc.value);
    policy = dpc.preemptionPolicy;
  } else {
    const pc = getClass(ctx, className);
    if (!pc) throw forbidden('', 'pods', a.name, `no PriorityClass with name ${className} was found`);
    priority = num(pc.value);
    policy = pc.preemptionPolicy;
  }
  if (typeof spec.priority === 'number' && spec.priority !== priority) {
    throw forbidden('', 'pods', a.name, `the integer value of priority (${spec.priority}) must not be provided in pod spec; priority admission controller computed ${priority} from the given PriorityClass name`);
  }
  spec.priority = priority;
  if (typeof policy === 'string' && policy) {
    if (typeof spec.preemptionPolicy === 'string' && spec.preemptionPolicy && spec.preemptionPolicy !== policy) {
      throw forbidden('', 'pods', a.name, `the string value of PreemptionPolicy (${spec.preemptionPolicy}) must not be provided in pod spec; priority admission controller computed ${policy} from the given PriorityClass name`);
    }
    spec.preemptionPolicy = policy;
  } else if (!spec.preemptionPolicy) {
    spec.preemptionPolicy = 'PreemptLowerPriority';
  }
}

function validateClass(a: AdmissionAttributes, ctx: ServerContext): void {
  if (a.operation === 'DELETE') {
    if (SYSTEM_PRIORITY_CLASSES.some((c) => c.name === a.name)) throw forbidden(GROUP, PLURAL, a.name, 'this is a system priority class and cannot be deleted');
    return;
  }
  const pc = a.object;
  if (!pc || pc.globalDefault !== true) return;
  const dpc = defaultPriorityClass(ctx);
  if (!dpc) return;
  if (a.operation === 'CREATE' || dpc.metadata.name !== pc.metadata.name) {
    throw forbidden(GROUP, PLURAL, a.name, `PriorityClass ${dpc.metadata.name} is already marked as default. Only one default can exist`);
  }
}

export const priorityAdmission: AdmissionPlugin = {
  name: 'Priority',
  admit(a, ctx) {
    if (a.def.group === '' && a.def.plural === 'pods') admitPod(a, ctx);
  },
  validate(a, ctx) {
    if (a.def.group === GROUP && a.def.plural === PLURAL) validateClass(a, ctx);
  },
};
