/**
 * Name-service tools. They speak DNS on the wire through the pod's network (`ctx.host.net`), as
 * the real binaries do:
 *
 * - busybox `nslookup`: ≤ 1.28 goes through libc (`Server:    …` / `Address 1: ip name`; on
 *   musl, i.e. Alpine, the server line is the famous `nslookup: can't resolve '(null)': Name does
 *   not resolve`); from 1.29 it sends its own A+AAAA queries and prints every reply
 *   (`** server can't find …: NXDOMAIN`), with the per-release differences of BigNslookupEra.
 * - `getent hosts|ahosts|ahostsv4|ahostsv6|passwd|group` (glibc's format; Debian, Ubuntu, Alpine).
 * - `dig` and `host` (BIND 9's dnsutils) for the images that carry them.
 */
import type { ProcessContext } from '../program';
import type { Tool } from './common';
import { StubResolver, sendQuery } from '../dns/resolver';
import { readResolvConf, hostsByName, hostsByAddress } from '../dns/resolv-conf';
import { RCODE_NAMES, TYPE, encodeMessage, typeCode, typeName, type DnsMessage, type WireRecord } from '../dns/wire';
import { isIp, isIpv4, parseIpv6, reverseName } from '../dns/ip';

function busyboxVersion(ctx: ProcessContext): number[] {
  const fs = ctx.host.fs;
  let v = '1.37.0';
  try {
    if (fs.stat('/etc/busybox-version')) v = fs.readFile('/etc/busybox-version').trim();
  } catch {
    // the default
  }
  return v.split('.').map((x) => Number(x) || 0);
}

const atLeast = (v: number[], major: number, minor: number) => v[0]! > major || (v[0] === major && v[1]! >= minor);

function isMusl(ctx: ProcessContext): boolean {
  return ctx.host.fs.stat('/etc/alpine-release') !== undefined;
}

// ---- busybox nslookup ----------------------------------------------------------------------

export const nslookup: Tool = async (ctx) => {
  const args = ctx.argv.slice(1);
  const version = busyboxVersion(ctx);
  if (!atLeast(version, 1, 29)) return nslookupLibc(ctx, args);
  return nslookupBig(ctx, args, {
    search: atLeast(version, 1, 30),
    failOnError: atLeast(version, 1, 31),
    noAnswerLine: atLeast(version, 1, 32) && !atLeast(version, 1, 34),
  });
};

/**
 * What changed between busybox releases (networking/nslookup.c): search domains in 1.30, a failing
 * exit code for error replies in 1.31, `*** Can't find …: No answer` for empty replies in 1.32
 * and 1.33 only.
 */
interface BigNslookupEra {
  search: boolean;
  failOnError: boolean;
  noAnswerLine: boolean;
}

const USAGE_OLD = 'BusyBox v1.28.4 (2018-05-22 17:00:17 UTC) multi-call binary.\n\nUsage: nslookup [HOST] [SERVER]\n\nQuery the nameserver for the IP address of the given HOST\noptionally using a specified DNS server\n';
const USAGE_NEW =
  'BusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary.\n\nUsage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]\n\nQuery DNS about HOST\n\nQUERY_TYPE: soa,ns,a,aaaa,cname,mx,txt,any,srv,ptr\n';

