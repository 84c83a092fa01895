/**
 * policy/v1 PodDisruptionBudget: ValidatePodDisruptionBudget (minAvailable and maxUnavailable are
 * exclusive, int or percent ≤ 100%), the strategy (status reset, generation), and the
 * MIN AVAILABLE/MAX UNAVAILABLE/ALLOWED DISRUPTIONS table.
 */
import type { ResourceDef } from '../resource';
import type { KubeObject } from '../types';
import { asObject } from '../types';
import { fe, type FieldError } from '../field-errors';
import { translateTimestampSince } from '../printers';
import { validateLabelSelector, validateMetaFor } from '../core/validation/meta';
import { ageColumn, col, int, intOrStringText, nameColumn, nameOf } from '../apps/util/printing';
import { isNotMoreThan100Percent, nonNegative, validatePositiveIntOrPercent } from '../apps/util/validation';

const UNHEALTHY_POLICIES = ['AlwaysAllow', 'IfHealthyBudget'];
const set = (v: unknown) => v !== undefined && v !== null;

export function validatePDBSpec(specIn: unknown, path = 'spec'): FieldError[] {
  const spec = asObject(specIn);
  const errs: FieldError[] = [];
  if (set(spec.minAvailable) && set(spec.maxUnavailable)) errs.push(fe.invalid(path, specIn, 'minAvailable and maxUnavailable cannot be both set'));
  for (const f of ['minAvailable', 'maxUnavailable']) {
    if (!set(spec[f])) continue;
    errs.push(...validatePositiveIntOrPercent(spec[f], `${path}.${f}`));
    errs.push(...isNotMoreThan100Percent(spec[f], `${path}.${f}`));
  }
  errs.push(...validateLabelSelector(spec.selector, `${path}.selector`));
  if (set(spec.unhealthyPodEvictionPolicy) && !UNHEALTHY_POLICIES.includes(String(spec.unhealthyPodEvictionPolicy))) {
    errs.push(fe.notSupported(`${path}.unhealthyPodEvictionPolicy`, spec.unhealthyPodEvictionPolicy, UNHEALTHY_POLICIES));
  }
  return errs;
}

export function validatePDB(obj: KubeObject, old: KubeObject | undefined): FieldError[] {
  const errs = validateMetaFor(obj, old, { namespaced: true });
  errs.push(...validatePDBSpec(obj.spec));
  return errs;
}

export function validatePDBStatus(obj: KubeObject, old: KubeObject): FieldError[] {
  const errs = validateMetaFor(obj, old, { namespaced: true });
  const st = asObject(obj.status);
  for (const f of ['disruptionsAllowed', 'currentHealthy', 'desiredHealthy', 'expectedPods']) errs.push(...nonNegative(st[f], `status.${f}`));
  return errs;
}

export const podDisruptionBudgetsDef: ResourceDef = {
  group: 'policy',
  version: 'v1',
  kind: 'PodDisruptionBudget',
  plural: 'poddisruptionbudgets',
  singular: 'poddisruptionbudget',
  namespaced: true,
  shortNames: ['pdb'],
  subresources: ['status'],
  generation: true,
  prepareForCreate(obj) {
    // PodDisruptionBudgetStatus counters have no omitempty.
    obj.status = { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 };
  },
  validate: validatePDB,
  validateStatus: validatePDBStatus,
  table: {
    columns: [
      nameColumn(),
      col('Min Available', 'string', 'The minimum number of pods that must be available.'),
      col('Max Unavailable', 'string', 'The maximum number of pods that may be unavailable.'),
      col('Allowed Disruptions', 'integer', 'Calculated number of pods that may be disrupted at this time.'),
      ageColumn(),
    ],
    row(obj, now) {
      const spec = asObject(obj.spec);
      return [
        nameOf(obj),
        set(spec.minAvailable) ? intOrStringText(spec.minAvailable) : 'N/A',
        set(spec.maxUnavailable) ? intOrStringText(spec.maxUnavailable) : 'N/A',
        int(asObject(obj.status).disruptionsAllowed),
        translateTimestampSince(obj.metadata.creationTimestamp, now),
      ];
    },
  },
};
