/**
 * The kubernetes.io "Learn Kubernetes Basics" app: gcr.io/google-samples/kubernetes-bootcamp
 * (and its docker.io/jocatalin mirror, which the rolling-update module uses for v2). `node
 * server.js` on node 6.3.1 (Debian jessie, bash and curl inside, /server.js at the root), port
 * 8080: every request answers `Hello Kubernetes bootcamp! | Running on: <$HOSTNAME> | v=N` with
 * `Content-Type: text/plain`. Logs `Kubernetes Bootcamp App Started At: <ISO time> | Running On:
 * <host> ` plus an empty line at start, and per request `Running On: <host> | Total Requests: n |
 * App Uptime: s seconds | Log Time: <ISO time>`.
 */
import type { ImageFamily, TagGroup } from './types';
import type { ProcessContext } from '../program';
import { nodeBaseFiles, JESSIE } from './kubia';
import { registerNodeApp } from './node-runtime';

export function bootcampSource(v: number): string {
  return `var http = require('http');
var requests=0;
var podname= process.env.HOSTNAME;
var startTime;
var host;
var handleRequest = function(request, response) {
  response.setHeader('Content-Type', 'text/plain');
  response.writeHead(200);
  response.write("Hello Kubernetes bootcamp! | Running on: ");
  response.write(host);
  response.end(" | v=${v}\\n");
  console.log("Running On:" ,host, "| Total Requests:", ++requests,"| App Uptime:", (new Date() - startTime)/1000 , "seconds", "| Log Time:",new Date());
}
var www = http.createServer(handleRequest);
www.listen(8080,function () {
    startTime = new Date();;
    host = process.env.HOSTNAME;
    console.log ("Kubernetes Bootcamp App Started At:",startTime, "| Running On: " ,host, "\\n" );
});
`;
}

function bootcampApp(v: number) {
  return async (ctx: ProcessContext): Promise<number> => {
    ctx.host.allocate(8_900_000);
    const host = ctx.env.get('HOSTNAME') ?? ctx.host.hostname;
    const iso = (ms: number) => new Date(ms).toISOString();
    let requests = 0;
    ctx.host.listen(8080, 'TCP', {
      address: '::',
      pid: ctx.pid,
      http: () => {
        const now = ctx.host.clock.now();
        ctx.stdout.write(`Running On: ${host} | Total Requests: ${++requests} | App Uptime: ${(now - startTime) / 1000} seconds | Log Time: ${iso(now)}\n`);
        return { status: 200, headers: { 'Content-Type': 'text/plain' }, body: `Hello Kubernetes bootcamp! | Running on: ${host} | v=${v}\n` };
      },
    });
    const startTime = ctx.host.clock.now();
    ctx.stdout.write(`Kubernetes Bootcamp App Started At: ${iso(startTime)} | Running On:  ${host} \n\n`);
    return ctx.host.forever();
  };
}

for (const v of [1, 2]) registerNodeApp(bootcampSource(v), bootcampApp(v));

const groups: TagGroup[] = [
  { tags: ['v1'], version: '1', sizeBytes: 70_371_218, variant: { v: '1' } },
  { tags: ['v2'], version: '2', sizeBytes: 70_371_236, variant: { v: '2' } },
];

function bootcamp(repository: string): ImageFamily {
  return {
    repository,
    config: { entrypoint: [], cmd: ['/bin/sh', '-c', 'node server.js'], workingDir: '', env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'NPM_CONFIG_LOGLEVEL=info', 'NODE_VERSION=6.3.1'], exposedPorts: ['8080/tcp'] },
    groups,
    files: (group) => ({ ...nodeBaseFiles(JESSIE), '/server.js': bootcampSource(Number(group.variant!.v)) }),
  };
}

export const kubernetesBootcamp = bootcamp('gcr.io/google-samples/kubernetes-bootcamp');
export const jocatalinBootcamp = bootcamp('docker.io/jocatalin/kubernetes-bootcamp');
