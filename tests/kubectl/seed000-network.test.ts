/**
 * Seed 000 ("Running your first application on Kubernetes", Kubernetes in Action 2nd ed. ch. 3)
 * on the network, end to end: the seed's commands verbatim with real kubectl, and its `curl`s
 * with real curl and node's http client against `kubesim serve --fast`:
 * create deployment luksa/kubia:1.0 → expose as a LoadBalancer on 8080 → EXTERNAL-IP 127.0.0.1 →
 * `curl 127.0.0.1:8080` answers `Hey there, this is kubia-…. Your IP is ::ffff:….` → the NodePort
 * answers the same → scale to 3 → repeated requests reach different pods (listing 3.16) → each
 * pod's log shows the requests it served. When another process holds 127.0.0.1:8080 the Service
 * stays `<pending>` with the upstream-style Warning, and the NodePort (which always works, as
 * the seed's minikube section says) carries the checks.
 */
import { spawnSync } from 'node:child_process';
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { table, useServe } from './harness';
import { POD_SUFFIX, TEMPLATE_HASH, getJson, waitFor } from './workloads-helpers';

const s = useServe();

/** One HTTP/1.1 GET on a fresh connection (as each `curl` makes); resolves with status and body. */
function httpGet(port: number, path = '/', keepAlive = false): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false, headers: { Connection: keepAlive ? 'keep-alive' : 'close', 'User-Agent': 'curl/8.5.0', Accept: '*/*' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body, headers: res.headers });
        req.destroy();
      });
      res.on('error', reject);
    });
    req.setTimeout(10_000, () => req.destroy(new Error(`GET 127.0.0.1:${port}${path} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

function curl(url: string): { code: number; stdout: string; stderr: string } {
  const r = spawnSync('curl', ['-sS', '--max-time', '10', url], { encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

const HEY = new RegExp(`^Hey there, this is (kubia-${TEMPLATE_HASH}-${POD_SUFFIX})\\. Your IP is (::ffff:\\d+\\.\\d+\\.\\d+\\.\\d+)\\. \\n$`);

function podNames(): string[] {
  return getJson(s, ['pods', '-l', 'app=kubia'])
    .items.filter((p: { metadata: { deletionTimestamp?: string } }) => !p.metadata.deletionTimestamp)
    .map((p: { metadata: { name: string } }) => p.metadata.name)
    .sort();
}

describe('seed 000 on the network (luksa/kubia:1.0 behind a LoadBalancer)', () => {
  let port = 0; // the port that answers: 8080 on 127.0.0.1, or the NodePort when 8080 is taken
  let nodePort = 0;
  let lbBound = false;

  it('$ kubectl create deployment kubia --image=luksa/kubia:1.0 → 1/1 ready', async () => {
    expect(s.ok(['create', 'deployment', 'kubia', '--image=luksa/kubia:1.0'])).toBe('deployment.apps/kubia created\n');
    await waitFor('kubia 1/1', () => table(s.ok(['get', 'deployments']))[1]?.[1] === '1/1', 60_000, () => s.ok(['get', 'pods', '-o', 'wide']));
  });

  it('$ kubectl expose deployment kubia --type=LoadBalancer --port 8080 → EXTERNAL-IP 127.0.0.1 (or <pending> with the reason when 8080 is taken)', async () => {
    expect(s.ok(['expose', 'deployment', 'kubia', '--type=LoadBalancer', '--port', '8080'])).toBe('service/kubia exposed\n');
    const svc = getJson(s, ['svc', 'kubia']);
    nodePort = svc.spec.ports[0].nodePort;
    expect(nodePort).toBeGreaterThanOrEqual(30000);
    expect(nodePort).toBeLessThanOrEqual(32767);
    const outcome = await waitFor(
      'the load balancer to be ensured or to fail',
      () => {
        const row = table(s.ok(['get', 'svc', 'kubia']))[1]!;
        if (row[3] === '127.0.0.1') return { bound: true, row };
        const events = s.ok(['get', 'events', '--field-selector', 'involvedObject.name=kubia,involvedObject.kind=Service', '-o', 'json']);
        const failed = JSON.parse(events).items.find((e: { reason: string }) => e.reason === 'SyncLoadBalancerFailed');
        return failed ? { bound: false, row, failed } : undefined;
      },
      30_000,
      () => s.ok(['get', 'svc', 'kubia']),
    );
    const row = outcome.row;
    expect(row[0]).toBe('kubia');
    expect(row[1]).toBe('LoadBalancer');
    expect(row[4]).toBe(`8080:${nodePort}/TCP`);
    lbBound = outcome.bound;
    if (lbBound) {
      expect(getJson(s, ['svc', 'kubia']).status.loadBalancer.ingress[0].ip).toBe('127.0.0.1');
      port = 8080;
    } else {
      expect(row[3]).toBe('<pending>');
      expect(outcome.failed.type).toBe('Warning');
      expect(outcome.failed.message).toContain(String(nodePort));
      port = nodePort;
    }
  });

  it('$ curl 127.0.0.1:8080 → Hey there, this is kubia-…. Your IP is ::ffff:….', async () => {
    const [pod] = podNames();
    const r = curl(`127.0.0.1:${port}`);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const m = HEY.exec(r.stdout);
    expect(m, r.stdout).not.toBeNull();
    expect(m![1]).toBe(pod);
    // a keep-alive client (as curl is): node's http server under app.js answers without a
    // Content-Type, with node's keep-alive headers
    const viaNode = await httpGet(port, '/', true);
    expect(viaNode.status).toBe(200);
    expect(viaNode.body).toMatch(HEY);
    expect(viaNode.headers['content-type']).toBeUndefined();
    expect(viaNode.headers['keep-alive']).toBe('timeout=5');
  });

  it('the NodePort answers too (curl 127.0.0.1:<nodePort>)', async () => {
    const r = await httpGet(nodePort);
    expect(r.status).toBe(200);
    expect(HEY.exec(r.body)?.[1]).toBe(podNames()[0]);
  });

  it('$ kubectl scale deployment kubia --replicas=3 → requests are spread across the pods (listing 3.16)', async () => {
    expect(s.ok(['scale', 'deployment', 'kubia', '--replicas=3'])).toBe('deployment.apps/kubia scaled\n');
    await waitFor('kubia 3/3', () => table(s.ok(['get', 'deploy']))[1]?.[1] === '3/3', 60_000, () => s.ok(['get', 'pods', '-o', 'wide']));
    const pods = podNames();
    expect(pods).toHaveLength(3);
    // endpoints follow readiness: wait until every pod is behind the service
    await waitFor('3 endpoints', () => {
      const slices = getJson(s, ['endpointslices', '-l', 'kubernetes.io/service-name=kubia']).items;
      const ready = slices.flatMap((sl: { endpoints?: { conditions?: { ready?: boolean } }[] }) => sl.endpoints ?? []).filter((e: { conditions?: { ready?: boolean } }) => e.conditions?.ready);
      return ready.length === 3;
    });
    const seen = new Map<string, number>();
    for (let i = 0; i < 45; i++) {
      const r = await httpGet(port);
      expect(r.status).toBe(200);
      const m = HEY.exec(r.body);
      expect(m, r.body).not.toBeNull();
      expect(pods).toContain(m![1]);
      seen.set(m![1]!, (seen.get(m![1]!) ?? 0) + 1);
    }
    // random choice among 3 endpoints: 45 requests miss a pod with probability ~3·(2/3)^45 ≈ 4e-8
    expect([...seen.keys()].sort()).toEqual(pods);
    // the same through the NodePort when the LB port was the one used above
    if (lbBound) {
      const viaNodePort = new Set<string>();
      for (let i = 0; i < 30; i++) viaNodePort.add(HEY.exec((await httpGet(nodePort)).body)![1]!);
      expect(viaNodePort.size).toBeGreaterThanOrEqual(2);
    }
  });

  it('$ kubectl logs shows app.js lines: start-up, then one line per request it served', () => {
    for (const pod of podNames()) {
      const log = s.ok(['logs', pod]);
      const lines = log.trimEnd().split('\n');
      expect(lines.slice(0, 3)).toEqual(['Kubia server starting...', `Local hostname is ${pod}`, 'Listening on port 8080']);
      for (const l of lines.slice(3)) expect(l).toMatch(/^Received request for \/ from ::ffff:\d+\.\d+\.\d+\.\d+$/);
    }
  });
});
