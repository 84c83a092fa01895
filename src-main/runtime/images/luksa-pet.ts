/**
 * luksa/kubia-pet and luksa/kubia-pet-peers (Kubernetes in Action ch. 10, StatefulSets): node:7
 * apps on 8080 that keep one piece of data in /var/data/kubia.txt (the PVC). Neither logs at
 * start. kubia-pet: `POST` stores the body (`Data stored on pod <hostname>`, logs `New data has
 * been received and stored.`), `GET` answers `You've hit <hostname>\nData stored on this pod:
 * <data>\n`. kubia-pet-peers: `GET /data` answers the raw data; `GET /` looks up the SRV records
 * of `kubia.default.svc.cluster.local` and lists each peer's `/data`. Without /var/data the
 * write stream's unhandled error ends node with exit 1, as the real app does.
 */
import type { ImageFamily } from './types';
import type { HttpResponse, ProcessContext } from '../program';
import { NODE_APP_CONFIG, nodeImageFiles } from './kubia';
import { registerNodeApp } from './node-runtime';
import { RCODE, TYPE, type DnsMessage } from '../dns/wire';

const DATA_FILE = '/var/data/kubia.txt';

export const KUBIA_PET_APP = `const http = require('http');
const os = require('os');
const fs = require('fs');

const dataFile = "/var/data/kubia.txt";

function fileExists(file) {
  try {
    fs.statSync(file);
    return true;
  } catch (e) {
    return false;
  }
}

var handler = function(request, response) {
  if (request.method == 'POST') {
    var file = fs.createWriteStream(dataFile);
    file.on('open', function (fd) {
      request.pipe(file);
      console.log("New data has been received and stored.");
      response.writeHead(200);
      response.end("Data stored on pod " + os.hostname() + "\\n");
    });
  } else {
    var data = fileExists(dataFile) ? fs.readFileSync(dataFile, 'utf8') : "No data posted yet";
    response.writeHead(200);
    response.write("You've hit " + os.hostname() + "\\n");
    response.end("Data stored on this pod: " + data + "\\n");
  }
};

var www = http.createServer(handler);
www.listen(8080);
`;

export const KUBIA_PET_PEERS_APP = `const http = require('http');
const os = require('os');
const fs = require('fs');
const dns = require('dns');

const dataFile = "/var/data/kubia.txt";
const serviceName = "kubia.default.svc.cluster.local";
const port = 8080;


function fileExists(file) {
  try {
    fs.statSync(file);
    return true;
  } catch (e) {
    return false;
  }
}

function httpGet(reqOptions, callback) {
  return http.get(reqOptions, function(response) {
    var body = '';
    response.on('data', function(d) { body += d; });
    response.on('end', function() { callback(body); });
  }).on('error', function(e) {
    callback("Error: " + e.message);
  });
}

var handler = function(request, response) {
  if (request.method == 'POST') {
    var file = fs.createWriteStream(dataFile);
    file.on('open', function (fd) {
      request.pipe(file);
      response.writeHead(200);
      response.end("Data stored on pod " + os.hostname() + "\\n");
    });
  } else {
    response.writeHead(200);
    if (request.url == '/data') {
      var data = fileExists(dataFile) ? fs.readFileSync(dataFile, 'utf8') : "No data posted yet";
      response.end(data);
    } else {
      response.write("You've hit " + os.hostname() + "\\n");
      response.write("Data stored in the cluster:\\n");
      dns.resolveSrv(serviceName, function (err, addresses) {
        if (err) {
          response.end("Could not look up DNS SRV records: " + err);
          return;
        }
        var numResponses = 0;
        if (addresses.length == 0) {
          response.end("No peers discovered.");
        } else {
          addresses.forEach(function (item) {
            var requestOptions = {
              host: item.name,
              port: port,
              path: '/data'
            };
            httpGet(requestOptions, function (returnedData) {
              numResponses++;
              response.write("- " + item.name + ": " + returnedData + "\\n");
              if (numResponses == addresses.length) {
                response.end();
              }
            });
          });
        }
      });
    }
  }
};

var www = http.createServer(handler);
www.listen(port);

`;

/** Reads the stored data as the apps do (`No data posted yet` when the file is missing). */
function storedData(ctx: ProcessContext): string {
  return ctx.host.fs.stat(DATA_FILE)?.kind === 'file' ? ctx.host.fs.readFile(DATA_FILE) : 'No data posted yet';
}

/** node's unhandled 'error' event of fs.createWriteStream when /var/data is missing. */
function writeStreamCrash(ctx: ProcessContext): void {
  ctx.stderr.write(
    `events.js:163\n      throw er; // Unhandled 'error' event\n      ^\n\nError: ENOENT: no such file or directory, open '${DATA_FILE}'\n    at Error (native)\n`,
  );
}

/** Stores a POST body; false when the directory is missing (node then dies). */
function store(ctx: ProcessContext, body: string): boolean {
  if (ctx.host.fs.stat('/var/data')?.kind !== 'dir') return false;
  ctx.host.fs.writeFile(DATA_FILE, body);
  return true;
}

