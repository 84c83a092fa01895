/**
 * Services (core/v1): SetDefaults_Service plus the single-stack IP family defaults the service
 * REST storage applies, validation (names are DNS-1035 labels, ports, types, immutable clusterIP),
 * and the `kubectl get svc` table. ClusterIP/NodePort allocation lives in the API server.
 */
import { fe, type FieldError } from '../field-errors';
import { formatLabelMap, translateTimestampSince } from '../printers';
import type { ResourceDef } from '../resource';
import type { KubeObject } from '../types';
import { AGE_COLUMN, NAME_COLUMN, col, list, o, s, n, specOf, stringMap, type Obj } from './common';
import { validatePortNumOrName } from './pod-spec';
import { validateImmutableField, validateLabels, validateObjectMeta, validateObjectMetaUpdate } from './validation/meta';
import { isDNS1123Label, isDNS1123Subdomain, isValidIP, isValidPortNum, inclusiveRangeError, nameIsDNS1035Label } from './validation/names';

const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const AFFINITIES = ['ClientIP', 'None'];
const TRAFFIC_POLICIES = ['Cluster', 'Local'];

export function defaultService(svc: KubeObject): void {
  const spec = specOf(svc);
  if (!spec.sessionAffinity) spec.sessionAffinity = 'None';
  if (spec.sessionAffinity === 'ClientIP') {
    const cfg = o(spec.sessionAffinityConfig);
    const cip = o(cfg.clientIP);
    if (cip.timeoutSeconds === undefined) cip.timeoutSeconds = 10800;
    cfg.clientIP = cip;
    spec.sessionAffinityConfig = cfg;
  }
  if (!spec.type) spec.type = 'ClusterIP';
  for (const p of list(spec.ports)) {
    if (!p.protocol) p.protocol = 'TCP';
    if (p.targetPort === undefined || p.targetPort === 0 || p.targetPort === '') p.targetPort = p.port;
  }
  const type = spec.type;
  if ((type === 'NodePort' || type === 'LoadBalancer') && !spec.externalTrafficPolicy) spec.externalTrafficPolicy = 'Cluster';
  if (type !== 'ExternalName' && !spec.internalTrafficPolicy) spec.internalTrafficPolicy = 'Cluster';
  if (type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts === undefined) spec.allocateLoadBalancerNodePorts = true;
  // IP families of a single-stack IPv4 cluster (done by the REST storage upstream).
  if (type === 'ExternalName') {
    delete spec.ipFamilies;
    delete spec.ipFamilyPolicy;
  } else {
    const headless = spec.clusterIP === 'None';
    const selectorless = Object.keys(o(spec.selector)).length === 0;
    if (!spec.ipFamilyPolicy) spec.ipFamilyPolicy = headless && selectorless ? 'RequireDualStack' : 'SingleStack';
    if (!Array.isArray(spec.ipFamilies) || spec.ipFamilies.length === 0) spec.ipFamilies = ['IPv4'];
  }
  if (type === 'ClusterIP' && spec.clusterIP === 'None' && !Array.isArray(spec.clusterIPs)) spec.clusterIPs = ['None'];
}

function validateServicePorts(spec: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const ports = list(spec.ports);
  const type = s(spec.type);
  const headless = spec.clusterIP === 'None';
  if (ports.length === 0 && !headless && type !== 'ExternalName') errs.push(fe.required('spec.ports', ''));
  const names = new Set<string>();
  const seen = new Set<string>();
  ports.forEach((p, i) => {
    const ip = `spec.ports[${i}]`;
    const name = s(p.name);
    if (ports.length > 1 && !name) errs.push(fe.required(`${ip}.name`, ''));
    else if (name) {
      for (const m of isDNS1123Label(name)) errs.push(fe.invalid(`${ip}.name`, name, m));
      if (names.has(name)) errs.push(fe.duplicate(`${ip}.name`, name));
      names.add(name);
    }
    if (typeof p.port !== 'number' || isValidPortNum(p.port).length) errs.push(fe.invalid(`${ip}.port`, p.port ?? 0, inclusiveRangeError(1, 65535)));
    if (!p.protocol) errs.push(fe.required(`${ip}.protocol`, ''));
    else if (!PROTOCOLS.includes(s(p.protocol))) errs.push(fe.notSupported(`${ip}.protocol`, p.protocol, PROTOCOLS));
    errs.push(...validatePortNumOrName(p.targetPort, `${ip}.targetPort`));
    if (p.nodePort !== undefined && p.nodePort !== 0) {
      if (type !== 'NodePort' && type !== 'LoadBalancer') {
        errs.push(fe.forbidden(`${ip}.nodePort`, 'may not be used when `type` is \'ClusterIP\''.replace('ClusterIP', type || 'ClusterIP')));
      } else if (typeof p.nodePort !== 'number' || isValidPortNum(p.nodePort).length) {
        errs.push(fe.invalid(`${ip}.nodePort`, p.nodePort, inclusiveRangeError(1, 65535)));
      }
    }
    const key = `${n(p.port)}/${s(p.protocol)}`;
    if (seen.has(key)) errs.push(fe.duplicate(ip, { port: p.port, protocol: p.protocol }));
    seen.add(key);
  });
  return errs;
}

