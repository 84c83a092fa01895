/**
 * storage.k8s.io/v1 StorageClass (plus CSIDriver, CSINode, VolumeAttachment, stored with light
 * validation): SetDefaults_StorageClass (reclaimPolicy Delete, volumeBindingMode Immediate),
 * ValidateStorageClass(Update), and the upstream tables (`standard (default)`).
 */
import type { ResourceDef } from '../resource';
import type { KubeObject } from '../types';
import { asArray, asObject, isObject } from '../types';
import { fe, type FieldError } from '../field-errors';
import { translateTimestampSince } from '../printers';
import { deepEqual, validateMetaFor } from '../core/validation/meta';
import { isQualifiedName } from '../core/validation/names';
import { ageColumn, col, nameColumn, nameOf } from '../apps/util/printing';

export const DEFAULT_CLASS_ANNOTATION = 'storageclass.kubernetes.io/is-default-class';
export const BETA_DEFAULT_CLASS_ANNOTATION = 'storageclass.beta.kubernetes.io/is-default-class';

const RECLAIM = ['Delete', 'Retain'];
const BINDING = ['Immediate', 'WaitForFirstConsumer'];

export function defaultStorageClass(obj: KubeObject): void {
  if (!obj.reclaimPolicy) obj.reclaimPolicy = 'Delete';
  if (!obj.volumeBindingMode) obj.volumeBindingMode = 'Immediate';
}

/** storageutil.IsDefaultAnnotation: the GA or beta annotation is "true". */
export function isDefaultClass(obj: KubeObject): boolean {
  const a = obj.metadata.annotations ?? {};
  return a[DEFAULT_CLASS_ANNOTATION] === 'true' || a[BETA_DEFAULT_CLASS_ANNOTATION] === 'true';
}

export function validateStorageClass(obj: KubeObject, old: KubeObject | undefined): FieldError[] {
  const errs = validateMetaFor(obj, old, { namespaced: false });
  const prov = typeof obj.provisioner === 'string' ? obj.provisioner : '';
  if (prov === '') errs.push(fe.required('provisioner', ''));
  else {
    if (prov.length > 63) errs.push(fe.tooLong('provisioner', 63));
    for (const m of isQualifiedName(prov.toLowerCase())) errs.push(fe.invalid('provisioner', prov, m));
  }
  const params = isObject(obj.parameters) ? obj.parameters : {};
  if (Object.keys(params).length > 512) errs.push(fe.tooLong('parameters', 512));
  let size = 0;
  for (const [k, v] of Object.entries(params)) {
    if (k === '') errs.push(fe.invalid('parameters', params, 'key must be non-empty'));
    size += k.length + String(v).length;
  }
  if (size > 256 * 1024) errs.push(fe.tooLong('parameters', 256 * 1024));
  if (obj.reclaimPolicy !== undefined && !RECLAIM.includes(String(obj.reclaimPolicy))) errs.push(fe.notSupported('reclaimPolicy', obj.reclaimPolicy, RECLAIM));
  if (obj.volumeBindingMode === undefined || obj.volumeBindingMode === '') errs.push(fe.required('volumeBindingMode', ''));
  else if (!BINDING.includes(String(obj.volumeBindingMode))) errs.push(fe.notSupported('volumeBindingMode', obj.volumeBindingMode, BINDING));
  asArray(obj.allowedTopologies).forEach((t, i) => {
    const terms = asArray(asObject(t).matchLabelExpressions);
    if (terms.length === 0) errs.push(fe.required(`allowedTopologies[${i}].matchLabelExpressions`, 'must have at least one label expression'));
  });
  if (old) {
    if (!deepEqual(obj.parameters, old.parameters)) errs.push(fe.forbidden('parameters', 'updates to parameters are forbidden.'));
    if (obj.provisioner !== old.provisioner) errs.push(fe.forbidden('provisioner', 'updates to provisioner are forbidden.'));
    if (obj.reclaimPolicy !== old.reclaimPolicy) errs.push(fe.forbidden('reclaimPolicy', 'updates to reclaimPolicy are forbidden.'));
    if (obj.volumeBindingMode !== old.volumeBindingMode) errs.push(fe.invalid('volumeBindingMode', obj.volumeBindingMode, 'field is immutable'));
  }
  return errs;
}

export const storageClassesDef: ResourceDef = {
  group: 'storage.k8s.io',
  version: 'v1',
  kind: 'StorageClass',
  plural: 'storageclasses',
  singular: 'storageclass',
  namespaced: false,
  shortNames: ['sc'],
  default: defaultStorageClass,
  validate: validateStorageClass,
  table: {
    columns: [
      nameColumn(),
      col('Provisioner', 'string', 'provisioner indicates the type of the provisioner.'),
      col('ReclaimPolicy', 'string', 'reclaimPolicy controls the reclaimPolicy for dynamically provisioned PersistentVolumes of this storage class. Defaults to Delete.'),
      col('VolumeBindingMode', 'string', 'volumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound.  When unset, VolumeBindingImmediate is used. This field is only honored by servers that enable the VolumeScheduling feature.'),
      col('AllowVolumeExpansion', 'string', 'allowVolumeExpansion shows whether the storage class allow volume expand.'),
      ageColumn(),
    ],
    row(obj, now) {
      return [
        isDefaultClass(obj) ? `${nameOf(obj)} (default)` : nameOf(obj),
        typeof obj.provisioner === 'string' ? obj.provisioner : '',
        typeof obj.reclaimPolicy === 'string' && obj.reclaimPolicy ? obj.reclaimPolicy : 'Delete',
        typeof obj.volumeBindingMode === 'string' && obj.volumeBindingMode ? obj.volumeBindingMode : 'Immediate',
        obj.allowVolumeExpansion === true,
        translateTimestampSince(obj.metadata.creationTimestamp, now),
      ];
    },
  },
};