/** busybox ≤ 1.28: getaddrinfo/getnameinfo through the C library. */
async function nslookupLibc(ctx: ProcessContext, args: string[]): Promise<number> {
  const operands = args.filter((a) => !a.startsWith('-'));
  if (!operands.length || operands.length > 2) {
    ctx.stderr.write(USAGE_OLD);
    return 1;
  }
  const [name, server] = operands as [string, string | undefined];
  const musl = isMusl(ctx);
  const net = ctx.host.net;
  const resolver = net ? new StubResolver(net, ctx.host.fs) : undefined;
  const servers = server ? [server] : readResolvConf(ctx.host.fs).nameservers;
  const why = musl ? ': Name does not resolve' : '';

  const printHost = async (host: string, header: string): Promise<boolean> => {
    let addresses: string[];
    if (isIp(host)) addresses = [host];
    else {
      const found = resolver ? await lookupVia(resolver, ctx, host, server) : undefined;
      if (!found) {
        ctx.stderr.write(`nslookup: can't resolve '${host}'${why}\n`);
        return false;
      }
      addresses = found;
    }
    let out = `${header.padEnd(10)} ${host}\n`;
    for (let i = 0; i < addresses.length; i++) {
      const ptr = resolver ? await reverseVia(resolver, ctx, addresses[i]!, server) : undefined;
      out += `Address ${i + 1}: ${addresses[i]}${ptr ? ` ${ptr}` : ''}\n`;
    }
    ctx.stdout.write(out);
    return true;
  };

  // server_print(): musl leaves _res empty, so the server's address is "(null)"
  if (musl && !server) ctx.stderr.write(`nslookup: can't resolve '(null)'${why}\n`);
  else await printHost(servers[0]!, 'Server:');
  ctx.stdout.write('\n');
  return (await printHost(name, 'Name:')) ? 0 : 1;
}

async function lookupVia(resolver: StubResolver, ctx: ProcessContext, name: string, server: string | undefined): Promise<string[] | undefined> {
  if (!server) return (await resolver.lookup(name))?.addresses;
  const hosts = hostsByName(ctx.host.fs, name);
  if (hosts.length) return hosts.map((h) => h.address);
  const conf = readResolvConf(ctx.host.fs);
  conf.nameservers = [server];
  for (const candidate of resolver.candidates(name, conf)) {
    const r = await resolver.query(candidate, TYPE.A, conf);
    const a = r.response?.answers.filter((x) => x.type === 'A').map((x) => (x as { address: string }).address) ?? [];
    if (a.length) return a;
    if (!r.response || r.response.rcode !== 3) return undefined;
  }
  return undefined;
}

async function reverseVia(resolver: StubResolver, ctx: ProcessContext, ip: string, server: string | undefined): Promise<string | undefined> {
  if (!server) return resolver.reverse(ip);
  const h = hostsByAddress(ctx.host.fs, ip);
  if (h) return h.names[0];
  const conf = readResolvConf(ctx.host.fs);
  conf.nameservers = [server];
  const r = await resolver.query(reverseName(ip)!, TYPE.PTR, conf);
  const p = r.response?.answers.find((x) => x.type === 'PTR');
  return p?.type === 'PTR' ? p.target : undefined;
}

const NSLOOKUP_TYPES = ['SOA', 'NS', 'A', 'AAAA', 'CNAME', 'MX', 'TXT', 'SRV', 'PTR', 'ANY'];

