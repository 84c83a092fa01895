/** What a libc reads before resolving: `/etc/resolv.conf` and `/etc/hosts` from the container's files. */
import type { FileSystem } from '../vfs';
import { isIp } from './ip';

export interface ResolvConf {
  nameservers: string[];
  search: string[];
  ndots: number;
  /** Per-try timeout (`options timeout:N`, seconds → ms; libc default 5 s). */
  timeoutMs: number;
  /** `options attempts:N` (default 2). */
  attempts: number;
}

function read(fs: FileSystem, path: string): string {
  try {
    return fs.stat(path)?.kind === 'file' ? fs.readFile(path) : '';
  } catch {
    return '';
  }
}

export function parseResolvConf(text: string): ResolvConf {
  const conf: ResolvConf = { nameservers: [], search: [], ndots: 1, timeoutMs: 5000, attempts: 2 };
  for (const raw of text.split('\n')) {
    const line = raw.replace(/[#;].*/, '').trim();
    const [key, ...args] = line.split(/\s+/);
    if (!key || !args.length) continue;
    if (key === 'nameserver' && conf.nameservers.length < 3 && isIp(args[0]!)) conf.nameservers.push(args[0]!);
    else if (key === 'search' || key === 'domain') conf.search = args.filter((d) => d !== '.');
    else if (key === 'options') {
      for (const o of args) {
        const [k, v] = o.split(':');
        const n = Number(v);
        if (!Number.isInteger(n) || n < 0) continue;
        if (k === 'ndots') conf.ndots = Math.min(n, 15);
        else if (k === 'timeout') conf.timeoutMs = Math.min(Math.max(n, 1), 30) * 1000;
        else if (k === 'attempts') conf.attempts = Math.min(Math.max(n, 1), 5);
      }
    }
  }
  return conf;
}

/** Parsed files by their text: a libc re-reads them on change; here unchanged text is parsed once. */
const confCache = new Map<string, ResolvConf>();
const hostsCache = new Map<string, HostsEntry[]>();

function cached<T>(cache: Map<string, T>, text: string, parse: (t: string) => T): T {
  let v = cache.get(text);
  if (v === undefined) {
    if (cache.size > 256) cache.clear();
    v = parse(text);
    cache.set(text, v);
  }
  return v;
}

/** The container's resolver configuration (a fresh copy the caller may change). */
export function readResolvConf(fs: FileSystem): ResolvConf {
  const conf = cached(confCache, read(fs, '/etc/resolv.conf'), (t) => {
    const c = parseResolvConf(t);
    if (!c.nameservers.length) c.nameservers.push('127.0.0.1');
    return c;
  });
  return { ...conf, nameservers: [...conf.nameservers], search: [...conf.search] };
}

export interface HostsEntry {
  address: string;
  /** Canonical name first, then aliases. */
  names: string[];
}

export function parseHosts(text: string): HostsEntry[] {
  const out: HostsEntry[] = [];
  for (const line of text.split('\n')) {
    const f = line.replace(/#.*/, '').trim().split(/\s+/);
    if (f.length < 2 || !isIp(f[0]!)) continue;
    out.push({ address: f[0]!, names: f.slice(1) });
  }
  return out;
}

/** `/etc/hosts` entries (shared, read-only). */
export function readHosts(fs: FileSystem): readonly HostsEntry[] {
  return cached(hostsCache, read(fs, '/etc/hosts'), parseHosts);
}

/** `/etc/hosts` entries for `name` (case-insensitive, any of the names). */
export function hostsByName(fs: FileSystem, name: string): HostsEntry[] {
  const n = name.toLowerCase().replace(/\.$/, '');
  return readHosts(fs).filter((e) => e.names.some((x) => x.toLowerCase() === n));
}

export function hostsByAddress(fs: FileSystem, address: string): HostsEntry | undefined {
  return readHosts(fs).find((e) => e.address === address);
}
