/**
 * The API an in-process program sees: its argv, environment, working directory, filesystem,
 * streams, and the container it runs in (clock, signals, memory, CPU, ports, other processes).
 * Tools, shells and image behaviours (nginx, redis, …) are all `Program`s.
 */
import type { Clock } from '../client/clock';
import type { Input, Output } from './streams';
import type { FileSystem } from './vfs';

export type Signal = 'SIGTERM' | 'SIGKILL' | 'SIGINT' | 'SIGQUIT' | 'SIGHUP' | 'SIGUSR1' | 'SIGUSR2';

export const SIGNAL_NUMBERS: Record<Signal, number> = {
  SIGHUP: 1,
  SIGINT: 2,
  SIGQUIT: 3,
  SIGKILL: 9,
  SIGUSR1: 10,
  SIGUSR2: 12,
  SIGTERM: 15,
};

/** Thrown into a program's awaits when its container has been killed: unwind, print nothing. */
export class ProcessKilled extends Error {
  constructor() {
    super('process killed');
  }
}

/** An HTTP request as the network layer hands it to a program. */
export interface HttpRequest {
  method: string;
  /** Path with query, e.g. `/users/3?x=1`. */
  path: string;
  /** Header names in lower case. */
  headers: Record<string, string>;
  /** The client as the program sees it (`::ffff:10.244.1.1` for IPv4 clients of a dual-stack socket). */
  remoteAddress: string;
  httpVersion?: string;
  body?: string;
}

export interface HttpResponse {
  status: number;
  /** The reason phrase when it is not the standard one (nginx's `405 Not Allowed`). */
  reason?: string;
  headers?: Record<string, string>;
  body: string;
}

export type HttpHandler = (req: HttpRequest) => HttpResponse | Promise<HttpResponse>;

/** A RESP (redis protocol) reply: bulk/simple string, integer, nil, error, or array. */
export type RespValue = string | number | null | { error: string } | { status: string } | RespValue[];

/** How a program answers one RESP command (`['SET', 'k', 'v']`). */
export type RespHandler = (args: string[]) => RespValue;

/** A socket a program listens on (the network issue connects it to the pod IP). */
export interface Listener {
  port: number;
  protocol: 'TCP' | 'UDP';
  /** `0.0.0.0` (IPv4 any) or `::` (IPv6 any). */
  address: string;
  /** The listening process (for netstat -p). */
  pid?: number;
  /** How the program answers HTTP on this socket (nginx, kubia, …); the network layer calls it. */
  http?: HttpHandler;
  /** How the program answers redis commands on this socket. */
  resp?: RespHandler;
  close(): void;
}

export interface ProcessInfo {
  pid: number;
  argv: string[];
  user: string;
  startedAt: number;
  /** The controlling terminal (`pts/0`) of processes started from `exec -it` or a tty container. */
  tty?: string;
  /** A session leader (the exec'd shell, PID 1): `Ss` in ps. */
  leader?: boolean;
}

