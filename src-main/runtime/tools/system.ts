/** System tools: sleep, date, env, printenv, hostname, ps, uname, id, whoami, seq, echo, printf, test, … */
import type { Tool } from './common';
import { parseOpts, toolName } from './common';
import { echo as echoText, outputChunk, printf as printfText } from './format';
import { evalTest, TestSyntaxError } from './test-expr';
import { KERNEL_RELEASE } from '../node-info';
import type { ProcessContext, ProcessInfo } from '../program';
import { hostsByName } from '../dns/resolv-conf';

const UNITS: Record<string, number> = { '': 1000, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export const sleep: Tool = async (ctx, style) => {
  const args = ctx.argv.slice(1);
  if (!args.length) {
    ctx.stderr.write(style === 'busybox' ? 'sleep: missing operand\n' : "sleep: missing operand\nTry 'sleep --help' for more information.\n");
    return 1;
  }
  let ms = 0;
  for (const a of args) {
    if (/^(inf|infinity)$/i.test(a)) ms = Infinity;
    else {
      const m = /^(\d+(?:\.\d*)?|\.\d+)([smhd]?)$/.exec(a);
      if (!m) {
        ctx.stderr.write(style === 'busybox' ? `sleep: invalid number '${a}'\n` : `sleep: invalid time interval '${a}'\nTry 'sleep --help' for more information.\n`);
        return 1;
      }
      ms += Number(m[1]) * UNITS[m[2]!]!;
    }
  }
  if (ms === Infinity) await ctx.host.forever();
  await ctx.host.sleep(ms);
  return 0;
};

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

export function formatDate(ms: number, fmt: string): string {
  const d = new Date(ms);
  const p2 = (n: number) => String(n).padStart(2, '0');
  return fmt.replace(/%([a-zA-Z%+])/g, (_m, c: string) => {
    switch (c) {
      case 'Y':
        return String(d.getUTCFullYear());
      case 'y':
        return p2(d.getUTCFullYear() % 100);
      case 'm':
        return p2(d.getUTCMonth() + 1);
      case 'd':
        return p2(d.getUTCDate());
      case 'e':
        return String(d.getUTCDate()).padStart(2);
      case 'H':
        return p2(d.getUTCHours());
      case 'I':
        return p2(((d.getUTCHours() + 11) % 12) + 1);
      case 'p':
        return d.getUTCHours() < 12 ? 'AM' : 'PM';
      case 'M':
        return p2(d.getUTCMinutes());
      case 'S':
        return p2(d.getUTCSeconds());
      case 'N':
        return String(d.getUTCMilliseconds() * 1_000_000).padStart(9, '0');
      case 's':
        return String(Math.floor(ms / 1000));
      case 'a':
        return DAYS[d.getUTCDay()]!;
      case 'A':
        return DAY_NAMES[d.getUTCDay()]!;
      case 'b':
      case 'h':
        return MONTHS[d.getUTCMonth()]!;
      case 'B':
        return MONTH_NAMES[d.getUTCMonth()]!;
      case 'j':
        return String(Math.floor((ms - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86_400_000) + 1).padStart(3, '0');
      case 'u':
        return String(d.getUTCDay() || 7);
      case 'w':
        return String(d.getUTCDay());
      case 'Z':
        return 'UTC';
      case 'z':
        return '+0000';
      case 'T':
        return `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`;
      case 'R':
        return `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}`;
      case 'D':
        return `${p2(d.getUTCMonth() + 1)}/${p2(d.getUTCDate())}/${p2(d.getUTCFullYear() % 100)}`;
      case 'F':
        return `${d.getUTCFullYear()}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())}`;
      case 'n':
        return '\n';
      case 't':
        return '\t';
      case '%':
        return '%';
      default:
        return `%${c}`;
    }
  });
}

export const date: Tool = async (ctx) => {
  const args = ctx.argv.slice(1);
  const now = ctx.host.clock.now();
  const fmt = args.find((a) => a.startsWith('+'));
  if (fmt) ctx.stdout.write(formatDate(now, fmt.slice(1)) + '\n');
  else if (args.includes('-I') || args.includes('--iso-8601')) ctx.stdout.write(formatDate(now, '%F') + '\n');
  else if (args.includes('-R')) ctx.stdout.write(formatDate(now, '%a, %d %b %Y %T +0000') + '\n');
  else ctx.stdout.write(formatDate(now, '%a %b %e %H:%M:%S %Z %Y') + '\n');
  return 0;
};

function printEnv(ctx: ProcessContext, env: Map<string, string>): void {
  ctx.stdout.write([...env].map(([k, v]) => `${k}=${v}\n`).join(''));
}

export const env: Tool = async (ctx, style) => {
  const args = ctx.argv.slice(1);
  let env = new Map(ctx.env);
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-i' || a === '-' || a === '--ignore-environment') env = new Map();
    else if (a === '-u') env.delete(args[++i] ?? '');
    else if (/^[^=]+=/.test(a)) env.set(a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1));
    else break;
  }
  if (i >= args.length) {
    printEnv(ctx, env);
    return 0;
  }
  const cmd = args.slice(i);
  // execvp falls back to the default search path when PATH is unset (`env -i cmd`)
  const path = env.get('PATH') ?? '/bin:/usr/bin';
  if (!ctx.host.which(cmd[0]!, path, ctx.cwd)) {
    ctx.stderr.write(style === 'busybox' ? `env: can't execute '${cmd[0]}': No such file or directory\n` : `env: '${cmd[0]}': No such file or directory\n`);
    return 127;
  }
  return ctx.host.spawn(cmd, { env, cwd: ctx.cwd, stdin: ctx.stdin, stdout: ctx.stdout, stderr: ctx.stderr });
};

