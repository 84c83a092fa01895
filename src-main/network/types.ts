/**
 * The cluster network's data plane contract (the kernel + CNI + kube-proxy of a real node).
 *
 * Everything that moves bytes between pods, services, nodes and 127.0.0.1 goes through these
 * types: a `ClusterNetwork` holds one `PodNetwork` (network namespace) per pod sandbox, routes TCP
 * connections and UDP datagrams between them, and asks a `ServiceRouter` (the service proxy)
 * where a connection to a virtual IP should really go.
 *
 * Streams are node `stream.Duplex`es with TCP semantics (see socket-pair.ts): `end()` is a
 * half-close (FIN), `destroy(err)` a reset (the peer sees ECONNRESET), back-pressure is honoured.
 * At the edges (localhost listeners, port-forward) a stream may be a real `net.Socket`; code must
 * therefore take addresses from `Connection.local/remote`, never from the stream itself.
 */
import type { Duplex } from 'node:stream';

export interface Endpoint {
  /** IPv4 dotted quad (`10.244.1.5`), or `127.0.0.1` inside a pod's own namespace. */
  address: string;
  port: number;
}

/** One accepted or established TCP connection. */
export interface Connection {
  socket: Duplex;
  /** This side's address as this side sees it (for a server: the address it was reached on). */
  local: Endpoint;
  /** The peer's address as this side sees it (after the service proxy's SNAT, if any). */
  remote: Endpoint;
}

export type ConnectionHandler = (conn: Connection) => void;

/** A received datagram and how to answer it (from the receiving port to the sender). */
export interface Datagram {
  data: Buffer;
  local: Endpoint;
  remote: Endpoint;
  reply(data: Buffer): void;
}

export type DatagramHandler = (dgram: Datagram) => void;

/** A bound socket (what `netstat -tlnp` / `ss -tlnp` list). */
export interface Binding {
  protocol: 'TCP' | 'UDP';
  /** `0.0.0.0`, `::`, `127.0.0.1` or the pod IP. */
  address: string;
  port: number;
  /** The listening process inside the container, for `netstat -p`. */
  pid?: number;
  program?: string;
  /** An IPV6_V6ONLY bind of `::` (takes no IPv4 connections). */
  ipv6Only?: boolean;
  close(): void;
}

/**
 * Errors carry a Node-style `code` (`ECONNREFUSED`, `ETIMEDOUT`, `EHOSTUNREACH`, `EADDRINUSE`,
 * `ENETUNREACH`) and a message in the form the Go/libc clients print after `connect: `, e.g.
 * `connection refused`, so callers can build upstream texts
 * (`dial tcp 10.244.1.5:80: connect: connection refused`).
 */
export class NetworkError extends Error {
  constructor(
    readonly code: 'ECONNREFUSED' | 'ETIMEDOUT' | 'EHOSTUNREACH' | 'EADDRINUSE' | 'ENETUNREACH' | 'ECONNRESET' | 'EADDRNOTAVAIL',
    message: string,
  ) {
    super(message);
  }
}

/** Who owns a pod network namespace (for PTR records, logs and `ip addr`). */
export interface PodIdentity {
  namespace: string;
  name: string;
  uid: string;
  nodeName: string;
}

/**
 * One pod's network namespace: its containers share the IP, the port space and localhost.
 * Created by the kubelet when it sets up the sandbox, closed when the sandbox goes away (every
 * connection into or out of it is reset then).
 */
export interface PodNetwork {
  readonly ip: string;
  readonly pod: PodIdentity;
  /**
   * Binds a TCP port on `address` (default `0.0.0.0`); throws NetworkError EADDRINUSE if taken.
   * `ipv6Only` on `::` is IPV6_V6ONLY (nginx's `listen [::]:80`): IPv4 connections are refused
   * unless a `0.0.0.0` bind takes them; without it a lone `::` is dual-stack (node's listen).
   */
  listen(port: number, onConnection: ConnectionHandler, opts?: { address?: string; pid?: number; program?: string; ipv6Only?: boolean }): Binding;
  /** Binds a UDP port; throws NetworkError EADDRINUSE if taken. */
  bindUdp(port: number, onDatagram: DatagramHandler, opts?: { address?: string; pid?: number; program?: string }): Binding;
  /**
   * Opens a TCP connection from this pod: `127.0.0.1`/`localhost`/`::1` reach its own listeners,
   * pod IPs are routed directly, service IPs through the service proxy. Rejects with NetworkError.
   * `host` must be an IP address (name resolution is the resolver's job inside the container).
   */
  connect(host: string, port: number): Promise<Connection>;
  /**
   * Sends one UDP datagram and waits for the first answer (DNS's pattern); resolves undefined when
   * nothing answers within `timeoutMs` of real time (default 1000; a closed port answers nothing,
   * as ICMP-unreachable is not modelled).
   */
  request(host: string, port: number, data: Buffer, timeoutMs?: number): Promise<Buffer | undefined>;
  /** What is bound in this namespace now. */
  bindings(): Binding[];
  /** Bytes received and sent through this namespace (for metrics). */
  counters(): { rxBytes: number; txBytes: number; connections: number };
  close(): void;
}

