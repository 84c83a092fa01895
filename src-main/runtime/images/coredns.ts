/**
 * registry.k8s.io/coredns/coredns: a static Go binary on a distroless base (no shell), run by
 * kubeadm/kind as `/coredns -conf /etc/coredns/Corefile`. It logs the server block, the reload
 * plugin's SHA512 of the Corefile and its build line, then serves DNS on UDP and TCP 53 (`:::53`,
 * TCP messages framed by a 2-byte length) from the cluster zone (`ContainerHost.clusterDns`, the
 * kubernetes plugin's view), `/health` on 8080 (`OK`), `/ready` on 8181 and Prometheus metrics on
 * 9153; a changed Corefile is reloaded (logged) as the reload plugin does.
 */
import { createHash } from 'node:crypto';
import type { ImageFamily, TagGroup } from './types';
import { exe } from './types';
import type { ProcessContext } from '../program';
import type { Binding, ClusterDnsZone, Connection, Endpoint } from '../../network/types';
import { serveDnsPacket, type ServeOptions } from '../dns/server';
import { resolvePath } from '../vfs';

const RELOAD_CHECK_MS = 30_000;

const g = (tags: string[], version: string, sizeBytes: number, go: string, commit: string): TagGroup => ({ tags, version, sizeBytes, variant: { go, commit } });

/** When no zone is wired in: the kubernetes plugin cannot answer (API unreachable). */
const NO_ZONE: ClusterDnsZone = { query: () => ({ rcode: 'SERVFAIL', answers: [] }) };

function corefilePath(argv: string[]): string {
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if ((a === '-conf' || a === '--conf') && argv[i + 1]) return argv[i + 1]!;
    const m = /^--?conf=(.+)$/.exec(a);
    if (m) return m[1]!;
  }
  return 'Corefile';
}

/** The `ttl` of the Corefile's kubernetes block (the plugin's default without one: 5 s). */
function corefileTtl(corefile: string): number {
  const block = /kubernetes[^{\n]*\{([^}]*)\}/.exec(corefile);
  const ttl = block ? /^\s*ttl\s+(\d+)\s*$/m.exec(block[1]!) : null;
  return ttl ? Math.min(Number(ttl[1]), 3600) : 5;
}

/** Whether the server block has the `log` plugin (query logging, as the DNS debugging docs add it). */
function corefileLogs(corefile: string): boolean {
  return /^\s*log(\s+\.)?\s*(\{[^}]*\})?\s*$/m.test(corefile);
}

interface ServeConfig {
  ttl: number;
  log: boolean;
  out(line: string): void;
}

/** Go's `%f`-less float seconds as the log plugin prints durations (`0.000146042s`). */
function seconds(ns: bigint): string {
  return `${(Number(ns) / 1e9).toFixed(9).replace(/0+$/, '').replace(/\.$/, '')}s`;
}

function options(serve: ServeConfig, transport: 'udp' | 'tcp', remote: Endpoint): ServeOptions {
  if (!serve.log) return { transport, ttl: serve.ttl };
  const started = process.hrtime.bigint();
  return {
    transport,
    ttl: serve.ttl,
    onAnswered: (q) =>
      serve.out(
        `[INFO] ${remote.address.includes(':') ? `[${remote.address}]` : remote.address}:${remote.port} - ${q.id} "${q.type} ${q.class} ${q.name} ${transport} ${q.requestSize} ${q.do} ${q.bufsize}" ${q.rcode} ${q.flags} ${q.responseSize} ${seconds(process.hrtime.bigint() - started)}\n`,
      ),
  };
}

/** Serves length-framed DNS messages on one TCP connection (RFC 1035 4.2.2). */
function serveTcp(conn: Connection, zone: ClusterDnsZone, serve: ServeConfig): void {
  let pending: Buffer = Buffer.alloc(0);
  conn.socket.on('data', (chunk: Buffer) => {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    while (pending.length >= 2) {
      const len = pending.readUInt16BE(0);
      if (pending.length < 2 + len) break;
      const msg = pending.subarray(2, 2 + len);
      pending = pending.subarray(2 + len);
      const out = serveDnsPacket(zone, Buffer.from(msg), options(serve, 'tcp', conn.remote));
      if (!out) continue;
      const frame = Buffer.allocUnsafe(2 + out.length);
      frame.writeUInt16BE(out.length, 0);
      out.copy(frame, 2);
      conn.socket.write(frame);
    }
  });
  conn.socket.on('end', () => conn.socket.end());
  conn.socket.on('error', () => {});
}