export const printenv: Tool = async (ctx) => {
  const names = ctx.argv.slice(1);
  if (!names.length) {
    printEnv(ctx, ctx.env);
    return 0;
  }
  let status = 0;
  for (const n of names) {
    const v = ctx.env.get(n);
    if (v === undefined) status = 1;
    else ctx.stdout.write(v + '\n');
  }
  return status;
};

export const hostname: Tool = async (ctx, style) => {
  const args = ctx.argv.slice(1);
  if (args.includes('-i') || args.includes('-I')) {
    // the address of the hostname in /etc/hosts (the kubelet writes the pod IP there)
    const hosts = ctx.host.fs.stat('/etc/hosts') ? ctx.host.fs.readFile('/etc/hosts') : '';
    const ip = hosts
      .split('\n')
      .map((l) => l.trim().split(/\s+/))
      .find((f) => f.length > 1 && !f[0]!.startsWith('#') && f.slice(1).includes(ctx.host.hostname))?.[0];
    if (!ip) {
      ctx.stderr.write(style === 'busybox' ? `hostname: ${ctx.host.hostname}: Name or service not known\n` : 'hostname: Name or service not known\n');
      return 1;
    }
    ctx.stdout.write(args.includes('-I') ? `${ip} \n` : `${ip}\n`);
    return 0;
  }
  if (args.includes('-f') || args.includes('-d')) {
    // The canonical name of the hostname (its /etc/hosts line's first name: the kubelet writes
    // `<podIP>\t<hostname>.<subdomain>.<ns>.svc.cluster.local\t<hostname>` for pods with a subdomain).
    const fqdn = hostsByName(ctx.host.fs, ctx.host.hostname)[0]?.names[0] ?? ctx.host.hostname;
    if (args.includes('-f')) ctx.stdout.write(fqdn + '\n');
    else {
      const dot = fqdn.indexOf('.');
      // busybox prints nothing without a domain; GNU hostname an empty line
      if (dot !== -1) ctx.stdout.write(fqdn.slice(dot + 1) + '\n');
      else if (style !== 'busybox') ctx.stdout.write('\n');
    }
    return 0;
  }
  if (args.includes('-s')) ctx.stdout.write(ctx.host.hostname.split('.')[0] + '\n');
  else ctx.stdout.write(ctx.host.hostname + '\n');
  return 0;
};

/**
 * `ps` as busybox or procps-ng prints it. procps sizes the PID column from the kernel's pid_max;
 * the simulated node has the kernel default (32768), so PIDs are 5 wide (as in seed 003's `ps ax`).
 */
