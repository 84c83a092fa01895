/**
 * Socket and interface tools over the pod's network namespace: busybox `nc`, iproute2 `ss`,
 * `ip addr|route` (iproute2 or busybox wording).
 */
import type { Tool, ToolStyle } from './common';
import type { ProcessContext } from '../program';
import type { Connection } from '../../network/types';
import { resolveHost } from '../net/resolve';
import type { SocketError } from '../net/errors';

/**
 * busybox `nc [-l] [-p PORT] [-w SEC] [-z] [-v] [HOST] [PORT]`: a client piping stdin to the
 * socket and the socket to stdout, `-z` to only check the port, `-l` to serve one connection.
 */
export const nc: Tool = async (ctx) => {
  const args = ctx.argv.slice(1);
  let listen = false;
  let zero = false;
  let verbose = false;
  let waitMs = 0;
  let localPort: number | undefined;
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const f = a[j]!;
        const value = () => {
          const v = a.slice(j + 1) || args[++i] || '';
          j = a.length;
          return v;
        };
        if (f === 'l') listen = true;
        else if (f === 'z') zero = true;
        else if (f === 'v') verbose = true;
        else if (f === 'n' || f === 'k') continue;
        else if (f === 'w') waitMs = Number(value()) * 1000;
        else if (f === 'p') localPort = Number(value());
        else {
          ctx.stderr.write(`nc: invalid option -- '${f}'\n${NC_USAGE}`);
          return 1;
        }
      }
    } else rest.push(a);
  }
  if (listen) return ncListen(ctx, localPort ?? Number(rest[0] ?? 0), verbose);
  if (rest.length < 2) {
    ctx.stderr.write(NC_USAGE);
    return 1;
  }
  const [host, portText] = rest as [string, string];
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    ctx.stderr.write(`nc: bad port '${portText}'\n`);
    return 1;
  }
  let ip: string;
  try {
    ip = await resolveHost(host, ctx.host.fs, ctx.host.dns);
  } catch {
    ctx.stderr.write(`nc: bad address '${host}'\n`);
    return 1;
  }
  let conn: Connection;
  try {
    conn = await withTimeout(ctx.host.connect(ip, port), waitMs);
  } catch (e) {
    const msg = (e as SocketError).code === 'ETIMEDOUT' ? 'Connection timed out' : (e as Error).message;
    if (verbose || !zero) ctx.stderr.write(`nc: ${ip} (${ip}:${port}): ${msg}\n`);
    return 1;
  }
  if (verbose) ctx.stderr.write(`${host} (${ip}:${port}) open\n`);
  if (zero) {
    conn.socket.end();
    return 0;
  }
  return pipe(ctx, conn, waitMs);
};

const NC_USAGE = 'Usage: nc [OPTIONS] HOST PORT  - connect\nnc [OPTIONS] -l -p PORT [HOST] [PORT]  - listen\n';

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  if (!ms) return p;
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(Object.assign(new Error('Connection timed out'), { code: 'ETIMEDOUT' })), ms);
    t.unref();
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });
}

/** stdin → socket, socket → stdout, until the peer closes (or -w seconds of silence). */
async function pipe(ctx: ProcessContext, conn: Connection, idleMs: number): Promise<number> {
  const socket = conn.socket;
  const done = new Promise<number>((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      if (!idleMs) return;
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => socket.destroy(), idleMs);
      timer.unref();
    };
    arm();
    socket.on('data', (c: Buffer) => {
      arm();
      ctx.stdout.write(c);
    });
    socket.on('end', () => socket.end());
    socket.on('close', () => {
      if (timer) clearTimeout(timer);
      resolve(0);
    });
    socket.on('error', () => {});
  });
  void (async () => {
    for (;;) {
      const chunk = await ctx.stdin.readRaw().catch(() => null);
      if (chunk === null || socket.destroyed) break;
      socket.write(chunk);
    }
    // busybox nc half-closes when its input ends and waits for the peer
    if (!socket.destroyed) socket.end();
  })();
  const killed = ctx.host.forever().catch(() => {
    socket.destroy();
    return 137;
  });
  return Promise.race([done, killed]);
}

async function ncListen(ctx: ProcessContext, port: number, verbose: boolean): Promise<number> {
  let accepted: ((c: Connection) => void) | undefined;
  const first = new Promise<Connection>((r) => (accepted = r));
  let listener;
  try {
    listener = ctx.host.listen(port, 'TCP', {
      pid: ctx.pid,
      onConnection: (c) => {
        if (accepted) {
          accepted(c);
          accepted = undefined;
        } else c.socket.destroy();
      },
    });
  } catch (e) {
    ctx.stderr.write(`nc: bind: ${(e as Error).message}\n`);
    return 1;
  }
  if (verbose) ctx.stderr.write(`listening on [::]:${listener.port} ...\n`);
  try {
    const conn = await Promise.race([first, ctx.host.forever()]);
    if (verbose) ctx.stderr.write(`connect to [::ffff:${conn.local.address}]:${conn.local.port} from [::ffff:${conn.remote.address}]:${conn.remote.port} ([::ffff:${conn.remote.address}]:${conn.remote.port})\n`);
    listener.close();
    return await pipe(ctx, conn, 0);
  } finally {
    listener.close();
  }
}

