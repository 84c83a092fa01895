/**
 * The Create Deployment wizard's form → the apps/v1 Deployment it creates (shaped as
 * `kubectl create deployment NAME --image=IMAGE --replicas=N --port=P` makes it: labels and
 * selector `app: NAME`, one container named after the image), its inline field errors, and the
 * API server's field causes (`spec.template.spec.containers[0].ports[0].containerPort`) mapped
 * back onto the form's fields.
 */
import type { KubeObject } from '../../api/types';
import { buildProbe, emptyProbe, probeErrors, type Probe, type ProbeForm } from './probe';
import { dns1123LabelError, envVarNameError, portNumberError, quantityError, splitWords, wholeNumberError } from './validation';

export interface PortRow {
  containerPort: string;
  protocol: 'TCP' | 'UDP';
}

export interface EnvRow {
  name: string;
  value: string;
}

export interface ResourcesForm {
  requestsCpu: string;
  requestsMemory: string;
  limitsCpu: string;
  limitsMemory: string;
}

export interface DeploymentForm {
  name: string;
  namespace: string;
  image: string;
  replicas: string;
  /** Overrides the image's entrypoint (`command`); empty keeps the image's. */
  command: string;
  /** The image's arguments (`args`). */
  args: string;
  ports: PortRow[];
  env: EnvRow[];
  liveness: ProbeForm;
  readiness: ProbeForm;
  resources: ResourcesForm;
}

interface Container {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  ports?: { containerPort: number; protocol?: 'UDP' }[];
  env?: EnvRow[];
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  resources: { requests?: Record<string, string>; limits?: Record<string, string> };
}

export interface DeploymentObject extends KubeObject {
  apiVersion: 'apps/v1';
  kind: 'Deployment';
  metadata: { name: string; namespace: string; labels: Record<string, string> };
  spec: {
    replicas: number;
    selector: { matchLabels: Record<string, string> };
    template: { metadata: { labels: Record<string, string> }; spec: { containers: Container[] } };
  };
}

export function emptyDeploymentForm(namespace = 'default'): DeploymentForm {
  return {
    name: '',
    namespace,
    image: '',
    replicas: '1',
    command: '',
    args: '',
    ports: [],
    env: [],
    liveness: emptyProbe(),
    readiness: emptyProbe(),
    resources: { requestsCpu: '', requestsMemory: '', limitsCpu: '', limitsMemory: '' },
  };
}

/**
 * The container's name as kubectl create deployment derives it: the last path element of the
 * image without tag or digest, `_` and `.` made `-`.
 */
export function containerNameFor(image: string): string {
  const last = image.trim().split('/').pop() ?? '';
  const name = last.split('@')[0].split(':')[0].toLowerCase().replace(/[._]/g, '-');
  return name || 'app';
}

const usedRows = <T extends object>(rows: T[], filled: (r: T) => boolean) => rows.filter(filled);
const portFilled = (p: PortRow) => p.containerPort.trim() !== '';
const envFilled = (e: EnvRow) => e.name.trim() !== '' || e.value !== '';

function resourceMap(cpu: string, memory: string): Record<string, string> | undefined {
  const m: Record<string, string> = {};
  if (cpu.trim()) m.cpu = cpu.trim();
  if (memory.trim()) m.memory = memory.trim();
  return Object.keys(m).length ? m : undefined;
}

export function buildDeployment(f: DeploymentForm): DeploymentObject {
  const name = f.name.trim();
  const labels = { app: name };
  const ports = usedRows(f.ports, portFilled).map((p) => (p.protocol === 'UDP' ? { containerPort: Number(p.containerPort.trim()), protocol: 'UDP' as const } : { containerPort: Number(p.containerPort.trim()) }));
  const firstPort = ports[0]?.containerPort;
  const c: Container = { name: containerNameFor(f.image), image: f.image.trim(), resources: {} };
  const command = splitWords(f.command);
  const args = splitWords(f.args);
  if (command.length) c.command = command;
  if (args.length) c.args = args;
  if (ports.length) c.ports = ports;
  const env = usedRows(f.env, envFilled).map((e) => ({ name: e.name.trim(), value: e.value }));
  if (env.length) c.env = env;
  const liveness = buildProbe(f.liveness, firstPort);
  const readiness = buildProbe(f.readiness, firstPort);
  if (liveness) c.livenessProbe = liveness;
  if (readiness) c.readinessProbe = readiness;
  const requests = resourceMap(f.resources.requestsCpu, f.resources.requestsMemory);
  const limits = resourceMap(f.resources.limitsCpu, f.resources.limitsMemory);
  if (requests) c.resources.requests = requests;
  if (limits) c.resources.limits = limits;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: f.namespace, labels },
    spec: {
      replicas: Number(f.replicas.trim() || '1'),
      selector: { matchLabels: { ...labels } },
      template: { metadata: { labels: { ...labels } }, spec: { containers: [c] } },
    },
  };
}