export const ps: Tool = async (ctx, style) => {
  const procs = ctx.host.processes();
  const self = ctx.pid;
  const title = (p: ProcessInfo) => p.argv.join(' ');
  const tty = (p: ProcessInfo) => p.tty ?? '?';
  if (style === 'busybox') {
    let out = 'PID   USER     TIME  COMMAND\n';
    for (const p of procs) out += `${String(p.pid).padStart(5)} ${p.user.padEnd(8)} ${'0:00'.padStart(5)} ${title(p)}\n`;
    ctx.stdout.write(out);
    return 0;
  }
  const args = ctx.argv.slice(1);
  const stat = (p: ProcessInfo) => {
    const base = p.pid === self ? 'R' : p.pid === 1 || p.leader ? 'Ss' : 'S';
    return base + (p.tty && !p.leader && p.pid !== 1 ? '+' : '');
  };
  const dash = args.filter((a) => a.startsWith('-')).join('');
  const bsd = args.filter((a) => !a.startsWith('-')).join('');
  const all = /[eA]/.test(dash) || /[ax]/.test(bsd);
  const mine = self !== undefined ? procs.find((p) => p.pid === self) : undefined;
  // without a selection: the processes on ps's own terminal (none: those without one)
  const shown = all ? procs : procs.filter((p) => (p.tty ?? '') === (mine?.tty ?? ''));
  const comm = (p: ProcessInfo) => {
    const a0 = p.argv[0] ?? '';
    return (a0.includes(' ') ? a0.split(':')[0]! : a0.slice(a0.lastIndexOf('/') + 1)).slice(0, 15);
  };
  const time8 = '00:00:00';
  let out: string;
  if (/f/.test(dash)) {
    out = 'UID        PID  PPID  C STIME TTY          TIME CMD\n';
    for (const p of shown) {
      const ppid = p.pid === 1 || p.leader ? 0 : 1;
      out += `${p.user.padEnd(8)} ${String(p.pid).padStart(5)} ${String(ppid).padStart(5)}  0 ${formatDate(p.startedAt, '%H:%M')} ${tty(p).padEnd(8)} ${time8} ${title(p)}\n`;
    }
  } else if (/u/.test(bsd)) {
    out = 'USER       PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND\n';
    for (const p of shown) {
      const rss = p.pid === self ? 1520 : p.pid === 1 ? 7364 : 3296;
      out += `${p.user.padEnd(8)} ${String(p.pid).padStart(5)}  0.0  0.0 ${String(rss * 3).padStart(6)} ${String(rss).padStart(5)} ${tty(p).padEnd(8)} ${stat(p).padEnd(4)} ${formatDate(p.startedAt, '%H:%M')}   0:00 ${title(p)}\n`;
    }
  } else if (all || /x/.test(bsd)) {
    out = '  PID TTY      STAT   TIME COMMAND\n';
    for (const p of shown) out += `${String(p.pid).padStart(5)} ${tty(p).padEnd(8)} ${stat(p).padEnd(6)} 0:00 ${title(p)}\n`;
  } else {
    out = '  PID TTY          TIME CMD\n';
    for (const p of shown) out += `${String(p.pid).padStart(5)} ${tty(p).padEnd(8)} ${time8} ${comm(p)}\n`;
  }
  ctx.stdout.write(out);
  return 0;
};

/** `pid/name` as netstat -p shows it: a process title whole (nginx), else the executable's base name; 19 characters at most. */
export function netstatProgram(p: ProcessInfo | undefined): string {
  if (!p) return '-';
  const a0 = p.argv[0] ?? '';
  const name = a0.includes(' ') ? p.argv.join(' ') : a0.slice(a0.lastIndexOf('/') + 1);
  return `${p.pid}/${name}`.slice(0, 19);
}

const SERVICES: Record<number, string> = { 21: 'ftp', 22: 'ssh', 25: 'smtp', 53: 'domain', 80: 'http', 443: 'https', 3306: 'mysql', 5432: 'postgresql', 6379: 'redis', 8080: 'http-alt' };