/** iproute2 `ss`: listening sockets of the pod with -l, their processes with -p. */
export const ss: Tool = async (ctx) => {
  const flags = new Set(ctx.argv.slice(1).filter((a) => /^-[a-zA-Z]+$/.test(a)).flatMap((a) => [...a.slice(1)]));
  const tcp = flags.has('t') || !flags.has('u');
  const udp = flags.has('u') || (!flags.has('t') && flags.has('a'));
  const listening = flags.has('l') || flags.has('a');
  const withProc = flags.has('p');
  const numeric = flags.has('n');
  const procs = new Map(ctx.host.processes().map((p) => [p.pid, p]));
  const socks = ctx.host.net ? ctx.host.net.bindings() : ctx.host.listeners();
  const showNetid = tcp && udp;
  const rows: SsRow[] = [];
  if (listening) {
    for (const b of [...socks].sort((a, c) => (a.protocol === c.protocol ? Number(a.address.includes(':')) - Number(c.address.includes(':')) || a.port - c.port : a.protocol === 'UDP' ? -1 : 1))) {
      if ((b.protocol === 'TCP' && !tcp) || (b.protocol === 'UDP' && !udp)) continue;
      const v6 = b.address.includes(':');
      const p = b.pid !== undefined ? procs.get(b.pid) : undefined;
      const a0 = p?.argv[0] ?? '';
      const name = a0.includes(' ') ? a0.split(':')[0]! : a0.slice(a0.lastIndexOf('/') + 1);
      rows.push({
        netid: b.protocol === 'TCP' ? 'tcp' : 'udp',
        state: b.protocol === 'TCP' ? 'LISTEN' : 'UNCONN',
        recvq: '0',
        sendq: b.protocol === 'TCP' ? '4096' : '0',
        laddr: v6 ? `[${b.address}]` : b.address,
        lport: numeric ? String(b.port) : SS_SERVICES[b.port] ?? String(b.port),
        paddr: v6 ? '[::]' : '0.0.0.0',
        pport: '*',
        process: withProc && p ? `users:(("${name.slice(0, 15)}",pid=${p.pid},fd=${5 + rows.length}))` : '',
      });
    }
  }
  // established connections (this container's): without -l, or with -a
  if (tcp && !flags.has('l')) {
    const main = procs.get(1);
    const a0 = main?.argv[0] ?? '';
    const name = a0.includes(' ') ? a0.split(':')[0]! : a0.slice(a0.lastIndexOf('/') + 1);
    for (const c of ctx.host.connections?.() ?? []) {
      const port = (n: number) => (numeric ? String(n) : SS_SERVICES[n] ?? String(n));
      rows.push({
        netid: 'tcp',
        state: 'ESTAB',
        recvq: '0',
        sendq: '0',
        laddr: c.local.address.includes(':') ? `[${c.local.address}]` : c.local.address,
        lport: port(c.local.port),
        paddr: c.remote.address.includes(':') ? `[${c.remote.address}]` : c.remote.address,
        pport: port(c.remote.port),
        process: withProc && main ? `users:(("${name.slice(0, 15)}",pid=${main.pid},fd=${5 + rows.length}))` : '',
      });
    }
  }
  ctx.stdout.write(ssTable(rows, showNetid));
  return 0;
};

const SS_SERVICES: Record<number, string> = { 22: 'ssh', 53: 'domain', 80: 'http', 443: 'https', 6379: 'redis' };

interface SsRow {
  netid: string;
  state: string;
  recvq: string;
  sendq: string;
  laddr: string;
  lport: string;
  paddr: string;
  pport: string;
  process: string;
}

