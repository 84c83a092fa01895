/**
 * The nginx binary: `-v`/`-V`/`-t`/`-s`, daemon mode (PID 1 exits at once), or the foreground
 * master: parses /etc/nginx/nginx.conf (+ includes), resolves static upstream names once as
 * nginx does (`host not found in upstream` → exit 1), listens on the servers' ports, logs its
 * notices at `error_log … notice`, reloads on SIGHUP and shuts down on SIGQUIT/SIGTERM/SIGINT.
 */
import type { HttpHandler, HttpRequest, HttpResponse, Listener, ProcessContext, Signal } from '../program';
import { SIGNAL_NUMBERS } from '../program';
import { KERNEL_RELEASE, NODE_CPUS } from '../node-info';
import { formatDate } from '../tools/system';
import type { Directive, HttpConfig } from './nginx-conf';
import { NginxConfError, loadConf, loadHttpConfig } from './nginx-conf';
import type { NginxSite } from './nginx-http';
import { nginxHttp, withPort } from './nginx-http';

let lastSecond = NaN;
let lastStamp = '';

/** nginx's error-log time (memoized per second: every container logs the same few seconds). */
function nginxTime(ms: number): string {
  const sec = Math.floor(ms / 1000);
  if (sec !== lastSecond) {
    lastSecond = sec;
    lastStamp = formatDate(sec * 1000, '%Y/%m/%d %H:%M:%S');
  }
  return lastStamp;
}

const LEVELS = ['debug', 'info', 'notice', 'warn', 'error', 'crit', 'alert', 'emerg'];

function loadAll(ctx: ProcessContext): HttpConfig {
  return loadHttpConfig(ctx.host.fs);
}

/** The names a static proxy_pass or upstream server needs resolved (`host:port` → directive). */
function namesToResolve(conf: HttpConfig): { upstreams: Map<string, string[]>; names: Map<string, Directive> } {
  const upstreams = new Map<string, string[]>();
  const names = new Map<string, Directive>();
  for (const d of conf.http.d) {
    if (d.name !== 'upstream' || !d.block) continue;
    const servers = d.block.filter((s) => s.name === 'server').map((s) => withPort(s.args[0] ?? ''));
    upstreams.set(d.args[0] ?? '', servers);
    for (const [k, s] of servers.entries()) names.set(s, d.block.filter((x) => x.name === 'server')[k]!);
  }
  const visit = (dirs: readonly Directive[]) => {
    for (const d of dirs) {
      if (d.name === 'proxy_pass' && d.args[0] && !d.args[0].includes('$')) {
        const hp = /^https?:\/\/([^/]+)/.exec(d.args[0])?.[1];
        if (hp && !upstreams.has(hp)) names.set(withPort(hp), d);
      }
      if (d.block) visit(d.block);
    }
  };
  visit(conf.main);
  return { upstreams, names };
}

type Resolved = { resolved: ReadonlyMap<string, string[]>; upstreams: ReadonlyMap<string, string[]> };

/** Shared by every nginx without static upstream names (most of them). */
const NO_NAMES: Resolved = Object.freeze({ resolved: new Map(), upstreams: new Map() });

/** The static upstream names resolved; at once (no promise) when there are none. */
function resolveAll(ctx: ProcessContext, conf: HttpConfig): Resolved | Promise<Resolved> {
  const { upstreams, names } = namesToResolve(conf);
  if (!names.size && !upstreams.size) return NO_NAMES;
  return resolveNames(ctx, upstreams, names);
}

async function resolveNames(ctx: ProcessContext, upstreams: Map<string, string[]>, names: Map<string, Directive>): Promise<Resolved> {
  const resolved = new Map<string, string[]>();
  const resolv = ctx.host.fs.stat('/etc/resolv.conf') ? ctx.host.fs.readFile('/etc/resolv.conf') : '';
  const search = /^search\s+(.+)$/m.exec(resolv)?.[1]?.trim().split(/\s+/) ?? [];
  for (const [hp, d] of names) {
    const host = hp.replace(/:\d+$/, '');
    const port = hp.slice(host.length + 1);
    if (/^\d+\.\d+\.\d+\.\d+$/.test(host) || host.startsWith('[')) continue;
    if (host === 'localhost') {
      resolved.set(hp, [`127.0.0.1:${port}`]);
      continue;
    }
    // without a cluster network (unit tests) names go to httpRequest as they are
    if (!ctx.host.dns) continue;
    const found = await ctx.host.dns.lookup(host, search).catch(() => undefined);
    if (!found?.addresses.length) {
      const shown = d.name === 'server' ? (d.args[0] ?? hp) : (/^https?:\/\/([^/]+)/.exec(d.args[0] ?? '')?.[1] ?? hp);
      throw new NginxConfError(`host not found in upstream "${shown}" in ${d.file}:${d.line}`);
    }
    resolved.set(hp, found.addresses.map((a) => `${a}:${port}`));
  }
  return { resolved, upstreams };
}