/** `netstat -tlnp` and friends: the sockets bound in the pod (net-tools or busybox wording). */
export const netstat: Tool = async (ctx, style) => {
  const flags = new Set(ctx.argv.slice(1).filter((a) => /^-[a-zA-Z]+$/.test(a)).flatMap((a) => [...a.slice(1)]));
  const long = ctx.argv.slice(1).filter((a) => a.startsWith('--'));
  if (long.includes('--tcp')) flags.add('t');
  if (long.includes('--udp')) flags.add('u');
  if (long.includes('--listening')) flags.add('l');
  if (long.includes('--numeric')) flags.add('n');
  if (long.includes('--program')) flags.add('p');
  if (long.includes('--all')) flags.add('a');
  const tcp = flags.has('t') || !flags.has('u');
  const udp = flags.has('u') || !flags.has('t');
  const listening = flags.has('l') || flags.has('a');
  const numeric = flags.has('n');
  const withPid = flags.has('p');
  const procs = new Map(ctx.host.processes().map((p) => [p.pid, p]));
  const podIp = ctx.host.net?.ip;
  const sockets: { protocol: 'TCP' | 'UDP'; address: string; port: number; pid?: number }[] = ctx.host.net ? ctx.host.net.bindings() : ctx.host.listeners();
  const gnu = style === 'gnu';
  let out = `Active Internet connections (${flags.has('l') ? 'only servers' : flags.has('a') ? 'servers and established' : 'w/o servers'})\n`;
  // net-tools: `State      ` + ` PID/Program name    `; busybox: `State       ` + its banner (the same text)
  out += `Proto Recv-Q Send-Q Local Address           Foreign Address         State       ${withPid ? 'PID/Program name    ' : ''}\n`;
  const host = (a: string) => (numeric ? a : a === '127.0.0.1' ? 'localhost' : a === podIp ? ctx.host.hostname : a);
  const port = (n: number) => (numeric ? String(n) : SERVICES[n] ?? String(n));
  const sorted = [...sockets].sort((a, b) => (a.protocol === b.protocol ? Number(a.address.includes(':')) - Number(b.address.includes(':')) || a.port - b.port : a.protocol === 'TCP' ? -1 : 1));
  for (const l of listening ? sorted : []) {
    if ((l.protocol === 'TCP' && !tcp) || (l.protocol === 'UDP' && !udp)) continue;
    const v6 = l.address.includes(':');
    const proto = (l.protocol === 'TCP' ? 'tcp' : 'udp') + (v6 && gnu ? '6' : '');
    const local = v6 ? `${l.address === '::' ? ':::' : `${l.address}:`}${port(l.port)}` : `${host(l.address)}:${port(l.port)}`;
    const foreign = v6 ? ':::*' : '0.0.0.0:*';
    const state = l.protocol === 'TCP' ? 'LISTEN' : '';
    const prog = netstatProgram(l.pid !== undefined ? procs.get(l.pid) : undefined);
    // seed 003 shows the program without net-tools' padding to 20 columns
    out += `${proto.padEnd(5)} ${'0'.padStart(6)} ${'0'.padStart(6)} ${local.padEnd(23)} ${foreign.padEnd(23)} ${withPid ? `${state.padEnd(11)} ${prog}` : state.padEnd(gnu ? 11 : 12)}\n`;
  }
  // established connections (this container's), unless only servers were asked for
  if (tcp && !flags.has('l')) {
    const main = procs.get(1);
    for (const c of ctx.host.connections?.() ?? []) {
      const ep = (e: { address: string; port: number }) => `${host(e.address)}:${numeric ? e.port : SERVICES[e.port] ?? e.port}`;
      const row = `${'tcp'.padEnd(5)} ${'0'.padStart(6)} ${'0'.padStart(6)} ${ep(c.local).padEnd(23)} ${ep(c.remote).padEnd(23)} `;
      out += (withPid ? `${row}${'ESTABLISHED'.padEnd(11)} ${netstatProgram(main)}` : `${row}${'ESTABLISHED'.padEnd(gnu ? 11 : 12)}`) + '\n';
    }
  }
  ctx.stdout.write(out);
  return 0;
};

export const uname: Tool = async (ctx) => {
  const { flags } = parseOpts(ctx.argv.slice(1), '');
  const fields: [string, string][] = [
    ['s', 'Linux'],
    ['n', ctx.host.hostname],
    ['r', KERNEL_RELEASE],
    ['v', '#1 SMP PREEMPT_DYNAMIC'],
    ['m', 'x86_64'],
    ['o', 'GNU/Linux'],
  ];
  const all = flags.has('a');
  const picked = fields.filter(([f]) => all || flags.has(f));
  ctx.stdout.write((picked.length ? picked : fields.slice(0, 1)).map(([, v]) => v).join(' ') + '\n');
  return 0;
};

export const whoami: Tool = async (ctx) => {
  ctx.stdout.write('root\n');
  return 0;
};

export const id: Tool = async (ctx, style) => {
  ctx.stdout.write(style === 'busybox' ? 'uid=0(root) gid=0(root) groups=0(root),10(wheel)\n' : 'uid=0(root) gid=0(root) groups=0(root)\n');
  return 0;
};

