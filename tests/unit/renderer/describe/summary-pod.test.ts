import { describe, expect, it } from 'vitest';
import { podSummary, podStatusText, type PodObject } from '../../../../src-renderer/features/describe/summary-pod';

const pod: PodObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web-7d9c-abcde', namespace: 'default', uid: 'u1' },
  spec: {
    nodeName: 'node-2',
    priority: 0,
    serviceAccountName: 'default',
    containers: [
      { name: 'nginx', image: 'nginx:1.25', ports: [{ containerPort: 80, protocol: 'TCP' }], resources: { requests: { cpu: '100m', memory: '64Mi' } }, volumeMounts: [{}, {}] },
      { name: 'sidecar', image: 'busybox:1.36' },
    ],
  },
  status: {
    phase: 'Running',
    hostIP: '172.18.0.3',
    podIP: '10.244.1.5',
    podIPs: [{ ip: '10.244.1.5' }],
    qosClass: 'Burstable',
    startTime: '2026-11-23T20:00:00Z',
    containerStatuses: [
      { name: 'nginx', ready: true, restartCount: 0, state: { running: { startedAt: '2026-11-23T20:00:01Z' } } },
      { name: 'sidecar', ready: false, restartCount: 3, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { reason: 'Error', exitCode: 1 } } },
    ],
  },
};

const rows = (rs: { label: string; value: string }[]) => Object.fromEntries(rs.map((r) => [r.label, r.value]));

describe('podSummary', () => {
  it("leads with kubectl describe pod's facts; the node links to the Node", () => {
    const s = podSummary(pod);
    expect(rows(s.rows)).toEqual({
      Status: 'CrashLoopBackOff',
      Phase: 'Running',
      Node: 'node-2/172.18.0.3',
      IP: '10.244.1.5',
      'QoS Class': 'Burstable',
      Priority: '0',
      'Service Account': 'default',
      'Start Time': '2026-11-23T20:00:00Z',
    });
    expect(s.rows.find((r) => r.label === 'Node')?.link).toBe('/r/core/v1/nodes/node-2');
    expect(s.rows[0].tone).toBe('bad');
  });
  it('has one group per container: image, state, ready, restarts, ports, requests/limits, mounts', () => {
    const [nginx, sidecar] = podSummary(pod).groups;
    expect(nginx.title).toBe('nginx');
    expect(nginx.status).toEqual({ text: 'Running', tone: 'ok' });
    expect(rows(nginx.rows)).toEqual({ Image: 'nginx:1.25', State: 'Running', Ready: 'True', 'Restart Count': '0', Ports: '80/TCP', Requests: 'cpu: 100m, memory: 64Mi', Limits: '<none>', Mounts: '2' });
    expect(rows(sidecar.rows)).toMatchObject({ State: 'Waiting (CrashLoopBackOff)', 'Last State': 'Terminated (Error, exit code 1)', Ready: 'False', 'Restart Count': '3', Ports: '<none>', Mounts: '0' });
  });
  it('an unscheduled pod has no node and no IP; a deleted one is Terminating', () => {
    const pending: PodObject = { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'x' }] }, status: { phase: 'Pending' } };
    expect(rows(podSummary(pending).rows)).toMatchObject({ Status: 'Pending', Node: '<none>', IP: '<none>' });
    expect(podSummary(pending).groups[0].rows[1]).toMatchObject({ value: 'Waiting', tone: 'warn' });
    expect(podStatusText({ ...pod, metadata: { ...pod.metadata, deletionTimestamp: 'x' } })).toBe('Terminating');
    expect(podStatusText({ metadata: { name: 'e' }, status: { phase: 'Failed', reason: 'Evicted' } })).toBe('Evicted');
  });
  it('shows both IPs of a dual-stack pod', () => {
    const dual = { ...pod, status: { ...pod.status, podIPs: [{ ip: '10.244.1.5' }, { ip: 'fd00::5' }] } };
    expect(podSummary(dual).rows.find((r) => r.label === 'IPs')?.value).toBe('10.244.1.5, fd00::5');
  });
});
