/**
 * `kubectl describe` on every kind kubesim serves (one object each, from
 * fixtures/all-kinds.yaml, plus the default cluster's node and storage class): every describe
 * exits 0 and prints the lines kubectl's describers print for that kind, including the Events
 * section, which kubectl fills by listing events with an involvedObject field selector.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { KUBECTL, ROOT, Serve } from './harness';

let s: Serve;
let podUid = '';

beforeAll(async () => {
  s = new Serve();
  await s.start();
  s.ok(['create', '-f', join(ROOT, 'tests/kubectl/fixtures/all-kinds.yaml')]);
  podUid = s.ok(['get', 'pod', 'pod1', '-n', 'describe', '-o', 'jsonpath={.metadata.uid}']);
  const cmUid = s.ok(['get', 'cm', 'cm1', '-n', 'describe', '-o', 'jsonpath={.metadata.uid}']);
  const event = (name: string, kind: string, obj: string, uid: string, reason: string, message: string, type: string, component: string, extra: Record<string, unknown> = {}) => ({
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name, namespace: 'describe' },
    involvedObject: { apiVersion: 'v1', kind, name: obj, namespace: 'describe', uid, ...extra },
    reason,
    message,
    type,
    source: { component },
    firstTimestamp: new Date(Date.now() - 120_000).toISOString().replace(/\.\d+Z$/, 'Z'),
    lastTimestamp: new Date(Date.now() - 60_000).toISOString().replace(/\.\d+Z$/, 'Z'),
    count: reason === 'BackOff' ? 3 : 1,
  });
  const events = [
    event('pod1.scheduled', 'Pod', 'pod1', podUid, 'Scheduled', 'Successfully assigned describe/pod1 to kubesim-worker', 'Normal', 'default-scheduler'),
    event('pod1.backoff', 'Pod', 'pod1', podUid, 'BackOff', 'Back-off pulling image "nginx:1.25"', 'Warning', 'kubelet', { fieldPath: 'spec.containers{web}' }),
    event('cm1.touched', 'ConfigMap', 'cm1', cmUid, 'Touched', 'configmap was looked at', 'Normal', 'tester'),
    // Same name and namespace as the pod, but another object (a stale uid): not the pod's.
    event('pod1.stale', 'Pod', 'pod1', '00000000-0000-0000-0000-000000000000', 'Killing', 'from an older pod1', 'Normal', 'kubelet'),
  ];
  s.ok(['create', '-f', '-'], { stdin: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: events }) });
});
afterAll(async () => {
  await s?.stop();
  s?.cleanup();
});

/** Runs describe, expects success and every pattern (line-anchored regexes) in the output. */
function describeOk(args: string[], patterns: (RegExp | string)[], bin?: string): string {
  const r = s.kubectl(['describe', ...args], { bin });
  expect(r.stderr, `describe ${args.join(' ')}`).toBe('');
  expect(r.code, `describe ${args.join(' ')}`).toBe(0);
  for (const p of patterns) {
    if (typeof p === 'string') expect(r.stdout, `describe ${args.join(' ')}: ${p}`).toContain(p);
    else expect(r.stdout, `describe ${args.join(' ')}: ${p}`).toMatch(p);
  }
  return r.stdout;
}

const N = ['-n', 'describe'];
const nameNs = (name: string) => [new RegExp(`^Name:\\s+${name.replace(/\./g, '\\.')}$`, 'm'), /^Namespace:\s+describe$/m];
const noEvents = /^Events:\s+<none>$/m;

