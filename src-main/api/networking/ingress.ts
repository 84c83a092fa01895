/**
 * networking.k8s.io/v1 Ingress, IngressClass and NetworkPolicy: validation of rules, paths and
 * backends (pathType is required, no default), NetworkPolicy defaults (policyTypes, port protocol),
 * and the upstream tables (CLASS/HOSTS/ADDRESS/PORTS, CONTROLLER/PARAMETERS, POD-SELECTOR).
 */
import type { ResourceDef } from '../resource';
import type { KubeObject } from '../types';
import { asArray, asObject, isObject } from '../types';
import { fe, type FieldError } from '../field-errors';
import { translateTimestampSince } from '../printers';
import { validateLabelSelector, validateMetaFor } from '../core/validation/meta';
import { isDNS1035Label, isDNS1123Subdomain, isValidIP, isValidPortName, isValidPortNum, regexError, DNS1123_SUBDOMAIN_FMT } from '../core/validation/names';
import { ageColumn, col, nameColumn, nameOf } from '../apps/util/printing';
import { formatLabelSelector } from '../apps/util/selector-format';

type Obj = Record<string, unknown>;

const PATH_TYPES = ['Exact', 'ImplementationSpecific', 'Prefix'];
const INVALID_PATH_SEQUENCES = ['//', '/./', '/../', '%2f', '%2F'];
const INVALID_PATH_SUFFIXES = ['/..', '/.'];
const WILDCARD_FMT = `\\*\\.${DNS1123_SUBDOMAIN_FMT}`;
const WILDCARD_ERR = "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character";

function validateHost(host: string, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (isValidIP(host)) errs.push(fe.invalid(path, host, 'must be a DNS name, not an IP address'));
  if (host.includes('*')) {
    if (!new RegExp(`^${WILDCARD_FMT}$`).test(host) || host.length > 253) errs.push(fe.invalid(path, host, regexError(WILDCARD_ERR, WILDCARD_FMT, '*.example.com')));
  } else {
    for (const m of isDNS1123Subdomain(host)) errs.push(fe.invalid(path, host, m));
  }
  return errs;
}

function validateBackend(b: unknown, path: string): FieldError[] {
  const backend = asObject(b);
  const hasResource = isObject(backend.resource);
  const hasService = isObject(backend.service);
  if (hasResource && hasService) return [fe.invalid(path, '', 'cannot set both resource and service backends')];
  if (hasResource) {
    const r = asObject(backend.resource);
    const errs: FieldError[] = [];
    if (!r.kind) errs.push(fe.required(`${path}.resource.kind`, ''));
    if (!r.name) errs.push(fe.required(`${path}.resource.name`, ''));
    return errs;
  }
  if (!hasService) return [fe.invalid(path, '', 'resource or service backend is required')];
  const svc = asObject(backend.service);
  const errs: FieldError[] = [];
  const name = typeof svc.name === 'string' ? svc.name : '';
  if (!name) errs.push(fe.required(`${path}.service.name`, ''));
  else for (const m of isDNS1035Label(name)) errs.push(fe.invalid(`${path}.service.name`, name, m));
  const port = asObject(svc.port);
  const hasName = typeof port.name === 'string' && port.name.length > 0;
  const hasNumber = typeof port.number === 'number' && port.number !== 0;
  if (hasName && hasNumber) errs.push(fe.invalid(path, '', 'cannot set both port name & port number'));
  else if (hasName) for (const m of isValidPortName(String(port.name))) errs.push(fe.invalid(`${path}.service.port.name`, port.name, m));
  else if (hasNumber) for (const m of isValidPortNum(Number(port.number))) errs.push(fe.invalid(`${path}.service.port.number`, port.number, m));
  else errs.push(fe.required(path, 'port name or number is required'));
  return errs;
}

