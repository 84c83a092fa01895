/**
 * ObjectMeta, labels, annotations, finalizers and label selectors, validated as
 * apimachinery's ValidateObjectMeta / metav1validation do. Shared by every API group.
 */
import { fe, type FieldError } from '../../field-errors';
import type { KubeObject, ObjectMeta } from '../../types';
import { asArray, isObject } from '../../types';
import { isDNS1123Label, isQualifiedName, isValidLabelValue, nameIsDNSSubdomain, type NameValidator } from './names';

export const FIELD_IMMUTABLE = 'field is immutable';
export const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

function sortedKeys(m: Record<string, unknown>): string[] {
  return Object.keys(m).sort();
}

/** Label keys and values: errors at `path` itself (upstream does not add the key to the path). */
export function validateLabels(labels: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (labels === undefined || labels === null) return errs;
  if (!isObject(labels)) return [fe.invalid(path, labels, 'must be a map of string keys to string values')];
  for (const k of sortedKeys(labels)) {
    errs.push(...validateLabelName(k, path));
    const v = labels[k];
    if (typeof v !== 'string') {
      errs.push(fe.invalid(path, v, 'label values must be strings'));
      continue;
    }
    for (const m of isValidLabelValue(v)) errs.push(fe.invalid(path, v, m));
  }
  return errs;
}

export function validateLabelName(key: string, path: string): FieldError[] {
  return isQualifiedName(key).map((m) => fe.invalid(path, key, m));
}

export function validateAnnotations(annotations: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (annotations === undefined || annotations === null) return errs;
  if (!isObject(annotations)) return [fe.invalid(path, annotations, 'must be a map of string keys to string values')];
  let size = 0;
  for (const k of sortedKeys(annotations)) {
    for (const m of isQualifiedName(k.toLowerCase())) errs.push(fe.invalid(path, k, m));
    const v = annotations[k];
    size += Buffer.byteLength(k) + (typeof v === 'string' ? Buffer.byteLength(v) : 0);
  }
  if (size > TOTAL_ANNOTATION_SIZE_LIMIT) errs.push(fe.tooLong(path, TOTAL_ANNOTATION_SIZE_LIMIT));
  return errs;
}

export function validateFinalizers(finalizers: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  asArray(finalizers).forEach((f) => {
    const s = String(f);
    for (const m of isQualifiedName(s)) errs.push(fe.invalid(path, s, m));
    if (seen.has(s)) errs.push(fe.duplicate(path, s));
    seen.add(s);
  });
  return errs;
}

export function validateOwnerReferences(refs: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const controllers: string[] = [];
  asArray(refs).forEach((r) => {
    const ref = isObject(r) ? r : {};
    const apiVersion = typeof ref.apiVersion === 'string' ? ref.apiVersion : '';
    if (!apiVersion) errs.push(fe.invalid(`${path}.apiVersion`, apiVersion, 'version must not be empty'));
    if (!ref.kind) errs.push(fe.invalid(`${path}.kind`, ref.kind ?? '', 'kind must not be empty'));
    if (!ref.name) errs.push(fe.invalid(`${path}.name`, ref.name ?? '', 'name must not be empty'));
    if (!ref.uid) errs.push(fe.invalid(`${path}.uid`, ref.uid ?? '', 'uid must not be empty'));
    if (ref.controller === true) controllers.push(String(ref.name ?? ''));
  });
  if (controllers.length > 1) {
    errs.push(fe.invalid(path, refs, `Only one reference can have Controller set to true. Found "true" in references for ${controllers.join(' and ')}`));
  }
  return errs;
}

/** A namespace name in metadata.namespace (DNS-1123 label). */
export function validateNamespaceName(ns: string, prefix = false): string[] {
  const v = prefix && ns.length > 1 && ns.endsWith('-') ? `${ns.slice(0, -1)}a` : ns;
  return isDNS1123Label(v);
}

export interface ObjectMetaOptions {
  namespaced: boolean;
  /** Name rule of the kind; DNS-1123 subdomain unless told otherwise. */
  nameFn?: NameValidator;
}

/** ValidateObjectMeta: name/generateName, namespace, labels, annotations, owner references, finalizers. */
export function validateObjectMeta(meta: ObjectMeta | undefined, opts: ObjectMetaOptions, path = 'metadata'): FieldError[] {
  const m: ObjectMeta = meta ?? {};
  const nameFn = opts.nameFn ?? nameIsDNSSubdomain;
  const errs: FieldError[] = [];
  if (m.generateName) {
    for (const msg of nameFn(m.generateName, true)) errs.push(fe.invalid(`${path}.generateName`, m.generateName, msg));
  }
  if (!m.name) {
    errs.push(fe.required(`${path}.name`, 'name or generateName is required'));
  } else {
    for (const msg of nameFn(m.name, false)) errs.push(fe.invalid(`${path}.name`, m.name, msg));
  }
  if (opts.namespaced) {
    if (!m.namespace) errs.push(fe.required(`${path}.namespace`));
    else for (const msg of validateNamespaceName(m.namespace)) errs.push(fe.invalid(`${path}.namespace`, m.namespace, msg));
  } else if (m.namespace) {
    errs.push(fe.forbidden(`${path}.namespace`, 'not allowed on this type'));
  }
  if (m.generation !== undefined && m.generation < 0) errs.push(fe.invalid(`${path}.generation`, m.generation, 'must be greater than or equal to 0'));
  errs.push(...validateLabels(m.labels, `${path}.labels`));
  errs.push(...validateAnnotations(m.annotations, `${path}.annotations`));
  errs.push(...validateOwnerReferences(m.ownerReferences, `${path}.ownerReferences`));
  errs.push(...validateFinalizers(m.finalizers, `${path}.finalizers`));
  return errs;
}