export function validateService(svc: KubeObject, old: KubeObject | undefined): FieldError[] {
  const errs = old ? validateObjectMetaUpdate(svc.metadata, old.metadata) : validateObjectMeta(svc.metadata, { namespaced: true, nameFn: nameIsDNS1035Label });
  const spec = o(svc.spec);
  const type = s(spec.type);
  if (!type) errs.push(fe.required('spec.type', ''));
  else if (!SERVICE_TYPES.includes(type)) errs.push(fe.notSupported('spec.type', type, SERVICE_TYPES));
  if (type === 'ExternalName') {
    const en = s(spec.externalName);
    if (!en) errs.push(fe.required('spec.externalName', ''));
    else for (const m of isDNS1123Subdomain(en.replace(/\.$/, ''))) errs.push(fe.invalid('spec.externalName', en, m));
    if (spec.clusterIP && spec.clusterIP !== '') errs.push(fe.forbidden('spec.clusterIPs', 'may not be set for ExternalName services'));
  }
  const sa = s(spec.sessionAffinity);
  if (!sa) errs.push(fe.required('spec.sessionAffinity', ''));
  else if (!AFFINITIES.includes(sa)) errs.push(fe.notSupported('spec.sessionAffinity', sa, AFFINITIES));
  if (sa === 'ClientIP') {
    const t = o(o(spec.sessionAffinityConfig).clientIP).timeoutSeconds;
    if (typeof t !== 'number' || t <= 0 || t > 86400) {
      errs.push(fe.invalid('spec.sessionAffinityConfig.clientIP.timeoutSeconds', t ?? 0, inclusiveRangeError(1, 86400).replace('must be between', 'must be greater than 0 and less than')));
    }
  }
  const cip = s(spec.clusterIP);
  if (cip && cip !== 'None' && !isValidIP(cip)) errs.push(fe.invalid('spec.clusterIPs[0]', cip, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'));
  if (cip === 'None' && (type === 'NodePort' || type === 'LoadBalancer')) {
    errs.push(fe.invalid('spec.clusterIPs[0]', 'None', `may not be set to 'None' for ${type} services`));
  }
  errs.push(...validateServicePorts(spec));
  errs.push(...validateLabels(spec.selector, 'spec.selector'));
  (Array.isArray(spec.externalIPs) ? spec.externalIPs : []).forEach((ip, i) => {
    if (!isValidIP(String(ip))) errs.push(fe.invalid(`spec.externalIPs[${i}]`, ip, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'));
  });
  if (spec.externalTrafficPolicy !== undefined && spec.externalTrafficPolicy !== '') {
    if (type !== 'NodePort' && type !== 'LoadBalancer') {
      errs.push(fe.invalid('spec.externalTrafficPolicy', spec.externalTrafficPolicy, 'may only be set when `type` is \'NodePort\' or \'LoadBalancer\''));
    } else if (!TRAFFIC_POLICIES.includes(s(spec.externalTrafficPolicy))) {
      errs.push(fe.notSupported('spec.externalTrafficPolicy', spec.externalTrafficPolicy, TRAFFIC_POLICIES));
    }
  }
  if (spec.internalTrafficPolicy !== undefined && spec.internalTrafficPolicy !== '' && !TRAFFIC_POLICIES.includes(s(spec.internalTrafficPolicy))) {
    errs.push(fe.notSupported('spec.internalTrafficPolicy', spec.internalTrafficPolicy, TRAFFIC_POLICIES));
  }
  if (old) {
    const oldSpec = o(old.spec);
    // ClusterIP may not change once set, except when switching to or from ExternalName.
    if (oldSpec.type !== 'ExternalName' && type !== 'ExternalName' && s(oldSpec.clusterIP) !== '') {
      errs.push(...validateImmutableField(spec.clusterIP, oldSpec.clusterIP, 'spec.clusterIP'));
    }
  }
  return errs;
}

/** The LoadBalancer ingress points as printed: ip, else hostname; de-duplicated and sorted. */
function loadBalancerStatus(svc: KubeObject): string[] {
  const set = new Set<string>();
  for (const ing of list(o(o(svc.status).loadBalancer).ingress)) {
    if (s(ing.ip)) set.add(s(ing.ip));
    else if (s(ing.hostname)) set.add(s(ing.hostname));
  }
  return [...set].sort();
}

/** EXTERNAL-IP as getServiceExternalIP does (wide = -o wide, no 16-character cut). */
export function serviceExternalIP(svc: KubeObject, wide: boolean): string {
  const spec = o(svc.spec);
  const ext = (Array.isArray(spec.externalIPs) ? spec.externalIPs : []).map(String);
  switch (spec.type) {
    case 'ClusterIP':
    case 'NodePort':
    case undefined:
    case '':
      return ext.length ? ext.join(',') : '<none>';
    case 'LoadBalancer': {
      let lb = loadBalancerStatus(svc).join(',');
      if (!wide && lb.length > 16) lb = `${lb.slice(0, 13)}...`;
      const parts = lb ? [lb, ...ext] : ext;
      return parts.length ? parts.join(',') : '<pending>';
    }
    case 'ExternalName':
      return s(spec.externalName);
    default:
      return '<unknown>';
  }
}

export function servicePorts(svc: KubeObject): string {
  const ports = list(o(svc.spec).ports);
  if (ports.length === 0) return '<none>';
  return ports.map((p) => (n(p.nodePort) > 0 ? `${n(p.port)}:${n(p.nodePort)}/${s(p.protocol)}` : `${n(p.port)}/${s(p.protocol)}`)).join(',');
}

export const servicesDef: ResourceDef = {
  group: '',
  version: 'v1',
  kind: 'Service',
  plural: 'services',
  singular: 'service',
  namespaced: true,
  shortNames: ['svc'],
  categories: ['all'],
  subresources: ['status', 'proxy'],

  default: defaultService,

  prepareForCreate(obj) {
    obj.status = { loadBalancer: {} };
  },

  validate: validateService,

  validateStatus(obj, old) {
    const errs = validateObjectMetaUpdate(obj.metadata, old.metadata);
    list(o(o(obj.status).loadBalancer).ingress).forEach((ing, i) => {
      if (ing.ip !== undefined && !isValidIP(s(ing.ip))) errs.push(fe.invalid(`status.loadBalancer.ingress[${i}].ip`, ing.ip, 'must be a valid IP address'));
    });
    return errs;
  },

  table: {
    columns: [
      NAME_COLUMN,
      col('Type', 'type determines how the Service is exposed. Defaults to ClusterIP. Valid options are ExternalName, ClusterIP, NodePort, and LoadBalancer.'),
      col('Cluster-IP', 'clusterIP is the IP address of the service and is usually assigned randomly.'),
      col('External-IP', 'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.'),
      col('Port(s)', 'The list of ports that are exposed by this service.'),
      AGE_COLUMN,
      col('Selector', 'Route service traffic to pods with label keys and values matching this selector.', 1),
    ],
    row(svc, now) {
      const spec = o(svc.spec);
      const ips = Array.isArray(spec.clusterIPs) ? spec.clusterIPs.map(String) : [];
      const clusterIP = ips.length ? ips[0] : s(spec.clusterIP) || '<none>';
      return [
        svc.metadata.name ?? '',
        s(spec.type),
        clusterIP,
        // The server prints Tables with Wide on, so the LoadBalancer list is never cut here.
        serviceExternalIP(svc, true),
        servicePorts(svc),
        translateTimestampSince(svc.metadata.creationTimestamp, now),
        formatLabelMap(stringMap(spec.selector)),
      ];
    },
  },
};