/** busybox ≥ 1.29 (FEATURE_NSLOOKUP_BIG): its own queries, all sent at once, replies as they come. */
async function nslookupBig(ctx: ProcessContext, args: string[], era: BigNslookupEra): Promise<number> {
  const types: number[] = [];
  let port = 53;
  let timeoutS = 5;
  let retry = 2;
  let i = 0;
  for (; i < args.length && args[i]!.startsWith('-'); i++) {
    const [opt, val = ''] = args[i]!.slice(1).split(/=(.*)/s) as [string, string?];
    if (opt === 'type' || opt === 'querytype') {
      const t = NSLOOKUP_TYPES.find((x) => x === val.toUpperCase());
      if (!t) {
        ctx.stderr.write(`nslookup: invalid query type "${val}"\n`);
        return 1;
      }
      if (!types.includes(TYPE[t as keyof typeof TYPE])) types.push(TYPE[t as keyof typeof TYPE]);
    } else if (opt === 'port') port = Number(val) || 53;
    else if (opt === 'retry') retry = Math.max(1, Number(val) || 2);
    else if (opt === 't' || opt === 'timeout') timeoutS = Math.max(1, Number(val) || 5);
    else if (opt === 'debug') continue;
    else {
      ctx.stderr.write(USAGE_NEW);
      return 1;
    }
  }
  const operands = args.slice(i);
  if (!operands.length || operands.length > 2) {
    ctx.stderr.write(USAGE_NEW);
    return 1;
  }
  const name = operands[0]!;
  const conf = readResolvConf(ctx.host.fs);
  const servers = operands[1] ? [operands[1]] : conf.nameservers;
  const searchList = era.search ? conf.search : [];
  const queries: { name: string; type: number }[] = [];
  const addWithSearch = (type: number) => {
    if (type === TYPE.PTR || !searchList.length || name.includes('.')) queries.push({ name, type });
    else for (const d of searchList) queries.push({ name: `${name}.${d}`, type });
  };
  const ptr = reverseName(name);
  if (!types.length) {
    if (ptr) queries.push({ name: ptr, type: TYPE.PTR });
    else {
      addWithSearch(TYPE.A);
      addWithSearch(TYPE.AAAA);
    }
  } else for (const t of NSLOOKUP_TYPES.map((x) => TYPE[x as keyof typeof TYPE]).filter((t) => types.includes(t))) addWithSearch(t);

  const net = ctx.host.net;
  let exit = 0;
  for (const server of servers) {
    if (!net) break;
    const replies = await Promise.all(queries.map((q) => sendQuery(net, [server], q.name, q.type, { timeoutMs: timeoutS * 1000, attempts: retry, port })));
    if (!replies.some((r) => r.response)) continue;
    let out = `Server:\t\t${server}\nAddress:\t${server.includes(':') ? `[${server}]` : server}:${port}\n\n`;
    let unanswered = '';
    replies.forEach((r, qi) => {
      const q = queries[qi]!;
      const m = r.response;
      if (!m) {
        unanswered += `*** Can't find ${q.name}: No answer\n`;
        return;
      }
      if (m.rcode !== 0) {
        out += `** server can't find ${q.name}: ${RCODE_NAMES[m.rcode] ?? String(m.rcode)}\n`;
        if (era.failOnError) exit = 1;
      } else {
        if (!m.aa) out += 'Non-authoritative answer:\n';
        const printed = formatNslookupAnswers(m);
        if (!printed && era.noAnswerLine) out += `*** Can't find ${q.name}: No answer\n`;
        out += printed;
      }
      out += '\n';
    });
    if (unanswered) out += unanswered + '\n';
    ctx.stdout.write(out);
    return unanswered && era.failOnError ? 1 : exit;
  }
  ctx.stdout.write(';; connection timed out; no servers could be reached\n\n');
  return 1;
}

function formatNslookupAnswers(m: DnsMessage): string {
  let out = '';
  for (const rr of m.answers) {
    switch (rr.type) {
      case 'A':
      case 'AAAA':
        out += `Name:\t${rr.name}\nAddress: ${rr.address}\n`;
        break;
      case 'NS':
        out += `${rr.name}\tnameserver = ${rr.target}\n`;
        break;
      case 'CNAME':
        out += `${rr.name}\tcanonical name = ${rr.target}\n`;
        break;
      case 'PTR':
        out += `${rr.name}\tname = ${rr.target}\n`;
        break;
      case 'MX':
        out += `${rr.name}\tmail exchanger = ${rr.preference} ${rr.exchange}\n`;
        break;
      case 'TXT':
        out += `${rr.name}\ttext = "${rr.text}"\n`;
        break;
      case 'SRV':
        out += `${rr.name}\tservice = ${rr.priority} ${rr.weight} ${rr.port} ${rr.target}\n`;
        break;
      case 'SOA':
        out += `${rr.name}\n\torigin = ${rr.mname}\n\tmail addr = ${rr.rname}\n\tserial = ${rr.serial}\n\trefresh = ${rr.refresh}\n\tretry = ${rr.retry}\n\texpire = ${rr.expire}\n\tminimum = ${rr.minimum}\n`;
        break;
      default:
        break;
    }
  }
  return out;
}

