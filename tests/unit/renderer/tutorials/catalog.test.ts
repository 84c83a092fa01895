import { describe, expect, it } from 'vitest';
import { findTutorial, TUTORIALS } from '../../../../src-renderer/features/tutorials/catalog';
import { manifestDocs } from '../../../../src-renderer/features/tutorials/apply-manifest';

describe('tutorial catalog', () => {
  it('has the five seed tutorials with unique ids and steps', () => {
    expect(TUTORIALS.map((t) => t.id)).toEqual(['first-app', 'getting-started', 'pods-deployments-services', 'kubernetes-201', 'web-app-redis']);
    for (const t of TUTORIALS) {
      expect(new Set(t.steps.map((s) => s.id)).size, t.id).toBe(t.steps.length);
      expect(t.steps.length, t.id).toBeGreaterThan(5);
      expect(t.steps.some((s) => s.check), t.id).toBe(true);
      expect(t.steps.some((s) => !s.check), t.id).toBe(true);
      for (const s of t.steps) expect(s.commands?.length || s.manifest || s.ui, `${t.id}/${s.id}`).toBeTruthy();
    }
    expect(findTutorial('first-app')?.steps[0].commands).toEqual(['kubectl create deployment kubia --image=luksa/kubia:1.0']);
    expect(findTutorial('nope')).toBeUndefined();
  });
  it('keeps the seed commands as typed', () => {
    const commands = TUTORIALS.flatMap((t) => t.steps.flatMap((s) => s.commands ?? []));
    for (const c of [
      'kubectl expose deployment kubia --type=LoadBalancer --port 8080',
      'kubectl scale deployment kubia --replicas=3',
      'kubectl apply -f deploy/frontend/20-deployment.yaml',
      'kubectl rollout undo deploy web-deploy --to-revision=1',
      'kubectl exec -it test-pod -c web /bin/bash',
      'kubectl delete pod -l app=nginx',
      'kubectl exec -it backend-78d87dd74b-pk7tr -- nslookup redis',
    ])
      expect(commands).toContain(c);
  });
  it('every manifest parses into objects the UI can apply, in the tutorial namespace', () => {
    let n = 0;
    for (const t of TUTORIALS)
      for (const s of t.steps) {
        if (!s.manifest) continue;
        const docs = manifestDocs(s.manifest.yaml, t.namespace);
        expect(docs.length, `${t.id}/${s.id}`).toBeGreaterThan(0);
        for (const d of docs) expect(d.obj.metadata.namespace).toBe('default');
        n += docs.length;
      }
    expect(n).toBeGreaterThan(20);
    const [pvc] = manifestDocs(findTutorial('web-app-redis')!.steps.find((s) => s.id === 'pvc')!.manifest!.yaml, 'default');
    expect(pvc.ref).toEqual({ group: '', version: 'v1', resource: 'persistentvolumeclaims' });
    const two = manifestDocs(findTutorial('pods-deployments-services')!.steps.find((s) => s.id === 'labels')!.manifest!.yaml, 'default');
    expect(two.map((d) => d.obj.metadata.name)).toEqual(['webapp', 'api-server']);
    expect(() => manifestDocs('kind: Widget\napiVersion: x/v1\nmetadata: {name: a}', 'default')).toThrow(/cannot apply Widget/);
  });
});
