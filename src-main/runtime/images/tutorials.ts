/**
 * Images of the seed tutorials. Seed 001 ("A complete Kubernetes tutorial, part II"):
 * - kubernetes-tutorial-frontend: nginx 1.17.5 on Alpine 3.10 (no entrypoint scripts, error log
 *   at `warn`: silent at start; access log in the `combined` format, as the seed's
 *   `kubectl logs frontend-…` shows), proxying everything to the `app` Service on port 1323. It
 *   names the upstream through a variable and cluster DNS (`resolver`), so it starts (and stays
 *   Running) before the `app` Service exists, as in the seed.
 * - kubernetes-tutorial-backend: a Go echo v3 server on :1323 (prints echo's banner, no access
 *   log): `GET /healthz` → ✓, `GET /users/:id` → the counter in redis (0 when missing),
 *   `POST /users/:id` → INCR; redis at `$REDIS_URL` (`redis:6379`). Errors as echo renders them.
 * Also the getting-started-k8s Node app (silent, port 8080) and google-samples/hello-app.
 */
import type { ImageFamily } from './types';
import { DEFAULT_PATH, exe } from './types';
import { busyboxUserland } from './os';
import { nginxConf, nginxFiles } from './nginx-files';
import type { HttpResponse, ProcessContext } from '../program';
import { formatDate } from '../tools/system';

const ECHO_BANNER = `
   ____    __
  / __/___/ /  ___
 / _// __/ _ \\/ _ \\
/___/\\__/_//_/\\___/ v3.3.10-dev
High performance, minimalist Go web framework
https://echo.labstack.com
____________________________________O/_______
                                    O\\
`;

/** The frontend's conf.d/default.conf: everything to the app Service, resolved per request. */
export const FRONTEND_CONF = `server {
    listen 80;
    resolver 10.96.0.10 valid=10s;
    set $app http://app.default.svc.cluster.local:1323;

    location / {
        proxy_pass $app;
    }
}
`;

export const tutorialFrontend: ImageFamily = {
  repository: 'docker.io/c1524db4f1/kubernetes-tutorial-frontend',
  config: { entrypoint: [], cmd: ['nginx', '-g', 'daemon off;'], workingDir: '', env: [DEFAULT_PATH, 'NGINX_VERSION=1.17.5', 'NJS_VERSION=0.3.6', 'PKG_RELEASE=1'], exposedPorts: ['80/tcp'], stopSignal: 'SIGTERM' },
  groups: [
    { tags: ['v0.2.0'], version: '1.17.5', sizeBytes: 8_892_417 },
    { tags: ['v0.1.0'], version: '1.17.5', sizeBytes: 8_892_301 },
  ],
  files: () => ({
    ...nginxFiles({ version: '1.17.5', base: '3.10' }),
    '/etc/nginx/nginx.conf': nginxConf('1.17.5', true).replace('access_log  /var/log/nginx/access.log  main;', 'access_log  /var/log/nginx/access.log  combined;'),
    '/etc/nginx/conf.d/default.conf': FRONTEND_CONF,
    '/etc/busybox-version': '1.30.1\n',
  }),
};

const TEXT = 'text/plain; charset=UTF-8';
const JSON_TYPE = 'application/json; charset=UTF-8';

function reply(status: number, type: string, body: string): HttpResponse {
  return { status, headers: { 'Content-Type': type, 'Content-Length': String(Buffer.byteLength(body)) }, body };
}

/** echo's default error body: `{"message":"Not Found"}` plus the encoder's newline. */
function echoError(status: number, message: string): HttpResponse {
  return reply(status, JSON_TYPE, `{"message":"${message}"}\n`);
}

