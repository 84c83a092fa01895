/**
 * Pieces PersistentVolumes and PersistentVolumeClaims share: access modes and their short
 * printed form (RWO, ROX, RWX, RWOP), volume modes and the storage-class lookup.
 */
import { fe, type FieldError } from '../field-errors';
import type { KubeObject } from '../types';
import { o, s } from './common';

export const ACCESS_MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];
export const VOLUME_MODES = ['Block', 'Filesystem'];
const BETA_CLASS_ANNOTATION = 'volume.beta.kubernetes.io/storage-class';

export function accessModesText(modes: unknown): string {
  const list = Array.isArray(modes) ? modes.map(String) : [];
  const out: string[] = [];
  if (list.includes('ReadWriteOnce')) out.push('RWO');
  if (list.includes('ReadOnlyMany')) out.push('ROX');
  if (list.includes('ReadWriteMany')) out.push('RWX');
  if (list.includes('ReadWriteOncePod')) out.push('RWOP');
  return out.join(',');
}

export function validateAccessModes(modes: unknown, path: string, requiredDetail: string): FieldError[] {
  const errs: FieldError[] = [];
  const list = Array.isArray(modes) ? modes : [];
  if (list.length === 0) return [fe.required(path, requiredDetail)];
  let rwop = false;
  for (const m of list) {
    if (!ACCESS_MODES.includes(String(m))) errs.push(fe.notSupported(path, m, ACCESS_MODES));
    if (m === 'ReadWriteOncePod') rwop = true;
  }
  if (rwop && list.length > 1) errs.push(fe.forbidden(path, 'may not use ReadWriteOncePod with other access modes'));
  return errs;
}

export function validateVolumeMode(mode: unknown, path: string): FieldError[] {
  if (mode === undefined || mode === null) return [];
  return VOLUME_MODES.includes(String(mode)) ? [] : [fe.notSupported(path, mode, VOLUME_MODES)];
}

/** GetPersistentVolumeClass / GetPersistentVolumeClaimClass: the beta annotation wins. */
export function storageClassOf(obj: KubeObject): string {
  const ann = obj.metadata.annotations?.[BETA_CLASS_ANNOTATION];
  if (ann !== undefined) return ann;
  return s(o(obj.spec).storageClassName);
}
