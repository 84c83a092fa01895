/**
 * A stand-in for startCluster: the real PKI, an HTTPS listener that answers /readyz and /version
 * to the admin token, and an HTTP "UI". Enough to drive `serve()` end to end without the store.
 */
import { createServer as createHttps, type Server as HttpsServer } from 'node:https';
import { createServer as createHttp, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Cluster, ClusterOptions } from '../../../src-main/cluster';
import type { ApiHandler } from '../../../src-main/apiserver/types';
import { loadOrCreatePki } from '../../../src-main/pki';

export interface StubCluster extends Cluster {
  opts: ClusterOptions;
  stopped: boolean;
}

function listen(server: HttpsServer | HttpServer, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

const close = (s: HttpsServer | HttpServer) =>
  new Promise<void>((r) => {
    s.close(() => r());
    s.closeAllConnections();
  });

export async function startStubCluster(opts: ClusterOptions): Promise<StubCluster> {
  const pki = await loadOrCreatePki(opts.dataDir);
  const api = createHttps({ cert: pki.serverCertPem, key: pki.serverKeyPem }, (req, res) => {
    if (req.headers.authorization !== `Bearer ${pki.adminToken}`) {
      res.writeHead(401).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain' }).end(req.url === '/readyz' ? 'ok' : '{}');
  });
  const ui = createHttp((_req, res) => res.end('ui'));
  const apiPort = await listen(api, opts.apiPort ?? 0);
  let uiPort: number;
  try {
    uiPort = await listen(ui, opts.uiPort ?? 0);
  } catch (e) {
    await close(api);
    throw e;
  }
  const handler: ApiHandler = async () => ({ status: 200, body: {} }) as unknown as Awaited<ReturnType<ApiHandler>>;
  const cluster: StubCluster = {
    opts,
    stopped: false,
    apiUrl: `https://127.0.0.1:${apiPort}`,
    uiUrl: `http://127.0.0.1:${uiPort}/?session=stub`,
    token: pki.adminToken,
    caCertPem: pki.caCertPem,
    handler,
    async stop() {
      if (cluster.stopped) return;
      cluster.stopped = true;
      await Promise.all([close(api), close(ui)]);
    },
  };
  return cluster;
}
