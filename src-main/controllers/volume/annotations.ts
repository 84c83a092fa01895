/** The annotations, finalizers and names the volume controllers share (upstream storagehelpers). */
export const ANN_BIND_COMPLETED = 'pv.kubernetes.io/bind-completed';
export const ANN_BOUND_BY_CONTROLLER = 'pv.kubernetes.io/bound-by-controller';
export const ANN_DYNAMICALLY_PROVISIONED = 'pv.kubernetes.io/provisioned-by';
export const ANN_STORAGE_PROVISIONER = 'volume.kubernetes.io/storage-provisioner';
export const ANN_BETA_STORAGE_PROVISIONER = 'volume.beta.kubernetes.io/storage-provisioner';
export const ANN_SELECTED_NODE = 'volume.kubernetes.io/selected-node';
export const ANN_BETA_STORAGE_CLASS = 'volume.beta.kubernetes.io/storage-class';

export const PVC_PROTECTION_FINALIZER = 'kubernetes.io/pvc-protection';
export const PV_PROTECTION_FINALIZER = 'kubernetes.io/pv-protection';

/** The provisioner of the default `standard` StorageClass (src-main/bootstrap/objects.ts). */
export const HOSTPATH_PROVISIONER = 'kubesim.io/hostpath';

/** The pod index the volume controllers share: `namespace/claimName` for every claim a pod's volumes use. */
export const POD_CLAIM_INDEX = 'kubesim.io/pod-claims';