// ---- getent --------------------------------------------------------------------------------

/** glibc `getent DATABASE [KEY...]` for hosts, ahosts*, passwd and group. */
export const getent: Tool = async (ctx) => {
  const [db, ...keys] = ctx.argv.slice(1).filter((a) => !a.startsWith('-'));
  if (!db) {
    ctx.stderr.write('Usage: getent [OPTION...] database [key ...]\nTry `getent --help\' or `getent --usage\' for more information.\n');
    return 1;
  }
  const fs = ctx.host.fs;
  if (db === 'passwd' || db === 'group') {
    let text = '';
    try {
      text = fs.readFile(`/etc/${db}`);
    } catch {
      // empty database
    }
    const lines = text.split('\n').filter(Boolean);
    if (!keys.length) {
      ctx.stdout.write(lines.map((l) => l + '\n').join(''));
      return 0;
    }
    let status = 0;
    for (const k of keys) {
      const line = lines.find((l) => {
        const f = l.split(':');
        return f[0] === k || (/^\d+$/.test(k) && f[2] === k);
      });
      if (line) ctx.stdout.write(line + '\n');
      else status = 2;
    }
    return status;
  }
  if (!['hosts', 'ahosts', 'ahostsv4', 'ahostsv6'].includes(db)) {
    ctx.stderr.write(`Unknown database: ${db}\nTry \`getent --help' or \`getent --usage' for more information.\n`);
    return 1;
  }
  const resolver = ctx.host.net ? new StubResolver(ctx.host.net, fs) : undefined;
  if (!keys.length && db === 'hosts') {
    for (const e of readHostsLines(ctx)) ctx.stdout.write(e);
    return 0;
  }
  let status = 0;
  for (const key of keys) {
    const found = await hostsEntry(ctx, resolver, key, db === 'ahostsv4' ? 4 : db === 'ahostsv6' ? 6 : db === 'hosts' ? 'hosts' : 0);
    if (!found) {
      status = 2;
      continue;
    }
    if (db === 'hosts') {
      for (const a of found.addresses) ctx.stdout.write(`${a.padEnd(15)} ${[found.name, ...found.aliases].join(' ')}\n`);
      continue;
    }
    found.addresses.forEach((a, idx) => {
      ctx.stdout.write(`${a.padEnd(15)} STREAM ${idx === 0 ? found.name : ''}\n${a.padEnd(15)} DGRAM  \n${a.padEnd(15)} RAW    \n`);
    });
  }
  return status;
};