describe('kubectl describe, every kind', () => {
  it('namespace', () => {
    describeOk(['ns', 'describe'], [/^Name:\s+describe$/m, /^Labels:\s+kubernetes\.io\/metadata\.name=describe$/m, /^\s+team=sim$/m, /^Status:\s+Active$/m, /^Resource Quotas$/m, /^\s+Name:\s+quota1$/m, /^Resource Limits$/m, /^\s*Container\s+cpu\s+-\s+-\s+100m\s+500m\s+-$/m]);
  });

  it('pod, with the events that involve it (and only those)', () => {
    const out = describeOk(['pod', 'pod1', ...N], [
      ...nameNs('pod1'),
      /^Priority:\s+0$/m,
      /^Service Account:\s+default$/m,
      // Scheduled and run by the kubelet (--fast): on a worker, Running once the container started.
      /^Node:\s+kubesim-worker2?\/172\.18\.0\.\d+$/m,
      /^Labels:\s+app=web$/m,
      /^Status:\s+(Pending|Running)$/m,
      /^Containers:\n  web:\n/m,
      /^    Image:\s+nginx:1\.25$/m,
      /^    Port:\s+80\/TCP$/m,
      /^QoS Class:\s+BestEffort$/m,
      /^Events:\n  Type\s+Reason\s+Age\s+From\s+Message\n  ----\s+------\s+----\s+----\s+-------\n/m,
      /^  Normal\s+Scheduled\s+\S+\s+default-scheduler\s+Successfully assigned describe\/pod1 to kubesim-worker$/m,
      /^  Warning\s+BackOff\s+\S+ \(x3 over \S+\)\s+kubelet\s+Back-off pulling image "nginx:1\.25"$/m,
    ]);
    expect(out).not.toContain('from an older pod1');
    expect(out).not.toContain('configmap was looked at');
    const events = out.slice(out.indexOf('\nEvents:') + 1);
    // Besides the fixture's events, only the kubelet's own ones for this pod (it runs it).
    const rows = events.trimEnd().split('\n').slice(3);
    expect(rows.filter((l) => !/^  (Normal|Warning)\s+(Scheduled|BackOff|Pulling|Pulled|Created|Started)\s/.test(l))).toEqual([]);
  });

  it('service', () => {
    describeOk(['svc', 'svc1', ...N], [...nameNs('svc1'), /^Selector:\s+app=web$/m, /^Type:\s+ClusterIP$/m, /^IP Families:\s+IPv4$/m, /^IP:\s+10\.\d+\.\d+\.\d+$/m, /^Port:\s+http\s+80\/TCP$/m, /^TargetPort:\s+8080\/TCP$/m, /^Endpoints:\s+\S+/m, /^Session Affinity:\s+None$/m, noEvents]);
  });

  it('endpoints', () => {
    describeOk(['endpoints', 'ep1', ...N], [...nameNs('ep1'), /^Subsets:$/m, /^\s+Addresses:\s+10\.244\.1\.7$/m, /^\s+NotReadyAddresses:\s+<none>$/m, /^\s+http\s+8080\s+TCP$/m, noEvents]);
  });

  it('configmap, with its event', () => {
    describeOk(['cm', 'cm1', ...N], [...nameNs('cm1'), /^Data\n====\ngreeting:\n----\nhello\n/m, /^BinaryData\n====\n/m, /^  Normal\s+Touched\s+\S+\s+tester\s+configmap was looked at$/m]);
  });

  it('secret', () => {
    describeOk(['secret', 'secret1', ...N], [...nameNs('secret1'), /^Type:\s+Opaque$/m, /^Data\n====\npassword:\s+6 bytes$/m]);
  });

  it('serviceaccount', () => {
    describeOk(['sa', 'sa1', ...N], [...nameNs('sa1'), /^Image pull secrets:\s+<none>$/m, /^Mountable secrets:\s+<none>$/m, /^Tokens:\s+<none>$/m, noEvents]);
  });

  it('node (existing)', () => {
    describeOk(['node', 'kubesim-worker'], [
      /^Name:\s+kubesim-worker$/m,
      /^Roles:\s+<none>$/m,
      /^Labels:\s+.*kubernetes\.io\/arch=amd64$/m,
      /^\s+kubernetes\.io\/hostname=kubesim-worker$/m,
      /^Taints:\s+<none>$/m,
      /^Unschedulable:\s+false$/m,
      /^Conditions:$/m,
      /^\s+Ready\s+True\s+.*KubeletReady\s+kubelet is posting ready status/m,
      /^Addresses:\n\s+InternalIP:\s+\d+\.\d+\.\d+\.\d+\n/m,
      /^Capacity:\n\s+cpu:\s+\d+/m,
      /^Allocatable:$/m,
      /^System Info:$/m,
      /^\s+Kubelet Version:\s+v1\.\d+\.\d+$/m,
      /^Non-terminated Pods:\s+\(\d+ in total\)$/m,
      /^Allocated resources:$/m,
      /^Events:/m,
    ]);
    describeOk(['node', 'kubesim-control-plane'], [/^Roles:\s+control-plane$/m, /^Taints:\s+node-role\.kubernetes\.io\/control-plane:NoSchedule$/m]);
  });

  it('persistentvolume and persistentvolumeclaim', () => {
    describeOk(['pv', 'describe-pv1'], [/^Name:\s+describe-pv1$/m, /^StorageClass:\s+manual$/m, /^Status:\s+\w+$/m, /^Reclaim Policy:\s+Retain$/m, /^Access Modes:\s+RWO$/m, /^Capacity:\s+1Gi$/m, /^Source:\n\s+Type:\s+HostPath \(bare host directory volume\)\n\s+Path:\s+\/tmp\/pv1$/m, /^Events:/m]);
    describeOk(['pvc', 'pvc1', ...N], [...nameNs('pvc1'), /^StorageClass:\s+manual$/m, /^Status:\s+\w+$/m, /^VolumeMode:\s+Filesystem$/m, /^Used By:\s+<none>$/m, /^Events:/m]);
  });

  it('event', () => {
    describeOk(['events', 'pod1.scheduled', ...N], [...nameNs('pod1.scheduled'), /^Reason:\s+Scheduled$/m, /^Message:\s+Successfully assigned describe\/pod1 to kubesim-worker$/m, /^Involved Object:$/m, /^\s+Kind:\s+Pod$/m, /^Type:\s+Normal$/m]);
  });

  it('limitrange and resourcequota', () => {
    describeOk(['limits', 'lr1', ...N], [...nameNs('lr1'), /^Type\s+Resource\s+Min\s+Max\s+Default Request\s+Default Limit\s+Max Limit\/Request Ratio$/m, /^Container\s+cpu\s+-\s+-\s+100m\s+500m\s+-$/m, /^Container\s+memory\s+-\s+-\s+128Mi\s+256Mi\s+-$/m]);
    describeOk(['quota', 'quota1', ...N], [...nameNs('quota1'), /^Resource\s+Used\s+Hard$/m, /^--------\s+----\s+----$/m]);
  });

  it('replicationcontroller, replicaset', () => {
    describeOk(['rc', 'rc1', ...N], [...nameNs('rc1'), /^Selector:\s+app=rc1$/m, /^Replicas:\s+0 current \/ 0 desired$/m, /^Pods Status:\s+0 Running \/ 0 Waiting \/ 0 Succeeded \/ 0 Failed$/m, /^Pod Template:\n  Labels:\s+app=rc1\n  Containers:\n   web:\n    Image:\s+nginx:1\.25$/m, noEvents]);
    describeOk(['rs', 'rs1', ...N], [...nameNs('rs1'), /^Selector:\s+app=rs1$/m, /^Replicas:\s+0 current \/ 0 desired$/m, /^Pods Status:/m, noEvents]);
  });

  it('deployment', () => {
    describeOk(['deploy', 'deploy1', ...N], [...nameNs('deploy1'), /^CreationTimestamp:\s+\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d \+0000$/m, /^Selector:\s+app=deploy1$/m, /^Replicas:\s+0 desired \| 0 updated \| 0 total \| 0 available \| 0 unavailable$/m, /^StrategyType:\s+RollingUpdate$/m, /^MinReadySeconds:\s+0$/m, /^RollingUpdateStrategy:\s+25% max unavailable, 25% max surge$/m, /^Pod Template:$/m, /^Events:/m]);
  });

  it('statefulset, daemonset, controllerrevision', () => {
    describeOk(['sts', 'sts1', ...N], [...nameNs('sts1'), /^Selector:\s+app=sts1$/m, /^Replicas:\s+0 desired \| \d+ total$/m, /^Update Strategy:\s+RollingUpdate$/m, /^  Partition:\s+0$/m, /^Pods Status:/m, /^Volume Claims:\s+<none>$/m, /^Events:/m]);
    describeOk(['ds', 'ds1', ...N], [/^Name:\s+ds1$/m, /^Selector:\s+app=ds1$/m, /^Node-Selector:\s+kubesim\.io\/none=true$/m, /^Desired Number of Nodes Scheduled: 0$/m, /^Current Number of Nodes Scheduled: 0$/m, /^Pods Status:/m, /^Events:/m]);
    describeOk(['controllerrevision', 'cr1', ...N], [...nameNs('cr1'), /^Revision:\s+1$/m, /^Data:$/m, /^Kind:\s+ControllerRevision$/m]);
  });

  it('job and cronjob', () => {
    describeOk(['job', 'job1', ...N], [...nameNs('job1'), /^Selector:\s+batch\.kubernetes\.io\/controller-uid=[0-9a-f-]{36}$/m, /^Parallelism:\s+1$/m, /^Completions:\s+1$/m, /^Completion Mode:\s+NonIndexed$/m, /^Suspend:\s+true$/m, /^Backoff Limit:\s+6$/m, /^Pods Statuses:\s+0 Active \(0 Ready\) \/ 0 Succeeded \/ 0 Failed$|^Pods Statuses:\s+0 Active \/ 0 Succeeded \/ 0 Failed$/m, /^    Command:\n      sh\n      -c\n      echo hi$/m, /^Events:/m]);
    describeOk(['cj', 'cj1', ...N], [...nameNs('cj1'), /^Schedule:\s+\*\/5 \* \* \* \*$/m, /^Concurrency Policy:\s+Allow$/m, /^Suspend:\s+True$/m, /^Successful Job History Limit:\s+3$/m, /^Failed Job History Limit:\s+1$/m, /^Last Schedule Time:\s+<unset>$/m, /^Active Jobs:\s+<none>$/m, /^Events:/m]);
  });

  it('endpointslice', () => {
    describeOk(['endpointslice', 'slice1', ...N], [...nameNs('slice1'), /^Labels:\s+kubernetes\.io\/service-name=svc1$/m, /^AddressType:\s+IPv4$/m, /^Ports:\n\s+Name\s+Port\s+Protocol\n\s+----\s+----\s+--------\n\s+http\s+8080\s+TCP$/m, /^Endpoints:\n\s+- Addresses:\s+10\.244\.1\.7$/m, /^\s+Ready:\s+true$/m, /^Events:/m]);
  });

  it('storageclass (new and the default one)', () => {
    describeOk(['sc', 'describe-fast'], [/^Name:\s+describe-fast$/m, /^IsDefaultClass:\s+No$/m, /^Provisioner:\s+kubesim\.io\/hostpath$/m, /^ReclaimPolicy:\s+Retain$/m, /^VolumeBindingMode:\s+Immediate$/m, /^Events:/m]);
    describeOk(['sc', 'standard'], [/^Name:\s+standard$/m, /^IsDefaultClass:\s+Yes$/m, /^Annotations:\s+storageclass\.kubernetes\.io\/is-default-class=true$/m, /^ReclaimPolicy:\s+Delete$/m, /^VolumeBindingMode:\s+WaitForFirstConsumer$/m]);
  });

  it('lease (generic describer) and the node leases', () => {
    describeOk(['lease', 'lease1', ...N], [...nameNs('lease1'), /^API Version:\s+coordination\.k8s\.io\/v1$/m, /^Kind:\s+Lease$/m, /^Spec:\n\s+Holder Identity:\s+holder-a\n\s+Lease Duration Seconds:\s+15$/m]);
    describeOk(['lease', 'kubesim-worker', '-n', 'kube-node-lease'], [/^Name:\s+kubesim-worker$/m, /^\s+Holder Identity:\s+kubesim-worker$/m]);
  });

  it('poddisruptionbudget', () => {
    describeOk(['pdb', 'pdb1', ...N], [...nameNs('pdb1'), /^Min available:\s+1$/m, /^Selector:\s+app=web$/m, /^Status:$/m, /^\s+Allowed disruptions:\s+\d+$/m, /^Events:/m]);
  });

  it('ingress and networkpolicy', () => {
    describeOk(['ing', 'ing1', ...N], [/^Name:\s+ing1$/m, /^Namespace:\s+describe$/m, /^Ingress Class:\s+<none>$/m, /^Rules:\n\s+Host\s+Path\s+Backends\n\s+----\s+----\s+--------\n\s+web\.example\.com\s*\n\s+\/\s+svc1:80 \(/m, /^Events:/m]);
    describeOk(['netpol', 'np1', ...N], [...nameNs('np1'), /^Spec:$/m, /^\s+PodSelector:\s+app=web$/m, /^\s+Allowing ingress traffic:$/m, /^\s+To Port: 80\/TCP$/m, /^\s+PodSelector: role=frontend$/m, /^\s+Not affecting egress traffic$/m, /^\s+Policy Types: Ingress$/m]);
  });

  it('horizontalpodautoscaler', () => {
    describeOk(['hpa', 'hpa1', ...N], [...nameNs('hpa1'), /^Reference:\s+Deployment\/deploy1$/m, /^Metrics:\s+\( current \/ target \)$/m, /^\s+resource cpu on pods\s+\(as a percentage of request\):\s+<unknown> \/ 80%$/m, /^Min replicas:\s+1$/m, /^Max replicas:\s+5$/m, /^Events:/m]);
  });

  it('role, rolebinding, clusterrole, clusterrolebinding', () => {
    describeOk(['role', 'role1', ...N], [/^Name:\s+role1$/m, /^PolicyRule:\n\s+Resources\s+Non-Resource URLs\s+Resource Names\s+Verbs\n\s+---------\s+-----------------\s+--------------\s+-----\n\s+pods\s+\[\]\s+\[\]\s+\[get list watch\]$/m]);
    describeOk(['rolebinding', 'rb1', ...N], [/^Name:\s+rb1$/m, /^Role:\n\s+Kind:\s+Role\n\s+Name:\s+role1$/m, /^Subjects:\n\s+Kind\s+Name\s+Namespace\n\s+----\s+----\s+---------\n\s+ServiceAccount\s+sa1\s+describe$/m]);
    describeOk(['clusterrole', 'describe-reader'], [/^Name:\s+describe-reader$/m, /^\s+deployments\.apps\s+\[\]\s+\[\]\s+\[get list\]$/m]);
    describeOk(['clusterrolebinding', 'describe-reader-binding'], [/^Name:\s+describe-reader-binding$/m, /^Role:\n\s+Kind:\s+ClusterRole\n\s+Name:\s+describe-reader$/m, /^\s+User\s+jane\s*$/m]);
  });
});

describe('kubectl describe, other forms and versions', () => {
  it('by type only, and with -l, describes every match', () => {
    const out = describeOk(['cm', ...N], [/^Name:\s+cm1$/m, /^Name:\s+kube-root-ca\.crt$/m]);
    expect(out.match(/^Name:/gm)).toHaveLength(2);
    const byLabel = describeOk(['pods', '-l', 'app=web', ...N], [/^Name:\s+pod1$/m]);
    expect(byLabel.match(/^Name:/gm)).toHaveLength(1);
  });

  it('a missing object is NotFound', () => {
    const r = s.kubectl(['describe', 'pod', 'nope', ...N]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('Error from server (NotFound): pods "nope" not found\n');
  });

  for (const [label, bin] of [
    ['1.27', KUBECTL.v127],
    ['1.33', KUBECTL.v133],
  ] as const) {
    it(`pod, deployment, service and node with kubectl ${label}`, () => {
      describeOk(['pod', 'pod1', ...N], [...nameNs('pod1'), /^Status:\s+(Pending|Running)$/m, /^  Normal\s+Scheduled\s+\S+\s+default-scheduler\s+Successfully assigned describe\/pod1 to kubesim-worker$/m], bin);
      describeOk(['deploy', 'deploy1', ...N], [...nameNs('deploy1'), /^Replicas:\s+0 desired \| 0 updated \| 0 total \| 0 available \| 0 unavailable$/m], bin);
      describeOk(['svc', 'svc1', ...N], [...nameNs('svc1'), /^Type:\s+ClusterIP$/m, /^Port:\s+http\s+80\/TCP$/m], bin);
      describeOk(['node', 'kubesim-worker2'], [/^Name:\s+kubesim-worker2$/m, /^Conditions:$/m], bin);
    });
  }
});
