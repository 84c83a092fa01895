/**
 * The cluster network (ClusterNetwork): pod namespaces by IP, TCP connections as VirtualSocket
 * pairs, UDP request/response, and the service router for every address that is not a pod.
 *
 * Routing a connection to `host:port`:
 * - loopback (`127.0.0.1`, `localhost`, `::1`) → a listener of the connecting pod's own namespace;
 * - a pod IP → that pod's listener (`connection refused` when nothing listens there);
 * - anything else → the ServiceRouter (kube-proxy): its endpoint, or `connection refused` for a
 *   service without ready endpoints; addresses nobody owns → `no route to host` (node addresses:
 *   `connection refused`, as a node that has no such port answers with an RST).
 *
 * Connections are delivered to the server on a later microtask, never inside `connect()`.
 */
import { isIP } from 'node:net';
import type { Duplex } from 'node:stream';
import {
  NetworkError,
  type ClusterNetwork,
  type Connection,
  type Endpoint,
  type PodIdentity,
  type PodNetwork,
  type ServiceRouter,
} from './types';
import { VirtualSocket } from './socket-pair';
import { EphemeralPorts, isLoopback, isNodeNetwork, normalizeHost } from './addresses';
import { PodNamespace, resetSocket, type NamespaceCarrier, type TcpListener } from './pod-namespace';

const DEFAULT_UDP_TIMEOUT_MS = 1000;

/** Where a connection or datagram lands: a namespace, the address and port it was sent to there, the source it sees. */
interface Route {
  ns: PodNamespace;
  address: string;
  port: number;
  source: Endpoint;
}

export interface FabricStats {
  pods: number;
  connections: number;
  refused: number;
  datagrams: number;
}

export class Fabric implements ClusterNetwork, NamespaceCarrier {
  private readonly pods = new Map<string, PodNamespace>();
  private readonly ephemeral = new EphemeralPorts();
  private router?: ServiceRouter;
  private connections = 0;
  private refused = 0;
  private datagrams = 0;

  createPodNetwork(ip: string, pod: PodIdentity): PodNetwork {
    const address = normalizeHost(ip);
    if (isIP(address) !== 4) throw new NetworkError('EADDRNOTAVAIL', `invalid pod IP ${JSON.stringify(ip)}`);
    if (this.pods.has(address)) throw new NetworkError('EADDRINUSE', `address ${address} is already in use`);
    const ns = new PodNamespace(address, pod, this);
    this.pods.set(address, ns);
    return ns;
  }

  podNetwork(ip: string): PodNetwork | undefined {
    return this.pods.get(normalizeHost(ip));
  }

  setRouter(router: ServiceRouter): void {
    this.router = router;
  }

  stats(): FabricStats {
    return { pods: this.pods.size, connections: this.connections, refused: this.refused, datagrams: this.datagrams };
  }

  connectFromNode(fromIp: string, host: string, port: number): Promise<Connection> {
    return this.open(undefined, normalizeHost(fromIp), host, port);
  }

  requestFromNode(fromIp: string, host: string, port: number, data: Buffer, timeoutMs?: number): Promise<Buffer | undefined> {
    return this.datagram(undefined, normalizeHost(fromIp), host, port, data, timeoutMs);
  }

  async splice(remote: Endpoint, host: string, port: number, socket: Duplex): Promise<Connection> {
    const route = this.resolveTcp(undefined, normalizeHost(host), port, remote);
    const listener = this.listenerFor(route);
    const conn: Connection = { socket, local: { address: route.address, port: route.port }, remote: route.source };
    route.ns.track(socket);
    this.connections++;
    queueMicrotask(() => deliver(listener, conn));
    return conn;
  }

  connectFrom(ns: PodNamespace, host: string, port: number): Promise<Connection> {
    return this.open(ns, ns.ip, host, port);
  }

  requestFrom(ns: PodNamespace, host: string, port: number, data: Buffer, timeoutMs?: number): Promise<Buffer | undefined> {
    return this.datagram(ns, ns.ip, host, port, data, timeoutMs);
  }

  released(ns: PodNamespace): void {
    if (this.pods.get(ns.ip) === ns) this.pods.delete(ns.ip);
  }

