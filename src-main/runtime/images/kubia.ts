/**
 * luksa/kubia (Kubernetes in Action): `node app.js` on node:7, prints `Kubia server starting...`
 * and serves `You've hit <hostname>` on 8080. Variants differ in HTTP behaviour (network issue):
 * v2 answers "This is v2 …", v3 and kubia-unhealthy fail after the 5th request, v4 has a
 * readiness twist. Node as PID 1 installs no SIGTERM handler, so a stop waits for SIGKILL.
 */
import type { ImageFamily, TagGroup } from './types';
import { exe } from './types';
import { debianUserland, type DebianFlavor } from './os';
import type { ProcessContext } from '../program';
import { resolvePath } from '../vfs';

const JESSIE: DebianFlavor = { prettyName: 'Debian GNU/Linux 8 (jessie)', id: 'debian', versionId: '8', codename: 'jessie', procps: true };

const NODE_ENV = ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'NPM_CONFIG_LOGLEVEL=info', 'NODE_VERSION=7.10.1', 'YARN_VERSION=0.24.4'];

const g = (tags: string[], sizeBytes: number, behaviour: string): TagGroup => ({ tags, version: '7.10.1', sizeBytes, variant: { behaviour } });

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

function kubiaFiles(group: TagGroup) {
  return {
    ...debianUserland(JESSIE),
    '/usr/local/bin/node': exe('node'),
    '/usr/local/bin/nodejs': exe('node'),
    '/app.js': KUBIA_APP,
    '/etc/kubia-behaviour': group.variant!.behaviour!,
  };
}

export const kubia: ImageFamily = {
  repository: 'docker.io/luksa/kubia',
  config: { entrypoint: ['node', 'app.js'], cmd: [], workingDir: '', env: NODE_ENV, exposedPorts: [] },
  groups: [
    g(['latest'], 250_925_312, 'hostname'),
    g(['v1'], 250_925_390, 'hostname'),
    g(['v2'], 250_925_401, 'v2'),
    g(['v3'], 250_925_633, 'fail-after-5'),
    g(['v4'], 250_925_644, 'v4'),
    g(['1.0'], 251_060_441, 'hostname'),
    g(['2.0'], 251_060_512, 'v2'),
    g(['3.0'], 251_060_587, 'fail-after-5'),
    g(['unhealthy'], 250_925_702, 'fail-after-5'),
  ],
  files: kubiaFiles,
  programs: { node: (ctx) => node(ctx) },
};

export const kubiaUnhealthy: ImageFamily = {
  repository: 'docker.io/luksa/kubia-unhealthy',
  config: kubia.config,
  groups: [g(['latest'], 250_925_702, 'fail-after-5')],
  files: kubiaFiles,
};

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
  const started = /console\.log\("([^"]*)"\)/.exec(text)?.[1];
  if (started) ctx.stdout.write(started + '\n');
  const port = /listen\((\d+)\)/.exec(text)?.[1];
  if (port) ctx.host.listen(Number(port));
  else return 0;
  return ctx.host.forever();
}
