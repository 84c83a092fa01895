/**
 * Seed 002 ("Kubernetes Getting Started"), the workload parts deployment.test.ts does not cover,
 * as typed there against `kubesim serve --fast` (files in fixtures/seed002): pod.yml with the
 * adritasharma image Running, `kubectl get pods --show-labels` (the bare pod's app=web next to the
 * Deployment's pods, which the ReplicaSet does not adopt), get deploy / get rs, self-healing after
 * a pod is deleted (a new name, a young AGE, the same count), scaling by re-applying, and the
 * rolling update of the tutorial (replicas 10, minReadySeconds 5, maxSurge 1, maxUnavailable 0)
 * after which `kubectl get rs` shows the new ReplicaSet with every pod and the old one at 0.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useServe } from './harness';
import { AGE, POD_SUFFIX, TEMPLATE_HASH, WORKERS, getJson, rows, waitFor } from './workloads-helpers';

const FIX = join(__dirname, 'fixtures/seed002');
const s = useServe();

const apply = (file: string) => s.ok(['apply', '-f', join(FIX, file)]);
const DEPLOY_POD = new RegExp(`^web-deploy-(${TEMPLATE_HASH})-${POD_SUFFIX}$`);

/** The Deployment's pods (not terminating) once exactly `n` of them run 1/1 and nothing else is left. */
function deployPods(n: number): Promise<string[][]> {
  return waitFor(
    `${n} web-deploy pods Running`,
    () => {
      const r = rows(s, ['pods', '--show-labels']).slice(1).filter((p) => DEPLOY_POD.test(p[0]));
      return r.length === n && r.every((p) => p[1] === '1/1' && p[2] === 'Running') ? r : undefined;
    },
    45_000,
    () => s.ok(['get', 'pods']),
  );
}

describe('seed 002: a pod from pod.yml', () => {
  it('$ kubectl apply -f pod.yml; kubectl get pods → hello-pod 1/1 Running', async () => {
    expect(apply('pod.yml')).toBe('pod/hello-pod created\n');
    const r = await waitFor('hello-pod Running', () => {
      const t = rows(s, ['pods']);
      return t[1]?.[2] === 'Running' ? t : undefined;
    });
    expect(r[0]).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
    expect(r[1].slice(0, 4)).toEqual(['hello-pod', '1/1', 'Running', '0']);
    const p = getJson(s, ['pod', 'hello-pod']);
    expect(WORKERS).toContain(p.spec.nodeName);
    expect(p.status.podIP).toMatch(/^10\.244\.[12]\.\d+$/);
    expect(p.status.containerStatuses[0]).toMatchObject({ name: 'web-ctr', image: 'docker.io/adritasharma/getting-started-k8s:1.0', ready: true, restartCount: 0, started: true });
    expect(p.status.containerStatuses[0].imageID).toMatch(/^docker\.io\/adritasharma\/getting-started-k8s@sha256:[0-9a-f]{64}$/);
    // A catalog image: no "not in the catalog" warning, the image's real size in Pulled.
    const events = s.ok(['get', 'events', '--field-selector', 'involvedObject.name=hello-pod', '-o', 'jsonpath={range .items[*]}{.reason}{"|"}{.message}{"\\n"}{end}']);
    expect(events).toMatch(/^Pulled\|Successfully pulled image "adritasharma\/getting-started-k8s:1\.0" in \S+ \(\S+ including waiting\)\. Image size: \d+ bytes\.$/m);
    expect(events).not.toMatch(/^Warning/m);
  });

  it('$ kubectl expose pod hello-pod --name=hello-svc --target-port=8080 --type=NodePort (the typo --targer-port is kubectl\'s error)', () => {
    const typo = s.kubectl(['expose', 'pod', 'hello-pod', '--name=hello-svc', '--targer-port=8080', '--type=NodePort']);
    expect(typo.code).toBe(1);
    expect(typo.stderr).toContain('unknown flag: --targer-port');
    expect(s.ok(['expose', 'pod', 'hello-pod', '--name=hello-svc', '--target-port=8080', '--type=NodePort'])).toBe('service/hello-svc exposed\n');
    expect(getJson(s, ['svc', 'hello-svc']).spec.selector).toEqual({ app: 'web' });
  });
});