function readHostsLines(ctx: ProcessContext): string[] {
  try {
    return ctx.host.fs
      .readFile('/etc/hosts')
      .split('\n')
      .map((l) => l.replace(/#.*/, '').trim().split(/\s+/))
      .filter((f) => f.length >= 2 && isIp(f[0]!))
      .map((f) => `${f[0]!.padEnd(15)} ${f.slice(1).join(' ')}\n`);
  } catch {
    return [];
  }
}

/**
 * gethostbyname2 (AF_INET6, then AF_INET) for `hosts`; getaddrinfo for `ahosts*`. Files first,
 * then DNS through the resolver. Addresses given as keys are looked up in reverse.
 */
async function hostsEntry(ctx: ProcessContext, resolver: StubResolver | undefined, key: string, mode: 4 | 6 | 0 | 'hosts'): Promise<{ name: string; aliases: string[]; addresses: string[] } | undefined> {
  if (isIp(key)) {
    if (mode !== 'hosts') return { name: key, aliases: [], addresses: [key] };
    const name = resolver ? await resolver.reverse(key) : hostsByAddress(ctx.host.fs, key)?.names[0];
    return name ? { name, aliases: hostsByAddress(ctx.host.fs, key)?.names.slice(1) ?? [], addresses: [key] } : undefined;
  }
  const files = hostsByName(ctx.host.fs, key);
  const v6 = files.filter((e) => parseIpv6(e.address));
  const v4 = files.filter((e) => isIpv4(e.address));
  if (mode === 'hosts') {
    const list = v6.length ? v6 : v4;
    if (list.length) return { name: list[0]!.names[0]!, aliases: list[0]!.names.slice(1), addresses: list.map((e) => e.address) };
  } else {
    const list = mode === 4 ? v4 : mode === 6 ? v6 : [...v6, ...v4];
    if (list.length) return { name: list[0]!.names[0]!, aliases: [], addresses: list.map((e) => e.address) };
  }
  if (!resolver) return undefined;
  if (mode === 'hosts') {
    const six = await resolver.resolve(key, 6);
    if (six.status === 'found') return { name: six.canonical, aliases: [], addresses: six.addresses };
    if (six.status === 'timeout' || six.status === 'servfail') return undefined;
    const four = await resolver.resolve(key, 4);
    return four.status === 'found' ? { name: four.canonical, aliases: [], addresses: four.addresses } : undefined;
  }
  const r = await resolver.resolve(key, mode === 4 ? 4 : mode === 6 ? 6 : 0);
  return r.status === 'found' ? { name: r.canonical, aliases: [], addresses: r.addresses } : undefined;
}

// ---- BIND 9 dig / host ---------------------------------------------------------------------

function rdataText(rr: WireRecord): string {
  switch (rr.type) {
    case 'A':
    case 'AAAA':
      return rr.address;
    case 'CNAME':
    case 'PTR':
    case 'NS':
      return `${rr.target}.`;
    case 'SRV':
      return `${rr.priority} ${rr.weight} ${rr.port} ${rr.target}.`;
    case 'MX':
      return `${rr.preference} ${rr.exchange}.`;
    case 'TXT':
      return `"${rr.text}"`;
    case 'SOA':
      return `${rr.mname}. ${rr.rname}. ${rr.serial} ${rr.refresh} ${rr.retry} ${rr.expire} ${rr.minimum}`;
    case 'RAW':
      return `\\# ${rr.rdata.length} ${rr.rdata.toString('hex').toUpperCase()}`;
  }
}

function typeOf(rr: WireRecord): string {
  return rr.type === 'RAW' ? `TYPE${rr.code}` : rr.type;
}

function rrLine(rr: WireRecord): string {
  return layout([[`${rr.name}.`, 0], [String(rr.ttl), 24], ['IN', 32], [typeOf(rr), 40], [rdataText(rr), 48]]);
}

/** Lays out fields at tab-stop columns as BIND prints records (8-wide tabs). */
function layout(fields: [string, number][]): string {
  let out = '';
  let width = 0;
  fields.forEach(([text, col], i) => {
    if (i > 0) {
      if (width >= col) {
        out += ' ';
        width++;
      } else
        while (width < col) {
          out += '\t';
          width = (Math.floor(width / 8) + 1) * 8;
        }
    }
    out += text;
    width += text.length;
  });
  return out;
}

/** BIND's version string by the image's Debian release (jessie: the e2e dnsutils image). */
function bindVersion(ctx: ProcessContext): string {
  let v = '';
  try {
    v = ctx.host.fs.readFile('/etc/debian_version').trim();
  } catch {
    // not Debian
  }
  if (v.startsWith('8')) return '9.9.5-9+deb8u19-Debian';
  if (v.startsWith('11')) return '9.16.50-1~deb11u2-Debian';
  if (v.startsWith('13')) return '9.20.15-1~deb13u1-Debian';
  return '9.18.41-1~deb12u1-Debian';
}

/** BIND 9 `nslookup [-type=T] name [server]`: the search list per ndots, then the name as is. */
export const nslookupBind: Tool = async (ctx) => {
  let type: number = TYPE.A;
  const operands: string[] = [];
  for (const a of ctx.argv.slice(1)) {
    const m = /^-(?:type|query|querytype|q|ty)=(.+)$/i.exec(a);
    if (m) type = typeCode(m[1]!) ?? type;
    else if (!a.startsWith('-')) operands.push(a);
  }
  const [name, server] = operands;
  if (!name) {
    ctx.stderr.write('Usage: nslookup [-opt ...] host [server]\n');
    return 1;
  }
  const conf = readResolvConf(ctx.host.fs);
  if (server) conf.nameservers = [server];
  const net = ctx.host.net;
  const head = (s: string) => `Server:\t\t${s}\nAddress:\t${s}#53\n\n`;
  const ptr = reverseName(name);
  const qname = ptr && type === TYPE.A ? ptr : name.replace(/\.$/, '');
  const qtype = ptr && type === TYPE.A ? TYPE.PTR : type;
  const dots = qname.split('.').length - 1;
  const candidates = name.endsWith('.') || ptr ? [qname] : dots >= conf.ndots ? [qname, ...conf.search.map((d) => `${qname}.${d}`)] : [...conf.search.map((d) => `${qname}.${d}`), qname];
  let last: DnsMessage | undefined;
  let lastServer = conf.nameservers[0]!;
  for (const c of candidates) {
    if (!net) break;
    const r = await sendQuery(net, conf.nameservers, c, qtype, { timeoutMs: conf.timeoutMs, attempts: conf.attempts });
    if (!r.response) {
      ctx.stdout.write(';; connection timed out; no servers could be reached\n\n');
      return 1;
    }
    last = r.response;
    lastServer = r.server;
    if (r.response.rcode !== 3 && (r.response.answers.length || r.response.rcode !== 0)) break;
  }
  if (!last) {
    ctx.stdout.write(';; connection timed out; no servers could be reached\n\n');
    return 1;
  }
  let out = head(lastServer);
  if (last.rcode !== 0) {
    ctx.stdout.write(out + `** server can't find ${qname}: ${RCODE_NAMES[last.rcode] ?? last.rcode}\n\n`);
    return 1;
  }
  if (!last.aa) out += 'Non-authoritative answer:\n';
  if (!last.answers.length) out += `*** Can't find ${qname}: No answer\n`;
  out += formatNslookupAnswers(last);
  ctx.stdout.write(out + '\n');
  return 0;
};

/** `dig [@server] name [type] [+short]` in BIND 9.18's format. */
export const dig: Tool = async (ctx) => {
  let server: string | undefined;
  let name: string | undefined;
  let type: number = TYPE.A;
  let short = false;
  let search = false;
  let reverse: string | undefined;
  let typeGiven = false;
  for (let i = 1; i < ctx.argv.length; i++) {
    const a = ctx.argv[i]!;
    if (a.startsWith('@')) server = a.slice(1);
    else if (a === '+short') short = true;
    else if (a === '+search') search = true;
    else if (a === '+nosearch' || a.startsWith('+')) continue;
    else if (a === '-x') reverse = ctx.argv[++i];
    else if (a === '-t') {
      type = typeCode(ctx.argv[++i] ?? '') ?? type;
      typeGiven = true;
    } else if (!typeGiven && typeCode(a) !== undefined && !a.includes('.')) {
      // dig takes a word that names a type as the type (`dig SRV name`, `dig name MX`)
      type = typeCode(a)!;
      typeGiven = true;
    } else name = a;
  }
  if (reverse) {
    const r = reverseName(reverse);
    if (!r) {
      ctx.stderr.write(`Invalid IP address ${reverse}\n`);
      return 1;
    }
    name = r;
    type = TYPE.PTR;
  }
  name ??= '.';
  const conf = readResolvConf(ctx.host.fs);
  const servers = server ? [server] : conf.nameservers;
  const net = ctx.host.net;
  let qname = name.replace(/\.$/, '');
  const started = Date.now();
  let result: { response?: DnsMessage; server: string } = { server: servers[0]! };
  const candidates = search && !name.endsWith('.') && qname.split('.').length - 1 < conf.ndots ? [...conf.search.map((d) => `${qname}.${d}`), qname] : [qname];
  for (const c of candidates) {
    if (!net) break;
    result = await sendQuery(net, servers, c, type, { timeoutMs: conf.timeoutMs, attempts: 3 });
    qname = c;
    if (!result.response || result.response.rcode !== 3) break;
  }
  const m = result.response;
  if (!m) {
    ctx.stdout.write(`;; communications error to ${servers[0]}#53: timed out\n;; communications error to ${servers[0]}#53: timed out\n;; communications error to ${servers[0]}#53: timed out\n\n; <<>> DiG ${bindVersion(ctx)} <<>> ${ctx.argv.slice(1).join(' ')}\n;; global options: +cmd\n;; no servers could be reached\n`);
    return 9;
  }
  if (short) {
    ctx.stdout.write(m.answers.map((rr) => rdataText(rr) + '\n').join(''));
    return 0;
  }
  const flags = ['qr', m.aa && 'aa', m.tc && 'tc', m.rd && 'rd', m.ra && 'ra', m.ad && 'ad', m.cd && 'cd'].filter(Boolean).join(' ');
  const opt = m.additionals.find((r) => r.type === 'RAW' && r.code === TYPE.OPT);
  const additional = m.additionals.filter((r) => r !== opt);
  const version = bindVersion(ctx);
  const old = version.startsWith('9.9');
  let out = `\n; <<>> DiG ${version} <<>> ${ctx.argv.slice(1).join(' ')}\n;; global options: +cmd\n;; Got answer:\n`;
  if (m.rd && !m.ra) out += ';; WARNING: recursion requested but not available\n';
  out += `;; ->>HEADER<<- opcode: QUERY, status: ${RCODE_NAMES[m.rcode] ?? m.rcode}, id: ${m.id}\n`;
  out += `;; flags: ${flags}; QUERY: ${m.questions.length}, ANSWER: ${m.answers.length}, AUTHORITY: ${m.authorities.length}, ADDITIONAL: ${m.additionals.length}\n\n`;
  if (opt) out += `;; OPT PSEUDOSECTION:\n; EDNS: version: 0, flags:; udp: ${opt.class ?? 512}\n`;
  out += `;; QUESTION SECTION:\n${m.questions.map((q) => layout([[`;${q.name}.`, 0], ['IN', 32], [typeName(q.type), 40]]) + '\n').join('')}`;
  if (m.answers.length) out += `\n;; ANSWER SECTION:\n${m.answers.map((r) => rrLine(r) + '\n').join('')}`;
  if (m.authorities.length) out += `\n;; AUTHORITY SECTION:\n${m.authorities.map((r) => rrLine(r) + '\n').join('')}`;
  if (additional.length) out += `\n;; ADDITIONAL SECTION:\n${additional.map((r) => rrLine(r) + '\n').join('')}`;
  const when = new Date(ctx.host.clock.now()).toUTCString().replace(/^(\w+), (\d+) (\w+) (\d+) ([\d:]+) GMT$/, '$1 $3 $2 $5 UTC $4');
  out += `\n;; Query time: ${Math.max(0, Date.now() - started)} msec\n;; SERVER: ${result.server}#53(${result.server})${old ? '' : ' (UDP)'}\n;; WHEN: ${when}\n;; MSG SIZE  rcvd: ${msgSize(m)}\n\n`;
  ctx.stdout.write(out);
  return 0;
};

function msgSize(m: DnsMessage): number {
  // the size of what arrived: re-encoding gives the same bytes (the server compresses the same way)
  try {
    return encodeMessage(m).length;
  } catch {
    return 0;
  }
}

/** BIND 9 `host name [server]` / `host -t TYPE name` / `host ip`. */
export const host: Tool = async (ctx) => {
  let type: number | undefined;
  const operands: string[] = [];
  for (let i = 1; i < ctx.argv.length; i++) {
    const a = ctx.argv[i]!;
    if (a === '-t') type = typeCode(ctx.argv[++i] ?? '');
    else if (!a.startsWith('-')) operands.push(a);
  }
  const [name, server] = operands;
  if (!name) {
    ctx.stderr.write('Usage: host [-aCdilrTvVw] [-c class] [-N ndots] [-t type] [-W time]\n            [-R number] [-m flag] [-p port] hostname [server]\n');
    return 1;
  }
  const conf = readResolvConf(ctx.host.fs);
  if (server) conf.nameservers = [server];
  const net = ctx.host.net;
  if (!net) {
    ctx.stdout.write(';; connection timed out; no servers could be reached\n');
    return 1;
  }
  let out = server ? `Using domain server:\nName: ${server}\nAddress: ${server}#53\nAliases: \n\n` : '';
  const ptr = reverseName(name);
  if (ptr && type === undefined) {
    const r = await sendQuery(net, conf.nameservers, ptr, TYPE.PTR, { timeoutMs: conf.timeoutMs, attempts: conf.attempts });
    if (!r.response) {
      ctx.stdout.write(out + ';; connection timed out; no servers could be reached\n');
      return 1;
    }
    if (r.response.rcode !== 0 || !r.response.answers.length) {
      ctx.stdout.write(out + `Host ${ptr} not found: ${r.response.rcode === 3 ? '3(NXDOMAIN)' : `${r.response.rcode}(${RCODE_NAMES[r.response.rcode]})`}\n`);
      return 1;
    }
    for (const rr of r.response.answers) if (rr.type === 'PTR') out += `${ptr} domain name pointer ${rr.target}.\n`;
    ctx.stdout.write(out);
    return 0;
  }
  const types = type !== undefined ? [type] : [TYPE.A, TYPE.AAAA, TYPE.MX];
  const dots = name.split('.').length - 1;
  const candidates = name.endsWith('.') ? [name.slice(0, -1)] : dots >= conf.ndots ? [name, ...conf.search.map((d) => `${name}.${d}`)] : [...conf.search.map((d) => `${name}.${d}`), name];
  for (const c of candidates) {
    const first = await sendQuery(net, conf.nameservers, c, types[0]!, { timeoutMs: conf.timeoutMs, attempts: conf.attempts });
    if (!first.response) {
      ctx.stdout.write(out + ';; connection timed out; no servers could be reached\n');
      return 1;
    }
    if (first.response.rcode === 3) continue;
    const rest = await Promise.all(types.slice(1).map((t) => sendQuery(net, conf.nameservers, c, t, { timeoutMs: conf.timeoutMs, attempts: conf.attempts })));
    for (const r of [first, ...rest]) {
      for (const rr of r.response?.answers ?? []) {
        if (rr.type === 'A') out += `${rr.name} has address ${rr.address}\n`;
        else if (rr.type === 'AAAA') out += `${rr.name} has IPv6 address ${rr.address}\n`;
        else if (rr.type === 'CNAME') out += `${rr.name} is an alias for ${rr.target}.\n`;
        else if (rr.type === 'MX') out += `${rr.name} mail is handled by ${rr.preference} ${rr.exchange}.\n`;
        else if (rr.type === 'SRV') out += `${rr.name} has SRV record ${rr.priority} ${rr.weight} ${rr.port} ${rr.target}.\n`;
        else if (rr.type === 'TXT') out += `${rr.name} descriptive text "${rr.text}"\n`;
        else if (rr.type === 'PTR') out += `${rr.name} domain name pointer ${rr.target}.\n`;
      }
    }
    if (type !== undefined && !first.response.answers.length) out += `${c} has no ${typeName(type)} record\n`;
    ctx.stdout.write(out);
    return 0;
  }
  ctx.stdout.write(out + `Host ${name} not found: 3(NXDOMAIN)\n`);
  return 1;
};
