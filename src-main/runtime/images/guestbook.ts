/**
 * The kubernetes.io guestbook tutorial ("Deploying PHP Guestbook application with Redis"):
 * - gb-frontend (v5: `redis-leader`/`redis-follower`; v4: `redis-master`/`redis-slave`): Apache
 *   + PHP on port 80. `/` serves the AngularJS page, `/guestbook.php?cmd=set&key=K&value=V` SETs
 *   on the leader (`{"message": "Updated"}`), `?cmd=get&key=K` GETs from the follower
 *   (`{"data": "V"}`); with GET_HOSTS_FROM=env the hosts come from the service env vars. Redis
 *   is spoken over RESP through the cluster network; an unreachable redis gives PHP's fatal error.
 * - gb-redis-follower:v2 (gb-redisslave:v1/v3 for v4): a redis 6.0.5 replica of `redis-leader`
 *   (`redis-master`). Simulated replication: after the sync log lines it copies the leader's
 *   string keys once a second (KEYS + MGET) and answers reads from its copy; writes fail with
 *   `READONLY You can't write against a read only replica.`. Lists, hashes and sets are not copied.
 */
import type { ImageFamily, TagGroup } from './types';
import { DEFAULT_PATH, exe } from './types';
import { debianUserland, BULLSEYE } from './os';
import type { HttpRequest, HttpResponse, ProcessContext, RespValue } from '../program';
import { JESSIE } from './kubia';
import { apacheAccess, apacheStartup, apacheUntilStopped } from './apache-php';
import { globToRegex } from './redis-store';
import { formatDate } from '../tools/system';

export const GUESTBOOK_INDEX = `<html ng-app="redis">
  <head>
    <title>Guestbook</title>
    <link rel="stylesheet" href="//netdna.bootstrapcdn.com/bootstrap/3.1.1/css/bootstrap.min.css">
    <script src="https://ajax.googleapis.com/ajax/libs/angularjs/1.2.12/angular.min.js"></script>
    <script src="controllers.js"></script>
    <script src="https://cdnjs.cloudflare.com/ajax/libs/angular-ui-bootstrap/0.13.0/ui-bootstrap-tpls.js"></script>
  </head>
  <body ng-controller="RedisCtrl">
    <div style="width: 50%; margin-left: 20px">
      <h2>Guestbook</h2>
    <form>
    <fieldset>
    <input ng-model="msg" placeholder="Messages" class="form-control" type="text" name="input"><br>
    <button type="button" class="btn btn-primary" ng-click="controller.onRedis()">Submit</button>
    </fieldset>
    </form>
    <div>
      <div ng-repeat="msg in messages track by $index">
        {{msg}}
      </div>
    </div>
    </div>
  </body>
</html>
`;

export const GUESTBOOK_CONTROLLERS = `var redisApp = angular.module('redis', ['ui.bootstrap']);

/**
 * Constructor
 */
function RedisController() {}

RedisController.prototype.onRedis = function() {
    this.scope_.messages.push(this.scope_.msg);
    this.scope_.msg = "";
    var value = this.scope_.messages.join();
    this.http_.get("guestbook.php?cmd=set&key=messages&value=" + value)
            .success(angular.bind(this, function(data) {
                this.scope_.redisResponse = "Updated.";
            }));
};

redisApp.controller('RedisCtrl', function ($scope, $http, $location) {
        $scope.controller = new RedisController();
        $scope.controller.scope_ = $scope;
        $scope.controller.location_ = $location;
        $scope.controller.http_ = $http;

        $scope.controller.http_.get("guestbook.php?cmd=get&key=messages")
            .success(function(data) {
                console.log(data);
                $scope.messages = data.data.split(",");
            });
});
`;

function phpFatal(host: string, e: unknown): string {
  const code = (e as { code?: string })?.code;
  const reason = code === 'ENOTFOUND' ? 'php_network_getaddresses: getaddrinfo failed: Name or service not known' : `${(e as Error)?.message ?? 'Connection refused'} [tcp://${host}:6379]`;
  return `<br />\n<b>Fatal error</b>:  Uncaught exception 'Predis\\Connection\\ConnectionException' with message '${reason}' in /var/www/html/Predis/Connection/AbstractConnection.php:155\nStack trace:\n#0 /var/www/html/Predis/Connection/StreamConnection.php(128): Predis\\Connection\\AbstractConnection->onConnectionError('${reason}', 0)\n#1 {main}\n  thrown in <b>/var/www/html/Predis/Connection/AbstractConnection.php</b> on line <b>155</b><br />\n`;
}