/** The form's field errors, keyed by form path (`name`, `ports.0.containerPort`, `liveness.port`). */
export function deploymentFormErrors(f: DeploymentForm): Record<string, string> {
  const errs: Record<string, string> = {};
  const set = (k: string, e: string | undefined) => {
    if (e) errs[k] = e;
  };
  set('name', dns1123LabelError(f.name.trim()));
  set('namespace', f.namespace ? undefined : 'Required value');
  set('image', f.image.trim() ? (/\s/.test(f.image.trim()) ? 'must not contain spaces' : undefined) : 'Required value');
  set('replicas', wholeNumberError(f.replicas, 0));
  const seen = new Set<string>();
  f.ports.forEach((p, i) => {
    if (!portFilled(p)) return;
    const e = portNumberError(p.containerPort);
    const key = `${p.containerPort.trim()}/${p.protocol}`;
    set(`ports.${i}.containerPort`, e ?? (seen.has(key) ? `Duplicate value: "${key}"` : undefined));
    seen.add(key);
  });
  f.env.forEach((e, i) => {
    if (envFilled(e)) set(`env.${i}.name`, envVarNameError(e.name.trim()));
  });
  const hasPort = f.ports.some(portFilled);
  Object.assign(errs, probeErrors(f.liveness, 'liveness', hasPort), probeErrors(f.readiness, 'readiness', hasPort));
  for (const k of ['requestsCpu', 'requestsMemory', 'limitsCpu', 'limitsMemory'] as const) set(`resources.${k}`, quantityError(f.resources[k]));
  return errs;
}

const CONTAINER = /^spec\.template\.spec\.containers\[0\]\.?/;

function probeField(prefix: string, rest: string): string {
  if (/port/.test(rest)) return `${prefix}.port`;
  if (/path/.test(rest)) return `${prefix}.path`;
  if (/exec|command/.test(rest)) return `${prefix}.command`;
  if (/initialDelaySeconds/.test(rest)) return `${prefix}.initialDelaySeconds`;
  if (/periodSeconds/.test(rest)) return `${prefix}.periodSeconds`;
  return `${prefix}.kind`;
}

function containerField(rest: string, f: DeploymentForm): string | undefined {
  let m: RegExpMatchArray | null;
  if (rest === 'name' || rest === 'image' || rest.startsWith('image')) return 'image';
  if ((m = rest.match(/^ports\[(\d+)\]/))) return `ports.${filledIndex(f.ports, portFilled, Number(m[1]))}.containerPort`;
  if ((m = rest.match(/^env\[(\d+)\]/))) return `env.${filledIndex(f.env, envFilled, Number(m[1]))}.name`;
  if (rest.startsWith('livenessProbe')) return probeField('liveness', rest);
  if (rest.startsWith('readinessProbe')) return probeField('readiness', rest);
  if (rest.startsWith('command')) return 'command';
  if (rest.startsWith('args')) return 'args';
  if ((m = rest.match(/^resources\.(requests|limits)/))) return `resources.${m[1]}${/memory/.test(rest) ? 'Memory' : 'Cpu'}`;
  return undefined;
}

/** Index in the form's rows of the n-th filled row (empty rows are not sent). */
function filledIndex<T>(rows: T[], filled: (r: T) => boolean, n: number): number {
  let seen = -1;
  for (let i = 0; i < rows.length; i++) if (filled(rows[i]) && ++seen === n) return i;
  return n;
}

/** The form field an API cause's `field` (a path in the Deployment) belongs to, if any. */
export function fieldForCause(field: string | undefined, f: DeploymentForm): string | undefined {
  if (!field) return undefined;
  if (field === 'metadata.name') return 'name';
  if (field === 'metadata.namespace') return 'namespace';
  if (field === 'spec.replicas') return 'replicas';
  if (CONTAINER.test(field)) return containerField(field.replace(CONTAINER, ''), f);
  return undefined;
}

/** The kubectl command closest to the form (env, probes and resources have no flags). */
export function createDeploymentCommand(f: DeploymentForm): string {
  const parts = ['kubectl', 'create', 'deployment', f.name.trim() || 'NAME', `--image=${f.image.trim() || 'IMAGE'}`];
  if (f.replicas.trim() && f.replicas.trim() !== '1') parts.push(`--replicas=${f.replicas.trim()}`);
  const port = f.ports.find(portFilled);
  if (port) parts.push(`--port=${port.containerPort.trim()}`);
  if (f.namespace && f.namespace !== 'default') parts.push(`-n ${f.namespace}`);
  const cmd = splitWords(f.command);
  if (cmd.length) parts.push('--', ...cmd, ...splitWords(f.args));
  return parts.join(' ');
}
