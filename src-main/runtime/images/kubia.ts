/**
 * luksa/kubia, the app of Kubernetes in Action: `node app.js` (ENTRYPOINT), port 8080, the
 * /app.js of each tag as the book's repositories have it.
 * - 1st edition (node:7, Debian jessie): `latest` answers `You've hit <hostname>`; `v1`–`v4`
 *   (chapter 9) answer `This is vN running in pod <hostname>`, `v3` fails with 500 from the 5th
 *   request on; luksa/kubia-unhealthy (chapter 4) answers 500 `I'm not well. Please restart me!`
 *   from the 6th. Each logs `Kubia server starting...` and `Received request from <client>`.
 * - 2nd edition (node:12, Debian buster): `1.0` answers `Hey there, this is <hostname>. Your IP
 *   is <client>. ` + newline (the trailing space is in app.js) and logs its hostname, port and
 *   `Received request for <url> from <client>`; `1.0-stdin` reads a new greeting per stdin line;
 *   `1.1` shuts down on SIGTERM. (`2.0`/`3.0` answer as `1.0`.)
 * Node as PID 1 installs no SIGTERM handler (except in 1.1), so a stop waits for SIGKILL.
 */
import type { ImageConfig, ImageFamily, TagGroup } from './types';
import { exe } from './types';
import { debianUserland, type DebianFlavor } from './os';
import type { HttpHandler, HttpResponse, ProcessContext } from '../program';
import { nodeProgram, registerNodeApp } from './node-runtime';

export const JESSIE: DebianFlavor = { prettyName: 'Debian GNU/Linux 8 (jessie)', id: 'debian', versionId: '8', codename: 'jessie', procps: true };
export const BUSTER: DebianFlavor = { prettyName: 'Debian GNU/Linux 10 (buster)', id: 'debian', versionId: '10', codename: 'buster', procps: true };

const PATH = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
/** node:7 (2017) and node:12 (mid 2020) image environments. */
export const NODE7_ENV = [PATH, 'NPM_CONFIG_LOGLEVEL=info', 'NODE_VERSION=7.10.1', 'YARN_VERSION=0.24.4'];
export const NODE12_ENV = [PATH, 'NODE_VERSION=12.18.1', 'YARN_VERSION=1.22.4'];

/** `FROM node:…` + `ENTRYPOINT ["node", "app.js"]`. */
export const NODE_APP_CONFIG: ImageConfig = { entrypoint: ['node', 'app.js'], cmd: [], workingDir: '', env: NODE7_ENV, exposedPorts: [] };

/** The files of a node:7 or node:12 image with the app at /app.js. */
export function nodeImageFiles(node: 7 | 12, app: string) {
  return { ...nodeBaseFiles(node === 7 ? JESSIE : BUSTER), '/app.js': app };
}

/** The node:N image (buildpack-deps: Debian with curl) without an app. */
export function nodeBaseFiles(flavor: DebianFlavor) {
  const tool = exe('gnu');
  return { ...debianUserland(flavor), '/usr/bin/curl': tool, '/usr/local/bin/node': exe('node'), '/usr/local/bin/nodejs': exe('node'), '/usr/local/bin/npm': exe('node') };
}

/** Chapter 2 (luksa/kubia, :latest). */
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

/** Chapter 4 (luksa/kubia-unhealthy). */
export const KUBIA_UNHEALTHY_APP = `const http = require('http');
const os = require('os');

console.log("Kubia server starting...");

var requestCount = 0;

var handler = function(request, response) {
  console.log("Received request from " + request.connection.remoteAddress);
  requestCount++;
  if (requestCount > 5) {
    response.writeHead(500);
    response.end("I'm not well. Please restart me!");
    return;
  }
  response.writeHead(200);
  response.end("You've hit " + os.hostname() + "\\n");
};

var www = http.createServer(handler);
www.listen(8080);
`;

/** Chapter 9 v1, v2, v4: the same app with another version string. */
function versionApp(v: string): string {
  return `const http = require('http');
const os = require('os');

console.log("Kubia server starting...");

var handler = function(request, response) {
  console.log("Received request from " + request.connection.remoteAddress);
  response.writeHead(200);
  response.end("This is ${v} running in pod " + os.hostname() + "\\n");
};

var www = http.createServer(handler);
www.listen(8080);
`;
}

