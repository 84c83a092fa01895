/**
 * nginx (Debian and Alpine variants): `/docker-entrypoint.sh` prints the configuration lines the
 * real image prints, then execs nginx, which logs its notices to stderr, listens on its ports
 * and shuts down gracefully on SIGQUIT (the image's STOPSIGNAL) or fast on SIGTERM/SIGINT.
 */
import type { ImageFamily, TagGroup } from './types';
import { DEFAULT_PATH, exe } from './types';
import { BOOKWORM, BULLSEYE, TRIXIE, busyboxUserland, debianUserland } from './os';
import type { ProcessContext, Signal } from '../program';
import { SIGNAL_NUMBERS } from '../program';
import { KERNEL_RELEASE, NODE_CPUS } from '../node-info';
import { formatDate } from '../tools/system';
import { nginxHttp } from './nginx-http';

const CC = {
  trixie: 'gcc 14.2.0 (Debian 14.2.0-19) ',
  bookworm: 'gcc 12.2.0 (Debian 12.2.0-14) ',
  bullseye: 'gcc 10.2.1 20210110 (Debian 10.2.1-6) ',
  alpine322: 'gcc 14.2.0 (Alpine 14.2.0) ',
  alpine321: 'gcc 14.2.0 (Alpine 14.2.0) ',
  alpine319: 'gcc 13.2.1 20231014 (Alpine 13.2.1_git20231014) ',
};

const g = (tags: string[], version: string, sizeBytes: number, base: keyof typeof CC): TagGroup => ({
  tags,
  version,
  sizeBytes,
  variant: { base, cc: CC[base] },
  config: {
    env: [
      DEFAULT_PATH,
      `NGINX_VERSION=${version}`,
      ...(base.startsWith('alpine') ? ['PKG_RELEASE=1', 'DYNPKG_RELEASE=1', 'NJS_VERSION=0.9.4', 'NJS_RELEASE=1'] : ['NJS_VERSION=0.9.4', `NJS_RELEASE=1~${base}`, `PKG_RELEASE=1~${base}`, `DYNPKG_RELEASE=1~${base}`]),
    ],
  },
});

export const DEFAULT_CONF = `server {
    listen       80;
    listen  [::]:80;
    server_name  localhost;

    #access_log  /var/log/nginx/host.access.log  main;

    location / {
        root   /usr/share/nginx/html;
        index  index.html index.htm;
    }

    #error_page  404              /404.html;

    # redirect server error pages to the static page /50x.html
    #
    error_page   500 502 503 504  /50x.html;
    location = /50x.html {
        root   /usr/share/nginx/html;
    }
}
`;

export const NGINX_CONF = `
user  nginx;
worker_processes  auto;

error_log  /var/log/nginx/error.log notice;
pid        /run/nginx.pid;


events {
    worker_connections  1024;
}


http {
    include       /etc/nginx/mime.types;
    default_type  application/octet-stream;

    log_format  main  '$remote_addr - $remote_user [$time_local] "$request" '
                      '$status $body_bytes_sent "$http_referer" '
                      '"$http_user_agent" "$http_x_forwarded_for"';

    access_log  /var/log/nginx/access.log  main;

    sendfile        on;
    #tcp_nopush     on;

    keepalive_timeout  65;

    #gzip  on;

    include /etc/nginx/conf.d/*.conf;
}
`;

export const INDEX_HTML = `<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href="http://nginx.org/">nginx.org</a>.<br/>
Commercial support is available at
<a href="http://nginx.com/">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
`;