/** ValidateObjectMetaUpdate: the new metadata is valid and name/namespace/uid/creationTimestamp did not change. */
export function validateObjectMetaUpdate(meta: ObjectMeta, old: ObjectMeta, path = 'metadata'): FieldError[] {
  const errs: FieldError[] = [];
  errs.push(...validateImmutableField(meta.name, old.name, `${path}.name`));
  errs.push(...validateImmutableField(meta.namespace, old.namespace, `${path}.namespace`));
  errs.push(...validateImmutableField(meta.uid, old.uid, `${path}.uid`));
  errs.push(...validateImmutableField(meta.creationTimestamp, old.creationTimestamp, `${path}.creationTimestamp`));
  if (meta.generation !== undefined && meta.generation < 0) errs.push(fe.invalid(`${path}.generation`, meta.generation, 'must be greater than or equal to 0'));
  errs.push(...validateLabels(meta.labels, `${path}.labels`));
  errs.push(...validateAnnotations(meta.annotations, `${path}.annotations`));
  errs.push(...validateOwnerReferences(meta.ownerReferences, `${path}.ownerReferences`));
  errs.push(...validateFinalizers(meta.finalizers, `${path}.finalizers`));
  return errs;
}

/** Both create and update: `old` undefined means create. */
export function validateMetaFor(obj: KubeObject, old: KubeObject | undefined, opts: ObjectMetaOptions): FieldError[] {
  if (old) return validateObjectMetaUpdate(obj.metadata, old.metadata);
  return validateObjectMeta(obj.metadata, opts);
}

/** `Invalid value: <new>: field is immutable` when a value changed. */
export function validateImmutableField(value: unknown, old: unknown, path: string, msg = FIELD_IMMUTABLE): FieldError[] {
  return deepEqual(value, old) ? [] : [fe.invalid(path, value, msg)];
}

/** Structural equality for JSON values; undefined and missing keys are equal. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a === null || b === null) return false;
  if (typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => deepEqual(x, bb[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const ak = Object.keys(ao).filter((k) => ao[k] !== undefined);
  const bk = Object.keys(bo).filter((k) => bo[k] !== undefined);
  return ak.length === bk.length && ak.every((k) => deepEqual(ao[k], bo[k]));
}

/** metav1validation.ValidateLabelSelector (matchLabels + matchExpressions). */
export function validateLabelSelector(sel: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (sel === undefined || sel === null) return errs;
  if (!isObject(sel)) return [fe.invalid(path, sel, 'must be a label selector')];
  errs.push(...validateLabels(sel.matchLabels, `${path}.matchLabels`));
  asArray(sel.matchExpressions).forEach((r, i) => {
    const p = `${path}.matchExpressions[${i}]`;
    const req = isObject(r) ? r : {};
    const op = req.operator;
    const values = asArray(req.values);
    switch (op) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) errs.push(fe.required(`${p}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0) errs.push(fe.forbidden(`${p}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
        break;
      default:
        errs.push(fe.invalid(`${p}.operator`, op ?? '', 'not a valid selector operator'));
    }
    errs.push(...validateLabelName(String(req.key ?? ''), `${p}.key`));
    values.forEach((v, j) => {
      for (const m of isValidLabelValue(String(v))) errs.push(fe.invalid(`${p}.values[${j}]`, v, m));
    });
  });
  return errs;
}

/** Does a metav1 LabelSelector (matchLabels/matchExpressions) select these labels? Empty selects all. */
export function labelSelectorMatches(sel: unknown, labels: Record<string, string> | undefined): boolean {
  const l = labels ?? {};
  if (!isObject(sel)) return false;
  if (isObject(sel.matchLabels)) {
    for (const [k, v] of Object.entries(sel.matchLabels)) if (l[k] !== v) return false;
  }
  for (const r of asArray(sel.matchExpressions)) {
    if (!isObject(r)) continue;
    const key = String(r.key ?? '');
    const vals = asArray(r.values).map(String);
    const has = Object.prototype.hasOwnProperty.call(l, key);
    switch (r.operator) {
      case 'In':
        if (!has || !vals.includes(l[key])) return false;
        break;
      case 'NotIn':
        if (has && vals.includes(l[key])) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** Is a metav1 LabelSelector empty (selects everything)? */
export function labelSelectorIsEmpty(sel: unknown): boolean {
  if (!isObject(sel)) return false;
  return Object.keys(isObject(sel.matchLabels) ? sel.matchLabels : {}).length === 0 && asArray(sel.matchExpressions).length === 0;
}