/** Chapter 9 v3: fails from the 5th request on. */
export const KUBIA_V3_APP = `const http = require('http');
const os = require('os');

var requestCount = 0;

console.log("Kubia server starting...");

var handler = function(request, response) {
  console.log("Received request from " + request.connection.remoteAddress);
  if (++requestCount >= 5) {
    response.writeHead(500);
    response.end("Some internal error has occurred! This is pod " + os.hostname() + "\\n");
    return;
  }
  response.writeHead(200);
  response.end("This is v3 running in pod " + os.hostname() + "\\n");
};

var www = http.createServer(handler);
www.listen(8080);
`;

const SECOND_HEAD = `const http = require('http');
const os = require('os');
`;

const SECOND_BODY = `
const listenPort = 8080;
`;

const SECOND_HANDLER = (greeting: string) => `
let handler = function(request, response) {
  let clientIP = request.connection.remoteAddress;
  console.log("Received request for " + request.url + " from " + clientIP);
  response.writeHead(200);
  response.write(${greeting} + ", this is " + os.hostname() + ". ");
  response.write("Your IP is " + clientIP + ". ");
  response.end("\\n");
};

let server = http.createServer(handler);
server.listen(listenPort);
`;

const SECOND_START = `
console.log("Kubia server starting...");
console.log("Local hostname is " + os.hostname());
console.log("Listening on port " + listenPort);
`;

/** 2nd edition, chapter 2: luksa/kubia:1.0. */
export const KUBIA_APP_2ND = SECOND_HEAD + SECOND_BODY + SECOND_START + SECOND_HANDLER('"Hey there"').replace('response.write("Hey there" + ", this is "', 'response.write("Hey there, this is "');

/** 2nd edition, chapter 5: luksa/kubia:1.0-stdin (a new greeting per line of stdin). */
export const KUBIA_STDIN_APP =
  SECOND_HEAD.replace("const os = require('os');\n", "const os = require('os');\nconst readline = require('readline');\n") +
  SECOND_BODY +
  '\nvar greeting = "Hey there";\n' +
  SECOND_START +
  SECOND_HANDLER('greeting') +
  `
let rl = readline.createInterface({
  input: process.stdin,
  output: process.stdout,
  terminal: false
});

rl.on('line', function(line) {
  if (line.trim() === "") {
    console.error("Enter new greeting and press ENTER.");
  } else {
    greeting = line;
    console.log("Greeting set to: " + line);
  }
});
`;

/** 2nd edition, chapter 6: luksa/kubia:1.1 (graceful shutdown on SIGTERM). */
export const KUBIA_1_1_APP =
  KUBIA_APP_2ND +
  `
process.on('SIGTERM', function () {
  console.log("Received SIGTERM. Server shutting down...");
  server.close(function () {
    process.exit(0);
  });
});
`;

const text = (body: string): HttpResponse => ({ status: 200, body });

/** A 1st-edition app: `Kubia server starting...`, one log line per request, `answer(n)` for the n-th request. */
function firstEdition(answer: (n: number, host: string) => HttpResponse) {
  return async (ctx: ProcessContext): Promise<number> => {
    ctx.host.allocate(9_800_000);
    ctx.stdout.write('Kubia server starting...\n');
    let n = 0;
    ctx.host.listen(8080, 'TCP', {
      address: '::',
      pid: ctx.pid,
      http: (req) => {
        ctx.stdout.write(`Received request from ${req.remoteAddress}\n`);
        return answer(++n, ctx.host.hostname);
      },
    });
    return ctx.host.forever();
  };
}