/** ss's table: fixed columns left-aligned, each address right-aligned before its `:port`. */
function ssTable(rows: SsRow[], netid: boolean): string {
  const w = (key: keyof SsRow, min: number) => Math.max(min, ...rows.map((r) => r[key].length));
  const [nw, sw, rw, qw, law, lpw, paw, ppw] = [w('netid', 5), w('state', 5), w('recvq', 6), w('sendq', 6), w('laddr', 13), w('lport', 4), w('paddr', 12), w('pport', 4)];
  const lead = (r: SsRow) => (netid ? r.netid.padEnd(nw) + ' ' : '') + r.state.padEnd(sw) + ' ' + r.recvq.padEnd(rw) + ' ' + r.sendq.padEnd(qw) + ' ';
  const head = (netid ? 'Netid'.padEnd(nw) + ' ' : '') + 'State'.padEnd(sw) + ' ' + 'Recv-Q'.padEnd(rw) + ' ' + 'Send-Q'.padEnd(qw) + ' ' + 'Local Address'.padStart(law) + ':' + 'Port'.padEnd(lpw) + ' ' + 'Peer Address'.padStart(paw) + ':' + 'Port'.padEnd(ppw) + 'Process';
  let out = head + '\n';
  for (const r of rows) out += (lead(r) + r.laddr.padStart(law) + ':' + r.lport.padEnd(lpw) + ' ' + r.paddr.padStart(paw) + ':' + r.pport.padEnd(ppw) + ' ' + r.process).trimEnd() + '\n';
  return out;
}

/** The pod's interface: eth0 with the pod IP/24, its veth peer index and MAC derived from the IP. */
function podInterface(ctx: ProcessContext): { ip: string; gw: string; subnet: string; bcast: string; mac: string; peer: number } | undefined {
  const ip = ctx.host.net?.ip ?? hostsIp(ctx);
  if (!ip) return undefined;
  const o = ip.split('.').map(Number);
  const mac = ['0a', '58', ...o.map((x) => x.toString(16).padStart(2, '0'))].join(':');
  return { ip, gw: `${o[0]}.${o[1]}.${o[2]}.1`, subnet: `${o[0]}.${o[1]}.${o[2]}.0/24`, bcast: `${o[0]}.${o[1]}.${o[2]}.255`, mac, peer: 4 + (o[3]! % 250) };
}

function hostsIp(ctx: ProcessContext): string | undefined {
  const fs = ctx.host.fs;
  const text = fs.stat('/etc/hosts') ? fs.readFile('/etc/hosts') : '';
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length > 1 && /^\d+\.\d+\.\d+\.\d+$/.test(f[0]!) && !f[0]!.startsWith('127.') && f.includes(ctx.host.hostname)) return f[0];
  }
  return undefined;
}

/** `ip addr` / `ip a` / `ip link` / `ip route` (iproute2 or busybox wording). */
export const ip: Tool = async (ctx, style) => {
  const args = ctx.argv.slice(1).filter((a) => !/^-(4|6|c|color|br|brief)$/.test(a));
  const obj = args[0] ?? '';
  const iface = podInterface(ctx);
  if (!obj) {
    ctx.stderr.write(style === 'busybox' ? 'BusyBox multi-call binary.\n\nUsage: ip [OPTIONS] address|route|link|tunnel|neigh|rule [ARGS]\n' : 'Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }\n');
    return style === 'busybox' ? 1 : 255;
  }
  if ('address'.startsWith(obj) || 'addr'.startsWith(obj)) {
    ctx.stdout.write(ipAddr(style, iface, true));
    return 0;
  }
  if ('link'.startsWith(obj)) {
    ctx.stdout.write(ipAddr(style, iface, false));
    return 0;
  }
  if ('route'.startsWith(obj) || obj === 'r') {
    if (iface) ctx.stdout.write(`default via ${iface.gw} dev eth0 \n${iface.subnet} dev eth0 ${style === 'busybox' ? 'scope link  src' : 'proto kernel scope link src'} ${iface.ip} \n`);
    return 0;
  }
  ctx.stderr.write(style === 'busybox' ? `ip: unknown command '${obj}'\n` : `Object "${obj}" is unknown, try "ip help".\n`);
  return style === 'busybox' ? 1 : 255;
};

function ipAddr(style: ToolStyle, iface: ReturnType<typeof podInterface>, withAddr: boolean): string {
  const gnu = style === 'gnu';
  let out = `1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue ${gnu ? 'state UNKNOWN group default ' : ''}qlen 1000\n    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n`;
  if (withAddr) out += '    inet 127.0.0.1/8 scope host lo\n       valid_lft forever preferred_lft forever\n    inet6 ::1/128 scope host \n       valid_lft forever preferred_lft forever\n';
  if (!iface) return out;
  out += `2: eth0@if${iface.peer}: <BROADCAST,MULTICAST,UP,LOWER_UP,M-DOWN> mtu 1500 qdisc noqueue ${gnu ? 'state UP group default ' : ''}\n    link/ether ${iface.mac} brd ff:ff:ff:ff:ff:ff${gnu ? ' link-netnsid 0' : ''}\n`;
  if (withAddr) out += `    inet ${iface.ip}/24 brd ${iface.bcast} scope global eth0\n       valid_lft forever preferred_lft forever\n`;
  return out;
}