  private async open(src: PodNamespace | undefined, srcIp: string, host: string, port: number): Promise<Connection> {
    const dst = normalizeHost(host);
    const client: Endpoint = { address: isLoopback(dst) ? dst : srcIp, port: 0 };
    client.port = this.ephemeral.take(client.address);
    const route = this.resolveTcp(src, dst, port, client);
    const listener = this.listenerFor(route);
    const clientSocket = new VirtualSocket(client, { address: dst, port });
    const serverSocket = new VirtualSocket({ address: route.address, port: route.port }, route.source);
    clientSocket.peer = serverSocket;
    serverSocket.peer = clientSocket;
    src?.track(clientSocket);
    route.ns.track(serverSocket);
    this.connections++;
    const serverConn: Connection = { socket: serverSocket, local: { address: route.address, port: route.port }, remote: route.source };
    queueMicrotask(() => deliver(listener, serverConn));
    return { socket: clientSocket, local: client, remote: { address: dst, port } };
  }

  private listenerFor(route: Route): TcpListener {
    const listener = route.ns.tcpListener(route.address, route.port);
    if (!listener) {
      this.refused++;
      throw refused();
    }
    return listener;
  }

  private resolveTcp(src: PodNamespace | undefined, dst: string, port: number, client: Endpoint): Route {
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      this.refused++;
      throw refused();
    }
    const route = this.resolve('TCP', src, dst, port, client);
    if (route === 'refused') {
      this.refused++;
      throw refused();
    }
    return route;
  }

  /**
   * Where traffic to dst:port goes; throws NetworkError for unroutable addresses. A node address
   * asks the router first (kube-proxy's NodePort rules match before the node's own sockets), then
   * the node's namespace (hostNetwork pods) if one exists.
   */
  private resolve(protocol: 'TCP' | 'UDP', src: PodNamespace | undefined, dst: string, port: number, client: Endpoint): Route | 'refused' {
    if (!isIP(dst)) throw new NetworkError('EHOSTUNREACH', 'no route to host');
    if (isLoopback(dst)) return src ? { ns: src, address: dst, port, source: client } : 'refused';
    const node = isNodeNetwork(dst);
    const pod = this.pods.get(dst);
    if (pod && !node) return { ns: pod, address: dst, port, source: client };
    const decision = this.router?.route(protocol, { address: dst, port }, client, src?.pod.nodeName);
    if (!decision) {
      if (pod) return { ns: pod, address: dst, port, source: client };
      if (node) return 'refused';
      throw new NetworkError('EHOSTUNREACH', 'no route to host');
    }
    if ('reject' in decision) return 'refused';
    const backend = normalizeHost(decision.endpoint.address);
    const target = this.pods.get(backend);
    if (!target) throw new NetworkError('EHOSTUNREACH', 'no route to host');
    return { ns: target, address: backend, port: decision.endpoint.port, source: decision.source ?? client };
  }

  private async datagram(
    src: PodNamespace | undefined,
    srcIp: string,
    host: string,
    port: number,
    data: Buffer,
    timeoutMs = DEFAULT_UDP_TIMEOUT_MS,
  ): Promise<Buffer | undefined> {
    const dst = normalizeHost(host);
    const client: Endpoint = { address: isLoopback(dst) ? dst : srcIp, port: 0 };
    client.port = this.ephemeral.take(client.address);
    const route = this.resolve('UDP', src, dst, port, client);
    const socket = route === 'refused' ? undefined : route.ns.udpSocket(route.address, route.port);
    this.datagrams++;
    src?.countDatagram(0, data.length);
    return new Promise<Buffer | undefined>((resolve) => {
      let done = false;
      const finish = (answer: Buffer | undefined): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        resolve(answer);
      };
      const timer = setTimeout(() => finish(undefined), timeoutMs);
      timer.unref();
      if (!socket || route === 'refused') return;
      const payload = Buffer.from(data);
      queueMicrotask(() => {
        if (socket.closed) return;
        route.ns.countDatagram(payload.length, 0);
        try {
          socket.handler({
            data: payload,
            local: { address: route.address, port: route.port },
            remote: route.source,
            reply: (answer) => {
              if (done) return;
              route.ns.countDatagram(0, answer.length);
              src?.countDatagram(answer.length, 0);
              this.datagrams++;
              finish(Buffer.from(answer));
            },
          });
        } catch {
          // A crashing server answers nothing; the client times out.
        }
      });
    });
  }
}

function refused(): NetworkError {
  return new NetworkError('ECONNREFUSED', 'connection refused');
}

/** Hands an accepted connection to its listener; one closed meanwhile resets it (as the kernel does with its accept queue). */
function deliver(listener: TcpListener, conn: Connection): void {
  if (listener.closed || conn.socket.destroyed) {
    resetSocket(conn.socket);
    return;
  }
  try {
    listener.handler(conn);
  } catch {
    resetSocket(conn.socket);
  }
}
