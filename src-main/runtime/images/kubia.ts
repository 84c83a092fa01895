/**
 * luksa/kubia (Kubernetes in Action): `node app.js` on node:7. 1st edition (latest, v1–v4,
 * unhealthy): prints `Kubia server starting...`, answers `You've hit <hostname>` on 8080; v2/v3
 * answer "This is vN running in pod …", v3 fails from the 5th request, kubia-unhealthy from the
 * 6th. 2nd edition (1.0, 2.0, 3.0): also logs its hostname and port and answers
 * `Hey there, this is <hostname>. Your IP is <client>.` Node as PID 1 installs no SIGTERM
 * handler, so a stop waits for the kubelet's SIGKILL.
 */
import type { ImageFamily, TagGroup } from './types';
import { exe } from './types';
import { debianUserland, type DebianFlavor } from './os';
import type { HttpHandler, ProcessContext } from '../program';
import { resolvePath } from '../vfs';

const JESSIE: DebianFlavor = { prettyName: 'Debian GNU/Linux 8 (jessie)', id: 'debian', versionId: '8', codename: 'jessie', procps: true };

const NODE_ENV = ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'NPM_CONFIG_LOGLEVEL=info', 'NODE_VERSION=7.10.1', 'YARN_VERSION=0.24.4'];

const g = (tags: string[], sizeBytes: number, behaviour: Behaviour): TagGroup => ({ tags, version: '7.10.1', sizeBytes, variant: { behaviour } });

type Behaviour = 'v1' | 'v2' | 'v3' | 'unhealthy' | 'v4' | 'second-edition';

/** Kubernetes in Action, 1st edition: app.js of luksa/kubia (v1). */
export const KUBIA_APP = `const http = require('http');
const os = require('os');

console.log("Kubia server starting...");

var handler = function(request, response) {
  console.log("Received request from " + request.connection.remoteAddress);
  response.writeHead(200);
  response.end("You've hit " + os.hostname() + "\\n");
};

var www = http.createServer(handler);
www.listen(8080);
`;

/** Kubernetes in Action, 2nd edition: app.js of luksa/kubia:1.0. */
export const KUBIA_APP_2ND = `const http = require('http');
const os = require('os');

const listenPort = 8080;

console.log("Kubia server starting...");
console.log("Local hostname is", os.hostname());
console.log("Listening on port", listenPort);

var handler = function(request, response) {
  let clientIP = request.connection.remoteAddress;
  console.log("Received request for "+request.url+" from "+clientIP);
  response.writeHead(200);
  response.write("Hey there, this is "+os.hostname()+". ");
  response.write("Your IP is "+clientIP+".");
  response.end("\\n");
};

var server = http.createServer(handler);
server.listen(listenPort);
`;

function kubiaFiles(group: TagGroup) {
  const behaviour = group.variant!.behaviour as Behaviour;
  return {
    ...debianUserland(JESSIE),
    '/usr/local/bin/node': exe('node'),
    '/usr/local/bin/nodejs': exe('node'),
    '/app.js': behaviour === 'second-edition' ? KUBIA_APP_2ND : KUBIA_APP,
    '/etc/kubia-behaviour': behaviour,
  };
}

export const kubia: ImageFamily = {
  repository: 'docker.io/luksa/kubia',
  config: { entrypoint: ['node', 'app.js'], cmd: [], workingDir: '', env: NODE_ENV, exposedPorts: [] },
  groups: [
    g(['latest'], 250_925_312, 'v1'),
    g(['v1'], 250_925_390, 'v1'),
    g(['v2'], 250_925_401, 'v2'),
    g(['v3'], 250_925_633, 'v3'),
    g(['v4'], 250_925_644, 'v4'),
    g(['1.0'], 251_060_441, 'second-edition'),
    g(['2.0'], 251_060_512, 'second-edition'),
    g(['3.0'], 251_060_587, 'second-edition'),
    g(['unhealthy'], 250_925_702, 'unhealthy'),
  ],
  files: kubiaFiles,
  programs: { node: (ctx) => node(ctx) },
};

