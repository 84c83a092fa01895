/**
 * The first commands anyone types against a cluster, with real kubectl (1.27, 1.33 and the
 * default /usr/bin/kubectl where the output differs): version, api-resources, explain,
 * `get containers`, the default cluster's nodes, namespaces, services and storage class, and
 * cluster-info — each checked against what a real cluster prints.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KUBECTL, Serve, table } from './harness';

let s: Serve;

beforeAll(async () => {
  s = new Serve();
  await s.start();
});
afterAll(async () => {
  await s?.stop();
  s?.cleanup();
});

/** The row of `kubectl api-resources` (split into columns) whose NAME and APIVERSION match. */
function resourceRow(rows: string[][], name: string, apiVersion: string): string[] | undefined {
  return rows.find((r) => r[0] === name && r.includes(apiVersion));
}

describe('kubectl version', () => {
  it('prints client and server lines (1.32 dispatcher) and the server gitVersion in -o json', () => {
    const r = s.kubectl(['version']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^Client Version: v1\.32\.\d+/);
    expect(lines[1]).toMatch(/^Kustomize Version: v\d+\.\d+\.\d+$/);
    expect(lines[2]).toMatch(/^Server Version: v1\.\d+\.\d+$/);

    const json = JSON.parse(s.ok(['version', '-o', 'json']));
    expect(json.clientVersion.gitVersion).toMatch(/^v1\.32\./);
    expect(json.serverVersion.major).toBe('1');
    expect(json.serverVersion.gitVersion).toMatch(/^v1\.\d+\.\d+$/);
    expect(json.serverVersion.minor).toBe(json.serverVersion.gitVersion.split('.')[1]);
    expect(json.serverVersion.platform).toBe('linux/amd64');
    expect(lines[2]).toBe(`Server Version: ${json.serverVersion.gitVersion}`);
  });

  it('kubectl 1.33 prints the short form too', () => {
    const r = s.kubectl(['version'], { bin: KUBECTL.v133 });
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^Client Version: v1\.33\.\d+$/);
    expect(lines[2]).toMatch(/^Server Version: v1\.\d+\.\d+$/);
  });

  it('kubectl 1.27 prints the version.Info struct for the server', () => {
    const r = s.kubectl(['version'], { bin: KUBECTL.v127 });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Client Version: version\.Info\{Major:"1", Minor:"27", GitVersion:"v1\.27\.\d+"/m);
    expect(r.stdout).toMatch(/^Server Version: version\.Info\{Major:"1", Minor:"\d+", GitVersion:"v1\.\d+\.\d+", GitCommit:"[0-9a-f]{40}", GitTreeState:"clean", BuildDate:"[^"]+", GoVersion:"go[\d.]+", Compiler:"gc", Platform:"linux\/amd64"\}$/m);
    const json = JSON.parse(s.ok(['version', '-o', 'json'], { bin: KUBECTL.v127 }));
    expect(json.serverVersion.gitVersion).toMatch(/^v1\.\d+\.\d+$/);
  });
});

