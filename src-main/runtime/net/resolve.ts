/**
 * Name → address as a container's libc resolver does it: IP literals as they are, then
 * `/etc/hosts` (which has `localhost` and the pod's own name), then the cluster DNS through the
 * container's resolver (`ContainerHost.dns`, search domains from `/etc/resolv.conf`).
 */
import { isIP } from 'node:net';
import type { DnsClient } from '../types';
import type { FileSystem } from '../vfs';
import { hostNotFound } from './errors';

export async function resolveHost(name: string, fs: FileSystem, dns: DnsClient | undefined): Promise<string> {
  const host = name.startsWith('[') && name.endsWith(']') ? name.slice(1, -1) : name;
  if (isIP(host)) return host.startsWith('::ffff:') && isIP(host.slice(7)) === 4 ? host.slice(7) : host;
  const lower = host.toLowerCase().replace(/\.$/, '');
  if (lower === 'localhost') return '127.0.0.1';
  const fromHosts = hostsLookup(fs, lower);
  if (fromHosts) return fromHosts;
  if (!dns || !lower || lower.length > 253) throw hostNotFound(name);
  const answer = await dns.lookup(lower, searchDomains(fs)).catch(() => undefined);
  const ip = answer?.addresses.find((a) => isIP(a) === 4) ?? answer?.addresses[0];
  if (!ip) throw hostNotFound(name);
  return ip;
}

function read(fs: FileSystem, path: string): string {
  try {
    return fs.stat(path)?.kind === 'file' ? fs.readFile(path) : '';
  } catch {
    return '';
  }
}

/** The first IPv4 address /etc/hosts gives `name` (IPv6 entries are skipped: the pod network is IPv4). */
export function hostsLookup(fs: FileSystem, name: string): string | undefined {
  for (const line of read(fs, '/etc/hosts').split('\n')) {
    const f = line.replace(/#.*/, '').trim().split(/\s+/);
    if (f.length < 2 || isIP(f[0]!) !== 4) continue;
    for (let i = 1; i < f.length; i++) if (f[i]!.toLowerCase() === name) return f[0];
  }
  return undefined;
}

export function searchDomains(fs: FileSystem): string[] {
  const m = /^search\s+(.+)$/m.exec(read(fs, '/etc/resolv.conf'));
  return m ? m[1]!.trim().split(/\s+/) : [];
}
