/**
 * A test double of the kubelet side (NodeConnection): a handful of scripted commands behind the
 * ContainerStream contract, and port-forward to "port 80" served by an upper-casing echo.
 */
import type { Duplex } from 'node:stream';
import { StatusError } from '../../../../src-main/api/errors';
import type { ContainerLogRequest, ContainerStream, ContainerStreamExit, ContainerStreamRequest, NodeConnection, PortForwardRequest, ByteStream } from '../../../../src-main/apiserver/node-connections';
import { socketPair } from '../../../../src-main/network/socket-pair';

export class FakeProcess implements ContainerStream {
  readonly exited: Promise<ContainerStreamExit>;
  closed = false;
  stdinClosed = false;
  stdin = '';
  sizes: [number, number][] = [];
  /** flood: bytes produced so far, and the pause/resume calls seen. */
  produced = 0;
  pauses = 0;
  resumes = 0;
  private paused = false;
  private settle!: (e: ContainerStreamExit) => void;
  private out: ((c: Buffer) => void)[] = [];
  private err: ((c: Buffer) => void)[] = [];

  constructor(readonly req: ContainerStreamRequest) {
    this.exited = new Promise((r) => (this.settle = r));
    setImmediate(() => this.run());
  }

  onStdout(cb: (c: Buffer) => void): void {
    this.out.push(cb);
  }
  onStderr(cb: (c: Buffer) => void): void {
    this.err.push(cb);
  }
  writeStdin(chunk: Buffer): void {
    this.stdin += chunk.toString();
    if (this.req.command[0] === 'cat') this.stdout(chunk.toString());
  }
  closeStdin(): void {
    this.stdinClosed = true;
    if (this.req.command[0] === 'cat') this.exit({ exitCode: 0 });
  }
  resize(cols: number, rows: number): void {
    this.sizes.push([cols, rows]);
  }
  close(): void {
    this.closed = true;
    this.exit({ exitCode: 137 });
  }
  pauseOutput(): void {
    this.pauses++;
    this.paused = true;
  }
  resumeOutput(): void {
    this.resumes++;
    this.paused = false;
    if (this.req.command[0] === 'flood') setImmediate(() => this.flood());
  }

  /** Writes 64 KiB chunks as fast as it is let, like `cat /dev/zero`. */
  private flood(): void {
    if (this.closed || this.paused) return;
    this.produced += 65536;
    this.stdout(Buffer.alloc(65536, 0x30));
    setImmediate(() => this.flood());
  }

  private stdout(s: string | Buffer): void {
    for (const cb of this.out) cb(Buffer.from(s));
  }
  private exit(e: ContainerStreamExit): void {
    this.settle(e);
  }

  private run(): void {
    const [cmd, ...args] = this.req.command;
    switch (cmd) {
      case 'echo':
        this.stdout(`${args.join(' ')}\n`);
        return this.exit({ exitCode: 0 });
      case 'sh':
        return this.exit({ exitCode: Number(/exit (\d+)/.exec(args.join(' '))?.[1] ?? 0) });
      case 'fail':
        for (const cb of this.err) cb(Buffer.from('boom\n'));
        return this.exit({ exitCode: 2 });
      case 'big':
        this.stdout(Buffer.alloc(Number(args[0]), 0x78));
        return this.exit({ exitCode: 0 });
      case 'flood':
        return this.flood();
      case 'missing':
        return this.exit({ error: 'failed to exec in container: failed to start exec "abc": OCI runtime exec failed: exec failed: unable to start container process: exec: "missing": executable file not found in $PATH: unknown' });
      default:
        // cat, sleep, attach: run until stdin closes or the client goes away
        return;
    }
  }
}

export const REFUSED = (port: number) =>
  `failed to execute portforward in network namespace "/var/run/netns/cni-1": failed to connect to localhost:${port} inside namespace "abc", IPv4: dial tcp4 127.0.0.1:${port}: connect: connection refused IPv6 dial tcp6 [::1]:${port}: connect: connection refused `;

export class FakeNode implements NodeConnection {
  procs: FakeProcess[] = [];
  forwards: PortForwardRequest[] = [];
  podSockets: Duplex[] = [];

  containerLogs(_req: ContainerLogRequest): Promise<ByteStream> {
    return Promise.reject(new Error('not in this test'));
  }
  async exec(req: ContainerStreamRequest): Promise<ContainerStream> {
    if (req.container === 'stopped') throw new StatusError(400, 'BadRequest', 'container not found ("stopped")');
    const p = new FakeProcess(req);
    this.procs.push(p);
    return p;
  }
  async attach(req: ContainerStreamRequest): Promise<ContainerStream> {
    return this.exec(req);
  }
  async portForward(req: PortForwardRequest): Promise<Duplex> {
    this.forwards.push(req);
    if (req.port !== 80) throw new Error(REFUSED(req.port));
    const { client, server } = socketPair({ address: '127.0.0.1', port: 40000 + this.forwards.length }, { address: '127.0.0.1', port: 80 });
    server.on('data', (d: Buffer) => server.write(d.toString().toUpperCase()));
    server.on('end', () => server.end());
    this.podSockets.push(client);
    return client;
  }
}
