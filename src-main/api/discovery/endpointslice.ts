/**
 * discovery.k8s.io/v1 EndpointSlice: SetDefaults_EndpointPort (protocol TCP, name ""),
 * ValidateEndpointSlice(Update) (addressType immutable) and the ADDRESSTYPE/PORTS/ENDPOINTS table.
 */
import type { ResourceDef } from '../resource';
import type { KubeObject } from '../types';
import { asArray, asObject, isObject } from '../types';
import { fe, type FieldError } from '../field-errors';
import { translateTimestampSince } from '../printers';
import { validateMetaFor, validateImmutableField } from '../core/validation/meta';
import { isDNS1123Label, isDNS1123Subdomain, isValidIPv4, isValidIP, isValidPortNum } from '../core/validation/names';
import { ageColumn, col, nameColumn, nameOf } from '../apps/util/printing';

const ADDRESS_TYPES = ['IPv4', 'IPv6', 'FQDN'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

export function defaultEndpointSlice(obj: KubeObject): void {
  for (const p of asArray(obj.ports)) {
    if (!isObject(p)) continue;
    if (p.name === undefined || p.name === null) p.name = '';
    if (!p.protocol) p.protocol = 'TCP';
  }
}

function validateAddress(addr: string, type: unknown, path: string): FieldError[] {
  if (type === 'IPv4') return isValidIPv4(addr) ? [] : [fe.invalid(path, addr, 'must be a valid IPv4 address')];
  if (type === 'IPv6') return isValidIP(addr) && !isValidIPv4(addr) ? [] : [fe.invalid(path, addr, 'must be a valid IPv6 address')];
  if (type === 'FQDN') return isDNS1123Subdomain(addr).map((m) => fe.invalid(path, addr, m));
  return [];
}

export function validateEndpointSlice(obj: KubeObject, old: KubeObject | undefined): FieldError[] {
  const errs = validateMetaFor(obj, old, { namespaced: true });
  const at = obj.addressType;
  if (at === undefined || at === '') errs.push(fe.required('addressType', ''));
  else if (!ADDRESS_TYPES.includes(String(at))) errs.push(fe.notSupported('addressType', at, ADDRESS_TYPES));
  const endpoints = asArray(obj.endpoints);
  if (endpoints.length > 1000) errs.push(fe.tooMany('endpoints', endpoints.length, 1000));
  endpoints.forEach((e, i) => {
    const ep = asObject(e);
    const addrs = asArray(ep.addresses).map(String);
    const p = `endpoints[${i}]`;
    if (addrs.length === 0) errs.push(fe.required(`${p}.addresses`, 'must contain at least 1 address'));
    else if (addrs.length > 100) errs.push(fe.tooMany(`${p}.addresses`, addrs.length, 100));
    addrs.forEach((a, j) => errs.push(...validateAddress(a, at, `${p}.addresses[${j}]`)));
    if (typeof ep.nodeName === 'string' && ep.nodeName) for (const m of isDNS1123Subdomain(ep.nodeName)) errs.push(fe.invalid(`${p}.nodeName`, ep.nodeName, m));
  });
  const ports = asArray(obj.ports);
  if (ports.length > 100) errs.push(fe.tooMany('ports', ports.length, 100));
  const names = new Set<string>();
  ports.forEach((pp, i) => {
    const port = asObject(pp);
    const p = `ports[${i}]`;
    const name = typeof port.name === 'string' ? port.name : '';
    // upstream validateEndpointPorts: IsDNS1123Label (a Service port may be named "80")
    if (name) for (const m of isDNS1123Label(name)) errs.push(fe.invalid(`${p}.name`, name, m));
    if (names.has(name)) errs.push(fe.duplicate(`${p}.name`, name));
    names.add(name);
    if (!port.protocol) errs.push(fe.required(`${p}.protocol`, ''));
    else if (!PROTOCOLS.includes(String(port.protocol))) errs.push(fe.notSupported(`${p}.protocol`, port.protocol, PROTOCOLS));
    if (typeof port.port === 'number') for (const m of isValidPortNum(port.port)) errs.push(fe.invalid(`${p}.port`, port.port, m));
  });
  if (old) errs.push(...validateImmutableField(obj.addressType, old.addressType, 'addressType'));
  return errs;
}

/** formatDiscoveryPorts / formatDiscoveryEndpoints: at most 3, ` + N more...`, `<unset>` when empty. */
function listWithMore(items: string[]): string {
  if (items.length > 3) return `${items.slice(0, 3).join(',')} + ${items.length - 3} more...`;
  return items.length ? items.join(',') : '<unset>';
}

export const endpointSlicesDef: ResourceDef = {
  group: 'discovery.k8s.io',
  version: 'v1',
  kind: 'EndpointSlice',
  plural: 'endpointslices',
  singular: 'endpointslice',
  namespaced: true,
  default: defaultEndpointSlice,
  validate: validateEndpointSlice,
  table: {
    columns: [
      nameColumn(),
      col('AddressType', 'string', 'addressType specifies the type of address carried by this EndpointSlice. All addresses in this slice must be the same type. This field is immutable after creation. The following address types are currently supported: * IPv4: Represents an IPv4 Address. * IPv6: Represents an IPv6 Address. * FQDN: Represents a Fully Qualified Domain Name.'),
      col('Ports', 'string', 'ports specifies the list of network ports exposed by each endpoint in this slice. Each port must have a unique name. When ports is empty, it indicates that there are no defined ports. When a port is defined with a nil port value, it indicates "all ports". Each slice may include a maximum of 100 ports.'),
      col('Endpoints', 'string', 'endpoints is a list of unique endpoints in this slice. Each slice may include a maximum of 1000 endpoints.'),
      ageColumn(),
    ],
    row(obj, now) {
      const ports = asArray(obj.ports).map((pp) => {
        const p = asObject(pp);
        if (typeof p.port === 'number') return String(p.port);
        if (typeof p.name === 'string') return p.name;
        return '*';
      });
      const addrs = asArray(obj.endpoints).flatMap((e) => asArray(asObject(e).addresses).map(String));
      return [nameOf(obj), typeof obj.addressType === 'string' ? obj.addressType : '', listWithMore(ports), listWithMore(addrs), translateTimestampSince(obj.metadata.creationTimestamp, now)];
    },
  },
};
