/**
 * Everyday object handling with real kubectl: create (-f file, dir, multi-doc, stdin), apply
 * (client-side three-way merge and server-side with conflicts), get in every output format and
 * selector, get -w, label, annotate, patch, edit, replace, delete, dry runs, validation errors,
 * namespaces, scale and field validation — each line checked against what a real cluster prints.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { KUBECTL, Serve, table } from './harness';

let s: Serve;
let files: string;

beforeAll(async () => {
  s = new Serve();
  await s.start();
  files = join(s.dir, 'files');
  mkdirSync(files, { recursive: true });
});
afterAll(async () => {
  await s?.stop();
  s?.cleanup();
});

/** Writes a manifest under the test's temp dir and returns its path. */
function file(name: string, text: string): string {
  const p = join(files, name);
  mkdirSync(join(p, '..'), { recursive: true });
  writeFileSync(p, text);
  return p;
}

function cm(name: string, ns: string, labels: Record<string, string> = {}, data: Record<string, string> = {}): string {
  const l = Object.entries(labels);
  const d = Object.entries(data);
  return [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    `  name: ${name}`,
    `  namespace: ${ns}`,
    ...(l.length ? ['  labels:', ...l.map(([k, v]) => `    ${k}: "${v}"`)] : []),
    ...(d.length ? ['data:', ...d.map(([k, v]) => `  ${k}: "${v}"`)] : []),
    '',
  ].join('\n');
}

