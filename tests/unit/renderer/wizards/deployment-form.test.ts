import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../../src-renderer/api/kube';
import { formFailure } from '../../../../src-renderer/features/wizards/api-errors';
import { buildDeployment, fieldForCause, containerNameFor, createDeploymentCommand, deploymentFormErrors, emptyDeploymentForm, type DeploymentForm } from '../../../../src-renderer/features/wizards/deployment-form';

function form(over: Partial<DeploymentForm> = {}): DeploymentForm {
  return { ...emptyDeploymentForm('shop'), name: 'web', image: 'nginx:1.25', ...over };
}

describe('containerNameFor', () => {
  it('takes the image name without registry, tag or digest, as kubectl create deployment', () => {
    expect(containerNameFor('nginx:1.25')).toBe('nginx');
    expect(containerNameFor('luksa/kubia:1.0')).toBe('kubia');
    expect(containerNameFor('gcr.io/google-samples/kubernetes-bootcamp:v1')).toBe('kubernetes-bootcamp');
    expect(containerNameFor('registry:5000/my_app.v2@sha256:abc')).toBe('my-app-v2');
  });
});

describe('buildDeployment', () => {
  it('shapes the object as kubectl create deployment: app label, selector, one container', () => {
    const d = buildDeployment(form({ replicas: '2' }));
    expect(d).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'shop', labels: { app: 'web' } },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.25', resources: {} }] } },
      },
    });
  });

  it('adds ports, env (skipping empty rows), probes with the first port by default, resources and command', () => {
    const f = form({
      ports: [{ containerPort: '80', protocol: 'TCP' }, { containerPort: '', protocol: 'TCP' }, { containerPort: '53', protocol: 'UDP' }],
      env: [{ name: 'MODE', value: 'demo' }, { name: '', value: '' }],
      command: "sh -c 'echo hi; sleep 1d'",
      readiness: { kind: 'http', path: '/healthz', port: '', command: '', initialDelaySeconds: '2', periodSeconds: '5' },
      liveness: { kind: 'tcp', path: '/', port: '8080', command: '', initialDelaySeconds: '', periodSeconds: '' },
      resources: { requestsCpu: '100m', requestsMemory: '', limitsCpu: '', limitsMemory: '128Mi' },
    });
    const c = buildDeployment(f).spec.template.spec.containers[0];
    expect(c.ports).toEqual([{ containerPort: 80 }, { containerPort: 53, protocol: 'UDP' }]);
    expect(c.env).toEqual([{ name: 'MODE', value: 'demo' }]);
    expect(c.command).toEqual(['sh', '-c', 'echo hi; sleep 1d']);
    expect(c.readinessProbe).toEqual({ httpGet: { path: '/healthz', port: 80 }, initialDelaySeconds: 2, periodSeconds: 5 });
    expect(c.livenessProbe).toEqual({ tcpSocket: { port: 8080 } });
    expect(c.resources).toEqual({ requests: { cpu: '100m' }, limits: { memory: '128Mi' } });
  });
});

describe('deploymentFormErrors', () => {
  it('accepts a good form', () => {
    expect(deploymentFormErrors(form({ ports: [{ containerPort: '80', protocol: 'TCP' }] }))).toEqual({});
  });
  it('names the bad fields with the API server texts', () => {
    const e = deploymentFormErrors(
      form({
        name: 'Web_1',
        image: '',
        replicas: '-1',
        ports: [{ containerPort: '70000', protocol: 'TCP' }, { containerPort: '80', protocol: 'TCP' }, { containerPort: '80', protocol: 'TCP' }],
        env: [{ name: '1X', value: 'v' }],
        readiness: { kind: 'http', path: 'healthz', port: 'x_y', command: '', initialDelaySeconds: 'soon', periodSeconds: '0' },
        liveness: { kind: 'exec', path: '/', port: '', command: '  ', initialDelaySeconds: '', periodSeconds: '' },
        resources: { requestsCpu: 'lots', requestsMemory: '', limitsCpu: '', limitsMemory: '' },
      }),
    );
    expect(e.name).toMatch(/^a lowercase RFC 1123 label must consist of/);
    expect(e.image).toBe('Required value');
    expect(e.replicas).toBe('must be a whole number');
    expect(e['ports.0.containerPort']).toBe('must be between 1 and 65535, inclusive');
    expect(e['ports.1.containerPort']).toBeUndefined();
    expect(e['ports.2.containerPort']).toBe('Duplicate value: "80/TCP"');
    expect(e['env.0.name']).toMatch(/must not start with a digit/);
    expect(e['readiness.path']).toBe("must start with '/'");
    expect(e['readiness.port']).toMatch(/IANA_SVC_NAME/);
    expect(e['readiness.initialDelaySeconds']).toBe('must be a whole number');
    expect(e['readiness.periodSeconds']).toBe('must be greater than or equal to 1');
    expect(e['liveness.command']).toBe('Required value');
    expect(e['resources.requestsCpu']).toMatch(/quantities must match/);
  });
  it('asks for a probe port only when the container has none', () => {
    const probe = { kind: 'tcp' as const, path: '/', port: '', command: '', initialDelaySeconds: '', periodSeconds: '' };
    expect(deploymentFormErrors(form({ liveness: probe }))['liveness.port']).toBe('Required value');
    expect(deploymentFormErrors(form({ liveness: probe, ports: [{ containerPort: '80', protocol: 'TCP' }] }))['liveness.port']).toBeUndefined();
  });
});

describe('fieldForCause', () => {
  it('maps the API server causes onto form rows (empty rows are not sent)', () => {
    const f = form({ env: [{ name: '', value: '' }, { name: 'A', value: '1' }], ports: [{ containerPort: '80', protocol: 'TCP' }] });
    const causes = [
        { field: 'metadata.name', message: 'bad name' },
        { field: 'spec.template.spec.containers[0].env[0].name', message: 'bad env' },
        { field: 'spec.template.spec.containers[0].ports[0].containerPort', message: 'bad port' },
        { field: 'spec.template.spec.containers[0].readinessProbe.httpGet.port', message: 'bad probe port' },
        { field: 'spec.template.spec.containers[0].resources.limits[memory]', message: 'too small' },
        { field: 'spec.template.spec.containers[0].image', message: 'Required value' },
        { field: 'spec.strategy', message: 'odd' },
      ];
    const r = formFailure(new ApiError(422, 'Invalid', 'invalid', { causes }), (c) => fieldForCause(c.field, f));
    expect(r.fields).toEqual({
      name: 'bad name',
      'env.1.name': 'bad env',
      'ports.0.containerPort': 'bad port',
      'readiness.port': 'bad probe port',
      'resources.limitsMemory': 'too small',
      image: 'Required value',
    });
    expect(r.other).toEqual(['spec.strategy: odd']);
  });
});

describe('createDeploymentCommand', () => {
  it('is the kubectl command for the simple fields', () => {
    expect(createDeploymentCommand(form({ replicas: '2', ports: [{ containerPort: '80', protocol: 'TCP' }] }))).toBe('kubectl create deployment web --image=nginx:1.25 --replicas=2 --port=80 -n shop');
    expect(createDeploymentCommand({ ...form(), namespace: 'default', command: 'sleep 3600' })).toBe('kubectl create deployment web --image=nginx:1.25 -- sleep 3600');
  });
});