describe('kubectl api-resources', () => {
  it('prints the exact header and the upstream rows for the core kinds', () => {
    const r = s.kubectl(['api-resources']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0].trim().split(/\s+/)).toEqual(['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND']);
    const rows = table(r.stdout).slice(1);
    const expected: [string, string, string, string, string][] = [
      ['pods', 'po', 'v1', 'true', 'Pod'],
      ['services', 'svc', 'v1', 'true', 'Service'],
      ['configmaps', 'cm', 'v1', 'true', 'ConfigMap'],
      ['namespaces', 'ns', 'v1', 'false', 'Namespace'],
      ['nodes', 'no', 'v1', 'false', 'Node'],
      ['persistentvolumeclaims', 'pvc', 'v1', 'true', 'PersistentVolumeClaim'],
      ['persistentvolumes', 'pv', 'v1', 'false', 'PersistentVolume'],
      ['replicationcontrollers', 'rc', 'v1', 'true', 'ReplicationController'],
      ['serviceaccounts', 'sa', 'v1', 'true', 'ServiceAccount'],
      ['deployments', 'deploy', 'apps/v1', 'true', 'Deployment'],
      ['replicasets', 'rs', 'apps/v1', 'true', 'ReplicaSet'],
      ['statefulsets', 'sts', 'apps/v1', 'true', 'StatefulSet'],
      ['daemonsets', 'ds', 'apps/v1', 'true', 'DaemonSet'],
      ['cronjobs', 'cj', 'batch/v1', 'true', 'CronJob'],
      ['horizontalpodautoscalers', 'hpa', 'autoscaling/v2', 'true', 'HorizontalPodAutoscaler'],
      ['ingresses', 'ing', 'networking.k8s.io/v1', 'true', 'Ingress'],
      ['networkpolicies', 'netpol', 'networking.k8s.io/v1', 'true', 'NetworkPolicy'],
      ['poddisruptionbudgets', 'pdb', 'policy/v1', 'true', 'PodDisruptionBudget'],
      ['storageclasses', 'sc', 'storage.k8s.io/v1', 'false', 'StorageClass'],
    ];
    for (const e of expected) expect(resourceRow(rows, e[0], e[2]), e.join(' ')).toEqual(e);
    // Kinds without short names have an empty SHORTNAMES cell (table() drops it).
    expect(resourceRow(rows, 'secrets', 'v1')).toEqual(['secrets', 'v1', 'true', 'Secret']);
    expect(resourceRow(rows, 'jobs', 'batch/v1')).toEqual(['jobs', 'batch/v1', 'true', 'Job']);
    expect(resourceRow(rows, 'leases', 'coordination.k8s.io/v1')).toEqual(['leases', 'coordination.k8s.io/v1', 'true', 'Lease']);
    expect(resourceRow(rows, 'endpointslices', 'discovery.k8s.io/v1')).toEqual(['endpointslices', 'discovery.k8s.io/v1', 'true', 'EndpointSlice']);
    for (const rbac of ['clusterrolebindings', 'clusterroles', 'rolebindings', 'roles']) {
      expect(resourceRow(rows, rbac, 'rbac.authorization.k8s.io/v1'), rbac).toBeDefined();
    }
    // Nothing called "containers" is served (that is what makes `get containers` fail).
    expect(rows.find((r) => r[0] === 'containers')).toBeUndefined();
  });

  it('--api-group=apps lists exactly the apps/v1 resources', () => {
    const rows = table(s.ok(['api-resources', '--api-group=apps']));
    expect(rows[0]).toEqual(['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND']);
    expect(rows.slice(1)).toEqual([
      ['controllerrevisions', 'apps/v1', 'true', 'ControllerRevision'],
      ['daemonsets', 'ds', 'apps/v1', 'true', 'DaemonSet'],
      ['deployments', 'deploy', 'apps/v1', 'true', 'Deployment'],
      ['replicasets', 'rs', 'apps/v1', 'true', 'ReplicaSet'],
      ['statefulsets', 'sts', 'apps/v1', 'true', 'StatefulSet'],
    ]);
  });

  it('-o wide adds VERBS and CATEGORIES (1.32 and 1.27)', () => {
    for (const bin of [KUBECTL.default, KUBECTL.v127]) {
      const rows = table(s.ok(['api-resources', '-o', 'wide'], { bin }));
      expect(rows[0]).toEqual(['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND', 'VERBS', 'CATEGORIES']);
      expect(resourceRow(rows, 'pods', 'v1')).toEqual(['pods', 'po', 'v1', 'true', 'Pod', 'create,delete,deletecollection,get,list,patch,update,watch', 'all']);
      expect(resourceRow(rows, 'deployments', 'apps/v1')).toEqual(['deployments', 'deploy', 'apps/v1', 'true', 'Deployment', 'create,delete,deletecollection,get,list,patch,update,watch', 'all']);
      // Namespaces have no deletecollection upstream.
      expect(resourceRow(rows, 'namespaces', 'v1')).toEqual(['namespaces', 'ns', 'v1', 'false', 'Namespace', 'create,delete,get,list,patch,update,watch']);
    }
  });

  it('--namespaced=false lists only cluster-scoped resources', () => {
    const rows = table(s.ok(['api-resources', '--namespaced=false'])).slice(1);
    expect(rows.length).toBeGreaterThan(3);
    for (const r of rows) expect(r[r.length - 2], r.join(' ')).toBe('false');
    expect(rows.map((r) => r[0])).toEqual(expect.arrayContaining(['namespaces', 'nodes', 'persistentvolumes', 'storageclasses']));
  });
});

