import { describe, expect, it } from 'vitest';
import { bytesHint, configMapSummary, namespaceSummary, nodeSummary, pvcSummary, pvSummary, secretSummary, taintsText } from '../../../../src-renderer/features/describe/summary-cluster';
import { hasSummary, summaryOf } from '../../../../src-renderer/features/describe/summary';

const rows = (rs: { label: string; value: string }[]) => Object.fromEntries(rs.map((r) => [r.label, r.value]));

describe('nodeSummary', () => {
  const node = {
    metadata: { name: 'node-1', labels: { 'node-role.kubernetes.io/control-plane': '' } },
    spec: { unschedulable: true, taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }, { key: 'gpu', value: 'yes', effect: 'NoExecute' }] },
    status: {
      conditions: [{ type: 'Ready', status: 'True' }],
      addresses: [{ type: 'InternalIP', address: '172.18.0.2' }],
      capacity: { cpu: '4', memory: '8Gi', pods: '110' },
      allocatable: { cpu: '3800m', memory: '7Gi', pods: '110' },
      nodeInfo: { osImage: 'Debian', operatingSystem: 'linux', architecture: 'amd64', kernelVersion: '6.1.0', containerRuntimeVersion: 'kubesim://1.0', kubeletVersion: 'v1.31.0' },
    },
  };
  it('roles, IP, taints, unschedulable, system info; capacity vs allocatable per resource', () => {
    const s = nodeSummary(node);
    expect(rows(s.rows)).toEqual({
      Status: 'Ready,SchedulingDisabled',
      Roles: 'control-plane',
      InternalIP: '172.18.0.2',
      Taints: 'node-role.kubernetes.io/control-plane:NoSchedule, gpu=yes:NoExecute',
      Unschedulable: 'true',
      'OS Image': 'Debian',
      'Operating System': 'linux/amd64',
      'Kernel Version': '6.1.0',
      'Container Runtime': 'kubesim://1.0',
      'Kubelet Version': 'v1.31.0',
    });
    expect(s.groups.map((g) => [g.title, rows(g.rows)])).toEqual([
      ['cpu', { Capacity: '4', Allocatable: '3800m' }],
      ['memory', { Capacity: '8Gi', Allocatable: '7Gi' }],
      ['pods', { Capacity: '110', Allocatable: '110' }],
    ]);
    expect(taintsText(undefined)).toEqual([]);
    expect(bytesHint('memory', '8145280Ki')).toBe('(7.8Gi)');
    expect(bytesHint('memory', '8Gi')).toBeUndefined();
    expect(bytesHint('cpu', '4')).toBeUndefined();
  });
});

describe('namespace, configmap, secret, pvc, pv', () => {
  it('namespace status', () => {
    expect(namespaceSummary({ metadata: { name: 'x' }, status: { phase: 'Terminating' } }).rows[0]).toMatchObject({ value: 'Terminating', tone: 'muted' });
  });
  it('configmap keys with sizes; secret keys with sizes and never their values', () => {
    const cm = configMapSummary({ metadata: { name: 'c' }, data: { 'b.conf': 'héllo', a: '' }, binaryData: { bin: Buffer.from([1, 2, 3]).toString('base64') } });
    expect(cm.groups[0].rows.map((r) => [r.label, r.value])).toEqual([['a', '0 bytes'], ['b.conf', '6 bytes'], ['bin', '3 bytes']]);
    const secretValue = Buffer.from('hunter2-password').toString('base64');
    const s = secretSummary({ metadata: { name: 's' }, type: 'Opaque', data: { password: secretValue } });
    expect(rows(s.rows)).toEqual({ Type: 'Opaque', Keys: '1' });
    expect(s.groups[0].rows.map((r) => [r.label, r.value])).toEqual([['password', '16 bytes']]);
    expect(JSON.stringify(s)).not.toContain(secretValue);
    expect(JSON.stringify(s)).not.toContain('hunter2');
  });
  it('pvc and pv link each other', () => {
    const pvc = pvcSummary({ metadata: { name: 'data', namespace: 'db' }, spec: { volumeName: 'pv-1', storageClassName: 'standard', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } }, status: { phase: 'Bound', capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'] } });
    expect(rows(pvc.rows)).toEqual({ Status: 'Bound', Volume: 'pv-1', StorageClass: 'standard', Capacity: '1Gi', Requested: '1Gi', 'Access Modes': 'RWO', VolumeMode: 'Filesystem' });
    expect(pvc.rows[1].link).toBe('/r/core/v1/persistentvolumes/pv-1');
    const pv = pvSummary({ metadata: { name: 'pv-1' }, spec: { claimRef: { namespace: 'db', name: 'data' }, persistentVolumeReclaimPolicy: 'Delete', accessModes: ['ReadWriteOnce'], capacity: { storage: '1Gi' }, storageClassName: 'standard' }, status: { phase: 'Bound' } });
    expect(rows(pv.rows)).toMatchObject({ Status: 'Bound', Claim: 'db/data', 'Reclaim Policy': 'Delete', Capacity: '1Gi' });
    expect(pv.rows[1].link).toBe('/r/core/v1/persistentvolumeclaims/db/data');
  });
});

describe('summaryOf', () => {
  it('picks the summary by group and resource; other kinds have none', () => {
    expect(hasSummary({ group: '', resource: 'pods' })).toBe(true);
    expect(hasSummary({ group: 'apps', resource: 'deployments' })).toBe(true);
    expect(hasSummary({ group: '', resource: 'events' })).toBe(false);
    expect(hasSummary({ group: 'rbac.authorization.k8s.io', resource: 'roles' })).toBe(false);
    expect(summaryOf({ group: '', resource: 'namespaces' }, { metadata: { name: 'default' }, status: { phase: 'Active' } } as never)?.rows[0].value).toBe('Active');
    expect(summaryOf({ group: '', resource: 'events' }, { metadata: { name: 'e' } })).toBeUndefined();
  });
});
