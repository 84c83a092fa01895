/**
 * Network tools: HTTP clients (http-tools.ts: busybox `wget`, curl), socket and interface tools
 * (socket-tools.ts: `nc`, `ss`, `ip`); busybox `nslookup` is in dns.ts.
 */
export { wget, curl } from './http-tools';
export { nc, ss, ip } from './socket-tools';