function validatePath(p: unknown, path: string): FieldError[] {
  const hp = asObject(p);
  const errs: FieldError[] = [];
  const pathStr = typeof hp.path === 'string' ? hp.path : '';
  const pt = hp.pathType;
  if (pt === undefined || pt === null || pt === '') {
    errs.push(fe.required(`${path}.pathType`, 'pathType must be specified'));
  } else if (pt === 'Exact' || pt === 'Prefix') {
    if (!pathStr.startsWith('/')) errs.push(fe.invalid(`${path}.path`, pathStr, 'must be an absolute path'));
    else {
      for (const s of INVALID_PATH_SEQUENCES) if (pathStr.includes(s)) errs.push(fe.invalid(`${path}.path`, pathStr, `must not contain '${s}'`));
      for (const s of INVALID_PATH_SUFFIXES) if (pathStr.endsWith(s)) errs.push(fe.invalid(`${path}.path`, pathStr, `cannot end with '${s}'`));
    }
  } else if (pt === 'ImplementationSpecific') {
    if (pathStr.length > 0 && !pathStr.startsWith('/')) errs.push(fe.invalid(`${path}.path`, pathStr, 'must be an absolute path'));
  } else {
    errs.push(fe.notSupported(`${path}.pathType`, pt, PATH_TYPES));
  }
  errs.push(...validateBackend(hp.backend, `${path}.backend`));
  return errs;
}

export function validateIngressSpec(specIn: unknown, path = 'spec'): FieldError[] {
  const spec = asObject(specIn);
  const errs: FieldError[] = [];
  const rules = asArray(spec.rules);
  if (rules.length === 0 && !isObject(spec.defaultBackend)) errs.push(fe.invalid(path, spec.rules ?? null, 'either `defaultBackend` or `rules` must be specified'));
  if (isObject(spec.defaultBackend)) errs.push(...validateBackend(spec.defaultBackend, `${path}.defaultBackend`));
  rules.forEach((r, i) => {
    const rule = asObject(r);
    const rp = `${path}.rules[${i}]`;
    if (typeof rule.host === 'string' && rule.host) errs.push(...validateHost(rule.host, `${rp}.host`));
    if (isObject(rule.http)) {
      const paths = asArray(rule.http.paths);
      if (paths.length === 0) errs.push(fe.required(`${rp}.http.paths`, ''));
      paths.forEach((p, j) => errs.push(...validatePath(p, `${rp}.http.paths[${j}]`)));
    }
  });
  asArray(spec.tls).forEach((t, i) => {
    asArray(asObject(t).hosts).forEach((h, j) => {
      const host = String(h);
      if (host.includes('*')) {
        if (!new RegExp(`^${WILDCARD_FMT}$`).test(host)) errs.push(fe.invalid(`${path}.tls[${i}].hosts[${j}]`, host, regexError(WILDCARD_ERR, WILDCARD_FMT, '*.example.com')));
      } else {
        for (const m of isDNS1123Subdomain(host)) errs.push(fe.invalid(`${path}.tls[${i}].hosts[${j}]`, host, m));
      }
    });
  });
  if (typeof spec.ingressClassName === 'string') {
    for (const m of isDNS1123Subdomain(spec.ingressClassName)) errs.push(fe.invalid(`${path}.ingressClassName`, spec.ingressClassName, m));
  }
  return errs;
}

export function validateIngress(obj: KubeObject, old: KubeObject | undefined): FieldError[] {
  const errs = validateMetaFor(obj, old, { namespaced: true });
  errs.push(...validateIngressSpec(obj.spec));
  const cls = obj.metadata.annotations?.['kubernetes.io/ingress.class'];
  const spec = asObject(obj.spec);
  if (!old && cls !== undefined && typeof spec.ingressClassName === 'string') {
    errs.push(fe.invalid('spec.ingressClassName', spec.ingressClassName, 'can not be set when the class field is also set'));
  }
  return errs;
}

/** ingressLoadBalancerStatusStringer: unique ips/hostnames, sorted, cut to 16 characters unless wide. */
export function ingressAddress(obj: KubeObject, wide = false): string {
  const set = new Set<string>();
  for (const i of asArray(asObject(asObject(obj.status).loadBalancer).ingress)) {
    const ing = asObject(i);
    if (typeof ing.ip === 'string' && ing.ip) set.add(ing.ip);
    else if (typeof ing.hostname === 'string' && ing.hostname) set.add(ing.hostname);
  }
  let r = [...set].sort().join(',');
  if (!wide && r.length > 16) r = `${r.slice(0, 13)}...`;
  return r;
}

/** formatHosts: rule hosts, at most 3, `*` when none. */
export function ingressHosts(obj: KubeObject): string {
  const rules = asArray(asObject(obj.spec).rules).map(asObject);
  const list: string[] = [];
  let more = false;
  for (const rule of rules) {
    if (list.length === 3) more = true;
    if (!more && typeof rule.host === 'string' && rule.host) list.push(rule.host);
  }
  if (list.length === 0) return '*';
  return more ? `${list.join(',')} + ${rules.length - 3} more...` : list.join(',');
}

