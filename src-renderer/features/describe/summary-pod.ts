/**
 * A Pod's summary as `kubectl describe pod` leads with it: status (and reason), node (linked),
 * IPs, QoS class, priority, service account, start time; then one group per container (image,
 * state, ready, restarts, ports, requests/limits, mounts).
 */
import type { KubeObject } from '../../api/types';
import { statusTone } from '../../util/status';
import { detailsRoute } from '../../util/paths';
import { containerStateText, NONE, resourceListText, type ContainerState } from './format';
import { NODES } from './refs';
import type { Summary, SummaryGroup, SummaryRow } from './types';

interface ContainerSpec {
  name: string;
  image?: string;
  ports?: { containerPort: number; protocol?: string; name?: string }[];
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  volumeMounts?: unknown[];
}
interface ContainerStatus {
  name: string;
  ready?: boolean;
  restartCount?: number;
  state?: ContainerState;
  lastState?: ContainerState;
}
export interface PodObject extends KubeObject {
  spec?: {
    nodeName?: string;
    priority?: number;
    priorityClassName?: string;
    serviceAccountName?: string;
    initContainers?: ContainerSpec[];
    containers?: ContainerSpec[];
  };
  status?: {
    phase?: string;
    reason?: string;
    message?: string;
    hostIP?: string;
    podIP?: string;
    podIPs?: { ip: string }[];
    qosClass?: string;
    startTime?: string;
    initContainerStatuses?: ContainerStatus[];
    containerStatuses?: ContainerStatus[];
  };
}

/** `80/TCP (http), 443/TCP`; `<none>`. */
export function containerPortsText(ports: ContainerSpec['ports']): string {
  return ports?.length ? ports.map((p) => `${p.containerPort}/${p.protocol ?? 'TCP'}${p.name ? ` (${p.name})` : ''}`).join(', ') : NONE;
}

function containerGroup(c: ContainerSpec, s: ContainerStatus | undefined, init: boolean): SummaryGroup {
  const state = containerStateText(s?.state);
  const rows: SummaryRow[] = [
    { label: 'Image', value: c.image ?? '', mono: true, testid: 'container-image' },
    { label: 'State', value: state.text, tone: state.tone, testid: 'container-state' },
  ];
  if (s?.lastState && Object.keys(s.lastState).length) {
    const last = containerStateText(s.lastState);
    rows.push({ label: 'Last State', value: last.text, tone: last.tone });
  }
  rows.push(
    { label: 'Ready', value: s?.ready ? 'True' : 'False', tone: s?.ready ? 'ok' : 'warn' },
    { label: 'Restart Count', value: String(s?.restartCount ?? 0), tone: (s?.restartCount ?? 0) > 0 ? 'warn' : undefined },
    { label: 'Ports', value: containerPortsText(c.ports), mono: true },
    { label: 'Requests', value: resourceListText(c.resources?.requests), mono: true },
    { label: 'Limits', value: resourceListText(c.resources?.limits), mono: true },
    { label: 'Mounts', value: String(c.volumeMounts?.length ?? 0) },
  );
  return { title: init ? `${c.name} (init)` : c.name, status: { text: state.text.split(' ')[0], tone: state.tone }, rows };
}

/** The pod's status as kubectl's STATUS column words it: Terminating, a waiting reason, or the phase. */
export function podStatusText(p: PodObject): string {
  if (p.metadata.deletionTimestamp) return 'Terminating';
  if (p.status?.reason) return p.status.reason;
  const statuses = p.status?.containerStatuses ?? [];
  const reason = statuses.map((s) => s.state?.waiting?.reason ?? (s.state?.terminated ? s.state.terminated.reason : undefined)).find((r) => r);
  return reason ?? p.status?.phase ?? 'Pending';
}

export function podSummary(p: PodObject): Summary {
  const st = p.status ?? {};
  const spec = p.spec ?? {};
  const status = podStatusText(p);
  const rows: SummaryRow[] = [{ label: 'Status', value: status, tone: statusTone(status), testid: 'pod-status' }];
  if (st.phase && st.phase !== status) rows.push({ label: 'Phase', value: st.phase, tone: statusTone(st.phase) });
  if (st.reason && st.reason !== status) rows.push({ label: 'Reason', value: st.reason });
  if (st.message) rows.push({ label: 'Message', value: st.message });
  rows.push(
    spec.nodeName
      ? { label: 'Node', value: st.hostIP ? `${spec.nodeName}/${st.hostIP}` : spec.nodeName, link: detailsRoute(NODES, undefined, spec.nodeName), mono: true, testid: 'pod-node' }
      : { label: 'Node', value: NONE, testid: 'pod-node' },
  );
  const ips = st.podIPs?.length ? st.podIPs.map((i) => i.ip) : st.podIP ? [st.podIP] : [];
  rows.push({ label: ips.length > 1 ? 'IPs' : 'IP', value: ips.length ? ips.join(', ') : NONE, mono: true, testid: 'pod-ip' });
  rows.push({ label: 'QoS Class', value: st.qosClass ?? NONE });
  rows.push({ label: 'Priority', value: `${spec.priority ?? 0}${spec.priorityClassName ? ` (${spec.priorityClassName})` : ''}` });
  rows.push({ label: 'Service Account', value: spec.serviceAccountName ?? 'default', mono: true });
  rows.push({ label: 'Start Time', value: st.startTime ?? NONE });
  const byName = (list: ContainerStatus[] | undefined) => new Map((list ?? []).map((s) => [s.name, s]));
  const init = byName(st.initContainerStatuses);
  const main = byName(st.containerStatuses);
  const groups = [
    ...(spec.initContainers ?? []).map((c) => containerGroup(c, init.get(c.name), true)),
    ...(spec.containers ?? []).map((c) => containerGroup(c, main.get(c.name), false)),
  ];
  return { rows, groups, groupsTitle: 'Containers' };
}
