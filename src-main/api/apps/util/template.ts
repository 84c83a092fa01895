/**
 * The pod template embedded in workloads: defaulting and validation come from core
 * (`defaultPodTemplateSpec`, `validatePodTemplateSpec`); this adds the selector checks the
 * workload validations share.
 */
import { fe, type FieldError } from '../../field-errors';
import { asObject, isObject } from '../../types';
import { labelSelectorIsEmpty, labelSelectorMatches, validateLabelSelector } from '../../core/validation/meta';
import { defaultPodTemplateSpec, validatePodTemplateSpec } from '../../core/pod-spec';
import { labelSelectorString } from './selector-format';

export { defaultPodTemplateSpec, validatePodTemplateSpec };

/** Template labels as a map (for messages and matching). */
export function templateLabels(template: unknown): Record<string, string> | undefined {
  const l = asObject(asObject(template).metadata).labels;
  return isObject(l) ? (l as Record<string, string>) : undefined;
}

/**
 * The selector part of ValidateDeploymentSpec / ValidateReplicaSetSpec / ValidateStatefulSetSpec /
 * ValidateDaemonSetSpec: `spec.selector: Required value`, the selector's own syntax,
 * `empty selector is invalid for <kind>`, and
 * `spec.template.metadata.labels: Invalid value: …: `selector` does not match template `labels``.
 * A missing selector converts to labels.Nothing(), which matches no labels, so upstream reports the
 * mismatch as well as the Required error.
 */
export function validateSelectorAndTemplate(
  spec: Record<string, unknown>,
  path: string,
  kindWord: string,
  opts: { required?: boolean; invalidDetail?: string } = {},
): FieldError[] {
  const errs: FieldError[] = [];
  const sel = spec.selector;
  const missing = sel === undefined || sel === null;
  if (missing) {
    if (opts.required !== false) errs.push(fe.required(`${path}.selector`, ''));
  } else {
    errs.push(...validateLabelSelector(sel, `${path}.selector`));
    if (labelSelectorIsEmpty(sel)) errs.push(fe.invalid(`${path}.selector`, sel, `empty selector is invalid for ${kindWord}`));
  }
  const labels = templateLabels(spec.template);
  const mismatch = () => fe.invalid(`${path}.template.metadata.labels`, labels ?? {}, '`selector` does not match template `labels`');
  if (missing) {
    errs.push(mismatch());
  } else if (labelSelectorString(sel) === null) {
    if (opts.invalidDetail !== undefined) errs.push(fe.invalid(`${path}.selector`, sel, opts.invalidDetail));
  } else if (!labelSelectorIsEmpty(sel) && !labelSelectorMatches(sel, labels)) {
    errs.push(mismatch());
  }
  return errs;
}
