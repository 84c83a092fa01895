/**
 * scheduling.k8s.io/v1 PriorityClass: defaults (preemptionPolicy PreemptLowerPriority),
 * ValidatePriorityClass(Update) with upstream messages (the `system-` prefix is reserved for the
 * two built-in classes, user values at most 1e9, value and preemptionPolicy immutable) and the
 * kubectl table NAME, VALUE, GLOBAL-DEFAULT, AGE, PREEMPTIONPOLICY.
 */
import type { ResourceDef } from '../resource';
import type { KubeObject } from '../types';
import { fe, type FieldError } from '../field-errors';
import { translateTimestampSince } from '../printers';
import { validateMetaFor } from '../core/validation/meta';
import { ageColumn, col, nameColumn, nameOf } from '../apps/util/printing';

export const SYSTEM_PRIORITY_CLASS_PREFIX = 'system-';
export const HIGHEST_USER_DEFINABLE_PRIORITY = 1_000_000_000;
export const SYSTEM_CRITICAL_PRIORITY = 2 * HIGHEST_USER_DEFINABLE_PRIORITY;

/** The classes every cluster has (scheduling.SystemPriorityClasses). */
export const SYSTEM_PRIORITY_CLASSES: readonly { name: string; value: number; description: string }[] = [
  { name: 'system-node-critical', value: SYSTEM_CRITICAL_PRIORITY + 1000, description: 'Used for system critical pods that must not be moved from their current node.' },
  { name: 'system-cluster-critical', value: SYSTEM_CRITICAL_PRIORITY, description: 'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.' },
];

const PREEMPTION_POLICIES = ['Never', 'PreemptLowerPriority'];

export function defaultPriorityClass(obj: KubeObject): void {
  if (obj.preemptionPolicy === undefined || obj.preemptionPolicy === null) obj.preemptionPolicy = 'PreemptLowerPriority';
}

/** scheduling.IsKnownSystemPriorityClass: the reason a `system-` class is not one, or undefined. */
export function systemClassError(name: string, value: unknown, globalDefault: unknown): string | undefined {
  const known = SYSTEM_PRIORITY_CLASSES.find((c) => c.name === name);
  if (!known) return `${name} is not a known system priority class`;
  if (value !== known.value) return `value of ${name} PriorityClass must be ${known.value}`;
  if (globalDefault === true) return `globalDefault of ${name} PriorityClass must be false`;
  return undefined;
}

export function validatePriorityClass(obj: KubeObject, old: KubeObject | undefined): FieldError[] {
  const errs = validateMetaFor(obj, old, { namespaced: false });
  if (old) {
    if (obj.value !== old.value) errs.push(fe.forbidden('value', 'may not be changed in an update.'));
    if (obj.preemptionPolicy !== old.preemptionPolicy) errs.push(fe.invalid('preemptionPolicy', obj.preemptionPolicy, 'field is immutable'));
    return errs;
  }
  const name = obj.metadata.name ?? '';
  if (obj.value !== undefined && (typeof obj.value !== 'number' || !Number.isInteger(obj.value))) errs.push(fe.invalid('value', obj.value, 'must be an integer'));
  if (name.startsWith(SYSTEM_PRIORITY_CLASS_PREFIX)) {
    const why = systemClassError(name, obj.value ?? 0, obj.globalDefault);
    if (why) errs.push(fe.forbidden('metadata.name', `priority class names with '${SYSTEM_PRIORITY_CLASS_PREFIX}' prefix are reserved for system use only. error: ${why}`));
  } else if (typeof obj.value === 'number' && obj.value > HIGHEST_USER_DEFINABLE_PRIORITY) {
    errs.push(fe.forbidden('value', `maximum allowed value of a user defined priority is ${HIGHEST_USER_DEFINABLE_PRIORITY}`));
  }
  if (obj.preemptionPolicy !== undefined && !PREEMPTION_POLICIES.includes(String(obj.preemptionPolicy))) {
    errs.push(fe.notSupported('preemptionPolicy', obj.preemptionPolicy, PREEMPTION_POLICIES));
  }
  return errs;
}

export const priorityClassesDef: ResourceDef = {
  group: 'scheduling.k8s.io',
  version: 'v1',
  kind: 'PriorityClass',
  plural: 'priorityclasses',
  singular: 'priorityclass',
  namespaced: false,
  shortNames: ['pc'],
  default: defaultPriorityClass,
  validate: validatePriorityClass,
  table: {
    columns: [
      nameColumn(),
      col('Value', 'integer', 'value represents the integer value of this priority class. This is the actual priority that pods receive when they have the name of this class in their pod spec.'),
      col('Global-Default', 'boolean', 'globalDefault specifies whether this PriorityClass should be considered as the default priority for pods that do not have any priority class. Only one PriorityClass can be marked as `globalDefault`. However, if more than one PriorityClasses exists with their `globalDefault` field set to true, the smallest value of such global default PriorityClasses will be used as the default priority.'),
      ageColumn(),
      col('PreemptionPolicy', 'string', 'preemptionPolicy is the Policy for preempting pods with lower priority. One of Never, PreemptLowerPriority. Defaults to PreemptLowerPriority if unset.'),
    ],
    row(obj, now) {
      return [
        nameOf(obj),
        typeof obj.value === 'number' ? obj.value : 0,
        obj.globalDefault === true,
        translateTimestampSince(obj.metadata.creationTimestamp, now),
        typeof obj.preemptionPolicy === 'string' ? obj.preemptionPolicy : '',
      ];
    },
  },
};