export const nginx: ImageFamily = {
  repository: 'docker.io/library/nginx',
  config: {
    entrypoint: ['/docker-entrypoint.sh'],
    cmd: ['nginx', '-g', 'daemon off;'],
    workingDir: '',
    env: [DEFAULT_PATH],
    exposedPorts: ['80/tcp'],
    stopSignal: 'SIGQUIT',
  },
  groups: [
    g(['1.29.3', 'mainline', '1.29', '1', 'latest', '1.29.3-trixie', 'mainline-trixie', 'trixie'], '1.29.3', 59_812_443, 'trixie'),
    g(['1.28.0', 'stable', '1.28', '1.28.0-bookworm', 'stable-bookworm'], '1.28.0', 72_225_615, 'bookworm'),
    g(['1.27.5', '1.27', '1.27.5-bookworm', '1.27-bookworm'], '1.27.5', 72_195_292, 'bookworm'),
    g(['1.27.4', '1.27.4-bookworm'], '1.27.4', 72_188_133, 'bookworm'),
    g(['1.26.3', '1.26', '1.26.3-bookworm'], '1.26.3', 72_099_501, 'bookworm'),
    g(['1.25.5', '1.25', '1.25.5-bookworm'], '1.25.5', 71_004_212, 'bookworm'),
    g(['1.25.3'], '1.25.3', 70_520_733, 'bookworm'),
    g(['1.24.0', '1.24', '1.24.0-bullseye'], '1.24.0', 56_863_118, 'bullseye'),
    g(['1.23.4', '1.23'], '1.23.4', 56_849_110, 'bullseye'),
    // The Kubernetes 201 walkthrough (seed 004) deploys nginx:1.7.9, then nginx:1.8. Those images
    // predate /docker-entrypoint.sh (CMD only) and were Debian jessie/wheezy; the bullseye userland
    // stands in. Sizes approximate the Hub's compressed sizes.
    { ...g(['1.8.1', '1.8'], '1.8.1', 53_027_712, 'bullseye'), config: { ...g([], '1.8.1', 0, 'bullseye').config, entrypoint: [] } },
    { ...g(['1.7.9'], '1.7.9', 39_947_392, 'bullseye'), config: { ...g([], '1.7.9', 0, 'bullseye').config, entrypoint: [] } },
    g(['1.29.3-alpine', 'mainline-alpine', '1.29-alpine', '1-alpine', 'alpine'], '1.29.3', 21_322_845, 'alpine322'),
    g(['1.28.0-alpine', 'stable-alpine', '1.28-alpine'], '1.28.0', 20_525_907, 'alpine321'),
    g(['1.27.5-alpine', '1.27-alpine'], '1.27.5', 20_498_150, 'alpine321'),
    g(['1.25.5-alpine', '1.25-alpine'], '1.25.5', 17_730_226, 'alpine319'),
  ],
  files: (group) => {
    const base = group.variant!.base!;
    const userland = base.startsWith('alpine')
      ? { ...busyboxUserland(), '/etc/alpine-release': base === 'alpine322' ? '3.22.2\n' : base === 'alpine321' ? '3.21.5\n' : '3.19.9\n' }
      : debianUserland(base === 'trixie' ? TRIXIE : base === 'bullseye' ? BULLSEYE : BOOKWORM);
    return {
      ...userland,
      // procps and net-tools: not in today's image, but the seed tutorials run `ps ax` and `netstat -tlpn` in it
      ...(base.startsWith('alpine') ? {} : { '/usr/bin/ps': exe('gnu'), '/bin/ps': exe('gnu'), '/usr/bin/netstat': exe('gnu'), '/bin/netstat': exe('gnu') }),
      '/docker-entrypoint.sh': exe('nginx-entrypoint', '#!/bin/sh\n# vim:sw=4:ts=4:et\n\nset -e\n'),
      '/docker-entrypoint.d/10-listen-on-ipv6-by-default.sh': exe('nginx-entrypoint', '#!/bin/sh\n'),
      '/docker-entrypoint.d/15-local-resolvers.envsh': exe('nginx-entrypoint', '#!/bin/sh\n'),
      '/docker-entrypoint.d/20-envsubst-on-templates.sh': exe('nginx-entrypoint', '#!/bin/sh\n'),
      '/docker-entrypoint.d/30-tune-worker-processes.sh': exe('nginx-entrypoint', '#!/bin/sh\n'),
      '/usr/sbin/nginx': exe('nginx'),
      '/usr/sbin/nginx-debug': exe('nginx'),
      '/etc/nginx/nginx.conf': NGINX_CONF,
      '/etc/nginx/conf.d/default.conf': DEFAULT_CONF,
      '/etc/nginx/mime.types': 'types {\n    text/html                                        html htm shtml;\n    text/css                                         css;\n    application/javascript                           js;\n    application/json                                 json;\n}\n',
      '/usr/share/nginx/html/index.html': INDEX_HTML,
      '/usr/share/nginx/html/50x.html': '<!DOCTYPE html>\n<html>\n<head>\n<title>Error</title>\n</head>\n<body>\n<h1>An error occurred.</h1>\n</body>\n</html>\n',
      '/var/log/nginx': { kind: 'dir', mode: 0o755 },
      '/var/cache/nginx': { kind: 'dir', mode: 0o755 },
    };
  },
  programs: {
    'nginx-entrypoint': (ctx) => entrypoint(ctx),
    nginx: (ctx) => nginxMain(ctx),
  },
};