// --- CSIDriver / CSINode / VolumeAttachment --------------------------------------------------

export function defaultCSIDriver(obj: KubeObject): void {
  const spec = (isObject(obj.spec) ? obj.spec : (obj.spec = {})) as Record<string, unknown>;
  if (spec.attachRequired === undefined) spec.attachRequired = true;
  if (spec.podInfoOnMount === undefined) spec.podInfoOnMount = false;
  if (spec.storageCapacity === undefined) spec.storageCapacity = false;
  if (spec.fsGroupPolicy === undefined) spec.fsGroupPolicy = 'ReadWriteOnceWithFSType';
  if (spec.requiresRepublish === undefined) spec.requiresRepublish = false;
  if (spec.seLinuxMount === undefined) spec.seLinuxMount = false;
  if (spec.volumeLifecycleModes === undefined) spec.volumeLifecycleModes = ['Persistent'];
}

export const csiDriversDef: ResourceDef = {
  group: 'storage.k8s.io',
  version: 'v1',
  kind: 'CSIDriver',
  plural: 'csidrivers',
  singular: 'csidriver',
  namespaced: false,
  default: defaultCSIDriver,
  validate: (obj, old) => validateMetaFor(obj, old, { namespaced: false }),
  table: {
    columns: [
      nameColumn(),
      col('AttachRequired', 'boolean', 'attachRequired indicates this CSI volume driver requires an attach operation.'),
      col('PodInfoOnMount', 'boolean', 'podInfoOnMount indicates this CSI volume driver requires additional pod information (like podName, podUID, etc.) during mount operations, if set to true.'),
      col('StorageCapacity', 'boolean', 'storageCapacity indicates that the CSI volume driver wants pod scheduling to consider the storage capacity that the driver deployment will report.'),
      col('TokenRequests', 'string', "tokenRequests indicates the CSI driver needs pods' service account tokens it is mounting volume for to do necessary authentication."),
      col('RequiresRepublish', 'boolean', 'requiresRepublish indicates the CSI driver wants `NodePublishVolume` being periodically called to reflect any possible change in the mounted volume.'),
      col('Modes', 'string', 'volumeLifecycleModes defines what kind of volumes this CSI volume driver supports.'),
      ageColumn(),
    ],
    row(obj, now) {
      const spec = asObject(obj.spec);
      const modes = asArray(spec.volumeLifecycleModes).map(String).join(',');
      const tokens = Array.isArray(spec.tokenRequests) ? spec.tokenRequests.map((t) => String(asObject(t).audience ?? '')).join(',') : '<unset>';
      return [
        nameOf(obj),
        spec.attachRequired !== false,
        spec.podInfoOnMount === true,
        spec.storageCapacity === true,
        tokens,
        spec.requiresRepublish === true,
        modes || '<none>',
        translateTimestampSince(obj.metadata.creationTimestamp, now),
      ];
    },
  },
};

export const csiNodesDef: ResourceDef = {
  group: 'storage.k8s.io',
  version: 'v1',
  kind: 'CSINode',
  plural: 'csinodes',
  singular: 'csinode',
  namespaced: false,
  validate: (obj, old) => validateMetaFor(obj, old, { namespaced: false }),
  table: {
    columns: [nameColumn(), col('Drivers', 'integer', 'Drivers indicates the number of CSI drivers registered on the node'), ageColumn()],
    row(obj, now) {
      return [nameOf(obj), asArray(asObject(obj.spec).drivers).length, translateTimestampSince(obj.metadata.creationTimestamp, now)];
    },
  },
};

export const volumeAttachmentsDef: ResourceDef = {
  group: 'storage.k8s.io',
  version: 'v1',
  kind: 'VolumeAttachment',
  plural: 'volumeattachments',
  singular: 'volumeattachment',
  namespaced: false,
  subresources: ['status'],
  validate(obj, old) {
    const errs = validateMetaFor(obj, old, { namespaced: false });
    const spec = asObject(obj.spec);
    if (!spec.attacher) errs.push(fe.required('spec.attacher', ''));
    if (!spec.nodeName) errs.push(fe.required('spec.nodeName', ''));
    if (old && !deepEqual(obj.spec, old.spec)) errs.push(fe.invalid('spec', obj.spec, 'field is immutable'));
    return errs;
  },
  table: {
    columns: [
      nameColumn(),
      { name: 'Attacher', type: 'string', format: 'name', description: 'attacher indicates the name of the volume driver that MUST handle this request. This is the name returned by GetPluginName().', priority: 0 },
      col('PV', 'string', 'persistentVolumeName represents the name of the persistent volume to attach.'),
      col('Node', 'string', 'nodeName represents the node that the volume should be attached to.'),
      col('Attached', 'boolean', 'attached indicates the volume is successfully attached. This field must only be set by the entity completing the attach operation, i.e. the external-attacher.'),
      ageColumn(),
    ],
    row(obj, now) {
      const spec = asObject(obj.spec);
      const pv = asObject(spec.source).persistentVolumeName;
      return [
        nameOf(obj),
        typeof spec.attacher === 'string' ? spec.attacher : '',
        typeof pv === 'string' ? pv : '',
        typeof spec.nodeName === 'string' ? spec.nodeName : '',
        asObject(obj.status).attached === true,
        translateTimestampSince(obj.metadata.creationTimestamp, now),
      ];
    },
  },
};
