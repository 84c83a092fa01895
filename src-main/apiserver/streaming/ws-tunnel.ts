/**
 * SPDY through WebSocket (kubectl 1.31+ port-forward, subprotocol `SPDY/3.1+portforward.k8s.io`,
 * upstream's TunnelingConnection): the SPDY bytes travel in binary messages of any size. This
 * Duplex turns the message stream back into a byte stream for the SPDY session.
 */
import { Duplex } from 'node:stream';
import type { WsConnection } from './websocket/connection';

export class WsByteStream extends Duplex {
  constructor(private readonly ws: WsConnection) {
    super({ allowHalfOpen: false });
    ws.onMessage((data, binary) => {
      if (!binary) {
        // Upstream: "invalid message type received".
        this.ws.close(1003, 'invalid message type received');
        return;
      }
      this.push(data);
    });
    ws.onClose(() => {
      this.push(null);
      if (!this.destroyed) this.destroy();
    });
  }

  override _read(): void {
    // Messages are pushed as they arrive.
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    if (!this.ws.isOpen) return cb();
    if (this.ws.send(chunk, true)) cb();
    else this.ws.socket.once('drain', () => cb());
  }

  override _final(cb: (err?: Error | null) => void): void {
    this.ws.close(1000);
    cb();
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    if (this.ws.isOpen) this.ws.close(1000);
    cb(err);
  }
}