describe('seed 002: a Deployment', () => {
  let hash = '';

  it('$ kubectl apply -f deploy.yml; kubectl get pods --show-labels', async () => {
    expect(apply('deploy.yml')).toBe('deployment.apps/web-deploy created\n');
    const pods = await deployPods(5);
    const t = rows(s, ['pods', '--show-labels']);
    expect(t[0]).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'LABELS']);
    hash = DEPLOY_POD.exec(pods[0][0])![1];
    for (const p of pods) {
      expect(p[0]).toMatch(DEPLOY_POD);
      expect(p.slice(1, 4)).toEqual(['1/1', 'Running', '0']);
      expect(p[4]).toMatch(AGE);
      expect(p[5]).toBe(`app=web,pod-template-hash=${hash}`);
    }
    // hello-pod matches the Deployment's selector but has no pod-template-hash: left alone.
    const bare = t.find((p) => p[0] === 'hello-pod')!;
    expect(bare.slice(1, 4)).toEqual(['1/1', 'Running', '0']);
    expect(bare[5]).toBe('app=web');
    expect(getJson(s, ['pod', 'hello-pod']).metadata.ownerReferences).toBeUndefined();
    expect(t).toHaveLength(7);
  });

  it('$ kubectl get pods -- show-labels (as the tutorial typed it) → a pod named show-labels, not found', () => {
    expect(s.kubectl(['get', 'pods', '--', 'show-labels'])).toEqual({ code: 1, stdout: '', stderr: 'Error from server (NotFound): pods "show-labels" not found\n' });
  });

  it('$ kubectl get deploy; kubectl get rs', async () => {
    const d = await waitFor('web-deploy 5/5', () => {
      const t = rows(s, ['deploy']);
      return t[1]?.[1] === '5/5' && t[1][3] === '5' ? t : undefined;
    });
    expect(d[0]).toEqual(['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE']);
    expect(d[1].slice(0, 4)).toEqual(['web-deploy', '5/5', '5', '5']);
    const rs = rows(s, ['rs']);
    expect(rs[0]).toEqual(['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE']);
    expect(rs).toHaveLength(2);
    expect(rs[1].slice(0, 4)).toEqual([`web-deploy-${hash}`, '5', '5', '5']);
    expect(rs[1][4]).toMatch(AGE);
  });

  it('self-healing: $ kubectl delete pod <one>; kubectl get pods → 5 again, one of them new', async () => {
    const before = (await deployPods(5)).map((p) => p[0]);
    const victim = before[2];
    expect(s.ok(['delete', 'pod', victim])).toBe(`pod "${victim}" deleted\n`);
    const after = await waitFor('a replacement Running', () => {
      const r = rows(s, ['pods']).slice(1).filter((p) => DEPLOY_POD.test(p[0]));
      return r.length === 5 && !r.some((p) => p[0] === victim) && r.every((p) => p[2] === 'Running') ? r : undefined;
    });
    const fresh = after.filter((p) => !before.includes(p[0]));
    expect(fresh).toHaveLength(1);
    expect(fresh[0][0]).toMatch(new RegExp(`^web-deploy-${hash}-${POD_SUFFIX}$`));
    expect(fresh[0].slice(1, 4)).toEqual(['1/1', 'Running', '0']);
    // The replacement is seconds old; the others keep their age.
    expect(fresh[0][4]).toMatch(/^\d+s$/);
    expect(Number(fresh[0][4].slice(0, -1))).toBeLessThan(30);
    const events = s.ok(['get', 'events', '--field-selector', `involvedObject.name=web-deploy-${hash}`, '-o', 'jsonpath={range .items[*]}{.reason}{" "}{.message}{"\\n"}{end}']);
    expect(events).toContain(`SuccessfulCreate Created pod: ${fresh[0][0]}`);
  });

  it('scaling: replicas 10 in deploy.yml, $ kubectl apply -f deploy.yml; kubectl get pods', async () => {
    expect(apply('deploy-10.yml')).toBe('deployment.apps/web-deploy configured\n');
    const pods = await deployPods(10);
    for (const p of pods) expect(p[0]).toMatch(new RegExp(`^web-deploy-${hash}-`));
    expect(rows(s, ['rs'])).toHaveLength(2);
  });

  it('rolling update (replicas 10, minReadySeconds 5, maxUnavailable 0, maxSurge 1), then $ kubectl get rs → two ReplicaSets', async () => {
    expect(apply('deploy-rolling.yml')).toBe('deployment.apps/web-deploy configured\n');
    // During the rollout: never more than 11 pods, never fewer than 10 available.
    let sawBoth = false;
    const done = await waitFor(
      'the rollout to finish',
      () => {
        const d = getJson(s, ['deployment', 'web-deploy']);
        const st = d.status ?? {};
        expect(st.replicas ?? 0).toBeLessThanOrEqual(11);
        if ((st.observedGeneration ?? 0) >= d.metadata.generation) expect(st.availableReplicas ?? 0).toBeGreaterThanOrEqual(10);
        const rs = rows(s, ['rs']);
        if (rs.length === 3 && rs.slice(1).every((r) => Number(r[1]) > 0)) sawBoth = true;
        return (st.observedGeneration ?? 0) >= d.metadata.generation && st.updatedReplicas === 10 && st.replicas === 10 && st.availableReplicas === 10 ? rs : undefined;
      },
      100_000,
      () => s.ok(['get', 'rs']),
    );
    expect(sawBoth).toBe(true);
    expect(done[0]).toEqual(['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE']);
    expect(done).toHaveLength(3);
    const byName = Object.fromEntries(done.slice(1).map((r) => [r[0], r.slice(1, 4)]));
    expect(byName[`web-deploy-${hash}`]).toEqual(['0', '0', '0']);
    const newRs = done.slice(1).find((r) => r[0] !== `web-deploy-${hash}`)!;
    expect(newRs[0]).toMatch(new RegExp(`^web-deploy-${TEMPLATE_HASH}$`));
    expect(newRs.slice(1, 4)).toEqual(['10', '10', '10']);
    const pods = await deployPods(10);
    for (const p of pods) expect(p[0].startsWith(`${newRs[0]}-`)).toBe(true);
    const rsObj = getJson(s, ['rs', newRs[0]]);
    expect(rsObj.spec.template.spec.containers[0].image).toBe('nigelpoulton/getting-started-k8s:2.0');
    expect(rsObj.spec.minReadySeconds).toBe(5);
  }, 120_000);
});