export const seq: Tool = async (ctx) => {
  const { flags, rest } = parseOpts(ctx.argv.slice(1), 's');
  const nums = rest.map(Number);
  if (!nums.length || nums.some(Number.isNaN)) {
    ctx.stderr.write(`seq: invalid argument\n`);
    return 1;
  }
  const [first, inc, last] = nums.length === 1 ? [1, 1, nums[0]!] : nums.length === 2 ? [nums[0]!, 1, nums[1]!] : [nums[0]!, nums[1]!, nums[2]!];
  const sep = typeof flags.get('s') === 'string' ? (flags.get('s') as string) : '\n';
  const out: string[] = [];
  const width = flags.has('w') ? String(Math.max(Math.abs(first), Math.abs(last))).length : 0;
  for (let v = first; inc > 0 ? v <= last : v >= last; v += inc) {
    out.push(String(v).padStart(width, '0'));
    if (out.length > 1_000_000 || inc === 0) break;
  }
  if (out.length) ctx.stdout.write(out.join(sep) + '\n');
  return 0;
};

export const echo: Tool = async (ctx, style) => {
  ctx.stdout.write(outputChunk(echoText(ctx.argv.slice(1), style === 'busybox' ? 'busybox' : 'gnu')));
  return 0;
};

export const printf: Tool = async (ctx) => {
  const args = ctx.argv.slice(1);
  if (!args.length) {
    ctx.stderr.write('printf: missing operand\n');
    return 1;
  }
  const r = printfText(args[0]!, args.slice(1));
  ctx.stdout.write(outputChunk(r.out));
  for (const e of r.errors) ctx.stderr.write(`printf: ${e}\n`);
  return r.errors.length ? 1 : 0;
};

export const test: Tool = async (ctx) => {
  let args = ctx.argv.slice(1);
  const name = toolName(ctx);
  if (name === '[') {
    if (args[args.length - 1] !== ']') {
      ctx.stderr.write('[: missing ]\n');
      return 2;
    }
    args = args.slice(0, -1);
  }
  try {
    return evalTest(args, ctx.host.fs, ctx.cwd);
  } catch (e) {
    if (e instanceof TestSyntaxError) {
      ctx.stderr.write(`${name}: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
};

export const trueTool: Tool = async () => 0;
export const falseTool: Tool = async () => 1;

export const pwd: Tool = async (ctx) => {
  ctx.stdout.write(ctx.cwd + '\n');
  return 0;
};

export const basename: Tool = async (ctx) => {
  const [p = '', suffix] = ctx.argv.slice(1);
  let b = p.replace(/\/+$/, '');
  b = b.slice(b.lastIndexOf('/') + 1) || (p.startsWith('/') ? '/' : '');
  if (suffix && b.endsWith(suffix) && b !== suffix) b = b.slice(0, -suffix.length);
  ctx.stdout.write(b + '\n');
  return 0;
};

export const dirname: Tool = async (ctx) => {
  const p = (ctx.argv[1] ?? '').replace(/\/+$/, '');
  const i = p.lastIndexOf('/');
  ctx.stdout.write((i < 0 ? '.' : i === 0 ? '/' : p.slice(0, i)) + '\n');
  return 0;
};

export const yes: Tool = async (ctx) => {
  const text = (ctx.argv.length > 1 ? ctx.argv.slice(1).join(' ') : 'y') + '\n';
  for (;;) {
    ctx.stdout.write(text.repeat(64));
    const d = ctx.stdout.drain?.();
    if (d) await d;
    else await ctx.host.yieldCpu();
  }
};

export const nproc: Tool = async (ctx) => {
  ctx.stdout.write('2\n');
  return 0;
};

export const kill: Tool = async (ctx) => {
  const args = ctx.argv.slice(1);
  const sig = args[0]?.startsWith('-') ? args.shift()!.slice(1).toUpperCase().replace(/^SIG/, '') : 'TERM';
  const name = (/^\d+$/.test(sig) ? ({ '9': 'KILL', '15': 'TERM', '2': 'INT', '3': 'QUIT', '1': 'HUP' } as Record<string, string>)[sig] ?? 'TERM' : sig) as string;
  let status = 0;
  for (const p of args) if (!ctx.host.kill(Number(p), `SIG${name}` as 'SIGTERM')) status = 1;
  return status;
};