async function guestbookPhp(ctx: ProcessContext, req: HttpRequest, names: { leader: string; follower: string }): Promise<HttpResponse> {
  const q = new URLSearchParams(req.path.includes('?') ? req.path.slice(req.path.indexOf('?') + 1) : '');
  const html = { 'Content-Type': 'text/html; charset=UTF-8', 'X-Powered-By': 'PHP/5.6.40' };
  const cmd = q.get('cmd');
  if (cmd === null) return { status: 200, headers: html, body: '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "DTD/xhtml1-transitional.dtd">\n<html xmlns="http://www.w3.org/1999/xhtml"><head>\n<title>phpinfo()</title></head>\n<body><div class="center">\n<h1 class="p">PHP Version 5.6.40</h1>\n</div></body></html>\n' };
  const fromEnv = ctx.env.get('GET_HOSTS_FROM') === 'env';
  const envHost = (svc: string) => ctx.env.get(`${svc.toUpperCase().replace(/-/g, '_')}_SERVICE_HOST`) ?? '';
  const json = { 'Content-Type': 'application/json', 'X-Powered-By': 'PHP/5.6.40' };
  if (cmd === 'set') {
    const host = fromEnv ? envHost(names.leader) : names.leader;
    try {
      await ctx.host.respRequest(host, 6379, ['SET', q.get('key') ?? '', q.get('value') ?? '']);
    } catch (e) {
      return { status: 200, headers: html, body: phpFatal(host, e) };
    }
    return { status: 200, headers: json, body: '{"message": "Updated"}' };
  }
  const host = fromEnv ? envHost(names.follower) : names.follower;
  let value: RespValue;
  try {
    value = await ctx.host.respRequest(host, 6379, ['GET', q.get('key') ?? '']);
  } catch (e) {
    return { status: 200, headers: html, body: phpFatal(host, e) };
  }
  return { status: 200, headers: json, body: `{"data": "${typeof value === 'string' ? value : ''}"}` };
}

async function gbFrontend(ctx: ProcessContext): Promise<number> {
  const legacy = ctx.host.fs.readFile('/etc/guestbook-redis-names').trim() === 'master';
  const names = legacy ? { leader: 'redis-master', follower: 'redis-slave' } : { leader: 'redis-leader', follower: 'redis-follower' };
  ctx.host.allocate(12_000_000);
  apacheStartup(ctx, '2.4.10', '5.6.40');
  ctx.host.listen(80, 'TCP', {
    address: '::',
    pid: ctx.pid,
    http: async (req) => {
      const path = req.path.split('?')[0]!;
      let r: HttpResponse;
      if (path === '/' || path === '/index.html') r = { status: 200, headers: { 'Content-Type': 'text/html' }, body: GUESTBOOK_INDEX };
      else if (path === '/controllers.js') r = { status: 200, headers: { 'Content-Type': 'application/javascript' }, body: GUESTBOOK_CONTROLLERS };
      else if (path === '/guestbook.php') r = await guestbookPhp(ctx, req, names);
      else
        r = {
          status: 404,
          headers: { 'Content-Type': 'text/html; charset=iso-8859-1' },
          body: `<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head>\n<title>404 Not Found</title>\n</head><body>\n<h1>Not Found</h1>\n<p>The requested URL ${path} was not found on this server.</p>\n<hr>\n<address>Apache/2.4.10 (Debian) Server at ${(req.headers.host ?? 'localhost').split(':')[0]} Port 80</address>\n</body></html>\n`,
        };
      r.headers = { Server: 'Apache/2.4.10 (Debian)', ...r.headers };
      apacheAccess(ctx, req, r.status, r.body);
      return r;
    },
  });
  return apacheUntilStopped(ctx);
}

const frontendGroups: TagGroup[] = [
  { tags: ['v5'], version: '5', sizeBytes: 131_422_009, variant: { names: 'leader' } },
  { tags: ['v4'], version: '4', sizeBytes: 130_817_754, variant: { names: 'master' } },
];

