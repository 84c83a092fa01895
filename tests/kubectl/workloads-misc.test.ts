/**
 * Workload behaviour the seed tutorials and issue 4 ask for, as a user types it against
 * `kubesim serve --fast`: a busybox `sh -c 'exit 1'` crash-looping (RESTARTS growing, the
 * CrashLoopBackOff status, describe's Last State and BackOff event), `kubectl logs -f` of a
 * `while true; do echo tick; sleep 1; done` loop streaming line by line, `--previous`, an unknown
 * image tag (ErrImagePull / ImagePullBackOff with the containerd message), cordon keeping new pods
 * off a node and uncordon, and a restart of `kubesim serve` on the same data dir: the Deployment's
 * pods come back Running with the same names, the ReplicaSet/Deployment status intact, and a
 * StatefulSet's claim still bound to the same volume, and what a pod wrote to its claim on disk in
 * `<dataDir>/volumes/<pv>` and readable by a new pod after the restart.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KUBECTL, table, useServe } from './harness';
import { AGE, POD_SUFFIX, TEMPLATE_HASH, WORKERS, describeEvents, getJson, rows, waitFor } from './workloads-helpers';

const s = useServe();

const jsonpath = (what: string[], path: string) => s.kubectl(['get', ...what, '-o', `jsonpath=${path}`]).stdout;

describe('a crashing container', () => {
  it("$ kubectl run crash --image=busybox -- sh -c 'exit 1' → CrashLoopBackOff, RESTARTS growing, describe shows BackOff", async () => {
    expect(s.ok(['run', 'crash', '--image=busybox', '--', 'sh', '-c', 'exit 1'])).toBe('pod/crash created\n');
    const uid = getJson(s, ['pod', 'crash']).metadata.uid;
    const first = await waitFor('CrashLoopBackOff after a restart', () => {
      const r = rows(s, ['pod', 'crash'])[1];
      return r?.[2] === 'CrashLoopBackOff' && /^[1-9]/.test(r[3]) ? r : undefined;
    });
    expect(first.slice(0, 3)).toEqual(['crash', '0/1', 'CrashLoopBackOff']);
    expect(first[3]).toMatch(/^\d+ \(\d+s ago\)$/);
    const n1 = Number(first[3].split(' ')[0]);
    // The back-off doubles (10 s, 20 s, …): the next restart comes, and not in a hot loop.
    const later = await waitFor('another restart', () => {
      const r = rows(s, ['pod', 'crash'])[1];
      return Number(r?.[3].split(' ')[0]) > n1 ? r : undefined;
    }, 45_000);
    expect(Number(later[3].split(' ')[0])).toBe(n1 + 1);
    const st = getJson(s, ['pod', 'crash']).status.containerStatuses[0];
    expect(st.lastState.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
    expect(getJson(s, ['pod', 'crash']).status.phase).toBe('Running');
    const out = await waitFor('the waiting CrashLoopBackOff state in describe', () => {
      const d = s.ok(['describe', 'pod', 'crash']);
      return /State:\s+Waiting\n\s+Reason:\s+CrashLoopBackOff/.test(d) ? d : undefined;
    });
    expect(out).toMatch(/^\s+Last State:\s+Terminated\n\s+Reason:\s+Error\n\s+Exit Code:\s+1$/m);
    expect(out).toMatch(/^\s+Restart Count:\s+[1-9]\d*$/m);
    const events = describeEvents(out);
    const backoff = events.find((e) => e[1] === 'BackOff')!;
    expect(backoff).toBeDefined();
    expect(backoff[0]).toBe('Warning');
    expect(backoff[2]).toMatch(/^\d+s( \(x\d+ over \d+s\))?$/);
    expect(backoff[3]).toBe('kubelet');
    expect(backoff[4]).toBe(`Back-off restarting failed container crash in pod crash_default(${uid})`);
    // Every start is an event of its own or counted in one: Started (xN) with N = restarts + 1 at least.
    const started = events.find((e) => e[1] === 'Started')!;
    expect(started[4]).toBe('Started container crash');
    const waiting = jsonpath(['pod', 'crash'], '{.status.containerStatuses[0].state.waiting.message}');
    expect(waiting).toMatch(new RegExp(`^back-off (10s|20s|40s|1m20s) restarting failed container=crash pod=crash_default\\(${uid}\\)$`));
  }, 90_000);

  it('$ kubectl logs crash --previous → the last run (silent); a pod that never restarted has no previous', async () => {
    expect(s.kubectl(['logs', 'crash', '--previous'])).toEqual({ code: 0, stdout: '', stderr: '' });
    s.ok(['run', 'once', '--image=busybox', '--restart=Never', '--', 'sh', '-c', 'echo done']);
    await waitFor('once Completed', () => rows(s, ['pod', 'once'])[1]?.[2] === 'Completed');
    expect(s.ok(['logs', 'once'])).toBe('done\n');
    const r = s.kubectl(['logs', 'once', '--previous']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('Error from server (BadRequest): previous terminated container "once" in pod "once" not found\n');
  });
});

describe('kubectl logs -f', () => {
  it("$ kubectl run ticker --image=busybox -- sh -c 'while true; do echo tick; sleep 1; done'; kubectl logs -f ticker → lines as they are printed", async () => {
    expect(s.ok(['run', 'ticker', '--image=busybox', '--', 'sh', '-c', 'while true; do echo tick; sleep 1; done'])).toBe('pod/ticker created\n');
    await waitFor('ticker Running', () => rows(s, ['pod', 'ticker'])[1]?.[2] === 'Running');
    expect(WORKERS).toContain(getJson(s, ['pod', 'ticker']).spec.nodeName);
    const child = spawn(KUBECTL.default, ['--kubeconfig', s.kubeconfig, '--cache-dir', s.cacheDir, 'logs', '-f', 'ticker'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const arrivals: { at: number; text: string }[] = [];
    child.stdout.on('data', (d: Buffer) => arrivals.push({ at: Date.now(), text: d.toString() }));
    try {
      const start = await waitFor('the first ticks', () => (arrivals.length ? arrivals.map((a) => a.text).join('') : undefined), 15_000);
      const before = start.split('\n').filter(Boolean).length;
      // Three more lines arrive while kubectl keeps the stream open, about a second apart.
      await waitFor('three more ticks', () => arrivals.map((a) => a.text).join('').split('\n').filter(Boolean).length >= before + 3, 15_000);
      const all = arrivals.map((a) => a.text).join('');
      expect(all).toMatch(/^(tick\n)+$/);
      const t0 = arrivals[0].at;
      const last = arrivals.at(-1)!.at;
      expect(last - t0).toBeGreaterThanOrEqual(1500);
      expect(child.exitCode).toBeNull();
    } finally {
      child.kill();
    }
    expect(s.ok(['logs', 'ticker', '--tail=2'])).toBe('tick\ntick\n');
  }, 60_000);
});

describe('an image that cannot be pulled', () => {
  it('$ kubectl run bad --image=nginx:no-such-tag → ErrImagePull, then ImagePullBackOff, with the containerd message', async () => {
    expect(s.ok(['run', 'bad', '--image=nginx:no-such-tag'])).toBe('pod/bad created\n');
    const seen = new Set<string>();
    await waitFor('ImagePullBackOff', () => {
      const r = rows(s, ['pod', 'bad'])[1];
      if (r) seen.add(r[2]);
      return r?.[2] === 'ImagePullBackOff' ? r : undefined;
    });
    expect(rows(s, ['pod', 'bad'])[1].slice(0, 4)).toEqual(['bad', '0/1', 'ImagePullBackOff', '0']);
    const out = s.ok(['describe', 'pod', 'bad']);
    expect(out).toMatch(/^\s+State:\s+Waiting\n\s+Reason:\s+(ImagePullBackOff|ErrImagePull)$/m);
    const events = describeEvents(out).map((e) => [e[0], e[1], e[3], e[4]]);
    const ref = 'docker.io/library/nginx:no-such-tag';
    expect(events).toEqual(
      expect.arrayContaining([
        ['Normal', 'Scheduled', 'default-scheduler', expect.stringMatching(/^Successfully assigned default\/bad to kubesim-worker2?$/)],
        ['Normal', 'Pulling', 'kubelet', 'Pulling image "nginx:no-such-tag"'],
        ['Warning', 'Failed', 'kubelet', `Failed to pull image "nginx:no-such-tag": rpc error: code = NotFound desc = failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": ${ref}: not found`],
        ['Warning', 'Failed', 'kubelet', 'Error: ErrImagePull'],
        ['Normal', 'BackOff', 'kubelet', 'Back-off pulling image "nginx:no-such-tag"'],
        ['Warning', 'Failed', 'kubelet', 'Error: ImagePullBackOff'],
      ]),
    );
    expect(events.map((e) => e[1])).not.toContain('Created');
    s.ok(['delete', 'pod', 'bad', 'crash', 'once', '--grace-period=1']);
  });
});

describe('cordon and uncordon', () => {
  it('$ kubectl cordon kubesim-worker → new pods avoid it; $ kubectl uncordon → they may land there again', async () => {
    expect(s.ok(['cordon', 'kubesim-worker'])).toBe('node/kubesim-worker cordoned\n');
    const nodes = rows(s, ['nodes']);
    expect(nodes.find((n) => n[0] === 'kubesim-worker')![1]).toBe('Ready,SchedulingDisabled');
    expect(getJson(s, ['node', 'kubesim-worker']).spec.taints).toEqual(expect.arrayContaining([expect.objectContaining({ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' })]));
    const existing = jsonpath(['pod', 'ticker'], '{.status.phase}');
    expect(existing).toBe('Running'); // cordon does not evict
    expect(s.ok(['create', 'deployment', 'spread', '--image=nginx', '--replicas=4'])).toBe('deployment.apps/spread created\n');
    const placed = await waitFor('4 pods Running', () => {
      const r = rows(s, ['pods', '-l', 'app=spread', '-o', 'wide']).slice(1);
      return r.length === 4 && r.every((p) => p[2] === 'Running') ? r : undefined;
    });
    expect(placed.map((p) => p[6])).toEqual(['kubesim-worker2', 'kubesim-worker2', 'kubesim-worker2', 'kubesim-worker2']);
    expect(s.ok(['uncordon', 'kubesim-worker'])).toBe('node/kubesim-worker uncordoned\n');
    expect(rows(s, ['nodes']).find((n) => n[0] === 'kubesim-worker')![1]).toBe('Ready');
    s.ok(['scale', 'deployment', 'spread', '--replicas=8']);
    const after = await waitFor('8 pods Running', () => {
      const r = rows(s, ['pods', '-l', 'app=spread', '-o', 'wide']).slice(1);
      return r.length === 8 && r.every((p) => p[2] === 'Running') ? r : undefined;
    });
    // Spreading the Deployment's pods puts the new ones on the free worker.
    expect(after.filter((p) => p[6] === 'kubesim-worker').length).toBeGreaterThanOrEqual(3);
    expect(after.map((p) => p[6])).not.toContain('kubesim-control-plane');
    s.ok(['delete', 'deployment', 'spread']);
  });
});

describe('a restart of kubesim serve', () => {
  const stsYaml = `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: store
spec:
  serviceName: store
  replicas: 1
  selector:
    matchLabels: {app: store}
  template:
    metadata:
      labels: {app: store}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: main
        image: busybox
        command: ["sh", "-c", "echo boot >> /data/boots; cat /data/boots; sleep 3600"]
        volumeMounts:
        - {name: data, mountPath: /data}
  volumeClaimTemplates:
  - metadata:
      name: data
    spec:
      accessModes: [ReadWriteOnce]
      resources:
        requests:
          storage: 1Gi
`;

  it('keeps the Deployment\'s pods Running with the same names, the ReplicaSet/Deployment status, and the StatefulSet\'s claim and volume', async () => {
    expect(s.ok(['create', 'deployment', 'keep', '--image=luksa/kubia:1.0', '--replicas=3'])).toBe('deployment.apps/keep created\n');
    expect(s.ok(['apply', '-f', '-'], { stdin: stsYaml })).toBe('statefulset.apps/store created\n');
    const pods = await waitFor('keep 3/3 and store-0 Running', () => {
      const d = rows(s, ['deploy', 'keep'])[1];
      const p = rows(s, ['pods', '-l', 'app=keep']).slice(1);
      const st = rows(s, ['pod', 'store-0'])[1];
      return d?.[1] === '3/3' && d[3] === '3' && p.length === 3 && p.every((x) => x[2] === 'Running') && st?.[2] === 'Running' ? p : undefined;
    });
    const names = pods.map((p) => p[0]).sort();
    for (const n of names) expect(n).toMatch(new RegExp(`^keep-${TEMPLATE_HASH}-${POD_SUFFIX}$`));
    await waitFor('store wrote its file', () => s.ok(['logs', 'store-0']) === 'boot\n');
    const pvc = getJson(s, ['pvc', 'data-store-0']);
    expect(pvc.status.phase).toBe('Bound');
    const pv = getJson(s, ['pv', pvc.spec.volumeName]);
    const dir: string = pv.spec.hostPath.path;
    expect(dir).toBe(join(s.dir, 'data', 'volumes', pvc.spec.volumeName));
    expect(existsSync(dir)).toBe(true);
    const placeBefore = Object.fromEntries(getJson(s, ['pods', '-l', 'app=keep']).items.map((p: { metadata: { name: string }; spec: { nodeName: string }; status: { podIP: string } }) => [p.metadata.name, [p.spec.nodeName, p.status.podIP]]));
    const rsBefore = getJson(s, ['rs', '-l', 'app=keep']).items.map((r: { metadata: { name: string }; status: object }) => [r.metadata.name, r.status]);
    const deployBefore = getJson(s, ['deploy', 'keep']).status;

    await s.stop();
    await s.start(join(s.dir, 'data'));

    // The same pods (no replacements), Running again; the kubelet re-runs their containers.
    const back = await waitFor('the same 3 pods Running', () => {
      const p = rows(s, ['pods', '-l', 'app=keep']).slice(1);
      // Right after the start the status is still the one written before; wait for the kubelet's report.
      return p.length === 3 && p.every((x) => x[1] === '1/1' && x[2] === 'Running' && /^1 /.test(x[3])) ? p : undefined;
    }, 30_000, () => s.ok(['get', 'pods', '-o', 'wide']));
    expect(back.map((p) => p[0]).sort()).toEqual(names);
    for (const p of back) expect(p[4]).toMatch(AGE);
    // Same node and IP; the containers died with the process, so, as after a node reboot, each
    // counts one restart (sandbox re-created, last state Unknown/255).
    const placeAfter = Object.fromEntries(getJson(s, ['pods', '-l', 'app=keep']).items.map((p: { metadata: { name: string }; spec: { nodeName: string }; status: { podIP: string } }) => [p.metadata.name, [p.spec.nodeName, p.status.podIP]]));
    expect(placeAfter).toEqual(placeBefore);
    for (const p of back) expect(p[3]).toMatch(/^1 \(\d+s ago\)$/);
    const one = s.ok(['describe', 'pod', names[0]]);
    expect(one).toMatch(/^\s+Last State:\s+Terminated\n\s+Reason:\s+Unknown\n\s+Exit Code:\s+255$/m);
    expect(describeEvents(one).map((e) => e[1])).toContain('SandboxChanged');
    const d = await waitFor('keep 3/3 3 3', () => {
      const r = rows(s, ['deploy', 'keep'])[1];
      return r?.slice(1, 4).join(' ') === '3/3 3 3' ? r : undefined;
    });
    expect(d.slice(0, 4)).toEqual(['keep', '3/3', '3', '3']);
    const deployAfter = getJson(s, ['deploy', 'keep']).status;
    expect({ ...deployAfter, conditions: undefined }).toEqual({ ...deployBefore, conditions: undefined });
    expect(deployAfter.conditions.map((c: { type: string; status: string; reason: string }) => [c.type, c.status, c.reason])).toEqual(
      deployBefore.conditions.map((c: { type: string; status: string; reason: string }) => [c.type, c.status, c.reason]),
    );
    expect(getJson(s, ['rs', '-l', 'app=keep']).items.map((r: { metadata: { name: string }; status: object }) => [r.metadata.name, r.status])).toEqual(rsBefore);
    expect(table(s.ok(['get', 'rs', '-l', 'app=keep']))[1].slice(1, 4)).toEqual(['3', '3', '3']);

    // The StatefulSet's pod keeps its claim, bound to the same volume, whose directory is still there.
    await waitFor('store-0 running again', () => {
      const r = rows(s, ['pod', 'store-0'])[1];
      return r?.[2] === 'Running' && /^1 /.test(r[3]);
    });
    expect(getJson(s, ['pvc', 'data-store-0']).status.phase).toBe('Bound');
    expect(getJson(s, ['pvc', 'data-store-0']).spec.volumeName).toBe(pvc.spec.volumeName);
    expect(getJson(s, ['pv', pvc.spec.volumeName]).status.phase).toBe('Bound');
    expect(existsSync(dir)).toBe(true);
    expect(table(s.ok(['get', 'sts', 'store']))[1].slice(0, 2)).toEqual(['store', '1/1']);
  }, 120_000);

  const claimPod = (name: string, script: string) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: main
    image: busybox
    command: ["sh", "-c", ${JSON.stringify(script)}]
    volumeMounts:
    - {name: data, mountPath: /data}
  volumes:
  - name: data
    persistentVolumeClaim: {claimName: keep-data}
`;

  it("data a pod writes to its claim is in the PV's directory on disk and survives a restart of kubesim serve", async () => {
    const claim = `apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: keep-data
spec:
  accessModes: [ReadWriteOnce]
  resources:
    requests:
      storage: 1Gi
`;
    expect(s.ok(['apply', '-f', '-'], { stdin: claim })).toBe('persistentvolumeclaim/keep-data created\n');
    expect(s.ok(['apply', '-f', '-'], { stdin: claimPod('pvc-writer', 'echo hello > /data/f; sleep 3600') })).toBe('pod/pvc-writer created\n');
    await waitFor('pvc-writer Running', () => rows(s, ['pod', 'pvc-writer'])[1]?.[2] === 'Running');
    const pvName: string = getJson(s, ['pvc', 'keep-data']).spec.volumeName;
    const file = join(s.dir, 'data', 'volumes', pvName, 'f');
    expect(getJson(s, ['pv', pvName]).spec.hostPath.path).toBe(join(s.dir, 'data', 'volumes', pvName));
    await waitFor(`${file} written`, () => existsSync(file) && readFileSync(file, 'utf8') === 'hello\n');

    // The writer goes, kubesim restarts (nothing of the old process's memory is left), a new pod
    // mounts the claim and reads what the first one wrote.
    expect(s.ok(['delete', 'pod', 'pvc-writer'])).toBe('pod "pvc-writer" deleted\n');
    await s.stop();
    expect(readFileSync(file, 'utf8')).toBe('hello\n');
    await s.start(join(s.dir, 'data'));
    expect(s.ok(['apply', '-f', '-'], { stdin: claimPod('pvc-reader', 'cat /data/f; sleep 3600') })).toBe('pod/pvc-reader created\n');
    await waitFor('pvc-reader Running', () => rows(s, ['pod', 'pvc-reader'])[1]?.[2] === 'Running', 30_000, () => s.ok(['describe', 'pod', 'pvc-reader']));
    await waitFor('kubectl logs pvc-reader shows hello', () => s.kubectl(['logs', 'pvc-reader']).stdout === 'hello\n', 30_000, () => s.kubectl(['logs', 'pvc-reader']).stdout);
    expect(s.ok(['logs', 'pvc-reader'])).toBe('hello\n');
    s.ok(['delete', 'pod', 'pvc-reader', '--wait=false']);
  }, 120_000);
});