export const kubiaUnhealthy: ImageFamily = {
  repository: 'docker.io/luksa/kubia-unhealthy',
  config: kubia.config,
  groups: [g(['latest'], 250_925_702, 'unhealthy')],
  files: kubiaFiles,
};

/** The kubia apps' answers, per image variant (1st edition v1–v4 and unhealthy, 2nd edition). */
function kubiaHandler(ctx: ProcessContext, behaviour: Behaviour): HttpHandler {
  let requests = 0;
  const host = ctx.host.hostname;
  return (req) => {
    requests++;
    if (behaviour === 'second-edition') {
      ctx.stdout.write(`Received request for ${req.path} from ${req.remoteAddress}\n`);
      return { status: 200, body: `Hey there, this is ${host}. Your IP is ${req.remoteAddress}.\n` };
    }
    ctx.stdout.write(`Received request from ${req.remoteAddress}\n`);
    if (behaviour === 'unhealthy' && requests > 5) return { status: 500, body: "I'm not well. Please restart me!" };
    if (behaviour === 'v3' && requests > 4) return { status: 500, body: `Some internal error has occurred! This is pod ${host}\n` };
    if (behaviour === 'v2') return { status: 200, body: `This is v2 running in pod ${host}\n` };
    if (behaviour === 'v3') return { status: 200, body: `This is v3 running in pod ${host}\n` };
    if (behaviour === 'v4') return { status: 200, body: `This is v4 running in pod ${host}\n` };
    return { status: 200, body: `You've hit ${host}\n` };
  };
}

/** `node <script>`: the kubia app when the script is there, node's own error when it is not. */
async function node(ctx: ProcessContext): Promise<number> {
  const script = ctx.argv[1];
  if (script === '--version' || script === '-v') {
    ctx.stdout.write(`v${ctx.env.get('NODE_VERSION') ?? '7.10.1'}\n`);
    return 0;
  }
  if (script === undefined) {
    // the REPL, reading from a closed stdin, ends at once
    return 0;
  }
  const path = resolvePath(ctx.cwd, script);
  if (ctx.host.fs.stat(path)?.kind !== 'file') {
    ctx.stderr.write(
      `module.js:471\n    throw err;\n    ^\n\nError: Cannot find module '${path}'\n    at Function.Module._resolveFilename (module.js:469:15)\n    at Function.Module._load (module.js:417:25)\n    at Module.runMain (module.js:604:10)\n    at run (bootstrap_node.js:389:7)\n    at startup (bootstrap_node.js:149:9)\n    at bootstrap_node.js:502:3\n`,
    );
    return 1;
  }
  ctx.host.allocate(9_800_000);
  const text = ctx.host.fs.readFile(path);
  const behaviour = text === KUBIA_APP_2ND ? 'second-edition' : text === KUBIA_APP ? readBehaviour(ctx) : undefined;
  if (behaviour === 'second-edition') {
    ctx.stdout.write(`Kubia server starting...\nLocal hostname is ${ctx.host.hostname}\nListening on port 8080\n`);
  } else {
    // an unknown script: print its literal console.log lines, listen where it listens
    for (const m of text.matchAll(/console\.log\((["'])((?:(?!\1).)*)\1\)/g)) ctx.stdout.write(m[2] + '\n');
  }
  const port = /listen\((\d+)\)/.exec(text)?.[1] ?? (/listen\(listenPort\)/.test(text) ? /listenPort\s*=\s*(\d+)/.exec(text)?.[1] : undefined);
  if (!port) return 0;
  ctx.host.listen(Number(port), 'TCP', { address: '::', pid: ctx.pid, http: behaviour ? kubiaHandler(ctx, behaviour) : undefined });
  return ctx.host.forever();
}

function readBehaviour(ctx: ProcessContext): Behaviour {
  const f = '/etc/kubia-behaviour';
  return ctx.host.fs.stat(f) ? (ctx.host.fs.readFile(f).trim() as Behaviour) : 'v1';
}