const frontend = (repository: string): ImageFamily => ({
  repository,
  config: { entrypoint: ['docker-php-entrypoint'], cmd: ['apache2-foreground'], workingDir: '/var/www/html', env: [DEFAULT_PATH, 'PHP_INI_DIR=/usr/local/etc/php', 'APACHE_CONFDIR=/etc/apache2', 'PHP_VERSION=5.6.40'], exposedPorts: ['80/tcp'] },
  groups: frontendGroups,
  files: (group) => ({
    ...debianUserland(JESSIE),
    '/usr/local/bin/docker-php-entrypoint': exe('gb-frontend', '#!/bin/sh\nset -e\n'),
    '/usr/local/bin/apache2-foreground': exe('gb-frontend'),
    '/var/www/html/index.html': GUESTBOOK_INDEX,
    '/var/www/html/controllers.js': GUESTBOOK_CONTROLLERS,
    '/var/www/html/guestbook.php': '<?php\n// cmd=set → SET on the leader; otherwise GET from the follower (simulated by kubesim)\n?>\n',
    '/etc/guestbook-redis-names': `${group.variant!.names}\n`,
  }),
  programs: { 'gb-frontend': gbFrontend },
});

/** `1:S 23 Nov 2026 10:00:00.000 * …` */
function redisLog(ctx: ProcessContext, role: 'C' | 'S', level: '*' | '#', msg: string): void {
  const ms = ctx.host.clock.now();
  ctx.stdout.write(`1:${role} ${formatDate(ms, '%d %b %Y %H:%M:%S')}.${String(ms % 1000).padStart(3, '0')} ${level} ${msg}\n`);
}

const WRITES = new Set(['SET', 'SETEX', 'SETNX', 'MSET', 'DEL', 'INCR', 'INCRBY', 'DECR', 'DECRBY', 'APPEND', 'EXPIRE', 'LPUSH', 'RPUSH', 'LPOP', 'RPOP', 'HSET', 'HDEL', 'SADD', 'SREM', 'FLUSHALL', 'FLUSHDB', 'RENAME', 'GETSET']);

