/**
 * One real listener on the host's loopback (`127.0.0.1:<port>`): what a localhost NodePort or
 * LoadBalancer port is. Accepted sockets are handed to `accept` (which splices them into the
 * cluster network); closing the port also closes the connections it accepted, so nothing is left
 * behind.
 */
import { createServer, type Server, type Socket } from 'node:net';

export const HOST_ADDRESS = '127.0.0.1';

export class HostPort {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  accepted = 0;

  constructor(
    readonly port: number,
    private readonly accept: (socket: Socket) => void,
    private readonly host = HOST_ADDRESS,
  ) {}

  get listening(): boolean {
    return this.server?.listening === true;
  }

  /** Binds the port; rejects with the listen error (EADDRINUSE, EACCES…). */
  open(): Promise<void> {
    if (this.server) return Promise.resolve();
    return new Promise((resolve, reject) => {
      // Request/response traffic (HTTP keep-alive, redis): no Nagle delay, as the pods' servers set it.
      const server = createServer({ noDelay: true }, (socket) => this.onSocket(socket));
      const failed = (e: Error): void => {
        server.close();
        reject(e);
      };
      server.once('error', failed);
      server.listen({ host: this.host, port: this.port, exclusive: true }, () => {
        server.off('error', failed);
        server.on('error', () => {});
        this.server = server;
        resolve();
      });
    });
  }

  /** Stops listening and closes every connection still open through this port. */
  close(): void {
    this.server?.close();
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
  }

  /** Connections accepted through this port that are still open. */
  openConnections(): number {
    return this.sockets.size;
  }

  private onSocket(socket: Socket): void {
    this.accepted++;
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    // A client that vanishes mid-stream must not take the process down.
    socket.on('error', () => {});
    try {
      this.accept(socket);
    } catch {
      socket.resetAndDestroy();
    }
  }
}

/** A listen error in Go's words (what upstream components log): `listen tcp 127.0.0.1:80: bind: permission denied`. */
export function listenErrorText(host: string, port: number, e: unknown, protocol: 'tcp' | 'udp' = 'tcp'): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  const why =
    code === 'EADDRINUSE' ? 'bind: address already in use' : code === 'EACCES' ? 'bind: permission denied' : code === 'EADDRNOTAVAIL' ? 'bind: cannot assign requested address' : e instanceof Error ? e.message : String(e);
  return `listen ${protocol} ${host}:${port}: ${why}`;
}