describe('kubectl explain', () => {
  for (const [label, bin] of [
    ['1.27', KUBECTL.v127],
    ['1.33', KUBECTL.v133],
  ] as const) {
    it(`explain pods.spec.containers (${label})`, () => {
      const r = s.kubectl(['explain', 'pods.spec.containers'], { bin });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const lines = r.stdout.split('\n');
      expect(lines[0]).toBe('KIND:       Pod');
      expect(lines[1]).toBe('VERSION:    v1');
      expect(r.stdout).toContain('\nFIELD: containers <[]Container>\n');
      expect(r.stdout).toMatch(/\nDESCRIPTION:\n    List of containers belonging to the pod\./);
      expect(r.stdout).toContain('\n    A single application container that you want to run within a pod.\n');
      expect(r.stdout).toContain('\nFIELDS:\n  args\t<[]string>\n');
      expect(r.stdout).toContain('\n  name\t<string> -required-\n    Name of the container specified as a DNS_LABEL.');
      expect(r.stdout).toContain('\n  image\t<string>\n');
      expect(r.stdout).toContain('\n  ports\t<[]ContainerPort>\n');
      expect(r.stdout).toContain('\n  resources\t<ResourceRequirements>\n');
    });

    it(`explain deployment.spec.strategy --api-version=apps/v1 (${label})`, () => {
      const r = s.kubectl(['explain', 'deployment.spec.strategy', '--api-version=apps/v1'], { bin });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const lines = r.stdout.split('\n');
      expect(lines.slice(0, 3)).toEqual(['GROUP:      apps', 'KIND:       Deployment', 'VERSION:    v1']);
      expect(r.stdout).toContain('\nFIELD: strategy <DeploymentStrategy>\n');
      expect(r.stdout).toContain('DeploymentStrategy describes how to replace existing pods with new ones.');
      expect(r.stdout).toContain('\nFIELDS:\n  rollingUpdate\t<RollingUpdateDeployment>\n');
      expect(r.stdout).toMatch(/\n  type\t<string>\n(  enum: Recreate, RollingUpdate\n)?    Type of deployment\. Can be "Recreate" or "RollingUpdate"\. Default is\n    RollingUpdate\./);
    });
  }

  it('explain of an unknown field says so', () => {
    const r = s.kubectl(['explain', 'pods.spec.nope']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('error: field "nope" does not exist\n');
  });
});

describe('kubectl get on the default cluster', () => {
  it('get containers fails with the upstream message (1.27, 1.32, 1.33)', () => {
    for (const bin of [KUBECTL.default, KUBECTL.v127, KUBECTL.v133]) {
      const r = s.kubectl(['get', 'containers'], { bin });
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe('error: the server doesn\'t have a resource type "containers"\n');
    }
  });

  it('get nodes: three Ready nodes, control-plane role on the first', () => {
    const rows = table(s.ok(['get', 'nodes']));
    expect(rows[0]).toEqual(['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION']);
    const nodes = rows.slice(1);
    expect(nodes.map((r) => [r[0], r[1], r[2]])).toEqual([
      ['kubesim-control-plane', 'Ready', 'control-plane'],
      ['kubesim-worker', 'Ready', '<none>'],
      ['kubesim-worker2', 'Ready', '<none>'],
    ]);
    for (const n of nodes) {
      expect(n[3]).toMatch(/^\d+s$|^\d+m(\d+s)?$/);
      expect(n[4]).toMatch(/^v1\.\d+\.\d+$/);
    }
  });

  it('get nodes -o wide adds the node details', () => {
    const rows = table(s.ok(['get', 'nodes', '-o', 'wide']));
    expect(rows[0]).toEqual(['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION', 'INTERNAL-IP', 'EXTERNAL-IP', 'OS-IMAGE', 'KERNEL-VERSION', 'CONTAINER-RUNTIME']);
    for (const n of rows.slice(1)) {
      expect(n).toHaveLength(10);
      expect(n[5]).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
      expect(n[6]).toBe('<none>');
      expect(n[9]).toMatch(/^\w+:\/\/\S+$/);
    }
    expect(new Set(rows.slice(1).map((n) => n[5])).size).toBe(3);
  });

  it('the control-plane node carries the NoSchedule taint', () => {
    const taints = JSON.parse(s.ok(['get', 'node', 'kubesim-control-plane', '-o', 'jsonpath={.spec.taints}']));
    expect(taints).toEqual([{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }]);
  });

  it('get ns lists the four system namespaces, Active', () => {
    const rows = table(s.ok(['get', 'ns']));
    expect(rows[0]).toEqual(['NAME', 'STATUS', 'AGE']);
    expect(rows.slice(1).map((r) => [r[0], r[1]])).toEqual([
      ['default', 'Active'],
      ['kube-node-lease', 'Active'],
      ['kube-public', 'Active'],
      ['kube-system', 'Active'],
    ]);
  });

  it('get svc -A shows kubernetes and kube-dns with their fixed cluster IPs', () => {
    const rows = table(s.ok(['get', 'svc', '-A']));
    expect(rows[0]).toEqual(['NAMESPACE', 'NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE']);
    expect(rows.slice(1).map((r) => r.slice(0, 6))).toEqual([
      ['default', 'kubernetes', 'ClusterIP', '10.96.0.1', '<none>', '443/TCP'],
      ['kube-system', 'kube-dns', 'ClusterIP', '10.96.0.10', '<none>', '53/UDP,53/TCP,9153/TCP'],
    ]);
    const wide = table(s.ok(['get', 'svc', 'kube-dns', '-n', 'kube-system', '-o', 'wide']));
    expect(wide[0]).toEqual(['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE', 'SELECTOR']);
    expect(wide[1][6]).toBe('k8s-app=kube-dns');
  });

  it('get sc shows the default storage class', () => {
    const rows = table(s.ok(['get', 'sc']));
    expect(rows[0]).toEqual(['NAME', 'PROVISIONER', 'RECLAIMPOLICY', 'VOLUMEBINDINGMODE', 'ALLOWVOLUMEEXPANSION', 'AGE']);
    expect(rows).toHaveLength(2);
    expect(rows[1][0]).toBe('standard (default)');
    expect(rows[1].slice(2, 5)).toEqual(['Delete', 'WaitForFirstConsumer', 'false']);
  });

  it('cluster-info names the control plane and CoreDNS', () => {
    const r = s.kubectl(['cluster-info']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      `Kubernetes control plane is running at ${s.apiUrl}\n` +
        `CoreDNS is running at ${s.apiUrl}/api/v1/namespaces/kube-system/services/kube-dns:dns/proxy\n` +
        `\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n`,
    );
  });
});
