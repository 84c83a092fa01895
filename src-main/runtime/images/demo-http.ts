/**
 * Small pieces the tutorial/demo images share: the client address as an IPv4 server sees it, the
 * request line, the nginx `combined` access-log line and Go's `log` timestamp.
 */
import type { HttpRequest, ProcessContext } from '../program';
import { formatDate } from '../tools/system';

/** `::ffff:10.244.0.1` → `10.244.0.1` (what an IPv4 socket's peer address is). */
export function ipv4Client(req: HttpRequest): string {
  return req.remoteAddress.startsWith('::ffff:') ? req.remoteAddress.slice(7) : req.remoteAddress;
}

/** `GET /path HTTP/1.1`. */
export function requestLine(req: HttpRequest): string {
  return `${req.method} ${req.path} HTTP/${req.httpVersion ?? '1.1'}`;
}

/** nginx's `combined` format: `10.244.0.1 - - [23/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 612 "-" "curl/8.5.0"`. */
export function combinedLogLine(ctx: ProcessContext, req: HttpRequest, status: number, bytes: number): string {
  const t = formatDate(ctx.host.clock.now(), '%d/%b/%Y:%H:%M:%S +0000');
  return `${ipv4Client(req)} - - [${t}] "${requestLine(req)}" ${status} ${bytes} "${req.headers.referer ?? '-'}" "${req.headers['user-agent'] ?? '-'}"\n`;
}

/** Go's default `log` prefix: `2026/11/23 10:00:00`. */
export function goLogTime(ctx: ProcessContext): string {
  return formatDate(ctx.host.clock.now(), '%Y/%m/%d %H:%M:%S');
}

/** The client as Go's `r.RemoteAddr` shows it (`10.244.0.1:41234`); the port is made up per request. */
export function goRemoteAddr(req: HttpRequest): string {
  const ip = ipv4Client(req);
  const port = 32768 + Math.floor(Math.random() * 28000);
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/** The Host header without its port (nginx's `$host`), lower-cased. */
export function hostWithoutPort(req: HttpRequest, fallback: string): string {
  const h = req.headers.host ?? fallback;
  return (h.startsWith('[') ? h.slice(0, h.indexOf(']') + 1) : h.split(':')[0]!).toLowerCase();
}

/** Header names in the canonical Go form (`user-agent` → `User-Agent`). */
export function canonicalHeader(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_m, d: string, c: string) => d + c.toUpperCase());
}