function deployment(name: string, opts: { ns?: string; replicas?: number; env?: Record<string, string>; labels?: Record<string, string>; image?: string } = {}): string {
  const labels = { app: name, ...(opts.labels ?? {}) };
  const env = Object.entries(opts.env ?? {});
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: ${name}`,
    ...(opts.ns ? [`  namespace: ${opts.ns}`] : []),
    '  labels:',
    ...Object.entries(labels).map(([k, v]) => `    ${k}: "${v}"`),
    'spec:',
    `  replicas: ${opts.replicas ?? 1}`,
    '  selector:',
    '    matchLabels:',
    `      app: ${name}`,
    '  template:',
    '    metadata:',
    '      labels:',
    `        app: ${name}`,
    '    spec:',
    '      containers:',
    '      - name: main',
    `        image: ${opts.image ?? 'nginx:1.25'}`,
    ...(env.length ? ['        env:', ...env.flatMap(([k, v]) => [`        - name: ${k}`, `          value: "${v}"`])] : []),
    '',
  ].join('\n');
}

function ns(name: string): void {
  s.ok(['create', '-f', '-'], { stdin: `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n` });
}

describe('kubectl create', () => {
  beforeAll(() => ns('c1'));

  it('-f file', () => {
    const f = file('create/web.yaml', deployment('web', { ns: 'c1' }));
    const r = s.kubectl(['create', '-f', f]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('deployment.apps/web created\n');
    expect(s.ok(['get', 'deploy', 'web', '-n', 'c1', '-o', 'jsonpath={.spec.template.spec.containers[0].image}'])).toBe('nginx:1.25');
  });

  it('-f dir creates every manifest in the directory, in file-name order', () => {
    file('dir/a-cm.yaml', cm('dir-a', 'c1', {}, { k: 'v' }));
    file('dir/b-svc.yaml', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: dir-b\n  namespace: c1\nspec:\n  selector:\n    app: web\n  ports:\n  - port: 80\n');
    file('dir/c-ignored.txt', 'not a manifest');
    const r = s.kubectl(['create', '-f', join(files, 'dir')]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('configmap/dir-a created\nservice/dir-b created\n');
  });

  it('multi-document YAML creates each document in order', () => {
    const f = file('multi.yaml', [cm('multi-1', 'c1'), cm('multi-2', 'c1'), 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: multi-3\n  namespace: c1\nstringData:\n  pw: x\n'].join('---\n'));
    const r = s.kubectl(['create', '-f', f]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('configmap/multi-1 created\nconfigmap/multi-2 created\nsecret/multi-3 created\n');
  });

  it('-f - reads stdin (YAML and JSON)', () => {
    expect(s.ok(['create', '-f', '-'], { stdin: cm('stdin-1', 'c1') })).toBe('configmap/stdin-1 created\n');
    const json = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'stdin-2', namespace: 'c1' }, data: { a: 'b' } });
    expect(s.ok(['create', '-f', '-'], { stdin: json })).toBe('configmap/stdin-2 created\n');
    expect(s.ok(['get', 'cm', 'stdin-2', '-n', 'c1', '-o', 'jsonpath={.data.a}'])).toBe('b');
  });

  it('creating the same object twice fails with AlreadyExists naming the file', () => {
    const f = file('twice.yaml', cm('twice', 'c1'));
    s.ok(['create', '-f', f]);
    const r = s.kubectl(['create', '-f', f]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`Error from server (AlreadyExists): error when creating "${f}": configmaps "twice" already exists\n`);
  });

  it('create in a namespace that does not exist is NotFound', () => {
    const f = file('nons.yaml', cm('x', 'no-such-ns'));
    const r = s.kubectl(['create', '-f', f]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`Error from server (NotFound): error when creating "${f}": namespaces "no-such-ns" not found\n`);
  });
});

describe('kubectl apply (client-side)', () => {
  beforeAll(() => ns('a1'));

  it('created, then unchanged, then configured', () => {
    const f = file('apply/app.yaml', deployment('app', { ns: 'a1', env: { A: '1', B: '2' }, labels: { tier: 'web' } }));
    expect(s.ok(['apply', '-f', f])).toBe('deployment.apps/app created\n');
    expect(s.ok(['apply', '-f', f])).toBe('deployment.apps/app unchanged\n');
    file('apply/app.yaml', deployment('app', { ns: 'a1', env: { A: '1', B: '2' }, labels: { tier: 'web' }, image: 'nginx:1.26' }));
    expect(s.ok(['apply', '-f', f])).toBe('deployment.apps/app configured\n');
    expect(s.ok(['get', 'deploy', 'app', '-n', 'a1', '-o', 'jsonpath={.spec.template.spec.containers[0].image}'])).toBe('nginx:1.26');
    const d = JSON.parse(s.ok(['get', 'deploy', 'app', '-n', 'a1', '-o', 'json']));
    const last = JSON.parse(d.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']);
    expect(last.spec.template.spec.containers[0].image).toBe('nginx:1.26');
  });

  it('the three-way merge removes an env var and a label deleted from the file, but keeps fields set by others', () => {
    const f = join(files, 'apply/app.yaml');
    // Someone else adds a label the file never had: apply must not remove it.
    expect(s.ok(['label', 'deploy', 'app', '-n', 'a1', 'owner=ops'])).toBe('deployment.apps/app labeled\n');
    file('apply/app.yaml', deployment('app', { ns: 'a1', env: { A: '1' }, image: 'nginx:1.26' }));
    expect(s.ok(['apply', '-f', f])).toBe('deployment.apps/app configured\n');
    const d = JSON.parse(s.ok(['get', 'deploy', 'app', '-n', 'a1', '-o', 'json']));
    expect(d.spec.template.spec.containers[0].env).toEqual([{ name: 'A', value: '1' }]);
    expect(d.metadata.labels).toEqual({ app: 'app', owner: 'ops' });
  });

  it('apply -f - from stdin, and apply to a directory', () => {
    expect(s.ok(['apply', '-f', '-'], { stdin: cm('apply-stdin', 'a1', { x: '1' }) })).toBe('configmap/apply-stdin created\n');
    file('apply-dir/one.yaml', cm('ad-1', 'a1'));
    file('apply-dir/two.yaml', cm('ad-2', 'a1'));
    expect(s.ok(['apply', '-f', join(files, 'apply-dir')])).toBe('configmap/ad-1 created\nconfigmap/ad-2 created\n');
    expect(s.ok(['apply', '-f', join(files, 'apply-dir')])).toBe('configmap/ad-1 unchanged\nconfigmap/ad-2 unchanged\n');
  });

  it('apply on an object made by create warns about the missing annotation and patches it', () => {
    s.ok(['create', '-f', '-'], { stdin: cm('plain', 'a1', {}, { k: '1' }) });
    const r = s.kubectl(['apply', '-f', '-'], { stdin: cm('plain', 'a1', {}, { k: '2' }) });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('configmap/plain configured\n');
    expect(r.stderr).toContain('Warning: resource configmaps/plain is missing the kubectl.kubernetes.io/last-applied-configuration annotation which is required by kubectl apply.');
    expect(s.ok(['get', 'cm', 'plain', '-n', 'a1', '-o', 'jsonpath={.data.k}'])).toBe('2');
  });
});

describe('kubectl apply --server-side', () => {
  beforeAll(() => ns('ssa'));

  it('applies, reports a conflict with another manager, and takes the field with --force-conflicts', () => {
    const f = file('ssa.yaml', cm('shared', 'ssa', {}, { k: 'one' }));
    expect(s.ok(['apply', '--server-side', '-f', f])).toBe('configmap/shared serverside-applied\n');
    expect(s.ok(['apply', '--server-side', '-f', f])).toBe('configmap/shared serverside-applied\n');

    const other = cm('shared', 'ssa', {}, { k: 'two' });
    const r = s.kubectl(['apply', '--server-side', '--field-manager=other', '-f', '-'], { stdin: other });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'error: Apply failed with 1 conflict: conflict with "kubectl": .data.k\n' +
        'Please review the fields above--they currently have other managers. Here\n' +
        'are the ways you can resolve this warning:\n' +
        '* If you intend to manage all of these fields, please re-run the apply\n' +
        '  command with the `--force-conflicts` flag.\n' +
        '* If you do not intend to manage all of the fields, please edit your\n' +
        '  manifest to remove references to the fields that should keep their\n' +
        '  current managers.\n' +
        "* You may co-own fields by updating your manifest to match the existing\n" +
        "  value; in this case, you'll become the manager if the other manager(s)\n" +
        '  stop managing the field (remove it from their configuration).\n' +
        'See https://kubernetes.io/docs/reference/using-api/server-side-apply/#conflicts\n',
    );
    expect(s.ok(['get', 'cm', 'shared', '-n', 'ssa', '-o', 'jsonpath={.data.k}'])).toBe('one');

    expect(s.ok(['apply', '--server-side', '--field-manager=other', '--force-conflicts', '-f', '-'], { stdin: other })).toBe('configmap/shared serverside-applied\n');
    const o = JSON.parse(s.ok(['get', 'cm', 'shared', '-n', 'ssa', '-o', 'json', '--show-managed-fields']));
    expect(o.data.k).toBe('two');
    const owners = o.metadata.managedFields.filter((m: { fieldsV1?: { 'f:data'?: Record<string, unknown> } }) => m.fieldsV1?.['f:data']?.['f:k']).map((m: { manager: string }) => m.manager);
    expect(owners).toEqual(['other']);
  });
});

describe('kubectl get output formats', () => {
  beforeAll(() => {
    ns('fmt');
    const docs = [cm('alpha', 'fmt', { app: 'x', env: 'a' }, { k: '1' }), cm('bravo', 'fmt', { app: 'y', env: 'b' }, { k: '2', j: '3' }), cm('charlie', 'fmt', { app: 'z', env: 'c' })];
    s.ok(['create', '-f', '-'], { stdin: docs.join('---\n') });
  });

  const names = ['alpha', 'bravo', 'charlie', 'kube-root-ca.crt'];

  it('default table', () => {
    const r = s.kubectl(['get', 'cm', '-n', 'fmt']);
    expect(r.stderr).toBe('');
    const rows = table(r.stdout);
    expect(rows[0]).toEqual(['NAME', 'DATA', 'AGE']);
    expect(rows.slice(1).map((x) => x.slice(0, 2))).toEqual([
      ['alpha', '1'],
      ['bravo', '2'],
      ['charlie', '0'],
      ['kube-root-ca.crt', '1'],
    ]);
    for (const row of rows.slice(1)) expect(row[2]).toMatch(/^\d+s$|^\d+m\d*s?$/);
  });

  it('-o wide adds the wide columns (services: SELECTOR)', () => {
    s.ok(['create', '-f', '-'], { stdin: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: wsvc\n  namespace: fmt\nspec:\n  selector:\n    app: x\n    tier: fe\n  ports:\n  - port: 80\n    targetPort: 8080\n' });
    const narrow = table(s.ok(['get', 'svc', '-n', 'fmt']));
    expect(narrow[0]).toEqual(['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE']);
    const rows = table(s.ok(['get', 'svc', '-n', 'fmt', '-o', 'wide']));
    expect(rows[0]).toEqual(['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE', 'SELECTOR']);
    expect(rows[1][0]).toBe('wsvc');
    expect(rows[1][1]).toBe('ClusterIP');
    expect(rows[1][2]).toMatch(/^10\.(9[6-9]|10[0-9]|11[01])\.\d+\.\d+$/);
    expect(rows[1][3]).toBe('<none>');
    expect(rows[1][4]).toBe('80/TCP');
    expect(rows[1][6]).toBe('app=x,tier=fe');
  });

  it('-o yaml and -o json for one object and for a list', () => {
    const one = parse(s.ok(['get', 'cm', 'bravo', '-n', 'fmt', '-o', 'yaml']));
    expect(one.apiVersion).toBe('v1');
    expect(one.kind).toBe('ConfigMap');
    expect(one.metadata.name).toBe('bravo');
    expect(one.metadata.namespace).toBe('fmt');
    expect(one.metadata.labels).toEqual({ app: 'y', env: 'b' });
    expect(one.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(one.metadata.resourceVersion).toMatch(/^\d+$/);
    expect(one.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(one.data).toEqual({ k: '2', j: '3' });
    expect(one.metadata.managedFields).toBeUndefined();

    const j = JSON.parse(s.ok(['get', 'cm', 'bravo', '-n', 'fmt', '-o', 'json']));
    expect(j).toEqual(one);

    const list = JSON.parse(s.ok(['get', 'cm', '-n', 'fmt', '-o', 'json']));
    expect(list.apiVersion).toBe('v1');
    expect(list.kind).toBe('List');
    expect(list.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual(names);
    for (const i of list.items) expect(i.kind).toBe('ConfigMap');
    const ylist = parse(s.ok(['get', 'cm', '-n', 'fmt', '-o', 'yaml']));
    expect(ylist.kind).toBe('List');
    expect(ylist.items).toHaveLength(4);
  });

  it('-o name, jsonpath, custom-columns, go-template', () => {
    expect(s.ok(['get', 'cm', '-n', 'fmt', '-o', 'name'])).toBe(names.map((n) => `configmap/${n}\n`).join(''));
    expect(s.ok(['get', 'cm', '-n', 'fmt', '-o', 'jsonpath={.items[*].metadata.name}'])).toBe(names.join(' '));
    expect(s.ok(['get', 'cm', '-n', 'fmt', "-o=jsonpath='{.items[*].metadata.name}'"])).toBe(`'${names.join(' ')}'`);
    expect(s.ok(['get', 'cm', 'bravo', '-n', 'fmt', '-o', 'jsonpath={.data.k}{"\\n"}{.metadata.labels.env}'])).toBe('2\nb');
    expect(s.ok(['get', 'cm', '-n', 'fmt', '-o', 'custom-columns=NAME:.metadata.name'])).toBe(`NAME\n${names.join('\n')}\n`);
    expect(table(s.ok(['get', 'cm', '-n', 'fmt', '-o', 'custom-columns=NAME:.metadata.name,ENV:.metadata.labels.env']))).toEqual([
      ['NAME', 'ENV'],
      ['alpha', 'a'],
      ['bravo', 'b'],
      ['charlie', 'c'],
      ['kube-root-ca.crt', '<none>'],
    ]);
    expect(s.ok(['get', 'cm', '-n', 'fmt', '-o', 'go-template={{range .items}}{{.metadata.name}}:{{.metadata.labels.env}} {{end}}'])).toBe('alpha:a bravo:b charlie:c kube-root-ca.crt:<no value> ');
    // The form the seeds use: a go-template on one object.
    expect(s.ok(['get', 'svc', 'wsvc', '-n', 'fmt', '-o', 'go-template={{(index .spec.ports 0).port}}'])).toBe('80');
  });

  it('--show-labels, -l equality and set selectors', () => {
    const labelled = table(s.ok(['get', 'cm', '-n', 'fmt', '--show-labels']));
    expect(labelled[0]).toEqual(['NAME', 'DATA', 'AGE', 'LABELS']);
    expect(labelled.slice(1).map((r) => [r[0], r[3]])).toEqual([
      ['alpha', 'app=x,env=a'],
      ['bravo', 'app=y,env=b'],
      ['charlie', 'app=z,env=c'],
      ['kube-root-ca.crt', '<none>'],
    ]);
    const sel = (expr: string) =>
      table(s.ok(['get', 'cm', '-n', 'fmt', '-l', expr, '--no-headers']))
        .map((r) => r[0])
        .join(',');
    expect(sel('app=x')).toBe('alpha');
    expect(sel('app!=x')).toBe('bravo,charlie,kube-root-ca.crt');
    expect(sel('env in (a,b)')).toBe('alpha,bravo');
    expect(sel('env notin (a,b)')).toBe('charlie,kube-root-ca.crt');
    expect(sel('env')).toBe('alpha,bravo,charlie');
    expect(sel('!env')).toBe('kube-root-ca.crt');
    expect(sel('app=y,env=b')).toBe('bravo');
    const none = s.kubectl(['get', 'cm', '-n', 'fmt', '-l', 'app=nope']);
    expect(none.code).toBe(0);
    expect(none.stdout).toBe('');
    expect(none.stderr).toBe('No resources found in fmt namespace.\n');
  });

  it('--field-selector metadata.name, and an unsupported field is a BadRequest', () => {
    expect(table(s.ok(['get', 'cm', '-n', 'fmt', '--field-selector', 'metadata.name=bravo']))).toEqual([
      ['NAME', 'DATA', 'AGE'],
      ['bravo', '2', expect.any(String)],
    ]);
    expect(table(s.ok(['get', 'cm', '-n', 'fmt', '--field-selector', 'metadata.name!=bravo', '--no-headers'])).map((r) => r[0])).toEqual(['alpha', 'charlie', 'kube-root-ca.crt']);
    const r = s.kubectl(['get', 'cm', '-n', 'fmt', '--field-selector', 'data.k=1']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^Error from server \(BadRequest\): Unable to find "\/v1, Resource=configmaps" that match label selector "", field selector "data\.k=1": /);
  });

  it('-A adds NAMESPACE; -n picks the namespace; --no-headers drops the header', () => {
    const all = table(s.ok(['get', 'cm', '-A']));
    expect(all[0]).toEqual(['NAMESPACE', 'NAME', 'DATA', 'AGE']);
    const fmtRows = all.filter((r) => r[0] === 'fmt').map((r) => r[1]);
    expect(fmtRows).toEqual(names);
    for (const n of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) expect(all.some((r) => r[0] === n && r[1] === 'kube-root-ca.crt'), n).toBe(true);
    // Rows come sorted by namespace, then name.
    const keys = all.slice(1).map((r) => `${r[0]}/${r[1]}`);
    expect(keys).toEqual([...keys].sort());

    const noHeaders = s.ok(['get', 'cm', '-n', 'fmt', '--no-headers']);
    expect(noHeaders.split('\n')[0]).toMatch(/^alpha\s+1\s+\S+$/);
    expect(table(noHeaders)).toHaveLength(4);
    expect(table(s.ok(['get', 'cm', '-n', 'kube-system', '--no-headers'])).map((r) => r[0])).toContain('kube-root-ca.crt');
  });

  it('--sort-by', () => {
    const byData = table(s.ok(['get', 'cm', '-n', 'fmt', '--sort-by=.data.k', '--no-headers'])).map((r) => r[0]);
    // Objects without the field sort first, then by value.
    expect(byData.slice(-2)).toEqual(['alpha', 'bravo']);
    const byName = s.ok(['get', 'cm', '-n', 'fmt', '--sort-by=.metadata.name', '-o', 'name']);
    expect(byName).toBe(names.map((n) => `configmap/${n}\n`).join(''));
    const byLabel = table(s.ok(['get', 'cm', '-n', 'fmt', '-l', 'env', '--sort-by={.metadata.labels.app}', '--no-headers'])).map((r) => r[0]);
    expect(byLabel).toEqual(['alpha', 'bravo', 'charlie']);
  });

  it('empty lists print "No resources found" on stderr', () => {
    const pods = s.kubectl(['get', 'pods']);
    expect(pods.code).toBe(0);
    expect(pods.stdout).toBe('');
    expect(pods.stderr).toBe('No resources found in default namespace.\n');
    const inNs = s.kubectl(['get', 'deploy', '-n', 'fmt']);
    expect(inNs.stderr).toBe('No resources found in fmt namespace.\n');
    const missingNs = s.kubectl(['get', 'pods', '-n', 'nope']);
    expect(missingNs.code).toBe(0);
    expect(missingNs.stderr).toBe('No resources found in nope namespace.\n');
    const all = s.kubectl(['get', 'rc', '-A']);
    expect(all.stderr).toBe('No resources found\n');
    const cluster = s.kubectl(['get', 'pv']);
    expect(cluster.stderr).toBe('No resources found\n');
  });

  it('a missing object is NotFound', () => {
    const r = s.kubectl(['get', 'cm', 'nope', '-n', 'fmt']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('Error from server (NotFound): configmaps "nope" not found\n');
    const d = s.kubectl(['get', 'deploy', 'nope', '-n', 'fmt']);
    expect(d.stderr).toBe('Error from server (NotFound): deployments.apps "nope" not found\n');
  });
});

describe('kubectl diff and paging', () => {
  beforeAll(() => ns('diff'));

  it('diff -f: nothing for an applied file (exit 0), a unified diff for a change (exit 1), whole object for a new one', () => {
    const f = file('diff/one.yaml', cm('one', 'diff', {}, { x: '1' }));
    s.ok(['apply', '-f', f]);
    const same = s.kubectl(['diff', '-f', f]);
    expect(same.stderr).toBe('');
    expect(same.stdout).toBe('');
    expect(same.code).toBe(0);

    file('diff/one.yaml', cm('one', 'diff', {}, { x: '2' }));
    const changed = s.kubectl(['diff', '-f', f]);
    expect(changed.code).toBe(1);
    expect(changed.stderr).toBe('');
    const lines = changed.stdout.split('\n');
    expect(lines[0]).toMatch(/^diff -u -N \S+\/v1\.ConfigMap\.diff\.one \S+\/v1\.ConfigMap\.diff\.one$/);
    expect(lines.filter((l) => /^[-+] /.test(l))).toEqual(['-  x: "1"', '+  x: "2"']);
    // The server dry run behind diff stored nothing.
    expect(s.ok(['get', 'cm', 'one', '-n', 'diff', '-o', 'jsonpath={.data.x}'])).toBe('1');

    const fresh = s.kubectl(['diff', '-f', '-'], { stdin: cm('fresh', 'diff', {}, { y: '1' }) });
    expect(fresh.code).toBe(1);
    expect(fresh.stdout).toContain('\n+kind: ConfigMap\n');
    expect(fresh.stdout).toContain('\n+  name: fresh\n');
    expect(s.kubectl(['get', 'cm', 'fresh', '-n', 'diff']).code).toBe(1);
  });

  it('--chunk-size pages through the list with continue tokens', () => {
    s.ok(['create', '-f', '-'], { stdin: Array.from({ length: 7 }, (_, i) => cm(`page-${i}`, 'diff')).join('---\n') });
    const all = table(s.ok(['get', 'cm', '-n', 'diff', '--no-headers'])).map((r) => r[0]);
    const paged = table(s.ok(['get', 'cm', '-n', 'diff', '--no-headers', '--chunk-size=2'])).map((r) => r[0]);
    expect(paged).toEqual(all);
    expect(paged.filter((n) => n.startsWith('page-'))).toHaveLength(7);
    const names = s.ok(['get', 'cm', '-n', 'diff', '-o', 'name', '--chunk-size=3']);
    expect(names.trimEnd().split('\n')).toEqual(all.map((n) => `configmap/${n}`));
  });
});

describe('kubectl get -w', () => {
  beforeAll(() => ns('watch'));

  async function waitFor(read: () => string, re: RegExp, what: string): Promise<void> {
    const until = Date.now() + 20_000;
    while (!re.test(read())) {
      if (Date.now() > until) throw new Error(`timed out waiting for ${what}; got:\n${read()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it('streams the initial list, then one line per add, change and delete', async () => {
    s.ok(['create', '-f', '-'], { stdin: cm('before', 'watch', {}, { a: '1' }) });
    const child = spawn(KUBECTL.default, ['--kubeconfig', s.kubeconfig, '--cache-dir', s.cacheDir, 'get', 'cm', '-n', 'watch', '-w'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    try {
      await waitFor(() => out, /^kube-root-ca\.crt\s/m, 'the initial list');
      expect(table(out)[0]).toEqual(['NAME', 'DATA', 'AGE']);
      s.ok(['create', '-f', '-'], { stdin: cm('live', 'watch', {}, { a: '1' }) });
      await waitFor(() => out, /^live\s+1\s/m, 'the ADDED line');
      s.ok(['patch', 'cm', 'live', '-n', 'watch', '-p', '{"data":{"b":"2"}}']);
      await waitFor(() => out, /^live\s+2\s/m, 'the MODIFIED line');
      s.ok(['delete', 'cm', 'live', '-n', 'watch']);
      await waitFor(() => out.split('\n').filter((l) => /^live\s+2\s/.test(l)).length >= 2 ? 'y' : '', /y/, 'the DELETED line');
      const rows = table(out);
      expect(rows.map((r) => [r[0], r[1]])).toEqual([
        ['NAME', 'DATA'],
        ['before', '1'],
        ['kube-root-ca.crt', '1'],
        ['live', '1'],
        ['live', '2'],
        ['live', '2'],
      ]);
    } finally {
      child.kill('SIGTERM');
    }
    expect(err).toBe('');
  });

  it('--output-watch-events names the event types', async () => {
    const child = spawn(KUBECTL.default, ['--kubeconfig', s.kubeconfig, '--cache-dir', s.cacheDir, 'get', 'cm', '-n', 'watch', '-w', '--output-watch-events'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    try {
      await waitFor(() => out, /^ADDED\s+kube-root-ca\.crt/m, 'the initial list');
      s.ok(['create', '-f', '-'], { stdin: cm('ev', 'watch') });
      s.ok(['label', 'cm', 'ev', '-n', 'watch', 'x=y']);
      s.ok(['delete', 'cm', 'ev', '-n', 'watch']);
      await waitFor(() => out, /^DELETED\s+ev\s/m, 'the DELETED event');
      expect(table(out).map((r) => [r[0], r[1]])).toEqual([
        ['EVENT', 'NAME'],
        ['ADDED', 'before'],
        ['ADDED', 'kube-root-ca.crt'],
        ['ADDED', 'ev'],
        ['MODIFIED', 'ev'],
        ['DELETED', 'ev'],
      ]);
    } finally {
      child.kill('SIGTERM');
    }
  });
});

describe('kubectl label and annotate', () => {
  beforeAll(() => {
    ns('lbl');
    s.ok(['create', '-f', '-'], { stdin: cm('target', 'lbl', { app: 'x' }) });
  });

  it('adds, refuses to overwrite without --overwrite, overwrites, removes', () => {
    expect(s.ok(['label', 'cm', 'target', '-n', 'lbl', 'tier=fe'])).toBe('configmap/target labeled\n');
    const r = s.kubectl(['label', 'cm', 'target', '-n', 'lbl', 'app=y']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("error: 'app' already has a value (x), and --overwrite is false\n");
    expect(s.ok(['label', 'cm', 'target', '-n', 'lbl', 'app=y', '--overwrite'])).toBe('configmap/target labeled\n');
    expect(s.ok(['get', 'cm', 'target', '-n', 'lbl', '-o', 'jsonpath={.metadata.labels}'])).toBe('{"app":"y","tier":"fe"}');
    expect(s.ok(['label', 'cm', 'target', '-n', 'lbl', 'app-'])).toBe('configmap/target unlabeled\n');
    expect(s.ok(['get', 'cm', 'target', '-n', 'lbl', '-o', 'jsonpath={.metadata.labels}'])).toBe('{"tier":"fe"}');
    expect(s.ok(['label', 'cm', 'target', '-n', 'lbl', 'tier=fe'])).toBe('configmap/target not labeled\n');
  });

  it('label with -l and --all', () => {
    s.ok(['create', '-f', '-'], { stdin: [cm('l-1', 'lbl', { grp: 'g' }), cm('l-2', 'lbl', { grp: 'g' })].join('---\n') });
    expect(s.ok(['label', 'cm', '-n', 'lbl', '-l', 'grp=g', 'seen=yes'])).toBe('configmap/l-1 labeled\nconfigmap/l-2 labeled\n');
    expect(table(s.ok(['get', 'cm', '-n', 'lbl', '-l', 'seen=yes', '--no-headers'])).map((r) => r[0])).toEqual(['l-1', 'l-2']);
  });

  it('annotates and removes an annotation', () => {
    expect(s.ok(['annotate', 'cm', 'target', '-n', 'lbl', 'note=hello world'])).toBe('configmap/target annotated\n');
    expect(s.ok(['get', 'cm', 'target', '-n', 'lbl', '-o', 'jsonpath={.metadata.annotations.note}'])).toBe('hello world');
    const r = s.kubectl(['annotate', 'cm', 'target', '-n', 'lbl', 'note=again']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("error: --overwrite is false but found the following declared annotation(s): 'note' already has a value (hello world)\n");
    expect(s.ok(['annotate', 'cm', 'target', '-n', 'lbl', 'note-'])).toBe('configmap/target annotated\n');
    // ObjectMeta maps are omitempty: removing the last entry leaves no map at all.
    expect(s.ok(['get', 'cm', 'target', '-n', 'lbl', '-o', 'jsonpath={.metadata.annotations}'])).toBe('');
    s.ok(['label', 'cm', 'target', '-n', 'lbl', 'tier-', 'seen-']);
    expect(s.ok(['get', 'cm', 'target', '-n', 'lbl', '-o', 'jsonpath={.metadata.labels}'])).toBe('');
    expect(parse(s.ok(['get', 'cm', 'target', '-n', 'lbl', '-o', 'yaml'])).metadata).not.toHaveProperty('labels');
  });
});

describe('kubectl patch', () => {
  beforeAll(() => {
    ns('patch');
    s.ok(['create', '-f', '-'], { stdin: deployment('pt', { ns: 'patch', env: { A: '1' } }) });
    s.ok(['create', '-f', '-'], { stdin: cm('pcm', 'patch', {}, { k: '1' }) });
  });

  it('strategic (the default) merges containers by name', () => {
    expect(s.ok(['patch', 'deploy', 'pt', '-n', 'patch', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"main","image":"nginx:1.27"}]}}}}'])).toBe('deployment.apps/pt patched\n');
    const c = JSON.parse(s.ok(['get', 'deploy', 'pt', '-n', 'patch', '-o', 'jsonpath={.spec.template.spec.containers}']));
    expect(c).toHaveLength(1);
    expect(c[0].image).toBe('nginx:1.27');
    expect(c[0].env).toEqual([{ name: 'A', value: '1' }]);
    expect(s.ok(['patch', 'deploy', 'pt', '-n', 'patch', '--type=strategic', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"main","env":[{"name":"B","value":"2"}]}]}}}}'])).toBe('deployment.apps/pt patched\n');
    expect(JSON.parse(s.ok(['get', 'deploy', 'pt', '-n', 'patch', '-o', 'jsonpath={.spec.template.spec.containers[0].env}']))).toEqual([
      { name: 'B', value: '2' },
      { name: 'A', value: '1' },
    ]);
  });

  it('merge replaces lists and removes keys set to null', () => {
    expect(s.ok(['patch', 'cm', 'pcm', '-n', 'patch', '--type=merge', '-p', '{"data":{"k":null,"z":"26"}}'])).toBe('configmap/pcm patched\n');
    expect(s.ok(['get', 'cm', 'pcm', '-n', 'patch', '-o', 'jsonpath={.data}'])).toBe('{"z":"26"}');
  });

  it('json patch operations', () => {
    expect(s.ok(['patch', 'cm', 'pcm', '-n', 'patch', '--type=json', '-p', '[{"op":"add","path":"/data/y","value":"25"},{"op":"replace","path":"/data/z","value":"0"}]'])).toBe('configmap/pcm patched\n');
    expect(s.ok(['get', 'cm', 'pcm', '-n', 'patch', '-o', 'jsonpath={.data}'])).toBe('{"y":"25","z":"0"}');
    expect(s.ok(['patch', 'deploy', 'pt', '-n', 'patch', '--type=json', '-p', '[{"op":"replace","path":"/spec/replicas","value":2}]'])).toBe('deployment.apps/pt patched\n');
    expect(s.ok(['get', 'deploy', 'pt', '-n', 'patch', '-o', 'jsonpath={.spec.replicas}'])).toBe('2');
  });

  it('a patch that changes nothing says "patched (no change)"', () => {
    expect(s.ok(['patch', 'cm', 'pcm', '-n', 'patch', '-p', '{"data":{"y":"25"}}'])).toBe('configmap/pcm patched (no change)\n');
    expect(s.ok(['patch', 'cm', 'pcm', '-n', 'patch', '--type=merge', '-p', '{"data":{"y":"25"}}'])).toBe('configmap/pcm patched (no change)\n');
  });

  it('a patch of a missing object is NotFound', () => {
    const r = s.kubectl(['patch', 'cm', 'nope', '-n', 'patch', '-p', '{"data":{"a":"b"}}']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('Error from server (NotFound): configmaps "nope" not found\n');
  });
});

describe('kubectl edit, replace, scale', () => {
  beforeAll(() => {
    ns('ed');
    s.ok(['create', '-f', '-'], { stdin: deployment('edt', { ns: 'ed', replicas: 1 }) });
  });

  it('edit through KUBE_EDITOR saves the change and prints "edited"', () => {
    const editor = join(files, 'editor.sh');
    writeFileSync(editor, '#!/bin/sh\nsed -i "s/replicas: 1/replicas: 3/" "$1"\n');
    chmodSync(editor, 0o755);
    const r = s.kubectl(['edit', 'deploy', 'edt', '-n', 'ed'], { env: { KUBE_EDITOR: editor } });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('deployment.apps/edt edited\n');
    expect(s.ok(['get', 'deploy', 'edt', '-n', 'ed', '-o', 'jsonpath={.spec.replicas}'])).toBe('3');
    // An editor that changes nothing: "Edit cancelled, no changes made."
    const r2 = s.kubectl(['edit', 'deploy', 'edt', '-n', 'ed'], { env: { KUBE_EDITOR: 'true' } });
    expect(r2.code).toBe(0);
    expect(r2.stderr).toBe('Edit cancelled, no changes made.\n');
  });

  it('the seed form: KUBE_EDITOR="sed -i ..." run through the shell', () => {
    const r = s.kubectl(['edit', 'deploy', 'edt', '-n', 'ed'], { env: { KUBE_EDITOR: 'sed -i s/replicas:\\ 3/replicas:\\ 1/' } });
    expect(r.stdout).toBe('deployment.apps/edt edited\n');
    expect(s.ok(['get', 'deploy', 'edt', '-n', 'ed', '-o', 'jsonpath={.spec.replicas}'])).toBe('1');
  });

  it('replace with the current object succeeds; with a stale resourceVersion it is a Conflict', () => {
    const cur = s.ok(['get', 'deploy', 'edt', '-n', 'ed', '-o', 'yaml']);
    const stale = file('stale.yaml', cur.replace(/replicas: 1\n/, 'replicas: 5\n'));
    expect(s.ok(['scale', 'deploy', 'edt', '-n', 'ed', '--replicas=2'])).toBe('deployment.apps/edt scaled\n');
    const r = s.kubectl(['replace', '-f', stale]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`Error from server (Conflict): error when replacing "${stale}": Operation cannot be fulfilled on deployments.apps "edt": the object has been modified; please apply your changes to the latest version and try again\n`);
    expect(s.ok(['get', 'deploy', 'edt', '-n', 'ed', '-o', 'jsonpath={.spec.replicas}'])).toBe('2');

    const fresh = file('fresh.yaml', s.ok(['get', 'deploy', 'edt', '-n', 'ed', '-o', 'yaml']).replace(/replicas: 2\n/, 'replicas: 4\n'));
    expect(s.ok(['replace', '-f', fresh])).toBe('deployment.apps/edt replaced\n');
    expect(s.ok(['get', 'deploy', 'edt', '-n', 'ed', '-o', 'jsonpath={.spec.replicas}'])).toBe('4');
  });

  it('scale deploy --replicas=3', () => {
    expect(s.ok(['scale', 'deploy', 'edt', '-n', 'ed', '--replicas=3'])).toBe('deployment.apps/edt scaled\n');
    expect(s.ok(['get', 'deploy', 'edt', '-n', 'ed', '-o', 'jsonpath={.spec.replicas}'])).toBe('3');
    // READY counts pods the kubelets already run (--fast: soon all of them).
    expect(table(s.ok(['get', 'deploy', 'edt', '-n', 'ed']))[1].slice(0, 2)).toEqual(['edt', expect.stringMatching(/^[0-3]\/3$/)]);
    const r = s.kubectl(['scale', 'deploy', 'edt', '-n', 'ed', '--replicas=5', '--current-replicas=1']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('error: Expected replicas to be 1, was 3\n');
  });
});

describe('kubectl delete', () => {
  beforeAll(() => {
    ns('del');
    s.ok(['create', '-f', '-'], { stdin: ['a', 'b', 'c', 'd', 'e'].map((n) => cm(`d-${n}`, 'del', { grp: n < 'c' ? 'one' : 'two' })).join('---\n') });
  });

  it('by name, by -l, by -f, and --all', () => {
    expect(s.ok(['delete', 'cm', 'd-a', '-n', 'del'])).toBe('configmap "d-a" deleted\n');
    expect(s.ok(['delete', 'cm', '-n', 'del', '-l', 'grp=one'])).toBe('configmap "d-b" deleted\n');
    const f = file('del-c.yaml', cm('d-c', 'del'));
    expect(s.ok(['delete', '-f', f])).toBe('configmap "d-c" deleted\n');
    const all = s.ok(['delete', 'cm', '--all', '-n', 'del']);
    expect(all).toContain('configmap "d-d" deleted\n');
    expect(all).toContain('configmap "d-e" deleted\n');
    const left = table(s.ok(['get', 'cm', '-n', 'del', '--no-headers'])).map((r) => r[0]);
    expect(left.filter((n) => n.startsWith('d-'))).toEqual([]);
  });

  it('a missing object is NotFound; --ignore-not-found is quiet', () => {
    const r = s.kubectl(['delete', 'cm', 'nope', '-n', 'del']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('Error from server (NotFound): configmaps "nope" not found\n');
    const q = s.kubectl(['delete', 'cm', 'nope', '-n', 'del', '--ignore-not-found']);
    expect(q.code).toBe(0);
    expect(q.stdout + q.stderr).toBe('');
  });
});

describe('--dry-run=server', () => {
  beforeAll(() => ns('dry'));

  it('create, apply, delete and scale through the server persist nothing', () => {
    const f = file('dry.yaml', cm('dry', 'dry', {}, { k: '1' }));
    expect(s.ok(['create', '-f', f, '--dry-run=server'])).toBe('configmap/dry created (server dry run)\n');
    expect(s.kubectl(['get', 'cm', 'dry', '-n', 'dry']).stderr).toBe('Error from server (NotFound): configmaps "dry" not found\n');
    expect(s.ok(['apply', '-f', f, '--dry-run=server'])).toBe('configmap/dry created (server dry run)\n');
    expect(s.kubectl(['get', 'cm', 'dry', '-n', 'dry']).code).toBe(1);
    // The dry-run answer is the object the server would have stored (defaults, uid...).
    const o = parse(s.ok(['create', '-f', f, '--dry-run=server', '-o', 'yaml']));
    expect(o.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(o.metadata.creationTimestamp).toBeDefined();

    s.ok(['create', '-f', f]);
    // A dry-run create of a taken name is refused as the real one would be.
    expect(s.kubectl(['create', '-f', f, '--dry-run=server']).stderr).toBe('Error from server (AlreadyExists): error when creating "' + f + '": configmaps "dry" already exists\n');
    expect(s.ok(['apply', '-f', file('dry2.yaml', cm('dry', 'dry', {}, { k: '2' })), '--dry-run=server'])).toBe('configmap/dry configured (server dry run)\n');
    expect(s.ok(['get', 'cm', 'dry', '-n', 'dry', '-o', 'jsonpath={.data.k}'])).toBe('1');
    expect(s.ok(['delete', 'cm', 'dry', '-n', 'dry', '--dry-run=server'])).toBe('configmap "dry" deleted (server dry run)\n');
    expect(s.ok(['get', 'cm', 'dry', '-n', 'dry', '-o', 'name'])).toBe('configmap/dry\n');
    expect(s.ok(['delete', 'cm', '--all', '-n', 'dry', '--dry-run=server'])).toContain('configmap "dry" deleted (server dry run)\n');
    expect(s.ok(['get', 'cm', 'dry', '-n', 'dry', '-o', 'name'])).toBe('configmap/dry\n');
  });

  it('a server dry run still validates', () => {
    const r = s.kubectl(['create', '--dry-run=server', '-f', '-'], { stdin: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Bad_Name\n  namespace: dry\n' });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`The ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')\n`);
  });
});

describe('validation errors', () => {
  beforeAll(() => ns('inv'));

  it('selector that does not match the template labels', () => {
    const f = file('bad-selector.yaml', deployment('bad', { ns: 'inv' }).replace('      app: bad\n  template', '      app: other\n  template'));
    const r = s.kubectl(['create', '-f', f]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('The Deployment "bad" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"bad"}: `selector` does not match template `labels`\n');
  });

  it('a container without an image', () => {
    const f = file('no-image.yaml', deployment('noimg', { ns: 'inv' }).replace('        image: nginx:1.25\n', ''));
    const r = s.kubectl(['apply', '-f', f]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('The Deployment "noimg" is invalid: spec.template.spec.containers[0].image: Required value\n');
    const pod = s.kubectl(['create', '-f', '-'], { stdin: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: noimg\n  namespace: inv\nspec:\n  containers:\n  - name: c\n' });
    expect(pod.stderr).toBe('The Pod "noimg" is invalid: spec.containers[0].image: Required value\n');
  });

  it('several errors print one "* field: message" line each', () => {
    const r = s.kubectl(['create', '-f', '-'], { stdin: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: twoerrs\n  namespace: inv\nspec:\n  containers:\n  - name: c\n  - name: c\n    image: nginx\n' });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('The Pod "twoerrs" is invalid: \n* spec.containers[0].image: Required value\n* spec.containers[1].name: Duplicate value: "c"\n');
  });

  it('--validate=strict rejects an unknown field; --validate=false accepts it (1.32 and 1.27)', () => {
    const bad = deployment('strict', { ns: 'inv' }).replace('spec:\n  replicas', 'spec:\n  foo: 1\n  replicas');
    const f = file('strict.yaml', bad);
    for (const bin of [KUBECTL.default, KUBECTL.v127]) {
      const r = s.kubectl(['create', '-f', f, '--validate=strict'], { bin });
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`Error from server (BadRequest): error when creating "${f}": Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.foo"\n`);
    }
    // kubectl's default is --validate=strict too.
    const dflt = s.kubectl(['create', '-f', f]);
    expect(dflt.code).toBe(1);
    expect(dflt.stderr).toContain('strict decoding error: unknown field "spec.foo"');
    const warn = s.kubectl(['create', '-f', f, '--validate=warn', '--dry-run=server']);
    expect(warn.code).toBe(0);
    expect(warn.stdout).toBe('deployment.apps/strict created (server dry run)\n');
    expect(warn.stderr).toBe('Warning: unknown field "spec.foo"\n');
    const ok = s.kubectl(['create', '-f', f, '--validate=false']);
    expect(ok.stderr).toBe('');
    expect(ok.stdout).toBe('deployment.apps/strict created\n');
  });

  // Upstream decodes into Go structs, so an unknown field accepted with --validate=false (or
  // warn) is dropped, never stored or served.
  it('an unknown field accepted with --validate=false is dropped, not stored', () => {
    const d = JSON.parse(s.ok(['get', 'deploy', 'strict', '-n', 'inv', '-o', 'json']));
    expect(d.spec.replicas).toBe(1);
    expect(d.spec).not.toHaveProperty('foo');
  });
});

describe('namespaces', () => {
  it('create and delete a namespace; its objects go with it', async () => {
    expect(s.ok(['create', '-f', '-'], { stdin: 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: doomed\n' })).toBe('namespace/doomed created\n');
    expect(table(s.ok(['get', 'ns', 'doomed']))[1].slice(0, 2)).toEqual(['doomed', 'Active']);
    expect(s.ok(['get', 'ns', 'doomed', '-o', 'jsonpath={.metadata.labels}'])).toBe('{"kubernetes.io/metadata.name":"doomed"}');
    s.ok(['create', '-f', '-'], { stdin: [cm('inside', 'doomed'), deployment('inside', { ns: 'doomed' })].join('---\n') });
    expect(s.ok(['get', 'cm', '-n', 'doomed', '-o', 'name'])).toContain('configmap/inside\n');

    expect(s.ok(['delete', 'ns', 'doomed'])).toBe('namespace "doomed" deleted\n');
    let r = s.kubectl(['get', 'ns', 'doomed']);
    const until = Date.now() + 30_000;
    while (r.code === 0 && Date.now() < until) {
      await new Promise((res) => setTimeout(res, 200));
      r = s.kubectl(['get', 'ns', 'doomed']);
    }
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('Error from server (NotFound): namespaces "doomed" not found\n');
    expect(s.kubectl(['get', 'cm', '-n', 'doomed']).stderr).toBe('No resources found in doomed namespace.\n');
    expect(s.kubectl(['get', 'deploy', '-n', 'doomed']).stderr).toBe('No resources found in doomed namespace.\n');
    // The name is free again.
    expect(s.ok(['create', '-f', '-'], { stdin: 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: doomed\n' })).toBe('namespace/doomed created\n');
    expect(s.kubectl(['get', 'deploy', '-n', 'doomed']).stderr).toBe('No resources found in doomed namespace.\n');
  });

  it('the system namespaces cannot be deleted', () => {
    const r = s.kubectl(['delete', 'ns', 'default']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('Error from server (Forbidden): namespaces "default" is forbidden: this namespace may not be deleted\n');
  });
});

describe('kubectl 1.27 (JSON bodies) for typed create subcommands', () => {
  it('create deployment / configmap and namespace', () => {
    const bin = KUBECTL.v127;
    expect(s.ok(['create', 'namespace', 'old'], { bin })).toBe('namespace/old created\n');
    expect(s.ok(['create', 'deployment', 'web', '--image=nginx:1.25', '-n', 'old'], { bin })).toBe('deployment.apps/web created\n');
    expect(s.ok(['create', 'configmap', 'cfg', '--from-literal=a=b', '-n', 'old'], { bin })).toBe('configmap/cfg created\n');
    const r = s.kubectl(['create', 'deployment', 'web', '--image=nginx:1.25', '-n', 'old'], { bin });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('error: failed to create deployment: deployments.apps "web" already exists\n');
    const d = JSON.parse(s.ok(['get', 'deploy', 'web', '-n', 'old', '-o', 'json'], { bin }));
    expect(d.spec.selector).toEqual({ matchLabels: { app: 'web' } });
    expect(d.spec.template.spec.containers[0]).toMatchObject({ name: 'nginx', image: 'nginx:1.25', imagePullPolicy: 'IfNotPresent' });
    expect(d.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } });
  });
});

// Needs protobuf request bodies (kubectl ≥ 1.32 sends them for typed `create <kind>`).
describe('kubectl 1.32/1.33 typed create subcommands', () => {
  for (const [label, bin] of [
    ['1.32', KUBECTL.default],
    ['1.33', KUBECTL.v133],
  ] as const) {
    it(`create deployment and configmap (${label})`, () => {
      const n = `typed-${label.replace('.', '')}`;
      expect(s.ok(['create', '-f', '-'], { stdin: `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${n}\n` })).toBe(`namespace/${n} created\n`);
      expect(s.ok(['create', 'deployment', 'web', '--image=nginx:1.25', '-n', n], { bin })).toBe('deployment.apps/web created\n');
      expect(s.ok(['create', 'configmap', 'cfg', '--from-literal=a=b', '-n', n], { bin })).toBe('configmap/cfg created\n');
      expect(s.ok(['get', 'cm', 'cfg', '-n', n, '-o', 'jsonpath={.data.a}'])).toBe('b');
    });
  }
});