async function entrypoint(ctx: ProcessContext): Promise<number> {
  const args = ctx.argv.slice(1);
  const fs = ctx.host.fs;
  const quiet = (ctx.env.get('NGINX_ENTRYPOINT_QUIET_LOGS') ?? '') !== '';
  const log = (line: string) => {
    if (!quiet) ctx.stdout.write(line + '\n');
  };
  const me = '/docker-entrypoint.sh';
  if (args[0] === 'nginx' || args[0] === 'nginx-debug') {
    const dir = '/docker-entrypoint.d';
    const entries = fs.stat(dir)?.kind === 'dir' ? fs.readdir(dir) : [];
    if (entries.length) {
      log(`${me}: /docker-entrypoint.d/ is not empty, will attempt to perform configuration`);
      log(`${me}: Looking for shell scripts in /docker-entrypoint.d/`);
      for (const name of entries) {
        const path = `${dir}/${name}`;
        const st = fs.stat(path);
        if (st?.kind !== 'file') continue;
        if (name.endsWith('.envsh')) {
          if (st.mode & 0o111) log(`${me}: Sourcing ${path}`);
          else log(`${me}: Ignoring ${path}, not executable`);
        } else if (name.endsWith('.sh')) {
          if (!(st.mode & 0o111)) {
            log(`${me}: Ignoring ${path}, not executable`);
            continue;
          }
          log(`${me}: Launching ${path}`);
          if (name === '10-listen-on-ipv6-by-default.sh') listenOnIpv6(ctx, log);
        } else log(`${me}: Ignoring ${path}`);
      }
      log(`${me}: Configuration complete; ready for start up`);
    } else log(`${me}: No files found in /docker-entrypoint.d/, skipping configuration`);
  }
  if (!args.length) return 0;
  const found = ctx.host.which(args[0]!, ctx.env.get('PATH') ?? '', ctx.cwd);
  if (!found) {
    ctx.stderr.write(`${me}: exec: line 47: ${args[0]}: not found\n`);
    return 127;
  }
  return ctx.host.spawn(args, { replacePid: ctx.pid, env: ctx.env, cwd: ctx.cwd, stdin: ctx.stdin, stdout: ctx.stdout, stderr: ctx.stderr });
}

function listenOnIpv6(ctx: ProcessContext, log: (l: string) => void): void {
  const me = '10-listen-on-ipv6-by-default.sh';
  const file = '/etc/nginx/conf.d/default.conf';
  const st = ctx.host.fs.stat(file);
  if (st?.kind !== 'file') {
    log(`${me}: info: ${file} is not a file or does not exist`);
    return;
  }
  log(`${me}: info: Getting the checksum of ${file}`);
  const text = ctx.host.fs.readFile(file);
  if (text !== DEFAULT_CONF) {
    log(`${me}: info: ${file} differs from the packaged version`);
    return;
  }
  log(`${me}: info: Enabled listen on IPv6 in ${file}`);
}

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

const portsByConf = new Map<string, { port: number; address: string }[]>();