async function redisFollower(ctx: ProcessContext): Promise<number> {
  const args = ctx.argv.slice(1);
  const i = args.findIndex((a) => a === '--replicaof' || a === '--slaveof');
  const master = i >= 0 ? args[i + 1]! : ctx.host.fs.readFile('/etc/redis-replicaof').trim();
  const masterPort = Number(i >= 0 ? args[i + 2] ?? 6379 : 6379);
  const data = new Map<string, string>();
  let linkUp = false;
  ctx.host.allocate(7_500_000);
  redisLog(ctx, 'C', '#', 'oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo');
  redisLog(ctx, 'C', '#', 'Redis version=6.0.5, bits=64, commit=00000000, modified=0, pid=1, just started');
  redisLog(ctx, 'C', '#', 'Configuration loaded');
  redisLog(ctx, 'S', '*', 'Running mode=standalone, port=6379.');
  redisLog(ctx, 'S', '#', 'Server initialized');
  redisLog(ctx, 'S', '*', 'Ready to accept connections');
  redisLog(ctx, 'S', '*', `Connecting to MASTER ${master}:${masterPort}`);
  redisLog(ctx, 'S', '*', 'MASTER <-> REPLICA sync started');
  const handler = (argv: string[]): RespValue => {
    const cmd = (argv[0] ?? '').toUpperCase();
    const a = argv.slice(1);
    if (WRITES.has(cmd)) return { error: "READONLY You can't write against a read only replica." };
    switch (cmd) {
      case 'PING':
        return a.length ? a[0]! : { status: 'PONG' };
      case 'ECHO':
        return a[0] ?? '';
      case 'GET':
        return data.get(a[0] ?? '') ?? null;
      case 'MGET':
        return a.map((k) => data.get(k) ?? null);
      case 'EXISTS':
        return a.filter((k) => data.has(k)).length;
      case 'KEYS': {
        const re = globToRegex(a[0] ?? '*');
        return [...data.keys()].filter((k) => re.test(k));
      }
      case 'DBSIZE':
        return data.size;
      case 'SELECT':
      case 'CLIENT':
        return { status: 'OK' };
      case 'ROLE':
        return ['slave', master, masterPort, linkUp ? 'connected' : 'connect', 0];
      case 'INFO':
        return `# Replication\r\nrole:slave\r\nmaster_host:${master}\r\nmaster_port:${masterPort}\r\nmaster_link_status:${linkUp ? 'up' : 'down'}\r\nslave_read_only:1\r\nconnected_slaves:0\r\n`;
      default:
        return { error: `ERR unknown command \`${argv[0] ?? ''}\`, with args beginning with: ${a.map((x) => `\`${x}\`, `).join('')}` };
    }
  };
  ctx.host.listen(6379, 'TCP', { address: '0.0.0.0', pid: ctx.pid, resp: handler });
  for (;;) {
    try {
      const keys = await ctx.host.respRequest(master, masterPort, ['KEYS', '*']);
      const list = Array.isArray(keys) ? keys.filter((k): k is string => typeof k === 'string') : [];
      const values = list.length ? await ctx.host.respRequest(master, masterPort, ['MGET', ...list]) : [];
      if (!linkUp) {
        linkUp = true;
        redisLog(ctx, 'S', '*', 'Non blocking connect for SYNC fired the event.');
        redisLog(ctx, 'S', '*', 'Master replied to PING, replication can continue...');
        redisLog(ctx, 'S', '*', 'Partial resynchronization not possible (no cached master)');
        redisLog(ctx, 'S', '*', `Full resync from master: ${'0'.repeat(40)}:0`);
        redisLog(ctx, 'S', '*', 'MASTER <-> REPLICA sync: receiving 175 bytes from master');
        redisLog(ctx, 'S', '*', 'MASTER <-> REPLICA sync: Flushing old data');
        redisLog(ctx, 'S', '*', 'MASTER <-> REPLICA sync: Loading DB in memory');
        redisLog(ctx, 'S', '*', 'MASTER <-> REPLICA sync: Finished with success');
      }
      data.clear();
      if (Array.isArray(values)) list.forEach((k, n) => typeof values[n] === 'string' && data.set(k, values[n] as string));
    } catch (e) {
      if (linkUp) {
        linkUp = false;
        redisLog(ctx, 'S', '#', 'Connection with master lost.');
        redisLog(ctx, 'S', '*', `Connecting to MASTER ${master}:${masterPort}`);
      } else if ((e as { code?: string }).code !== 'ENOTFOUND') {
        redisLog(ctx, 'S', '#', `Error condition on socket for SYNC: ${(e as Error).message}`);
      }
    }
    await ctx.host.sleep(1000);
  }
}

const followerFamily = (repository: string, groups: TagGroup[]): ImageFamily => ({
  repository,
  config: { entrypoint: ['docker-entrypoint.sh'], cmd: ['/run.sh'], workingDir: '/data', env: [DEFAULT_PATH, 'REDIS_VERSION=6.0.5'], exposedPorts: ['6379/tcp'] },
  groups,
  files: (group) => ({
    ...debianUserland(BULLSEYE),
    '/usr/local/bin/docker-entrypoint.sh': exe('gb-redis-follower'),
    '/run.sh': exe('gb-redis-follower'),
    '/usr/local/bin/redis-server': exe('gb-redis-follower'),
    '/usr/local/bin/redis-cli': exe('redis-cli'),
    '/etc/redis-replicaof': `${group.variant!.master}\n`,
    '/data': { kind: 'dir', mode: 0o755 },
  }),
  programs: { 'gb-redis-follower': redisFollower },
});

const FRONTEND_REPOS = ['gcr.io/google_samples/gb-frontend', 'gcr.io/google-samples/gb-frontend', 'us-docker.pkg.dev/google-samples/containers/gke/gb-frontend'];
const FOLLOWER_REPOS = ['gcr.io/google_samples/gb-redis-follower', 'gcr.io/google-samples/gb-redis-follower', 'us-docker.pkg.dev/google-samples/containers/gke/gb-redis-follower'];

export const guestbookFamilies: ImageFamily[] = [
  ...FRONTEND_REPOS.map(frontend),
  ...FOLLOWER_REPOS.map((r) => followerFamily(r, [{ tags: ['v2'], version: '6.0.5', sizeBytes: 38_502_266, variant: { master: 'redis-leader' } }])),
  followerFamily('gcr.io/google_samples/gb-redisslave', [
    { tags: ['v3'], version: '6.0.5', sizeBytes: 38_512_902, variant: { master: 'redis-master' } },
    { tags: ['v1'], version: '2.8.19', sizeBytes: 33_617_180, variant: { master: 'redis-master' } },
  ]),
];
