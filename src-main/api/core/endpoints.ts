/**
 * Endpoints (core/v1): port protocol defaults, address/port validation, and the table
 * (`ip:port` pairs, at most three then ` + N more...`).
 */
import { fe, type FieldError } from '../field-errors';
import { translateTimestampSince } from '../printers';
import type { ResourceDef } from '../resource';
import type { KubeObject } from '../types';
import { AGE_COLUMN, NAME_COLUMN, col, list, n, o, s } from './common';
import { validateObjectMeta, validateObjectMetaUpdate } from './validation/meta';
import { isDNS1123Label, isValidIP, isValidPortNum, inclusiveRangeError } from './validation/names';

const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

function validateSubsets(ep: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  list(ep.subsets).forEach((ss, i) => {
    const p = `subsets[${i}]`;
    for (const key of ['addresses', 'notReadyAddresses']) {
      list(ss[key]).forEach((a, j) => {
        const ip = s(a.ip);
        if (!isValidIP(ip)) errs.push(fe.invalid(`${p}.${key}[${j}].ip`, ip, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'));
      });
    }
    const ports = list(ss.ports);
    ports.forEach((pt, j) => {
      const pp = `${p}.ports[${j}]`;
      const name = s(pt.name);
      if (ports.length > 1 && !name) errs.push(fe.required(`${pp}.name`, ''));
      // upstream ValidateEndpointPort: a DNS-1123 label (Service port names such as "80" are allowed)
      else if (name) for (const m of isDNS1123Label(name)) errs.push(fe.invalid(`${pp}.name`, name, m));
      if (typeof pt.port !== 'number' || isValidPortNum(pt.port).length) errs.push(fe.invalid(`${pp}.port`, pt.port ?? 0, inclusiveRangeError(1, 65535)));
      if (!pt.protocol) errs.push(fe.required(`${pp}.protocol`, ''));
      else if (!PROTOCOLS.includes(s(pt.protocol))) errs.push(fe.notSupported(`${pp}.protocol`, pt.protocol, PROTOCOLS));
    });
  });
  return errs;
}

/** formatEndpoints with all ports. */
export function formatEndpoints(ep: KubeObject): string {
  const subsets = list(ep.subsets);
  if (subsets.length === 0) return '<none>';
  const out: string[] = [];
  let count = 0;
  const max = 3;
  for (const ss of subsets) {
    const addrs = list(ss.addresses);
    const ports = list(ss.ports);
    if (ports.length === 0) {
      count += addrs.length;
      for (const a of addrs) if (out.length < max) out.push(s(a.ip));
      continue;
    }
    for (const pt of ports) {
      count += addrs.length;
      for (const a of addrs) {
        if (out.length >= max) break;
        const ip = s(a.ip);
        out.push(`${ip.includes(':') ? `[${ip}]` : ip}:${n(pt.port)}`);
      }
    }
  }
  let text = out.join(',');
  if (count > out.length) text += ` + ${count - out.length} more...`;
  return text;
}

export const endpointsDef: ResourceDef = {
  group: '',
  version: 'v1',
  kind: 'Endpoints',
  plural: 'endpoints',
  singular: 'endpoints',
  namespaced: true,
  shortNames: ['ep'],

  default(obj) {
    for (const ss of list(obj.subsets)) for (const pt of list(ss.ports)) if (!pt.protocol) pt.protocol = 'TCP';
  },

  validate(obj, old) {
    const errs = old ? validateObjectMetaUpdate(obj.metadata, old.metadata) : validateObjectMeta(obj.metadata, { namespaced: true });
    errs.push(...validateSubsets(obj));
    return errs;
  },

  table: {
    columns: [
      NAME_COLUMN,
      col('Endpoints', 'The set of all endpoints is the union of all subsets. Addresses are placed into subsets according to the IPs they share. A single address with multiple ports, some of which are ready and some of which are not (because they come from different containers) will result in the address being displayed in different subsets for the different ports. No address will appear in both Addresses and NotReadyAddresses in the same subset. Sets of addresses and ports that comprise a service.'),
      AGE_COLUMN,
    ],
    row(ep, now) {
      return [ep.metadata.name ?? '', formatEndpoints(ep), translateTimestampSince(ep.metadata.creationTimestamp, now)];
    },
  },
};