/** Serves `answer` on 8080 until the container dies or a POST cannot be stored (exit 1). */
async function serve(ctx: ProcessContext, answer: (method: string, path: string) => HttpResponse | Promise<HttpResponse>, logStore: boolean): Promise<number> {
  ctx.host.allocate(9_800_000);
  let crash!: () => void;
  const crashed = new Promise<void>((r) => (crash = r));
  const listener = ctx.host.listen(8080, 'TCP', {
    address: '::',
    pid: ctx.pid,
    http: (req) => {
      if (req.method === 'POST') {
        if (!store(ctx, req.body ?? '')) {
          crash();
          // the process is gone before it answers: the client sees the connection close
          return new Promise<HttpResponse>(() => {});
        }
        if (logStore) ctx.stdout.write('New data has been received and stored.\n');
        return { status: 200, body: `Data stored on pod ${ctx.host.hostname}\n` };
      }
      return answer(req.method, req.path);
    },
  });
  await Promise.race([crashed, ctx.host.forever()]);
  writeStreamCrash(ctx);
  listener.close();
  return 1;
}

registerNodeApp(KUBIA_PET_APP, (ctx) => serve(ctx, () => ({ status: 200, body: `You've hit ${ctx.host.hostname}\nData stored on this pod: ${storedData(ctx)}\n` }), true));

export interface SrvRecord {
  name: string;
  port: number;
  priority: number;
  weight: number;
}

/** node's `dns.resolveSrv`: the records, or an Error whose message is node's (`querySrv ENOTFOUND …`). */
export async function resolveSrv(ctx: ProcessContext, name: string): Promise<SrvRecord[] | Error> {
  const dns = ctx.host.dns as (NonNullable<ProcessContext['host']['dns']> & { query?: (n: string, t: number) => Promise<{ response?: DnsMessage }> }) | undefined;
  if (!dns) return new Error(`querySrv ECONNREFUSED ${name}`);
  if (dns.srv) {
    const records = await dns.srv(name);
    return records ?? new Error(`querySrv ENOTFOUND ${name}`);
  }
  if (typeof dns.query !== 'function') return new Error(`querySrv ENOTIMP ${name}`);
  // a resolver without srv(): ask the nameserver directly (the name is already fully qualified)
  const { response } = await dns.query(name, TYPE.SRV);
  if (!response) return new Error(`querySrv ETIMEOUT ${name}`);
  if (response.rcode === RCODE.NXDOMAIN) return new Error(`querySrv ENOTFOUND ${name}`);
  if (response.rcode !== RCODE.NOERROR) return new Error(`querySrv ESERVFAIL ${name}`);
  const records: SrvRecord[] = [];
  for (const r of response.answers) if (r.type === 'SRV') records.push({ name: r.target.replace(/\.$/, ''), port: r.port, priority: r.priority, weight: r.weight });
  return records.length ? records : new Error(`querySrv ENODATA ${name}`);
}

/** node's `http.get` error message for a failed request to `host:port`. */
function httpGetError(e: unknown, host: string, port: number): string {
  const code = (e as { code?: string })?.code ?? 'ECONNRESET';
  if (code === 'ENOTFOUND') return `getaddrinfo ENOTFOUND ${host} ${host}:${port}`;
  if (code === 'ECONNRESET') return 'socket hang up';
  return `connect ${code} ${host}:${port}`;
}

async function peers(ctx: ProcessContext): Promise<HttpResponse> {
  const serviceName = 'kubia.default.svc.cluster.local';
  let body = `You've hit ${ctx.host.hostname}\nData stored in the cluster:\n`;
  const found = await resolveSrv(ctx, serviceName);
  if (found instanceof Error) return { status: 200, body: body + `Could not look up DNS SRV records: Error: ${found.message}` };
  if (found.length === 0) return { status: 200, body: body + 'No peers discovered.' };
  // answers are written as they arrive; the simulation collects them in the order they finish
  const lines: string[] = [];
  await Promise.all(
    found.map(async (item) => {
      let data: string;
      try {
        data = (await ctx.host.httpRequest(`http://${item.name}:8080/data`, { method: 'GET', path: '/data', headers: { host: `${item.name}:8080`, connection: 'close' }, remoteAddress: '' })).body;
      } catch (e) {
        data = `Error: ${httpGetError(e, item.name, 8080)}`;
      }
      lines.push(`- ${item.name}: ${data}\n`);
    }),
  );
  return { status: 200, body: body + lines.join('') };
}

registerNodeApp(KUBIA_PET_PEERS_APP, (ctx) => serve(ctx, (_m, path) => (path === '/data' ? { status: 200, body: storedData(ctx) } : peers(ctx)), false));

export const kubiaPet: ImageFamily = {
  repository: 'docker.io/luksa/kubia-pet',
  config: NODE_APP_CONFIG,
  groups: [{ tags: ['latest'], version: '7.10.1', sizeBytes: 250_926_018 }],
  files: () => nodeImageFiles(7, KUBIA_PET_APP),
};

export const kubiaPetPeers: ImageFamily = {
  repository: 'docker.io/luksa/kubia-pet-peers',
  config: NODE_APP_CONFIG,
  groups: [{ tags: ['latest'], version: '7.10.1', sizeBytes: 250_926_377 }],
  files: () => nodeImageFiles(7, KUBIA_PET_PEERS_APP),
};