async function echoServer(ctx: ProcessContext): Promise<number> {
  ctx.stdout.write(ECHO_BANNER);
  ctx.stdout.write('⇨ http server started on [::]:1323\n');
  ctx.host.allocate(6_500_000);
  const url = (ctx.env.get('REDIS_URL') ?? 'localhost:6379').replace(/^redis:\/\//, '').replace(/\/.*$/, '');
  const colon = url.lastIndexOf(':');
  const redisHost = colon > 0 ? url.slice(0, colon) : url;
  const redisPort = colon > 0 ? Number(url.slice(colon + 1)) || 6379 : 6379;
  ctx.host.listen(1323, 'TCP', {
    address: '::',
    pid: ctx.pid,
    http: async (req) => {
      const path = req.path.split('?')[0]!;
      if (path === '/healthz') return req.method === 'GET' ? reply(200, TEXT, '✓') : echoError(405, 'Method Not Allowed');
      const user = /^\/users\/([^/]+)$/.exec(path)?.[1];
      if (user === undefined) return echoError(404, 'Not Found');
      if (req.method !== 'GET' && req.method !== 'POST') return echoError(405, 'Method Not Allowed');
      try {
        const r = await ctx.host.respRequest(redisHost, redisPort, req.method === 'GET' ? ['GET', `user:${user}`] : ['INCR', `user:${user}`]);
        if (r !== null && typeof r === 'object' && 'error' in r) return echoError(500, 'Internal Server Error');
        return reply(200, TEXT, String(r ?? 0));
      } catch {
        return echoError(500, 'Internal Server Error');
      }
    },
  });
  return ctx.host.forever();
}

export const tutorialBackend: ImageFamily = {
  repository: 'docker.io/c1524db4f1/kubernetes-tutorial-backend',
  config: { entrypoint: [], cmd: ['/bin/app'], workingDir: '', env: [DEFAULT_PATH], exposedPorts: ['1323/tcp'] },
  groups: [
    { tags: ['v0.3.0'], version: '0.3.0', sizeBytes: 9_734_502 },
    { tags: ['v0.2.0'], version: '0.2.0', sizeBytes: 9_730_118 },
  ],
  // a Go binary on Alpine 3.9 (busybox 1.28: the seed's `nslookup redis` output format)
  files: () => ({ ...busyboxUserland(), '/etc/alpine-release': '3.9.4\n', '/etc/busybox-version': '1.28.4\n', '/bin/app': exe('echo-server') }),
  programs: { 'echo-server': echoServer },
};

const GETTING_STARTED_APP = `// Sample node.js web app
var express = require('express'),
    app = express();

app.set('view engine', 'pug');

app.get('/', function(req, res){
    res.render('home', {});
});

app.listen(8080);
module.exports.getApp = app;
`;

function gettingStarted(repository: string): ImageFamily {
  return {
    repository,
    config: { entrypoint: ['node', './app.js'], cmd: [], workingDir: '/src', env: [DEFAULT_PATH, 'NODE_VERSION=14.17.0'], exposedPorts: ['8080/tcp'] },
    groups: [
      { tags: ['1.0', 'latest'], version: '1.0', sizeBytes: 39_208_114 },
      { tags: ['2.0'], version: '2.0', sizeBytes: 39_208_209 },
    ],
    files: () => ({ ...busyboxUserland(), '/usr/local/bin/node': exe('node'), '/src/app.js': GETTING_STARTED_APP }),
  };
}

export const nigelGettingStarted = gettingStarted('docker.io/nigelpoulton/getting-started-k8s');
export const adritaGettingStarted = gettingStarted('docker.io/adritasharma/getting-started-k8s');

/** gcr.io/google-samples/hello-app (GKE quickstarts): a Go server answering "Hello, world!". */
async function helloApp(ctx: ProcessContext): Promise<number> {
  const version = ctx.host.fs.stat('/etc/hello-version') ? ctx.host.fs.readFile('/etc/hello-version').trim() : '1.0.0';
  const port = Number(ctx.env.get('PORT') || 8080);
  const stamp = () => formatDate(ctx.host.clock.now(), '%Y/%m/%d %H:%M:%S');
  ctx.stdout.write(`${stamp()} Server listening on port ${port}\n`);
  ctx.host.allocate(4_200_000);
  ctx.host.listen(port, 'TCP', {
    address: '::',
    pid: ctx.pid,
    http: (req) => {
      ctx.stdout.write(`${stamp()} Serving request: ${req.path.split('?')[0]}\n`);
      return { status: 200, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: `Hello, world!\nVersion: ${version}\nHostname: ${ctx.host.hostname}\n` };
    },
  });
  return ctx.host.forever();
}

export const helloAppImage: ImageFamily = {
  repository: 'gcr.io/google-samples/hello-app',
  config: { entrypoint: [], cmd: ['/hello-app'], workingDir: '', env: [DEFAULT_PATH], exposedPorts: [] },
  groups: [
    { tags: ['1.0'], version: '1.0.0', sizeBytes: 10_734_102 },
    { tags: ['2.0'], version: '2.0.0', sizeBytes: 10_734_188 },
  ],
  files: (group) => ({ ...busyboxUserland(), '/hello-app': exe('hello-app'), '/etc/hello-version': `${group.version}\n` }),
  programs: { 'hello-app': helloApp },
};