/** Services of the container a program runs in. */
export interface ContainerHost {
  readonly clock: Clock;
  readonly hostname: string;
  readonly fs: FileSystem;
  /** The container was started with a terminal (`kubectl run -it`). */
  readonly tty: boolean;
  /** Resolves after `ms` of cluster time; rejects with ProcessKilled if the container dies first. */
  sleep(ms: number): Promise<void>;
  /** Never resolves; rejects with ProcessKilled when the container dies (an idle server). */
  forever(): Promise<never>;
  /** Lets the event loop breathe during busy loops; throws ProcessKilled once killed. */
  yieldCpu(): Promise<void>;
  /** Throws ProcessKilled once the container is dead. */
  checkAlive(): void;
  readonly killed: boolean;
  /**
   * Installs (or with null removes) PID 1's handler for a signal. Without one, PID 1 ignores
   * SIGTERM/SIGINT/SIGQUIT as the kernel does for a namespace's init.
   */
  onSignal(sig: Signal, handler: ((sig: Signal) => void) | null): void;
  /** Simulated memory: grows the container's working set; past the limit the container is OOM-killed. */
  allocate(bytes: number): void;
  free(bytes: number): void;
  /** Simulated CPU in millicores while the program is in its current phase. */
  setCpu(millicores: number): void;
  /**
   * Binds a port in the pod's network namespace and serves it: `http` (node's HTTP server does the
   * protocol), `resp` (redis protocol, pipelining), or `onConnection` (raw sockets). Throws
   * SocketError EADDRINUSE (errno 98, `Address already in use`) when the pod's port is taken.
   * `ipv6Only` on `::` sets IPV6_V6ONLY (nginx's `listen [::]:80`): no IPv4 connections.
   */
  listen(
    port: number,
    protocol?: 'TCP' | 'UDP',
    opts?: { address?: string; pid?: number; http?: HttpHandler; resp?: RespHandler; onConnection?: (conn: import('../network/types').Connection) => void; ipv6Only?: boolean },
  ): Listener;
  listeners(): Listener[];
  /**
   * Outbound HTTP through the cluster network (names through the container's resolver). Rejects
   * with SocketError (net/errors.ts): `code` ENOTFOUND / ECONNREFUSED / EHOSTUNREACH / ETIMEDOUT /
   * ECONNRESET, `errno` and libc's text as `message`, `host` the name or address that failed.
   */
  httpRequest(url: string, req: HttpRequest, opts?: { timeoutMs?: number }): Promise<HttpResponse>;
  /** A raw TCP connection from this container (names resolved); rejects like httpRequest. */
  connect(host: string, port: number): Promise<import('../network/types').Connection>;
  /** The container's open TCP connections (`netstat` ESTABLISHED lines). */
  connections?(): { local: import('../network/types').Endpoint; remote: import('../network/types').Endpoint }[];
  /** Cluster DNS (undefined before the network layer provides it). */
  readonly dns?: import('./types').DnsClient;
  /** The pod's network namespace (raw sockets: DNS servers, `nc`), when the container has one. */
  readonly net?: import('../network/types').PodNetwork;
  /** The cluster DNS zone (the kubernetes plugin's view), for a DNS server program (CoreDNS). */
  readonly clusterDns?: import('../network/types').ClusterDnsZone;
  /** A redis command to `host:port` over a pooled RESP connection; rejects like httpRequest. */
  respRequest(host: string, port: number, args: string[]): Promise<RespValue>;
  /** The process table (for `ps`). */
  processes(): ProcessInfo[];
  /** Adds a process to the table (a shell's background job); `exit()` removes it. */
  registerProcess(argv: string[], pid?: number): { pid: number; exit(): void; onKill(fn: (sig: Signal) => void): void };
  /** Changes what `ps` shows for a process (nginx's `nginx: master process …`). */
  setTitle(pid: number, argv: string[]): void;
  /** `kill` from inside the container: only PID 1 (the main process) is signalled for now. */
  kill(pid: number, sig: Signal): boolean;
  /** Runs another executable of the image (`env cmd`, a shell's external commands). */
  spawn(argv: string[], opts: SpawnOptions): Promise<number>;
  /** Finds `name` on PATH (or as a path): the absolute path of an executable, or undefined. */
  which(name: string, path: string, cwd: string): string | undefined;
}

/**
 * Processes that die together when one `kill` reaches them (a shell's background job and the
 * commands it runs). Each member gets the signal.
 */
export class KillScope {
  private members = new Set<(sig: Signal) => void>();
  signal: Signal | undefined;

  add(fn: (sig: Signal) => void): () => void {
    this.members.add(fn);
    return () => this.members.delete(fn);
  }

  fire(sig: Signal): void {
    this.signal ??= sig;
    for (const m of [...this.members]) m(sig);
  }
}

/** A process's controlling terminal (`exec -it`, tty containers): its size as the client last set it (resize), and the input it feeds. */
export interface Terminal {
  cols: number;
  rows: number;
  input: Input;
}

export interface SpawnOptions {
  /** The kill scope of the spawning job: killing the job kills this process too. */
  scope?: KillScope;
  /** Run in place of the process with this pid (exec: the pid and its place in `ps` stay). */
  replacePid?: number;
  /** The process's stdin/stdout is a terminal (shells prompt). */
  tty?: boolean;
  /** The terminal itself (size for `stty size`; `stdin === terminal.input` when stdin is the tty). */
  terminal?: Terminal;
  env: Map<string, string>;
  cwd: string;
  stdin: Input;
  stdout: Output;
  stderr: Output;
}

export interface ProcessContext extends SpawnOptions {
  argv: string[];
  pid: number;
  host: ContainerHost;
  /** The executable's absolute path. */
  exe: string;
}

/** A program returns its exit status. */
export type Program = (ctx: ProcessContext) => Promise<number>;
