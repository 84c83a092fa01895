/**
 * registry.k8s.io/echoserver (also under k8s.gcr.io and gcr.io/google_containers): nginx + lua
 * answering every request on 8080 with a plain-text description of it (minikube's hello-minikube,
 * many LoadBalancer guides). 1.4 (nginx 1.10.0) prints `CLIENT VALUES:` / `SERVER VALUES:` /
 * `HEADERS RECEIVED:` / `BODY:`; 1.10 (nginx 1.13.3) prints `Hostname:`, `Pod Information:` (from
 * the NODE_NAME/POD_NAME/POD_NAMESPACE/POD_IP env vars, if set), `Server values:`, `Request
 * Information:`, `Request Headers:`, `Request Body:`; 1.10 also serves HTTPS on 8443 (simulated
 * as plain HTTP) and starts by generating a self-signed certificate. Access log in nginx's
 * combined format on stdout. Headers are listed sorted, lower-case, as lua sees them.
 */
import type { ImageFamily, TagGroup } from './types';
import { DEFAULT_PATH, exe } from './types';
import { debianUserland, type DebianFlavor } from './os';
import type { HttpRequest, HttpResponse, ProcessContext } from '../program';
import { combinedLogLine, hostWithoutPort, ipv4Client } from './demo-http';

const XENIAL: DebianFlavor = { prettyName: 'Ubuntu 16.04.2 LTS', id: 'ubuntu', versionId: '16.04', codename: 'xenial', procps: true };

function sortedHeaders(req: HttpRequest, prefix: string): string {
  return Object.keys(req.headers)
    .sort()
    .map((k) => `${prefix}${k}=${req.headers[k]}\n`)
    .join('');
}

function splitPath(req: HttpRequest): { path: string; query: string | undefined } {
  const i = req.path.indexOf('?');
  return i < 0 ? { path: req.path, query: undefined } : { path: req.path.slice(0, i), query: req.path.slice(i + 1) };
}

/** The 1.4 page (no trailing newline). */
export function echoPage14(req: HttpRequest, port: number): string {
  const { path, query } = splitPath(req);
  const body = req.body ? req.body : '-no body in request-';
  return (
    `CLIENT VALUES:\nclient_address=${ipv4Client(req)}\ncommand=${req.method}\nreal path=${path}\nquery=${query ?? 'nil'}\nrequest_version=${req.httpVersion ?? '1.1'}\n` +
    `request_uri=http://${hostWithoutPort(req, 'localhost')}:${port}${req.path}\n\nSERVER VALUES:\nserver_version=nginx: 1.10.0 - lua: 10001\n\n` +
    `HEADERS RECEIVED:\n${sortedHeaders(req, '')}BODY:\n${body}`
  );
}

/** The 1.10 page. */
export function echoPage110(req: HttpRequest, port: number, scheme: string, hostname: string, env: Map<string, string>): string {
  const { path, query } = splitPath(req);
  const pod = ['NODE_NAME', 'POD_NAME', 'POD_NAMESPACE', 'POD_IP'].some((k) => env.get(k))
    ? `\tnode name:\t${env.get('NODE_NAME') ?? ''}\n\tpod name:\t${env.get('POD_NAME') ?? ''}\n\tpod namespace:\t${env.get('POD_NAMESPACE') ?? ''}\n\tpod IP:\t${env.get('POD_IP') ?? ''}\n`
    : '\t-no pod information available-\n';
  return (
    `\n\nHostname: ${hostname}\n\nPod Information:\n${pod}\nServer values:\n\tserver_version=nginx: 1.13.3 - lua: 10008\n\n` +
    `Request Information:\n\tclient_address=${ipv4Client(req)}\n\tmethod=${req.method}\n\treal path=${path}\n\tquery=${query ?? ''}\n\trequest_version=${req.httpVersion ?? '1.1'}\n` +
    `\trequest_scheme=${scheme}\n\trequest_uri=${scheme}://${hostWithoutPort(req, 'localhost')}:${port}${req.path}\n\n` +
    `Request Headers:\n${sortedHeaders(req, '\t')}\nRequest Body:\n\t${req.body ? req.body : '-no body in request-'}\n\n`
  );
}

async function echoserver(ctx: ProcessContext): Promise<number> {
  const version = ctx.host.fs.readFile('/etc/echoserver-version').trim();
  const modern = version !== '1.4';
  const nginxVersion = modern ? '1.13.3' : '1.10.0';
  ctx.host.allocate(modern ? 5_200_000 : 4_100_000);
  if (modern) {
    ctx.stdout.write('Generating self-signed cert\n');
    ctx.stderr.write("Generating a 2048 bit RSA private key\n.....................+++\n...........+++\nwriting new private key to '/certs/privateKey.key'\n-----\n");
    ctx.host.fs.mkdir('/certs', { parents: true });
    ctx.host.fs.writeFile('/certs/privateKey.key', '-----BEGIN PRIVATE KEY-----\n(simulated)\n-----END PRIVATE KEY-----\n');
    ctx.host.fs.writeFile('/certs/certificate.crt', '-----BEGIN CERTIFICATE-----\n(simulated)\n-----END CERTIFICATE-----\n');
    ctx.stdout.write('Starting nginx\n');
  }
  const serve = (port: number, scheme: string) =>
    ctx.host.listen(port, 'TCP', {
      address: '0.0.0.0',
      pid: ctx.pid,
      http: (req): HttpResponse => {
        const body = modern ? echoPage110(req, port, scheme, ctx.host.hostname, ctx.env) : echoPage14(req, port);
        ctx.stdout.write(combinedLogLine(ctx, req, 200, Buffer.byteLength(body)));
        return { status: 200, headers: { Server: `nginx/${nginxVersion}`, 'Content-Type': 'text/plain', Connection: 'keep-alive' }, body };
      },
    });
  serve(8080, 'http');
  if (modern) serve(8443, 'https');
  return ctx.host.forever();
}

const groups: TagGroup[] = [
  { tags: ['1.10'], version: '1.10', sizeBytes: 46_129_360 },
  { tags: ['1.9'], version: '1.9', sizeBytes: 46_125_114 },
  { tags: ['1.8'], version: '1.8', sizeBytes: 46_124_917 },
  { tags: ['1.4'], version: '1.4', sizeBytes: 46_058_932 },
];

function family(repository: string): ImageFamily {
  return {
    repository,
    config: { entrypoint: [], cmd: ['/usr/local/bin/run.sh'], workingDir: '', env: [DEFAULT_PATH], exposedPorts: [] },
    groups,
    files: (group) => ({
      ...debianUserland(XENIAL),
      '/usr/local/bin/run.sh': exe('echoserver'),
      '/usr/sbin/nginx': exe('echoserver'),
      '/etc/echoserver-version': `${group.version === '1.4' ? '1.4' : group.version}\n`,
      '/etc/nginx/nginx.conf': '# echoserver: every location answers with the request echoed back (template.lua)\n',
    }),
    programs: { echoserver },
  };
}

export const echoserverFamilies: ImageFamily[] = ['registry.k8s.io/echoserver', 'k8s.gcr.io/echoserver', 'gcr.io/google_containers/echoserver'].map(family);
