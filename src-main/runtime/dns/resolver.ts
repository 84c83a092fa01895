/**
 * A container's stub resolver, as its libc (musl on Alpine, glibc elsewhere) does it: `/etc/hosts` first,
 * then real DNS queries over UDP to the `nameserver` of `/etc/resolv.conf` through the pod's
 * network (`net.request(nameserver, 53, packet)`), trying each `search` domain when the name has
 * fewer than `ndots` dots and the name as it is last (names with ≥ ndots dots, or ending in a
 * dot, are only tried as they are by musl; glibc tries them first, then the search list). A and
 * AAAA go out together; NXDOMAIN moves to the next candidate (so does NODATA with glibc), an
 * answer ends the search, SERVFAIL or silence (after `attempts` tries of `timeout` each) fails it.
 */
import type { PodNetwork } from '../../network/types';
import type { DnsClient } from '../types';
import type { FileSystem } from '../vfs';
import { RCODE, TYPE, decodeMessage, encodeMessage, makeQuery, type DnsMessage } from './wire';
import { hostsByAddress, hostsByName, readResolvConf, type ResolvConf } from './resolv-conf';
import { isIp, isIpv4, reverseName } from './ip';

let nextId = (Math.random() * 0x10000) | 0;

/** A fresh transaction id. */
export function newQueryId(): number {
  nextId = (nextId + 1 + ((Math.random() * 64) | 0)) & 0xffff;
  return nextId;
}

export interface QueryResult {
  /** The decoded response, or undefined when no server answered in time. */
  response?: DnsMessage;
  /** The server that answered (or the last one tried). */
  server: string;
}

/**
 * Sends one question to `servers` in turn (each `attempts` times, `timeoutMs` apiece) until one
 * answers with a response carrying our id; SERVFAIL from one server moves on to the next.
 */
export async function sendQuery(net: PodNetwork, servers: string[], name: string, type: number, opts: { timeoutMs?: number; attempts?: number; port?: number } = {}): Promise<QueryResult> {
  const timeoutMs = opts.timeoutMs ?? 5000;
  const attempts = opts.attempts ?? 2;
  const id = newQueryId();
  const packet = encodeMessage(makeQuery(id, name, type));
  let last: QueryResult = { server: servers[0] ?? '127.0.0.1' };
  for (let a = 0; a < attempts; a++) {
    for (const server of servers) {
      let raw: Buffer | undefined;
      try {
        raw = await net.request(server, opts.port ?? 53, packet, Math.ceil(timeoutMs / attempts));
      } catch {
        raw = undefined;
      }
      if (!raw) continue;
      let msg: DnsMessage;
      try {
        msg = decodeMessage(raw);
      } catch {
        continue;
      }
      if (msg.id !== id || !msg.qr) continue;
      last = { response: msg, server };
      if (msg.rcode !== RCODE.SERVFAIL) return last;
    }
  }
  return last;
}

export type LookupOutcome =
  | { status: 'found'; fqdn: string; addresses: string[]; canonical: string }
  | { status: 'nxdomain' | 'nodata' | 'servfail' | 'timeout' };

export class StubResolver implements DnsClient {
  constructor(
    private readonly net: PodNetwork,
    private readonly fs: FileSystem,
  ) {}

  conf(): ResolvConf {
    return readResolvConf(this.fs);
  }

  /** One question to the configured nameservers. */
  query(name: string, type: number, conf = this.conf()): Promise<QueryResult> {
    return sendQuery(this.net, conf.nameservers, name, type, { timeoutMs: conf.timeoutMs, attempts: conf.attempts });
  }

  /** musl (Alpine) or glibc: they differ for names with ≥ ndots dots and for NODATA mid-search. */
  private musl(): boolean {
    return this.fs.stat('/etc/alpine-release') !== undefined;
  }