async function coredns(ctx: ProcessContext): Promise<number> {
  const path = resolvePath(ctx.cwd, corefilePath(ctx.argv));
  let corefile: string;
  try {
    corefile = ctx.host.fs.readFile(path);
  } catch {
    ctx.stderr.write(`Error: open ${path}: no such file or directory\n`);
    return 1;
  }
  const version = ctx.host.fs.readFile('/etc/coredns-version').trim().split(' ');
  const [release, go, commit] = version;
  ctx.stdout.write(`.:53\n[INFO] plugin/reload: Running configuration SHA512 = ${createHash('sha512').update(corefile).digest('hex')}\nCoreDNS-${release}\nlinux/amd64, ${go}, ${commit}\n`);
  ctx.host.allocate(13_500_000);
  const zone = ctx.host.clusterDns ?? NO_ZONE;
  const serve: ServeConfig = { ttl: corefileTtl(corefile), log: corefileLogs(corefile), out: (line) => ctx.stdout.write(line) };
  const net = ctx.host.net;
  const bindings: Binding[] = [];
  let queries = 0;
  if (net) {
    const opts = { address: '::', pid: ctx.pid, program: 'coredns' };
    bindings.push(
      net.bindUdp(
        53,
        (d) => {
          queries++;
          const out = serveDnsPacket(zone, d.data, options(serve, 'udp', d.remote));
          if (out) d.reply(out);
        },
        opts,
      ),
      net.listen(53, (conn) => serveTcp(conn, zone, serve), opts),
    );
  }
  const text = { 'Content-Type': 'text/plain; charset=utf-8' };
  ctx.host.listen(8080, 'TCP', { address: '::', pid: ctx.pid, http: (req) => (req.path.split('?')[0] === '/health' ? { status: 200, headers: text, body: 'OK' } : { status: 404, headers: text, body: '404 page not found\n' }) });
  ctx.host.listen(8181, 'TCP', { address: '::', pid: ctx.pid, http: (req) => (req.path.split('?')[0] === '/ready' ? { status: 200, headers: text, body: 'OK' } : { status: 404, headers: text, body: '404 page not found\n' }) });
  ctx.host.listen(9153, 'TCP', {
    address: '::',
    pid: ctx.pid,
    http: (req) =>
      req.path.split('?')[0] === '/metrics'
        ? {
            status: 200,
            headers: { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' },
            body: `# HELP coredns_build_info A metric with a constant '1' value labeled by version, revision, and goversion from which CoreDNS was built.\n# TYPE coredns_build_info gauge\ncoredns_build_info{goversion="${go}",revision="${commit}",version="${release}"} 1\n# HELP coredns_dns_requests_total Counter of DNS requests made per zone, protocol and family.\n# TYPE coredns_dns_requests_total counter\ncoredns_dns_requests_total{family="1",proto="udp",server="dns://:53",type="other",view="",zone="."} ${queries}\n`,
          }
        : { status: 404, headers: text, body: '404 page not found\n' },
  });
  try {
    // the reload plugin: the Corefile is checked every 30 s (its default interval) and a changed
    // one (the ConfigMap volume updated in place) is loaded again
    let sha = createHash('sha512').update(corefile).digest('hex');
    for (;;) {
      await ctx.host.sleep(RELOAD_CHECK_MS);
      let next: string;
      try {
        next = ctx.host.fs.readFile(path);
      } catch {
        continue;
      }
      const nextSha = createHash('sha512').update(next).digest('hex');
      if (nextSha === sha) continue;
      sha = nextSha;
      serve.ttl = corefileTtl(next);
      serve.log = corefileLogs(next);
      ctx.stdout.write(`[INFO] Reloading\n[INFO] plugin/reload: Running configuration SHA512 = ${sha}\n[INFO] Reloading complete\n`);
    }
  } finally {
    for (const b of bindings) b.close();
  }
}

export const corednsImage: ImageFamily = {
  repository: 'registry.k8s.io/coredns/coredns',
  config: { entrypoint: ['/coredns'], cmd: [], workingDir: '', env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt'], exposedPorts: ['53/tcp', '53/udp'] },
  groups: [
    // kind v0.26/v0.27 node images for Kubernetes 1.32 (kubeadm's CoreDNS version): v1.11.3
    g(['v1.11.3', '1.11.3'], '1.11.3', 18_562_039, 'go1.21.11', 'a6338e9'),
    g(['v1.11.1', '1.11.1'], '1.11.1', 18_182_961, 'go1.20.7', 'ae2bbc2'),
    g(['v1.10.1', '1.10.1'], '1.10.1', 16_190_758, 'go1.20', '055b2c3'),
  ],
  files: (group) => ({
    '/coredns': exe('coredns'),
    '/etc/coredns-version': `${group.version} ${group.variant!.go} ${group.variant!.commit}\n`,
    '/etc/ssl/certs/ca-certificates.crt': '',
    '/etc/passwd': 'root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n',
    '/tmp': { kind: 'dir', mode: 0o1777 },
    '/home/nonroot': { kind: 'dir', mode: 0o700 },
  }),
  programs: { coredns },
};