/** The files a parsed configuration came from, in order (for `nginx -T`). */
function collectFiles(list: readonly Directive[], out: string[] = []): string[] {
  for (const d of list) {
    if (!out.includes(d.file)) out.push(d.file);
    if (d.block) collectFiles(d.block, out);
  }
  return out;
}

export async function nginxMain(ctx: ProcessContext): Promise<number> {
  const args = ctx.argv.slice(1);
  const version = ctx.env.get('NGINX_VERSION') ?? '1.27.5';
  const fs = ctx.host.fs;
  const build = (fs.stat(ctx.exe)?.kind === 'file' ? fs.readFile(ctx.exe) : '') || 'built by gcc 12.2.0 (Debian 12.2.0-14) ';
  const directives: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-v' || a === '-V') {
      ctx.stderr.write(`nginx version: nginx/${version}\n`);
      if (a === '-V') ctx.stderr.write(`${build}\nbuilt with OpenSSL 3.0.15 3 Sep 2024\nTLS SNI support enabled\nconfigure arguments: --prefix=/etc/nginx --sbin-path=/usr/sbin/nginx --modules-path=/usr/lib/nginx/modules --conf-path=/etc/nginx/nginx.conf --error-log-path=/var/log/nginx/error.log --http-log-path=/var/log/nginx/access.log --pid-path=/var/run/nginx.pid --lock-path=/var/run/nginx.lock --user=nginx --group=nginx --with-http_ssl_module --with-http_v2_module --with-http_stub_status_module --with-http_realip_module\n`);
      return 0;
    }
    if (a === '-t' || a === '-T') {
      try {
        // like nginx -t, this resolves the static upstreams too
        await resolveAll(ctx, loadAll(ctx));
      } catch (e) {
        if (!(e instanceof NginxConfError)) throw e;
        ctx.stderr.write(`nginx: [emerg] ${e.message}\nnginx: configuration file /etc/nginx/nginx.conf test failed\n`);
        return 1;
      }
      ctx.stderr.write('nginx: the configuration file /etc/nginx/nginx.conf syntax is ok\nnginx: configuration file /etc/nginx/nginx.conf test is successful\n');
      if (a === '-T') {
        const files = [...new Set(['/etc/nginx/nginx.conf', ...collectFiles(loadConf(fs))])];
        for (const f of files) ctx.stdout.write(`# configuration file ${f}:\n${fs.readFile(f)}\n`);
      }
      return 0;
    }
    if (a === '-s') {
      const sig = args[++i];
      const map: Record<string, Signal> = { stop: 'SIGTERM', quit: 'SIGQUIT', reload: 'SIGHUP', reopen: 'SIGUSR1' };
      if (!sig || !map[sig]) {
        ctx.stderr.write(`nginx: [emerg] invalid option: "-s ${sig ?? ''}"\n`);
        return 1;
      }
      const pidFile = ['/run/nginx.pid', '/var/run/nginx.pid'].find((p) => fs.stat(p)?.kind === 'file');
      const pid = pidFile ? Number(fs.readFile(pidFile).trim()) : NaN;
      if (!pidFile || !Number.isInteger(pid)) {
        ctx.stderr.write(`${nginxTime(ctx.host.clock.now())} [notice] ${ctx.pid}#${ctx.pid}: signal process started\n${nginxTime(ctx.host.clock.now())} [error] ${ctx.pid}#${ctx.pid}: open() "/run/nginx.pid" failed (2: No such file or directory)\nnginx: [error] open() "/run/nginx.pid" failed (2: No such file or directory)\n`);
        return 1;
      }
      ctx.stderr.write(`${nginxTime(ctx.host.clock.now())} [notice] ${ctx.pid}#${ctx.pid}: signal process started\n`);
      ctx.host.kill(pid, map[sig]!);
      return 0;
    }
    if (a === '-g') directives.push(args[++i] ?? '');
  }

  const emerg = (msg: string): number => {
    ctx.stderr.write(`${nginxTime(ctx.host.clock.now())} [emerg] 1#1: ${msg}\nnginx: [emerg] ${msg}\n`);
    return 1;
  };
  let daemonOff = directives.some((d) => /daemon\s+off/.test(d));
  let master: NginxMaster;
  try {
    const conf = loadAll(ctx);
    daemonOff ||= conf.main.some((d) => d.name === 'daemon' && d.args[0] === 'off');
    if (!daemonOff) return 0; // the master forks into the background; the container's PID 1 exits
    // no await without names to resolve: 10 000 starting pods keep no frames waiting here
    const r = resolveAll(ctx, conf);
    master = new NginxMaster(ctx, conf, version, r instanceof Promise ? await r : r);
  } catch (e) {
    if (e instanceof NginxConfError) return emerg(e.message);
    throw e;
  }
  // this function's frame ends here: a running nginx is only its NginxMaster (10 000 idle pods)
  return master.run(build);
}