export const ingressesDef: ResourceDef = {
  group: 'networking.k8s.io',
  version: 'v1',
  kind: 'Ingress',
  plural: 'ingresses',
  singular: 'ingress',
  namespaced: true,
  shortNames: ['ing'],
  subresources: ['status'],
  generation: true,
  prepareForCreate(obj) {
    obj.status = { loadBalancer: {} };
  },
  validate: validateIngress,
  validateStatus: (obj, old) => validateMetaFor(obj, old, { namespaced: true }),
  table: {
    columns: [
      nameColumn(),
      col('Class', 'string', 'The name of the IngressClass resource that should be used for additional configuration'),
      col('Hosts', 'string', 'Hosts that incoming requests are matched against before the ingress rule'),
      col('Address', 'string', 'Address is a list containing ingress points for the load-balancer'),
      col('Ports', 'string', 'Ports of TLS configurations that open'),
      ageColumn(),
    ],
    row(obj, now) {
      const spec = asObject(obj.spec);
      return [
        nameOf(obj),
        typeof spec.ingressClassName === 'string' ? spec.ingressClassName : '<none>',
        ingressHosts(obj),
        ingressAddress(obj),
        asArray(spec.tls).length ? '80, 443' : '80',
        translateTimestampSince(obj.metadata.creationTimestamp, now),
      ];
    },
  },
};

export const ingressClassesDef: ResourceDef = {
  group: 'networking.k8s.io',
  version: 'v1',
  kind: 'IngressClass',
  plural: 'ingressclasses',
  singular: 'ingressclass',
  namespaced: false,
  validate(obj, old) {
    const errs = validateMetaFor(obj, old, { namespaced: false });
    const spec = asObject(obj.spec);
    const ctrl = typeof spec.controller === 'string' ? spec.controller : '';
    if (!ctrl) errs.push(fe.required('spec.controller', ''));
    else if (ctrl.length > 250) errs.push(fe.tooLong('spec.controller', 250));
    if (old && spec.controller !== asObject(old.spec).controller) errs.push(fe.invalid('spec.controller', spec.controller, 'field is immutable'));
    if (isObject(spec.parameters)) {
      const p = spec.parameters;
      if (!p.kind) errs.push(fe.required('spec.parameters.kind', ''));
      if (!p.name) errs.push(fe.required('spec.parameters.name', ''));
      if (p.scope !== undefined && p.scope !== 'Cluster' && p.scope !== 'Namespace') errs.push(fe.notSupported('spec.parameters.scope', p.scope, ['Cluster', 'Namespace']));
    }
    return errs;
  },
  table: {
    columns: [
      nameColumn(),
      col('Controller', 'string', 'Controller that is responsible for handling this class'),
      col('Parameters', 'string', 'A reference to a resource with additional parameters'),
      ageColumn(),
    ],
    row(obj, now) {
      const spec = asObject(obj.spec);
      let params = '<none>';
      if (isObject(spec.parameters)) {
        const p = spec.parameters;
        params = `${String(p.kind ?? '')}${typeof p.apiGroup === 'string' ? `.${p.apiGroup}` : ''}/${String(p.name ?? '')}`;
      }
      return [nameOf(obj), typeof spec.controller === 'string' ? spec.controller : '', params, translateTimestampSince(obj.metadata.creationTimestamp, now)];
    },
  },
};

// --- NetworkPolicy ---------------------------------------------------------------------------

const POLICY_TYPES = ['Ingress', 'Egress'];
const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];

export function defaultNetworkPolicy(obj: KubeObject): void {
  const spec = (isObject(obj.spec) ? obj.spec : (obj.spec = {})) as Obj;
  if (!isObject(spec.podSelector)) spec.podSelector = {};
  for (const dir of ['ingress', 'egress']) {
    for (const rule of asArray(spec[dir])) for (const p of asArray(asObject(rule).ports)) if (isObject(p) && !p.protocol) p.protocol = 'TCP';
  }
  if (asArray(spec.policyTypes).length === 0) {
    const types = ['Ingress'];
    if (asArray(spec.egress).length > 0) types.push('Egress');
    spec.policyTypes = types;
  }
}

