/**
 * PersistentVolumes (core/v1, cluster-scoped): reclaim policy Retain, volumeMode Filesystem,
 * phase Pending on create, capacity/access mode/source validation, and the table.
 */
import { fe, type FieldError } from '../field-errors';
import { translateTimestampSince } from '../printers';
import type { ResourceDef } from '../resource';
import type { KubeObject } from '../types';
import { AGE_COLUMN, NAME_COLUMN, col, o, s, specOf } from './common';
import { accessModesText, storageClassOf, validateAccessModes, validateVolumeMode } from './persistent-volume-common';
import { validateResourceList } from './pod-spec';
import { canonicalQuantity, canonicalizeResourceList, isQuantity, parseQuantity } from './quantity';
import { deepEqual, validateImmutableField, validateObjectMeta, validateObjectMetaUpdate } from './validation/meta';
import { isDNS1123Subdomain } from './validation/names';

const RECLAIM_POLICIES = ['Delete', 'Recycle', 'Retain'];
const PV_SOURCES = [
  'gcePersistentDisk', 'awsElasticBlockStore', 'hostPath', 'glusterfs', 'nfs', 'rbd', 'quobyte', 'iscsi', 'cinder', 'cephfs',
  'fc', 'flocker', 'flexVolume', 'azureFile', 'vsphereVolume', 'azureDisk', 'photonPersistentDisk', 'portworxVolume',
  'scaleIO', 'local', 'storageos', 'csi',
];

function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function sourceOf(spec: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of PV_SOURCES) if (spec[k] !== undefined) out[k] = spec[k];
  return out;
}

export function validatePersistentVolume(pv: KubeObject, old: KubeObject | undefined): FieldError[] {
  const errs = old ? validateObjectMetaUpdate(pv.metadata, old.metadata) : validateObjectMeta(pv.metadata, { namespaced: false });
  const spec = o(pv.spec);
  errs.push(...validateAccessModes(spec.accessModes, 'spec.accessModes', 'must specify at least 1 access mode'));
  const cap = o(spec.capacity);
  const keys = Object.keys(cap);
  if (keys.length === 0) errs.push(fe.required('spec.capacity', ''));
  if (!keys.includes('storage') || keys.length > 1) errs.push(fe.notSupported('spec.capacity', cap, ['storage']));
  errs.push(...validateResourceList(cap, 'spec.capacity'));
  if (isQuantity(cap.storage) && parseQuantity(cap.storage as string).nano <= 0n) errs.push(fe.invalid('spec.capacity[storage]', cap.storage, 'must be greater than zero'));
  const policy = spec.persistentVolumeReclaimPolicy;
  if (policy !== undefined && !RECLAIM_POLICIES.includes(s(policy))) errs.push(fe.notSupported('spec.persistentVolumeReclaimPolicy', policy, RECLAIM_POLICIES));
  if (spec.storageClassName) for (const m of isDNS1123Subdomain(s(spec.storageClassName))) errs.push(fe.invalid('spec.storageClassName', spec.storageClassName, m));
  errs.push(...validateVolumeMode(spec.volumeMode, 'spec.volumeMode'));
  const sources = PV_SOURCES.filter((k) => spec[k] !== undefined && spec[k] !== null);
  if (sources.length === 0) errs.push(fe.required('spec', 'must specify a volume type'));
  for (const k of sources.slice(1)) errs.push(fe.forbidden(`spec.${k}`, 'may not specify more than 1 volume type'));
  if (sources[0] === 'hostPath' && !s(o(spec.hostPath).path)) errs.push(fe.required('spec.hostPath.path', ''));
  if (sources[0] === 'local' && !s(o(spec.local).path)) errs.push(fe.required('spec.local.path', ''));
  if (sources[0] === 'nfs') {
    if (!s(o(spec.nfs).server)) errs.push(fe.required('spec.nfs.server', ''));
    if (!s(o(spec.nfs).path)) errs.push(fe.required('spec.nfs.path', ''));
  }
  if (sources[0] === 'local' && spec.nodeAffinity === undefined) errs.push(fe.required('spec.nodeAffinity', 'Local volume requires node affinity'));
  if (old) {
    const oldSpec = o(old.spec);
    if (!deepEqual(sourceOf(spec), sourceOf(oldSpec))) {
      errs.push(fe.forbidden('spec.persistentvolumesource', 'spec.persistentvolumesource is immutable after creation'));
    }
    errs.push(...validateImmutableField(spec.volumeMode, oldSpec.volumeMode, 'volumeMode'));
    if (oldSpec.nodeAffinity !== undefined) errs.push(...validateImmutableField(spec.nodeAffinity, oldSpec.nodeAffinity, 'nodeAffinity'));
  }
  return errs;
}

