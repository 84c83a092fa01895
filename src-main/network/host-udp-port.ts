/**
 * One real UDP socket on the host's loopback (`127.0.0.1:<port>`) for a UDP NodePort or
 * LoadBalancer port: each datagram is relayed into the cluster (`relay`) and the first answer is
 * sent back to the sender, as conntrack does for a UDP service.
 */
import { createSocket, type Socket } from 'node:dgram';
import { HOST_ADDRESS } from './host-port';

export class HostUdpPort {
  private socket?: Socket;
  received = 0;

  constructor(
    readonly port: number,
    private readonly relay: (data: Buffer, sourcePort: number) => Promise<Buffer | undefined>,
    private readonly host = HOST_ADDRESS,
  ) {}

  get listening(): boolean {
    return this.socket !== undefined;
  }

  /** Binds the port; rejects with the bind error (EADDRINUSE, EACCES…). */
  open(): Promise<void> {
    if (this.socket) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const socket = createSocket({ type: 'udp4', reuseAddr: false });
      const failed = (e: Error): void => {
        socket.close();
        reject(e);
      };
      socket.once('error', failed);
      socket.on('message', (msg, rinfo) => {
        this.received++;
        this.relay(msg, rinfo.port).then(
          (answer) => {
            if (answer && this.socket === socket) socket.send(answer, rinfo.port, rinfo.address);
          },
          () => {},
        );
      });
      socket.bind({ address: this.host, port: this.port, exclusive: true }, () => {
        socket.off('error', failed);
        socket.on('error', () => {});
        this.socket = socket;
        resolve();
      });
    });
  }

  close(): void {
    const s = this.socket;
    this.socket = undefined;
    s?.close();
  }

  /** UDP has no connections. */
  openConnections(): number {
    return 0;
  }
}
