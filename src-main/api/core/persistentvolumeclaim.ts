/**
 * PersistentVolumeClaims (core/v1): volumeMode Filesystem, phase Pending on create, access modes
 * and storage request validation, the bound-claim update rules, and the table.
 */
import { fe, type FieldError } from '../field-errors';
import { translateTimestampSince } from '../printers';
import type { ResourceDef } from '../resource';
import type { KubeObject } from '../types';
import { AGE_COLUMN, NAME_COLUMN, col, o, s, specOf } from './common';
import { accessModesText, storageClassOf, validateAccessModes, validateVolumeMode } from './persistent-volume-common';
import { validateResourceList } from './pod-spec';
import { canonicalQuantity, canonicalizeResourceList, compareQuantities, isQuantity, parseQuantity } from './quantity';
import { deepEqual, validateLabelSelector, validateObjectMeta, validateObjectMetaUpdate } from './validation/meta';
import { isDNS1123Subdomain } from './validation/names';

export const PVC_SPEC_IMMUTABLE =
  'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims';

export function validatePersistentVolumeClaimSpec(specIn: unknown, path: string): FieldError[] {
  const spec = o(specIn);
  const errs: FieldError[] = [];
  errs.push(...validateAccessModes(spec.accessModes, `${path}.accessModes`, 'at least 1 access mode is required'));
  errs.push(...validateLabelSelector(spec.selector, `${path}.selector`));
  const res = o(spec.resources);
  const requests = o(res.requests);
  if (requests.storage === undefined) {
    errs.push(fe.required(`${path}.resources[storage]`, ''));
  } else if (isQuantity(requests.storage) && parseQuantity(requests.storage as string).nano <= 0n) {
    errs.push(fe.invalid(`${path}.resources[storage]`, requests.storage, 'must be greater than zero'));
  }
  errs.push(...validateResourceList(res.requests, `${path}.resources.requests`));
  errs.push(...validateResourceList(res.limits, `${path}.resources.limits`));
  if (spec.storageClassName) for (const m of isDNS1123Subdomain(s(spec.storageClassName))) errs.push(fe.invalid(`${path}.storageClassName`, spec.storageClassName, m));
  errs.push(...validateVolumeMode(spec.volumeMode, `${path}.volumeMode`));
  return errs;
}

function pvcUpdate(pvc: KubeObject, old: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const spec = o(pvc.spec);
  const oldSpec = o(old.spec);
  const munged = structuredClone(spec);
  // volumeName may be set once (binding).
  if (!s(oldSpec.volumeName)) munged.volumeName = oldSpec.volumeName;
  // RetroactiveDefaultStorageClass: a claim without any class may be given one (once).
  if ((oldSpec.storageClassName === undefined || oldSpec.storageClassName === null) && old.metadata.annotations?.['volume.beta.kubernetes.io/storage-class'] === undefined && s(spec.storageClassName)) {
    munged.storageClassName = oldSpec.storageClassName;
  }
  const bound = o(old.status).phase === 'Bound';
  if (bound) {
    const res = o(munged.resources);
    munged.resources = { ...res, requests: o(oldSpec.resources).requests };
    munged.volumeAttributesClassName = oldSpec.volumeAttributesClassName;
  }
  if (!deepEqual(munged, oldSpec)) {
    errs.push(fe.forbidden('spec', PVC_SPEC_IMMUTABLE));
    return errs;
  }
  if (bound) {
    const newReq = o(o(spec.resources).requests).storage;
    const oldReq = o(o(oldSpec.resources).requests).storage;
    const capacity = o(o(old.status).capacity).storage;
    if (isQuantity(newReq) && isQuantity(oldReq) && compareQuantities(newReq as string, oldReq as string) < 0) {
      if (!isQuantity(capacity) || compareQuantities(newReq as string, capacity as string) <= 0) {
        errs.push(fe.forbidden('spec.resources.requests.storage', 'field can not be less than status.capacity'));
      }
    }
  }
  return errs;
}

export const persistentVolumeClaimsDef: ResourceDef = {
  group: '',
  version: 'v1',
  kind: 'PersistentVolumeClaim',
  plural: 'persistentvolumeclaims',
  singular: 'persistentvolumeclaim',
  namespaced: true,
  shortNames: ['pvc'],
  subresources: ['status'],

  default(obj) {
    const spec = specOf(obj);
    if (!spec.volumeMode) spec.volumeMode = 'Filesystem';
    const res = o(spec.resources);
    canonicalizeResourceList(res.requests);
    canonicalizeResourceList(res.limits);
  },

  prepareForCreate(obj) {
    obj.status = { phase: 'Pending' };
  },

  validate(obj, old) {
    const errs = old ? validateObjectMetaUpdate(obj.metadata, old.metadata) : validateObjectMeta(obj.metadata, { namespaced: true });
    errs.push(...validatePersistentVolumeClaimSpec(obj.spec, 'spec'));
    if (old) errs.push(...pvcUpdate(obj, old));
    return errs;
  },

  validateStatus(obj, old) {
    const errs = validateObjectMetaUpdate(obj.metadata, old.metadata);
    const phases = ['Pending', 'Bound', 'Lost'];
    const phase = o(obj.status).phase;
    if (phase !== undefined && !phases.includes(s(phase))) errs.push(fe.notSupported('status.phase', phase, phases));
    return errs;
  },

  table: {
    columns: [
      NAME_COLUMN,
      col('Status', 'phase represents the current phase of PersistentVolumeClaim.'),
      col('Volume', 'volumeName is the binding reference to the PersistentVolume backing this claim.'),
      col('Capacity', 'capacity represents the actual resources of the underlying volume.'),
      col('Access Modes', 'accessModes contains the actual access modes the volume backing the PVC has. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#access-modes-1'),
      col('StorageClass', 'StorageClass of the pvc'),
      col('VolumeAttributesClass', 'VolumeAttributesClass of the pvc'),
      AGE_COLUMN,
      col('VolumeMode', 'volumeMode defines what type of volume is required by the claim. Value of Filesystem is implied when not included in claim spec.', 1),
    ],
    row(pvc, now) {
      const spec = o(pvc.spec);
      const status = o(pvc.status);
      const phase = pvc.metadata.deletionTimestamp ? 'Terminating' : s(status.phase);
      let capacity = '';
      let modes = '';
      if (s(spec.volumeName)) {
        modes = accessModesText(status.accessModes);
        const st = o(status.capacity).storage;
        capacity = st === undefined ? '0' : canonicalQuantity(st as string);
      }
      return [
        pvc.metadata.name ?? '',
        phase,
        s(spec.volumeName),
        capacity,
        modes,
        storageClassOf(pvc),
        s(spec.volumeAttributesClassName) || '<unset>',
        translateTimestampSince(pvc.metadata.creationTimestamp, now),
        s(spec.volumeMode) || '<unset>',
      ];
    },
  },
};