type Handler = (req: HttpRequest) => Promise<HttpResponse>;
/** The foreground master process: its workers, listen sockets, error log, reload and shutdown. */
class NginxMaster {
  site: NginxSite;
  /** The worker pids now running. */
  private workers: number[] = [];
  private workerProcs: { exit(): void }[] = [];
  /** Per port, its HTTP handler for the current configuration (built on the port's first request). */
  private handlers: Map<number, Handler> | undefined;
  private readonly bound = new Map<string, Listener>();
  private stop: ((sig: Signal) => void) | undefined;

  constructor(
    private readonly ctx: ProcessContext,
    conf: HttpConfig,
    version: string,
    resolved: Resolved,
  ) {
    this.site = { conf, version, workerPid: 0, ...resolved, errorLog: (lvl, msg) => this.errorLog(this.site.workerPid, lvl, msg) };
  }

  private errorLog(pid: number, lvl: string, msg: string): void {
    if (LEVELS.indexOf(lvl) >= LEVELS.indexOf(this.site.conf.errorLogLevel)) this.ctx.stderr.write(`${nginxTime(this.ctx.host.clock.now())} [${lvl}] ${pid}#${pid}: ${msg}\n`);
  }

  private notice(pid: number, msg: string): void {
    this.errorLog(pid, 'notice', msg);
  }

  private startWorkers(pids: number[]): void {
    this.workers = pids;
    this.workerProcs = pids.map((w) => this.ctx.host.registerProcess(['nginx: worker process'], w));
    this.site.workerPid = pids[0]!;
  }

  private handler(port: number): Handler {
    const handlers = (this.handlers ??= new Map());
    let h = handlers.get(port);
    if (!h) handlers.set(port, (h = nginxHttp(this.ctx, this.site, port)));
    return h;
  }

  /** Opens the configured listen sockets; after a reload, closes the ones no longer configured. */
  private bind(): string | undefined {
    const wanted = new Set<string>();
    this.handlers = undefined;
    // one function per port: the runtime gives the IPv4 and IPv6 listens of a port one HTTP server
    const perPort = new Map<number, HttpHandler>();
    for (const s of this.site.conf.servers) {
      for (const l of s.listens) {
        const key = `${l.address} ${l.port}`;
        wanted.add(key);
        if (this.bound.has(key)) continue;
        try {
          const port = l.port;
          let http = perPort.get(port);
          if (!http) perPort.set(port, (http = (req) => this.handler(port)(req)));
          this.bound.set(key, this.ctx.host.listen(port, 'TCP', { address: l.address, ipv6Only: l.ipv6Only, pid: this.ctx.pid, http }));
        } catch (e) {
          const addr = l.address === '::' ? `[::]:${l.port}` : `${l.address}:${l.port}`;
          return `bind() to ${addr} failed (98: ${(e as Error).message || 'Address already in use'})`;
        }
      }
    }
    for (const [key, l] of this.bound) {
      if (wanted.has(key)) continue;
      l.close();
      this.bound.delete(key);
    }
    return undefined;
  }

  private signal(sig: Signal): void {
    if (sig === 'SIGHUP') void this.reload();
    else this.stop?.(sig);
  }

