/**
 * Real kubectl binaries against the OpenAPI handler behind a tiny HTTPS server (fake-apiserver.ts).
 * kubectl 1.27/1.28 fetch /openapi/v2 as gnostic protobuf before anything else (a bad answer fails the
 * command); all versions then read /openapi/v3 for explain and for the fieldValidation check.
 * Skips binaries that are not installed.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeServer, type FakeServer } from './fake-apiserver';
import { HAS_PATCH_META } from '../../../src-main/apiserver/openapi/generated/definitions';

const SDK = '/usr/lib/google-cloud-sdk/bin';
const BINARIES = [`${SDK}/kubectl.1.27`, `${SDK}/kubectl.1.28`, `${SDK}/kubectl.1.33`, '/usr/bin/kubectl'].filter((b) => existsSync(b));

function kubectl(server: FakeServer, bin: string, args: string[], stdin = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const cache = mkdtempSync(join(tmpdir(), 'kubectl-cache-'));
  return new Promise((resolve) => {
    const c = spawn(bin, ['--kubeconfig', server.kubeconfig, '--cache-dir', cache, ...args], { env: { ...process.env, KUBECACHEDIR: cache } });
    let stdout = '';
    let stderr = '';
    c.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    c.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    c.on('close', (code) => resolve({ code, stdout, stderr }));
    c.stdin.end(stdin);
  });
}

describe.skipIf(BINARIES.length === 0)('kubectl explain against /openapi', () => {
  let server: FakeServer;
  beforeAll(async () => {
    server = await startFakeServer();
  });
  afterAll(async () => {
    await server.close();
  });

  test.each(BINARIES)('%s explain pods.spec.containers', async (bin) => {
    const r = await kubectl(server, bin, ['explain', 'pods.spec.containers']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^KIND:\s+Pod\nVERSION:\s+v1\n\nFIELD: containers <\[\]Container>\n/);
    expect(r.stdout).toContain('DESCRIPTION:\n    List of containers belonging to the pod.');
    expect(r.stdout).toContain('FIELDS:\n  args\t<[]string>\n');
    expect(r.stdout).toContain('  name\t<string> -required-\n');
    expect(r.stdout).toContain('  ports\t<[]ContainerPort>\n');
    expect(r.stdout).toContain('  resources\t<ResourceRequirements>\n');
  });

  test.each(BINARIES)('%s explain deployment.spec.strategy --api-version=apps/v1', async (bin) => {
    const r = await kubectl(server, bin, ['explain', 'deployment.spec.strategy', '--api-version=apps/v1']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^GROUP:\s+apps\nKIND:\s+Deployment\nVERSION:\s+v1\n\nFIELD: strategy <DeploymentStrategy>\n/);
    expect(r.stdout).toContain('  rollingUpdate\t<RollingUpdateDeployment>\n');
    expect(r.stdout).toContain('  type\t<string>\n');
  });

  test.each(BINARIES)('%s explain deploy.spec.strategy.rollingUpdate shows IntOrString', async (bin) => {
    const r = await kubectl(server, bin, ['explain', 'deploy.spec.strategy.rollingUpdate']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('  maxSurge\t<IntOrString>\n');
  });

  test.each(BINARIES)('%s create sends fieldValidation=Strict (server supports it)', async (bin) => {
    server.requests.length = 0;
    const r = await kubectl(server, bin, ['create', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { a: 'b' } }));
    expect(r.code).toBe(0);
    const post = server.requests.find((q) => q.method === 'POST');
    expect(post?.path).toContain('fieldValidation=Strict');
  });

  // kubectl computes client-side apply patches from the OpenAPI's x-kubernetes-patch-* extensions
  // (v2 protobuf in 1.27/1.28, v3 later). Without them lists are replaced whole and removals are lost.
  // Those extensions come from src-main/api/patch-meta.ts (see scripts/gen-openapi.mjs).
  test.skipIf(!HAS_PATCH_META).each(BINARIES)('%s apply computes a strategic merge patch with merge keys', async (bin) => {
    const pod = (env: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: apply-${bin.replace(/\W/g, '')}\nspec:\n  containers:\n  - name: c\n    image: nginx\n    env:\n${env}`;
    const args = ['apply', '-f', '-'];
    await kubectl(server, bin, args, pod('    - name: A\n      value: a\n    - name: B\n      value: b\n'));
    server.requests.length = 0;
    const r = await kubectl(server, bin, args, pod('    - name: A\n      value: a\n'));
    expect(r.code).toBe(0);
    const patch = server.requests.find((q) => q.method === 'PATCH');
    expect(patch?.contentType).toBe('application/strategic-merge-patch+json');
    expect(patch?.body).toContain('"$patch":"delete"');
    expect(patch?.body).toContain('$setElementOrder/containers');
  });
});
