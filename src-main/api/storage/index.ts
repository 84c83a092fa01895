import type { ResourceDef } from '../resource';
import { csiDriversDef, csiNodesDef, storageClassesDef, volumeAttachmentsDef } from './storageclass';

/** storage.k8s.io/v1 in upstream discovery order. */
export const storageKinds: ResourceDef[] = [csiDriversDef, csiNodesDef, storageClassesDef, volumeAttachmentsDef];

export { csiDriversDef, csiNodesDef, storageClassesDef, volumeAttachmentsDef };