function validatePeers(peers: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  asArray(peers).forEach((pp, i) => {
    const peer = asObject(pp);
    const p = `${path}[${i}]`;
    let n = 0;
    if (isObject(peer.podSelector)) {
      n++;
      errs.push(...validateLabelSelector(peer.podSelector, `${p}.podSelector`));
    }
    if (isObject(peer.namespaceSelector)) {
      n++;
      errs.push(...validateLabelSelector(peer.namespaceSelector, `${p}.namespaceSelector`));
    }
    if (isObject(peer.ipBlock)) {
      n++;
      if (!peer.ipBlock.cidr) errs.push(fe.required(`${p}.ipBlock.cidr`, ''));
    }
    if (n === 0) errs.push(fe.required(p, 'must specify a peer'));
    else if (isObject(peer.ipBlock) && n > 1) errs.push(fe.forbidden(p, 'may not specify both ipBlock and another peer'));
  });
  return errs;
}

function validatePorts(ports: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  asArray(ports).forEach((pp, i) => {
    const port = asObject(pp);
    const p = `${path}[${i}]`;
    if (port.protocol !== undefined && !PROTOCOLS.includes(String(port.protocol))) errs.push(fe.notSupported(`${p}.protocol`, port.protocol, PROTOCOLS));
    if (typeof port.port === 'number') {
      for (const m of isValidPortNum(port.port)) errs.push(fe.invalid(`${p}.port`, port.port, m));
      if (typeof port.endPort === 'number' && port.endPort < port.port) errs.push(fe.invalid(`${p}.endPort`, port.endPort, 'must be greater than or equal to `port`'));
    } else if (typeof port.port === 'string') {
      for (const m of isValidPortName(port.port)) errs.push(fe.invalid(`${p}.port`, port.port, m));
      if (port.endPort !== undefined) errs.push(fe.invalid(`${p}.endPort`, port.endPort, 'may not be specified when `port` is non-numeric'));
    } else if (port.endPort !== undefined) {
      errs.push(fe.required(`${p}.port`, 'must be specified when endPort is specified'));
    }
  });
  return errs;
}

export function validateNetworkPolicy(obj: KubeObject, old: KubeObject | undefined): FieldError[] {
  const errs = validateMetaFor(obj, old, { namespaced: true });
  const spec = asObject(obj.spec);
  errs.push(...validateLabelSelector(spec.podSelector, 'spec.podSelector'));
  asArray(spec.ingress).forEach((r, i) => {
    errs.push(...validatePorts(asObject(r).ports, `spec.ingress[${i}].ports`));
    errs.push(...validatePeers(asObject(r).from, `spec.ingress[${i}].from`));
  });
  asArray(spec.egress).forEach((r, i) => {
    errs.push(...validatePorts(asObject(r).ports, `spec.egress[${i}].ports`));
    errs.push(...validatePeers(asObject(r).to, `spec.egress[${i}].to`));
  });
  const types = asArray(spec.policyTypes);
  types.forEach((t, i) => {
    if (!POLICY_TYPES.includes(String(t))) errs.push(fe.notSupported(`spec.policyTypes[${i}]`, t, POLICY_TYPES));
  });
  if (types.length > POLICY_TYPES.length) errs.push(fe.invalid('spec.policyTypes', types, 'may not specify more than two policyTypes'));
  return errs;
}

export const networkPoliciesDef: ResourceDef = {
  group: 'networking.k8s.io',
  version: 'v1',
  kind: 'NetworkPolicy',
  plural: 'networkpolicies',
  singular: 'networkpolicy',
  namespaced: true,
  shortNames: ['netpol'],
  generation: true,
  default: defaultNetworkPolicy,
  validate: validateNetworkPolicy,
  table: {
    columns: [
      nameColumn(),
      col('Pod-Selector', 'string', 'Selects the pods to which this NetworkPolicy object applies. The array of ingress rules is applied to any pods selected by this field. Multiple network policies can select the same set of pods. In this case, the ingress rules for each are combined additively. This field is NOT optional and follows standard label selector semantics. An empty podSelector matches all pods in this namespace.'),
      ageColumn(),
    ],
    row(obj, now) {
      return [nameOf(obj), formatLabelSelector(asObject(obj.spec).podSelector), translateTimestampSince(obj.metadata.creationTimestamp, now)];
    },
  },
};