  /**
   * The names to try for `name`, in order: fewer dots than ndots → each search domain, then the
   * name; otherwise musl tries only the name, glibc the name first and then the search list.
   */
  candidates(name: string, conf = this.conf()): string[] {
    if (name.endsWith('.')) return [name.slice(0, -1)];
    const dots = name.split('.').length - 1;
    if (!conf.search.length) return [name];
    if (dots >= conf.ndots) return this.musl() ? [name] : [name, ...conf.search.map((d) => `${name}.${d}`)];
    return [...conf.search.map((d) => `${name}.${d}`), name];
  }

  /** getaddrinfo's DNS part for `name`: the outcome with its reason. */
  async resolve(name: string, family: 4 | 6 | 0 = 0): Promise<LookupOutcome> {
    const conf = this.conf();
    if (!name || name.length > 253 || name.endsWith('..')) return { status: 'nxdomain' };
    let outcome: LookupOutcome = { status: 'nxdomain' };
    const musl = this.musl();
    for (const candidate of this.candidates(name, conf)) {
      const types = family === 4 ? [TYPE.A] : family === 6 ? [TYPE.AAAA] : [TYPE.A, TYPE.AAAA];
      const results = await Promise.all(types.map((t) => this.query(candidate, t, conf)));
      const addresses: string[] = [];
      let canonical = candidate;
      let rcodeNx = false;
      for (const r of results) {
        const m = r.response;
        if (!m) return { status: 'timeout' };
        if (m.rcode === RCODE.SERVFAIL) return { status: 'servfail' };
        if (m.rcode === RCODE.NXDOMAIN) rcodeNx = true;
        for (const rr of m.answers) {
          if (rr.type === 'CNAME') canonical = rr.target;
          if (rr.type === 'A' || rr.type === 'AAAA') addresses.push(rr.address);
        }
      }
      if (addresses.length) return { status: 'found', fqdn: candidate, addresses, canonical };
      // musl ends the search at a name without addresses; glibc goes on and reports NODATA last
      if (!rcodeNx && musl) return { status: 'nodata' };
      if (!rcodeNx || outcome.status === 'nodata') outcome = { status: 'nodata' };
    }
    return outcome;
  }

  /** DnsClient.lookup: `/etc/hosts`, then DNS; IPv4 addresses first. */
  async lookup(name: string, _search?: string[]): Promise<{ fqdn: string; addresses: string[] } | undefined> {
    if (isIp(name)) return { fqdn: name, addresses: [name] };
    const lower = name.toLowerCase();
    const hosts = hostsByName(this.fs, lower);
    if (hosts.length) return { fqdn: hosts[0]!.names[0]!, addresses: hosts.map((h) => h.address) };
    const r = await this.resolve(lower);
    if (r.status !== 'found') return undefined;
    const v4 = r.addresses.filter(isIpv4);
    return { fqdn: r.fqdn, addresses: [...v4, ...r.addresses.filter((a) => !isIpv4(a))] };
  }

  /** DnsClient.srv: SRV records of `name` as given (no search list, as node's dns.resolveSrv). */
  async srv(name: string): Promise<{ name: string; port: number; priority: number; weight: number }[] | undefined> {
    const r = await this.query(name.replace(/\.$/, ''), TYPE.SRV);
    const m = r.response;
    if (!m || m.rcode !== RCODE.NOERROR) return undefined;
    return m.answers.flatMap((a) => (a.type === 'SRV' ? [{ name: a.target, port: a.port, priority: a.priority, weight: a.weight }] : []));
  }

  /** DnsClient.reverse: `/etc/hosts`, then a PTR query. */
  async reverse(ip: string): Promise<string | undefined> {
    const host = hostsByAddress(this.fs, ip);
    if (host) return host.names[0];
    const name = reverseName(ip);
    if (!name) return undefined;
    const r = await this.query(name, TYPE.PTR);
    const ptr = r.response?.answers.find((a) => a.type === 'PTR');
    return ptr && ptr.type === 'PTR' ? ptr.target : undefined;
  }
}