/** The nginx binary: `-v`, `-t`, daemon mode (exits at once), or the foreground master. */
async function nginxMain(ctx: ProcessContext): Promise<number> {
  const args = ctx.argv.slice(1);
  const version = ctx.env.get('NGINX_VERSION') ?? '1.27.5';
  const directives: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-v') {
      ctx.stderr.write(`nginx version: nginx/${version}\n`);
      return 0;
    }
    if (a === '-t') {
      ctx.stderr.write('nginx: the configuration file /etc/nginx/nginx.conf syntax is ok\nnginx: configuration file /etc/nginx/nginx.conf test is successful\n');
      return 0;
    }
    if (a === '-g') directives.push(args[++i] ?? '');
  }
  const fs = ctx.host.fs;
  const conf = fs.stat('/etc/nginx/nginx.conf') ? fs.readFile('/etc/nginx/nginx.conf') : '';
  const daemonOff = directives.some((d) => /daemon\s+off/.test(d)) || /^\s*daemon\s+off/m.test(conf);
  // In daemon mode the master forks into the background and the container's PID 1 exits at once.
  if (!daemonOff) return 0;

  const alpineRelease = ctx.host.fs.stat('/etc/alpine-release') ? ctx.host.fs.readFile('/etc/alpine-release') : undefined;
  const cc = alpineRelease === undefined ? undefined : alpineRelease.startsWith('3.19') ? CC.alpine319 : CC.alpine322;
  // notices reach the log only at `error_log … notice` (the default config since 1.19; older images logged at warn)
  const notices = /^\s*error_log\s+\S+\s+(notice|info|debug)\s*;/m.test(conf);
  const log = (pid: number, msg: string) => notices && ctx.stderr.write(`${nginxTime(ctx.host.clock.now())} [notice] ${pid}#${pid}: ${msg}\n`);
  const firstWorker = cc ? 24 : 29;
  const workers = Array.from({ length: NODE_CPUS }, (_v, i) => firstWorker + i);
  log(1, 'using the "epoll" event method');
  log(1, `nginx/${version}`);
  log(1, `built by ${cc ?? compilerFor(ctx)}`);
  log(1, `OS: Linux ${KERNEL_RELEASE}`);
  log(1, 'getrlimit(RLIMIT_NOFILE): 1048576:1048576');
  log(1, 'start worker processes');
  for (const w of workers) log(1, `start worker process ${w}`);
  ctx.host.allocate(3_500_000 + workers.length * 2_600_000);
  ctx.host.setTitle(ctx.pid, ['nginx: master process', ...ctx.argv]);
  const workerProcs = workers.map((w) => ctx.host.registerProcess(['nginx: worker process'], w));
  const http = nginxHttp(ctx, version, workers[0]!);
  for (const { port, address } of listenPorts(ctx)) ctx.host.listen(port, 'TCP', { address, pid: ctx.pid, http });

  let stop!: (sig: Signal) => void;
  const stopped = new Promise<Signal>((resolve) => (stop = resolve));
  for (const sig of ['SIGQUIT', 'SIGTERM', 'SIGINT'] as const) ctx.host.onSignal(sig, (s) => stop(s));
  const sig = await Promise.race([stopped, ctx.host.forever()]);
  const n = SIGNAL_NUMBERS[sig];
  if (sig === 'SIGQUIT') {
    log(1, `signal ${n} (${sig}) received, shutting down`);
    for (const w of workers) log(w, 'gracefully shutting down');
  } else log(1, `signal ${n} (${sig}) received, exiting`);
  for (const w of workers) log(w, 'exiting');
  for (const w of workers) log(w, 'exit');
  for (const w of [...workers].reverse()) {
    log(1, `signal 17 (SIGCHLD) received from ${w}`);
    log(1, `worker process ${w} exited with code 0`);
  }
  for (const w of workerProcs) w.exit();
  log(1, 'exit');
  return 0;
}

/** Which compiler built this nginx: from the image's Debian release. */
function compilerFor(ctx: ProcessContext): string {
  const deb = ctx.host.fs.stat('/etc/debian_version') ? ctx.host.fs.readFile('/etc/debian_version').trim() : '';
  if (deb.startsWith('13')) return CC.trixie;
  if (deb.startsWith('11')) return CC.bullseye;
  return CC.bookworm;
}

/** The addresses of the `listen` directives in the server blocks (0.0.0.0:80 when none). */
function listenPorts(ctx: ProcessContext): { port: number; address: string }[] {
  const fs = ctx.host.fs;
  const out = new Map<string, { port: number; address: string }>();
  const dir = '/etc/nginx/conf.d';
  const texts = fs.stat(dir)?.kind === 'dir' ? fs.readdir(dir).filter((f) => f.endsWith('.conf')).map((f) => fs.readFile(`${dir}/${f}`)) : [];
  for (const t of texts) {
    let found = portsByConf.get(t);
    if (!found) {
      found = [...t.matchAll(/^\s*listen\s+(\[::\]:|[\d.]+:)?(\d+)/gm)].map((m) => ({ port: Number(m[2]), address: m[1] === '[::]:' ? '::' : '0.0.0.0' }));
      if (portsByConf.size > 100) portsByConf.clear();
      portsByConf.set(t, found);
    }
    for (const l of found) out.set(`${l.address} ${l.port}`, l);
  }
  return out.size ? [...out.values()] : [{ port: 80, address: '0.0.0.0' }];
}