  /** Starts the workers and listeners; resolves with the exit code when nginx stops. */
  run(build: string): number | Promise<number> {
    const { ctx, site } = this;
    const fs = ctx.host.fs;
    const alpine = fs.stat('/etc/alpine-release') !== undefined;
    const entrypoint = fs.stat('/docker-entrypoint.sh') !== undefined;
    const firstWorker = entrypoint ? (alpine ? 24 : 29) : alpine ? 6 : 7;
    const count = site.conf.workerProcesses === 'auto' ? NODE_CPUS : Math.max(1, site.conf.workerProcesses);
    const workers = Array.from({ length: count }, (_v, i) => firstWorker + i);
    this.notice(1, 'using the "epoll" event method');
    this.notice(1, `nginx/${site.version}`);
    this.notice(1, build.replace(/\n$/, ''));
    this.notice(1, `OS: Linux ${KERNEL_RELEASE}`);
    this.notice(1, 'getrlimit(RLIMIT_NOFILE): 1048576:1048576');
    this.notice(1, 'start worker processes');
    for (const w of workers) this.notice(1, `start worker process ${w}`);
    ctx.host.allocate(3_500_000 + workers.length * 2_600_000);
    ctx.host.setTitle(ctx.pid, ['nginx: master process', ...ctx.argv]);
    this.startWorkers(workers);
    const pidPath = /^\s*pid\s+(\S+);/m.exec(fs.stat('/etc/nginx/nginx.conf') ? fs.readFile('/etc/nginx/nginx.conf') : '')?.[1] ?? '/run/nginx.pid';
    try {
      fs.writeFile(pidPath, ctx.pid === 1 ? '1\n' : `${ctx.pid}\n`);
    } catch {
      /* a read-only /run only breaks `nginx -s` */
    }
    const bindError = this.bind();
    if (bindError) {
      for (const w of this.workerProcs) w.exit();
      ctx.stderr.write(`${nginxTime(ctx.host.clock.now())} [emerg] 1#1: ${bindError}\nnginx: [emerg] ${bindError}\n`);
      return 1;
    }
    return this.serve();
  }

  /** Waits for a stop signal (SIGHUP reloads meanwhile). */
  private async serve(): Promise<number> {
    const stopped = new Promise<Signal>((resolve) => (this.stop = resolve));
    const onSignal = (s: Signal) => this.signal(s);
    for (const sig of ['SIGQUIT', 'SIGTERM', 'SIGINT', 'SIGHUP'] as const) this.ctx.host.onSignal(sig, onSignal);
    return this.shutdown(await Promise.race([stopped, this.ctx.host.forever()]));
  }

  private async reload(): Promise<void> {
    const ctx = this.ctx;
    this.notice(1, 'signal 1 (SIGHUP) received from ' + ctx.pid + ', reconfiguring');
    this.notice(1, 'reconfiguring');
    try {
      const next = loadAll(ctx);
      const r = await resolveAll(ctx, next);
      this.site = { ...this.site, conf: next, ...r };
    } catch (e) {
      if (e instanceof NginxConfError) this.errorLog(1, 'emerg', e.message);
      return;
    }
    const old = this.workers;
    const last = old[old.length - 1]!;
    const fresh = old.map((_w, i) => last + 1 + i);
    this.notice(1, 'using the "epoll" event method');
    this.notice(1, 'start worker processes');
    for (const w of fresh) this.notice(1, `start worker process ${w}`);
    for (const w of old) this.notice(w, 'gracefully shutting down');
    for (const w of old) this.notice(w, 'exiting');
    for (const w of old) this.notice(w, 'exit');
    for (const p of this.workerProcs) p.exit();
    this.startWorkers(fresh);
    const err = this.bind();
    if (err) this.errorLog(1, 'emerg', err);
  }

  private shutdown(sig: Signal): number {
    const n = SIGNAL_NUMBERS[sig];
    if (sig === 'SIGQUIT') {
      this.notice(1, `signal ${n} (${sig}) received, shutting down`);
      for (const w of this.workers) this.notice(w, 'gracefully shutting down');
    } else this.notice(1, `signal ${n} (${sig}) received, exiting`);
    for (const w of this.workers) this.notice(w, 'exiting');
    for (const w of this.workers) this.notice(w, 'exit');
    for (const w of [...this.workers].reverse()) {
      this.notice(1, `signal 17 (SIGCHLD) received from ${w}`);
      this.notice(1, `worker process ${w} exited with code 0`);
    }
    for (const w of this.workerProcs) w.exit();
    this.notice(1, 'exit');
    return 0;
  }
}
