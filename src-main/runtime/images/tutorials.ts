/**
 * Images of the seed tutorials: the "kubernetes-tutorial" frontend (nginx 1.17 on alpine, no
 * entrypoint scripts, error log at `warn`: silent at start) and backend (a Go echo server that
 * prints echo's banner), and the getting-started-k8s Node app (silent, port 8080).
 */
import type { ImageFamily } from './types';
import { DEFAULT_PATH, exe } from './types';
import { busyboxUserland } from './os';
import { NGINX_CONF } from './nginx';
import type { ProcessContext } from '../program';
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

export const tutorialFrontend: ImageFamily = {
  repository: 'docker.io/c1524db4f1/kubernetes-tutorial-frontend',
  config: { entrypoint: [], cmd: ['nginx', '-g', 'daemon off;'], workingDir: '', env: [DEFAULT_PATH, 'NGINX_VERSION=1.17.6'], exposedPorts: ['80/tcp'], stopSignal: 'SIGTERM' },
  groups: [
    { tags: ['v0.2.0'], version: '1.17.6', sizeBytes: 8_892_417 },
    { tags: ['v0.1.0'], version: '1.17.6', sizeBytes: 8_892_301 },
  ],
  files: () => ({
    ...busyboxUserland(),
    '/etc/alpine-release': '3.10.3\n',
    '/usr/sbin/nginx': exe('nginx'),
    '/etc/nginx/nginx.conf': NGINX_CONF.replace('error_log  /var/log/nginx/error.log notice;', 'error_log  /var/log/nginx/error.log warn;').replace('access_log  /var/log/nginx/access.log  main;', 'access_log  /var/log/nginx/access.log  combined;'),
    '/etc/nginx/conf.d/default.conf': 'server {\n    listen 80;\n    location / {\n        proxy_pass http://app:1323;\n    }\n}\n',
  }),
};

async function echoServer(ctx: ProcessContext): Promise<number> {
  ctx.stdout.write(ECHO_BANNER);
  ctx.stdout.write('⇨ http server started on [::]:1323\n');
  ctx.host.allocate(6_500_000);
  // the tutorial's Go app: /healthz answers a check mark; GET/POST /users/:id read/increment a counter in Redis ($REDIS_URL)
  const [redisHost, redisPort] = (ctx.env.get('REDIS_URL') ?? 'localhost:6379').replace(/^redis:\/\//, '').split(':');
  const text = { 'Content-Type': 'text/plain; charset=UTF-8' };
  const json = { 'Content-Type': 'application/json; charset=UTF-8' };
  ctx.host.listen(1323, 'TCP', {
    address: '::',
    pid: ctx.pid,
    http: async (req) => {
      const path = req.path.split('?')[0]!;
      if (req.method === 'GET' && path === '/healthz') return { status: 200, headers: text, body: '✓' };
      const user = /^\/users\/(\d+)$/.exec(path)?.[1];
      if (user && (req.method === 'GET' || req.method === 'POST')) {
        try {
          const reply = await ctx.host.respRequest(redisHost!, Number(redisPort ?? 6379), req.method === 'GET' ? ['GET', `user:${user}`] : ['INCR', `user:${user}`]);
          return { status: 200, headers: text, body: String(reply ?? 0) };
        } catch {
          return { status: 500, headers: json, body: '{"message":"Internal Server Error"}\n' };
        }
      }
      return { status: 404, headers: json, body: '{"message":"Not Found"}\n' };
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
  files: () => ({ ...busyboxUserland(), '/bin/app': exe('echo-server') }),
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