export const persistentVolumesDef: ResourceDef = {
  group: '',
  version: 'v1',
  kind: 'PersistentVolume',
  plural: 'persistentvolumes',
  singular: 'persistentvolume',
  namespaced: false,
  shortNames: ['pv'],
  subresources: ['status'],

  default(obj) {
    const spec = specOf(obj);
    if (!spec.persistentVolumeReclaimPolicy) spec.persistentVolumeReclaimPolicy = 'Retain';
    if (!spec.volumeMode) spec.volumeMode = 'Filesystem';
    if (spec.hostPath && typeof spec.hostPath === 'object' && (spec.hostPath as Record<string, unknown>).type === undefined) (spec.hostPath as Record<string, unknown>).type = '';
    canonicalizeResourceList(spec.capacity);
  },

  prepareForCreate(obj, ctx) {
    obj.status = { phase: 'Pending', lastPhaseTransitionTime: rfc3339(ctx.now) };
  },

  validate: validatePersistentVolume,

  validateStatus(obj, old) {
    const errs = validateObjectMetaUpdate(obj.metadata, old.metadata);
    const phases = ['Pending', 'Available', 'Bound', 'Released', 'Failed'];
    const phase = o(obj.status).phase;
    if (phase !== undefined && !phases.includes(s(phase))) errs.push(fe.notSupported('status.phase', phase, phases));
    return errs;
  },

  table: {
    columns: [
      NAME_COLUMN,
      col('Capacity', "capacity is the description of the persistent volume's resources and capacity. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#capacity"),
      col('Access Modes', 'accessModes contains all ways the volume can be mounted. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#access-modes'),
      col('Reclaim Policy', 'persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim. Valid options are Retain (default for manually created PersistentVolumes), Delete (default for dynamically provisioned PersistentVolumes), and Recycle (deprecated). Recycle must be supported by the volume plugin underlying this PersistentVolume. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#reclaiming'),
      col('Status', 'phase indicates if a volume is available, bound to a claim, or released by a claim. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#phase'),
      col('Claim', 'claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim. Expected to be non-nil when bound. claim.VolumeName is the authoritative bind between PV and PVC. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#binding'),
      col('StorageClass', 'StorageClass of the pv'),
      col('VolumeAttributesClass', 'VolumeAttributesClass of the pv'),
      col('Reason', 'reason is a brief CamelCase string that describes any failure and is meant for machine parsing and tidy display in the CLI.'),
      AGE_COLUMN,
      col('VolumeMode', 'volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state. Value of Filesystem is implied when not included in spec.', 1),
    ],
    row(pv, now) {
      const spec = o(pv.spec);
      const ref = spec.claimRef === undefined || spec.claimRef === null ? undefined : o(spec.claimRef);
      const claim = ref ? `${s(ref.namespace)}/${s(ref.name)}` : '';
      const storage = o(spec.capacity).storage;
      const phase = pv.metadata.deletionTimestamp ? 'Terminating' : s(o(pv.status).phase);
      return [
        pv.metadata.name ?? '',
        storage === undefined ? '0' : canonicalQuantity(storage as string),
        accessModesText(spec.accessModes),
        s(spec.persistentVolumeReclaimPolicy),
        phase,
        claim,
        storageClassOf(pv),
        s(spec.volumeAttributesClassName) || '<unset>',
        s(o(pv.status).reason),
        translateTimestampSince(pv.metadata.creationTimestamp, now),
        s(spec.volumeMode) || '<unset>',
      ];
    },
  },
};
