/**
 * Node, Namespace, ConfigMap/Secret and PersistentVolumeClaim/PersistentVolume summaries as
 * `kubectl describe` leads with them. Secret values are never shown, only their sizes.
 */
import type { KubeObject } from '../../api/types';
import { detailsRoute } from '../../util/paths';
import { statusTone } from '../../util/status';
import { nodeInternalIP, nodeRoles, nodeStatus } from '../../util/node';
import type { Node } from '../../api/types';
import { formatBytes, parseQuantity } from '../../util/quantity';
import { accessModesText, base64Bytes, boolText, NONE, utf8Bytes } from './format';
import { PVCS, PVS } from './refs';
import type { Summary, SummaryGroup, SummaryRow } from './types';

type Obj = KubeObject & { spec?: Record<string, any>; status?: Record<string, any> };

/** `key=value:Effect` per taint (kubectl's Taints line). */
export function taintsText(taints: { key: string; value?: string; effect: string }[] | undefined): string[] {
  return (taints ?? []).map((t) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`);
}

/** `7.8Gi` for a memory or storage quantity written in other units (`8145280Ki`). */
export function bytesHint(resource: string, q: string | undefined): string | undefined {
  if (q === undefined || (resource !== 'memory' && resource !== 'ephemeral-storage')) return undefined;
  const human = formatBytes(parseQuantity(q));
  return human === q || human === '–' ? undefined : `(${human})`;
}

export function nodeSummary(node: Obj): Summary {
  const status = nodeStatus(node as Node);
  const info = node.status?.nodeInfo ?? {};
  const cap = node.status?.capacity ?? {};
  const alloc = node.status?.allocatable ?? {};
  const taints = taintsText(node.spec?.taints);
  const rows: SummaryRow[] = [
    { label: 'Status', value: status, tone: statusTone(status), testid: 'node-status' },
    { label: 'Roles', value: nodeRoles(node as Node) },
    { label: 'InternalIP', value: nodeInternalIP(node as Node), mono: true, testid: 'node-ip' },
    { label: 'Taints', value: taints.join(', ') || NONE, chips: taints },
    { label: 'Unschedulable', value: boolText(node.spec?.unschedulable), tone: node.spec?.unschedulable ? 'warn' : undefined },
    { label: 'OS Image', value: info.osImage ?? '' },
    { label: 'Operating System', value: `${info.operatingSystem ?? ''}${info.architecture ? `/${info.architecture}` : ''}` },
    { label: 'Kernel Version', value: info.kernelVersion ?? '', mono: true },
    { label: 'Container Runtime', value: info.containerRuntimeVersion ?? '', mono: true },
    { label: 'Kubelet Version', value: info.kubeletVersion ?? '', mono: true },
  ];
  const groups: SummaryGroup[] = ['cpu', 'memory', 'pods', 'ephemeral-storage']
    .filter((k) => cap[k] !== undefined || alloc[k] !== undefined)
    .map((k) => ({
      title: k,
      rows: [
        { label: 'Capacity', value: String(cap[k] ?? NONE), mono: true, testid: `capacity-${k}`, hint: bytesHint(k, cap[k]) },
        { label: 'Allocatable', value: String(alloc[k] ?? NONE), mono: true, testid: `allocatable-${k}`, hint: bytesHint(k, alloc[k]) },
      ],
    }));
  return { rows, groups, groupsTitle: 'Capacity / Allocatable' };
}

export function namespaceSummary(ns: Obj): Summary {
  const phase = ns.status?.phase ?? 'Active';
  return { rows: [{ label: 'Status', value: phase, tone: statusTone(phase) }], groups: [] };
}

/** `key`: `N bytes` rows, sorted by key (kubectl's Data section). */
export function dataKeys(data: Record<string, string> | undefined, size: (v: string) => number): SummaryRow[] {
  return Object.keys(data ?? {})
    .sort()
    .map((k) => ({ label: k, value: `${size(data![k])} bytes`, mono: true, testid: 'data-key' }));
}

export function configMapSummary(cm: Obj & { data?: Record<string, string>; binaryData?: Record<string, string> }): Summary {
  const rows = [...dataKeys(cm.data, utf8Bytes), ...dataKeys(cm.binaryData, base64Bytes)];
  return { rows: [{ label: 'Keys', value: String(rows.length) }], groups: rows.length ? [{ title: 'Data', rows }] : [] };
}

export function secretSummary(s: Obj & { type?: string; data?: Record<string, string>; stringData?: Record<string, string> }): Summary {
  const rows = dataKeys(s.data, base64Bytes);
  return {
    rows: [
      { label: 'Type', value: s.type ?? 'Opaque', mono: true },
      { label: 'Keys', value: String(rows.length) },
    ],
    groups: rows.length ? [{ title: 'Data (values hidden)', rows }] : [],
  };
}

export function pvcSummary(c: Obj): Summary {
  const phase = c.status?.phase ?? 'Pending';
  const vol = c.spec?.volumeName;
  return {
    rows: [
      { label: 'Status', value: phase, tone: statusTone(phase) },
      vol ? { label: 'Volume', value: vol, link: detailsRoute(PVS, undefined, vol), mono: true } : { label: 'Volume', value: '' },
      { label: 'StorageClass', value: c.spec?.storageClassName ?? '' },
      { label: 'Capacity', value: c.status?.capacity?.storage ?? '', mono: true },
      { label: 'Requested', value: c.spec?.resources?.requests?.storage ?? '', mono: true },
      { label: 'Access Modes', value: accessModesText(c.status?.accessModes ?? c.spec?.accessModes) },
      { label: 'VolumeMode', value: c.spec?.volumeMode ?? 'Filesystem' },
    ],
    groups: [],
  };
}

export function pvSummary(v: Obj): Summary {
  const phase = v.status?.phase ?? 'Pending';
  const claim = v.spec?.claimRef as { namespace?: string; name?: string } | undefined;
  return {
    rows: [
      { label: 'Status', value: phase, tone: statusTone(phase) },
      claim?.name ? { label: 'Claim', value: `${claim.namespace}/${claim.name}`, link: detailsRoute(PVCS, claim.namespace, claim.name), mono: true } : { label: 'Claim', value: '' },
      { label: 'Reclaim Policy', value: v.spec?.persistentVolumeReclaimPolicy ?? 'Retain' },
      { label: 'Access Modes', value: accessModesText(v.spec?.accessModes) },
      { label: 'StorageClass', value: v.spec?.storageClassName ?? '' },
      { label: 'Capacity', value: v.spec?.capacity?.storage ?? '', mono: true },
      { label: 'VolumeMode', value: v.spec?.volumeMode ?? 'Filesystem' },
    ],
    groups: [],
  };
}
