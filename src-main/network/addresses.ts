/**
 * Address helpers for the virtual network: what counts as loopback, as a wildcard bind address,
 * and the node network (the kind-style docker bridge 172.18.0.0/16 the nodes live on).
 */
import { isIPv4 } from 'node:net';

/** The docker bridge's gateway: where traffic from the host (127.0.0.1 listeners) enters the cluster, as in kind. */
export const HOST_GATEWAY_IP = '172.18.0.1';

/** Linux's default net.ipv4.ip_local_port_range. */
export const EPHEMERAL_FIRST = 32768;
export const EPHEMERAL_LAST = 60999;

/** `::ffff:10.0.0.1` → `10.0.0.1`; `localhost` → `127.0.0.1`; other text unchanged. */
export function normalizeHost(host: string): string {
  const h = host.trim().toLowerCase();
  if (h === 'localhost') return '127.0.0.1';
  if (h.startsWith('::ffff:') && isIPv4(h.slice(7))) return h.slice(7);
  if (h.startsWith('[') && h.endsWith(']')) return normalizeHost(h.slice(1, -1));
  return h;
}

export function isLoopback(address: string): boolean {
  return address === '::1' || (isIPv4(address) && address.startsWith('127.'));
}

export function isWildcard(address: string): boolean {
  return address === '0.0.0.0' || address === '::' || address === '';
}

/** Node InternalIPs (and the bridge gateway): 172.18.0.0/16. */
export function isNodeNetwork(address: string): boolean {
  return isIPv4(address) && address.startsWith('172.18.');
}

/** Hands out ephemeral source ports per source address, round robin through the Linux range. */
export class EphemeralPorts {
  private readonly next = new Map<string, number>();

  take(address: string): number {
    let port = this.next.get(address) ?? EPHEMERAL_FIRST + Math.floor(Math.random() * (EPHEMERAL_LAST - EPHEMERAL_FIRST));
    if (port > EPHEMERAL_LAST) port = EPHEMERAL_FIRST;
    this.next.set(address, port + 1);
    return port;
  }
}