/** A 2nd-edition app; `stdin`: greetings from stdin lines; `sigterm`: exits 0 on SIGTERM. */
function secondEdition(opts: { stdin?: boolean; sigterm?: boolean } = {}) {
  return async (ctx: ProcessContext): Promise<number> => {
    ctx.host.allocate(11_500_000);
    const host = ctx.host.hostname;
    ctx.stdout.write(`Kubia server starting...\nLocal hostname is ${host}\nListening on port 8080\n`);
    let greeting = 'Hey there';
    const http: HttpHandler = (req) => {
      ctx.stdout.write(`Received request for ${req.path} from ${req.remoteAddress}\n`);
      return text(`${greeting}, this is ${host}. Your IP is ${req.remoteAddress}. \n`);
    };
    const listener = ctx.host.listen(8080, 'TCP', { address: '::', pid: ctx.pid, http });
    if (opts.stdin) {
      void (async () => {
        for (;;) {
          const line = await ctx.stdin.readLine();
          if (line === null) return;
          if (line.trim() === '') ctx.stderr.write('Enter new greeting and press ENTER.\n');
          else {
            greeting = line;
            ctx.stdout.write(`Greeting set to: ${line}\n`);
          }
        }
      })().catch(() => {});
    }
    if (!opts.sigterm) return ctx.host.forever();
    let stop!: () => void;
    const stopped = new Promise<void>((r) => (stop = r));
    ctx.host.onSignal('SIGTERM', () => stop());
    await Promise.race([stopped, ctx.host.forever()]);
    ctx.stdout.write('Received SIGTERM. Server shutting down...\n');
    listener.close();
    return 0;
  };
}

registerNodeApp(KUBIA_APP, firstEdition((_n, host) => text(`You've hit ${host}\n`)));
registerNodeApp(
  KUBIA_UNHEALTHY_APP,
  firstEdition((n, host) => (n > 5 ? { status: 500, body: "I'm not well. Please restart me!" } : text(`You've hit ${host}\n`))),
);
for (const v of ['v1', 'v2', 'v4']) registerNodeApp(versionApp(v), firstEdition((_n, host) => text(`This is ${v} running in pod ${host}\n`)));
registerNodeApp(
  KUBIA_V3_APP,
  firstEdition((n, host) => (n >= 5 ? { status: 500, body: `Some internal error has occurred! This is pod ${host}\n` } : text(`This is v3 running in pod ${host}\n`))),
);
registerNodeApp(KUBIA_APP_2ND, secondEdition());
registerNodeApp(KUBIA_STDIN_APP, secondEdition({ stdin: true }));
registerNodeApp(KUBIA_1_1_APP, secondEdition({ sigterm: true }));

const APPS: Record<string, { node: 7 | 12; app: string }> = {
  latest: { node: 7, app: KUBIA_APP },
  unhealthy: { node: 7, app: KUBIA_UNHEALTHY_APP },
  v1: { node: 7, app: versionApp('v1') },
  v2: { node: 7, app: versionApp('v2') },
  v3: { node: 7, app: KUBIA_V3_APP },
  v4: { node: 7, app: versionApp('v4') },
  '1.0': { node: 12, app: KUBIA_APP_2ND },
  '1.0-stdin': { node: 12, app: KUBIA_STDIN_APP },
  '1.1': { node: 12, app: KUBIA_1_1_APP },
};

const g = (tags: string[], sizeBytes: number, app: keyof typeof APPS): TagGroup => {
  const node = APPS[app]!.node;
  return { tags, version: node === 7 ? '7.10.1' : '12.18.1', sizeBytes, variant: { app }, config: node === 12 ? { env: NODE12_ENV } : undefined };
};

function kubiaFiles(group: TagGroup) {
  const a = APPS[group.variant!.app!]!;
  return nodeImageFiles(a.node, a.app);
}

export const kubia: ImageFamily = {
  repository: 'docker.io/luksa/kubia',
  config: NODE_APP_CONFIG,
  groups: [
    g(['latest'], 250_925_312, 'latest'),
    g(['v1'], 250_925_390, 'v1'),
    g(['v2'], 250_925_401, 'v2'),
    g(['v3'], 250_925_633, 'v3'),
    g(['v4'], 250_925_644, 'v4'),
    g(['1.0'], 335_931_216, '1.0'),
    g(['1.0-stdin'], 335_931_598, '1.0-stdin'),
    g(['1.1'], 335_931_402, '1.1'),
    g(['2.0'], 335_931_441, '1.0'),
    g(['3.0'], 335_931_487, '1.0'),
    g(['unhealthy'], 250_925_702, 'unhealthy'),
  ],
  files: kubiaFiles,
  programs: { node: nodeProgram },
};

export const kubiaUnhealthy: ImageFamily = {
  repository: 'docker.io/luksa/kubia-unhealthy',
  config: NODE_APP_CONFIG,
  groups: [g(['latest'], 250_925_702, 'unhealthy')],
  files: kubiaFiles,
};