/**
 * Where a connection to a service address goes (kube-proxy's rules): consulted for every
 * connection whose destination is not a pod IP.
 */
export interface ServiceRouter {
  /**
   * `undefined`: not a service address (the network then refuses with EHOSTUNREACH for unknown IPs).
   * `{ reject }`: a service without ready endpoints (ECONNREFUSED, as kube-proxy's REJECT rule).
   * `{ endpoint }`: the chosen backend (a pod IP and its target port); `source`, when set, is the
   * address the backend sees as the client (SNAT: NodePort traffic with externalTrafficPolicy
   * Cluster arrives from the node's IP). `clientNode`: the node the connection starts on (the
   * connecting pod's node), for internalTrafficPolicy Local.
   */
  route(protocol: 'TCP' | 'UDP', dst: Endpoint, client: Endpoint, clientNode?: string): { endpoint: Endpoint; source?: Endpoint } | { reject: string } | undefined;
}

/** The cluster-wide network: pod namespaces, node addresses, the router. */
export interface ClusterNetwork {
  /** The CNI ADD: creates the pod's namespace with its IP (the IP must not be in use). */
  createPodNetwork(ip: string, pod: PodIdentity): PodNetwork;
  /** The namespace owning `ip`, if any. */
  podNetwork(ip: string): PodNetwork | undefined;
  /**
   * A connection from a node (`fromIp`: the node's InternalIP; kubelet probes, port-forward
   * helpers, localhost listeners) to `host:port` on the cluster network. Rejects with NetworkError.
   */
  connectFromNode(fromIp: string, host: string, port: number): Promise<Connection>;
  /** A UDP request/response from a node (see PodNetwork.request). */
  requestFromNode(fromIp: string, host: string, port: number, data: Buffer, timeoutMs?: number): Promise<Buffer | undefined>;
  /**
   * Hands an existing stream (a real 127.0.0.1 socket of a localhost listener) to whatever listens
   * at `host:port` as if it had connected from `remote`: the listeners' fast path, no copying.
   * Resolves with the connection as the server sees it; rejects like connectFromNode.
   */
  splice(remote: Endpoint, host: string, port: number, socket: Duplex): Promise<Connection>;
  /** Installs the service proxy's routing (one router; later calls replace it). */
  setRouter(router: ServiceRouter): void;
}

/** One DNS resource record as CoreDNS's kubernetes plugin answers it. */
export type DnsRecord =
  | { name: string; type: 'A'; ttl: number; address: string }
  | { name: string; type: 'AAAA'; ttl: number; address: string }
  | { name: string; type: 'CNAME'; ttl: number; target: string }
  | { name: string; type: 'PTR'; ttl: number; target: string }
  | { name: string; type: 'SRV'; ttl: number; priority: number; weight: number; port: number; target: string }
  | { name: string; type: 'TXT'; ttl: number; text: string };

export type DnsQueryType = 'A' | 'AAAA' | 'CNAME' | 'PTR' | 'SRV' | 'TXT' | 'ANY' | 'NS' | 'SOA' | 'MX';

/** An answer for one question: names are absolute, lower case, without the trailing dot. */
export interface DnsAnswer {
  rcode: 'NOERROR' | 'NXDOMAIN' | 'SERVFAIL' | 'REFUSED';
  answers: DnsRecord[];
  additionals?: DnsRecord[];
  /** The zone's SOA owner for negative answers (`cluster.local`). */
  authority?: string;
}

/**
 * The cluster zone (`cluster.local` + the reverse zones) as CoreDNS's kubernetes plugin serves it,
 * kept from informers. The simulated CoreDNS program answers wire-format queries from it.
 */
export interface ClusterDnsZone {
  query(name: string, type: DnsQueryType): DnsAnswer;
}
